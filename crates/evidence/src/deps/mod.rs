//! Readers of dependency reports. One file per format; this module dispatches and sniffs.
//!
//! Every reader gives `DepsFigures::problems`: one line per problem, worded as the tool worded it
//! (npm's own `missing: ...`, `invalid: ...`, `ERESOLVE ...` lines without the `npm error ` prefix).
//! Several files are concatenated in order. Text readers share the bounded line reader of
//! [`crate::load::lines`].

mod npm_install;
mod npm_ls;
mod npm_ls_json;

use crate::{DepsFigures, Format, ReadError};
use std::path::{Path, PathBuf};

/// At most this many problems are kept per evidence item.
pub const MAX_PROBLEMS: usize = 10_000;

/// Recognises a deps format from the first bytes of a file and its name.
pub fn sniff(head: &[u8], _path: &Path) -> Option<Format> {
    if npm_ls_json::sniff(head) {
        return Some(Format::NpmLsJson);
    }
    let text = String::from_utf8_lossy(head);
    if npm_ls::sniff(&text) {
        return Some(Format::NpmLs);
    }
    if npm_install::sniff(&text) {
        return Some(Format::NpmInstall);
    }
    None
}

/// Reads (and, for several files, concatenates) deps artifacts of the given format.
pub fn read(format: Format, paths: &[PathBuf]) -> Result<DepsFigures, ReadError> {
    let Some(first) = paths.first() else {
        return Err(ReadError::NoFiles);
    };
    let mut figures = DepsFigures::default();
    for path in paths {
        let problems = match format {
            Format::NpmLs => npm_ls::read(path)?,
            Format::NpmLsJson => npm_ls_json::read(path)?,
            Format::NpmInstall => npm_install::read(path)?,
            other => {
                return Err(ReadError::Merge {
                    path: first.clone(),
                    detail: format!("`{other}` is not a dependency-report format"),
                })
            }
        };
        let room = MAX_PROBLEMS.saturating_sub(figures.problems.len());
        figures.problems.extend(problems.into_iter().take(room));
    }
    Ok(figures)
}

/// The text after npm's error prefix (`npm error ` since npm 10, `npm ERR! ` before), if any.
fn npm_error_payload(line: &str) -> Option<&str> {
    let rest = line
        .strip_prefix("npm error")
        .or_else(|| line.strip_prefix("npm ERR!"))?;
    if rest.is_empty() {
        return Some("");
    }
    rest.strip_prefix(' ')
}
