//! One test per coverage format (and per producer quirk), on small fixtures in
//! `tests/fixtures/coverage/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use readiness_evidence::{coverage, read_file, CoverageFigures, Figures, Format, Ratio};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/coverage"
    ))
    .join(name)
}

fn ratio(covered: u64, total: u64) -> Option<Ratio> {
    Some(Ratio { covered, total })
}

/// Reads a fixture with its sniffed format, checking the sniffed format.
fn read(name: &str, format: &str) -> CoverageFigures {
    let evidence = read_file(&fixture(name), None).unwrap();
    assert_eq!(evidence.format.name(), format, "{name} sniffed");
    match evidence.figures {
        Figures::Coverage(figures) => figures,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn lcov_lines_branches_functions_and_checksums() {
    let figures = read("lcov-basic.info", "lcov");
    assert_eq!(figures.lines, ratio(3, 5));
    // BRDA `-` is a branch whose block never ran: counted, not covered.
    assert_eq!(figures.branches, ratio(1, 4));
    assert_eq!(figures.functions, ratio(1, 2));
    assert_eq!(figures.statements, None, "lcov has no statements");
    assert_eq!(figures.headline, None);
    assert_eq!(figures.files, 2);
    let a = &figures.per_file[0];
    assert_eq!(a.path, "src/a.ts");
    assert_eq!(a.uncovered_lines, vec![5, 6]);
    let b = &figures.per_file[1];
    assert_eq!(
        (b.lines, b.branches, b.functions),
        (ratio(1, 1), None, None)
    );
}

#[test]
fn lcov_llvm_instantiations_are_one_function_per_start_line() {
    // llvm-cov lists the library's and the test binary's copy of each function but counts
    // FNF per source location: 4 names, 2 functions, `new` ran in one copy.
    let figures = read("lcov-llvm-instantiations.info", "lcov");
    assert_eq!(figures.functions, ratio(1, 2));
    assert_eq!(figures.lines, ratio(1, 2));
    assert_eq!(
        figures.branches, None,
        "BRF:0 everywhere means branch coverage was off"
    );
}

#[test]
fn lcov_2_fnl_fna_records() {
    let figures = read("lcov-fnl-fna.info", "lcov");
    assert_eq!(figures.functions, ratio(1, 2));
    assert_eq!(figures.lines, ratio(1, 2));
}

#[test]
fn lcov_summary_only_records_use_lf_lh() {
    let figures = read("lcov-summary-only.info", "lcov");
    assert_eq!(figures.lines, ratio(7, 10));
    assert_eq!(figures.functions, ratio(2, 2));
    assert_eq!(figures.per_file[0].uncovered_lines, Vec::<u32>::new());
}

#[test]
fn lcov_repeated_record_is_merged_line_by_line() {
    let figures = read("lcov-repeated-record.info", "lcov");
    assert_eq!(figures.files, 2);
    let app = figures
        .per_file
        .iter()
        .find(|f| f.path == "src/app.py")
        .unwrap();
    assert_eq!(app.lines, ratio(2, 3));
    assert_eq!(app.uncovered_lines, vec![3]);
    assert_eq!(figures.lines, ratio(2, 4));
}

#[test]
fn cobertura_java_inner_classes_and_methods() {
    let figures = read("cobertura-java.xml", "cobertura");
    assert_eq!(figures.files, 1, "two classes of one source file");
    assert_eq!(figures.lines, ratio(3, 5));
    assert_eq!(figures.branches, ratio(1, 2));
    // bar ran (its line has hits), baz did not, run has hits="1".
    assert_eq!(figures.functions, ratio(2, 3));
    assert_eq!(figures.statements, None);
    assert_eq!(figures.per_file[0].uncovered_lines, vec![7, 13]);
}

#[test]
fn jacoco_lines_branches_methods() {
    let figures = read("jacoco-report.xml", "jacoco");
    assert_eq!(figures.files, 1);
    assert_eq!(figures.per_file[0].path, "com/example/Calc.java");
    assert_eq!(
        figures.lines,
        ratio(3, 5),
        "the LINE counter: 3 covered, 2 missed"
    );
    assert_eq!(figures.branches, ratio(1, 2));
    assert_eq!(figures.functions, ratio(2, 3));
    assert_eq!(figures.statements, None, "instructions are not statements");
    assert_eq!(figures.per_file[0].uncovered_lines, vec![8, 12]);
}

#[test]
fn clover_openclover_counts_statements_and_two_branches_per_condition() {
    let figures = read("clover-openclover.xml", "clover");
    assert_eq!(
        figures.lines,
        ratio(2, 3),
        "line 5 has two statements, one ran"
    );
    assert_eq!(figures.branches, ratio(1, 2), "true ran, false never did");
    assert_eq!(figures.functions, ratio(1, 2));
    assert_eq!(figures.statements, ratio(3, 4));
    assert_eq!(figures.per_file[0].path, "/src/com/example/Calc.java");
}

#[test]
fn istanbul_final_derives_lines_from_statements() {
    let figures = read("istanbul-final.json", "istanbul-final");
    assert_eq!(figures.statements, ratio(2, 4));
    // Line 2 holds statements with 0 and 3 hits: the line is covered (its most-hit statement).
    assert_eq!(figures.lines, ratio(2, 3));
    assert_eq!(figures.per_file[0].uncovered_lines, vec![4]);
    assert_eq!(figures.functions, ratio(1, 2));
    assert_eq!(figures.branches, ratio(1, 2));
}

#[test]
fn go_count_mode_with_repeated_blocks_merges_them() {
    // -coverpkg: each test binary writes every package's blocks; go tool cover sums them.
    let figures = read("go-count-coverpkg.out", "go-cover");
    assert_eq!(figures.files, 2);
    assert_eq!(
        figures.statements,
        ratio(5, 6),
        "blocks weigh their statement counts"
    );
    assert_eq!(figures.lines, None);
    assert_eq!(figures.functions, None);
}

#[test]
fn forced_format_reads_without_sniffing() {
    let figures = coverage::read(Format::Lcov, &[fixture("lcov-basic.info")]).unwrap();
    assert_eq!(figures.lines, ratio(3, 5));
}

#[test]
fn non_coverage_content_is_not_claimed() {
    assert_eq!(
        coverage::sniff(b"<testsuites><testsuite/></testsuites>", "x.xml".as_ref()),
        None
    );
    assert_eq!(
        coverage::sniff(b"{\"aggregate\": {}}", "x.json".as_ref()),
        None
    );
    assert_eq!(
        coverage::sniff(b"error[E0432]: unresolved import", "build.log".as_ref()),
        None
    );
    assert_eq!(
        coverage::sniff(b"SF:a\nDA:1,1\nend_of_record\n", "whatever".as_ref()),
        Some(Format::Lcov)
    );
    assert_eq!(
        coverage::sniff(b"mode: atomic\n", "c.out".as_ref()),
        Some(Format::GoCover)
    );
}
