//! `pyright-json`: the report of `pyright --outputjson`.
//!
//! Checked against pyright 1.1.414; the report shape (`version`, `time`, `generalDiagnostics`,
//! `summary`) is stable since pyright 1.1.100.
//!
//! - `generalDiagnostics[]`: `file` (absolute), `severity` (`error`, `warning`, `information`),
//!   `message`, `range.start.line` (0-based), `rule` (e.g. `reportMissingImports`).
//! - `summary`: `filesAnalyzed`, `errorCount`, `warningCount`, `informationCount`.
//!
//! The report is streamed: diagnostics are visited one at a time, never collected.
//!
//! Figures:
//! - `error_count`: `summary.errorCount` (otherwise the `error` diagnostics).
//! - `unresolved_imports`: `error` diagnostics of rule `reportMissingImports` (or, without a
//!   rule, with the message `Import "X" could not be resolved`); the specifier is the quoted
//!   module of the message, the line `range.start.line + 1`. Files inside a GitHub Actions
//!   workspace (`…/work/REPO/REPO/`) are made relative to it, the project's root; others are
//!   kept as written.
//! - Outcome: `errorCount` 0 means success (exit code 0), more means failure (exit code 1,
//!   pyright's status when it reports errors).

use super::{open, pyright, text, Collector};
use crate::{Location, ReadError};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::io::Read;
use std::path::Path;

const EXIT_ERRORS: i32 = 1;
const EXPECTED: &str = "a pyright `--outputjson` report (an object with `generalDiagnostics`)";

#[derive(Deserialize, Default)]
#[serde(default)]
struct Diagnostic {
    file: String,
    severity: String,
    message: String,
    range: Option<Range>,
    rule: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Range {
    start: Position,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Position {
    line: u64,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Summary {
    error_count: Option<u64>,
}

/// What the top-level object held besides the diagnostics.
struct Seen {
    diagnostics: bool,
    error_count: Option<u64>,
}

struct ReportVisitor<'a> {
    out: &'a mut Collector,
}

impl<'de> Visitor<'de> for ReportVisitor<'_> {
    type Value = Seen;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Seen, A::Error> {
        let mut seen = Seen {
            diagnostics: false,
            error_count: None,
        };
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "generalDiagnostics" => {
                    map.next_value_seed(DiagnosticsSeed {
                        out: &mut *self.out,
                    })?;
                    seen.diagnostics = true;
                }
                "summary" => {
                    let summary: Summary = map.next_value()?;
                    seen.error_count = summary.error_count;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(seen)
    }
}

struct DiagnosticsSeed<'a> {
    out: &'a mut Collector,
}

impl<'de> DeserializeSeed<'de> for DiagnosticsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for DiagnosticsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of pyright diagnostics")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(diagnostic) = seq.next_element::<Diagnostic>()? {
            take(&diagnostic, self.out);
        }
        Ok(())
    }
}

fn take(diagnostic: &Diagnostic, out: &mut Collector) {
    if diagnostic.severity != "error" {
        return;
    }
    out.error();
    let missing = match diagnostic.rule.as_deref() {
        Some("reportMissingImports") | None => pyright::unresolved_module(&diagnostic.message),
        Some(_) => None,
    };
    if let Some(module) = missing {
        let line = diagnostic
            .range
            .as_ref()
            .and_then(|range| u32::try_from(range.start.line).ok())
            .and_then(|line| line.checked_add(1));
        out.import(text::workspace_relative(&diagnostic.file), line, module);
    }
}

pub(crate) fn read(path: &Path) -> Result<Collector, ReadError> {
    let mut out = Collector::default();
    let mut deserializer = serde_json::Deserializer::from_reader(open(path)?);
    let parsed = deserializer
        .deserialize_map(ReportVisitor { out: &mut out })
        .and_then(|seen| deserializer.end().map(|()| seen));
    let seen = match parsed {
        Ok(seen) => seen,
        Err(error) => return Err(json_error(path, &error)?),
    };
    out.saw_line(1, "{");
    if !seen.diagnostics {
        return Err(ReadError::Malformed {
            path: path.to_path_buf(),
            location: None,
            expected: EXPECTED.to_string(),
            found: "a JSON object without `generalDiagnostics`".to_string(),
        });
    }
    out.recognise();
    let errors = seen.error_count.unwrap_or(out.counted);
    out.set_summary(errors);
    if errors > 0 {
        out.failed(Some(EXIT_ERRORS));
    } else {
        out.succeeded();
    }
    Ok(out)
}

/// Turns a JSON error into the reader's error (an empty file is [`ReadError::Empty`]).
fn json_error(path: &Path, error: &serde_json::Error) -> Result<ReadError, ReadError> {
    if error.is_io() {
        return Ok(ReadError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(error.to_string()),
        });
    }
    if error.is_eof() && is_blank(path)? {
        return Ok(ReadError::Empty {
            path: path.to_path_buf(),
            expected: EXPECTED.to_string(),
        });
    }
    let found = if error.is_eof() {
        "the end of the file (truncated report?)".to_string()
    } else {
        format!("invalid content ({error})")
    };
    Ok(ReadError::Malformed {
        path: path.to_path_buf(),
        location: Some(Location::LineColumn {
            line: error.line() as u64,
            column: error.column() as u64,
        }),
        expected: EXPECTED.to_string(),
        found,
    })
}

fn is_blank(path: &Path) -> Result<bool, ReadError> {
    let mut reader = open(path)?;
    let mut buffer = [0u8; 8192];
    loop {
        let read = reader.read(&mut buffer).map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if read == 0 {
            return Ok(true);
        }
        if !buffer
            .get(..read)
            .unwrap_or_default()
            .iter()
            .all(u8::is_ascii_whitespace)
        {
            return Ok(false);
        }
    }
}
