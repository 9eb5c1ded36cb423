//! `go-build`: the console output of `go build` (and `go vet`, `go test -run xxx` build failures).
//!
//! Checked against go1.19.8 (`go build ./...`, module mode); the messages below are those of Go
//! 1.16 to 1.23 (`is not in std` replaced `is not in GOROOT` in Go 1.21).
//!
//! - Errors are one per line, `file:line:col: message`, grouped under `# package` headers for
//!   compile errors; continuation lines are indented with a tab (`\tgo get example.com/x`).
//! - Unresolved imports: `no required module provides package X; to add it:`, `package X is not
//!   in GOROOT (...)` / `is not in std (...)`, `cannot find package "X" in any of:`, `cannot find
//!   module providing package X`, `missing go.sum entry for module providing package X`,
//!   `could not import X (...)`.
//! - go command errors have no position: `go: go.mod file not found in ...`; its progress lines
//!   (`go: downloading ...`, `go: finding ...`) are not errors.
//! - go build prints nothing on success.
//!
//! Figures:
//! - `error_count`: Go prints no total: the number of positioned error lines plus `go:` error
//!   lines (`too many errors` is not counted).
//! - `unresolved_imports`: the package path as printed, with the line's file and line.
//! - Outcome: any error line means failure, exit code 1 (the go command's status for build
//!   errors). Success can only come from an exit-code file.

use super::{text, Collector, LogParser};

const EXIT_FAILED: i32 = 1;

#[derive(Default)]
pub(crate) struct Parser;

/// `file:line:col: message` -> (file, line, message).
fn positioned(line: &str) -> Option<(&str, u32, &str)> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    let mut search = 0;
    while let Some(found) = line.get(search..).and_then(|rest| rest.find(": ")) {
        let at = search + found;
        let prefix = line.get(..at)?;
        if let Some((file, row)) = text::file_line_col(prefix) {
            if !file.contains(' ') {
                return Some((file, row, line.get(at + 2..)?));
            }
        }
        search = at + 2;
    }
    None
}

/// The first whitespace-free token after `needle`, without trailing `;` or `:`.
fn token_after<'a>(message: &'a str, needle: &str) -> Option<&'a str> {
    let at = message.find(needle)?;
    let rest = message.get(at + needle.len()..)?;
    if let Some(quoted) = text::quoted(rest) {
        return Some(quoted);
    }
    let token = rest.split([' ', ';']).next()?.trim_end_matches([':', ',']);
    (!token.is_empty()).then_some(token)
}

/// The package a message says could not be found.
fn missing_package(message: &str) -> Option<&str> {
    for needle in [
        "no required module provides package ",
        "cannot find module providing package ",
        "missing go.sum entry for module providing package ",
        "cannot find package ",
        "could not import ",
    ] {
        if let Some(package) = token_after(message, needle) {
            return Some(package);
        }
    }
    if message.contains(" is not in GOROOT") || message.contains(" is not in std") {
        return token_after(message, "package ");
    }
    None
}

/// `go: ...` lines that report progress, not errors.
fn is_progress(rest: &str) -> bool {
    [
        "downloading ",
        "finding ",
        "extracting ",
        "warning:",
        "added ",
        "upgraded ",
        "downgraded ",
        "found ",
        "creating ",
    ]
    .iter()
    .any(|prefix| rest.starts_with(prefix))
}

pub(crate) fn is_signature(line: &str) -> bool {
    positioned(line).is_some_and(|(file, _, _)| file.ends_with(".go"))
        || line.contains("no required module provides package ")
        || line.contains(" is not in GOROOT (")
        || line.starts_with("go: downloading ")
        || line.starts_with("can't load package: ")
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "a `go build` log (lines like `cmd/app/main.go:7:2: no required module provides package x`)"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        if let Some(rest) = line.strip_prefix("go: ") {
            out.recognise();
            if !is_progress(rest) {
                out.error();
                out.failed(Some(EXIT_FAILED));
                if let Some(package) = missing_package(rest) {
                    out.import("", None, package);
                }
            }
            return;
        }
        if let Some((file, row, message)) = positioned(line) {
            out.error();
            out.failed(Some(EXIT_FAILED));
            if let Some(package) = missing_package(message) {
                out.import(file, Some(row), package);
            }
            return;
        }
        let unpositioned = line.starts_with("can't load package: ")
            || (line.starts_with("package ") && missing_package(line).is_some());
        if unpositioned {
            out.error();
            out.failed(Some(EXIT_FAILED));
            if let Some(package) = missing_package(line) {
                out.import("", None, package);
            }
        } else if line
            .strip_prefix("# ")
            .is_some_and(|package| !package.is_empty() && !package.contains(' '))
        {
            out.recognise();
        }
    }
}
