//! Patch coverage: `coverage.patch.lines` and `coverage.patch.branches` are the coverage of the
//! lines a change touched, over changed *executable* lines only (a changed comment or blank line
//! is not in the coverage report, so it neither helps nor hurts).
//!
//! The changed lines are loaded before evaluation by [`crate::repo::changes`] (from git, a diff or
//! a list) and handed in as plain data; nothing here runs git or reads a file.
//!
//! Coverage reports name files as the tool saw them: absolute (`/home/runner/work/app/app/src/x.ts`,
//! `SF:/builds/x/src/a.rs`), or relative to another directory. [`PathMapper`] (in
//! [`crate::repo::paths`], shared with the reporters' path mapping) maps a report path to a
//! repository path by the longest suffix match against the changed files (checked against the
//! workspace files, so `vendor/lib/src/a.rs` is not taken for `src/a.rs`); a prefix to strip
//! overrides the guess. When no changed file matches any file of the report, patch coverage is
//! unknown with a loud reason, never 100% or 0%.

use super::outcome::{LineRef, PatchFile, PatchOutcome, MAX_FINDINGS};
pub use crate::repo::changes::{ChangedLines, FileChange};
pub use crate::repo::paths::PathMapper;
use readiness_evidence::{FileCoverage, FileLines, Ratio};
use std::collections::BTreeMap;

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
