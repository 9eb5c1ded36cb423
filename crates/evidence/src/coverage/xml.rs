//! The XML pull loop shared by the Cobertura, JaCoCo and Clover readers: quick-xml's streaming
//! reader over a 1 MiB buffered file, one reused event buffer, the root element checked, nesting
//! depth counted without recursion (deep nesting costs nothing), and a document that ends inside
//! an element reported as truncated. DTDs are never fetched or expanded.

use super::input::{number_problem, parse_u64, snippet, Src, Stop, BUFFER};
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;

/// An element event, with `<x/>` reported as a start immediately followed by an end.
pub(crate) enum Tag<'a, 'e> {
    Start(&'e BytesStart<'a>),
    End(&'e [u8]),
    Comment(&'e [u8]),
}

/// Runs the pull loop, calling `on` for element starts, ends and comments. `root` is the only
/// accepted root element name; `what` describes the document for messages.
pub(crate) fn drive(
    src: Src<'_>,
    root: &[u8],
    what: &str,
    mut on: impl FnMut(Tag<'_, '_>, u64) -> Result<(), Stop>,
) -> Result<(), Stop> {
    let file = std::io::BufReader::with_capacity(BUFFER, src.open()?);
    let mut reader = quick_xml::Reader::from_reader(file);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::with_capacity(4096);
    let mut depth: u64 = 0;
    let mut seen_root = false;
    loop {
        let event = reader.read_event_into(&mut buf);
        let position = reader.buffer_position();
        match event {
            Ok(Event::Start(start)) => {
                check_root(src, root, what, &start, position, &mut seen_root)?;
                depth += 1;
                on(Tag::Start(&start), position)?;
            }
            Ok(Event::Empty(start)) => {
                check_root(src, root, what, &start, position, &mut seen_root)?;
                on(Tag::Start(&start), position)?;
                on(Tag::End(local_name(start.name().into_inner())), position)?;
            }
            Ok(Event::End(end)) => {
                depth = depth.saturating_sub(1);
                on(Tag::End(local_name(end.name().into_inner())), position)?;
            }
            Ok(Event::Comment(text)) => on(Tag::Comment(&text), position)?,
            Ok(Event::Text(text)) if !seen_root || depth == 0 => {
                return Err(Stop::Read(src.at_byte(
                    position,
                    format!("{what} (XML starting with `<`)"),
                    snippet(&text),
                )));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => {
                return Err(Stop::Read(src.at_byte(
                    reader.error_position(),
                    format!("well-formed XML ({what})"),
                    error.to_string(),
                )));
            }
        }
        buf.clear();
    }
    if !seen_root {
        return Err(Stop::Read(src.empty(what)));
    }
    if depth > 0 {
        return Err(Stop::Read(src.at_byte(
            reader.buffer_position(),
            format!("the closing `</{}>`", String::from_utf8_lossy(root)),
            "end of file (truncated?)",
        )));
    }
    Ok(())
}

fn check_root(
    src: Src<'_>,
    root: &[u8],
    what: &str,
    start: &BytesStart<'_>,
    position: u64,
    seen_root: &mut bool,
) -> Result<(), Stop> {
    if *seen_root {
        return Ok(());
    }
    let name = start.local_name();
    if name.as_ref() != root {
        return Err(Stop::Read(src.at_byte(
            position,
            format!(
                "{what} (a `<{}>` root element)",
                String::from_utf8_lossy(root)
            ),
            format!("`<{}>`", String::from_utf8_lossy(name.as_ref())),
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
    start: &'s BytesStart<'_>,
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
    use super::{attributes, Src};
    use quick_xml::events::BytesStart;
    use std::path::Path;

    fn scan(tag: &str) -> Result<Vec<(String, String)>, String> {
        let start = BytesStart::from_content(tag, tag.find(' ').unwrap_or(tag.len()));
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
