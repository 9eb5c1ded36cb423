//! JaCoCo XML reports (`jacoco.xml`, `jacocoTestReport.xml`).
//!
//! # Producers checked
//!
//! - the report DTD 1.1 written by JaCoCo 0.8.x (Maven `jacoco:report`, Gradle
//!   `jacocoTestReport`): `report > (group >)* package > (class > method, sourcefile > line)`,
//!   with `<counter type missed covered>` at every level (fixtures under
//!   `tests/fixtures/coverage/`; the corpus has no JaCoCo report).
//!
//! # Figures
//!
//! A source file is a `<sourcefile>`, named `<package name>/<sourcefile name>`.
//!
//! - **lines**: one per `<line nr mi ci mb cb>`; covered when `ci` > 0 (JaCoCo's LINE counter: a
//!   line is covered when at least one of its instructions ran, partly covered lines included).
//! - **branches**: `mb + cb` per line, `cb` covered (JaCoCo's BRANCH counter). Per-line counts
//!   only, so merging reports takes the larger count per line (a lower bound; JaCoCo itself merges
//!   `.exec` files).
//! - **functions**: methods (`<method>` of the classes compiled from the file), covered when their
//!   METHOD counter says so (at least one instruction ran).
//! - **statements**: `None`. JaCoCo counts bytecode instructions, not statements.
//!
//! # Per-file figures
//!
//! Kept for the first [`PER_FILE_LIMIT`](crate::PER_FILE_LIMIT) source files of the report (10,000)
//! in report order; `per_file_omitted` counts the others. Totals and `files` count every file.

use super::input::{Src, Stop};
use super::sink::{Figure, Sink};
use super::xml::{attributes, drive, local_name, number, text, Tag};
use super::Meta;
use std::collections::HashMap;

const WHAT: &str = "a JaCoCo XML report";

/// Reads one JaCoCo report into `sink`.
pub(crate) fn read<S: Sink>(src: Src<'_>, sink: &mut S) -> Result<Meta, Stop> {
    let mut package = String::new();
    // Methods of the package's classes, by source file name: (key, covered).
    let mut methods: HashMap<String, Vec<(Vec<u8>, u64)>> = HashMap::new();
    let mut class: Option<(Vec<u8>, String)> = None;
    let mut method: Option<Vec<u8>> = None;
    let mut in_sourcefile = false;
    drive(src, b"report", WHAT, |tag, position| {
        match tag {
            Tag::Start(start) => match local_name(start.name()) {
                b"package" => {
                    attributes(src, position, start, |key, value| {
                        if key == b"name" {
                            package = text(src, position, &value)?;
                        }
                        Ok(())
                    })?;
                    methods.clear();
                }
                b"class" => {
                    let mut name = Vec::new();
                    let mut source = String::new();
                    attributes(src, position, start, |key, value| {
                        match key {
                            b"name" => name = value.into_owned(),
                            b"sourcefilename" => source = text(src, position, &value)?,
                            _ => {}
                        }
                        Ok(())
                    })?;
                    class = Some((name, source));
                }
                b"method" => {
                    let mut key = class
                        .as_ref()
                        .map(|(name, _)| name.clone())
                        .unwrap_or_default();
                    attributes(src, position, start, |attr, value| {
                        if attr == b"name" || attr == b"desc" {
                            key.push(0);
                            key.extend_from_slice(&value);
                        }
                        Ok(())
                    })?;
                    method = Some(key);
                }
                b"counter" => {
                    let Some(key) = method.as_ref() else {
                        return Ok(());
                    };
                    let mut kind = Vec::new();
                    let mut covered = 0;
                    attributes(src, position, start, |attr, value| {
                        match attr {
                            b"type" => kind = value.into_owned(),
                            b"covered" => covered = number(src, position, "covered", &value)?,
                            _ => {}
                        }
                        Ok(())
                    })?;
                    if kind == b"METHOD" {
                        let source = class.as_ref().map(|(_, s)| s.clone()).unwrap_or_default();
                        methods
                            .entry(source)
                            .or_default()
                            .push((key.clone(), covered));
                    }
                }
                b"sourcefile" => {
                    let mut name = String::new();
                    attributes(src, position, start, |key, value| {
                        if key == b"name" {
                            name = text(src, position, &value)?;
                        }
                        Ok(())
                    })?;
                    let path = if package.is_empty() {
                        name.clone()
                    } else {
                        format!("{package}/{name}")
                    };
                    sink.begin_file(&path)?;
                    in_sourcefile = true;
                    for (key, covered) in methods.remove(&name).unwrap_or_default() {
                        sink.item(Figure::Functions, &key, 1, covered)?;
                    }
                }
                b"line" if in_sourcefile => {
                    let mut counts = [None; 5];
                    attributes(src, position, start, |key, value| {
                        let slot = match key {
                            b"nr" => 0,
                            b"mi" => 1,
                            b"ci" => 2,
                            b"mb" => 3,
                            b"cb" => 4,
                            _ => return Ok(()),
                        };
                        if let Some(slot) = counts.get_mut(slot) {
                            *slot = Some(number(src, position, "a line counter", &value)?);
                        }
                        Ok(())
                    })?;
                    let [nr, _mi, ci, mb, cb] = counts;
                    let line = nr.and_then(|nr| u32::try_from(nr).ok()).ok_or_else(|| {
                        Stop::Read(src.at_byte(
                            position,
                            "a `<line>` with a line number in `nr`",
                            "none",
                        ))
                    })?;
                    sink.line(line, ci.unwrap_or(0))?;
                    let (mb, cb) = (mb.unwrap_or(0), cb.unwrap_or(0));
                    if mb.saturating_add(cb) > 0 {
                        sink.line_branches(line, cb, mb.saturating_add(cb))?;
                    }
                }
                _ => {}
            },
            Tag::End(name) => match name {
                b"method" => method = None,
                b"class" => class = None,
                b"sourcefile" => {
                    in_sourcefile = false;
                    sink.end_file()?;
                }
                _ => {}
            },
            Tag::Comment(_) => {}
        }
        Ok(())
    })?;
    Ok(Meta::default())
}
