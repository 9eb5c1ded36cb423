//! `next`: the console output of `next build`, with webpack or Turbopack.
//!
//! Checked against Next.js 16.4.6 (`next build` with Turbopack, the default, and `next build
//! --webpack`); the webpack shape (`./file` or `./file:line:col`, then the message) is the one
//! Next.js 13 to 16 print.
//!
//! - webpack: `Failed to compile.`, then blocks separated by blank lines: `./app/page.tsx` (no
//!   position in Next 16, `./app/page.tsx:2:0` in older versions), `Module not found: Can't
//!   resolve 'X'`, a docs link and maybe `Import trace for requested module:` with the importers
//!   (not errors); `> Build failed because of webpack errors`.
//! - Turbopack: `> Build error occurred`, `Error: Turbopack build failed with N errors:`, then
//!   blocks `./app/page.tsx:2:1` + `Error: Module not found: Can't resolve 'X'` + a code frame.
//! - Type checking after compilation: `Failed to compile.` + `./app/page.tsx:5:7` + `Type error:
//!   ...` (a `Cannot find module 'X'` type error is an unresolved import too).
//!
//! Figures:
//! - `error_count`: Turbopack's `failed with N errors` where printed, otherwise the number of
//!   error blocks (a `./path` line opening a block after a failure line); a failure with no
//!   itemised block (a config error after `> Build error occurred`) counts as one error.
//! - `unresolved_imports`: each `Module not found: Can't resolve 'X'` (and each `Type error:
//!   Cannot find module 'X'`) with its block's file (without `./`) and line where printed.
//! - Outcome: `Failed to compile.`, `> Build error occurred`, `Build failed because of ...` or
//!   `Turbopack build failed` mean failure, exit code 1 (`next build` exits 1 on any build
//!   error); the route table (`Route (app)` / `Route (pages)`) that ends a build means success.

use super::{text, tsc, Collector, LogParser};

const EXIT_FAILED: i32 = 1;

#[derive(Default)]
pub(crate) struct Parser {
    /// A failure line has been seen: `./path` lines open error blocks from now on.
    in_errors: bool,
    /// The previous line was blank or a failure line: a block may start here.
    block_may_start: bool,
    /// Inside an import trace (importer paths, not errors) until the next blank line.
    in_trace: bool,
    /// The current block's file and line.
    block: Option<(String, Option<u32>)>,
}

fn is_failure_line(line: &str) -> bool {
    line.starts_with("Failed to compile")
        || line.starts_with("> Build error occurred")
        || line.starts_with("> Build failed because of")
        || turbopack_total(line).is_some()
}

/// `Error: Turbopack build failed with N errors:`
fn turbopack_total(line: &str) -> Option<u64> {
    let at = line.find("Turbopack build failed with ")?;
    let rest = line.get(at + "Turbopack build failed with ".len()..)?;
    text::leading_u64(rest).map(|(count, _)| count)
}

/// `./app/page.tsx`, `./app/page.tsx:2:1`: the file and line of a block header.
fn block_header(line: &str) -> Option<(&str, Option<u32>)> {
    if !(line.starts_with("./") || line.starts_with("../")) || line.contains(' ') {
        return None;
    }
    Some(match text::file_line_col(line) {
        Some((file, row)) => (file, Some(row)),
        None => (line, None),
    })
}

pub(crate) fn is_signature(line: &str) -> bool {
    (line.contains("Next.js ") && (line.starts_with('▲') || line.contains("▲ Next.js")))
        || line.starts_with("> Build error occurred")
        || line.contains("Creating an optimized production build")
        || line.contains("Turbopack build failed with ")
        || line.contains("https://nextjs.org/docs/messages/")
        || line.starts_with("> Build failed because of webpack errors")
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "a `next build` log (`▲ Next.js`, `Failed to compile.`, `./app/page.tsx` blocks)"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        let blank = line.trim().is_empty();
        if is_signature(line) {
            out.recognise();
        }
        if is_failure_line(line) {
            self.in_errors = true;
            self.block_may_start = true;
            self.in_trace = false;
            out.failed(Some(EXIT_FAILED));
            if let Some(total) = turbopack_total(line) {
                out.add_summary(total);
            }
            return;
        }
        if blank {
            self.block_may_start = true;
            self.in_trace = false;
            return;
        }
        if line.starts_with("Import trace") {
            self.in_trace = true;
        } else if self.in_errors && self.block_may_start && !self.in_trace {
            if let Some((file, row)) = block_header(line) {
                out.error();
                self.block = Some((file.to_string(), row));
            }
        }
        if let Some((file, row)) = &self.block {
            let message = line.strip_prefix("Error: ").unwrap_or(line);
            let module = if message.starts_with("Module not found:") {
                text::quoted_after(message, "Can't resolve ")
            } else if let Some(type_error) = message.strip_prefix("Type error: ") {
                tsc::cannot_find_module(type_error)
            } else {
                None
            };
            if let Some(module) = module {
                out.import(file, *row, module);
                self.block = None;
            }
        }
        if line.starts_with("Route (app)") || line.starts_with("Route (pages)") {
            out.succeeded();
        }
        self.block_may_start = false;
    }

    fn finish(&mut self, out: &mut Collector) {
        if out.has_failed() && out.counted == 0 && out.summary.is_none() {
            out.counted = 1;
        }
    }
}
