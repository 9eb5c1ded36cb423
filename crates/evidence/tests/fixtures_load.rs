//! Load readers: one fixture per format variant and per bad-input class (`fixtures/load/`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use readiness_evidence::{
    read_file, read_files, EndpointFigures, Figures, Format, LoadFigures, Location, ReadError,
};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/load")).join(name)
}

/// Reads a fixture with the format sniffed, checking the sniffed format.
fn load(name: &str, format: Format) -> LoadFigures {
    let evidence = read_file(&fixture(name), None).unwrap();
    assert_eq!(evidence.format, format, "{name}");
    match evidence.figures {
        Figures::Load(figures) => figures,
        other => panic!("{name}: not load figures: {other:?}"),
    }
}

fn codes(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs
        .iter()
        .map(|(code, count)| (code.to_string(), *count))
        .collect()
}

fn close(value: Option<f64>, want: f64) -> bool {
    value.is_some_and(|value| (value - want).abs() < 1e-9)
}

/// Reading a fixture forced as `format` fails with an error naming the file.
fn error(name: &str, format: Format) -> ReadError {
    let path = fixture(name);
    let error = read_file(&path, Some(format)).unwrap_err();
    assert_eq!(error.path(), Some(path.as_path()), "{name}: {error}");
    error
}

#[test]
fn k6_summary_export() {
    let figures = load("k6-summary-export.json", Format::K6);
    assert_eq!(figures.requests, Some(1200));
    assert_eq!(figures.responses, None);
    // http_req_failed `passes` are the failed requests.
    assert_eq!(figures.errors, Some(30));
    assert!(close(figures.error_rate_pct, 2.5));
    assert_eq!(figures.p50_ms, Some(42.5));
    assert_eq!(figures.p95_ms, Some(120.75));
    assert_eq!(figures.p99_ms, Some(400.2));
    assert_eq!(figures.max_ms, Some(612.3));
    assert_eq!(figures.throughput_rps, Some(39.98));
    assert_eq!(figures.status_codes, codes(&[("200", 1170), ("503", 30)]));
}

#[test]
fn k6_handle_summary() {
    let figures = load("k6-handle-summary.json", Format::K6);
    assert_eq!(figures.requests, Some(500));
    assert_eq!(figures.errors, Some(50));
    assert!(close(figures.error_rate_pct, 10.0));
    assert_eq!(figures.p50_ms, Some(15.25));
    assert_eq!(figures.p95_ms, Some(60.75));
    // k6's default summaryTrendStats have no p(99).
    assert_eq!(figures.p99_ms, None);
    assert_eq!(figures.max_ms, Some(250.5));
    assert_eq!(
        figures.endpoints,
        vec![EndpointFigures {
            name: "/api/login".into(),
            requests: Some(100),
            errors: Some(20),
            p50_ms: Some(25.0),
            p95_ms: Some(70.0),
            p99_ms: None,
        }]
    );
}

#[test]
fn artillery_1x_report() {
    let figures = load("artillery-v1.json", Format::Artillery);
    assert_eq!(figures.responses, Some(190));
    assert_eq!(figures.errors, Some(10));
    assert_eq!(figures.requests, Some(200));
    assert_eq!(figures.status_codes, codes(&[("200", 180), ("503", 10)]));
    assert_eq!(figures.p50_ms, Some(40.5));
    assert_eq!(figures.p99_ms, Some(800.7));
    // (10 transport errors + 10 responses 503) / 200.
    assert!(close(figures.error_rate_pct, 10.0));
}

#[test]
fn locust_failures_without_response_are_not_responses() {
    let stats = fixture("locust-transport-errors/run_stats.csv");
    let evidence = read_file(&stats, None).unwrap();
    assert_eq!(evidence.format, Format::Locust);
    let Figures::Load(figures) = evidence.figures else {
        panic!("not load figures")
    };
    assert_eq!(figures.requests, Some(300));
    assert_eq!(figures.errors, Some(15));
    // The sibling run_failures.csv: 3 ConnectionRefusedError + 2 RemoteDisconnected.
    assert_eq!(figures.responses, Some(295));
    assert!(close(figures.error_rate_pct, 5.0));
    assert_eq!(figures.p50_ms, Some(5.0));
    assert_eq!(figures.p95_ms, Some(90.0));
    assert_eq!(figures.p99_ms, Some(1000.0));
    assert_eq!(figures.max_ms, Some(2010.5));
    assert_eq!(figures.throughput_rps, Some(15.0));
    assert!(figures.status_codes.is_empty());
    let names: Vec<&str> = figures.endpoints.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["GET /health", "POST /orders"]);

    // Given explicitly, in any order, the failures file gives the same figures.
    let failures = fixture("locust-transport-errors/run_failures.csv");
    let both = read_files(&[failures.clone(), stats], None).unwrap();
    assert_eq!(both.figures, Figures::Load(figures));
    // Alone, it is not enough.
    assert!(matches!(
        read_file(&failures, None),
        Err(ReadError::Malformed { .. })
    ));
}

#[test]
fn wrk_socket_errors_are_errors() {
    let figures = load("wrk-socket-errors.txt", Format::Wrk);
    assert_eq!(figures.requests, Some(22_464_657));
    assert_eq!(figures.responses, Some(22_464_657));
    assert_eq!(figures.errors, Some(200));
    assert_eq!(figures.status_codes, codes(&[("non_2xx_3xx", 150)]));
    assert!(close(figures.p50_ms, 0.25));
    assert!(close(figures.p99_ms, 5.8));
    assert_eq!(figures.p95_ms, None);
    assert!(close(figures.max_ms, 1200.0));
    assert_eq!(figures.throughput_rps, Some(748_868.53));
}

#[test]
fn several_reports_of_one_tool_are_refused() {
    let path = fixture("k6-summary-export.json");
    assert!(matches!(
        read_files(&[path.clone(), path], None),
        Err(ReadError::Merge { .. })
    ));
}

#[test]
fn truncated_json_is_malformed_with_line_and_column() {
    match error("artillery-truncated.json", Format::Artillery) {
        ReadError::Malformed {
            location: Some(Location::LineColumn { line, .. }),
            found,
            ..
        } => {
            assert!(line >= 5, "{line}");
            assert!(found.contains("cut off"), "{found}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn huge_number_is_malformed() {
    match error("artillery-huge-number.json", Format::Artillery) {
        ReadError::Malformed { expected, .. } => {
            assert!(expected.contains("http.requests"), "{expected}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn deep_nesting_is_malformed() {
    assert!(matches!(
        error("k6-deeply-nested.json", Format::K6),
        ReadError::Malformed { .. }
    ));
}

#[test]
fn invalid_utf8_is_malformed() {
    assert!(matches!(
        error("artillery-invalid-utf8.json", Format::Artillery),
        ReadError::Malformed { .. }
    ));
}

#[test]
fn empty_files_are_empty() {
    assert!(matches!(
        error("autocannon-empty.json", Format::Autocannon),
        ReadError::Empty { .. }
    ));
}

#[test]
fn binary_file_is_malformed() {
    assert!(matches!(
        read_file(&fixture("wrk-binary.txt"), None),
        Err(ReadError::UnknownFormat { .. })
    ));
    match error("wrk-binary.txt", Format::Wrk) {
        ReadError::Malformed {
            location: Some(Location::LineColumn { line: 1, .. }),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrk_without_a_request_count_is_malformed() {
    match error("wrk-wrong-format.txt", Format::Wrk) {
        ReadError::Malformed { expected, .. } => {
            assert!(expected.contains("requests in"), "{expected}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn locust_without_aggregated_row_is_malformed() {
    match error("locust-no-aggregated.csv", Format::Locust) {
        ReadError::Malformed { expected, .. } => {
            assert!(expected.contains("Aggregated"), "{expected}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_formats_are_malformed() {
    // A k6 summary is no Artillery report, and a Locust CSV no wrk output.
    assert!(matches!(
        error("k6-summary-export.json", Format::Artillery),
        ReadError::Malformed { .. }
    ));
    assert!(matches!(
        error("locust-no-aggregated.csv", Format::Wrk),
        ReadError::Malformed { .. }
    ));
    assert!(matches!(
        error("wrk-socket-errors.txt", Format::K6),
        ReadError::Malformed { .. }
    ));
}

#[test]
fn every_fixture_reads_without_panicking_in_every_format() {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(fixture("")).unwrap().flatten() {
        if entry.path().is_dir() {
            paths.extend(
                std::fs::read_dir(entry.path())
                    .unwrap()
                    .flatten()
                    .map(|e| e.path()),
            );
        } else {
            paths.push(entry.path());
        }
    }
    for path in paths {
        for format in Format::ALL {
            let _ = read_file(&path, Some(*format));
        }
    }
}
