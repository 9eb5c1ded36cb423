//! The XML pull loop shared by the Cobertura, JaCoCo and Clover readers: quick-xml's streaming
//! reader over a 1 MiB buffered file, one reused event buffer, the root element checked, nesting
//! depth counted without recursion (deep nesting costs nothing), and a document that ends inside
//! an element reported as truncated. DTDs are never fetched or expanded.

use super::input::{number_problem, parse_u64, snippet, Src, Stop, BUFFER};
use crate::xml_scan::{self, Bounded, Scanner, Token};
use quick_xml::events::Event;
use std::borrow::Cow;

/// A start (or empty) element: the bytes between `<` and `>` (or `/>`), and its name's length.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'a> {
    content: &'a [u8],
    name_len: usize,
}

impl<'a> Element<'a> {
    pub(crate) fn new(content: &'a [u8], name_len: usize) -> Self {
        Element { content, name_len }
    }

    /// The element name, with its namespace prefix.
    pub(crate) fn name(&self) -> &'a [u8] {
        self.content.get(..self.name_len).unwrap_or_default()
    }

    /// Everything after the name: the attributes, raw.
    pub(crate) fn attributes_raw(&self) -> &'a [u8] {
        self.content.get(self.name_len..).unwrap_or_default()
    }
}

/// An element event, with `<x/>` reported as a start immediately followed by an end.
pub(crate) enum Tag<'a, 'e> {
    Start(&'e Element<'a>),
    End(&'e [u8]),
    Comment(&'e [u8]),
}

/// Runs the pull loop, calling `on` for element starts, ends and comments. `root` is the only
/// accepted root element name; `what` describes the document for messages.
///
/// The hand-written scanner ([`crate::xml_scan`]) reads the file; where it gives up on something
/// unusual, quick-xml reads the file again from the start and `on` is called only for the
/// events after those the scanner already gave (both give the same events, so the caller sees
/// one sequence). Errors in the XML are always quick-xml's.
pub(crate) fn drive(
    src: Src<'_>,
    root: &[u8],
    what: &str,
    mut on: impl FnMut(Tag<'_, '_>, u64) -> Result<(), Stop>,
) -> Result<(), Stop> {
    let mut given = 0u64;
    match PATHS.get() {
        Paths::Both => {}
        Paths::QuickXmlOnly => return drive_quick_xml(src, root, what, on, 0),
        Paths::FastOnly => {
            return match drive_fast(src, root, what, &mut on, &mut given) {
                Ok(()) => Ok(()),
                Err(Fast::Stop(stop)) => Err(stop),
                Err(Fast::Unusual) => Err(Stop::Read(src.at_byte(0, "", GAVE_UP))),
            }
        }
    }
    match drive_fast(src, root, what, &mut on, &mut given) {
        Ok(()) => Ok(()),
        Err(Fast::Stop(stop)) => Err(stop),
        Err(Fast::Unusual) => drive_quick_xml(src, root, what, on, given),
    }
}

/// Which paths [`drive`] takes: both (the normal reading) or one of them, for the test that
/// shows they agree (`tests/xml_fast_path.rs`, through [`crate::coverage::xml_paths`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Paths {
    Both,
    QuickXmlOnly,
    FastOnly,
}

thread_local! {
    pub(crate) static PATHS: std::cell::Cell<Paths> = const { std::cell::Cell::new(Paths::Both) };
}

/// What [`Paths::FastOnly`] reports when the fast path gives up.
pub(crate) const GAVE_UP: &str = "the fast path gave up";

enum Fast {
    Stop(Stop),
    Unusual,
}

impl From<Stop> for Fast {
    fn from(stop: Stop) -> Self {
        Fast::Stop(stop)
    }
}

impl From<xml_scan::Stop> for Fast {
    fn from(stop: xml_scan::Stop) -> Self {
        match stop {
            xml_scan::Stop::Unusual | xml_scan::Stop::Io => Fast::Unusual,
        }
    }
}

/// What both loops check, whatever reads the events.
struct Walk<'w> {
    src: Src<'w>,
    root: &'w [u8],
    what: &'w str,
    depth: u64,
    seen_root: bool,
    /// Events given to `on` so far.
    given: u64,
    /// Events to pass over before calling `on` (already given by the fast path).
    skip: u64,
}

impl Walk<'_> {
    fn call(
        &mut self,
        on: &mut impl FnMut(Tag<'_, '_>, u64) -> Result<(), Stop>,
        tag: Tag<'_, '_>,
        position: u64,
    ) -> Result<(), Stop> {
        if self.skip > 0 {
            self.skip -= 1;
            return Ok(());
        }
        self.given += 1;
        on(tag, position)
    }

    fn start(
        &mut self,
        on: &mut impl FnMut(Tag<'_, '_>, u64) -> Result<(), Stop>,
        element: &Element<'_>,
        empty: bool,
        position: u64,
    ) -> Result<(), Stop> {
        check_root(
            self.src,
            self.root,
            self.what,
            element,
            position,
            &mut self.seen_root,
        )?;
        if empty {
            self.call(on, Tag::Start(element), position)?;
            self.call(on, Tag::End(local_name(element.name())), position)
        } else {
            self.depth += 1;
            self.call(on, Tag::Start(element), position)
        }
    }

    fn end(
        &mut self,
        on: &mut impl FnMut(Tag<'_, '_>, u64) -> Result<(), Stop>,
        name: &[u8],
        position: u64,
    ) -> Result<(), Stop> {
        self.depth = self.depth.saturating_sub(1);
        self.call(on, Tag::End(local_name(name)), position)
    }

    /// Text (already trimmed of XML white space, not empty).
    fn text(&self, text: &[u8], position: u64) -> Result<(), Stop> {
        if !self.seen_root || self.depth == 0 {
            return Err(Stop::Read(self.src.at_byte(
                position,
                format!("{} (XML starting with `<`)", self.what),
                snippet(text),
            )));
        }
        Ok(())
    }

    fn finish(&self, position: u64) -> Result<(), Stop> {
        if !self.seen_root {
            return Err(Stop::Read(self.src.empty(self.what)));
        }
        if self.depth > 0 {
            return Err(Stop::Read(self.src.at_byte(
                position,
                format!("the closing `</{}>`", String::from_utf8_lossy(self.root)),
                "end of file (truncated?)",
            )));
        }
        Ok(())
    }
}

fn drive_fast(
    src: Src<'_>,
    root: &[u8],
    what: &str,
    on: &mut impl FnMut(Tag<'_, '_>, u64) -> Result<(), Stop>,
    given: &mut u64,
) -> Result<(), Fast> {
    let file = src.open().map_err(|_| Fast::Unusual)?;
    let mut scanner = Scanner::new(file);
    let mut walk = Walk {
        src,
        root,
        what,
        depth: 0,
        seen_root: false,
        given: 0,
        skip: 0,
    };
    let result = (|| {
        while let Some((token, position)) = scanner.next_token()? {
            match token {
                Token::Start { content, name_len } => {
                    walk.start(on, &Element::new(content, name_len), false, position)?;
                }
                Token::Empty { content, name_len } => {
                    walk.start(on, &Element::new(content, name_len), true, position)?;
                }
                Token::End { name } => walk.end(on, name, position)?,
                Token::Comment { text } => walk.call(on, Tag::Comment(text), position)?,
                Token::Text { raw } => walk.text(xml_scan::trim_xml_space(raw), position)?,
                Token::CData { .. } | Token::Instruction | Token::DocType => {}
            }
        }
        walk.finish(scanner.position())?;
        Ok(())
    })();
    *given = walk.given;
    result
}

/// The quick-xml loop (the reference, and the fallback), calling `on` from the `skip + 1`-th event.
fn drive_quick_xml(
    src: Src<'_>,
    root: &[u8],
    what: &str,
    mut on: impl FnMut(Tag<'_, '_>, u64) -> Result<(), Stop>,
    skip: u64,
) -> Result<(), Stop> {
    let file = std::io::BufReader::with_capacity(BUFFER, Bounded::new(src.open()?));
    let mut reader = quick_xml::Reader::from_reader(file);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::with_capacity(4096);
    let mut walk = Walk {
        src,
        root,
        what,
        depth: 0,
        seen_root: false,
        given: 0,
        skip,
    };
    loop {
        let event = reader.read_event_into(&mut buf);
        let position = reader.buffer_position();
        match event {
            Ok(Event::Start(start)) => {
                let element = Element::new(&start, start.name().as_ref().len());
                walk.start(&mut on, &element, false, position)?;
            }
            Ok(Event::Empty(start)) => {
                let element = Element::new(&start, start.name().as_ref().len());
                walk.start(&mut on, &element, true, position)?;
            }
            Ok(Event::End(end)) => walk.end(&mut on, end.name().into_inner(), position)?,
            Ok(Event::Comment(text)) => walk.call(&mut on, Tag::Comment(&text), position)?,
            Ok(Event::Text(text)) => walk.text(&text, position)?,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) if xml_scan::is_too_long(&error) => {
                return Err(Stop::Read(src.at_byte(
                    position,
                    format!("{what} with tags and texts of at most 16 MiB each"),
                    xml_scan::TOO_LONG,
                )));
            }
            Err(error) => {
                return Err(Stop::Read(src.at_byte(
                    reader.error_position(),
                    format!("well-formed XML ({what})"),
                    error.to_string(),
                )));
            }
        }
        buf.clear();
        reader.get_mut().get_mut().event_done();
    }
    walk.finish(reader.buffer_position())
}

fn check_root(
    src: Src<'_>,
    root: &[u8],
    what: &str,
    start: &Element<'_>,
    position: u64,
    seen_root: &mut bool,
) -> Result<(), Stop> {
    if *seen_root {
        return Ok(());
    }
    let name = local_name(start.name());
    if name != root {
        return Err(Stop::Read(src.at_byte(
            position,
            format!(
                "{what} (a `<{}>` root element)",
                String::from_utf8_lossy(root)
            ),
            format!("`<{}>`", String::from_utf8_lossy(name)),
        )));
    }
    *seen_root = true;
    Ok(())
}

/// An element name without its namespace prefix (after the first `:`), as quick-xml's
/// `local_name` gives it, without its `memchr` (whose vector set-up costs more than it saves on
/// a name of a few bytes).
#[inline]
pub(crate) fn local_name(name: &[u8]) -> &[u8] {
    match name.iter().position(|b| *b == b':') {
        Some(colon) => name.get(colon + 1..).unwrap_or_default(),
        None => name,
    }
}

/// Calls `each(local name, raw value)` for every attribute of `start`, in order.
///
/// A scanner of our own rather than quick-xml's attribute iterator, which was 40% of the time of
/// a Cobertura read; plain loops rather than `memchr`, whose vector set-up costs more than it
/// saves on a few bytes. Attributes are `name = "value"` or `name = 'value'` separated by XML
/// white space; the value is handed over raw (escapes unresolved, as before; [`text`] resolves
/// them).
/// A name without `=` and a quoted value, or a value without its closing quote, is an error at
/// the element's position.
pub(crate) fn attributes<'s>(
    src: Src<'_>,
    position: u64,
    start: &Element<'s>,
    mut each: impl FnMut(&[u8], Cow<'s, [u8]>) -> Result<(), Stop>,
) -> Result<(), Stop> {
    let bad = |found: &[u8]| {
        Stop::Read(src.at_byte(
            position,
            "well-formed XML attributes (`name=\"value\"`)",
            snippet(found),
        ))
    };
    let mut rest: &'s [u8] = start.attributes_raw();
    loop {
        let Some(begin) = rest.iter().position(|b| !is_xml_space(*b)) else {
            return Ok(());
        };
        rest = rest.get(begin..).unwrap_or_default();
        // One pass over the name: up to `=` or white space, remembering a prefix's colon.
        let mut name_end = 0;
        let mut local_start = 0;
        for &byte in rest {
            match byte {
                b'=' | b' ' | b'\t' | b'\n' | b'\r' => break,
                b'"' | b'\'' => return Err(bad(rest)),
                b':' => local_start = name_end + 1,
                _ => {}
            }
            name_end += 1;
        }
        let local = rest.get(local_start..name_end).unwrap_or_default();
        let mut after = rest.get(name_end..).unwrap_or_default();
        while let Some((&byte, tail)) = after.split_first() {
            if !is_xml_space(byte) {
                break;
            }
            after = tail;
        }
        let Some((b'=', mut after)) = after.split_first() else {
            return Err(bad(rest));
        };
        if name_end == 0 {
            return Err(bad(rest));
        }
        while let Some((&byte, tail)) = after.split_first() {
            if !is_xml_space(byte) {
                break;
            }
            after = tail;
        }
        let Some((&quote @ (b'"' | b'\''), body)) = after.split_first() else {
            return Err(bad(rest));
        };
        let Some(close) = body.iter().position(|b| *b == quote) else {
            return Err(bad(rest));
        };
        let value = body.get(..close).unwrap_or_default();
        rest = body.get(close + 1..).unwrap_or_default();
        each(local, Cow::Borrowed(value))?;
    }
}

#[inline]
fn is_xml_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// An attribute value as text, with XML escapes resolved; must be UTF-8.
pub(crate) fn text(src: Src<'_>, position: u64, value: &[u8]) -> Result<String, Stop> {
    let raw = std::str::from_utf8(value).map_err(|_| {
        Stop::Read(src.at_byte(position, "a UTF-8 attribute value", snippet(value)))
    })?;
    match quick_xml::escape::unescape(raw) {
        Ok(text) => Ok(text.into_owned()),
        Err(error) => Err(Stop::Read(src.at_byte(
            position,
            "an attribute value with valid XML escapes",
            error.to_string(),
        ))),
    }
}

/// An attribute value as a whole number.
pub(crate) fn number(src: Src<'_>, position: u64, name: &str, value: &[u8]) -> Result<u64, Stop> {
    parse_u64(value.trim_ascii()).ok_or_else(|| {
        Stop::Read(src.at_byte(
            position,
            format!("a whole number (that fits in 64 bits) in `{name}`"),
            number_problem(value),
        ))
    })
}

#[cfg(test)]
mod unit {
    use super::{attributes, Element, Src};
    use std::path::Path;

    fn scan(tag: &str) -> Result<Vec<(String, String)>, String> {
        let start = Element::new(tag.as_bytes(), tag.find(' ').unwrap_or(tag.len()));
        let mut found = Vec::new();
        attributes(Src::new(Path::new("t.xml")), 0, &start, |key, value| {
            found.push((
                String::from_utf8_lossy(key).into_owned(),
                String::from_utf8_lossy(&value).into_owned(),
            ));
            Ok(())
        })
        .map(|()| found)
        .map_err(|stop| format!("{stop:?}"))
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn attributes_quoting_spacing_and_prefixes() {
        assert_eq!(
            scan("line number=\"1\" hits='2'\n\tx:branch = \"a'b\" empty=\"\""),
            Ok(pairs(&[
                ("number", "1"),
                ("hits", "2"),
                ("branch", "a'b"),
                ("empty", "")
            ]))
        );
        assert_eq!(scan("line"), Ok(vec![]));
        assert_eq!(scan("line   "), Ok(vec![]));
    }

    #[test]
    fn malformed_attributes_are_errors() {
        for tag in [
            "line number",
            "line number=1",
            "line number=\"1",
            "line =\"1\"",
            "line a b=\"1\"",
            "line a\"b=\"1\"",
        ] {
            let result = scan(tag);
            assert!(
                matches!(&result, Err(e) if e.contains("well-formed XML attributes")),
                "{tag}: {result:?}"
            );
        }
    }
}
