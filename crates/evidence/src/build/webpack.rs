//! `webpack`: the console output of webpack-cli.
//!
//! Checked against webpack 5.112.2 with webpack-cli 6.0.1; the `ERROR in` blocks are those of
//! webpack 4 and 5 (webpack 4 names the importer on a ` @ ./file line:col` line instead of the
//! header).
//!
//! - Error blocks: `ERROR in ./frontend/entry.js 2:24-59` (module, then its location
//!   `line:col-col`, `line:col-line:col` or `line:col`), then the message, e.g. `Module not
//!   found: Error: Can't resolve '@/lib/x' in '/abs/dir'`. Warnings are `WARNING in` blocks.
//! - Summary (webpack 5): `webpack 5.112.2 compiled with 3 errors in 162 ms`, `... compiled with
//!   1 error and 2 warnings ...`, `... compiled successfully in ...`, `... compiled with 2
//!   warnings ...`; one per compiler of a multi-compiler build.
//!
//! Figures:
//! - `error_count`: the sum of the summaries' error totals where printed, otherwise the number
//!   of `ERROR in` blocks.
//! - `unresolved_imports`: each `Module not found: Error: Can't resolve 'X'` (and a ts-loader
//!   `TS2307: Cannot find module 'X'`) with its block's module (loaders before `!` and a leading
//!   `./` removed) and the first line of its location; for webpack 4, the ` @ ` line naming the
//!   same module gives the line.
//! - Outcome: `compiled with N error(s)` means failure, exit code 1 (webpack-cli 4 and later set
//!   exit code 1 when the stats have errors); `compiled successfully` or with warnings only means
//!   success. Without a summary (webpack 4), `ERROR in` blocks mean failure with an unknown exit
//!   code (webpack-cli 3 exited 2).

use super::{text, tsc, Collector, LogParser};

const EXIT_ERRORS: i32 = 1;

#[derive(Default)]
pub(crate) struct Parser {
    /// The current `ERROR in` block: its module, its line, and the import waiting for a line.
    block: Option<Block>,
}

struct Block {
    file: String,
    line: Option<u32>,
    pending: Option<String>,
}

/// `./a.js 2:24-59` -> (`a.js`, Some(2)).
fn module_and_line(rest: &str) -> (&str, Option<u32>) {
    let rest = rest.trim();
    let (module, line) = match rest.rsplit_once(' ') {
        Some((module, location)) => match location_line(location) {
            Some(line) => (module, Some(line)),
            None => (rest, None),
        },
        None => (rest, None),
    };
    let module = module.rsplit('!').next().unwrap_or(module);
    (text::strip_dot_slash(module), line)
}

/// `2:24-59`, `2:24-3:5`, `1:7` -> 2.
fn location_line(location: &str) -> Option<u32> {
    let (line, rest) = location.split_once(':')?;
    let first = rest.split('-').next()?;
    text::number(first)?;
    text::number(line)
}

/// `compiled with 1 error and 2 warnings` -> Some(1); `compiled successfully` -> Some(0).
fn summary(line: &str) -> Option<u64> {
    let at = line.find("compiled ")?;
    if !line.get(..at)?.contains("webpack") {
        return None;
    }
    let rest = line.get(at + "compiled ".len()..)?;
    if rest.starts_with("successfully") {
        return Some(0);
    }
    let rest = rest.strip_prefix("with ")?;
    let (count, after) = text::leading_u64(rest)?;
    if after.starts_with(" error") {
        Some(count)
    } else if after.starts_with(" warning") {
        Some(0)
    } else {
        None
    }
}

pub(crate) fn is_signature(line: &str) -> bool {
    line.starts_with("ERROR in ") || line.starts_with("WARNING in ") || summary(line).is_some()
}

impl Parser {
    fn close_block(&mut self, out: &mut Collector) {
        if let Some(block) = self.block.take() {
            if let Some(module) = block.pending {
                out.import(&block.file, block.line, &module);
            }
        }
    }
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "a webpack log (`ERROR in ./file line:col` blocks, `webpack 5.x compiled ...`)"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        if let Some(rest) = line.strip_prefix("ERROR in ") {
            self.close_block(out);
            out.error();
            let (file, row) = module_and_line(rest);
            self.block = Some(Block {
                file: file.to_string(),
                line: row,
                pending: None,
            });
            return;
        }
        if line.starts_with("WARNING in ") {
            self.close_block(out);
            out.recognise();
            return;
        }
        if let Some(errors) = summary(line) {
            self.close_block(out);
            out.add_summary(errors);
            if errors > 0 {
                out.failed(Some(EXIT_ERRORS));
            } else {
                out.succeeded();
            }
            return;
        }
        let Some(block) = self.block.as_mut() else {
            return;
        };
        if block.pending.is_none() {
            let module = if line.starts_with("Module not found:") {
                text::quoted_after(line, "Can't resolve ")
            } else {
                line.find("TS2307: ")
                    .and_then(|at| line.get(at..))
                    .and_then(tsc::cannot_find_module)
            };
            if let Some(module) = module {
                block.pending = Some(module.to_string());
            }
        }
        if block.line.is_none() {
            if let Some(origin) = line.strip_prefix(" @ ") {
                let (file, row) = module_and_line(origin);
                if file == block.file {
                    block.line = row;
                }
            }
        }
    }

    fn finish(&mut self, out: &mut Collector) {
        self.close_block(out);
        if out.summary.is_none() && out.counted > 0 {
            out.failed(None);
        }
    }
}
