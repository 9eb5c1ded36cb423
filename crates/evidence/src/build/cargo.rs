//! `cargo`: the human console output of `cargo build` / `cargo check` (and of rustc alone).
//!
//! Checked against cargo 1.95.0 / rustc 1.95.0 (`cargo build --color never`); the diagnostic
//! shape (`error[E0432]: ...` + ` --> file:line:col`) is stable since Rust 1.0.
//!
//! - Diagnostics: `error[E0432]: unresolved import `x``, `error: cannot find macro ...`, each
//!   followed by ` --> src/main.rs:3:5` and a code frame.
//! - Summaries: cargo's `error: could not compile `crate` (bin "crate") due to 5 previous
//!   errors` (one per failed crate; `due to previous error` before Rust 1.74), rustc's `error:
//!   aborting due to 5 previous errors` when rustc runs alone.
//! - Success: `Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.5s` (`Finished
//!   dev [unoptimized] target(s)` before cargo 1.77).
//!
//! Figures:
//! - `error_count`: the larger of the summaries' sum and the number of `error` headers other
//!   than those summaries (cargo's own errors, such as a failed dependency resolution, have no
//!   rustc summary).
//! - `unresolved_imports`: E0432 (unresolved import), E0433 (failed to resolve a path, except
//!   `use of undeclared type`) and E0463 (can't find crate): the first backticked path of the
//!   header and the file and line of its ` --> ` location.
//! - Outcome: any error means failure: exit code 101 under cargo, 1 when only rustc's `aborting
//!   due to` summary appears; `Finished` means success.

use super::{text, Collector, LogParser};

/// cargo's exit status on any error.
const EXIT_CARGO: i32 = 101;
/// rustc's exit status on compile errors.
const EXIT_RUSTC: i32 = 1;

#[derive(Default)]
pub(crate) struct Parser {
    /// An unresolved-import header waiting for its ` --> ` location.
    pending: Option<String>,
    /// A header was seen since the last location (the next ` --> ` belongs to it).
    in_diagnostic: bool,
    cargo_summary: bool,
    rustc_summary: bool,
}

/// The code of `error[E0432]: msg` (None for `error: msg`) and the message.
fn error_header(line: &str) -> Option<(Option<&str>, &str)> {
    let rest = line.strip_prefix("error")?;
    if let Some(message) = rest.strip_prefix(": ") {
        return Some((None, message));
    }
    let rest = rest.strip_prefix('[')?;
    let (code, message) = rest.split_once("]: ")?;
    let valid = code.len() == 5
        && code.starts_with('E')
        && code.bytes().skip(1).all(|byte| byte.is_ascii_digit());
    valid.then_some((Some(code), message))
}

/// `N previous errors` / `previous error` in a summary -> N.
fn previous_errors(message: &str) -> u64 {
    text::number_before(message, " previous error").unwrap_or(1)
}

fn unresolved_specifier<'a>(code: &str, message: &'a str) -> Option<&'a str> {
    match code {
        "E0432" | "E0463" => text::first_backticked(message),
        "E0433" if !message.contains("undeclared type") => text::first_backticked(message),
        _ => None,
    }
}

fn is_finished(line: &str) -> bool {
    line.trim_start()
        .strip_prefix("Finished ")
        .is_some_and(|rest| rest.contains("target(s) in") || rest.contains("profile"))
}

pub(crate) fn is_signature(line: &str) -> bool {
    let compiling = line
        .trim_start()
        .strip_prefix("Compiling ")
        .is_some_and(|rest| rest.contains(" v"));
    compiling
        || matches!(error_header(line), Some((Some(_), _)))
        || line.starts_with("error: could not compile `")
        || line.starts_with("error: aborting due to")
        || is_finished(line)
}

impl Parser {
    /// Records a pending import whose location never came.
    fn flush(&mut self, out: &mut Collector) {
        if let Some(specifier) = self.pending.take() {
            out.import("", None, &specifier);
        }
    }
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "a cargo log (`error[E0432]: ...` with ` --> file:line:col`, `Compiling ...`, `Finished ...`)"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        if let Some((code, message)) = error_header(line) {
            self.flush(out);
            let lower = message.to_ascii_lowercase();
            if lower.starts_with("could not compile") {
                self.cargo_summary = true;
                out.add_summary(if lower.contains("previous error") {
                    previous_errors(message)
                } else {
                    0
                });
                out.failed(Some(EXIT_CARGO));
                return;
            }
            if lower.starts_with("aborting due to") {
                self.rustc_summary = true;
                out.add_summary(previous_errors(message));
                out.failed(None);
                return;
            }
            out.error();
            out.failed(None);
            self.in_diagnostic = true;
            if let Some(code) = code {
                self.pending = unresolved_specifier(code, message).map(str::to_string);
            }
            return;
        }
        if let Some(position) = line.trim_start().strip_prefix("--> ") {
            if self.in_diagnostic {
                self.in_diagnostic = false;
                if let Some(specifier) = self.pending.take() {
                    match text::file_line_col(position.trim()) {
                        Some((file, row)) => out.import(file, Some(row), &specifier),
                        None => out.import(position.trim(), None, &specifier),
                    }
                }
            }
            return;
        }
        if line.starts_with("warning") {
            self.in_diagnostic = false;
            self.flush(out);
        }
        if is_finished(line) {
            out.succeeded();
        } else if is_signature(line) {
            out.recognise();
        }
    }

    fn finish(&mut self, out: &mut Collector) {
        self.flush(out);
        out.count_is_max = true;
        if out.has_failed() {
            let code = if self.rustc_summary && !self.cargo_summary {
                EXIT_RUSTC
            } else {
                EXIT_CARGO
            };
            out.failed(Some(code));
        }
    }
}
