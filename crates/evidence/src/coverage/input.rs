//! Input plumbing shared by the coverage readers: opening files, a chunked line reader for the
//! line formats (LCOV, Go coverprofile), number parsing without allocation, and error builders
//! that always name the file and the place in it.
//!
//! The line reader keeps one buffer (1 MiB, grown only for a longer line, up to [`MAX_LINE`]) and
//! finds line ends with `memchr`; a line is handed out as a borrowed slice, so reading allocates
//! nothing per line.

use crate::{Location, ReadError};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Read buffer size for every reader.
pub(crate) const BUFFER: usize = 1 << 20;

/// The longest line a line reader accepts (a longer one is reported, not buffered without end).
pub(crate) const MAX_LINE: usize = 16 << 20;

/// Why a reader stopped early.
#[derive(Debug)]
pub(crate) enum Stop {
    /// A real error, reported to the user.
    Read(ReadError),
    /// Counting mode met a source file a second time (repeated records, e.g. Go profiles written
    /// with `-coverpkg`): the caller reads the artifact again in line-by-line merge mode.
    Repeated,
}

impl From<ReadError> for Stop {
    fn from(error: ReadError) -> Stop {
        Stop::Read(error)
    }
}

/// The artifact being read, for error messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Src<'a> {
    pub path: &'a Path,
}

impl<'a> Src<'a> {
    pub fn new(path: &'a Path) -> Src<'a> {
        Src { path }
    }

    pub fn io(&self, source: std::io::Error) -> ReadError {
        ReadError::Io {
            path: self.path.to_path_buf(),
            source,
        }
    }

    pub fn empty(&self, expected: &str) -> ReadError {
        ReadError::Empty {
            path: self.path.to_path_buf(),
            expected: expected.to_string(),
        }
    }

    pub fn malformed(
        &self,
        location: Option<Location>,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> ReadError {
        ReadError::Malformed {
            path: self.path.to_path_buf(),
            location,
            expected: expected.into(),
            found: found.into(),
        }
    }

    /// Malformed at a 1-based line and column.
    pub fn at(
        &self,
        line: u64,
        column: u64,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> ReadError {
        self.malformed(Some(Location::LineColumn { line, column }), expected, found)
    }

    /// Malformed at a 0-based byte offset.
    pub fn at_byte(
        &self,
        offset: u64,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> ReadError {
        self.malformed(Some(Location::ByteOffset(offset)), expected, found)
    }

    pub fn merge(&self, detail: impl Into<String>) -> ReadError {
        ReadError::Merge {
            path: self.path.to_path_buf(),
            detail: detail.into(),
        }
    }

    pub fn open(&self) -> Result<File, ReadError> {
        File::open(self.path).map_err(|error| self.io(error))
    }

    /// A buffered reader positioned on the first non-whitespace byte; `Empty` when there is none.
    pub fn open_buffered(&self, expected: &str) -> Result<BufReader<File>, ReadError> {
        let mut reader = BufReader::with_capacity(BUFFER, self.open()?);
        loop {
            let chunk = reader.fill_buf().map_err(|error| self.io(error))?;
            if chunk.is_empty() {
                return Err(self.empty(expected));
            }
            let skip = chunk
                .iter()
                .position(|byte| !byte.is_ascii_whitespace())
                .unwrap_or(chunk.len());
            let done = skip < chunk.len();
            reader.consume(skip);
            if done {
                return Ok(reader);
            }
        }
    }
}

/// Shows a piece of input in an error message: lossy UTF-8, control bytes escaped, at most 40
/// characters, in backticks.
pub(crate) fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut shown: String = text
        .chars()
        .take(40)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if text.chars().count() > 40 {
        shown.push('…');
    }
    format!("`{shown}`")
}

/// Parses an unsigned decimal number (ASCII digits only); `None` on anything else or overflow.
#[inline]
pub(crate) fn parse_u64(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for &byte in bytes {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some(value)
}

/// Parses a 1-based line number.
#[inline]
pub(crate) fn parse_u32(bytes: &[u8]) -> Option<u32> {
    parse_u64(bytes).and_then(|value| u32::try_from(value).ok())
}

/// What went wrong with a number, for messages: overflow or not a number at all.
pub(crate) fn number_problem(bytes: &[u8]) -> String {
    if !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit) {
        format!("{} (too large)", snippet(bytes))
    } else if bytes.is_empty() {
        "nothing".to_string()
    } else {
        snippet(bytes)
    }
}

/// Reads a file line by line into borrowed slices (no allocation per line). Line ends are `\n`,
/// a trailing `\r` is removed.
pub(crate) struct LineReader<R> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

impl<R: Read> LineReader<R> {
    pub fn new(reader: R) -> LineReader<R> {
        LineReader {
            reader,
            buf: vec![0; BUFFER],
            start: 0,
            end: 0,
            eof: false,
        }
    }

    /// The next line, or `None` at end of input. `Err(None)` means a line longer than
    /// [`MAX_LINE`]; `Err(Some(io))` an I/O error.
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, Option<std::io::Error>> {
        loop {
            let pending = self.buf.get(self.start..self.end).unwrap_or_default();
            if let Some(pos) = find_newline(pending) {
                let begin = self.start;
                let stop = begin + pos;
                self.start = stop + 1;
                return Ok(Some(trim_cr(self.buf.get(begin..stop).unwrap_or_default())));
            }
            if self.eof {
                if self.start < self.end {
                    let begin = self.start;
                    let stop = self.end;
                    self.start = stop;
                    return Ok(Some(trim_cr(self.buf.get(begin..stop).unwrap_or_default())));
                }
                return Ok(None);
            }
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buf.len() {
                if self.buf.len() >= MAX_LINE {
                    return Err(None);
                }
                let grown = (self.buf.len() * 2).min(MAX_LINE);
                self.buf.resize(grown, 0);
            }
            let space = self.buf.get_mut(self.end..).unwrap_or_default();
            match self.reader.read(space) {
                Ok(0) => self.eof = true,
                Ok(read) => self.end += read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(Some(error)),
            }
        }
    }

    /// LCOV's hot record parsed in place, in one pass: when the buffered input starts with a
    /// whole `DA:<line>,<hits>` line (digits only, no checksum, line number within 32 bits, at
    /// most 19 digits of hits so the sum cannot overflow), consumes it and returns the two
    /// numbers. Anything else, including a line not yet fully buffered, returns `None` and is left
    /// to [`LineReader::next_line`], which reports errors with their position.
    #[inline]
    pub fn next_da(&mut self) -> Option<(u32, u64)> {
        let pending = self.buf.get(self.start..self.end)?;
        let rest = pending.strip_prefix(b"DA:")?;
        let (line, after_line) = leading_digits(rest, 10)?;
        let after_comma = after_line.strip_prefix(b",")?;
        let (hits, after_hits) = leading_digits(after_comma, 19)?;
        let tail = match after_hits {
            [b'\n', ..] => 1,
            [b'\r', b'\n', ..] => 2,
            _ => return None,
        };
        let line = u32::try_from(line).ok()?;
        self.start = self.end - after_hits.len() + tail;
        Some((line, hits))
    }
}

/// The value of 1 to `max` leading ASCII digits and the bytes after them; `None` when there are
/// none or more than `max` (so the value fits in 64 bits without checks for `max` <= 19).
#[inline]
fn leading_digits(bytes: &[u8], max: usize) -> Option<(u64, &[u8])> {
    let mut value: u64 = 0;
    let mut count = 0;
    for &byte in bytes {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        count += 1;
        if count > max {
            return None;
        }
        value = value * 10 + u64::from(digit);
    }
    if count == 0 {
        return None;
    }
    Some((value, bytes.get(count..)?))
}

/// Coverage line formats have short lines: two 8-byte words are checked for a line end with
/// plain integer arithmetic (SWAR) before setting up a vectorised `memchr` for a longer line.
#[inline]
fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const NEWLINES: u64 = ONES * b'\n' as u64;
    for offset in [0usize, 8] {
        let Some(word) = bytes.get(offset..offset + 8) else {
            break;
        };
        let mut array = [0u8; 8];
        array.copy_from_slice(word);
        let x = u64::from_le_bytes(array) ^ NEWLINES;
        let found = x.wrapping_sub(ONES) & !x & HIGHS;
        if found != 0 {
            return Some(offset + (found.trailing_zeros() / 8) as usize);
        }
    }
    memchr::memchr(b'\n', bytes)
}

#[inline]
fn trim_cr(line: &[u8]) -> &[u8] {
    match line.split_last() {
        Some((b'\r', rest)) => rest,
        _ => line,
    }
}

/// Maps a line-reader failure to a `ReadError`.
pub(crate) fn line_error(src: Src<'_>, line: u64, error: Option<std::io::Error>) -> ReadError {
    match error {
        Some(error) => src.io(error),
        None => src.at(
            line,
            1,
            format!("a line shorter than {} MiB", MAX_LINE >> 20),
            "a longer line (binary data?)",
        ),
    }
}

/// Maps a serde_json error to `Malformed` at its line and column.
pub(crate) fn json_error(src: Src<'_>, expected: &str, error: &serde_json::Error) -> ReadError {
    if error.is_io() {
        return src.io(std::io::Error::other(error.to_string()));
    }
    let found = if error.is_eof() {
        "end of file (truncated?)".to_string()
    } else {
        // serde_json's message ends with " at line L column C"; the location is reported apart.
        let message = error.to_string();
        match message.rfind(" at line ") {
            Some(cut) => message.get(..cut).unwrap_or(&message).to_string(),
            None => message,
        }
    };
    src.at(error.line() as u64, error.column() as u64, expected, found)
}

/// Runs a streaming serde_json deserialization over the file. A visitor that must stop for a
/// reason of ours (a sink error) puts it in the `Option<Stop>` and returns any serde error; that
/// stop is then reported instead of the serde error.
pub(crate) fn json<T>(
    src: Src<'_>,
    what: &str,
    run: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::IoRead<BufReader<File>>>,
        &mut Option<Stop>,
    ) -> Result<T, serde_json::Error>,
) -> Result<T, Stop> {
    let reader = src.open_buffered(what)?;
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let mut stop = None;
    let result = run(&mut deserializer, &mut stop).and_then(|value| {
        deserializer.end()?;
        Ok(value)
    });
    if let Some(stop) = stop {
        return Err(stop);
    }
    result.map_err(|error| Stop::Read(json_error(src, what, &error)))
}

/// Stores `stop` for [`json`] and returns a serde error to unwind the deserializer.
pub(crate) fn halt<E: serde::de::Error>(slot: &mut Option<Stop>, stop: Stop) -> E {
    *slot = Some(stop);
    E::custom("stopped")
}

#[cfg(test)]
mod unit {
    use super::LineReader;

    /// (Nothing is buffered before the first `next_line`, so `next_da` starts after one.)
    /// `next_da` takes exactly the plain `DA:<line>,<hits>` lines and leaves every other line,
    /// whole, to `next_line`.
    #[test]
    fn next_da_takes_only_plain_da_lines() {
        let input: &[u8] =
            b"SF:a\nDA:1,2\nDA:3,0\r\nDA:4,5,abc\nDA:5,6\nDA:99999999999,1\nDA:7,\nBRDA:1\nDA:8,9";
        let mut lines = LineReader::new(input);
        let mut seen = Vec::new();
        loop {
            while let Some(da) = lines.next_da() {
                seen.push(format!("{da:?}"));
            }
            match lines.next_line() {
                Ok(Some(line)) => seen.push(String::from_utf8_lossy(line).into_owned()),
                Ok(None) => break,
                Err(_) => unreachable!("in-memory input"),
            }
        }
        assert_eq!(
            seen,
            [
                "SF:a",
                "(1, 2)",
                "(3, 0)",
                "DA:4,5,abc",
                "(5, 6)",
                "DA:99999999999,1",
                "DA:7,",
                "BRDA:1",
                "DA:8,9",
            ]
        );
    }

    /// 19 digits of hits are taken, 20 (which may not fit) are left to the checked parser.
    #[test]
    fn next_da_leaves_long_numbers_to_the_checked_parser() {
        let mut lines =
            LineReader::new(&b"SF:a\nDA:1,9999999999999999999\nDA:1,18446744073709551616\n"[..]);
        assert!(matches!(lines.next_line(), Ok(Some(b"SF:a"))));
        assert_eq!(lines.next_da(), Some((1, 9_999_999_999_999_999_999)));
        assert_eq!(lines.next_da(), None);
    }
}
