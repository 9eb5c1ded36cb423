//! Bounded property test over every reader, for CI (the long-running search is `fuzz/`).
//!
//! For each evidence kind, inputs are (a) arbitrary bytes, optionally behind a prefix that steers
//! sniffing toward a format (`SF:`, `<?xml`, `{`, `mode: set`), and (b) mutations of the kind's
//! fixture files and shared-corpus artifacts: truncation at a random point, byte flips, inserted
//! garbage, deleted and duplicated ranges. Every input is read with each format of the kind
//! forced and once sniffed. A reader may return `Ok` or `Err` but never panic, and every error
//! must name the file (`ReadError::path()` is `Some`).
//!
//! 256 cases per kind and strategy, each case reading all formats of the kind: a few seconds in a
//! debug build. `PROPTEST_CASES` raises the count for a longer local run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use proptest::test_runner::Config;
use readiness_evidence::{read_file, Format, Kind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");
/// Seeds larger than this are skipped (every case writes a mutated copy).
const MAX_SEED: u64 = 128 * 1024;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn kind_dir(kind: Kind) -> &'static str {
    kind.name()
}

/// The fixture files of a kind, and the corpus artifacts whose `expected.json` has that kind.
fn seeds(kind: Kind) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(Path::new(FIXTURES).join(kind_dir(kind))) {
        files.extend(entries.flatten().map(|e| e.path()));
    }
    if let Ok(categories) = std::fs::read_dir(CORPUS) {
        for category in categories.flatten() {
            let Ok(folders) = std::fs::read_dir(category.path()) else {
                continue;
            };
            for folder in folders.flatten() {
                let folder = folder.path();
                let Ok(expected) = std::fs::read_to_string(folder.join("expected.json")) else {
                    continue;
                };
                let Ok(expected) = serde_json::from_str::<serde_json::Value>(&expected) else {
                    continue;
                };
                if expected.get("kind").and_then(|k| k.as_str()) != Some(kind.name()) {
                    continue;
                }
                let Ok(entries) = std::fs::read_dir(&folder) else {
                    continue;
                };
                files.extend(entries.flatten().map(|e| e.path()).filter(|p| {
                    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    !matches!(name, "expected.json" | "HOW.md")
                }));
            }
        }
    }
    files.sort();
    files
        .iter()
        .filter(|p| p.is_file() && p.metadata().is_ok_and(|m| m.len() <= MAX_SEED))
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

/// A fresh scratch file per case (tests run on several threads).
fn scratch(kind: Kind) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "readiness-proptest-{}-{}-{n}",
        std::process::id(),
        kind.name()
    ))
}

/// Reads `bytes` with every format of `kind` and sniffed; fails the case on an error without a
/// path (a panic fails it by itself).
fn read_all(kind: Kind, bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = scratch(kind);
    std::fs::write(&path, bytes).unwrap();
    let formats = Format::ALL.iter().copied().filter(|f| f.kind() == kind);
    let mut outcome = Ok(());
    for format in formats.map(Some).chain([None]) {
        if let Err(error) = read_file(&path, format) {
            if error.path() != Some(path.as_path()) {
                outcome = Err(TestCaseError::fail(format!(
                    "{format:?}: error does not name the file: {error}"
                )));
                break;
            }
            let _ = error.to_string();
        }
    }
    std::fs::remove_file(&path).ok();
    outcome
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let garbage = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..16),
        prop::sample::select(vec![
            b"\0".to_vec(),
            b"\xff\xfe".to_vec(),
            b"\n".to_vec(),
            b"99999999999999999999999".to_vec(),
            b"-1".to_vec(),
            b"<".to_vec(),
            b"\"".to_vec(),
            b"{".to_vec(),
            b"[[[[[[[[".to_vec(),
            b"end_of_record\n".to_vec(),
            b"SF:x\n".to_vec(),
            b"</".to_vec(),
            b"&#0;".to_vec(),
            b"]]>".to_vec(),
        ]),
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1..=255u8).prop_map(|(at, mask)| Mutation::Flip(at, mask)),
        (any::<usize>(), garbage).prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<usize>(), 1..64usize).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), 1..256usize).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    match mutation {
        Mutation::Truncate(i) => bytes.truncate(at(*i, bytes.len())),
        Mutation::Flip(i, mask) => {
            if !bytes.is_empty() {
                let i = i % bytes.len();
                bytes[i] ^= mask;
            }
        }
        Mutation::Insert(i, garbage) => {
            let i = at(*i, bytes.len());
            bytes.splice(i..i, garbage.iter().copied());
        }
        Mutation::Delete(i, len) => {
            let i = at(*i, bytes.len());
            let end = (i + len).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Duplicate(i, len) => {
            let i = at(*i, bytes.len());
            let end = (i + len).min(bytes.len());
            let copy = bytes[i..end].to_vec();
            bytes.splice(end..end, copy);
        }
    }
}

const PREFIXES: &[&[u8]] = &[
    b"",
    b"TN:\nSF:a.js\n",
    b"mode: set\n",
    b"<?xml version=\"1.0\"?>\n<coverage line-rate=\"1\"><packages>",
    b"<?xml version=\"1.0\"?>\n<testsuites>",
    b"<testsuite tests=\"1\">",
    b"{\"meta\":{\"branch_coverage\":true},\"files\":",
    b"{\"total\":{\"lines\":{\"pct\":",
    b"{",
    b"[",
    b"Type,Name,Request Count",
    b"npm ERR! code ERESOLVE\n",
    b"error TS2307: Cannot find module",
];

fn arbitrary_input() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(PREFIXES.to_vec()),
        prop::collection::vec(any::<u8>(), 0..512),
    )
        .prop_map(|(prefix, tail)| [prefix, tail.as_slice()].concat())
}

fn mutated_input(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let count = seeds.len().max(1);
    (0..count, prop::collection::vec(mutation(), 1..4)).prop_map(move |(index, mutations)| {
        let mut bytes = seeds.get(index).cloned().unwrap_or_default();
        for mutation in &mutations {
            apply(&mut bytes, mutation);
        }
        bytes
    })
}

fn arbitrary_bytes(kind: Kind) {
    proptest!(config(), |(bytes in arbitrary_input())| {
        read_all(kind, &bytes)?;
    });
}

fn mutated_files(kind: Kind) {
    let seeds = seeds(kind);
    assert!(!seeds.is_empty(), "no seed files for {}", kind.name());
    proptest!(config(), |(bytes in mutated_input(seeds.clone()))| {
        read_all(kind, &bytes)?;
    });
}

macro_rules! kind_tests {
    ($($kind:ident: $arbitrary:ident, $mutated:ident;)*) => {$(
        #[test]
        fn $arbitrary() {
            arbitrary_bytes(Kind::$kind);
        }

        #[test]
        fn $mutated() {
            mutated_files(Kind::$kind);
        }
    )*};
}

kind_tests! {
    Coverage: coverage_arbitrary_bytes, coverage_mutated_files;
    Tests: tests_arbitrary_bytes, tests_mutated_files;
    Build: build_arbitrary_bytes, build_mutated_files;
    Load: load_arbitrary_bytes, load_mutated_files;
    Deps: deps_arbitrary_bytes, deps_mutated_files;
}
