//! Several coverage artifacts of one evidence item (sharded CI jobs) merge line by line per
//! source file, hits summed, never by averaging percentages.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use readiness_evidence::{coverage, read_files, Format, Ratio, ReadError};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/coverage"
    ))
    .join(name)
}

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");

fn ratio(covered: u64, total: u64) -> Option<Ratio> {
    Some(Ratio { covered, total })
}

#[test]
fn lcov_shards_merge_line_by_line_not_by_average() {
    let shards = [fixture("lcov-shard-a.info"), fixture("lcov-shard-b.info")];
    let a = coverage::read(Format::Lcov, &shards[..1]).unwrap();
    let b = coverage::read(Format::Lcov, &shards[1..]).unwrap();
    let app_a = a.per_file[0].lines.unwrap();
    let app_b = b
        .per_file
        .iter()
        .find(|f| f.path == "src/app.py")
        .unwrap()
        .lines
        .unwrap();
    assert_eq!((app_a.pct(), app_b.pct()), (50.0, 50.0));

    let merged = coverage::read(Format::Lcov, &shards).unwrap();
    let app = merged
        .per_file
        .iter()
        .find(|f| f.path == "src/app.py")
        .unwrap();
    // Line 1 ran in shard a, lines 2 and 3 in shard b: 3 of 4, not the 50% average.
    assert_eq!(app.lines, ratio(3, 4));
    assert_eq!(app.uncovered_lines, vec![4]);
    assert_ne!(app.lines.unwrap().pct(), (app_a.pct() + app_b.pct()) / 2.0);
    // Each side of the branch ran in one shard.
    assert_eq!(app.branches, ratio(2, 2));
    assert_eq!(merged.files, 2);
    assert_eq!(merged.lines, ratio(5, 6));

    let evidence = read_files(&shards, None).unwrap();
    assert_eq!(evidence.provenance.len(), 2);
}

#[test]
fn coveragepy_json_shards_merge_like_coverage_combine() {
    let shards = [
        fixture("coveragepy-shard-a.json"),
        fixture("coveragepy-shard-b.json"),
    ];
    let merged = coverage::read(Format::CoveragePyJson, &shards).unwrap();
    assert_eq!(merged.lines, ratio(4, 4));
    assert_eq!(merged.statements, ratio(4, 4));
    assert_eq!(merged.branches, ratio(2, 2));
    assert_eq!(
        merged.headline.unwrap().ratio,
        Ratio {
            covered: 6,
            total: 6
        }
    );
}

#[test]
fn istanbul_final_shards_sum_counters_by_id() {
    let shards = [
        fixture("istanbul-final.json"),
        fixture("istanbul-final-shard-b.json"),
    ];
    let merged = coverage::read(Format::IstanbulFinal, &shards).unwrap();
    assert_eq!(merged.statements, ratio(3, 4));
    assert_eq!(merged.lines, ratio(3, 3));
    assert_eq!(merged.functions, ratio(2, 2));
    assert_eq!(merged.branches, ratio(2, 2));
}

#[test]
fn the_same_corpus_report_twice_keeps_its_figures() {
    // Merging a report with itself doubles hits but not coverage.
    let path = PathBuf::from(CORPUS).join("js/jest-lcov-mailflow/lcov.info");
    let once = coverage::read(Format::Lcov, std::slice::from_ref(&path)).unwrap();
    let twice = coverage::read(Format::Lcov, &[path.clone(), path]).unwrap();
    assert_eq!(once.lines, twice.lines);
    assert_eq!(once.branches, twice.branches);
    assert_eq!(once.functions, twice.functions);
    assert_eq!(once.files, twice.files);
}

#[test]
fn totals_only_formats_refuse_to_merge_the_same_file() {
    for (format, file) in [
        (
            Format::IstanbulSummary,
            "js/jest-jsonsummary-mailflow/coverage-summary.json",
        ),
        (
            Format::LlvmCovJson,
            "native/cargo-llvm-cov-json-green/coverage.json",
        ),
    ] {
        let path = PathBuf::from(CORPUS).join(file);
        let error = coverage::read(format, &[path.clone(), path]).unwrap_err();
        assert!(
            matches!(error, ReadError::Merge { .. }),
            "{format}: {error}"
        );
        assert!(
            error.to_string().contains("cannot be merged line by line"),
            "{error}"
        );
    }
}
