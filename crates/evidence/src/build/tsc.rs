//! `tsc`: the TypeScript compiler's console output, plain and `--pretty`.
//!
//! Checked against tsc 5.9.3 (`tsc --noEmit`, redirected: plain, and `--pretty`: ANSI colours,
//! code frames and a summary); the shapes are unchanged since TypeScript 2.x.
//!
//! - Plain: `app/page.tsx(2,33): error TS2307: Cannot find module '...' or its corresponding
//!   type declarations.`; no summary when the output is not a terminal.
//! - Pretty: `app/page.tsx:2:33 - error TS2307: ...`, code frames, then `Found 3 errors in 2
//!   files.` (or `Found 1 error.`, `Found 2 errors in the same file, starting at: ...`).
//! - Global errors have no position: `error TS5023: Unknown compiler option 'x'.`
//!
//! Figures:
//! - `error_count`: the `Found N error(s)` total where printed (the last one, for watch mode),
//!   otherwise the number of `error TS` lines.
//! - `unresolved_imports`: TS2307 (`Cannot find module 'X' or its corresponding type
//!   declarations`) and TS2792 (`Cannot find module 'X'. Did you mean to set the
//!   'moduleResolution' option...`); the specifier is the quoted module, the line tsc's 1-based
//!   line. TS7016 (a module without type declarations) resolves and is not counted.
//! - Outcome: any error means failure with exit code 2 (`DiagnosticsPresent_OutputsGenerated`,
//!   what `tsc --noEmit` and emitting builds return); `tsc -b` and `noEmitOnError` builds exit 1
//!   instead, which the log does not show, so give an exit-code file where that matters.
//!   `Found 0 errors` means success. tsc prints nothing on success, so an empty log needs an
//!   exit-code file.

use super::{text, Collector, LogParser};

/// The exit status tsc returns when it reported errors and emitted (or was told not to emit).
const EXIT_ERRORS: i32 = 2;

#[derive(Default)]
pub(crate) struct Parser;

/// A tsc error header: file, line, code and message. File and line are `None` for global errors.
struct Header<'a> {
    file: Option<&'a str>,
    line: Option<u32>,
    code: u32,
    message: &'a str,
}

/// Parses `TS2307: message` (the text after `error `).
fn code_and_message(rest: &str) -> Option<(u32, &str)> {
    let rest = rest.strip_prefix("TS")?;
    let (code, rest) = text::leading_u64(rest)?;
    let message = rest.strip_prefix(':')?.trim_start();
    Some((u32::try_from(code).ok()?, message))
}

fn header(line: &str) -> Option<Header<'_>> {
    // tsc starts its headers in column 0; indented copies are other tools quoting tsc (ts-jest).
    if line.starts_with([' ', '\t']) {
        return None;
    }
    if let Some(rest) = line.strip_prefix("error ") {
        let (code, message) = code_and_message(rest)?;
        return Some(Header {
            file: None,
            line: None,
            code,
            message,
        });
    }
    if let Some(at) = line.find("): error ") {
        let (code, message) = code_and_message(line.get(at + "): error ".len()..)?)?;
        let position = line.get(..at)?;
        let (file, numbers) = position.rsplit_once('(')?;
        let (row, col) = numbers.split_once(',')?;
        text::number(col)?;
        return Some(Header {
            file: Some(file),
            line: Some(text::number(row)?),
            code,
            message,
        });
    }
    if let Some(at) = line.find(" - error ") {
        let (code, message) = code_and_message(line.get(at + " - error ".len()..)?)?;
        let (file, row) = text::file_line_col(line.get(..at)?)?;
        return Some(Header {
            file: Some(file),
            line: Some(row),
            code,
            message,
        });
    }
    None
}

/// The module of a "Cannot find module 'X'" message.
pub(crate) fn cannot_find_module(message: &str) -> Option<&str> {
    text::quoted_after(message, "Cannot find module ")
}

/// `Found N error(s)` anywhere in the line (watch mode prefixes a timestamp).
fn found_total(line: &str) -> Option<u64> {
    let at = line.find("Found ")?;
    let rest = line.get(at + "Found ".len()..)?;
    let (count, rest) = text::leading_u64(rest)?;
    rest.starts_with(" error").then_some(count)
}

pub(crate) fn is_signature(line: &str) -> bool {
    // `Found 3 errors in 2 files.`, `Found 1 error.`, `Found 1 error in a.ts:2`, not mypy's
    // `Found 3 errors in 2 files (checked 3 source files)`.
    let summary = line.starts_with("Found ")
        && found_total(line).is_some()
        && !line.contains("(checked")
        && (line.ends_with('.') || line.ends_with(|c: char| c.is_ascii_digit()));
    header(line).is_some() || summary
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "a tsc log (lines like `src/a.ts(2,30): error TS2307: Cannot find module 'x'`)"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        if let Some(header) = header(line) {
            out.error();
            out.failed(Some(EXIT_ERRORS));
            if header.code == 2307 || header.code == 2792 {
                if let Some(module) = cannot_find_module(header.message) {
                    out.import(header.file.unwrap_or_default(), header.line, module);
                }
            }
        } else if let Some(total) = found_total(line) {
            out.set_summary(total);
            if total == 0 {
                out.succeeded();
            } else {
                out.failed(Some(EXIT_ERRORS));
            }
        }
    }
}
