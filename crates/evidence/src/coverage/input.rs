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
        crate::files::open_artifact(self.path)
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

    /// The input buffered after the last line handed out (possibly ending inside a line). A
    /// reader may parse whole lines from it in place and [`LineReader::consume`] them, falling
    /// back to [`LineReader::next_line`] for anything it does not take (which refills the buffer
    /// and reports errors with their position).
    #[inline]
    pub fn pending(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or_default()
    }

    /// Marks `bytes` of [`LineReader::pending`] as read (whole lines, newlines included).
    #[inline]
    pub fn consume(&mut self, bytes: usize) {
        self.start = (self.start + bytes).min(self.end);
    }
}

/// The value of 1 to `max` leading ASCII digits and the bytes after them; `None` when there are
/// none or more than `max` (so the value fits in 64 bits without checks for `max` <= 19).
#[inline]
pub(crate) fn leading_digits(bytes: &[u8], max: usize) -> Option<(u64, &[u8])> {
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
pub(crate) fn find_newline(bytes: &[u8]) -> Option<usize> {
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
    use super::{leading_digits, LineReader};

    /// `pending`/`consume` hand out the buffered input after the last line and skip what a
    /// caller parsed from it; `next_line` goes on from there.
    #[test]
    fn pending_and_consume() {
        let mut lines = LineReader::new(&b"SF:a\nDA:1,2\nDA:3,4\nend"[..]);
        assert!(matches!(lines.next_line(), Ok(Some(b"SF:a"))));
        assert_eq!(lines.pending(), b"DA:1,2\nDA:3,4\nend");
        lines.consume(7);
        assert!(matches!(lines.next_line(), Ok(Some(b"DA:3,4"))));
        lines.consume(100);
        assert!(matches!(lines.next_line(), Ok(None)));
    }

    /// At most `max` digits are taken (19 always fit in 64 bits), none is `None`.
    #[test]
    fn leading_digits_limits() {
        assert_eq!(
            leading_digits(b"9999999999999999999,", 19),
            Some((9_999_999_999_999_999_999, &b","[..]))
        );
        assert_eq!(leading_digits(b"18446744073709551616", 19), None);
        assert_eq!(leading_digits(b",1", 19), None);
        assert_eq!(leading_digits(b"12", 10), Some((12, &b""[..])));
    }
}
