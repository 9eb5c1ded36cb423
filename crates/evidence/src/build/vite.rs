//! `vite`: the console output of `vite build`, with Rollup (vite ≤ 7) or Rolldown (vite 8).
//!
//! Checked against vite 8.3.8 (Rolldown); the Rollup-era lines are those of vite 4 to 7.
//!
//! - Rolldown: `✗ Build failed in 28ms`, `error during build:`, `Build failed with N error(s):`,
//!   then diagnostics such as `[UNRESOLVED_IMPORT] Could not resolve './x' in src/main.ts`
//!   followed by a framed location `╭─[ src/main.ts:3:35 ]` (1-based line and column).
//! - Rollup: `error during build:` then one error, e.g. `[vite]: Rollup failed to resolve import
//!   "X" from "/abs/src/main.ts".` or `Could not resolve "X" from "src/main.ts"` (no line).
//! - Success: `✓ built in 1.2s`.
//!
//! Figures:
//! - `error_count`: Rolldown's `Build failed with N error(s)` where printed, otherwise one per
//!   `error during build:` (Rollup stops at the first error).
//! - `unresolved_imports`: each `[UNRESOLVED_IMPORT]` diagnostic (file from `in <file>`, line
//!   from its framed location), each `Rollup failed to resolve import "X" from "F"` and each
//!   `Could not resolve "X" from "F"`.
//! - Outcome: `error during build:` or `Build failed` means failure, exit code 1 (the vite CLI
//!   exits 1 on a build error); `✓ built in` means success.

use super::{text, Collector, LogParser};

const EXIT_FAILED: i32 = 1;

#[derive(Default)]
pub(crate) struct Parser {
    /// An `[UNRESOLVED_IMPORT]` diagnostic waiting for its framed location: (file, specifier).
    pending: Option<(String, String)>,
}

/// `Build failed with N error(s)`.
fn rolldown_total(line: &str) -> Option<u64> {
    let at = line.find("Build failed with ")?;
    let rest = line.get(at + "Build failed with ".len()..)?;
    let (count, rest) = text::leading_u64(rest)?;
    rest.starts_with(" error").then_some(count)
}

/// `[UNRESOLVED_IMPORT] Could not resolve 'X' in F` -> (F, X).
fn rolldown_unresolved(line: &str) -> Option<(&str, &str)> {
    let rest = line
        .trim_start()
        .strip_prefix("[UNRESOLVED_IMPORT]")?
        .trim_start();
    let rest = rest.strip_prefix("Could not resolve ")?;
    let specifier = text::quoted(rest)?;
    let after = rest.get(specifier.len() + 2..)?;
    let file = after.trim().strip_prefix("in ")?.trim();
    Some((file, specifier))
}

/// `[vite]: Rollup failed to resolve import "X" from "F".` and `Could not resolve "X" from "F"`.
fn rollup_unresolved(line: &str) -> Option<(&str, &str)> {
    for needle in ["failed to resolve import ", "Could not resolve "] {
        if let Some(at) = line.find(needle) {
            let rest = line.get(at + needle.len()..)?;
            let specifier = text::quoted(rest)?;
            let after = rest.get(specifier.len() + 2..)?;
            let file_part = after.trim_start().strip_prefix("from ")?;
            let file =
                text::quoted(file_part).unwrap_or_else(|| file_part.trim_end_matches('.').trim());
            return Some((file, specifier));
        }
    }
    None
}

/// `╭─[ src/main.ts:3:35 ]` -> (`src/main.ts`, 3).
fn framed_location(line: &str) -> Option<(&str, u32)> {
    let start = line.find("[ ")?;
    let rest = line.get(start + 2..)?;
    let end = rest.find(" ]")?;
    text::file_line_col(rest.get(..end)?.trim())
}

pub(crate) fn is_signature(line: &str) -> bool {
    line.strip_prefix("vite v")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        || line.starts_with("error during build:")
        || line.starts_with("[vite]")
        || line.contains("building for production...")
        || line.contains("building client environment for production")
        || line.contains("building SSR bundle for production")
}

impl Parser {
    fn flush(&mut self, line: Option<u32>, out: &mut Collector) {
        if let Some((file, specifier)) = self.pending.take() {
            out.import(&file, line, &specifier);
        }
    }
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "a `vite build` log (`vite v…`, `error during build:`, `✓ built in …`)"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        if is_signature(line) {
            out.recognise();
        }
        if line.starts_with("error during build:") {
            out.error();
            out.failed(Some(EXIT_FAILED));
            return;
        }
        if line.contains("Build failed in ") {
            out.failed(Some(EXIT_FAILED));
            return;
        }
        if let Some(total) = rolldown_total(line) {
            out.add_summary(total);
            out.failed(Some(EXIT_FAILED));
            return;
        }
        if line.trim_start().starts_with("✓ built in ") {
            out.succeeded();
            return;
        }
        if let Some((file, specifier)) = rolldown_unresolved(line) {
            self.flush(None, out);
            self.pending = Some((file.to_string(), specifier.to_string()));
            return;
        }
        if let Some((file, row)) = framed_location(line) {
            if self
                .pending
                .as_ref()
                .is_some_and(|(pending, _)| pending == file)
            {
                self.flush(Some(row), out);
            }
            return;
        }
        if line.trim_start().starts_with('[') {
            // Another diagnostic: the pending one had no framed location.
            self.flush(None, out);
        }
        if let Some((file, specifier)) = rollup_unresolved(line) {
            self.flush(None, out);
            out.import(file, None, specifier);
        }
    }

    fn finish(&mut self, out: &mut Collector) {
        self.flush(None, out);
    }
}
