//! `npm ls --all` as text (the tree on stdout, npm's problem summary on stderr, best captured
//! together with `2>&1`).
//!
//! Checked against npm 11.19.1 (corpus `js/npm-ls-text-peer-invalid`); npm 6's `npm ERR!` prefix
//! and ASCII tree (`+--`, `` `-- ``) are read too.
//!
//! # Figures
//! `problems` = the lines npm prints after `npm error code ELSPROBLEMS` (prefix removed, the
//! closing "A complete log of this run..." line left out), e.g. `missing: clsx@^2.1.1, required
//! by app@0.3.0` and `invalid: zustand@5.1.0 /path/node_modules/zustand`; npm 6's `npm ERR!
//! missing: ...`/`invalid: ...`/`extraneous: ...`/`peer dep missing: ...` lines likewise.
//!
//! When the file holds only the tree (stderr not captured), the problems are read from the tree's
//! markers instead, worded as close to npm's summary as the tree allows:
//! `UNMET DEPENDENCY x@range` -> `missing: x@range, required by <parent>`,
//! `x@1.0.0 invalid: "^2" from node_modules/y` -> `invalid: x@1.0.0 "^2" from node_modules/y`
//! (the tree has no install path), `x@1.0.0 extraneous` -> `extraneous: x@1.0.0`, once each.
//! `UNMET OPTIONAL DEPENDENCY` is not a problem (npm does not report it either).

use super::{npm_error_payload, MAX_PROBLEMS};
use crate::load::lines::{empty, malformed, strip_ansi, Lines};
use crate::ReadError;
use std::collections::HashSet;
use std::path::Path;

const EXPECTED: &str = "the output of `npm ls` (a dependency tree or npm's problem summary)";
/// Deeper trees are read, but parents beyond this level are not remembered.
const MAX_TREE_DEPTH: usize = 512;
/// npm 6's problem lines (npm 7+ prints them after `code ELSPROBLEMS`).
const PROBLEM_PREFIXES: &[&str] = &[
    "missing:",
    "invalid:",
    "extraneous:",
    "peer dep missing:",
    "peer invalid:",
];

pub(super) fn sniff(text: &str) -> bool {
    text.lines().any(|line| {
        let line = strip_ansi(line);
        tree_line(&line).is_some_and(|(level, _)| level > 0)
            || npm_error_payload(&line) == Some("code ELSPROBLEMS")
    })
}

/// Splits a tree line into its level (root = 0) and node text. A child line is indentation
/// (`│ `, `| ` or two spaces per level) then a connector (`├── `, `└── `, `├─┬ `, `└─┬ `, and
/// npm 6's `+-- `, `` `-- ``, `+-┬ `, `` `-┬ ``, `+-+ `, `` `-+ ``).
fn tree_line(line: &str) -> Option<(usize, &str)> {
    let mut chars = line.char_indices();
    let mut level = 0;
    loop {
        let (at, first) = chars.next()?;
        if level == 0 && !matches!(first, '│' | '|' | ' ' | '├' | '└' | '+' | '`') {
            return Some((0, line));
        }
        let second = chars.next()?.1;
        match (first, second) {
            ('│' | '|' | ' ', ' ') => level += 1,
            ('├' | '└', '─') | ('+' | '`', '-') => {
                let third = chars.next()?.1;
                let fourth = chars.next()?.1;
                if !matches!(third, '─' | '┬' | '-' | '+') || fourth != ' ' {
                    return None;
                }
                let text_at = at + first.len_utf8() + second.len_utf8() + third.len_utf8() + 1;
                let text = line.get(text_at..)?;
                return (!text.is_empty() && !text.starts_with(' ')).then_some((level + 1, text));
            }
            _ => return None,
        }
    }
}

pub(super) fn read(path: &Path) -> Result<Vec<String>, ReadError> {
    let mut lines = Lines::open(path)?;
    let mut reported = Vec::new();
    let mut from_tree = Vec::new();
    let mut seen_in_tree = HashSet::new();
    let mut first_error = None;
    let mut in_summary = false;
    let mut parents: Vec<String> = Vec::new();
    let mut recognised = false;
    let mut any_line = false;
    while let Some((_, line)) = lines.next_line()? {
        let line = strip_ansi(line);
        if line.trim().is_empty() {
            continue;
        }
        any_line = true;
        if let Some(payload) = npm_error_payload(&line) {
            recognised = true;
            let payload = payload.trim();
            if let Some(code) = payload.strip_prefix("code ") {
                in_summary = code == "ELSPROBLEMS";
                if first_error.is_none() && !in_summary {
                    first_error = Some(payload.to_string());
                }
                continue;
            }
            if payload.is_empty() || payload.starts_with("A complete log of this run") {
                continue;
            }
            if (in_summary || PROBLEM_PREFIXES.iter().any(|p| payload.starts_with(p)))
                && reported.len() < MAX_PROBLEMS
            {
                reported.push(payload.to_string());
            } else if first_error.is_none() {
                first_error = Some(payload.to_string());
            }
            continue;
        }
        if line.starts_with("npm ") {
            continue;
        }
        let Some((level, text)) = tree_line(&line) else {
            continue;
        };
        if level == 0 {
            // The root: `app@0.3.0 /path/to/app` (or only the path for an unnamed project).
            if !recognised && !text.contains('@') && !text.starts_with('/') {
                continue;
            }
            parents.clear();
            parents.push(
                text.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            );
            continue;
        }
        recognised = true;
        let parent = level
            .checked_sub(1)
            .and_then(|parent| parents.get(parent))
            .map(String::as_str)
            .unwrap_or_default();
        if let Some(problem) = tree_problem(text, parent) {
            if from_tree.len() < MAX_PROBLEMS && seen_in_tree.insert(problem.clone()) {
                from_tree.push(problem);
            }
        }
        if level < MAX_TREE_DEPTH {
            parents.truncate(level);
            if !text.starts_with("UNMET ") {
                parents.push(
                    text.split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
        }
    }
    if !any_line {
        return Err(empty(path, EXPECTED));
    }
    if !recognised {
        return Err(malformed(
            path,
            Some((1, 1)),
            EXPECTED,
            "text without a dependency tree or `npm error` lines",
        ));
    }
    if !reported.is_empty() {
        return Ok(reported);
    }
    if !from_tree.is_empty() {
        return Ok(from_tree);
    }
    // npm failed without a problem summary (e.g. no package.json): that failure is the problem.
    Ok(first_error.into_iter().collect())
}

/// The problem a tree node shows, worded like npm's summary.
fn tree_problem(text: &str, parent: &str) -> Option<String> {
    if let Some(rest) = text.strip_prefix("UNMET DEPENDENCY ") {
        return Some(format!("missing: {}, required by {parent}", rest.trim()));
    }
    if let Some(rest) = text.strip_prefix("UNMET PEER DEPENDENCY ") {
        return Some(format!(
            "peer dep missing: {}, required by {parent}",
            rest.trim()
        ));
    }
    if text.starts_with("UNMET OPTIONAL DEPENDENCY ") {
        return None;
    }
    let mut words = text.split_whitespace();
    let spec = words.next()?;
    let rest: Vec<&str> = words.filter(|word| *word != "deduped").collect();
    match rest.split_first() {
        Some((&"invalid:", reason)) => Some(format!("invalid: {spec} {}", reason.join(" "))),
        Some((&"extraneous", _)) => Some(format!("extraneous: {spec}")),
        _ => None,
    }
}
