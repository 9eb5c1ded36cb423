//! Shared by the `corpus_*` tests: walks the corpus folders of one kind, reads the artifact(s) of
//! each with the format its `expected.json` names, and compares the figures with the oracle.
//!
//! Comparison: every key of the oracle's figures object must be in ours and equal: counts and
//! strings exactly, numbers with decimals to the precision the oracle printed (half a unit of its
//! last decimal). Keys the oracle does not list (derived figures, per-endpoint tables) are not
//! compared here; the fixture tests pin them.
//!
//! Where the artifact cannot carry an oracle figure, the gap is listed in `known_gaps` with the
//! value we do read and the reason: the test pins that value (so a change is noticed) instead of
//! the oracle's.

use readiness_evidence::{read_file, read_files, Format, Kind};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");

/// A figure the artifact cannot carry: (folder, key, the value we read, why).
pub type KnownGap = (&'static str, &'static str, Value, &'static str);

/// Our format for the oracle's `format` name.
fn format_for(oracle_format: &str) -> Option<Format> {
    let name = match oracle_format {
        "junit-xml" => "junit",
        "artillery-json" => "artillery",
        "autocannon-json" => "autocannon",
        "k6-json" | "k6-summary-json" => "k6",
        "locust-csv" => "locust",
        "wrk-text" => "wrk",
        "npm-install-log" => "npm-install",
        "npm-ls-json" => "npm-ls-json",
        "npm-ls-text" => "npm-ls",
        other => other,
    };
    Format::from_name(name)
}

/// Corpus folders whose `expected.json` has this kind, sorted.
pub fn folders_of_kind(kind: Kind) -> Vec<PathBuf> {
    let mut folders = Vec::new();
    for set in ["js", "native"] {
        let Ok(entries) = std::fs::read_dir(Path::new(CORPUS).join(set)) else {
            continue;
        };
        for entry in entries.flatten() {
            let expected = entry.path().join("expected.json");
            let Ok(text) = std::fs::read_to_string(&expected) else {
                continue;
            };
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["kind"] == kind.name() {
                folders.push(entry.path());
            }
        }
    }
    folders.sort();
    folders
}

/// Reads one corpus folder and returns the mismatches (empty when it agrees with the oracle).
pub fn check_folder(folder: &Path, known_gaps: &[KnownGap]) -> Vec<String> {
    let name = folder.file_name().unwrap().to_string_lossy().into_owned();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("expected.json")).unwrap())
            .unwrap();
    let kind = expected["kind"].as_str().unwrap().to_string();
    let oracle_format = expected["format"].as_str().unwrap_or_default();
    let Some(format) = format_for(oracle_format) else {
        return vec![format!(
            "{name}: no reader for oracle format `{oracle_format}`"
        )];
    };
    let mut artifacts: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            let file = path.file_name().unwrap().to_string_lossy();
            file != "HOW.md" && file != "expected.json"
        })
        .filter(|path| matches!(read_file(path, None), Ok(evidence) if evidence.format == format))
        .collect();
    artifacts.sort();
    if artifacts.is_empty() {
        return vec![format!("{name}: no file is sniffed as `{format}`")];
    }
    let evidence = match read_files(&artifacts, None) {
        Ok(evidence) => evidence,
        Err(error) => return vec![format!("{name}: {error}")],
    };
    let ours = serde_json::to_value(&evidence.figures).unwrap();
    let ours = &ours[kind.as_str()];
    let mut problems = Vec::new();
    let Some(oracle) = expected[kind.as_str()].as_object() else {
        return vec![format!("{name}: expected.json has no `{kind}` object")];
    };
    for (key, want) in oracle {
        let got = &ours[key.as_str()];
        if let Some((_, _, pinned, reason)) = known_gaps
            .iter()
            .find(|(folder, gap_key, _, _)| *folder == name && gap_key == key)
        {
            if !agrees(pinned, got) {
                problems.push(format!(
                    "{name}: `{key}` is {got}, the documented gap pins {pinned} ({reason})"
                ));
            }
            continue;
        }
        if !agrees(want, got) {
            problems.push(format!("{name}: `{key}` is {got}, the oracle says {want}"));
        }
    }
    problems
}

/// Equality to the oracle's printed precision.
fn agrees(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Number(want), Value::Number(got)) => {
            if let (Some(want), Some(got)) = (want.as_u64(), got.as_u64()) {
                return want == got;
            }
            let (Some(want), Some(got)) = (want.as_f64(), got.as_f64()) else {
                return false;
            };
            let printed = format!("{want}");
            let decimals = printed
                .split_once('.')
                .map_or(0, |(_, fraction)| fraction.len());
            let tolerance = 0.5 * 10f64.powi(-(decimals as i32)) + 1e-9;
            (want - got).abs() <= tolerance
        }
        (Value::Object(want), Value::Object(got)) => {
            want.len() == got.len()
                && want
                    .iter()
                    .all(|(key, value)| got.get(key).is_some_and(|got| agrees(value, got)))
        }
        (Value::Array(want), Value::Array(got)) => {
            want.len() == got.len() && want.iter().zip(got).all(|(want, got)| agrees(want, got))
        }
        (want, got) => want == got,
    }
}

/// Walks every folder of `kind`, checks each, and fails listing all mismatches.
pub fn check_kind(kind: Kind, known_gaps: &[KnownGap]) {
    let folders = folders_of_kind(kind);
    assert!(
        !folders.is_empty(),
        "no corpus folder of kind `{}` under {CORPUS}",
        kind.name()
    );
    let problems: Vec<String> = folders
        .iter()
        .flat_map(|folder| check_folder(folder, known_gaps))
        .collect();
    assert!(
        problems.is_empty(),
        "{} mismatches with the oracle across {} `{}` corpus folders:\n{}",
        problems.len(),
        folders.len(),
        kind.name(),
        problems.join("\n")
    );
    for (folder, key, _, _) in known_gaps {
        assert!(
            folders.iter().any(|path| path.ends_with(folder)),
            "known gap for missing folder {folder} ({key})"
        );
    }
}
