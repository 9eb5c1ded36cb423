//! `gate inspect` as a user runs it: human and JSON output for real corpus artifacts (snapshots),
//! several shards merged into one object, a forced format, and clear errors for bad input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

mod support;
use support::gate_without_colour as gate;

fn corpus(path: &str) -> String {
    format!("{}/corpus/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    // Paths differ between machines; keep the part inside the corpus.
    settings.add_filter(r#""path": "[^"]*/corpus/"#, r#""path": "corpus/"#);
    settings.add_filter(r"[^\s,]*/corpus/", "corpus/");
    settings
}

fn run(args: &[&str]) -> (i32, String, String) {
    let output = gate().args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn inspect_shows_what_the_gate_reads() {
    let cases = [
        (
            "inspect__lcov_human",
            vec![corpus("js/jest-lcov-mailflow/lcov.info")],
            "human",
        ),
        (
            "inspect__lcov_json",
            vec![corpus("js/jest-lcov-mailflow/lcov.info")],
            "json",
        ),
        (
            "inspect__junit_json",
            vec![corpus("native/pytest-junit-mixed/junit.xml")],
            "json",
        ),
        (
            "inspect__next_build_json",
            vec![corpus(
                "js/next-log-webpack-module-not-found/next-build.log",
            )],
            "json",
        ),
        (
            "inspect__artillery_json",
            vec![corpus("js/artillery-json-mailflow-mixed/report.json")],
            "json",
        ),
        (
            "inspect__npm_ls_json",
            vec![corpus("js/npm-ls-json-peer-invalid/npm-ls.json")],
            "json",
        ),
    ];
    for (name, paths, format) in cases {
        let mut args = vec!["inspect", "--format", format];
        args.extend(paths.iter().map(String::as_str));
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 0, "{name}: {stderr}");
        settings().bind(|| insta::assert_snapshot!(name, stdout));
    }
}

#[test]
fn several_shards_give_one_merged_object() {
    let shard = corpus("js/jest-lcov-mailflow/lcov.info");
    let other = corpus("js/c8-lcov-mailflow-smoke/lcov.info");
    let (code, stdout, stderr) = run(&["inspect", "--format", "json", &shard, &other]);
    assert_eq!(code, 0, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["kind"], "coverage");
    assert_eq!(value["provenance"].as_array().unwrap().len(), 2);
    // Merged line by line: at least as many covered lines as the larger shard.
    assert!(value["coverage"]["lines"]["covered"].as_u64().unwrap() >= 105);
}

#[test]
fn a_forced_format_and_bad_input_are_explained() {
    let lcov = corpus("js/jest-lcov-mailflow/lcov.info");
    let (code, _, stderr) = run(&["inspect", "--as", "junit", &lcov]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("lcov.info"),
        "the error names the file: {stderr}"
    );

    let (code, _, stderr) = run(&["inspect", "--as", "lcovv", &lcov]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `lcov`"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.xml");
    std::fs::write(&empty, "").unwrap();
    let (code, _, stderr) = run(&["inspect", empty.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("empty.xml") && stderr.contains("empty"),
        "{stderr}"
    );

    let binary = dir.path().join("coverage.info");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    let (code, _, stderr) = run(&["inspect", binary.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("coverage.info"), "{stderr}");
}
