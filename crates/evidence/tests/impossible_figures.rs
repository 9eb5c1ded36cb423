//! Figures no tool can produce are a clear error naming the file and the place, never a figure
//! (and never clamped into a plausible one): more errors than requests, line number 0, negative
//! durations, more covered than total. And the XML readers keep memory bounded: a single
//! attribute or text longer than 16 MiB is refused instead of being buffered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_evidence::{read_file, Format, ReadError};
use std::path::PathBuf;

fn file(name: &str, text: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("impossible-figures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn error_of(name: &str, format: Format, text: &[u8]) -> String {
    let path = file(name, text);
    match read_file(&path, Some(format)) {
        Ok(evidence) => {
            let figures = format!("{:?}", evidence.figures);
            panic!("{name}: read as {}", figures.get(..400).unwrap_or(&figures))
        }
        Err(error) => {
            assert!(matches!(error, ReadError::Malformed { .. }), "{error:?}");
            assert_eq!(error.path(), Some(path.as_path()));
            error.to_string()
        }
    }
}

#[test]
fn lcov_line_zero_is_an_error() {
    let message = error_of(
        "zero.info",
        Format::Lcov,
        b"SF:src/a.c\nDA:1,1\nDA:0,3\nend_of_record\n",
    );
    assert!(message.contains("line 3"), "{message}");
    assert!(message.contains("at least 1"), "{message}");
}

#[test]
fn lcov_branch_on_line_zero_is_an_error() {
    let message = error_of(
        "zero-branch.info",
        Format::Lcov,
        b"SF:src/a.c\nDA:1,1\nBRDA:0,0,0,1\nend_of_record\n",
    );
    assert!(message.contains("at least 1"), "{message}");
}

#[test]
fn lcov_more_hit_than_found_is_an_error() {
    let message = error_of(
        "lh.info",
        Format::Lcov,
        b"SF:src/a.c\nLF:3\nLH:7\nend_of_record\n",
    );
    assert!(message.contains("`LH`"), "{message}");
}

#[test]
fn cobertura_line_zero_and_condition_over_total_are_errors() {
    let zero = error_of(
        "zero.xml",
        Format::Cobertura,
        br#"<coverage><packages><package><classes><class filename="a.py"><lines><line number="0" hits="1"/></lines></class></classes></package></packages></coverage>"#,
    );
    assert!(zero.contains("at least 1"), "{zero}");
    let over = error_of(
        "over.xml",
        Format::Cobertura,
        br#"<coverage><packages><package><classes><class filename="a.py"><lines><line number="2" hits="1" branch="true" condition-coverage="150% (3/2)"/></lines></class></classes></package></packages></coverage>"#,
    );
    assert!(over.contains("condition-coverage"), "{over}");
}

#[test]
fn istanbul_summary_covered_over_total_is_an_error() {
    let message = error_of(
        "coverage-summary.json",
        Format::IstanbulSummary,
        br#"{"total": {"lines":{"total":3,"covered":5,"skipped":0,"pct":166.67},"statements":{"total":3,"covered":3,"skipped":0,"pct":100},"functions":{"total":1,"covered":1,"skipped":0,"pct":100},"branches":{"total":0,"covered":0,"skipped":0,"pct":100}}}"#,
    );
    assert!(message.contains("covered"), "{message}");
}

#[test]
fn junit_negative_duration_is_an_error() {
    let message = error_of(
        "negative.xml",
        Format::Junit,
        br#"<testsuite name="s"><testcase name="a" time="-3.5"/></testsuite>"#,
    );
    assert!(message.contains("`-3.5`"), "{message}");
    let suite = error_of(
        "negative-suite.xml",
        Format::Junit,
        br#"<testsuites time="-1"><testsuite name="s"><testcase name="a"/></testsuite></testsuites>"#,
    );
    assert!(suite.contains("`-1`"), "{suite}");
}

#[test]
fn junit_more_failures_than_tests_declared_is_an_error() {
    let message = error_of(
        "declared.xml",
        Format::Junit,
        br#"<testsuite name="s" tests="2" failures="5"></testsuite>"#,
    );
    assert!(message.contains("`tests`"), "{message}");
}

#[test]
fn wrk_more_errors_than_requests_is_an_error() {
    let message = error_of(
        "wrk.txt",
        Format::Wrk,
        b"Running 30s test @ http://127.0.0.1:8080/\n  2 threads and 10 connections\n  Latency Distribution\n     50%  250.00us\n     75%  491.00us\n     90%  700.00us\n     99%    5.80ms\n  100 requests in 30.00s, 1.00MB read\n  Non-2xx or 3xx responses: 150\nRequests/sec: 3.33\nTransfer/sec:    1.00KB\n",
    );
    assert!(message.contains("requests"), "{message}");
}

#[test]
fn a_huge_xml_attribute_is_refused_not_buffered() {
    let mut junit = br#"<testsuite name="s"><testcase name=""#.to_vec();
    junit.extend(std::iter::repeat_n(b'a', 20 << 20));
    junit.extend_from_slice(br#""><failure/></testcase></testsuite>"#);
    let message = error_of("huge-attribute.xml", Format::Junit, &junit);
    assert!(message.contains("16 MiB"), "{message}");

    let mut cobertura = br#"<coverage><packages><package name=""#.to_vec();
    cobertura.extend(std::iter::repeat_n(b'p', 20 << 20));
    cobertura.extend_from_slice(br#""></package></packages></coverage>"#);
    let message = error_of(
        "huge-attribute-cobertura.xml",
        Format::Cobertura,
        &cobertura,
    );
    assert!(message.contains("16 MiB"), "{message}");
}

#[test]
fn a_huge_xml_text_is_refused_not_buffered() {
    let mut junit = br#"<testsuite name="s"><testcase name="a"><failure>"#.to_vec();
    junit.extend(std::iter::repeat_n(b'x', 20 << 20));
    junit.extend_from_slice(b"</failure></testcase></testsuite>");
    let message = error_of("huge-text.xml", Format::Junit, &junit);
    assert!(message.contains("16 MiB"), "{message}");
}
