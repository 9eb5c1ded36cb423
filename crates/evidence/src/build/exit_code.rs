//! The build command's exit status, from a small file beside the log.
//!
//! The convention (README, "Exit codes"): a step writes its exit status beside its log,
//! `npm run build > logs/build.log 2>&1; echo $? > logs/build.exit`. For a log `DIR/NAME.EXT` the
//! first existing file among these is used:
//!
//! 1. `DIR/NAME.exit` (e.g. `logs/build.exit` for `logs/build.log`): the convention
//! 2. `DIR/NAME.EXT.exit-code` (e.g. `tsc.log.exit-code`)
//! 3. `DIR/NAME.exit-code` (e.g. `tsc.exit-code`)
//! 4. `DIR/NAME.exit-code.txt`
//! 5. `DIR/exit-code.txt` (one build per folder, as in the corpus)
//! 6. `DIR/exit-code`
//!
//! The `exit-code` format (source `exit_code("logs/build.exit")`) reads such a file on its own.
//!
//! Its first non-blank line holds the status: `101`, `exit code: 101`, `exit status 1`,
//! `exit_code=1` or `rc=1` (case-insensitive). Anything else is an error naming that file: a
//! wrong exit status must never be guessed.

use crate::{Location, ReadError};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most bytes read from an exit-code file.
const MAX_BYTES: u64 = 4096;

/// The exit-code files that may accompany `log`, in the order they are tried.
pub fn candidates(log: &Path) -> Vec<PathBuf> {
    let dir = log.parent().unwrap_or_else(|| Path::new(""));
    candidate_names(log)
        .into_iter()
        .map(|name| dir.join(name))
        .collect()
}

/// The names of [`candidates`], without their folder.
fn candidate_names(log: &Path) -> Vec<String> {
    let mut out = Vec::with_capacity(6);
    if let Some(name) = log.file_name().and_then(|name| name.to_str()) {
        if let Some(stem) = log.file_stem().and_then(|stem| stem.to_str()) {
            if stem != name {
                out.push(format!("{stem}.exit"));
            }
        }
        out.push(format!("{name}.exit-code"));
        if let Some(stem) = log.file_stem().and_then(|stem| stem.to_str()) {
            if stem != name {
                out.push(format!("{stem}.exit-code"));
            }
            out.push(format!("{stem}.exit-code.txt"));
        }
    }
    out.push("exit-code.txt".to_string());
    out.push("exit-code".to_string());
    out
}

/// The exit status recorded beside `log`, if such a file exists. The file is opened through
/// [`crate::files::sibling`]: one that leads out of the log's folder through a symlink is refused
/// (an error naming it, never quoting it).
pub fn beside(log: &Path) -> Result<Option<i32>, ReadError> {
    for name in candidate_names(log) {
        if let Some(found) = crate::files::sibling(log, &name)? {
            return read(&found).map(Some);
        }
    }
    Ok(None)
}

/// Reads one exit-code file.
pub fn read(path: &Path) -> Result<i32, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = crate::files::open_artifact(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_BYTES).read_to_end(&mut bytes).map_err(io)?;
    let text = String::from_utf8_lossy(&bytes);
    let Some((index, line)) = text
        .lines()
        .enumerate()
        .find(|(_, line)| !line.trim().is_empty())
    else {
        return Err(ReadError::Empty {
            path: path.to_path_buf(),
            expected: "an exit status like `1` or `exit code: 1`".to_string(),
        });
    };
    parse(line).ok_or_else(|| ReadError::Malformed {
        path: path.to_path_buf(),
        location: Some(Location::LineColumn {
            line: index as u64 + 1,
            column: 1,
        }),
        expected: "an exit status like `1` or `exit code: 1`".to_string(),
        found: format!("`{}`", super::text::excerpt(line.trim())),
    })
}

/// Parses `101`, `exit code: 101`, `exit status 1`, `exit_code=1`, `rc=1`.
pub fn parse(line: &str) -> Option<i32> {
    let lower = line.trim().to_ascii_lowercase();
    let mut rest = lower.as_str();
    for prefix in [
        "exit code",
        "exit_code",
        "exitcode",
        "exit status",
        "exit",
        "status",
        "rc",
        "code",
    ] {
        if let Some(after) = rest.strip_prefix(prefix) {
            rest = after;
            break;
        }
    }
    let rest = rest.trim_start().trim_start_matches([':', '=']).trim();
    rest.parse::<i32>().ok()
}

#[cfg(test)]
mod unit {
    use super::parse;

    #[test]
    fn parses_the_usual_spellings() {
        assert_eq!(parse("exit code: 101"), Some(101));
        assert_eq!(parse("0"), Some(0));
        assert_eq!(parse("Exit status 2"), Some(2));
        assert_eq!(parse("EXIT_CODE=1"), Some(1));
        assert_eq!(parse("rc=-1"), Some(-1));
        assert_eq!(parse("it failed"), None);
    }
}
