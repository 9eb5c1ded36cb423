//! What a change touched: the changed lines of a pull request, for patch coverage and
//! `when changed` gates.
//!
//! - [`changed_lines`]: from git, `git diff --unified=0` of the working tree against the merge
//!   base of the base ref and `HEAD` (through the one hardened invocation of [`super::git`]);
//! - [`ChangedLines::from_diff`]: from a unified diff given as a file (`--patch`);
//! - [`ChangedLines::from_list`]: from a list of changed files (`--changed-files`), every line of
//!   each counting as changed;
//! - [`changed_files`]: the changed file names for `when changed` (deleted files included), from
//!   `git diff --name-only -z`.
//!
//! The unified-diff parser is hand-written: it walks each hunk by its counts (so a content line
//! starting with `+++` or `@@` is never a header) and needs nothing of a diff crate's model.

use super::git::{Git, GitError};
use super::paths::normalize;
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

/// Why the changed lines could not be read from git.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("`{0}` is not in a git repository, so its changed lines are unknown")]
    NotARepository(String),
    #[error(
        "`{base}` is not in this shallow clone, so the changed lines are unknown: {FETCH_MORE}"
    )]
    ShallowMissingBase { base: String },
    #[error(
        "`{base}` is not a commit in this repository: fetch it (e.g. `git fetch origin {branch}`)"
    )]
    UnknownBase { base: String, branch: String },
    #[error("cannot find the merge base of `{base}` and HEAD: this clone is shallow, so their common history is missing; {FETCH_MORE}")]
    ShallowNoMergeBase { base: String },
    #[error("`{base}` and HEAD have no common history, so the changed lines are unknown")]
    NoCommonHistory { base: String },
    #[error("cannot list the changed lines: {0}")]
    Git(GitError),
}

const FETCH_MORE: &str = "fetch more history: `fetch-depth: 0` in actions/checkout, or `git fetch --unshallow` (or `--deepen=<n>`) and the base branch";

/// The merge base of `base_ref` and `HEAD` in `workspace`'s repository, with errors that say
/// what to fetch.
fn merge_base(git: &Git, workspace: &Path, base_ref: &str) -> Result<String, ChangeError> {
    if !git.is_repository() {
        return Err(ChangeError::NotARepository(workspace.display().to_string()));
    }
    let shallow = git.is_shallow();
    if git.commit_of(base_ref).map_err(ChangeError::Git)?.is_none() {
        return Err(if shallow {
            ChangeError::ShallowMissingBase {
                base: base_ref.to_string(),
            }
        } else {
            ChangeError::UnknownBase {
                base: base_ref.to_string(),
                branch: base_ref.trim_start_matches("origin/").to_string(),
            }
        });
    }
    git.merge_base("HEAD", base_ref)
        .map_err(|error| match error {
            _ if shallow => ChangeError::ShallowNoMergeBase {
                base: base_ref.to_string(),
            },
            GitError::Failed { ref detail, .. } if detail.starts_with("git failed") => {
                ChangeError::NoCommonHistory {
                    base: base_ref.to_string(),
                }
            }
            other => ChangeError::Git(other),
        })
}

/// The changed lines between the merge base of `base_ref` and `HEAD`, and the working tree,
/// paths relative to `workspace`. When the merge base cannot be found because the clone is
/// shallow, the error says to fetch more history.
pub fn changed_lines(workspace: &Path, base_ref: &str) -> Result<ChangedLines, ChangeError> {
    let git = Git::at(workspace);
    let base = merge_base(&git, workspace, base_ref)?;
    let diff = git.diff_unified0(&base).map_err(ChangeError::Git)?;
    let source = format!(
        "git diff --unified=0 {} (merge base of `{base_ref}` and HEAD)",
        super::git::short_commit(&base)
    );
    Ok(ChangedLines::from_diff(&diff, &source))
}

/// The files changed between the merge base of `base_ref` and `HEAD`, and the working tree
/// (deleted files included), relative to `workspace`.
pub fn changed_files(workspace: &Path, base_ref: &str) -> Result<Vec<String>, ChangeError> {
    let git = Git::at(workspace);
    let base = merge_base(&git, workspace, base_ref)?;
    let names = git.changed_names(&base).map_err(ChangeError::Git)?;
    Ok(names.iter().map(|name| normalize(name)).collect())
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
    fn quoted_and_spaced_paths() {
        let diff = "+++ \"b/src/caf\\303\\251.ts\"\n@@ -0,0 +1 @@\n+x\n+++ b/a folder/x.ts\t\n@@ -0,0 +1 @@\n+y\n";
        let changed = ChangedLines::from_diff(diff, "test");
        assert!(
            changed.files.contains_key("src/café.ts"),
            "{:?}",
            changed.files
        );
        assert!(
            changed.files.contains_key("a folder/x.ts"),
            "{:?}",
            changed.files
        );
    }
}
