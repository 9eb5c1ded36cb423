//! `mypy`: the console output of mypy.
//!
//! Checked against mypy 2.4.1 on Python 3.11.7 (`mypy --no-incremental pkg`); the line shape is
//! that of mypy 0.900 and later (error codes in brackets since 0.900, `import-not-found` since
//! 1.7; earlier versions used `import`).
//!
//! - Diagnostics: `pkg/a.py:4: error: Cannot find implementation or library stub for module
//!   named "x"  [import-not-found]` (`pkg/a.py:4:8:` with `--show-column-numbers`, `pkg/a.py:`
//!   for file-level errors); `note:` lines follow some errors.
//! - Summary: `Found 3 errors in 2 files (checked 3 source files)` or `Success: no issues found
//!   in 3 source files`.
//!
//! Figures:
//! - `error_count`: the `Found N error(s)` total where printed, otherwise the `error:` lines.
//! - `unresolved_imports`: `Cannot find implementation or library stub for module named "X"`
//!   (and mypy < 0.700's `Cannot find module named 'X'`). `Library stubs not installed for "X"`
//!   and `module is installed, but missing library stubs` are about types of a module that
//!   resolves, and are not counted.
//! - Outcome: `Found N errors` (N > 0) or an `error:` line means failure, exit code 1; `Success:
//!   no issues found` means success, exit code 0. (mypy exits 2 on a crash or a usage error,
//!   which prints neither.)

use super::{text, Collector, LogParser};

const EXIT_ERRORS: i32 = 1;

#[derive(Default)]
pub(crate) struct Parser;

/// `file:line[:col]: severity: message` -> (file, line, severity, message).
fn diagnostic(line: &str) -> Option<(&str, Option<u32>, &str, &str)> {
    for (severity, needle) in [
        ("error", ": error: "),
        ("note", ": note: "),
        ("warning", ": warning: "),
    ] {
        if let Some(at) = line.find(needle) {
            let position = line.get(..at)?;
            let message = line.get(at + needle.len()..)?;
            let (file, row) = match text::file_line_col(position) {
                Some((file, row)) => (file, Some(row)),
                None => (position, None),
            };
            let python = [".py", ".pyi"].iter().any(|ext| file.ends_with(ext));
            if file.is_empty() || file.contains(' ') || !(python || row.is_some()) {
                return None;
            }
            return Some((file, row, severity, message));
        }
    }
    None
}

fn missing_module(message: &str) -> Option<&str> {
    text::quoted_after(
        message,
        "Cannot find implementation or library stub for module named ",
    )
    .or_else(|| text::quoted_after(message, "Cannot find module named "))
}

/// `Found N error(s) in M file(s)`.
fn found_total(line: &str) -> Option<u64> {
    let rest = line.strip_prefix("Found ")?;
    let (count, rest) = text::leading_u64(rest)?;
    (rest.starts_with(" error") && rest.contains(" in ")).then_some(count)
}

pub(crate) fn is_signature(line: &str) -> bool {
    diagnostic(line).is_some_and(|(file, _, _, _)| file.ends_with(".py") || file.ends_with(".pyi"))
        || (found_total(line).is_some() && line.contains("(checked "))
        || line.starts_with("Success: no issues found in ")
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "a mypy log (lines like `pkg/a.py:4: error: ...  [import-not-found]`, `Found N errors ...`)"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        if let Some((file, row, severity, message)) = diagnostic(line) {
            out.recognise();
            if severity == "error" {
                out.error();
                out.failed(Some(EXIT_ERRORS));
                if let Some(module) = missing_module(message) {
                    out.import(file, row, module);
                }
            }
        } else if let Some(total) = found_total(line) {
            out.set_summary(total);
            if total > 0 {
                out.failed(Some(EXIT_ERRORS));
            }
        } else if line.starts_with("Success: no issues found") {
            out.set_summary(0);
            out.succeeded();
        }
    }
}
