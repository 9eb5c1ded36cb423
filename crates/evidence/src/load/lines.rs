//! Bounded, streaming line reading for the text readers (wrk, Locust CSV, npm logs).
//!
//! Lines are read with `fill_buf` + memchr into one reused buffer; a line longer than
//! [`MAX_LINE_BYTES`] is cut there (the rest is skipped, not kept), so memory does not grow with
//! the file. Every line must be UTF-8 and free of NUL bytes (a NUL means a binary file);
//! otherwise the error names the line and column. Trailing `\r` is dropped.

use crate::{Location, ReadError};
use std::borrow::Cow;
use std::io::BufRead;
use std::path::Path;

/// Longest line kept; the rest of a longer line is skipped.
pub(crate) const MAX_LINE_BYTES: usize = 64 * 1024;

/// Reads a text artifact line by line.
pub(crate) struct Lines<'p, R> {
    path: &'p Path,
    reader: R,
    buf: Vec<u8>,
    number: u64,
}

impl<'p> Lines<'p, std::io::BufReader<std::fs::File>> {
    /// Opens a file for line reading.
    pub(crate) fn open(path: &'p Path) -> Result<Self, ReadError> {
        let file = crate::files::open_artifact(path)?;
        Ok(Lines::new(
            path,
            std::io::BufReader::with_capacity(64 * 1024, file),
        ))
    }
}

impl<'p, R: BufRead> Lines<'p, R> {
    pub(crate) fn new(path: &'p Path, reader: R) -> Self {
        Lines {
            path,
            reader,
            buf: Vec::with_capacity(1024),
            number: 0,
        }
    }

    /// The 1-based number of the line last returned.
    pub(crate) fn number(&self) -> u64 {
        self.number
    }

    /// The next line without its line break, with its 1-based number; `None` at the end of the
    /// file.
    pub(crate) fn next_line(&mut self) -> Result<Option<(u64, &str)>, ReadError> {
        self.buf.clear();
        let mut truncated = false;
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(ReadError::Io {
                        path: self.path.to_path_buf(),
                        source,
                    })
                }
            };
            if available.is_empty() {
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (chunk, used, done) = match memchr::memchr(b'\n', available) {
                Some(at) => (available.get(..at).unwrap_or_default(), at + 1, true),
                None => (available, available.len(), false),
            };
            let room = MAX_LINE_BYTES.saturating_sub(self.buf.len());
            if chunk.len() > room {
                truncated = true;
            }
            self.buf
                .extend_from_slice(chunk.get(..chunk.len().min(room)).unwrap_or_default());
            self.reader.consume(used);
            if done {
                break;
            }
        }
        self.number += 1;
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        if let Some(at) = memchr::memchr(0, &self.buf) {
            return Err(self.malformed_at(at, "text", "a NUL byte (binary data)"));
        }
        let valid = match std::str::from_utf8(&self.buf) {
            Ok(_) => self.buf.len(),
            // A line cut at MAX_LINE_BYTES may end inside a character: drop that partial character.
            Err(error) if truncated && error.error_len().is_none() => error.valid_up_to(),
            Err(error) => {
                return Err(self.malformed_at(
                    error.valid_up_to(),
                    "UTF-8 text",
                    "bytes that are not UTF-8",
                ))
            }
        };
        Ok(
            std::str::from_utf8(self.buf.get(..valid).unwrap_or_default())
                .ok()
                .map(|line| (self.number, line)),
        )
    }

    fn malformed_at(&self, byte: usize, expected: &str, found: &str) -> ReadError {
        ReadError::Malformed {
            path: self.path.to_path_buf(),
            location: Some(Location::LineColumn {
                line: self.number,
                column: byte as u64 + 1,
            }),
            expected: expected.to_string(),
            found: found.to_string(),
        }
    }

    /// A `Malformed` error at column 1 of the line last returned.
    pub(crate) fn malformed(
        &self,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> ReadError {
        malformed(self.path, Some((self.number, 1)), expected, found)
    }
}

/// A `Malformed` error with an optional (line, column).
pub(crate) fn malformed(
    path: &Path,
    line_column: Option<(u64, u64)>,
    expected: impl Into<String>,
    found: impl Into<String>,
) -> ReadError {
    ReadError::Malformed {
        path: path.to_path_buf(),
        location: line_column.map(|(line, column)| Location::LineColumn { line, column }),
        expected: expected.into(),
        found: found.into(),
    }
}

/// An `Empty` error.
pub(crate) fn empty(path: &Path, expected: impl Into<String>) -> ReadError {
    ReadError::Empty {
        path: path.to_path_buf(),
        expected: expected.into(),
    }
}

/// Removes ANSI escape sequences (colours npm and others print when forced to).
pub(crate) fn strip_ansi(line: &str) -> Cow<'_, str> {
    if !line.contains('\u{1b}') {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            // CSI: parameters and intermediates, then one final byte in @..~.
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            chars.next();
        }
    }
    Cow::Owned(out)
}

/// User text shortened for an error message, in backticks.
pub(crate) fn quote(text: &str) -> String {
    let mut clipped: String = text.chars().take(60).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    format!("`{clipped}`")
}
