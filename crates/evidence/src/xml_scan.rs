//! The fast path of the XML readers (JUnit, Cobertura, JaCoCo, Clover): a hand-written tag scanner
//! driven by `memchr`, with quick-xml as the fallback for anything unusual.
//!
//! Why hand-written: on the benchmark files (`bench/`), quick-xml's own event loop (find `<` and
//! `>` byte-wise with quote tracking, copy every tag into the event buffer) was more than half of
//! the instructions of a Cobertura read and alone already at the JUnit time target. This scanner
//! reads the file in large blocks, finds `<` with `memchr`, finds a tag's `>` with `memchr` and
//! checks the quotes before it in one vectorisable count, and hands out tags and text as slices
//! of its block: no copy, no per-event bookkeeping beyond the open-element names.
//!
//! It gives exactly the events quick-xml gives (same kinds, contents and byte positions) for the
//! documents it accepts, and gives up ([`Stop::Unusual`]) on everything else, so that the caller
//! reads the file again from the start with quick-xml, which then gives the figures or the
//! error message:
//!
//! - a byte-order mark, a DOCTYPE with an internal subset (entity definitions) or any other
//!   `<!` than a comment, CDATA or a plain DOCTYPE, odd comments
//!   (`<!-->`, `<!---`) and empty processing instructions;
//! - anything malformed: a tag cut off by the end of the file, an empty element name, a closing
//!   tag that does not match the open element or closes nothing;
//! - a single tag or text node longer than [`MAX_EVENT_BYTES`] (quick-xml, with [`Bounded`]
//!   under it, then reports it).
//!
//! Entities, namespaces and attribute values are not interpreted here: the readers get the raw
//! tag and text, as from quick-xml, and unescape what they use with quick-xml's functions. The
//! agreement of both paths is tested on the whole corpus and every fixture
//! (`tests/xml_fast_path.rs`).

use std::io::Read;

/// The longest single tag (with its attributes) or text node a reader accepts: memory stays
/// bounded whatever the input (a 1 GB attribute is refused, not buffered).
pub const MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// What the scanner's block starts at; it grows (doubling) for a longer tag or text.
const BLOCK: usize = 512 * 1024;

/// Why the scanner stopped before the end of the document.
#[derive(Debug)]
pub(crate) enum Stop {
    /// Something the fast path does not handle: read the file again with quick-xml.
    Unusual,
    /// The file could not be read (the fallback reads it again and reports why).
    Io,
}

/// One event, borrowed from the scanner's block. `position` is the byte offset just after the
/// event, as quick-xml's `buffer_position()` gives it.
#[derive(Debug)]
pub(crate) enum Token<'b> {
    /// `<name attributes>`: the bytes between `<` and `>`, and the length of the name.
    Start { content: &'b [u8], name_len: usize },
    /// `<name attributes/>`: the bytes between `<` and `/>`.
    Empty { content: &'b [u8], name_len: usize },
    /// `</name>` (matched against the open element, as quick-xml's `check_end_names`).
    End { name: &'b [u8] },
    /// Text between tags that is not only XML whitespace (raw, entities not expanded).
    Text { raw: &'b [u8] },
    /// `<![CDATA[...]]>`: the bytes inside.
    CData { data: &'b [u8] },
    /// `<!--...-->`: the bytes inside.
    Comment { text: &'b [u8] },
    /// `<?...?>`: an XML declaration or processing instruction.
    Instruction,
    /// `<!DOCTYPE ...>` without an internal subset (no `<` inside).
    DocType,
}

/// The scanner over one file.
pub(crate) struct Scanner<R> {
    input: R,
    block: Vec<u8>,
    /// Start of the unread bytes in `block`.
    at: usize,
    /// End of the bytes read into `block`.
    filled: usize,
    /// Offset in the file of `block[0]`.
    base: u64,
    eof: bool,
    /// Names of the open elements, one after the other, and where each starts.
    names: Vec<u8>,
    name_starts: Vec<usize>,
    /// The first bytes were looked at (byte-order mark).
    started: bool,
}

impl<R: Read> Scanner<R> {
    pub(crate) fn new(input: R) -> Self {
        Scanner {
            input,
            block: vec![0; BLOCK],
            at: 0,
            filled: 0,
            base: 0,
            eof: false,
            names: Vec::with_capacity(256),
            name_starts: Vec::with_capacity(16),
            started: false,
        }
    }

    /// The offset just after the last event (at the end: the file's length).
    pub(crate) fn position(&self) -> u64 {
        self.base + self.at as u64
    }

    /// Moves the unread bytes to the front and reads more; grows the block when it is full.
    /// `false` at the end of the file.
    fn refill(&mut self) -> Result<bool, Stop> {
        if self.eof {
            return Ok(false);
        }
        if self.at > 0 {
            self.block.copy_within(self.at..self.filled, 0);
            self.base += self.at as u64;
            self.filled -= self.at;
            self.at = 0;
        }
        if self.filled == self.block.len() {
            if self.block.len() > MAX_EVENT_BYTES {
                return Err(Stop::Unusual);
            }
            let grown = (self.block.len() * 2).min(MAX_EVENT_BYTES + 1);
            self.block.resize(grown, 0);
        }
        loop {
            let Some(space) = self.block.get_mut(self.filled..) else {
                return Err(Stop::Unusual);
            };
            match self.input.read(space) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(read) => {
                    self.filled += read;
                    return Ok(true);
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Err(Stop::Io),
            }
        }
    }

    /// The next event with the offset just after it, or `None` at the end of the document.
    pub(crate) fn next_token(&mut self) -> Result<Option<(Token<'_>, u64)>, Stop> {
        if !self.started {
            while self.filled == 0 && self.refill()? {}
            // A byte-order mark: quick-xml strips it, and counts positions its own way.
            if self.block.get(..self.filled).and_then(<[u8]>::first) == Some(&0xEF) {
                return Err(Stop::Unusual);
            }
            self.started = true;
        }
        loop {
            match self.scan()? {
                Scan::Skip(next) => self.at = next,
                Scan::Token(kind, next) => {
                    let start = self.at;
                    self.at = next;
                    let position = self.position();
                    let token = self.token(kind, start, next)?;
                    return Ok(Some((token, position)));
                }
                Scan::More => {
                    if !self.refill()? {
                        return self.at_end();
                    }
                }
            }
        }
    }

    /// The end of the file: trailing text (which quick-xml gives as a last text event), or the end.
    fn at_end(&mut self) -> Result<Option<(Token<'_>, u64)>, Stop> {
        let rest = self.block.get(self.at..self.filled).unwrap_or_default();
        if rest.is_empty() {
            return Ok(None);
        }
        if rest.first() == Some(&b'<') {
            // A tag cut off by the end of the file.
            return Err(Stop::Unusual);
        }
        let start = self.at;
        self.at = self.filled;
        let position = self.position();
        let raw = self.block.get(start..self.filled).unwrap_or_default();
        if raw.iter().all(|byte| is_xml_space(*byte)) {
            return Ok(None);
        }
        Ok(Some((Token::Text { raw }, position)))
    }

    /// Finds the next event in the block: its kind and where it ends, or that more bytes are
    /// needed.
    fn scan(&self) -> Result<Scan, Stop> {
        let rest = self.block.get(self.at..self.filled).unwrap_or_default();
        let Some(&first) = rest.first() else {
            return Ok(Scan::More);
        };
        if first != b'<' {
            let Some(lt) = memchr::memchr(b'<', rest) else {
                return Ok(Scan::More);
            };
            let text = rest.get(..lt).unwrap_or_default();
            let next = self.at + lt;
            if text.iter().all(|byte| is_xml_space(*byte)) {
                return Ok(Scan::Skip(next));
            }
            return Ok(Scan::Token(Kind::Text, next));
        }
        let Some(&second) = rest.get(1) else {
            return Ok(Scan::More);
        };
        match second {
            b'/' => Ok(match memchr::memchr(b'>', rest) {
                Some(gt) => Scan::Token(Kind::End, self.at + gt + 1),
                None => Scan::More,
            }),
            b'?' => match memchr::memmem::find(rest.get(2..).unwrap_or_default(), b"?>") {
                // `<??>`, `<?>`: quick-xml has its own view of these.
                Some(0) => Err(Stop::Unusual),
                Some(end) => Ok(Scan::Token(Kind::Instruction, self.at + 2 + end + 2)),
                None => Ok(Scan::More),
            },
            b'!' => self.scan_bang(rest),
            _ => Ok(match tag_end(rest)? {
                Some(gt) => Scan::Token(Kind::Element, self.at + gt + 1),
                None => Scan::More,
            }),
        }
    }

    fn scan_bang(&self, rest: &[u8]) -> Result<Scan, Stop> {
        const COMMENT: &[u8] = b"<!--";
        const CDATA: &[u8] = b"<![CDATA[";
        if rest.len() < CDATA.len() && !self.eof {
            return Ok(Scan::More);
        }
        if rest.starts_with(COMMENT) {
            // `<!-->` and `<!--->`: left to quick-xml.
            if matches!(rest.get(4), Some(b'-' | b'>')) {
                return Err(Stop::Unusual);
            }
            return Ok(
                match memchr::memmem::find(rest.get(4..).unwrap_or_default(), b"-->") {
                    Some(end) => Scan::Token(Kind::Comment, self.at + 4 + end + 3),
                    None => Scan::More,
                },
            );
        }
        if rest.starts_with(CDATA) {
            return Ok(
                match memchr::memmem::find(rest.get(CDATA.len()..).unwrap_or_default(), b"]]>") {
                    Some(end) => Scan::Token(Kind::CData, self.at + CDATA.len() + end + 3),
                    None => Scan::More,
                },
            );
        }
        const DOCTYPE: &[u8] = b"<!DOCTYPE";
        if rest.starts_with(DOCTYPE) && rest.get(DOCTYPE.len()).copied().is_some_and(is_xml_space) {
            // quick-xml ends a DOCTYPE at the first `>` outside `<...>` pairs: without a `<`
            // inside, at the first `>`. An internal subset (`[<!ENTITY ...>]`) is left to it.
            return match memchr::memchr2(b'<', b'>', rest.get(1..).unwrap_or_default()) {
                Some(at) if rest.get(1 + at) == Some(&b'>') => {
                    Ok(Scan::Token(Kind::DocType, self.at + 1 + at + 1))
                }
                Some(_) => Err(Stop::Unusual),
                None => Ok(Scan::More),
            };
        }
        Err(Stop::Unusual)
    }

    /// Makes the event of `kind` from `block[start..end]`.
    fn token(&mut self, kind: Kind, start: usize, end: usize) -> Result<Token<'_>, Stop> {
        let bytes = self.block.get(start..end).unwrap_or_default();
        Ok(match kind {
            Kind::Text => Token::Text { raw: bytes },
            Kind::Instruction => Token::Instruction,
            Kind::DocType => Token::DocType,
            Kind::Comment => Token::Comment {
                text: bytes
                    .get(4..bytes.len().saturating_sub(3))
                    .unwrap_or_default(),
            },
            Kind::CData => Token::CData {
                data: bytes
                    .get(9..bytes.len().saturating_sub(3))
                    .unwrap_or_default(),
            },
            Kind::End => {
                let content = bytes
                    .get(2..bytes.len().saturating_sub(1))
                    .unwrap_or_default();
                let trimmed = content
                    .iter()
                    .rposition(|byte| !is_xml_space(*byte))
                    .map_or(content, |last| content.get(..=last).unwrap_or_default());
                let Some(open) = self.name_starts.pop() else {
                    return Err(Stop::Unusual);
                };
                if self.names.get(open..) != Some(trimmed) || trimmed.is_empty() {
                    return Err(Stop::Unusual);
                }
                self.names.truncate(open);
                Token::End { name: trimmed }
            }
            Kind::Element => {
                let content = bytes
                    .get(1..bytes.len().saturating_sub(1))
                    .unwrap_or_default();
                let (content, empty) = match content.strip_suffix(b"/") {
                    Some(content) => (content, true),
                    None => (content, false),
                };
                let name_len = content
                    .iter()
                    .position(|byte| is_xml_space(*byte))
                    .unwrap_or(content.len());
                if name_len == 0 {
                    return Err(Stop::Unusual);
                }
                if empty {
                    Token::Empty { content, name_len }
                } else {
                    self.name_starts.push(self.names.len());
                    self.names
                        .extend_from_slice(content.get(..name_len).unwrap_or_default());
                    Token::Start { content, name_len }
                }
            }
        })
    }
}

/// What [`Scanner::scan`] found.
enum Scan {
    /// Whitespace up to this index: nothing to report.
    Skip(usize),
    /// An event of this kind, ending at this index (exclusive).
    Token(Kind, usize),
    /// The event is not whole in the block.
    More,
}

#[derive(Clone, Copy)]
enum Kind {
    Element,
    End,
    Text,
    CData,
    Comment,
    Instruction,
    DocType,
}

/// The index of the `>` that ends the tag starting at `tag[0] == b'<'`, skipping quoted values
/// (quick-xml's rule: any `"` or `'` opens a quote until the same character). Found with one
/// `memchr` for `>` and a count of `"` before it; only a tag with a `'` is walked quote by quote.
#[inline]
fn tag_end(tag: &[u8]) -> Result<Option<usize>, Stop> {
    let mut from = 1;
    let mut double_quotes = 0usize;
    loop {
        let Some(gt) = tag
            .get(from..)
            .and_then(|rest| memchr::memchr(b'>', rest))
            .map(|gt| from + gt)
        else {
            return Ok(None);
        };
        let segment = tag.get(from..gt).unwrap_or_default();
        let (quotes, apostrophes) = count_quotes(segment);
        if apostrophes > 0 {
            return Ok(tag_end_walked(tag));
        }
        double_quotes += quotes;
        if double_quotes % 2 == 0 {
            return Ok(Some(gt));
        }
        from = gt + 1;
    }
}

/// Counts `"` and whether there is a `'`, in one pass the compiler vectorises (byte-wide
/// counters over chunks of at most 255 bytes).
#[inline]
fn count_quotes(bytes: &[u8]) -> (usize, usize) {
    let mut quotes = 0usize;
    let mut apostrophes = 0usize;
    for chunk in bytes.chunks(255) {
        let mut chunk_quotes = 0u8;
        let mut chunk_apostrophes = 0u8;
        for byte in chunk {
            chunk_quotes += u8::from(*byte == b'"');
            chunk_apostrophes |= u8::from(*byte == b'\'');
        }
        quotes += usize::from(chunk_quotes);
        apostrophes += usize::from(chunk_apostrophes);
    }
    (quotes, apostrophes)
}

/// [`tag_end`] quote by quote.
fn tag_end_walked(tag: &[u8]) -> Option<usize> {
    let mut at = 1;
    loop {
        let found = at + memchr::memchr3(b'>', b'"', b'\'', tag.get(at..)?)?;
        let byte = *tag.get(found)?;
        if byte == b'>' {
            return Some(found);
        }
        at = found + 1 + memchr::memchr(byte, tag.get(found + 1..)?)? + 1;
    }
}

/// `bytes` without XML whitespace at either end, as quick-xml's `trim_text` trims.
pub(crate) fn trim_xml_space(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|byte| !is_xml_space(*byte))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|byte| !is_xml_space(*byte))
        .map_or(start, |last| last + 1);
    bytes.get(start..end).unwrap_or_default()
}

/// XML whitespace, as quick-xml counts it.
#[inline]
pub(crate) fn is_xml_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\r' | b'\n' | b'\t')
}

/// A reader for the quick-xml path that refuses more than [`MAX_EVENT_BYTES`] (and a read-ahead
/// margin) read for one event: call [`Bounded::event_done`] after each event. quick-xml keeps a
/// whole tag or text node in memory, so this is what bounds its memory.
pub(crate) struct Bounded<R> {
    inner: R,
    since_event: usize,
}

/// The margin over [`MAX_EVENT_BYTES`]: what a buffered reader may read ahead (the readers'
/// buffers are at most 1 MiB).
const READ_AHEAD: usize = 1024 * 1024;

/// The message of the error [`Bounded`] gives.
pub const TOO_LONG: &str = "a single tag or text longer than 16 MiB";

impl<R> Bounded<R> {
    pub(crate) fn new(inner: R) -> Self {
        Bounded {
            inner,
            since_event: 0,
        }
    }

    pub(crate) fn event_done(&mut self) {
        self.since_event = 0;
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.since_event > MAX_EVENT_BYTES + READ_AHEAD {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                TOO_LONG,
            ));
        }
        let read = self.inner.read(out)?;
        self.since_event += read;
        Ok(read)
    }
}

/// True when a quick-xml error is [`Bounded`]'s refusal.
pub(crate) fn is_too_long(error: &quick_xml::Error) -> bool {
    match error {
        quick_xml::Error::Io(io) => {
            io.kind() == std::io::ErrorKind::InvalidData && io.to_string() == TOO_LONG
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn events(xml: &[u8]) -> Result<Vec<String>, String> {
        let mut scanner = Scanner::new(xml);
        let mut out = Vec::new();
        loop {
            match scanner.next_token() {
                Ok(Some((token, position))) => out.push(format!("{token:?}@{position}")),
                Ok(None) => return Ok(out),
                Err(stop) => return Err(format!("{stop:?}")),
            }
        }
    }

    #[test]
    fn tags_with_quoted_gt_and_apostrophes() {
        let got = events(b"<a x=\"1>2\" y='3\"'><b/>t</a>").unwrap();
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got[0].starts_with("Start"), "{got:?}");
        assert!(got[0].ends_with("@18"), "{got:?}");
        assert!(got[1].starts_with("Empty"), "{got:?}");
        assert!(got[3].starts_with("End"), "{got:?}");
    }

    #[test]
    fn unusual_input_gives_up() {
        for xml in [
            &b"\xEF\xBB\xBF<a/>"[..],
            b"<!DOCTYPE a [<!ENTITY x \"y\">]><a/>",
            b"<a></b>",
            b"</a>",
            b"<a",
            b"< a/>",
        ] {
            assert_eq!(
                events(xml),
                Err("Unusual".to_string()),
                "{}",
                String::from_utf8_lossy(xml)
            );
        }
    }
}
