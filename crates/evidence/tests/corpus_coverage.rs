//! Every coverage folder of the corpus (`corpus/`) (`expected.json` with `"kind": "coverage"`) must
//! agree with its oracle: counts exactly, percentages to the precision the tool printed, `files`
//! exactly. A figure the oracle has that the format cannot carry, or a figure we read that the
//! oracle does not print, is allowed only where [`KNOWN`] says why; anything else fails.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use readiness_evidence::{read_file, CoverageFigures, Figures, Kind, Ratio};
use serde_json::Value;
use std::path::{Path, PathBuf};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");

#[derive(Debug, Clone, Copy, PartialEq)]
enum Difference {
    /// The oracle has this figure; the format does not carry it, so we report `None`.
    Missing,
    /// We read this figure from the artifact; the oracle does not print it.
    Extra,
}

/// (folder, figure, difference, why).
const KNOWN: &[(&str, &str, Difference, &str)] = &[
    (
        "js/jest-lcov-mailflow",
        "statements",
        Difference::Missing,
        "LCOV has no statement records; istanbul's statement count (159) differs from its line \
         count (152) and is not in the tracefile",
    ),
    (
        "js/c8-lcov-mailflow-smoke",
        "statements",
        Difference::Missing,
        "LCOV has no statement records; c8 counts statements as lines, but a tracefile does not \
         say it was written by c8",
    ),
    (
        "js/jest-cobertura-mailflow",
        "statements",
        Difference::Missing,
        "Cobertura has lines and branches only; istanbul's statement count is not in the XML",
    ),
    (
        "js/jest-clover-mailflow",
        "statements",
        Difference::Missing,
        "istanbul's clover reporter writes its LINE counts under the name `statements` \
         (152/105, the oracle's lines); its real statement count is not in the XML",
    ),
    (
        "native/cargo-llvm-cov-lcov-green",
        "statements",
        Difference::Missing,
        "the oracle's statements are llvm-cov regions, which the LCOV export does not carry",
    ),
    (
        "native/cargo-llvm-cov-cobertura-green",
        "statements",
        Difference::Missing,
        "the oracle's statements are llvm-cov regions, which the Cobertura export does not carry",
    ),
    (
        "native/coveragepy-lcov-line-only",
        "statements",
        Difference::Missing,
        "coverage.py's statements are its lines, but a tracefile does not say it was written by \
         coverage.py (its Cobertura XML does, in a comment, and there statements are filled)",
    ),
    (
        "native/coveragepy-lcov-branch",
        "statements",
        Difference::Missing,
        "coverage.py's statements are its lines, but a tracefile does not say it was written by \
         coverage.py",
    ),
    (
        "native/coveragepy-lcov-line-only",
        "functions",
        Difference::Extra,
        "coverage.py's lcov writer emits FN/FNDA records (13 of 13 here) but coverage.py's own \
         totals have no function figure",
    ),
    (
        "native/coveragepy-lcov-branch",
        "functions",
        Difference::Extra,
        "coverage.py's lcov writer emits FN/FNDA records but coverage.py's own totals have no \
         function figure",
    ),
];

/// How the tool turned counts into the percentage it printed.
fn printed(tool: &str, pct: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    if tool == "jest" || tool == "c8" {
        // istanbul-lib-coverage: Math.floor(covered / total * 10000) / 100
        (pct * scale + 1e-9).floor() / scale
    } else {
        // coverage.py, llvm-cov, go tool cover: rounded (printf-style)
        (pct * scale).round() / scale
    }
}

/// Decimals of a printed number, recovered from its value (at most 2).
fn decimals(value: f64) -> i32 {
    (0..=2)
        .find(|d| {
            let scaled = value * 10f64.powi(*d);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(2)
}

fn figure(figures: &CoverageFigures, name: &str) -> Option<Ratio> {
    match name {
        "lines" => figures.lines,
        "branches" => figures.branches,
        "functions" => figures.functions,
        "statements" => figures.statements,
        _ => None,
    }
}

fn known(folder: &str, name: &str) -> Option<(Difference, &'static str)> {
    KNOWN
        .iter()
        .find(|(f, n, _, _)| *f == folder && *n == name)
        .map(|(_, _, difference, why)| (*difference, *why))
}

fn coverage_folders() -> Vec<(String, PathBuf, Value)> {
    let mut found = Vec::new();
    for set in ["js", "native"] {
        let Ok(entries) = std::fs::read_dir(Path::new(CORPUS).join(set)) else {
            continue;
        };
        for entry in entries.flatten() {
            let dir = entry.path();
            let Ok(text) = std::fs::read_to_string(dir.join("expected.json")) else {
                continue;
            };
            let expected: Value = serde_json::from_str(&text).unwrap();
            if expected["kind"] != "coverage" {
                continue;
            }
            let name = format!("{set}/{}", entry.file_name().to_string_lossy());
            found.push((name, dir, expected));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// The artifact of a folder: the one file that is not HOW.md, expected.json or tool console
/// output (`*.txt`, `*.log`).
fn artifact(dir: &Path) -> PathBuf {
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name != "HOW.md"
                && name != "expected.json"
                && !name.ends_with(".txt")
                && !name.ends_with(".log")
        })
        .collect();
    assert_eq!(
        candidates.len(),
        1,
        "{}: artifacts {candidates:?}",
        dir.display()
    );
    candidates.remove(0)
}

fn check(folder: &str, dir: &Path, expected: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let path = artifact(dir);
    let evidence = match read_file(&path, None) {
        Ok(evidence) => evidence,
        Err(error) => return vec![format!("{folder}: {error}")],
    };
    assert_eq!(evidence.kind, Kind::Coverage, "{folder}");
    let Figures::Coverage(figures) = evidence.figures else {
        return vec![format!("{folder}: not coverage figures")];
    };
    let tool = expected["tool"].as_str().unwrap_or_default();
    let oracle = &expected["coverage"];
    for name in ["lines", "branches", "functions", "statements"] {
        let ours = figure(&figures, name);
        let theirs = &oracle[name];
        match (theirs.is_object(), ours) {
            (true, Some(ours)) => {
                if let (Some(covered), Some(total)) =
                    (theirs["covered"].as_u64(), theirs["total"].as_u64())
                {
                    if (ours.covered, ours.total) != (covered, total) {
                        problems.push(format!(
                            "{folder}: {name} {}/{} but the oracle has {covered}/{total}",
                            ours.covered, ours.total
                        ));
                    }
                }
                if let Some(pct) = theirs["pct"].as_f64() {
                    let shown = printed(tool, ours.pct(), decimals(pct));
                    if (shown - pct).abs() > 1e-9 {
                        problems.push(format!(
                            "{folder}: {name} pct {} prints as {shown}, the oracle printed {pct}",
                            ours.pct()
                        ));
                    }
                }
                if known(folder, name).is_some() {
                    problems.push(format!("{folder}: {name} is listed in KNOWN but agrees"));
                }
            }
            (true, None) => match known(folder, name) {
                Some((Difference::Missing, _why)) => {}
                _ => problems.push(format!(
                    "{folder}: {name} is missing; the oracle has {theirs}"
                )),
            },
            (false, Some(ours)) => match known(folder, name) {
                Some((Difference::Extra, _why)) => {}
                _ => problems.push(format!(
                    "{folder}: we read {name} {}/{} but the oracle has none",
                    ours.covered, ours.total
                )),
            },
            (false, None) => {
                if known(folder, name).is_some() {
                    problems.push(format!("{folder}: {name} is listed in KNOWN but agrees"));
                }
            }
        }
    }
    if Some(figures.files) != oracle["files"].as_u64() {
        problems.push(format!(
            "{folder}: files {} but the oracle has {}",
            figures.files, oracle["files"]
        ));
    }
    if figures.per_file.len() as u64 != figures.files {
        problems.push(format!(
            "{folder}: per_file has {} entries",
            figures.per_file.len()
        ));
    }
    // coverage.py's headline (its `coverage report` TOTAL "Cover") is exposed apart from lines.
    if tool == "coverage.py" {
        let branch = oracle["branches"].is_object();
        let format = expected["format"].as_str().unwrap_or_default();
        match (&figures.headline, branch, format) {
            (Some(headline), true, _) => {
                let lines = figures.lines.unwrap_or_default();
                let branches = figures.branches.unwrap_or_default();
                assert_eq!(
                    headline.ratio.covered,
                    lines.covered + branches.covered,
                    "{folder}"
                );
                assert_eq!(
                    headline.ratio.total,
                    lines.total + branches.total,
                    "{folder}"
                );
                // `coverage report` printed TOTAL ... 91%
                assert_eq!(headline.ratio.pct().round(), 91.0, "{folder}");
            }
            (None, true, "lcov") => {} // a tracefile does not say it came from coverage.py
            (None, false, _) => {}
            (headline, _, _) => {
                problems.push(format!("{folder}: unexpected headline {headline:?}"));
            }
        }
    } else if figures.headline.is_some() {
        problems.push(format!(
            "{folder}: unexpected headline {:?}",
            figures.headline
        ));
    }
    problems
}

#[test]
fn every_coverage_folder_agrees_with_its_oracle() {
    let folders = coverage_folders();
    assert!(
        folders.len() >= 14,
        "found only {} coverage folders",
        folders.len()
    );
    let mut problems = Vec::new();
    for (folder, dir, expected) in &folders {
        problems.extend(check(folder, dir, expected));
    }
    for (folder, name, _, why) in KNOWN {
        assert!(!why.is_empty());
        assert!(
            folders.iter().any(|(f, _, _)| f == folder),
            "KNOWN names {folder} ({name}), which is not a coverage folder"
        );
    }
    assert!(
        problems.is_empty(),
        "disagreements:\n{}",
        problems.join("\n")
    );
}

#[test]
fn formats_are_sniffed_from_content() {
    let want = [
        ("js/c8-lcov-mailflow-smoke", "lcov"),
        ("js/jest-lcov-mailflow", "lcov"),
        ("js/jest-cobertura-mailflow", "cobertura"),
        ("js/jest-clover-mailflow", "clover"),
        ("js/jest-jsonsummary-mailflow", "istanbul-summary"),
        ("native/cargo-llvm-cov-cobertura-green", "cobertura"),
        ("native/cargo-llvm-cov-json-green", "llvm-cov-json"),
        ("native/cargo-llvm-cov-lcov-green", "lcov"),
        ("native/coveragepy-cobertura-branch", "cobertura"),
        ("native/coveragepy-json-branch", "coveragepy-json"),
        ("native/coveragepy-lcov-line-only", "lcov"),
        ("native/go-coverprofile-green", "go-cover"),
    ];
    for (folder, format) in want {
        let dir = Path::new(CORPUS).join(folder);
        let evidence = read_file(&artifact(&dir), None).unwrap();
        assert_eq!(evidence.format.name(), format, "{folder}");
    }
}
