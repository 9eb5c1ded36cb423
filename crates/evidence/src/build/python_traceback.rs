//! `python-traceback`: the output of a Python process that failed to import a module.
//!
//! Checked against CPython 3.11.7 (`python -c 'import pkg.mod'`); the traceback shape is that of
//! CPython 3 (3.11+ adds `^^^^` marker lines, 3.13 colours: both are handled).
//!
//! - `Traceback (most recent call last):`, frames `  File "/abs/pkg/a.py", line 4, in <module>`
//!   each followed by the source line, then the exception line: `ModuleNotFoundError: No
//!   module named 'x'` (3.6+) or `ImportError: No module named x` (older), or `ImportError:
//!   cannot import name 'Y' from 'X' (/abs/X/__init__.py)`.
//! - Chained exceptions are joined by `During handling of the above exception, another
//!   exception occurred:` or `The above exception was the direct cause of the following
//!   exception:`.
//!
//! Figures:
//! - `error_count`: one per uncaught exception: a chain of tracebacks counts once.
//! - `unresolved_imports`: each `ModuleNotFoundError` / `ImportError: No module named` (the
//!   module as quoted) and each `cannot import name 'Y' from 'X'` (recorded as `X.Y`: Python
//!   found neither the attribute nor the submodule), with the innermost frame's file and line
//!   (frames of `<frozen importlib...>` skipped). Paths are kept exactly as Python printed them
//!   (absolute for imported modules).
//! - Outcome: only an exit-code file settles it, except that a traceback ending the log (its
//!   exception line is the last non-blank line) is an uncaught exception: failure, exit code 1.
//!   A traceback followed by more output may have been caught and logged: outcome unknown.

use super::{text, Collector, LogParser};

const EXIT_UNCAUGHT: i32 = 1;

#[derive(Default)]
pub(crate) struct Parser {
    in_traceback: bool,
    /// The innermost non-frozen frame of the current traceback.
    frame: Option<(String, Option<u32>)>,
    /// The last non-blank line was an exception line ending a traceback.
    ended_with_exception: bool,
    /// The next exception continues a chain (already counted).
    chained: bool,
}

/// `  File "/abs/a.py", line 4, in <module>` -> (file, line).
fn frame(line: &str) -> Option<(&str, Option<u32>)> {
    let rest = line.trim_start().strip_prefix("File ")?;
    let file = text::quoted(rest)?;
    let after = rest.get(file.len() + 2..)?;
    let row = after
        .strip_prefix(", line ")
        .and_then(|rest| text::number(rest.split(',').next().unwrap_or(rest)));
    Some((file, row))
}

/// The exception name of an exception line (`pkg.Error: message` or `Error`).
fn exception_name(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    let name = line.split(':').next()?.trim_end();
    let last = name.rsplit('.').next()?;
    let valid = !last.is_empty()
        && last.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    valid.then_some(name)
}

/// The module an import failure names.
fn missing_module(name: &str, message: &str) -> Option<String> {
    let short = name.rsplit('.').next().unwrap_or(name);
    if short != "ModuleNotFoundError" && short != "ImportError" {
        return None;
    }
    if let Some(rest) = message.strip_prefix("No module named ") {
        let module = text::quoted(rest).unwrap_or_else(|| rest.split(';').next().unwrap_or(rest));
        return Some(module.trim().to_string());
    }
    if let Some(rest) = message.strip_prefix("cannot import name ") {
        let name = text::quoted(rest)?;
        let from = rest.find(" from ")?;
        let after = rest.get(from + " from ".len()..)?;
        let after = after
            .strip_prefix("partially initialized module ")
            .unwrap_or(after);
        let module = text::quoted(after)?;
        return Some(format!("{module}.{name}"));
    }
    None
}

pub(crate) fn is_signature(line: &str) -> bool {
    line.trim_end() == "Traceback (most recent call last):"
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "a Python traceback (`Traceback (most recent call last):`) or an exit-code file beside the log"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        if line.trim().is_empty() {
            return;
        }
        let was_end = std::mem::replace(&mut self.ended_with_exception, false);
        if is_signature(line) {
            out.recognise();
            self.in_traceback = true;
            self.frame = None;
            return;
        }
        if line.starts_with("During handling of the above exception")
            || line.starts_with("The above exception was the direct cause")
        {
            if was_end {
                self.chained = true;
            }
            return;
        }
        if !self.in_traceback {
            return;
        }
        if let Some((file, row)) = frame(line) {
            if !file.starts_with("<frozen ") {
                self.frame = Some((file.to_string(), row));
            }
            return;
        }
        let Some(name) = exception_name(line) else {
            return;
        };
        let message = line
            .get(name.len()..)
            .unwrap_or_default()
            .trim_start_matches(':')
            .trim();
        self.in_traceback = false;
        self.ended_with_exception = true;
        if !std::mem::replace(&mut self.chained, false) {
            out.error();
        }
        if let Some(module) = missing_module(name, message) {
            let (file, row) = self.frame.clone().unwrap_or_default();
            out.import(&file, row, &module);
        }
    }

    fn finish(&mut self, out: &mut Collector) {
        if self.ended_with_exception {
            out.failed(Some(EXIT_UNCAUGHT));
        }
    }
}
