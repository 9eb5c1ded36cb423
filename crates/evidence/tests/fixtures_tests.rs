//! JUnit reader: one fixture per dialect and per bad-input class (`fixtures/tests/`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use readiness_evidence::{
    read_file, read_files, FailingCase, Figures, Format, Location, ReadError, TestFigures,
};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tests")).join(name)
}

/// Reads a fixture with the format sniffed, checking that it is sniffed as JUnit.
fn tests(name: &str) -> TestFigures {
    let evidence = read_file(&fixture(name), None).unwrap();
    assert_eq!(evidence.format, Format::Junit, "{name}");
    match evidence.figures {
        Figures::Tests(figures) => figures,
        other => panic!("{name}: not test figures: {other:?}"),
    }
}

fn counts(figures: &TestFigures) -> (u64, u64, u64, u64, u64) {
    (
        figures.total,
        figures.passed,
        figures.failed,
        figures.errors,
        figures.skipped,
    )
}

fn approx(value: Option<f64>, want: f64) -> bool {
    value.is_some_and(|value| (value - want).abs() < 1e-9)
}

/// Reading a fixture forced as JUnit fails with an error naming the file.
fn error(name: &str) -> ReadError {
    let path = fixture(name);
    let error = read_file(&path, Some(Format::Junit)).unwrap_err();
    assert_eq!(error.path(), Some(path.as_path()), "{name}: {error}");
    error
}

#[test]
fn surefire_flaky_cases_pass_and_rerun_failures_count_once() {
    let figures = tests("surefire-flaky.xml");
    // computesTotal and retriesThenPasses (flakyFailure only) passed; alwaysFails failed once
    // despite its rerunFailure; connectsToDb errored; disabledForNow skipped.
    assert_eq!(counts(&figures), (5, 2, 1, 1, 1));
    assert!(approx(figures.duration_s, 1.234));
    assert_eq!(
        figures.failures,
        vec![
            FailingCase {
                suite: "com.example.BillingTest".into(),
                name: "alwaysFails".into(),
                file: Some("BillingTest.java".into()),
                line: Some(42),
                message: "expected: <100> but was: <90>".into(),
            },
            FailingCase {
                suite: "com.example.BillingTest".into(),
                name: "connectsToDb".into(),
                file: Some("Db.java".into()),
                line: Some(12),
                message: "Connection refused".into(),
            },
        ]
    );
}

#[test]
fn nested_testsuites_count_each_case_once() {
    let figures = tests("nested-testsuites.xml");
    assert_eq!(counts(&figures), (5, 3, 1, 0, 1));
    assert!(approx(figures.duration_s, 3.5));
    assert_eq!(figures.failures.len(), 1);
    assert_eq!(figures.failures[0].suite, "root.api");
    assert_eq!(figures.failures[0].name, "creates");
    assert_eq!(figures.failures[0].message, "409 instead of 201");
}

#[test]
fn missing_counts_are_recomputed_from_cases() {
    let figures = tests("missing-counts.xml");
    assert_eq!(counts(&figures), (4, 2, 1, 0, 1));
    // No suite has a time: the cases' times are summed.
    assert!(approx(figures.duration_s, 1.0));
    assert_eq!(figures.failures[0].message, "expected an error");
}

#[test]
fn a_suite_without_cases_gives_its_declared_counts() {
    let figures = tests("summary-only.xml");
    assert_eq!(counts(&figures), (10, 4, 2, 1, 3));
    assert!(approx(figures.duration_s, 4.0));
}

#[test]
fn vitest_skipped_and_todo_are_skipped() {
    let figures = tests("vitest.xml");
    assert_eq!(counts(&figures), (5, 2, 1, 0, 2));
    assert!(approx(figures.duration_s, 0.512));
    let failure = &figures.failures[0];
    assert_eq!(failure.name, "math > divides by zero");
    assert_eq!(failure.file.as_deref(), Some("src/math.test.ts"));
    assert_eq!(failure.line, Some(14));
    assert_eq!(
        failure.message,
        "expected Infinity to be +0 // Object.is equality"
    );
}

#[test]
fn pytest_failure_and_teardown_error_count_as_both_with_one_based_lines() {
    let figures = tests("pytest-teardown-error.xml");
    assert_eq!(counts(&figures), (3, 1, 1, 1, 0));
    assert_eq!(figures.failures.len(), 1);
    assert_eq!(
        figures.failures[0].file.as_deref(),
        Some("tests/test_db.py")
    );
    // pytest's `line` attribute is 0-based.
    assert_eq!(figures.failures[0].line, Some(10));
    assert_eq!(figures.failures[0].message, "assert 1 == 2");
}

#[test]
fn several_files_are_suites_concatenated() {
    let evidence = read_files(&[fixture("shard-1.xml"), fixture("shard-2.xml")], None).unwrap();
    let Figures::Tests(figures) = evidence.figures else {
        panic!("not test figures");
    };
    assert_eq!(counts(&figures), (5, 3, 1, 0, 1));
    assert!(approx(figures.duration_s, 4.0));
    assert_eq!(figures.failures[0].message, "c broke");
    assert_eq!(evidence.provenance.len(), 2);
}

#[test]
fn failing_cases_are_capped_and_counts_stay_exact() {
    let dir = std::env::temp_dir().join(format!("readiness-junit-cap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("many.xml");
    let mut xml = String::from("<testsuites><testsuite name=\"many\">");
    for index in 0..1500 {
        xml.push_str(&format!(
            "<testcase name=\"t{index}\"><failure message=\"m{index}\"/></testcase>"
        ));
    }
    xml.push_str("</testsuite></testsuites>");
    std::fs::write(&path, xml).unwrap();
    let Figures::Tests(figures) = read_file(&path, None).unwrap().figures else {
        panic!("not test figures");
    };
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(figures.failed, 1500);
    assert_eq!(figures.failures.len(), 1000);
}

#[test]
fn empty_file_is_empty() {
    assert!(matches!(error("empty.xml"), ReadError::Empty { .. }));
    assert!(matches!(
        read_file(&fixture("empty.xml"), None),
        Err(ReadError::Empty { .. })
    ));
}

#[test]
fn truncated_file_says_what_was_still_open() {
    match error("truncated.xml") {
        ReadError::Malformed {
            location: Some(Location::ByteOffset(_)),
            expected,
            found,
            ..
        } => {
            assert!(
                expected.contains("</failure>") || expected.contains("closing"),
                "{expected}"
            );
            assert!(found.contains("end of the file"), "{found}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn binary_file_is_not_sniffed_and_is_malformed_when_forced() {
    assert!(matches!(
        read_file(&fixture("binary.xml"), None),
        Err(ReadError::UnknownFormat { .. })
    ));
    assert!(matches!(error("binary.xml"), ReadError::Malformed { .. }));
}

#[test]
fn another_xml_format_is_malformed_junit() {
    match error("wrong-format.xml") {
        ReadError::Malformed {
            expected, found, ..
        } => {
            assert!(expected.contains("<testsuites>"), "{expected}");
            assert_eq!(found, "`<coverage>`");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn huge_count_is_malformed() {
    match error("huge-count.xml") {
        ReadError::Malformed { expected, .. } => {
            assert!(expected.contains("`tests`"), "{expected}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn deep_nesting_is_malformed() {
    match error("deeply-nested.xml") {
        ReadError::Malformed { found, .. } => assert_eq!(found, "deeper nesting"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_utf8_is_malformed() {
    assert!(matches!(
        error("invalid-utf8.xml"),
        ReadError::Malformed {
            location: Some(Location::ByteOffset(_)),
            ..
        }
    ));
}

#[test]
fn mismatched_tags_are_malformed() {
    assert!(matches!(
        error("mismatched-tags.xml"),
        ReadError::Malformed { .. }
    ));
}

#[test]
fn every_fixture_reads_without_panicking_in_every_format() {
    for entry in std::fs::read_dir(fixture("")).unwrap().flatten() {
        for format in Format::ALL {
            let _ = read_file(&entry.path(), Some(*format));
        }
    }
}
