//! `esbuild`: the console output of the esbuild CLI (and of its JS API's build failures).
//!
//! Checked against esbuild 0.28.2 (`esbuild src/main.ts --bundle`); the message shape dates from
//! esbuild 0.14, the older ` > file:line:col: error: ...` shape is read too.
//!
//! - Errors: `✘ [ERROR] Could not resolve "X"` (`X [ERROR]` without Unicode), a blank line, then
//!   the location `    src/main.ts:2:28:` (line 1-based, column 0-based) and a code frame.
//! - JS API failures: `Build failed with 1 error:` then `src/main.ts:2:28: ERROR: Could not
//!   resolve "X"`.
//! - Summary: the last line, `2 errors`, `1 warning and 2 errors`, `10 of 25 errors shown`.
//! - Success: `⚡ Done in 12ms`.
//!
//! Figures:
//! - `error_count`: the summary's error total (or `Build failed with N errors`) where printed,
//!   otherwise the number of `[ERROR]` diagnostics.
//! - `unresolved_imports`: each `Could not resolve "X"` error with the file and line of its
//!   location line (an entry point that does not exist has no location: empty file).
//! - Outcome: any error means failure, exit code 1 (the esbuild CLI exits 1 on errors); `⚡ Done
//!   in` without errors means success.

use super::{text, Collector, LogParser};

const EXIT_ERRORS: i32 = 1;

#[derive(Default)]
pub(crate) struct Parser {
    /// A `Could not resolve` error waiting for its location line.
    pending: Option<String>,
    /// The previous non-blank line was a diagnostic header (its location follows).
    expect_location: bool,
}

/// The message of a `✘ [ERROR] msg` header.
fn error_header(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let rest = trimmed
        .strip_prefix("✘ ")
        .or_else(|| trimmed.strip_prefix("X "))
        .unwrap_or(trimmed);
    rest.strip_prefix("[ERROR] ")
}

fn is_other_header(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("▲ [WARNING]") || trimmed.starts_with("[WARNING]")
}

/// `src/a.ts:2:28: ERROR: msg` (JS API) and ` > src/a.ts:2:28: error: msg` (old CLI).
fn located_error(line: &str) -> Option<(&str, u32, &str)> {
    let trimmed = line.trim_start();
    let trimmed = trimmed.strip_prefix("> ").unwrap_or(trimmed);
    let (position, message) = trimmed
        .split_once(": ERROR: ")
        .or_else(|| trimmed.split_once(": error: "))?;
    let (file, row) = text::file_line_col(position)?;
    Some((file, row, message))
}

/// The specifier of `Could not resolve "X"`.
fn could_not_resolve(message: &str) -> Option<&str> {
    text::quoted(message.strip_prefix("Could not resolve ")?)
}

/// `2 errors`, `1 warning and 2 errors`, `10 of 25 errors shown` -> the error total.
fn summary(line: &str) -> Option<u64> {
    let trimmed = line.trim();
    let main = trimmed.split(" (").next().unwrap_or(trimmed);
    let mut errors = None;
    for part in main.split(" and ") {
        let (_, rest) = text::leading_u64(part)?;
        let rest = rest.strip_prefix(" of ").map_or(Some(rest), |of| {
            text::leading_u64(of).map(|(_, after)| after)
        })?;
        let word = rest.trim_start().trim_end_matches(" shown");
        match word {
            "error" | "errors" => errors = text::number_before(part, " error"),
            "warning" | "warnings" => {}
            _ => return None,
        }
    }
    Some(errors.unwrap_or(0))
}

pub(crate) fn is_signature(line: &str) -> bool {
    error_header(line).is_some()
        || is_other_header(line)
        || line.trim_start().starts_with("⚡ Done in")
        || line
            .split_once(": ERROR: Could not resolve ")
            .is_some_and(|(position, _)| text::file_line_col(position.trim()).is_some())
}

impl Parser {
    fn flush(&mut self, file: &str, line: Option<u32>, out: &mut Collector) {
        if let Some(specifier) = self.pending.take() {
            out.import(file, line, &specifier);
        }
    }
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "an esbuild log (`✘ [ERROR] ...` diagnostics, `N errors`, `⚡ Done in ...`)"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        if line.trim().is_empty() {
            return;
        }
        if let Some(message) = error_header(line) {
            self.flush("", None, out);
            out.error();
            out.failed(Some(EXIT_ERRORS));
            self.pending = could_not_resolve(message).map(str::to_string);
            self.expect_location = true;
            return;
        }
        if is_other_header(line) {
            self.flush("", None, out);
            out.recognise();
            self.expect_location = true;
            return;
        }
        if let Some((file, row, message)) = located_error(line) {
            self.flush("", None, out);
            out.error();
            out.failed(Some(EXIT_ERRORS));
            if let Some(specifier) = could_not_resolve(message) {
                out.import(file, Some(row), specifier);
            }
            return;
        }
        if self.expect_location {
            self.expect_location = false;
            let trimmed = line.trim();
            if let Some(position) = trimmed.strip_suffix(':') {
                if let Some((file, row)) = text::file_line_col(position) {
                    self.flush(file, Some(row), out);
                    return;
                }
            }
        }
        if let Some(at) = line.find("Build failed with ") {
            if let Some((total, rest)) = line
                .get(at + "Build failed with ".len()..)
                .and_then(text::leading_u64)
            {
                if rest.starts_with(" error") {
                    out.set_summary(total);
                    out.failed(Some(EXIT_ERRORS));
                    return;
                }
            }
        }
        if line.trim_start().starts_with("⚡ Done in") {
            out.succeeded();
            return;
        }
        if !line.starts_with(' ') {
            if let Some(errors) = summary(line) {
                self.flush("", None, out);
                out.set_summary(errors);
                if errors > 0 {
                    out.failed(Some(EXIT_ERRORS));
                }
            }
        }
    }

    fn finish(&mut self, out: &mut Collector) {
        self.flush("", None, out);
    }
}
