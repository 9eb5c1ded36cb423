//! Errors of the readers: which file, where in it, and what was expected there.

use std::path::PathBuf;

/// Where in an artifact a problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// 1-based line and column.
    LineColumn { line: u64, column: u64 },
    /// 0-based byte offset (binary or XML positions).
    ByteOffset(u64),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::LineColumn { line, column } => write!(f, "line {line}, column {column}"),
            Location::ByteOffset(offset) => write!(f, "byte {offset}"),
        }
    }
}

/// A reader could not turn an artifact into figures. Messages are lowercase, user input in
/// backticks, and always name the file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// No file was given.
    #[error("no artifact files were given")]
    NoFiles,
    /// The file could not be opened or read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is empty.
    #[error("`{path}` is empty: expected {expected}")]
    Empty { path: PathBuf, expected: String },
    /// The format could not be recognised from the content.
    #[error("cannot tell the format of `{path}`: {detail}")]
    UnknownFormat { path: PathBuf, detail: String },
    /// The content does not match the format.
    #[error("`{path}`{}: expected {expected}, found {found}", .location.map(|l| format!(" at {l}")).unwrap_or_default())]
    Malformed {
        path: PathBuf,
        location: Option<Location>,
        expected: String,
        found: String,
    },
    /// The file was not opened: it leads out of the workspace or its folder, or is not a
    /// regular file. Nothing of its content is quoted.
    #[error("`{path}` was not read: {reason}")]
    Refused { path: PathBuf, reason: String },
    /// Several files of one evidence item are of different kinds or formats that cannot be merged.
    #[error("cannot merge `{path}` into the others: {detail}")]
    Merge { path: PathBuf, detail: String },
}

impl ReadError {
    /// The file the error is about, where there is one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            ReadError::NoFiles => None,
            ReadError::Io { path, .. }
            | ReadError::Empty { path, .. }
            | ReadError::UnknownFormat { path, .. }
            | ReadError::Malformed { path, .. }
            | ReadError::Merge { path, .. }
            | ReadError::Refused { path, .. } => Some(path),
        }
    }
}
