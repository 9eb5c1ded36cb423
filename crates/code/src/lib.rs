//! Facts computed from source code, knowing nothing of policies.
//!
//! - [`imports`]: every import of the TypeScript/JavaScript files (parsed with `oxc_parser`,
//!   resolved with `oxc_resolver`) and Python files (parsed with tree-sitter-python, resolved
//!   against the project's source roots and declared dependencies), with the unresolved ones as
//!   findings.
//! - [`code`]: structural search with ast-grep: a pattern in the file's language, filtered by
//!   relations (`inside`, `not_inside`, `has`, `not_has`), with each match as a finding.
//!
//! Both take a workspace root and the workspace-relative files to look at, work in parallel over
//! files (rayon), and hold one file's text at a time per thread. A file that cannot be read as
//! source (too large, not UTF-8, a syntax error the parser could not recover from) is a
//! [`Problem`], never silently skipped: the caller makes the figures unknown.

mod imports;
mod js;
mod python;
mod python_stdlib;
mod rules;

pub use imports::{imports, ImportFacts};
pub use rules::{
    code, compile, CodeFacts, CodeQuery, CompiledQuery, Language, PatternError, Relation,
};

use std::path::Path;

/// The largest source file read. Larger files (bundles, generated code) are a [`Problem`].
pub const MAX_SOURCE_FILE: u64 = 4 * 1024 * 1024;

/// One place in the source: an unresolved import, a match of a code rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Finding {
    /// Workspace-relative, `/`-separated.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// The import specifier, or the first line of the matched text.
    pub text: String,
    /// Why it is a finding (`cannot find module`, `not declared in package.json`, ...).
    pub reason: String,
}

/// A file that could not be read as source, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    pub file: String,
    pub reason: String,
}

/// Reads a source file: at most [`MAX_SOURCE_FILE`] bytes, valid UTF-8.
pub(crate) fn read_source(root: &Path, relative: &str) -> Result<String, Problem> {
    let problem = |reason: String| Problem {
        file: relative.to_string(),
        reason,
    };
    let path = root.join(relative);
    let metadata =
        std::fs::metadata(&path).map_err(|error| problem(format!("cannot read it: {error}")))?;
    if metadata.len() > MAX_SOURCE_FILE {
        return Err(problem(format!(
            "it is {} KB, above the {} KB limit for source files (generated or bundled?)",
            metadata.len() >> 10,
            MAX_SOURCE_FILE >> 10
        )));
    }
    let bytes =
        std::fs::read(&path).map_err(|error| problem(format!("cannot read it: {error}")))?;
    String::from_utf8(bytes).map_err(|error| {
        problem(format!(
            "it is not valid UTF-8 (at byte {})",
            error.utf8_error().valid_up_to()
        ))
    })
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.bytes().filter(|byte| *byte == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    let column = before
        .get(line_start..)
        .map_or(0, |part| part.chars().count())
        + 1;
    (line, column)
}

/// The first line of a text, at most 200 characters.
pub(crate) fn one_line(text: &str) -> String {
    let first = text.lines().next().unwrap_or("").trim_end();
    if first.chars().count() > 200 {
        let cut: String = first.chars().take(200).collect();
        format!("{cut}…")
    } else {
        first.to_string()
    }
}
