//! Every folder of the corpus (`corpus/`): `gate inspect --format json` of its artifact has the shape
//! of the folder's `expected.json` (`kind`, `format` and the kind's object with the same keys) and
//! the same figures — counts exactly, percentages and milliseconds to the precision the tool
//! printed. Differences are listed in `KNOWN` with the reason; a listed difference that starts to
//! agree fails too, so the list stays true.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use std::path::PathBuf;

/// Folder -> the artifact file in it (the other files are the tools' consoles and oracles).
const ARTIFACTS: &[(&str, &str)] = &[
    ("js/artillery-json-mailflow-mixed", "report.json"),
    ("js/autocannon-json-personalize", "autocannon.json"),
    ("js/c8-lcov-mailflow-smoke", "lcov.info"),
    ("js/esbuild-log-unresolved", "esbuild.log"),
    ("js/jest-clover-mailflow", "clover.xml"),
    ("js/jest-cobertura-mailflow", "cobertura-coverage.xml"),
    ("js/jest-jsonsummary-mailflow", "coverage-summary.json"),
    ("js/jest-lcov-mailflow", "lcov.info"),
    ("js/jestjunit-junit-mailflow", "junit.xml"),
    ("js/jestjunit-junit-suite-error-default", "junit.xml"),
    ("js/jestjunit-junit-suite-error-suite-errors", "junit.xml"),
    ("js/next-log-turbopack-module-not-found", "next-build.log"),
    ("js/next-log-webpack-module-not-found", "next-build.log"),
    ("js/npm-install-log-eresolve", "npm-install.log"),
    ("js/npm-ls-json-peer-invalid", "npm-ls.json"),
    ("js/npm-ls-text-peer-invalid", "npm-ls.log"),
    ("js/tsc-log-alias-unresolved-pretty", "tsc-pretty.log"),
    ("js/tsc-log-alias-unresolved", "tsc.log"),
    ("js/vite-log-rolldown-unresolved", "vite-build.log"),
    ("js/webpack-log-module-not-found", "webpack.log"),
    ("native/cargo-build-human-unresolved", "cargo-build.log"),
    ("native/cargo-build-json-unresolved", "cargo-build.jsonl"),
    ("native/cargo-llvm-cov-cobertura-green", "cobertura.xml"),
    ("native/cargo-llvm-cov-json-green", "coverage.json"),
    ("native/cargo-llvm-cov-lcov-green", "lcov.info"),
    ("native/coveragepy-cobertura-branch", "coverage.xml"),
    ("native/coveragepy-cobertura-line-only", "coverage.xml"),
    ("native/coveragepy-json-branch", "coverage.json"),
    ("native/coveragepy-json-line-only", "coverage.json"),
    ("native/coveragepy-lcov-branch", "coverage.lcov"),
    ("native/coveragepy-lcov-line-only", "coverage.lcov"),
    ("native/go-build-missing-package", "go-build.log"),
    ("native/go-coverprofile-green", "cover.out"),
    ("native/gotestsum-junit-failing", "junit.xml"),
    ("native/locust-csv-mixed", "tenant_stats.csv"),
    ("native/mypy-missing-imports", "mypy.log"),
    ("native/nextest-junit-failing", "junit.xml"),
    ("native/pyright-missing-imports", "pyright.json"),
    ("native/pytest-junit-mixed", "junit.xml"),
    ("native/python-import-modulenotfound", "python-import.log"),
    ("native/wrk-text-mixed", "wrk-output.txt"),
];

/// (folder, key, why) — figures the artifact cannot give, so ours differs from the oracle, which
/// was read from another output of the same run.
const KNOWN: &[(&str, &str, &str)] = &[
    ("js/c8-lcov-mailflow-smoke", "statements", "LCOV has no statement records; the oracle is c8's text summary"),
    ("js/jest-clover-mailflow", "statements", "jest's clover.xml counts statements per file differently from istanbul's summary; see crates/evidence/tests/corpus_coverage.rs"),
    ("js/jest-cobertura-mailflow", "statements", "Cobertura has no statements; the oracle is istanbul's json-summary of the same run"),
    ("js/jest-lcov-mailflow", "statements", "LCOV has no statement records; the oracle is istanbul's json-summary of the same run"),
    ("native/coveragepy-lcov-branch", "statements", "coverage.py's LCOV does not say it is coverage.py's, so lines are not also statements"),
    ("native/coveragepy-lcov-line-only", "statements", "coverage.py's LCOV does not say it is coverage.py's, so lines are not also statements"),
    ("native/cargo-llvm-cov-lcov-green", "statements", "llvm-cov regions are not in the LCOV export"),
    ("native/cargo-llvm-cov-cobertura-green", "statements", "llvm-cov regions are not in the Cobertura export"),
    ("native/nextest-junit-failing", "total", "nextest leaves ignored tests out of junit.xml; the oracle is nextest's console summary"),
    ("native/nextest-junit-failing", "skipped", "nextest leaves ignored tests out of junit.xml; the oracle is nextest's console summary"),
    ("js/jestjunit-junit-suite-error-default", "errors", "jest-junit's default settings leave the suite that failed to run out of the XML; the oracle is jest's own summary"),
];

/// Keys we give that the oracle has no value for, with the reason.
const EXTRA: &[(&str, &str, &str)] = &[
    ("native/coveragepy-lcov-branch", "functions", "coverage.py's LCOV has function records (FN/FNDA); the oracle's text report has no function figure"),
    ("native/coveragepy-lcov-line-only", "functions", "coverage.py's LCOV has function records (FN/FNDA); the oracle's text report has no function figure"),
    ("js/artillery-json-mailflow-mixed", "error_rate_pct", "derived: (errors + responses >= 400) / requests; artillery prints no rate"),
    ("js/autocannon-json-personalize", "error_rate_pct", "derived: (errors + non-2xx) / requests; autocannon prints no rate"),
];

fn corpus() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
}

/// Decimal places of a JSON number as the oracle wrote it.
fn decimals(value: &Value) -> usize {
    let text = value.to_string();
    text.split_once('.')
        .map(|(_, fraction)| fraction.len())
        .unwrap_or(0)
}

fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) if e.is_f64() || a.is_f64() => {
            let (e, a) = (e.as_f64().unwrap(), a.as_f64().unwrap());
            // Our figure at the tool's precision (the decimals the oracle printed): tools round
            // (coverage.py, llvm-cov, Locust) or truncate (istanbul); ours is full precision.
            let scale = 10f64.powi(decimals(expected) as i32);
            let rounded = (a * scale).round() / scale;
            let truncated = (a * scale + 1e-9).trunc() / scale;
            (rounded - e).abs() <= 1e-9 || (truncated - e).abs() <= 1e-9
        }
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(key, value)| a.get(key).is_some_and(|other| same(value, other))),
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(x, y)| same(x, y))
        }
        _ => expected == actual,
    }
}

#[test]
fn every_corpus_folder_agrees_with_its_oracle() {
    let mut folders: Vec<String> = Vec::new();
    for set in ["js", "native"] {
        for entry in std::fs::read_dir(corpus().join(set)).unwrap() {
            let path = entry.unwrap().path();
            if path.join("expected.json").is_file() {
                folders.push(format!(
                    "{set}/{}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    folders.sort();
    let mut failures = Vec::new();
    let mut known_seen = Vec::new();
    for folder in &folders {
        let Some((_, artifact)) = ARTIFACTS.iter().find(|(name, _)| name == folder) else {
            failures.push(format!("{folder}: not in ARTIFACTS: add it"));
            continue;
        };
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(corpus().join(folder).join("expected.json")).unwrap(),
        )
        .unwrap();
        let kind = expected["kind"].as_str().unwrap();
        let evidence =
            match readiness_evidence::read_file(&corpus().join(folder).join(artifact), None) {
                Ok(evidence) => evidence,
                Err(error) => {
                    failures.push(format!("{folder}: {error}"));
                    continue;
                }
            };
        let ours = readiness_gate::inspect::to_json(&evidence);
        if ours["kind"] != expected["kind"] {
            failures.push(format!(
                "{folder}: kind {} but the oracle says {kind}",
                ours["kind"]
            ));
            continue;
        }
        let (Some(expected_figures), Some(our_figures)) =
            (expected[kind].as_object(), ours[kind].as_object())
        else {
            failures.push(format!("{folder}: no `{kind}` object"));
            continue;
        };
        for (key, value) in expected_figures {
            let agrees = our_figures.get(key).is_some_and(|ours| same(value, ours));
            let known = KNOWN.iter().any(|(f, k, _)| f == folder && k == key);
            match (agrees, known) {
                (true, false) => {}
                (false, true) => known_seen.push(format!("{folder}.{key}")),
                (true, true) => {
                    failures.push(format!("{folder}.{key} now agrees: remove it from KNOWN"))
                }
                (false, false) => failures.push(format!(
                    "{folder}.{key}: expected {value}, ours {}",
                    our_figures
                        .get(key)
                        .map(Value::to_string)
                        .unwrap_or_else(|| "nothing".into())
                )),
            }
        }
        for key in our_figures.keys() {
            if !expected_figures.contains_key(key)
                && !EXTRA.iter().any(|(f, k, _)| f == folder && k == key)
            {
                failures.push(format!(
                    "{folder}: we give `{key}`, which the oracle's shape does not have"
                ));
            }
        }
        assert!(
            ours["provenance"][0]["sha256"]
                .as_str()
                .is_some_and(|s| s.len() == 64),
            "{folder}: provenance sha256"
        );
    }
    assert_eq!(
        folders.len(),
        ARTIFACTS.len(),
        "ARTIFACTS lists a folder that is gone"
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        known_seen.len(),
        KNOWN.len(),
        "every KNOWN entry should still be a difference: {known_seen:?}"
    );
}
