//! Go coverage profiles (`go test -coverprofile=cover.out`).
//!
//! # Producers checked
//!
//! - go1.19.8 `go test -coverprofile ./...`, mode `set` (`native/go-coverprofile-green`);
//! - the `count` and `atomic` modes (`-covermode`), same line layout, from
//!   `golang.org/x/tools/cover`'s `ParseProfiles`.
//!
//! # Figures
//!
//! First line `mode: set|count|atomic`, then one block per line:
//! `<file>:<startLine>.<startCol>,<endLine>.<endCol> <numStmt> <count>`. Blocks repeated for one
//! location (several test binaries, `-coverpkg`) are merged as `go tool cover` merges them:
//! counts summed (`set`: or-ed), which gives the same covered blocks.
//!
//! - **statements**: Go's only figure: each block weighs its `numStmt`; covered statements are
//!   those of blocks with count > 0. This is the `total: (statements)` of `go tool cover -func`.
//! - **lines**, **branches**, **functions**: `None` (a profile has none; functions would need the
//!   sources).
//! - **files**: distinct file names in the profile.
//!
//! # Per-file figures
//!
//! Kept for the first [`PER_FILE_LIMIT`](crate::PER_FILE_LIMIT) source files of the report (10,000)
//! in report order; `per_file_omitted` counts the others. Totals and `files` count every file.

use super::input::{
    line_error, number_problem, parse_u32, parse_u64, snippet, LineReader, Src, Stop,
};
use super::sink::{Figure, Sink};
use super::Meta;

const EXPECTED_BLOCK: &str = "a block `<file>:<line>.<col>,<line>.<col> <statements> <count>`";

/// Reads one profile into `sink`.
pub(crate) fn read<S: Sink>(src: Src<'_>, sink: &mut S) -> Result<Meta, Stop> {
    let mut lines = LineReader::new(src.open()?);
    let mut number: u64 = 0;
    let mut mode_seen = false;
    let mut open: Vec<u8> = Vec::new();
    let mut blocks = 0u64;
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(error) => return Err(line_error(src, number + 1, error).into()),
        };
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if let Some(mode) = line.strip_prefix(b"mode:") {
            let mode = mode.trim_ascii();
            if !matches!(mode, b"set" | b"count" | b"atomic") {
                return Err(Stop::Read(src.at(
                    number,
                    7,
                    "mode `set`, `count` or `atomic`",
                    snippet(mode),
                )));
            }
            // Concatenated profiles repeat the mode line.
            mode_seen = true;
            continue;
        }
        if !mode_seen {
            return Err(Stop::Read(src.at(
                number,
                1,
                "a first line `mode: set|count|atomic`",
                snippet(line),
            )));
        }
        let at = |rest: &[u8], expected: &str, found: String| -> Stop {
            let column = (line.len() - rest.len()) as u64 + 1;
            Stop::Read(src.at(number, column, expected, found))
        };
        // From the right: count, numStmt, then `file:positions`.
        let Some(space) = memchr::memrchr(b' ', line) else {
            return Err(at(line, EXPECTED_BLOCK, snippet(line)));
        };
        let count_field = line.get(space + 1..).unwrap_or_default();
        let head = line.get(..space).unwrap_or_default();
        let Some(space) = memchr::memrchr(b' ', head) else {
            return Err(at(line, EXPECTED_BLOCK, snippet(line)));
        };
        let stmt_field = head.get(space + 1..).unwrap_or_default();
        let location = head.get(..space).unwrap_or_default();
        let Some(colon) = memchr::memrchr(b':', location) else {
            return Err(at(line, EXPECTED_BLOCK, snippet(line)));
        };
        let file = location.get(..colon).unwrap_or_default();
        let positions = location.get(colon + 1..).unwrap_or_default();
        if file.is_empty() || !valid_positions(positions) {
            return Err(at(positions, EXPECTED_BLOCK, snippet(line)));
        }
        let Some(statements) = parse_u64(stmt_field) else {
            return Err(at(
                stmt_field,
                "a statement count",
                number_problem(stmt_field),
            ));
        };
        let Some(count) = parse_u64(count_field) else {
            return Err(at(
                count_field,
                "a block count",
                number_problem(count_field),
            ));
        };
        if file != open.as_slice() {
            let Ok(name) = std::str::from_utf8(file) else {
                return Err(at(line, "a UTF-8 file name", snippet(file)));
            };
            sink.begin_file(name)?;
            open.clear();
            open.extend_from_slice(file);
        }
        blocks += 1;
        sink.item(Figure::Statements, positions, statements, count)?;
    }
    if !mode_seen {
        return Err(Stop::Read(
            src.empty("a Go coverage profile (`mode: ...` and blocks)"),
        ));
    }
    if blocks > 0 {
        sink.end_file()?;
    }
    Ok(Meta::default())
}

/// `<line>.<col>,<line>.<col>`
fn valid_positions(positions: &[u8]) -> bool {
    let mut parts = positions.split(|b| *b == b',');
    let (Some(start), Some(end), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    [start, end].iter().all(|pos| {
        let mut fields = pos.split(|b| *b == b'.');
        matches!(
            (
                fields.next().and_then(parse_u32),
                fields.next().and_then(parse_u32),
                fields.next()
            ),
            (Some(_), Some(_), None)
        )
    })
}
