//! Reports with more source files than `PER_FILE_LIMIT`: per-file figures are kept for the first
//! `PER_FILE_LIMIT` files (in report order, sorted by path), the rest are counted in
//! `per_file_omitted`, and the totals and `files` stay exact, in every mode (one artifact counted,
//! one artifact with a repeated file re-read in merge mode, several artifacts merged, and with
//! line data kept for wanted files).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use readiness_evidence::{
    coverage, read_file, read_files_with_lines, CoverageFigures, Figures, Format, Ratio,
    PER_FILE_LIMIT,
};
use std::fmt::Write as _;
use std::path::PathBuf;

const EXTRA: usize = 1_234;
const FILES: usize = PER_FILE_LIMIT + EXTRA;

fn ratio(covered: u64, total: u64) -> Option<Ratio> {
    Some(Ratio { covered, total })
}

fn write(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("coverage_per_file_cap");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Report order runs from the highest number down, so that the first files in report order are
/// not the first ones by path.
fn name(i: usize) -> String {
    format!("src/f{:06}.js", FILES - 1 - i)
}

/// The LCOV record of file `i` (0-based, in report order): `1 + i % 3` lines of which `i % 2`
/// are covered, one branch taken when `i % 5 == 0`, one function called when `i % 7 == 0`.
fn lcov_record(out: &mut String, i: usize) {
    writeln!(out, "SF:{}", name(i)).unwrap();
    writeln!(out, "FN:1,f{i}").unwrap();
    writeln!(out, "FNDA:{},f{i}", u64::from(i % 7 == 0)).unwrap();
    writeln!(out, "FNF:1\nFNH:{}", u64::from(i % 7 == 0)).unwrap();
    writeln!(out, "BRDA:1,0,0,{}", if i % 5 == 0 { "1" } else { "0" }).unwrap();
    writeln!(out, "BRF:1\nBRH:{}", u64::from(i % 5 == 0)).unwrap();
    let lines = 1 + i % 3;
    for line in 1..=lines {
        let hits = u64::from(line == 1 && i % 2 == 1);
        writeln!(out, "DA:{line},{hits}").unwrap();
    }
    writeln!(out, "LF:{lines}\nLH:{}\nend_of_record", i % 2).unwrap();
}

fn lcov(range: std::ops::Range<usize>) -> String {
    let mut out = String::from("TN:\n");
    for i in range {
        lcov_record(&mut out, i);
    }
    out
}

/// The report totals of files `0..n`, computed independently of the reader.
fn expected(n: usize) -> [Option<Ratio>; 3] {
    let lines = (0..n).map(|i| 1 + i as u64 % 3).sum();
    let covered_lines = (0..n).filter(|i| i % 2 == 1).count() as u64;
    let branches = (0..n).filter(|i| i % 5 == 0).count() as u64;
    let functions = (0..n).filter(|i| i % 7 == 0).count() as u64;
    [
        ratio(covered_lines, lines),
        ratio(branches, n as u64),
        ratio(functions, n as u64),
    ]
}

/// `per_file` holds exactly the first `PER_FILE_LIMIT` files in report order, sorted by path,
/// each with its own figures.
fn check_per_file(figures: &CoverageFigures) {
    assert_eq!(figures.files, FILES as u64);
    assert_eq!(figures.per_file.len(), PER_FILE_LIMIT);
    assert_eq!(figures.per_file_omitted, EXTRA as u64);
    let mut kept: Vec<String> = (0..PER_FILE_LIMIT).map(name).collect();
    kept.sort();
    let paths: Vec<&str> = figures.per_file.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, kept);
    // File 0 (the last by path among the kept ones): one line, not covered; branch and
    // function covered.
    let first = figures.per_file.last().unwrap();
    assert_eq!(first.path, name(0));
    assert_eq!(first.lines, ratio(0, 1));
    assert_eq!(first.uncovered_lines, vec![1]);
    assert_eq!(first.branches, ratio(1, 1));
    assert_eq!(first.functions, ratio(1, 1));
}

fn check_totals(figures: &CoverageFigures) {
    let [lines, branches, functions] = expected(FILES);
    assert_eq!(figures.lines, lines);
    assert_eq!(figures.branches, branches);
    assert_eq!(figures.functions, functions);
    assert_eq!(figures.statements, None);
}

#[test]
fn one_lcov_report_past_the_cap_keeps_exact_totals_and_counts() {
    let path = write("past-cap.info", &lcov(0..FILES));
    let figures = coverage::read(Format::Lcov, std::slice::from_ref(&path)).unwrap();
    check_totals(&figures);
    check_per_file(&figures);

    // What `gate inspect` reads (format sniffed, provenance) is the same.
    let evidence = read_file(&path, None).unwrap();
    assert_eq!(evidence.figures, Figures::Coverage(figures));
}

#[test]
fn a_report_within_the_cap_omits_nothing() {
    let path = write("within-cap.info", &lcov(0..PER_FILE_LIMIT));
    let figures = coverage::read(Format::Lcov, &[path]).unwrap();
    assert_eq!(figures.files, PER_FILE_LIMIT as u64);
    assert_eq!(figures.per_file.len(), PER_FILE_LIMIT);
    assert_eq!(figures.per_file_omitted, 0);
    let [lines, branches, functions] = expected(PER_FILE_LIMIT);
    assert_eq!(
        (figures.lines, figures.branches, figures.functions),
        (lines, branches, functions)
    );
}

/// A file listed twice, past the cap, makes the reader start over in merge mode: same exact
/// totals (the repeated record's hits summed into its file), same kept files.
#[test]
fn a_repeated_file_past_the_cap_is_merged_exactly() {
    let mut text = lcov(0..FILES);
    // File FILES - 1 again, with its (uncovered) second line now hit: one more covered line
    // when it has one, and its first line covered too (hits summed).
    let last = FILES - 1;
    writeln!(
        text,
        "SF:{}\nDA:1,1\nDA:2,3\nLF:2\nLH:2\nend_of_record",
        name(last)
    )
    .unwrap();
    let path = write("repeated.info", &text);
    let figures = coverage::read(Format::Lcov, &[path]).unwrap();
    check_per_file(&figures);
    let [lines, branches, functions] = expected(FILES);
    let lines = lines.unwrap();
    // The last file has 1 + last % 3 lines; line 1 covered iff last is odd; the repeat covers
    // lines 1 and 2 (adding line 2 if the file had only one line).
    let own_lines = 1 + last as u64 % 3;
    let own_covered = u64::from(last % 2 == 1);
    let new_lines = own_lines.max(2);
    let new_covered = 2;
    assert_eq!(
        figures.lines,
        ratio(
            lines.covered - own_covered + new_covered,
            lines.total - own_lines + new_lines
        )
    );
    assert_eq!(figures.branches, branches);
    assert_eq!(figures.functions, functions);
}

/// Two shards merged: the kept files are the first in order of first appearance across the
/// shards; totals and `files` count the union.
#[test]
fn shards_past_the_cap_merge_exactly() {
    let split = PER_FILE_LIMIT / 2;
    let a = write("shard-a.info", &lcov(0..split));
    let b = write("shard-b.info", &lcov(split..FILES));
    let figures = coverage::read(Format::Lcov, &[a.clone(), b.clone()]).unwrap();
    check_totals(&figures);
    check_per_file(&figures);

    // With line data kept for a few wanted files, the figures are the same.
    let wanted_path = name(FILES - 1);
    let wanted = |path: &str| path == wanted_path;
    let (evidence, lines) = read_files_with_lines(&[a, b], None, &wanted).unwrap();
    assert_eq!(evidence.figures, Figures::Coverage(figures));
    assert_eq!(lines.len(), 1);
    assert!(lines.contains_key(&wanted_path));
}

#[test]
fn one_report_with_line_data_past_the_cap() {
    let path = write("past-cap-lines.info", &lcov(0..FILES));
    let wanted_path = name(FILES - 1);
    let wanted = |path: &str| path == wanted_path;
    let (evidence, lines) = read_files_with_lines(&[path], None, &wanted).unwrap();
    let Figures::Coverage(figures) = evidence.figures else {
        panic!("not coverage: {:?}", evidence.figures);
    };
    check_totals(&figures);
    check_per_file(&figures);
    // The wanted file is past the cap: no per-file entry, but its line data is kept.
    assert!(!figures.per_file.iter().any(|f| f.path == wanted_path));
    assert_eq!(lines[&wanted_path].lines.len(), 1 + (FILES - 1) % 3);
}

/// The XML readers share the sink: a Cobertura report past the cap, without root totals so the
/// per-file sums are the report's.
#[test]
fn one_cobertura_report_past_the_cap_keeps_exact_totals_and_counts() {
    let mut text = String::from(
        "<?xml version=\"1.0\" ?>\n<coverage version=\"7.17.3\" line-rate=\"0\">\n<packages>\n\
         <package name=\".\">\n<classes>\n",
    );
    let mut lines = 0;
    let mut covered = 0;
    for i in 0..FILES {
        writeln!(
            text,
            "<class name=\"c{i}\" filename=\"{}\"><methods/><lines>",
            name(i)
        )
        .unwrap();
        for line in 1..=(1 + i % 3) {
            let hits = usize::from(line == 1 && i % 2 == 1);
            writeln!(text, "<line number=\"{line}\" hits=\"{hits}\"/>").unwrap();
            lines += 1;
            covered += hits as u64;
        }
        text.push_str("</lines></class>\n");
    }
    text.push_str("</classes>\n</package>\n</packages>\n</coverage>\n");
    let path = write("past-cap.xml", &text);
    let evidence = read_file(&path, None).unwrap();
    assert_eq!(evidence.format, Format::Cobertura);
    let Figures::Coverage(figures) = evidence.figures else {
        panic!("not coverage: {:?}", evidence.figures);
    };
    assert_eq!(figures.lines, ratio(covered, lines));
    assert_eq!(figures.branches, None);
    assert_eq!(figures.files, FILES as u64);
    assert_eq!(figures.per_file.len(), PER_FILE_LIMIT);
    assert_eq!(figures.per_file_omitted, EXTRA as u64);
    let mut kept: Vec<String> = (0..PER_FILE_LIMIT).map(name).collect();
    kept.sort();
    let paths: Vec<&str> = figures.per_file.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, kept);
}
