//! Patch coverage: `coverage.patch.lines` and `coverage.patch.branches` are the coverage of the
//! lines a change touched, over changed *executable* lines only (a changed comment or blank line
//! is not in the coverage report, so it neither helps nor hurts).
//!
//! The changed lines come from git ([`changed_lines_from_git`]: `git diff --unified=0` against
//! the merge base of the base ref and `HEAD`), from a unified diff ([`ChangedLines::from_diff`]),
//! or from a list of changed files ([`ChangedLines::from_list`]: every line of each counts).
//!
//! Coverage reports name files as the tool saw them: absolute (`/home/runner/work/app/app/src/x.ts`,
//! `SF:/builds/x/src/a.rs`), or relative to another directory. [`PathMapper`] maps a report path
//! to a repository path by the longest suffix match against the changed files (checked against
//! the workspace files, so `vendor/lib/src/a.rs` is not taken for `src/a.rs`); a prefix to strip
//! overrides the guess. When no changed file matches any file of the report, patch coverage is
//! unknown with a loud reason, never 100% or 0%.

use super::outcome::{LineRef, PatchFile, PatchOutcome, MAX_FINDINGS};
use readiness_evidence::{FileCoverage, FileLines, Ratio};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What changed in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// Every line (the file came from a list of changed files, not a diff).
    Whole,
    /// These lines (1-based, in the new version of the file).
    Lines(BTreeSet<u32>),
}

impl FileChange {
    pub fn contains(&self, line: u32) -> bool {
        match self {
            FileChange::Whole => true,
            FileChange::Lines(lines) => lines.contains(&line),
        }
    }
}

/// The changed lines of a change, by repository (workspace-relative) path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangedLines {
    /// Where they came from, for the report: `` git diff --unified=0 1a2b3c4 (merge base of `origin/main`) ``.
    pub source: String,
    pub files: BTreeMap<String, FileChange>,
}

impl ChangedLines {
    /// The added and modified lines of a unified diff (`git diff`, `diff -u`; any context size).
    /// Deleted files and pure deletions add nothing.
    pub fn from_diff(text: &str, source: &str) -> ChangedLines {
        let mut files: BTreeMap<String, FileChange> = BTreeMap::new();
        let mut current: Option<String> = None;
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            if let Some(path) = line.strip_prefix("+++ ") {
                current = diff_path(path);
                if let Some(path) = &current {
                    files
                        .entry(path.clone())
                        .or_insert_with(|| FileChange::Lines(BTreeSet::new()));
                }
                continue;
            }
            let Some(header) = line.strip_prefix("@@ ") else {
                continue;
            };
            let Some((old_count, new_start, new_count)) = hunk(header) else {
                continue;
            };
            // Walk the hunk's body by its counts, so a content line starting with `+++` or `@@`
            // is never taken for a header.
            let (mut old_left, mut new_left) = (old_count, new_count);
            let mut number = new_start;
            while old_left > 0 || new_left > 0 {
                let Some(body) = lines.peek() else { break };
                match body.as_bytes().first() {
                    Some(b'+') if new_left > 0 => {
                        if let Some(FileChange::Lines(changed)) =
                            current.as_ref().and_then(|path| files.get_mut(path))
                        {
                            changed.insert(number);
                        }
                        number = number.saturating_add(1);
                        new_left -= 1;
                    }
                    Some(b'-') if old_left > 0 => old_left -= 1,
                    Some(b' ') | None if old_left > 0 && new_left > 0 => {
                        number = number.saturating_add(1);
                        old_left -= 1;
                        new_left -= 1;
                    }
                    Some(b'\\') => {}
                    _ => break,
                }
                lines.next();
            }
        }
        ChangedLines {
            source: source.to_string(),
            files,
        }
    }

    /// A list of changed files, one per line: every line of each counts as changed.
    pub fn from_list(text: &str, source: &str) -> ChangedLines {
        let files = text
            .lines()
            .map(|line| normalize(line.trim()))
            .filter(|line| !line.is_empty())
            .map(|path| (path, FileChange::Whole))
            .collect();
        ChangedLines {
            source: source.to_string(),
            files,
        }
    }

    /// A unified diff, or else a list of changed files.
    pub fn from_text(text: &str, source: &str) -> ChangedLines {
        let is_diff = text
            .lines()
            .any(|line| line.starts_with("@@ ") || line.starts_with("+++ "));
        if is_diff {
            ChangedLines::from_diff(text, source)
        } else {
            ChangedLines::from_list(text, source)
        }
    }
}

/// The path of a `+++ ` line: `b/src/x.ts` -> `src/x.ts`; `None` for `/dev/null`.
fn diff_path(text: &str) -> Option<String> {
    let text = text.trim_end_matches('\r');
    // A tab may separate a timestamp (`diff -u`).
    let text = text.split('\t').next().unwrap_or(text);
    let path = if text.starts_with('"') {
        unquote(text)?
    } else {
        text.to_string()
    };
    if path == "/dev/null" {
        return None;
    }
    let path = path.strip_prefix("b/").map(str::to_string).unwrap_or(path);
    Some(normalize(&path))
}

/// A C-quoted path as git writes one with special characters.
fn unquote(text: &str) -> Option<String> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    let mut bytes = Vec::new();
    let mut chars = inner.bytes().peekable();
    while let Some(byte) = chars.next() {
        if byte != b'\\' {
            bytes.push(byte);
            continue;
        }
        match chars.next()? {
            b'n' => bytes.push(b'\n'),
            b't' => bytes.push(b'\t'),
            b'"' => bytes.push(b'"'),
            b'\\' => bytes.push(b'\\'),
            digit @ b'0'..=b'7' => {
                let mut value = u32::from(digit - b'0');
                for _ in 0..2 {
                    if let Some(next @ b'0'..=b'7') = chars.peek().copied() {
                        value = value * 8 + u32::from(next - b'0');
                        chars.next();
                    }
                }
                bytes.push(u8::try_from(value).ok()?);
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).ok()
}

/// `-a,b +c,d @@` -> (b, c, d); counts default to 1.
fn hunk(header: &str) -> Option<(u32, u32, u32)> {
    let mut parts = header.split_whitespace();
    let old = parts.next()?.strip_prefix('-')?;
    let new = parts.next()?.strip_prefix('+')?;
    let range = |text: &str| -> Option<(u32, u32)> {
        match text.split_once(',') {
            Some((start, count)) => Some((start.parse().ok()?, count.parse().ok()?)),
            None => Some((text.parse().ok()?, 1)),
        }
    };
    let (_, old_count) = range(old)?;
    let (new_start, new_count) = range(new)?;
    Some((old_count, new_start, new_count))
}

/// `/` separators, no leading `./`.
fn normalize(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut path = path.as_str();
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path.to_string()
}

/// Runs git in `dir` with the words of `command` and then `extra` as arguments; stdout, or stderr
/// as the error.
fn git(dir: &Path, command: &str, extra: &[&str]) -> Result<String, String> {
    let output = std::process::Command::new("git")
        .args(command.split_whitespace())
        .args(extra)
        .current_dir(dir)
        .output()
        .map_err(|error| format!("cannot run git: {}", error.to_string().to_lowercase()))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// The changed lines between the merge base of `base_ref` and `HEAD`, and the working tree:
/// `git diff --unified=0 <merge-base>`, paths relative to `workspace`. When the merge base cannot
/// be found because the clone is shallow, the error says to fetch more history.
pub fn changed_lines_from_git(workspace: &Path, base_ref: &str) -> Result<ChangedLines, String> {
    git(workspace, "rev-parse --git-dir", &[]).map_err(|_| {
        format!(
            "`{}` is not in a git repository, so its changed lines are unknown",
            workspace.display()
        )
    })?;
    let shallow = git(workspace, "rev-parse --is-shallow-repository", &[])
        .is_ok_and(|out| out.trim() == "true");
    let fetch_more = "fetch more history: `fetch-depth: 0` in actions/checkout, or `git fetch --unshallow` (or `--deepen=<n>`) and the base branch";
    let base_commit = format!("{base_ref}^{{commit}}");
    if git(workspace, "rev-parse --verify --quiet", &[&base_commit]).is_err() {
        return Err(if shallow {
            format!("`{base_ref}` is not in this shallow clone, so the changed lines are unknown: {fetch_more}")
        } else {
            format!("`{base_ref}` is not a commit in this repository: fetch it (e.g. `git fetch origin {}`)", base_ref.trim_start_matches("origin/"))
        });
    }
    let merge_base = git(workspace, "merge-base HEAD", &[base_ref]).map_err(|error| {
        if shallow {
            format!("cannot find the merge base of `{base_ref}` and HEAD: this clone is shallow, so their common history is missing; {fetch_more}")
        } else if error.is_empty() {
            format!("`{base_ref}` and HEAD have no common history, so the changed lines are unknown")
        } else {
            format!("cannot find the merge base of `{base_ref}` and HEAD: {error}")
        }
    })?;
    let merge_base = merge_base.trim();
    let diff = git(
        workspace,
        "-c core.quotepath=off diff --unified=0 --no-color --no-ext-diff --relative -M --src-prefix=a/ --dst-prefix=b/",
        &[merge_base],
    )
    .map_err(|error| format!("cannot list the changed lines: {error}"))?;
    let source = format!(
        "git diff --unified=0 {} (merge base of `{base_ref}` and HEAD)",
        super::baseline::short(merge_base)
    );
    Ok(ChangedLines::from_diff(&diff, &source))
}

/// Maps coverage report paths to repository paths.
pub struct PathMapper<'a> {
    changed: &'a ChangedLines,
    workspace_files: &'a [String],
    strip: Option<String>,
}

/// The number of trailing path components `a` and `b` share.
fn common_suffix(a: &str, b: &str) -> usize {
    a.rsplit('/')
        .zip(b.rsplit('/'))
        .take_while(|(x, y)| x == y)
        .count()
}

/// `path` is `tail` or ends with `/tail`.
fn ends_with_path(path: &str, tail: &str) -> bool {
    path == tail
        || path
            .strip_suffix(tail)
            .is_some_and(|head| head.ends_with('/'))
}

impl<'a> PathMapper<'a> {
    /// `strip`: a prefix to remove from report paths (the override); then paths must match a
    /// changed file exactly.
    pub fn new(
        changed: &'a ChangedLines,
        workspace_files: &'a [String],
        strip: Option<&str>,
    ) -> PathMapper<'a> {
        PathMapper {
            changed,
            workspace_files,
            strip: strip.map(normalize).filter(|s| !s.is_empty()),
        }
    }

    /// The changed file a report path names, if any.
    pub fn map(&self, report_path: &str) -> Option<&'a str> {
        let path = normalize(report_path);
        let path = path.strip_prefix("file://").unwrap_or(&path);
        let files = &self.changed.files;
        if let Some(strip) = &self.strip {
            let rest = path.strip_prefix(strip.as_str())?.trim_start_matches('/');
            return files.get_key_value(rest).map(|(key, _)| key.as_str());
        }
        if let Some((key, _)) = files.get_key_value(path) {
            return Some(key.as_str());
        }
        // The report path ends with a changed file: the longest such file, unless a longer
        // workspace file is the real match (`vendor/lib/src/a.rs` for `src/a.rs`).
        if let Some(found) = files
            .keys()
            .filter(|changed| ends_with_path(path, changed))
            .max_by_key(|changed| changed.len())
        {
            let longer = self
                .workspace_files
                .iter()
                .any(|file| file.len() > found.len() && ends_with_path(path, file));
            return (!longer).then_some(found.as_str());
        }
        // The report path is relative to a subdirectory (`x.ts` for `src/x.ts`): accept it when
        // one changed file and at most one workspace file end with it.
        let mut candidates = files.keys().filter(|changed| ends_with_path(changed, path));
        let found = candidates.next()?;
        if candidates.next().is_some() || common_suffix(found, path) == 0 {
            return None;
        }
        let in_workspace = self
            .workspace_files
            .iter()
            .filter(|file| ends_with_path(file, path))
            .take(2)
            .count();
        (in_workspace <= 1).then_some(found.as_str())
    }
}

/// Line data of one repository file: the report paths naming it, hits per line, branches per line.
type Merged<'r> = (Vec<&'r str>, BTreeMap<u32, u64>, BTreeMap<u32, Ratio>);

/// Computes patch coverage of one coverage item from the line data of the files `mapper` maps.
/// `per_file` and `format` are for the reason when nothing matches.
pub fn compute(
    changed: &ChangedLines,
    lines: &BTreeMap<String, FileLines>,
    mapper: &PathMapper<'_>,
    item: &str,
    format: &str,
    per_file: &[FileCoverage],
) -> PatchOutcome {
    let mut outcome = PatchOutcome {
        source: changed.source.clone(),
        lines: None,
        branches: None,
        files: Vec::new(),
        uncovered: Vec::new(),
        problem: None,
    };
    if changed.files.is_empty() {
        outcome.problem = Some(format!(
            "the change ({}) touches no file, so there is no patch to cover",
            changed.source
        ));
        return outcome;
    }
    // Hits per repository path (several report paths may name one file).
    let mut merged: BTreeMap<&str, Merged<'_>> = BTreeMap::new();
    for (report_path, file) in lines {
        let Some(repo) = mapper.map(report_path) else {
            continue;
        };
        let entry = merged.entry(repo).or_default();
        entry.0.push(report_path.as_str());
        for (&line, &hits) in &file.lines {
            let slot = entry.1.entry(line).or_insert(0);
            *slot = slot.saturating_add(hits);
        }
        for (&line, ratio) in &file.branches {
            let slot = entry.2.entry(line).or_default();
            slot.covered = slot.covered.max(ratio.covered);
            slot.total = slot.total.max(ratio.total);
        }
    }
    let nothing_matches = || !per_file.iter().any(|file| mapper.map(&file.path).is_some());
    if merged.is_empty() && nothing_matches() {
        let changed_list = changed
            .files
            .keys()
            .take(3)
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = changed.files.len().saturating_sub(3);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let example = per_file
            .first()
            .map(|file| format!(", e.g. `{}`", file.path))
            .unwrap_or_default();
        outcome.problem = Some(format!(
            "no changed file appears in the coverage report of `{item}`: {} changed ({changed_list}{more}), none among the files it covers{example}; \
             if the report's paths are relative to another directory, give the prefix to strip (`--coverage-path-strip`)",
            changed.files.len(),
        ));
        return outcome;
    }
    if merged.is_empty() {
        outcome.problem = Some(format!(
            "the {format} report for `{item}` has no per-line data, so the coverage of the changed lines is unknown"
        ));
        return outcome;
    }
    let mut total = Ratio::default();
    let mut branches = Ratio::default();
    let mut has_branches = false;
    for (repo, (report_paths, hits, line_branches)) in &merged {
        let Some(change) = changed.files.get(*repo) else {
            continue;
        };
        let mut file_ratio = Ratio::default();
        for (&line, &count) in hits {
            if !change.contains(line) {
                continue;
            }
            file_ratio.total += 1;
            if count > 0 {
                file_ratio.covered += 1;
            } else if outcome.uncovered.len() < MAX_FINDINGS {
                outcome.uncovered.push(LineRef {
                    file: (*repo).to_string(),
                    line,
                });
            }
        }
        for (&line, ratio) in line_branches {
            has_branches = true;
            if change.contains(line) {
                branches.covered = branches.covered.saturating_add(ratio.covered);
                branches.total = branches.total.saturating_add(ratio.total);
            }
        }
        total.covered = total.covered.saturating_add(file_ratio.covered);
        total.total = total.total.saturating_add(file_ratio.total);
        outcome.files.push(PatchFile {
            path: (*repo).to_string(),
            report_path: report_paths
                .first()
                .map(|p| (*p).to_string())
                .unwrap_or_default(),
            lines: file_ratio,
        });
    }
    if total.total == 0 {
        outcome.problem = Some(format!(
            "the change touches no executable line of the {} changed {} in the coverage report of `{item}`",
            merged.len(),
            if merged.len() == 1 { "file" } else { "files" }
        ));
    }
    outcome.lines = Some(total);
    outcome.branches = has_branches.then_some(branches);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_hunks_give_new_line_numbers() {
        let diff = "diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -3,0 +4,2 @@ fn\n+x\n++++ y\n@@ -10 +12 @@\n-old\n+new\n@@ -20,2 +21,0 @@\n-a\n-b\ndiff --git a/gone.ts b/gone.ts\n--- a/gone.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n";
        let changed = ChangedLines::from_diff(diff, "test");
        assert_eq!(changed.files.len(), 1);
        assert_eq!(
            changed.files.get("src/a.ts"),
            Some(&FileChange::Lines([4, 5, 12].into_iter().collect()))
        );
    }

    #[test]
    fn report_paths_map_by_suffix() {
        let changed = ChangedLines::from_list("src/x.ts\nsrc/a.rs\n", "list");
        let workspace = vec![
            "src/x.ts".to_string(),
            "src/a.rs".to_string(),
            "vendor/lib/src/a.rs".to_string(),
        ];
        let mapper = PathMapper::new(&changed, &workspace, None);
        assert_eq!(
            mapper.map("/home/runner/work/app/app/src/x.ts"),
            Some("src/x.ts")
        );
        assert_eq!(mapper.map("C:\\work\\app\\src\\x.ts"), Some("src/x.ts"));
        assert_eq!(mapper.map("/builds/x/src/a.rs"), Some("src/a.rs"));
        assert_eq!(mapper.map("/builds/x/vendor/lib/src/a.rs"), None);
        assert_eq!(mapper.map("x.ts"), Some("src/x.ts"));
        assert_eq!(mapper.map("/builds/x/src/other.rs"), None);
        let strip = PathMapper::new(&changed, &workspace, Some("/builds/x/"));
        assert_eq!(strip.map("/builds/x/src/a.rs"), Some("src/a.rs"));
        assert_eq!(strip.map("/home/runner/src/a.rs"), None);
    }
}
