//! Streaming line reader shared by the build-log readers.
//!
//! Logs are read line by line through one reused buffer (memchr finds the line ends), never as a
//! whole-file `String`. Each line is cleaned the way a terminal would show it:
//!
//! - the line ending (`\n` or `\r\n`) is removed;
//! - a carriage return inside a line (progress bars) keeps only what follows the last one;
//! - ANSI escape sequences (CSI colours, OSC hyperlinks, two-byte escapes) are removed;
//! - invalid UTF-8 is decoded lossily (logs interleave tool output with arbitrary program output).
//!
//! A byte that never appears in a text log (NUL and the C0 controls other than tab, line feed,
//! form feed, carriage return, backspace, bell and escape) makes the file binary: that is an error
//! naming its byte offset. A line longer than [`MAX_LINE_BYTES`] is an error too, detected while
//! reading, so memory stays bounded whatever the input.

use crate::{Location, ReadError};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// The longest line a log may have. cargo's JSON lines carry rendered diagnostics and error-code
/// explanations (a few KiB); 8 MiB leaves room for minified code in bundler messages.
pub const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// Reads cleaned lines from a log.
pub struct LineReader<R> {
    inner: R,
    path: PathBuf,
    raw: Vec<u8>,
    clean: Vec<u8>,
    lossy: String,
    line_no: u64,
    offset: u64,
    strip_ansi: bool,
}

impl<R: BufRead> LineReader<R> {
    /// A reader that strips ANSI escapes (plain-text logs).
    pub fn new(inner: R, path: &Path) -> Self {
        LineReader {
            inner,
            path: path.to_path_buf(),
            raw: Vec::with_capacity(4096),
            clean: Vec::with_capacity(4096),
            lossy: String::new(),
            line_no: 0,
            offset: 0,
            strip_ansi: true,
        }
    }

    /// A reader that keeps lines as they are apart from the line ending (JSON lines).
    pub fn verbatim(inner: R, path: &Path) -> Self {
        let mut reader = LineReader::new(inner, path);
        reader.strip_ansi = false;
        reader
    }

    /// The next cleaned line and its 1-based number, or `None` at the end of the file.
    pub fn next_line(&mut self) -> Result<Option<(u64, &str)>, ReadError> {
        if !self.read_raw()? {
            return Ok(None);
        }
        self.clean.clear();
        let mut line: &[u8] = &self.raw;
        if let Some(stripped) = line.strip_suffix(b"\n") {
            line = stripped;
        }
        if let Some(stripped) = line.strip_suffix(b"\r") {
            line = stripped;
        }
        if self.strip_ansi {
            if let Some(last_cr) = memchr::memrchr(b'\r', line) {
                line = line.get(last_cr + 1..).unwrap_or_default();
            }
            strip_ansi(line, &mut self.clean);
        } else {
            self.clean.extend_from_slice(line);
        }
        let line_no = self.line_no;
        match std::str::from_utf8(&self.clean) {
            Ok(text) => Ok(Some((line_no, text))),
            Err(_) => {
                self.lossy.clear();
                self.lossy.push_str(&String::from_utf8_lossy(&self.clean));
                Ok(Some((line_no, &self.lossy)))
            }
        }
    }

    /// Reads the next raw line (with its `\n`) into `self.raw`; false at the end of the file.
    fn read_raw(&mut self) -> Result<bool, ReadError> {
        self.raw.clear();
        let line_start = self.offset;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(chunk) => chunk,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(ReadError::Io {
                        path: self.path.clone(),
                        source,
                    })
                }
            };
            if chunk.is_empty() {
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(end) => (end + 1, true),
                None => (chunk.len(), false),
            };
            let piece = chunk.get(..take).unwrap_or_default();
            if let Some(position) = piece.iter().position(|&byte| is_binary_byte(byte)) {
                let at = self.offset + (self.raw.len() + position) as u64;
                return Err(binary_error(&self.path, at, piece.get(position).copied()));
            }
            if self.raw.len() + take > MAX_LINE_BYTES + 2 {
                return Err(ReadError::Malformed {
                    path: self.path.clone(),
                    location: Some(Location::LineColumn {
                        line: self.line_no + 1,
                        column: 1,
                    }),
                    expected: format!("a log line of at most {MAX_LINE_BYTES} bytes"),
                    found: format!(
                        "a longer line (starting at byte {line_start}); is this really a build log?"
                    ),
                });
            }
            self.raw.extend_from_slice(piece);
            self.inner.consume(take);
            if done {
                break;
            }
        }
        if self.raw.is_empty() {
            return Ok(false);
        }
        self.offset += self.raw.len() as u64;
        self.line_no += 1;
        Ok(true)
    }
}

/// Whether a byte marks a file as binary rather than text.
pub fn is_binary_byte(byte: u8) -> bool {
    matches!(byte, 0x00..=0x06 | 0x0e..=0x1a | 0x1c..=0x1f)
}

fn binary_error(path: &Path, offset: u64, byte: Option<u8>) -> ReadError {
    ReadError::Malformed {
        path: path.to_path_buf(),
        location: Some(Location::ByteOffset(offset)),
        expected: "a text build log".to_string(),
        found: format!("binary content (byte 0x{:02x})", byte.unwrap_or_default()),
    }
}

/// Appends `line` to `out` without ANSI escape sequences.
pub fn strip_ansi(line: &[u8], out: &mut Vec<u8>) {
    let mut rest = line;
    while let Some(escape) = memchr::memchr(0x1b, rest) {
        out.extend_from_slice(rest.get(..escape).unwrap_or_default());
        let after = rest.get(escape + 1..).unwrap_or_default();
        rest = match after.first() {
            // CSI: parameters and intermediates, then one final byte in 0x40..=0x7e.
            Some(b'[') => {
                let body = after.get(1..).unwrap_or_default();
                match body.iter().position(|byte| (0x40..=0x7e).contains(byte)) {
                    Some(end) => body.get(end + 1..).unwrap_or_default(),
                    None => &[],
                }
            }
            // OSC (hyperlinks, titles): up to BEL or ESC '\'.
            Some(b']') => {
                let body = after.get(1..).unwrap_or_default();
                let bel = memchr::memchr(0x07, body);
                let st = memchr::memmem::find(body, b"\x1b\\");
                match (bel, st) {
                    (Some(bel), Some(st)) if st < bel => body.get(st + 2..).unwrap_or_default(),
                    (Some(bel), _) => body.get(bel + 1..).unwrap_or_default(),
                    (None, Some(st)) => body.get(st + 2..).unwrap_or_default(),
                    (None, None) => &[],
                }
            }
            // Any other escape: ESC plus one byte.
            Some(_) => after.get(1..).unwrap_or_default(),
            None => &[],
        };
    }
    out.extend_from_slice(rest);
}

#[cfg(test)]
mod unit {
    use super::*;

    fn lines(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
        let mut reader = LineReader::new(bytes, Path::new("x.log"));
        let mut out = Vec::new();
        while let Some((_, line)) = reader.next_line()? {
            out.push(line.to_string());
        }
        Ok(out)
    }

    #[test]
    fn cleans_lines() {
        let got =
            lines(b"\x1b[96ma.ts\x1b[0m:1\r\nb\rc\n\x1b]8;;http://x\x07link\x1b]8;;\x07\nlast")
                .ok();
        assert_eq!(
            got,
            Some(vec![
                "a.ts:1".to_string(),
                "c".to_string(),
                "link".to_string(),
                "last".to_string()
            ])
        );
    }

    #[test]
    fn invalid_utf8_is_lossy() {
        let got = lines(b"caf\xe9\n").ok();
        assert_eq!(got, Some(vec!["caf\u{fffd}".to_string()]));
    }

    #[test]
    fn binary_is_an_error_with_offset() {
        let error = lines(b"ok\nab\x00cd").err();
        assert!(matches!(
            error,
            Some(ReadError::Malformed {
                location: Some(Location::ByteOffset(5)),
                ..
            })
        ));
    }
}
