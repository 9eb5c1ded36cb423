//! `cargo-json`: the JSON lines of `cargo build --message-format=json`.
//!
//! Checked against cargo 1.95.0 / rustc 1.95.0; the record shapes (`reason` =
//! `compiler-message`, `compiler-artifact`, `build-script-executed`, `build-finished`) are
//! stable since cargo 1.44 (`build-finished` since 1.44 too).
//!
//! - Each line is one JSON object. `compiler-message` records carry rustc's diagnostic:
//!   `message.level` (`error`, `warning`, `failure-note`, ...), `message.code.code` (`E0432`),
//!   `message.message`, `message.spans[]` (`file_name`, `line_start` 1-based, `is_primary`).
//! - The last record is `{"reason":"build-finished","success":false}`.
//! - cargo's own human lines (`Compiling`, `error: could not compile`) go to stderr; lines that
//!   are not JSON objects (stderr merged in) are skipped.
//!
//! Figures:
//! - `error_count`: `compiler-message` records whose level is `error` (or an internal compiler
//!   error), except rustc's `aborting due to N previous errors` summary.
//! - `unresolved_imports`: error records with code E0432, E0433 (except `use of undeclared
//!   type`) or E0463: the first backticked path of the message and the primary span's file and
//!   line.
//! - Outcome: `build-finished` gives success; failure is exit code 101 (cargo's status on any
//!   error). Without that record, an error record means failure.

use super::lines::LineReader;
use super::{open, text, Collector};
use crate::{Location, ReadError};
use serde::Deserialize;
use std::path::Path;

const EXIT_FAILED: i32 = 101;

#[derive(Deserialize)]
struct Record {
    reason: Option<String>,
    #[serde(default)]
    message: Option<Message>,
    #[serde(default)]
    success: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Message {
    level: String,
    message: String,
    code: Option<Code>,
    spans: Vec<Span>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Code {
    code: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Span {
    file_name: String,
    line_start: u64,
    is_primary: bool,
}

pub(crate) fn read(path: &Path) -> Result<Collector, ReadError> {
    let mut reader = LineReader::verbatim(open(path)?, path);
    let mut out = Collector::default();
    while let Some((line_no, line)) = reader.next_line()? {
        out.saw_line(line_no, line);
        let trimmed = line.trim();
        if !trimmed.starts_with('{') {
            continue;
        }
        let record: Record =
            serde_json::from_str(trimmed).map_err(|error| ReadError::Malformed {
                path: path.to_path_buf(),
                location: Some(Location::LineColumn {
                    line: line_no,
                    column: error.column() as u64,
                }),
                expected: "one cargo JSON message per line".to_string(),
                found: format!("invalid JSON ({error})"),
            })?;
        let Some(reason) = record.reason else {
            return Err(ReadError::Malformed {
                path: path.to_path_buf(),
                location: Some(Location::LineColumn {
                    line: line_no,
                    column: 1,
                }),
                expected: "a cargo JSON message with a `reason` key".to_string(),
                found: format!("`{}`", text::excerpt(trimmed)),
            });
        };
        out.recognise();
        match reason.as_str() {
            "compiler-message" => {
                if let Some(message) = record.message {
                    compiler_message(&message, &mut out);
                }
            }
            "build-finished" => match record.success {
                Some(true) => out.succeeded(),
                Some(false) => out.failed(Some(EXIT_FAILED)),
                None => {}
            },
            _ => {}
        }
    }
    if !out.recognised && out.first_line_or_default().0 > 0 {
        let (line, found) = out.first_line_or_default();
        out.fatal = Some(ReadError::Malformed {
            path: path.to_path_buf(),
            location: Some(Location::LineColumn { line, column: 1 }),
            expected: "cargo JSON messages (`{\"reason\":\"compiler-message\",...}`)".to_string(),
            found: format!("`{found}`"),
        });
    }
    Ok(out)
}

fn compiler_message(message: &Message, out: &mut Collector) {
    if !message.level.starts_with("error") || message.message.starts_with("aborting due to") {
        return;
    }
    out.error();
    out.failed(Some(EXIT_FAILED));
    let code = message.code.as_ref().map(|code| code.code.as_str());
    let unresolved = match code {
        Some("E0432" | "E0463") => true,
        Some("E0433") => !message.message.contains("undeclared type"),
        _ => false,
    };
    if !unresolved {
        return;
    }
    let Some(specifier) = text::first_backticked(&message.message) else {
        return;
    };
    let span = message
        .spans
        .iter()
        .find(|span| span.is_primary)
        .or_else(|| message.spans.first());
    match span {
        Some(span) => out.import(
            &span.file_name,
            u32::try_from(span.line_start).ok().filter(|line| *line > 0),
            specifier,
        ),
        None => out.import("", None, specifier),
    }
}
