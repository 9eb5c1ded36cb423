//! `gate test`: every policy in policies/ passes its snapshot cases (policies/fixtures/<stem>/,
//! found by `default_cases_dir`), a flipped gate is reported with a readable diff, and accepting
//! rewrites the snapshot.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

use readiness_gate::lifecycle::policy_test::{self, CaseStatus, Snapshot};
use readiness_gate::report::policy_test as test_report;
use std::path::{Path, PathBuf};

mod support;
use support::root;

const TODAY: time::Date = time::macros::date!(2026 - 11 - 21);

fn policies() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("policies"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "gate"))
        .collect();
    found.sort();
    found
}

#[test]
fn every_shipped_policy_passes_its_cases() {
    // GATE_ACCEPT=1 rewrites the shipped snapshots after review.
    let accept = std::env::var_os("GATE_ACCEPT").is_some();
    let started = std::time::Instant::now();
    let mut cases = 0;
    for policy in policies() {
        let dir = policy_test::default_cases_dir(&policy);
        assert!(
            dir.ends_with(format!(
                "fixtures/{}",
                policy.file_stem().unwrap().to_string_lossy()
            )),
            "{}",
            dir.display()
        );
        let report = policy_test::run_cases(&policy, &dir, accept, TODAY).unwrap();
        assert!(report.succeeded(), "{}", test_report::render(&report));
        for case in &report.cases {
            assert!(
                case.dir.join("expected.outcome").is_file(),
                "{} has no snapshot",
                case.dir.display()
            );
        }
        cases += report.cases.len();
    }
    assert!(cases >= 4);
    eprintln!(
        "gate test: {cases} shipped cases in {} ms",
        started.elapsed().as_millis()
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the rust-crate policy with its `ready` case, without its snapshot.
fn scratch() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("rust-crate.gate");
    std::fs::copy(root().join("policies/rust-crate.gate"), &policy).unwrap();
    let case = dir.path().join("rust-crate.tests/ready");
    copy_dir(&root().join("policies/fixtures/rust-crate/ready"), &case);
    let _ = std::fs::remove_file(case.join("expected.outcome"));
    (dir, policy, case)
}

#[test]
fn a_new_case_is_reported_and_accept_writes_its_snapshot() {
    let (_dir, policy, case) = scratch();
    let cases = policy_test::default_cases_dir(&policy);
    assert_eq!(cases, case.parent().unwrap());

    let report = policy_test::run_cases(&policy, &cases, false, TODAY).unwrap();
    assert_eq!(report.cases[0].status, CaseStatus::New { written: false });
    assert!(!report.succeeded(), "a new case without --accept fails");
    assert!(
        test_report::render(&report)
            .contains("new      ready  (no snapshot yet: ready, score 100%"),
        "{}",
        test_report::render(&report)
    );
    assert!(!case.join("expected.outcome").exists());

    let report = policy_test::run_cases(&policy, &cases, true, TODAY).unwrap();
    assert_eq!(report.cases[0].status, CaseStatus::New { written: true });
    assert!(report.succeeded());
    let written = std::fs::read_to_string(case.join("expected.outcome")).unwrap();
    assert!(written.contains("\nverdict ready\n"), "{written}");
    assert!(written.contains("\ntoday 2026-11-21\n"), "{written}");
    assert!(
        written.contains("\ngate dependency policy  pass\n"),
        "{written}"
    );

    let report = policy_test::run_cases(&policy, &cases, false, TODAY).unwrap();
    assert_eq!(report.cases[0].status, CaseStatus::Pass);
}

#[test]
fn a_flipped_gate_is_a_readable_diff_and_accept_updates_the_snapshot() {
    let (_dir, policy, case) = scratch();
    let cases = case.parent().unwrap().to_path_buf();
    policy_test::run_cases(&policy, &cases, true, TODAY).unwrap();
    let before = std::fs::read_to_string(case.join("expected.outcome")).unwrap();

    // The change under test: the dependency policy is deleted.
    std::fs::remove_file(case.join("deny.toml")).unwrap();
    let report = policy_test::run_cases(&policy, &cases, false, TODAY).unwrap();
    let CaseStatus::Changed { diff, accepted } = &report.cases[0].status else {
        panic!("expected a change:\n{}", test_report::render(&report));
    };
    assert!(!accepted);
    assert!(!report.succeeded());
    assert!(
        diff.contains(&"verdict: ready -> not ready".to_string())
            || diff.iter().any(|l| l.starts_with("score: 100% -> ")),
        "{diff:#?}"
    );
    assert!(
        diff.iter().any(|line| line.starts_with("gate `dependency policy`: pass -> fail; `exists(\"deny.toml\")` pass -> fail, true -> false")),
        "{diff:#?}"
    );
    let rendered = test_report::render(&report);
    assert!(rendered.contains("CHANGED  ready"), "{rendered}");
    assert!(rendered.contains("run `gate test --accept`"), "{rendered}");
    // Not accepted: the snapshot is untouched.
    assert_eq!(
        std::fs::read_to_string(case.join("expected.outcome")).unwrap(),
        before
    );

    let report = policy_test::run_cases(&policy, &cases, true, TODAY).unwrap();
    assert!(matches!(
        report.cases[0].status,
        CaseStatus::Changed { accepted: true, .. }
    ));
    assert!(report.succeeded());
    let after = std::fs::read_to_string(case.join("expected.outcome")).unwrap();
    assert_ne!(after, before);
    assert!(
        after.contains("\ngate dependency policy  fail\n"),
        "{after}"
    );
    let report = policy_test::run_cases(&policy, &cases, false, TODAY).unwrap();
    assert_eq!(
        report.cases[0].status,
        CaseStatus::Pass,
        "{}",
        test_report::render(&report)
    );
}

#[test]
fn a_case_is_judged_as_of_its_snapshot_date_and_its_own_files_are_hidden() {
    let (_dir, policy, case) = scratch();
    let cases = case.parent().unwrap().to_path_buf();
    // A policy that counts every file: the snapshot, changes.txt and baseline.json must not count.
    let source = std::fs::read_to_string(&policy).unwrap().replace(
        "gate \"changelog\" {",
        "gate \"file count\" {\n      expect files(\"*\").count == 5\n    }\n    gate \"changelog\" {",
    );
    std::fs::write(&policy, source).unwrap();
    std::fs::write(case.join("changes.txt"), "src/lib.rs\n").unwrap();
    policy_test::run_cases(&policy, &cases, true, TODAY).unwrap();
    let report =
        policy_test::run_cases(&policy, &cases, false, time::macros::date!(2030 - 01 - 01))
            .unwrap();
    assert_eq!(
        report.cases[0].status,
        CaseStatus::Pass,
        "{}",
        test_report::render(&report)
    );
    let text = std::fs::read_to_string(case.join("expected.outcome")).unwrap();
    assert!(text.contains("gate file count  pass"), "{text}");
}

#[test]
fn snapshots_read_back_what_they_wrote() {
    for policy in policies() {
        for entry in std::fs::read_dir(policy_test::default_cases_dir(&policy)).unwrap() {
            let text =
                std::fs::read_to_string(entry.unwrap().path().join("expected.outcome")).unwrap();
            let snapshot = Snapshot::parse(&text).unwrap();
            assert_eq!(snapshot.render(), text);
        }
    }
    // Values that need quoting survive.
    let mut snapshot = Snapshot::parse("verdict ready\nscore 100%\nlevel -\n").unwrap();
    snapshot.categories.push(policy_test::CategorySnapshot {
        name: "odd".into(),
        points: "1/1 points".into(),
        gates: vec![policy_test::GateSnapshot {
            name: "two  spaces \"quoted\"".into(),
            status: "pass".into(),
            traits: vec!["2 points".into()],
            result: None,
            expectations: vec![policy_test::ExpectationSnapshot {
                text: "file(\"a  b\").contains(/x\\d/)".into(),
                status: "pass".into(),
                actual: Some("\"  padded \"".into()),
                need: Some(String::new()),
                why: None,
            }],
        }],
    });
    assert_eq!(
        Snapshot::parse(&snapshot.render()).unwrap(),
        snapshot,
        "{}",
        snapshot.render()
    );
}

#[test]
fn missing_cases_folder_and_invalid_policy_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.gate");
    std::fs::write(
        &policy,
        std::fs::read_to_string(root().join("policies/rust-crate.gate")).unwrap(),
    )
    .unwrap();
    let error =
        policy_test::run_cases(&policy, &dir.path().join("p.tests"), false, TODAY).unwrap_err();
    assert!(
        error.to_string().starts_with("no policy test cases in"),
        "{error}"
    );
    std::fs::write(
        &policy,
        "policy \"x\" { target 90% category a weight 1 { gate \"g\" { expect nope.lines >= 1 } } }",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("p.tests/one")).unwrap();
    let error =
        policy_test::run_cases(&policy, &dir.path().join("p.tests"), false, TODAY).unwrap_err();
    assert!(error.to_string().contains("has 1 error"), "{error}");
}
