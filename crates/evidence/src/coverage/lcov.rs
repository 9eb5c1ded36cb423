//! LCOV tracefiles (`lcov.info`, `coverage.lcov`).
//!
//! # Producers checked
//!
//! - jest 30.5.2 / istanbul `lcovonly` reporter (corpus `js/jest-lcov-mailflow`);
//! - c8 12.0.0 `lcovonly` (V8 coverage source-mapped to TypeScript; `js/c8-lcov-mailflow-smoke`);
//! - coverage.py 7.17.3 `coverage lcov`, with and without branch coverage
//!   (`native/coveragepy-lcov-*`; `FN:<start>,<end>,<name>` records, `BRDA` blocks like
//!   `jump to line 14`);
//! - cargo-llvm-cov 0.9.1 / `llvm-cov export -format=lcov` (LLVM 22; `native/cargo-llvm-cov-lcov-green`);
//! - the lcov 2.x records `FNL:<index>,<line>[,<end>]` / `FNA:<index>,<hits>,<name>` and
//!   `VER:`, from the geninfo(1) format description.
//!
//! # Figures
//!
//! A record runs from `SF:<path>` to `end_of_record`; a path appearing in several records is
//! merged line by line.
//!
//! - **lines**: one per `DA:<line>,<hits>[,<checksum>]`; covered when hits > 0. `LF`/`LH` are used
//!   only for a record without `DA` records (a summary-only tracefile). For istanbul (jest) these
//!   are istanbul's *line* metric, not its statements; for coverage.py they are its statements;
//!   for llvm-cov, its line metric.
//! - **branches**: one per `BRDA:<line>,<block>,<branch>,<taken>`; covered when taken is a
//!   number above 0 (`-` means the branch's block never ran). `BRF`/`BRH` only without `BRDA`. llvm-cov
//!   writes `BRF:0` when branch coverage is off: a report with no branches at all gives `None`.
//! - **functions**: from `FN`/`FNDA` (or `FNL`/`FNA`); covered when the hit count is > 0. One
//!   function is one name, except where the tool counted instantiation groups: llvm-cov lists
//!   every instantiation (the library and the test binary each have their own mangled name) but
//!   counts `FNF` per source location, so when a record's `FNF` equals the number of distinct
//!   start lines and not the number of names, functions are grouped by start line (covered if any
//!   instance ran). `FNF`/`FNH` are used only for a record without function records.
//! - **statements**: `None`. LCOV has no statements. (istanbul's statement metric, c8's statements
//!   and llvm-cov's regions cannot be recovered from it.)
//! - **headline**: `None` (a tracefile does not say which tool wrote it).
//!
//! # Errors
//!
//! Every line must be empty, `end_of_record`, or a `TAG:` record (unknown tags are skipped, for
//! newer lcov versions); numbers must fit (lines in 32 bits, hits in 64); a record must end with
//! `end_of_record` before the next `SF:` and before end of file (a missing one means truncation).
//!
//! # Per-file figures
//!
//! Kept for the first [`PER_FILE_LIMIT`](crate::PER_FILE_LIMIT) source files of the report (10,000)
//! in report order; `per_file_omitted` counts the others. Totals and `files` count every file.

use super::input::{
    find_newline, leading_digits, line_error, number_problem, parse_u32, parse_u64, snippet,
    LineReader, Src, Stop,
};
use super::sink::{Figure, Sink};
use super::Meta;
use crate::Ratio;
use std::ops::Range;

const EXPECTED_RECORD: &str =
    "an lcov record such as `SF:<path>`, `DA:<line>,<hits>` or `end_of_record`";

/// Reads one tracefile into `sink`.
pub(crate) fn read<S: Sink>(src: Src<'_>, sink: &mut S) -> Result<Meta, Stop> {
    let mut lines = LineReader::new(src.open()?);
    let mut number: u64 = 0;
    let mut record: Option<Record> = None;
    let mut functions = Functions::default();
    let mut key = Vec::new();
    let mut records = 0u64;
    loop {
        // Hot path: while a record is open, the common records (`DA`, `BRDA`, `FN`, `FNDA` in
        // their plain form) are parsed in place from the buffered input, several lines per call;
        // any other line (and any such line the fast path does not take) goes the general way
        // below, which also reports errors.
        if let Some(state) = record.as_mut() {
            let (bytes, count) = fast_records(lines.pending(), state, &mut functions, sink)?;
            lines.consume(bytes);
            number += count;
        }
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(error) => return Err(line_error(src, number + 1, error).into()),
        };
        number += 1;
        let at = |rest: &[u8], expected: &str, found: String| -> Stop {
            let column = (line.len() - rest.len()) as u64 + 1;
            Stop::Read(src.at(number, column, expected, found))
        };

        // Hot path: DA records are most of a tracefile.
        if let Some(rest) = line.strip_prefix(b"DA:") {
            let Some(state) = record.as_mut() else {
                return Err(at(
                    line,
                    "`SF:<path>` before the first `DA:`",
                    snippet(line),
                ));
            };
            let (field, after) = split_comma(rest);
            let Some(line_no) = parse_u32(field) else {
                return Err(at(rest, "a line number", number_problem(field)));
            };
            if line_no == 0 {
                return Err(at(rest, "a line number of at least 1", "`0`".to_string()));
            }
            let Some(after) = after else {
                return Err(at(line, "`DA:<line>,<hits>`", snippet(line)));
            };
            let (field, _checksum) = split_comma(after);
            let Some(hits) = parse_u64(field) else {
                return Err(at(
                    after,
                    "a hit count (a whole number that fits in 64 bits)",
                    number_problem(field),
                ));
            };
            state.has_da = true;
            sink.line(line_no, hits)?;
            continue;
        }

        if line.is_empty() || line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if line == b"end_of_record" {
            let Some(state) = record.take() else {
                return Err(at(
                    line,
                    "`SF:<path>` before `end_of_record`",
                    snippet(line),
                ));
            };
            state.finish(sink, &mut functions, &mut key, src, number)?;
            sink.end_file()?;
            continue;
        }
        let Some(colon) = tag_end(line) else {
            return Err(at(line, EXPECTED_RECORD, snippet(line)));
        };
        let tag = line.get(..colon).unwrap_or_default();
        let rest = line.get(colon + 1..).unwrap_or_default();
        if tag == b"SF" {
            if record.is_some() {
                return Err(at(
                    line,
                    "`end_of_record` before the next `SF:`",
                    snippet(line),
                ));
            }
            let Ok(path) = std::str::from_utf8(rest) else {
                return Err(at(rest, "a UTF-8 source path", snippet(rest)));
            };
            if path.is_empty() {
                return Err(at(rest, "a source path after `SF:`", "nothing".to_string()));
            }
            sink.begin_file(path)?;
            record = Some(Record::default());
            records += 1;
            functions.clear();
            continue;
        }
        if matches!(tag, b"TN" | b"VER") {
            continue;
        }
        let Some(state) = record.as_mut() else {
            if is_record_tag(tag) {
                return Err(at(line, "`SF:<path>` before this record", snippet(line)));
            }
            continue;
        };
        match tag {
            b"BRDA" => {
                // BRDA:<line>,<block>,<branch>,<taken>; the key is everything before <taken>.
                let Some(last) = rest.iter().rposition(|b| *b == b',') else {
                    return Err(at(
                        rest,
                        "`BRDA:<line>,<block>,<branch>,<taken>`",
                        snippet(line),
                    ));
                };
                let branch_key = rest.get(..last).unwrap_or_default();
                let taken = rest.get(last + 1..).unwrap_or_default();
                let (line_field, more) = split_comma(branch_key);
                let Some(line_no) = parse_u32(line_field).filter(|_| more.is_some()) else {
                    return Err(at(
                        rest,
                        "`BRDA:<line>,<block>,<branch>,<taken>`",
                        snippet(line),
                    ));
                };
                if line_no == 0 {
                    return Err(at(rest, "a line number of at least 1", "`0`".to_string()));
                }
                let taken = if taken == b"-" {
                    0
                } else {
                    match parse_u64(taken) {
                        Some(taken) => taken,
                        None => {
                            let tail = line.get(line.len() - taken.len()..).unwrap_or_default();
                            return Err(at(
                                tail,
                                "a taken count (a whole number, or `-`)",
                                number_problem(taken),
                            ));
                        }
                    }
                };
                state.has_brda = true;
                sink.item(Figure::Branches, branch_key, 1, taken)?;
            }
            b"FN" => {
                // FN:<start>,[<end>,]<name>
                let (start, after) = split_comma(rest);
                let (Some(start), Some(after)) = (parse_u32(start), after) else {
                    return Err(at(rest, "`FN:<line>,<name>`", snippet(line)));
                };
                let (maybe_end, name_rest) = split_comma(after);
                let name = match name_rest {
                    Some(name) if parse_u32(maybe_end).is_some() => name,
                    _ => after,
                };
                functions.declare(name, Some(start));
            }
            b"FNDA" => {
                let (hits, name) = split_comma(rest);
                let Some(name) = name else {
                    return Err(at(rest, "`FNDA:<hits>,<name>`", snippet(line)));
                };
                let Some(hits) = parse_u64(hits) else {
                    return Err(at(rest, "a function hit count", number_problem(hits)));
                };
                functions.hit(name, hits);
            }
            b"FNL" => {
                let (index, after) = split_comma(rest);
                let (start, _) = split_comma(after.unwrap_or_default());
                let Some(start) = parse_u32(start) else {
                    return Err(at(rest, "`FNL:<index>,<line>`", snippet(line)));
                };
                key.clear();
                key.push(b'#');
                key.extend_from_slice(index);
                functions.declare(&key, Some(start));
            }
            b"FNA" => {
                let (index, after) = split_comma(rest);
                let (hits, _name) = split_comma(after.unwrap_or_default());
                let Some(hits) = parse_u64(hits) else {
                    return Err(at(rest, "`FNA:<index>,<hits>,<name>`", snippet(line)));
                };
                key.clear();
                key.push(b'#');
                key.extend_from_slice(index);
                functions.hit(&key, hits);
            }
            b"LF" => state.lf = Some(summary(rest, line, number, src)?),
            b"LH" => state.lh = Some(summary(rest, line, number, src)?),
            b"BRF" => state.brf = Some(summary(rest, line, number, src)?),
            b"BRH" => state.brh = Some(summary(rest, line, number, src)?),
            b"FNF" => state.fnf = Some(summary(rest, line, number, src)?),
            b"FNH" => state.fnh = Some(summary(rest, line, number, src)?),
            _ => {}
        }
    }
    if record.is_some() {
        return Err(Stop::Read(src.at(
            number,
            1,
            "`end_of_record` closing the last record",
            "end of file (truncated?)",
        )));
    }
    if records == 0 {
        return Err(Stop::Read(
            src.empty("lcov records (`SF:<path>` ... `end_of_record`)"),
        ));
    }
    Ok(Meta::default())
}

/// Parses the plain forms of the hot records from `input` (the reader's buffered bytes) while
/// they come, each a whole line ending in `\n` or `\r\n`:
///
/// - `DA:<line>,<hits>` (no checksum);
/// - `BRDA:<line>,<block>,<branch>,<taken>` (`<taken>` a number or `-`);
/// - `FN:<line>,[<end>,]<name>` and `FNDA:<hits>,<name>`;
///
/// with numbers of at most 10 digits (line numbers, also within 32 bits) or 19 digits (counts),
/// so nothing can overflow. Stops at the first line that is anything else, or is not whole in
/// `input`, and returns the bytes and lines taken; the general path then reads that line and
/// gives every figure and error exactly as for the lines taken here.
#[inline]
fn fast_records<S: Sink>(
    input: &[u8],
    state: &mut Record,
    functions: &mut Functions,
    sink: &mut S,
) -> Result<(usize, u64), Stop> {
    let mut rest = input;
    let mut lines = 0u64;
    loop {
        let next = match rest {
            [b'D', b'A', b':', tail @ ..] => {
                let Some((line, hits, next)) = fast_da(tail) else {
                    break;
                };
                state.has_da = true;
                sink.line(line, hits)?;
                next
            }
            [b'B', b'R', b'D', b'A', b':', tail @ ..] => {
                let Some((key, taken, next)) = fast_brda(tail) else {
                    break;
                };
                state.has_brda = true;
                sink.item(Figure::Branches, key, 1, taken)?;
                next
            }
            [b'F', b'N', b'D', b'A', b':', tail @ ..] => {
                let Some((hits, after)) = leading_digits(tail, 19) else {
                    break;
                };
                let Some((name, next)) = after.strip_prefix(b",").and_then(split_line) else {
                    break;
                };
                functions.hit(name, hits);
                next
            }
            [b'F', b'N', b':', tail @ ..] => {
                let Some((start, after)) = leading_digits(tail, 10) else {
                    break;
                };
                let Ok(start) = u32::try_from(start) else {
                    break;
                };
                let Some((after, next)) = after.strip_prefix(b",").and_then(split_line) else {
                    break;
                };
                // As the general path: `<end>,<name>` when what precedes the next comma is a
                // line number, else all of it is the name.
                let (maybe_end, name_rest) = split_comma(after);
                let name = match name_rest {
                    Some(name) if parse_u32(maybe_end).is_some() => name,
                    _ => after,
                };
                functions.declare(name, Some(start));
                next
            }
            _ => break,
        };
        rest = next;
        lines += 1;
    }
    Ok((input.len() - rest.len(), lines))
}

/// After `DA:`: `<line>,<hits>` and the line end; the two numbers and the input after the line.
#[inline]
fn fast_da(tail: &[u8]) -> Option<(u32, u64, &[u8])> {
    let (line, after) = leading_digits(tail, 10)?;
    // Line 0 goes the general way, which reports it.
    let line = u32::try_from(line).ok().filter(|line| *line > 0)?;
    let (hits, after) = leading_digits(after.strip_prefix(b",")?, 19)?;
    Some((line, hits, line_end(after)?))
}

/// After `BRDA:`: `<line>,<block>,<branch>,<taken>` and the line end; the branch key (all before
/// the last comma, as the general path takes it), the taken count and the input after the line.
#[inline]
fn fast_brda(tail: &[u8]) -> Option<(&[u8], u64, &[u8])> {
    let (line_no, after_line) = leading_digits(tail, 10)?;
    u32::try_from(line_no).ok().filter(|line| *line > 0)?;
    let digits = tail.len() - after_line.len();
    let (line, next) = split_line(after_line.strip_prefix(b",")?)?;
    // The last comma of the line; the key must hold one more comma than the line number's.
    let last = line.iter().rposition(|b| *b == b',')?;
    let key = tail.get(..digits + 1 + last)?;
    let taken = line.get(last + 1..)?;
    let taken = match taken {
        b"-" => 0,
        _ => {
            let (value, after) = leading_digits(taken, 19)?;
            if !after.is_empty() {
                return None;
            }
            value
        }
    };
    Some((key, taken, next))
}

/// The rest of a line (without its `\n` or `\r\n`) and the input after it; `None` when the line
/// is not whole in `bytes`.
#[inline]
fn split_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let newline = find_newline(bytes)?;
    let line = bytes.get(..newline)?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Some((line, bytes.get(newline + 1..)?))
}

/// The input after a line end (`\n` or `\r\n`) that `bytes` must start with.
#[inline]
fn line_end(bytes: &[u8]) -> Option<&[u8]> {
    match bytes {
        [b'\n', rest @ ..] | [b'\r', b'\n', rest @ ..] => Some(rest),
        _ => None,
    }
}

/// Splits at the first comma: (before, Some(after)) or (all, None).
#[inline]
fn split_comma(bytes: &[u8]) -> (&[u8], Option<&[u8]>) {
    match bytes.iter().position(|b| *b == b',') {
        Some(comma) => (
            bytes.get(..comma).unwrap_or_default(),
            bytes.get(comma + 1..),
        ),
        None => (bytes, None),
    }
}

/// The position of the colon ending an lcov tag (`[A-Z][A-Z0-9_]*:`).
fn tag_end(line: &[u8]) -> Option<usize> {
    let colon = line.iter().position(|b| *b == b':')?;
    let tag = line.get(..colon)?;
    let first = tag.first()?;
    (first.is_ascii_uppercase()
        && tag
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_'))
    .then_some(colon)
}

fn is_record_tag(tag: &[u8]) -> bool {
    matches!(
        tag,
        b"BRDA"
            | b"FN"
            | b"FNDA"
            | b"FNL"
            | b"FNA"
            | b"LF"
            | b"LH"
            | b"BRF"
            | b"BRH"
            | b"FNF"
            | b"FNH"
    )
}

fn summary(rest: &[u8], line: &[u8], number: u64, src: Src<'_>) -> Result<u64, Stop> {
    parse_u64(rest.trim_ascii()).ok_or_else(|| {
        let column = (line.len() - rest.len()) as u64 + 1;
        Stop::Read(src.at(number, column, "a count", number_problem(rest)))
    })
}

/// What one record said besides its line, branch and function records.
#[derive(Default)]
struct Record {
    has_da: bool,
    has_brda: bool,
    lf: Option<u64>,
    lh: Option<u64>,
    brf: Option<u64>,
    brh: Option<u64>,
    fnf: Option<u64>,
    fnh: Option<u64>,
}

impl Record {
    /// Gives the record's figures to `sink` at its `end_of_record` (line `number`).
    fn finish<S: Sink>(
        self,
        sink: &mut S,
        functions: &mut Functions,
        key: &mut Vec<u8>,
        src: Src<'_>,
        number: u64,
    ) -> Result<(), Stop> {
        for (hit, found, hit_tag, found_tag) in [
            (self.lh, self.lf, "LH", "LF"),
            (self.brh, self.brf, "BRH", "BRF"),
            (self.fnh, self.fnf, "FNH", "FNF"),
        ] {
            if let (Some(hit), Some(found)) = (hit, found) {
                if hit > found {
                    return Err(Stop::Read(src.at(
                        number,
                        1,
                        format!("`{hit_tag}` (hit) at most `{found_tag}` (found) in this record"),
                        format!("`{hit_tag}:{hit}` with `{found_tag}:{found}`"),
                    )));
                }
            }
        }
        if !self.has_da {
            if let Some(total) = self.lf {
                sink.totals(Figure::Lines, ratio(self.lh, total))?;
            }
        }
        if !self.has_brda {
            if let Some(total) = self.brf {
                sink.totals(Figure::Branches, ratio(self.brh, total))?;
            }
        }
        if functions.entries.is_empty() {
            if let Some(total) = self.fnf {
                sink.totals(Figure::Functions, ratio(self.fnh, total))?;
            }
            return Ok(());
        }
        functions.emit(self.fnf, sink, key)
    }
}

fn ratio(covered: Option<u64>, total: u64) -> Ratio {
    Ratio {
        covered: covered.unwrap_or(0),
        total,
    }
}

/// The functions of one record: names in one arena, entries pointing into it.
#[derive(Default)]
struct Functions {
    names: Vec<u8>,
    entries: Vec<Function>,
    cursor: usize,
}

struct Function {
    name: Range<usize>,
    line: Option<u32>,
    hits: u64,
}

impl Functions {
    fn clear(&mut self) {
        self.names.clear();
        self.entries.clear();
        self.cursor = 0;
    }

    /// Finds a function by name; FNDA records usually follow FN records in order, so the entry
    /// after the last one found is tried first.
    fn find(&mut self, name: &[u8]) -> Option<usize> {
        let names = &self.names;
        let matches = |function: &Function| names.get(function.name.clone()) == Some(name);
        if self.entries.get(self.cursor).is_some_and(matches) {
            let found = self.cursor;
            self.cursor += 1;
            return Some(found);
        }
        let found = self.entries.iter().position(matches)?;
        self.cursor = found + 1;
        Some(found)
    }

    fn add(&mut self, name: &[u8], line: Option<u32>) -> usize {
        let start = self.names.len();
        self.names.extend_from_slice(name);
        self.entries.push(Function {
            name: start..self.names.len(),
            line,
            hits: 0,
        });
        self.entries.len() - 1
    }

    fn declare(&mut self, name: &[u8], line: Option<u32>) {
        match self.find(name) {
            Some(found) => {
                if let Some(function) = self.entries.get_mut(found) {
                    function.line = function.line.or(line);
                }
            }
            None => {
                self.add(name, line);
            }
        }
    }

    fn hit(&mut self, name: &[u8], hits: u64) {
        let index = match self.find(name) {
            Some(found) => found,
            None => self.add(name, None),
        };
        if let Some(function) = self.entries.get_mut(index) {
            function.hits = function.hits.saturating_add(hits);
        }
    }

    fn emit<S: Sink>(
        &mut self,
        fnf: Option<u64>,
        sink: &mut S,
        key: &mut Vec<u8>,
    ) -> Result<(), Stop> {
        let names = self.entries.len() as u64;
        let by_line = match fnf {
            Some(fnf) if fnf != names && self.entries.iter().all(|f| f.line.is_some()) => {
                let mut starts: Vec<u32> = self.entries.iter().filter_map(|f| f.line).collect();
                starts.sort_unstable();
                starts.dedup();
                starts.len() as u64 == fnf
            }
            _ => false,
        };
        if by_line {
            self.entries.sort_by_key(|f| f.line);
            let mut group: Option<(u32, u64)> = None;
            for function in &self.entries {
                let line = function.line.unwrap_or(0);
                match group {
                    Some((start, hits)) if start == line => {
                        group = Some((start, hits.saturating_add(function.hits)));
                    }
                    _ => {
                        if let Some((start, hits)) = group {
                            emit_line_group(sink, key, start, hits)?;
                        }
                        group = Some((line, function.hits));
                    }
                }
            }
            if let Some((start, hits)) = group {
                emit_line_group(sink, key, start, hits)?;
            }
        } else {
            for function in &self.entries {
                let name = self.names.get(function.name.clone()).unwrap_or_default();
                sink.item(Figure::Functions, name, 1, function.hits)?;
            }
        }
        Ok(())
    }
}

fn emit_line_group<S: Sink>(
    sink: &mut S,
    key: &mut Vec<u8>,
    start: u32,
    hits: u64,
) -> Result<(), Stop> {
    key.clear();
    key.extend_from_slice(b"@line ");
    key.extend_from_slice(start.to_string().as_bytes());
    sink.item(Figure::Functions, key, 1, hits)
}

#[cfg(test)]
mod unit {
    use super::{fast_records, Figure, Functions, Record, Sink, Stop};
    use crate::Ratio;

    /// Records the events it gets, as text.
    #[derive(Default)]
    struct Log(Vec<String>);

    impl Sink for Log {
        fn begin_file(&mut self, path: &str) -> Result<(), Stop> {
            self.0.push(format!("begin {path}"));
            Ok(())
        }
        fn line(&mut self, line: u32, hits: u64) -> Result<(), Stop> {
            self.0.push(format!("line {line} {hits}"));
            Ok(())
        }
        fn item(&mut self, figure: Figure, key: &[u8], weight: u64, hits: u64) -> Result<(), Stop> {
            let key = String::from_utf8_lossy(key);
            self.0
                .push(format!("{} {key} {weight} {hits}", figure.name()));
            Ok(())
        }
        fn line_branches(&mut self, line: u32, covered: u64, total: u64) -> Result<(), Stop> {
            self.0
                .push(format!("line_branches {line} {covered} {total}"));
            Ok(())
        }
        fn totals(&mut self, figure: Figure, ratio: Ratio) -> Result<(), Stop> {
            self.0.push(format!("totals {} {ratio:?}", figure.name()));
            Ok(())
        }
        fn end_file(&mut self) -> Result<(), Stop> {
            self.0.push("end".to_string());
            Ok(())
        }
    }

    /// Runs the fast path on `input`: the bytes and lines it took, what it emitted, and the
    /// functions it collected (name: line, hits).
    fn fast(input: &[u8]) -> (usize, u64, Vec<String>, Vec<String>) {
        let mut state = Record::default();
        let mut functions = Functions::default();
        let mut log = Log::default();
        let Ok((bytes, lines)) = fast_records(input, &mut state, &mut functions, &mut log) else {
            unreachable!("the log sink never fails")
        };
        let names = functions
            .entries
            .iter()
            .map(|f| {
                let name = functions.names.get(f.name.clone()).unwrap_or_default();
                format!("{}: {:?} {}", String::from_utf8_lossy(name), f.line, f.hits)
            })
            .collect();
        (bytes, lines, log.0, names)
    }

    /// The plain forms are taken, with `\r\n` line ends too; keys and names as the general path
    /// cuts them.
    #[test]
    fn fast_path_takes_the_plain_records() {
        let input = b"DA:1,2\nDA:3,0\r\nBRDA:4,0,1,5\nBRDA:4,0,2,-\nBRDA:5,a,b,c,0\r\n\
FN:6,f\nFN:7,9,g,h\nFN:8,x,y\nFNDA:3,f\nFNDA:0,g,h\nSF:next\n";
        let (bytes, lines, events, functions) = fast(input);
        assert_eq!(bytes, input.len() - b"SF:next\n".len());
        assert_eq!(lines, 10);
        assert_eq!(
            events,
            [
                "line 1 2",
                "line 3 0",
                "branches 4,0,1 1 5",
                "branches 4,0,2 1 0",
                "branches 5,a,b,c 1 0",
            ]
        );
        assert_eq!(
            functions,
            ["f: Some(6) 3", "g,h: Some(7) 0", "x,y: Some(8) 0"]
        );
    }

    /// Anything unusual stops the fast path at that line, for the general path to read (and
    /// report): checksums, overlong or missing numbers, a BRDA without its fields, a bad taken
    /// count, and a line not yet whole in the buffer.
    #[test]
    fn fast_path_leaves_everything_else() {
        for line in [
            &b"DA:4,5,abc\n"[..],
            b"DA:99999999999,1\n",
            b"DA:4294967296,1\n",
            b"DA:1,18446744073709551616\n",
            b"DA:7,\n",
            b"DA:,7\n",
            b"DA:1,2",
            b"DA:1,2\r",
            b"DA: 1,2\n",
            b"BRDA:1\n",
            b"BRDA:1,2\n",
            b"BRDA:1,0,0,x\n",
            b"BRDA:1,0,0,1x\n",
            b"BRDA:1,0,0,\n",
            b"BRDA:x,0,0,1\n",
            b"BRDA:1,0,0,1",
            b"FN:x,f\n",
            b"FN:1\n",
            b"FN:1,f",
            b"FNDA:x,f\n",
            b"FNDA:1\n",
            b"FNDA:1,f",
            b"FNL:0,1\n",
            b"LF:1\n",
            b"end_of_record\n",
            b"\n",
        ] {
            let mut input = b"DA:1,1\n".to_vec();
            input.extend_from_slice(line);
            let (bytes, lines, events, _) = fast(&input);
            assert_eq!(
                (bytes, lines, events.len()),
                (7, 1, 1),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }
}
