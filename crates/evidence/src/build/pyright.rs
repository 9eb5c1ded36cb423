//! `pyright`: the text console output of pyright (and basedpyright).
//!
//! Checked against pyright 1.1.414 (npm package, `pyright pkg`); the shape is unchanged since
//! pyright 1.1.100.
//!
//! - A file header line (the absolute path), then its diagnostics, indented:
//!   `  /abs/pkg/a.py:4:8 - error: Import "x" could not be resolved (reportMissingImports)`
//!   (line and column 1-based); severities `error`, `warning`, `information`.
//! - Summary: `3 errors, 0 warnings, 0 informations` (`1 error, ...`).
//!
//! Figures:
//! - `error_count`: the summary's error total where printed, otherwise the `- error:` lines.
//! - `unresolved_imports`: `error` diagnostics `Import "X" could not be resolved` (rule
//!   reportMissingImports). `could not be resolved from source` (reportMissingModuleSource: a
//!   stub exists) and `Stub file not found` are not unresolved imports.
//! - Files: pyright prints absolute paths; inside a GitHub Actions workspace
//!   (`…/work/REPO/REPO/`) they are made relative to it, the project's root, as the JSON reader
//!   does. Other paths are kept as printed.
//! - Outcome: the summary's error total: 0 means success (exit code 0), more means failure
//!   (exit code 1, pyright's status when it reports errors).

use super::{text, Collector, LogParser};

const EXIT_ERRORS: i32 = 1;

#[derive(Default)]
pub(crate) struct Parser;

/// `  /abs/a.py:4:8 - error: message` -> (file, line, severity, message).
pub(crate) fn diagnostic(line: &str) -> Option<(&str, u32, &str, &str)> {
    let trimmed = line.trim_start();
    for (severity, needle) in [
        ("error", " - error: "),
        ("warning", " - warning: "),
        ("information", " - information: "),
    ] {
        if let Some(at) = trimmed.find(needle) {
            let (file, row) = text::file_line_col(trimmed.get(..at)?)?;
            return Some((file, row, severity, trimmed.get(at + needle.len()..)?));
        }
    }
    None
}

/// The module of `Import "X" could not be resolved`, not `... could not be resolved from source`.
pub(crate) fn unresolved_module(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("Import ")?;
    let module = text::quoted(rest)?;
    let after = rest.get(module.len() + 2..)?;
    let unresolved = after.starts_with(" could not be resolved")
        && !after.starts_with(" could not be resolved from source");
    unresolved.then_some(module)
}

/// `3 errors, 0 warnings, 0 informations` -> 3.
fn summary(line: &str) -> Option<u64> {
    let (errors, rest) = text::leading_u64(line.trim())?;
    let rest = rest
        .strip_prefix(" errors, ")
        .or_else(|| rest.strip_prefix(" error, "))?;
    let (_, rest) = text::leading_u64(rest)?;
    rest.starts_with(" warning").then_some(errors)
}

pub(crate) fn is_signature(line: &str) -> bool {
    diagnostic(line).is_some_and(|(file, _, _, _)| file.ends_with(".py") || file.ends_with(".pyi"))
        || summary(line).is_some()
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "a pyright log (lines like `  /abs/a.py:4:8 - error: Import \"x\" could not be resolved`)"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        if let Some((file, row, severity, message)) = diagnostic(line) {
            out.recognise();
            if severity == "error" {
                out.error();
                out.failed(Some(EXIT_ERRORS));
                if let Some(module) = unresolved_module(message) {
                    out.import(text::workspace_relative(file), Some(row), module);
                }
            }
        } else if let Some(errors) = summary(line) {
            out.set_summary(errors);
            if errors > 0 {
                out.failed(Some(EXIT_ERRORS));
            } else {
                out.succeeded();
            }
        }
    }
}
