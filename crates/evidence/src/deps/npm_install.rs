//! The log of `npm install` / `npm ci` (stdout and stderr, `> npm-install.log 2>&1`).
//!
//! Checked against npm 11.19.1 (corpus `js/npm-install-log-eresolve`); npm 6-9's `npm ERR!`
//! prefix is read too, and colours are stripped.
//!
//! # Figures
//! `problems`, as npm worded them (prefix `npm error ` removed), for an ERESOLVE failure:
//! - the headline after `code ERESOLVE` (`ERESOLVE unable to resolve dependency tree` or
//!   `ERESOLVE could not resolve`);
//! - the `Found: zustand@5.1.0` line (the version the tree has);
//! - the edge after `Could not resolve dependency:` (`peer zustand@"^4.3.0" from zundo@2.1.0`);
//! - `Conflicting peer dependency: zustand@4.5.7` when npm prints it.
//!
//! Any other failure (`code ETARGET`, `E404`, ...) gives its headline, the line after the code.
//! A log with `npm error` lines but none of these gives its first error line, so a failed
//! install never reads as clean. A successful install has no problems (`npm warn` lines,
//! deprecations and audit results are not dependency-resolution problems).

use super::{npm_error_payload, MAX_PROBLEMS};
use crate::load::lines::{empty, malformed, strip_ansi, Lines};
use crate::ReadError;
use std::path::Path;

const EXPECTED: &str =
    "the log of `npm install` (`npm error` lines or npm's `added N packages` summary)";
/// Error codes npm install and npm ci end with when dependencies cannot be installed.
const INSTALL_CODES: &[&str] = &[
    "ERESOLVE",
    "ETARGET",
    "E404",
    "ENOVERSIONS",
    "EBADENGINE",
    "EINTEGRITY",
    "EUSAGE",
    "ENOTARGET",
];

pub(super) fn sniff(text: &str) -> bool {
    let mut install = false;
    for line in text.lines() {
        let line = strip_ansi(line);
        let line = line.trim_end();
        if line.starts_with("> ") || line.contains("Lifecycle script") {
            return false;
        }
        if let Some(code) = npm_error_payload(line).and_then(|p| p.trim().strip_prefix("code ")) {
            install |= INSTALL_CODES.contains(&code.trim());
        }
        install |= is_summary_line(line);
    }
    install
}

/// npm's closing summary of an install: `added 12 packages, and audited 13 packages in 2s`,
/// `up to date, audited 13 packages in 1s`, `removed 1 package`, `changed 2 packages`.
fn is_summary_line(line: &str) -> bool {
    if line.starts_with("up to date, audited ") {
        return true;
    }
    let mut words = line.split_whitespace();
    matches!(words.next(), Some("added" | "removed" | "changed"))
        && words
            .next()
            .is_some_and(|count| count.parse::<u64>().is_ok())
        && words.next().is_some_and(|word| word.starts_with("package"))
}

pub(super) fn read(path: &Path) -> Result<Vec<String>, ReadError> {
    let mut lines = Lines::open(path)?;
    let mut problems = Vec::new();
    let mut first_error: Option<String> = None;
    let mut expecting_headline = false;
    let mut after_could_not_resolve = false;
    let mut recognised = false;
    let mut any_line = false;
    while let Some((_, line)) = lines.next_line()? {
        let line = strip_ansi(line);
        let line = line.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        any_line = true;
        let Some(payload) = npm_error_payload(line) else {
            recognised |= is_summary_line(line) || line.starts_with("npm ");
            continue;
        };
        recognised = true;
        let payload = payload.trim();
        if payload.is_empty() {
            continue;
        }
        if first_error.is_none() {
            first_error = Some(payload.to_string());
        }
        if problems.len() >= MAX_PROBLEMS {
            continue;
        }
        if payload.starts_with("code ") {
            expecting_headline = true;
            after_could_not_resolve = false;
            continue;
        }
        if expecting_headline {
            let detail = ["path ", "errno ", "syscall ", "workspace ", "location "]
                .iter()
                .any(|prefix| payload.starts_with(prefix));
            if !detail {
                problems.push(payload.to_string());
                expecting_headline = false;
            }
            continue;
        }
        if payload == "Could not resolve dependency:" {
            after_could_not_resolve = true;
            continue;
        }
        if after_could_not_resolve {
            problems.push(payload.to_string());
            after_could_not_resolve = false;
            continue;
        }
        if payload.starts_with("Found: ") || payload.starts_with("Conflicting peer dependency: ") {
            problems.push(payload.to_string());
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
            "text without `npm` lines",
        ));
    }
    if problems.is_empty() {
        problems.extend(first_error);
    }
    Ok(problems)
}
