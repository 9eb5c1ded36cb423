//! Bad input never panics: each class of bad input gives `Empty` or `Malformed` naming the file,
//! the place in it and what was expected.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use readiness_evidence::{coverage, read_file, Format, Location, ReadError};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/coverage"
    ))
    .join(name)
}

fn error(format: Format, name: &str) -> ReadError {
    let error = coverage::read(format, &[fixture(name)]).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(name),
        "the message names the file: {message}"
    );
    error
}

fn malformed_at(format: Format, name: &str) -> (Option<Location>, String) {
    match error(format, name) {
        ReadError::Malformed {
            location,
            expected,
            found,
            ..
        } => (location, format!("expected {expected}, found {found}")),
        other => panic!("{name}: {other}"),
    }
}

fn line(line: u64, column: u64) -> Option<Location> {
    Some(Location::LineColumn { line, column })
}

#[test]
fn empty_and_whitespace_files_are_empty() {
    for name in ["lcov-empty.info", "lcov-whitespace.info"] {
        assert!(
            matches!(error(Format::Lcov, name), ReadError::Empty { .. }),
            "{name}"
        );
        assert!(matches!(
            read_file(&fixture(name), None),
            Err(ReadError::Empty { .. })
        ));
    }
    for format in [
        Format::Cobertura,
        Format::CoveragePyJson,
        Format::GoCover,
        Format::LlvmCovJson,
    ] {
        assert!(
            matches!(
                error(format, "lcov-whitespace.info"),
                ReadError::Empty { .. }
            ),
            "{format}"
        );
    }
}

#[test]
fn truncated_files() {
    let (location, text) = malformed_at(Format::Lcov, "lcov-truncated.info");
    assert_eq!(location, line(3, 1));
    assert!(
        text.contains("end_of_record") && text.contains("truncated"),
        "{text}"
    );

    let (location, text) = malformed_at(Format::Lcov, "lcov-truncated-mid-line.info");
    assert_eq!(location, line(3, 6));
    assert!(text.contains("hit count"), "{text}");

    let (location, text) = malformed_at(Format::Cobertura, "cobertura-truncated.xml");
    assert!(matches!(location, Some(Location::ByteOffset(_))));
    assert!(
        text.contains("</coverage>") && text.contains("truncated"),
        "{text}"
    );

    let (location, text) = malformed_at(Format::CoveragePyJson, "coveragepy-truncated.json");
    assert!(matches!(
        location,
        Some(Location::LineColumn { line: 1, .. })
    ));
    assert!(text.contains("truncated"), "{text}");
}

#[test]
fn binary_input() {
    let (location, text) = malformed_at(Format::Lcov, "lcov-binary.info");
    assert_eq!(location, line(1, 1));
    assert!(text.contains("lcov record"), "{text}");
    for format in [
        Format::Cobertura,
        Format::Jacoco,
        Format::Clover,
        Format::GoCover,
    ] {
        let error = error(format, "lcov-binary.info");
        assert!(
            matches!(error, ReadError::Malformed { .. }),
            "{format}: {error}"
        );
    }
    for format in [
        Format::CoveragePyJson,
        Format::IstanbulFinal,
        Format::IstanbulSummary,
    ] {
        let error = error(format, "lcov-binary.info");
        assert!(
            matches!(error, ReadError::Malformed { .. }),
            "{format}: {error}"
        );
    }
    assert!(read_file(&fixture("lcov-binary.info"), None).is_err());
}

#[test]
fn wrong_format() {
    let (_, text) = malformed_at(Format::Cobertura, "cobertura-wrong-root.xml");
    assert!(
        text.contains("<coverage>") && text.contains("<testsuites>"),
        "{text}"
    );
    let (location, _) = malformed_at(Format::Lcov, "cobertura-java.xml");
    assert_eq!(location, line(1, 1));
    let (_, text) = malformed_at(Format::LlvmCovJson, "llvm-cov-wrong-type.json");
    assert!(text.contains("something.else"), "{text}");
    // A JaCoCo report read as Clover, a coverage.py report as an istanbul summary.
    assert!(matches!(
        error(Format::Clover, "jacoco-report.xml"),
        ReadError::Malformed { .. }
    ));
    let (location, _) = malformed_at(Format::GoCover, "lcov-basic.info");
    assert_eq!(location, line(1, 1));
}

#[test]
fn huge_numbers_overflow_is_reported() {
    let (location, text) = malformed_at(Format::Lcov, "lcov-huge-hits.info");
    assert_eq!(location, line(2, 6));
    assert!(text.contains("too large"), "{text}");
    let (location, _) = malformed_at(Format::Lcov, "lcov-huge-line.info");
    assert_eq!(location, line(2, 4));
    let (_, text) = malformed_at(Format::Lcov, "lcov-summary-overflow.info");
    assert!(text.contains("overflow"), "{text}");
    let (location, text) = malformed_at(Format::GoCover, "go-huge-count.out");
    assert!(matches!(
        location,
        Some(Location::LineColumn { line: 2, .. })
    ));
    assert!(text.contains("too large"), "{text}");
    let (_, text) = malformed_at(Format::IstanbulSummary, "istanbul-summary-huge.json");
    assert!(text.contains("u64") || text.contains("float"), "{text}");
    let (_, text) = malformed_at(Format::Cobertura, "cobertura-bad-hits.xml");
    assert!(text.contains("hits") && text.contains("lots"), "{text}");
}

#[test]
fn negative_hits_are_reported() {
    let (location, _) = malformed_at(Format::Lcov, "lcov-negative-hits.info");
    assert_eq!(location, line(2, 6));
}

#[test]
fn deeply_nested_input() {
    // XML nesting is counted, not recursed; serde_json skips ignored JSON values without
    // recursing and stops typed values at its recursion limit. Either way: no stack overflow.
    let figures = coverage::read(Format::Cobertura, &[fixture("cobertura-deeply-nested.xml")]);
    assert_eq!(figures.unwrap().files, 0);
    let figures = coverage::read(
        Format::CoveragePyJson,
        &[fixture("coveragepy-deeply-nested.json")],
    );
    assert_eq!(figures.unwrap().files, 1);
}

#[test]
fn invalid_utf8() {
    let (location, text) = malformed_at(Format::Lcov, "lcov-invalid-utf8.info");
    assert_eq!(location, line(1, 4));
    assert!(text.contains("UTF-8"), "{text}");
    let error = error(
        Format::IstanbulSummary,
        "istanbul-summary-invalid-utf8.json",
    );
    assert!(matches!(error, ReadError::Malformed { .. }), "{error}");
}

#[test]
fn structural_mistakes() {
    let (location, text) = malformed_at(Format::Lcov, "lcov-garbage-line.info");
    assert_eq!(location, line(3, 1));
    assert!(text.contains("this is not lcov"), "{text}");
    let (location, text) = malformed_at(Format::Lcov, "lcov-da-before-sf.info");
    assert_eq!(location, line(2, 1));
    assert!(text.contains("SF:"), "{text}");
    let (location, text) = malformed_at(Format::GoCover, "go-bad-mode.out");
    assert_eq!(location, line(1, 7));
    assert!(text.contains("sometimes"), "{text}");
    let (location, _) = malformed_at(Format::GoCover, "go-no-mode.out");
    assert_eq!(location, line(1, 1));
    let (location, text) = malformed_at(Format::Cobertura, "cobertura-mismatched-tag.xml");
    assert!(matches!(location, Some(Location::ByteOffset(_))));
    assert!(text.contains("well-formed XML"), "{text}");
}
