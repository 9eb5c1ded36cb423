//! The diagnostic-code registry (`readiness_gate::explain::CODES`, shown by `gate explain`):
//! every code the source can emit is registered, codes are unique, kebab-case and sorted, each
//! has a summary and an explanation, and no registered code is dead.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::explain::{lookup, CODES};
use std::collections::BTreeSet;
use std::path::Path;

/// The stages that find problems in a policy; in them, a kebab-case string literal is a code.
const DIAGNOSING: &[&str] = &["syntax/", "check/", "eval/", "diagnostic.rs"];

/// Kebab-case string literals in those stages that are not diagnostic codes.
const NOT_CODES: &[&str] = &[];

/// The Rust sources of the crate, except the registry itself: (path, text).
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "rs") && !path.ends_with("explain.rs") {
            let relative = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.push((relative, std::fs::read_to_string(path).unwrap()));
        }
    }
    files.sort();
    assert!(files.len() > 10, "the sources were not found");
    files
}

fn is_kebab(text: &str) -> bool {
    !text.is_empty()
        && text
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase()))
}

/// The string literal starting right after `prefix` (skipping whitespace), if any.
fn literal_after(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix('"')?;
    rest.split('"').next()
}

/// Every string literal of a text that looks like a code (`"a-b"`).
fn kebab_literals(text: &str) -> Vec<&str> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|literal| literal.contains('-') && is_kebab(literal))
        .collect()
}

/// Codes used as `Diagnostic::error("code"`, `Diagnostic::warning("code"` and
/// `code = if ... { "a" } else { "b" }`, with where they are used.
fn codes_in_constructors() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, text) in sources() {
        for constructor in ["Diagnostic::error(", "Diagnostic::warning("] {
            for (at, _) in text.match_indices(constructor) {
                let after = &text[at + constructor.len()..];
                if let Some(code) = literal_after(after) {
                    found.push((code.to_string(), path.clone()));
                }
            }
        }
        for line in text
            .lines()
            .filter(|line| line.contains("code = if") || line.contains("code = match"))
        {
            for code in kebab_literals(line) {
                found.push((code.to_string(), path.clone()));
            }
        }
    }
    found
}

#[test]
fn the_scan_finds_the_codes_it_should() {
    let found: BTreeSet<String> = codes_in_constructors()
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    for expected in [
        "unit-mismatch",
        "syntax-error",
        "conflicting-severity",
        "duplicate-modifier",
        "stale-waiver",
        "expired-waiver",
    ] {
        assert!(
            found.contains(expected),
            "the scan missed `{expected}`: {found:?}"
        );
    }
}

#[test]
fn every_code_the_source_emits_is_registered() {
    let missing: Vec<String> = codes_in_constructors()
        .into_iter()
        .filter(|(code, _)| lookup(code).is_none())
        .map(|(code, path)| format!("`{code}` (src/{path})"))
        .collect();
    assert!(
        missing.is_empty(),
        "codes used but not in explain::CODES: {}",
        missing.join(", ")
    );
}

#[test]
fn every_kebab_case_literal_in_the_diagnosing_stages_is_a_registered_code() {
    // Catches codes passed through a parameter (`check_percentage(.., "target-not-percentage")`).
    let mut unknown = Vec::new();
    let diagnosing = sources().into_iter().filter(|(path, _)| {
        DIAGNOSING
            .iter()
            .any(|stage| path.replace('\\', "/").starts_with(stage))
    });
    for (path, text) in diagnosing {
        for literal in kebab_literals(&text) {
            if lookup(literal).is_none() && !NOT_CODES.contains(&literal) {
                unknown.push(format!("`{literal}` (src/{path})"));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "kebab-case literals that are not registered codes (register them, or add them to NOT_CODES): {}",
        unknown.join(", ")
    );
}

#[test]
fn every_registered_code_is_used_somewhere() {
    let all: String = sources().into_iter().map(|(_, text)| text).collect();
    let unused: Vec<&str> = CODES
        .iter()
        .map(|code| code.code)
        .filter(|code| !all.contains(&format!("\"{code}\"")))
        .collect();
    assert!(
        unused.is_empty(),
        "registered codes the source never uses: {unused:?}"
    );
}

#[test]
fn codes_are_unique_kebab_case_and_sorted() {
    let mut seen = BTreeSet::new();
    for code in CODES {
        assert!(is_kebab(code.code), "`{}` is not kebab-case", code.code);
        assert!(
            seen.insert(code.code),
            "`{}` is registered twice",
            code.code
        );
    }
    let names: Vec<&str> = CODES.iter().map(|code| code.code).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "CODES is documented as sorted by name");
}

#[test]
fn every_code_is_explained() {
    for code in CODES {
        assert!(
            !code.summary.trim().is_empty(),
            "`{}` has no summary",
            code.code
        );
        assert!(
            code.explanation.trim().len() >= 30,
            "`{}` has no real explanation",
            code.code
        );
        let first = code.summary.chars().next().unwrap();
        assert!(
            !first.is_uppercase(),
            "`{}`: summaries are lowercase",
            code.code
        );
        assert!(
            !code.summary.ends_with('.'),
            "`{}`: summaries have no final period",
            code.code
        );
        assert_eq!(lookup(code.code).unwrap().explanation, code.explanation);
    }
    assert!(lookup("no-such-code").is_none());
}
