//! Readers of build logs. One file per format; this module sniffs, dispatches and merges.
//!
//! # Figures
//!
//! - `success` and `exit_code` come first from an exit-code file beside the log (see
//!   [`exit_code`] for the names tried and the accepted contents): `success` is then
//!   `exit_code == 0`, whatever the log says. Without that file they come from the log itself,
//!   only where the tool prints something that settles them: a failure verdict or summary
//!   (`Failed to compile.`, `error: could not compile`, `Found 3 errors`, `compiled with 2
//!   errors`) or a success line (`✓ built in`, `Finished`, `Success: no issues found`). The exit
//!   code is then the one the tool documents for that outcome (each format file says which) and
//!   `None` where the tool's status is not fixed by what it printed. When nothing settles the
//!   outcome both are `None`: success is never assumed.
//! - `error_count`: the tool's own total where it prints one, otherwise its error diagnostics
//!   counted one by one (each format file says which lines count).
//! - `unresolved_imports`: one entry per unresolved module the tool reported, in log order, with
//!   the file (a leading `./` removed), the line where the tool printed one (1-based) and the
//!   specifier exactly as the tool quoted it. At most [`MAX_IMPORTS`] are kept per evidence item
//!   (the error count stays exact).
//!
//! # Input
//!
//! Logs are streamed line by line (see [`lines`]): ANSI colours and CRLF line endings are
//! handled, invalid UTF-8 is decoded lossily, binary content and over-long lines are errors with
//! their position. An empty log is an error unless an exit-code file gives the outcome (tools
//! such as `tsc` and `go build` print nothing on success). A non-empty log in which no line has
//! the format's signature is an error naming its first line and what was expected, except for
//! tools that may legitimately print only foreign text (tsc, go build, Python) when an
//! exit-code file is present.
//!
//! # Several files
//!
//! Several logs of one evidence item (sharded jobs) are concatenated: error counts summed,
//! imports appended, `success` false if any log failed, true only if all succeeded; `exit_code`
//! is the first non-zero one, 0 if all are 0, otherwise `None`.

mod cargo;
mod cargo_json;
mod esbuild;
pub mod exit_code;
mod go_build;
pub mod lines;
mod mypy;
mod next;
mod pyright;
mod pyright_json;
mod python_traceback;
mod rollup;
mod text;
mod tsc;
mod vite;
mod webpack;

use crate::{BuildFigures, Format, Location, ReadError, UnresolvedImport};
use lines::LineReader;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// The most unresolved imports kept in memory per evidence item.
pub const MAX_IMPORTS: usize = 10_000;

/// Formats tried by [`sniff`], most specific first: a Next.js log can contain webpack and
/// TypeScript lines, a vite log esbuild ones, so the wrapping tool must win.
const TEXT_SNIFF_ORDER: &[Format] = &[
    Format::Next,
    Format::Vite,
    Format::Rollup,
    Format::Webpack,
    Format::Esbuild,
    Format::Tsc,
    Format::Cargo,
    Format::Mypy,
    Format::Pyright,
    Format::GoBuild,
    Format::PythonTraceback,
];

/// Recognises a build format from the first bytes of a file. Only clear signatures of a tool
/// count (an error line in the tool's own shape, its banner or its summary): build is the last
/// family tried and must not claim arbitrary text.
pub fn sniff(head: &[u8], _path: &Path) -> Option<Format> {
    if head
        .iter()
        .take(8192)
        .any(|&byte| lines::is_binary_byte(byte))
    {
        return None;
    }
    let trimmed = head.trim_ascii_start();
    if trimmed.starts_with(b"{\"reason\":\"") {
        return Some(Format::CargoJson);
    }
    if trimmed.starts_with(b"{") && memchr::memmem::find(head, b"\"generalDiagnostics\"").is_some()
    {
        return Some(Format::PyrightJson);
    }
    let mut found = [false; TEXT_SNIFF_ORDER.len()];
    let mut clean = Vec::new();
    for raw in head.split(|&byte| byte == b'\n') {
        clean.clear();
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = match memchr::memrchr(b'\r', raw) {
            Some(cr) => raw.get(cr + 1..).unwrap_or_default(),
            None => raw,
        };
        lines::strip_ansi(raw, &mut clean);
        let line = String::from_utf8_lossy(&clean);
        for (format, seen) in TEXT_SNIFF_ORDER.iter().zip(found.iter_mut()) {
            if !*seen && is_signature(*format, &line) {
                *seen = true;
            }
        }
    }
    TEXT_SNIFF_ORDER
        .iter()
        .zip(found)
        .find(|(_, seen)| *seen)
        .map(|(format, _)| *format)
}

fn is_signature(format: Format, line: &str) -> bool {
    match format {
        Format::Next => next::is_signature(line),
        Format::Vite => vite::is_signature(line),
        Format::Rollup => rollup::is_signature(line),
        Format::Webpack => webpack::is_signature(line),
        Format::Esbuild => esbuild::is_signature(line),
        Format::Tsc => tsc::is_signature(line),
        Format::Cargo => cargo::is_signature(line),
        Format::Mypy => mypy::is_signature(line),
        Format::Pyright => pyright::is_signature(line),
        Format::GoBuild => go_build::is_signature(line),
        Format::PythonTraceback => python_traceback::is_signature(line),
        _ => false,
    }
}

/// Reads (and, for several files, merges) build logs of the given format.
pub fn read(format: Format, paths: &[PathBuf]) -> Result<BuildFigures, ReadError> {
    let Some(first) = paths.first() else {
        return Err(ReadError::NoFiles);
    };
    let mut merged = read_one(format, first)?;
    for path in paths.iter().skip(1) {
        let next = read_one(format, path)?;
        merge(&mut merged, next);
    }
    Ok(merged)
}

/// Reads one build log.
pub fn read_one(format: Format, path: &Path) -> Result<BuildFigures, ReadError> {
    if format == Format::ExitCode {
        let code = exit_code::read(path)?;
        return Ok(BuildFigures {
            success: Some(code == 0),
            exit_code: Some(code),
            error_count: 0,
            unresolved_imports: Vec::new(),
        });
    }
    let exit = exit_code::beside(path)?;
    let log = match format {
        Format::CargoJson => cargo_json::read(path)?,
        Format::PyrightJson => pyright_json::read(path)?,
        _ => {
            let Some(parser) = text_parser(format) else {
                return Err(ReadError::UnknownFormat {
                    path: path.to_path_buf(),
                    detail: format!("`{format}` is not a build-log format"),
                });
            };
            read_text(path, parser)?
        }
    };
    finish(format, path, log, exit)
}

/// A line-by-line reader of one text format.
pub(crate) trait LogParser {
    /// What a log of this format looks like, for "expected ..." in errors.
    fn expected(&self) -> &'static str;
    /// Takes one cleaned line.
    fn line(&mut self, line: &str, out: &mut Collector);
    /// Called after the last line.
    fn finish(&mut self, _out: &mut Collector) {}
}

fn text_parser(format: Format) -> Option<Box<dyn LogParser>> {
    Some(match format {
        Format::Tsc => Box::new(tsc::Parser),
        Format::Next => Box::new(next::Parser::default()),
        Format::Webpack => Box::new(webpack::Parser::default()),
        Format::Vite => Box::new(vite::Parser::default()),
        Format::Rollup => Box::new(rollup::Parser::default()),
        Format::Esbuild => Box::new(esbuild::Parser::default()),
        Format::Cargo => Box::new(cargo::Parser::default()),
        Format::GoBuild => Box::new(go_build::Parser),
        Format::Mypy => Box::new(mypy::Parser),
        Format::Pyright => Box::new(pyright::Parser),
        Format::PythonTraceback => Box::new(python_traceback::Parser::default()),
        _ => return None,
    })
}

/// What one log says, before the exit-code file is consulted.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    /// Error diagnostics counted one by one.
    pub counted: u64,
    /// The tool's own error total, where it printed one.
    pub summary: Option<u64>,
    /// The outcome the log settles: success and, where fixed by the tool, the exit code.
    outcome: Option<(bool, Option<i32>)>,
    /// Whether any line had the format's signature.
    pub recognised: bool,
    imports: Vec<UnresolvedImport>,
    /// Whether the error count is the larger of the counted and summary figures (cargo).
    pub count_is_max: bool,
    /// The first non-blank line, for "found ..." in errors.
    first_line: Option<(u64, String)>,
    /// Whether the log had any non-blank line.
    non_blank: bool,
    /// An explicit format-level error found while reading (JSON readers).
    pub fatal: Option<ReadError>,
}

impl Collector {
    /// Marks the log as this format's.
    pub fn recognise(&mut self) {
        self.recognised = true;
    }

    /// Counts one error diagnostic.
    pub fn error(&mut self) {
        self.counted += 1;
        self.recognised = true;
    }

    /// Adds a printed total (several crates, several compilers).
    pub fn add_summary(&mut self, count: u64) {
        self.summary = Some(self.summary.unwrap_or(0).saturating_add(count));
        self.recognised = true;
    }

    /// Replaces the printed total (the last one counts: watch modes, esbuild).
    pub fn set_summary(&mut self, count: u64) {
        self.summary = Some(count);
        self.recognised = true;
    }

    /// The log shows a failed build; `code` is the exit status the tool documents for it.
    pub fn failed(&mut self, code: Option<i32>) {
        let code = match self.outcome {
            Some((false, Some(existing))) => Some(existing),
            _ => code,
        };
        self.outcome = Some((false, code));
        self.recognised = true;
    }

    /// The log shows a successful build (a failure seen anywhere wins).
    pub fn succeeded(&mut self) {
        if self.outcome.is_none() {
            self.outcome = Some((true, Some(0)));
        }
        self.recognised = true;
    }

    /// Whether a failure has been seen.
    pub fn has_failed(&self) -> bool {
        matches!(self.outcome, Some((false, _)))
    }

    /// Records an unresolved import (kept up to [`MAX_IMPORTS`]).
    pub fn import(&mut self, file: &str, line: Option<u32>, specifier: &str) {
        self.recognised = true;
        if self.imports.len() < MAX_IMPORTS {
            self.imports.push(UnresolvedImport {
                file: text::strip_dot_slash(file).to_string(),
                line,
                specifier: specifier.to_string(),
            });
        }
    }

    /// Notes a line for emptiness and "found ..." reporting.
    pub fn saw_line(&mut self, line_no: u64, line: &str) {
        if !self.non_blank && !line.trim().is_empty() {
            self.non_blank = true;
            self.first_line = Some((line_no, text::excerpt(line.trim())));
        }
    }

    /// The first non-blank line and its number; `(0, "nothing")` for a blank log.
    pub fn first_line_or_default(&self) -> (u64, String) {
        self.first_line
            .clone()
            .unwrap_or((0, String::from("nothing")))
    }

    fn error_count(&self) -> u64 {
        match self.summary {
            Some(summary) if self.count_is_max => summary.max(self.counted),
            Some(summary) => summary,
            None => self.counted,
        }
    }
}

fn open(path: &Path) -> Result<BufReader<std::fs::File>, ReadError> {
    let file = crate::files::open_artifact(path)?;
    Ok(BufReader::with_capacity(64 * 1024, file))
}

fn read_text(path: &Path, mut parser: Box<dyn LogParser>) -> Result<Collector, ReadError> {
    let mut reader = LineReader::new(open(path)?, path);
    let mut out = Collector::default();
    while let Some((line_no, line)) = reader.next_line()? {
        out.saw_line(line_no, line);
        parser.line(line, &mut out);
    }
    parser.finish(&mut out);
    if !out.recognised && out.non_blank {
        out.fatal = Some(not_this_format(path, &out, parser.expected()));
    }
    Ok(out)
}

/// The error for a non-empty log without any of the format's signatures (tools that are
/// silent on success may still be read when an exit-code file is present: see [`finish`]).
fn not_this_format(path: &Path, out: &Collector, expected: &str) -> ReadError {
    let (line, found) = out.first_line_or_default();
    ReadError::Malformed {
        path: path.to_path_buf(),
        location: Some(Location::LineColumn { line, column: 1 }),
        expected: expected.to_string(),
        found: format!("`{found}`, and no line of that tool"),
    }
}

fn finish(
    format: Format,
    path: &Path,
    log: Collector,
    exit: Option<i32>,
) -> Result<BuildFigures, ReadError> {
    if !log.non_blank && log.fatal.is_none() {
        if exit.is_none() {
            return Err(ReadError::Empty {
                path: path.to_path_buf(),
                expected: format!(
                    "a `{format}` log (or an exit-code file beside it, such as `exit-code.txt`)"
                ),
            });
        }
    } else if let Some(fatal) = log.fatal {
        let silent_ok = exit.is_some()
            && !log.recognised
            && matches!(
                format,
                Format::Tsc | Format::GoBuild | Format::PythonTraceback
            );
        if !silent_ok {
            return Err(fatal);
        }
        // A silent tool's log with only foreign text, and its exit status beside it.
        return Ok(BuildFigures {
            success: exit.map(|code| code == 0),
            exit_code: exit,
            error_count: 0,
            unresolved_imports: Vec::new(),
        });
    }
    let error_count = log.error_count();
    let (success, exit_code) = match (exit, log.outcome) {
        (Some(code), _) => (Some(code == 0), Some(code)),
        (None, Some((success, code))) => (Some(success), code),
        (None, None) => (None, None),
    };
    Ok(BuildFigures {
        success,
        exit_code,
        error_count,
        unresolved_imports: log.imports,
    })
}

/// Concatenates the figures of another log of the same evidence item.
fn merge(into: &mut BuildFigures, next: BuildFigures) {
    into.success = match (into.success, next.success) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    };
    into.exit_code = match (into.exit_code, next.exit_code) {
        (Some(code), _) if code != 0 => Some(code),
        (_, Some(code)) if code != 0 => Some(code),
        (Some(0), Some(0)) => Some(0),
        _ => None,
    };
    into.error_count = into.error_count.saturating_add(next.error_count);
    let room = MAX_IMPORTS.saturating_sub(into.unresolved_imports.len());
    into.unresolved_imports
        .extend(next.unresolved_imports.into_iter().take(room));
}
