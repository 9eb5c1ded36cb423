//! `rollup`: the console output of the Rollup CLI.
//!
//! Written against the messages of Rollup 2 to 4 (no corpus folder: see the fixtures).
//!
//! - Errors: `[!] RollupError: Could not resolve "./x" from "src/main.js"` (Rollup 3 and 4),
//!   `[!] Error: Could not resolve './x' from src/main.js` (Rollup 2), or any other `[!] ...`
//!   line; Rollup stops at the first error.
//! - Warnings: `(!) Unresolved dependencies` followed by `lodash (imported by "src/main.js")`
//!   lines (Rollup 2: `imported by src/main.js`) up to a blank line: those imports were left
//!   external, the bundle still builds.
//! - Success: `created dist/bundle.js in 25ms`.
//!
//! Figures:
//! - `error_count`: the number of `[!]` lines.
//! - `unresolved_imports`: each `Could not resolve "X" from "F"` error and each entry of an
//!   `Unresolved dependencies` warning (one per importer), without a line (Rollup prints none).
//! - Outcome: a `[!]` line means failure, exit code 1; `created ... in` means success.

use super::{text, Collector, LogParser};

const EXIT_FAILED: i32 = 1;

#[derive(Default)]
pub(crate) struct Parser {
    /// Inside an `(!) Unresolved dependencies` list.
    in_unresolved: bool,
}

/// `Could not resolve "X" from "F"` or `Could not resolve 'X' from F` -> (F, X).
fn could_not_resolve(line: &str) -> Option<(&str, &str)> {
    let at = line.find("Could not resolve ")?;
    let rest = line.get(at + "Could not resolve ".len()..)?;
    let specifier = text::quoted(rest)?;
    let after = rest.get(specifier.len() + 2..)?.trim_start();
    let file = after.strip_prefix("from ")?.trim();
    Some((text::quoted(file).unwrap_or(file), specifier))
}

/// `lodash (imported by "src/a.js", "src/b.js")` -> (`lodash`, [importers]).
fn unresolved_entry(line: &str) -> Option<(&str, Vec<&str>)> {
    let (specifier, rest) = line.trim().split_once(" (imported by ")?;
    let importers = rest.strip_suffix(')')?;
    let files = importers
        .split(", ")
        .map(|file| text::quoted(file).unwrap_or(file).trim())
        .filter(|file| !file.is_empty())
        .collect();
    Some((specifier, files))
}

pub(crate) fn is_signature(line: &str) -> bool {
    let created = line.starts_with("created ")
        && line.contains(" in ")
        && line.contains('/')
        && line.ends_with('s');
    created || line.starts_with("[!] ") || line.starts_with("(!) ") || line.starts_with("rollup v")
}

impl LogParser for Parser {
    fn expected(&self) -> &'static str {
        "a rollup log (`[!] RollupError: ...`, `(!) ...` warnings, `created ... in ...`)"
    }

    fn line(&mut self, line: &str, out: &mut Collector) {
        if line.trim().is_empty() {
            self.in_unresolved = false;
            return;
        }
        if let Some(message) = line.strip_prefix("[!] ") {
            self.in_unresolved = false;
            out.error();
            out.failed(Some(EXIT_FAILED));
            if let Some((file, specifier)) = could_not_resolve(message) {
                out.import(file, None, specifier);
            }
            return;
        }
        if let Some(warning) = line.strip_prefix("(!) ") {
            out.recognise();
            self.in_unresolved = warning.starts_with("Unresolved dependencies");
            return;
        }
        if self.in_unresolved {
            if let Some((specifier, importers)) = unresolved_entry(line) {
                for importer in importers {
                    out.import(importer, None, specifier);
                }
            }
            return;
        }
        if line.starts_with("created ") && line.contains(" in ") {
            out.succeeded();
        } else if line.starts_with("rollup v") {
            out.recognise();
        }
    }
}
