//! Readers of coverage artifacts. One file per format; this module sniffs formats, dispatches,
//! and merges several artifacts (sharded CI jobs).
//!
//! # Design
//!
//! Each reader streams its artifact (a chunked line reader with `memchr` for LCOV and Go
//! profiles, quick-xml's pull parser for Cobertura, JaCoCo and Clover, serde_json's streaming
//! deserializer with visitors for the JSON formats) and emits events into a [`sink::Sink`]:
//!
//! - one artifact goes to a counting sink that keeps only running totals, so memory does not
//!   grow with the artifact (a source file appearing twice makes the reader start over in merge
//!   mode);
//! - several artifacts go to a merge sink that keeps hits per line, branch, function and
//!   statement per source file and sums them, never averaging percentages.
//!
//! Per-file figures are kept for the first [`crate::PER_FILE_LIMIT`] source files only (the rest
//! are counted in `per_file_omitted`); totals and `files` cover every file. With one artifact,
//! what grows with the number of source files is then an 8-byte path hash per file (to find a
//! file listed twice); line-level state exists only in merge mode and for the files
//! [`read_with_lines`] is asked for.
//!
//! Figures a format does not carry are `None`; so is a figure whose total is zero over the whole
//! report (branch coverage switched off looks exactly like that). Format-specific facts the sink
//! cannot know (coverage.py's statements are its lines; its headline percentage) come back from
//! the reader as [`Meta`] and are applied here.

mod clover;
mod cobertura;
mod coveragepy_json;
mod detail;
mod go_cover;
mod input;
mod istanbul_final;
mod istanbul_summary;
mod jacoco;
mod lcov;
mod llvm_cov_json;
mod sink;
mod xml;

use crate::{CoverageFigures, FileLines, Format, Headline, Ratio, ReadError};
use detail::Detail;
pub use detail::Wanted;
use input::{Src, Stop};
use sink::{CountSink, Figure, MergeSink, Sink};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a reader knows about the report beyond its events.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Meta {
    /// The producer measures statements by line (coverage.py): statements are the lines.
    pub statements_are_lines: bool,
    /// The producer is coverage.py with branch coverage on: its headline percentage combines
    /// lines and branches.
    pub coveragepy_headline: bool,
    /// Report totals the producer wrote itself (Cobertura's root `lines-valid`/`branches-valid`),
    /// which win over the per-file sums for a single report: istanbul counts a branch on a line
    /// without statements in its totals but has no `<line>` to hang it on. Lines, branches,
    /// functions, statements; ignored when several reports are merged.
    pub report_totals: [Option<Ratio>; 4],
}

impl Meta {
    fn or(self, other: Meta) -> Meta {
        Meta {
            statements_are_lines: self.statements_are_lines || other.statements_are_lines,
            coveragepy_headline: self.coveragepy_headline || other.coveragepy_headline,
            report_totals: [None; 4],
        }
    }
}

/// The definition of coverage.py's headline percentage, as named in [`Headline`].
pub const COVERAGEPY_HEADLINE: &str = "coverage.py percent_covered: (covered lines + covered \
     branches) / (statements + branches), lines and branches together";

/// Recognises a coverage format from the first bytes of a file and its name.
pub fn sniff(head: &[u8], path: &Path) -> Option<Format> {
    let text = skip_bom_and_space(head);
    match text.first()? {
        b'<' => sniff_xml(text),
        b'{' => sniff_json(text),
        _ => sniff_lines(text, path),
    }
}

fn skip_bom_and_space(head: &[u8]) -> &[u8] {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    head.get(start..).unwrap_or_default()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// The root element's name and the text of its start tag.
fn xml_root(text: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut rest = text;
    loop {
        let open = memchr::memchr(b'<', rest)?;
        rest = rest.get(open..)?;
        if rest.starts_with(b"<!--") {
            let end = memchr::memmem::find(rest, b"-->")?;
            rest = rest.get(end + 3..)?;
        } else if rest.starts_with(b"<?") || rest.starts_with(b"<!") {
            let end = memchr::memchr(b'>', rest)?;
            rest = rest.get(end + 1..)?;
        } else {
            let body = rest.get(1..)?;
            let name_end = body
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
                .unwrap_or(body.len());
            let tag_end = memchr::memchr(b'>', body).unwrap_or(body.len());
            return Some((body.get(..name_end)?, body.get(..tag_end)?));
        }
    }
}

fn sniff_xml(text: &[u8]) -> Option<Format> {
    let (root, tag) = xml_root(text)?;
    match root {
        b"coverage" => {
            if contains(tag, b"clover=") || contains(text, b"<project") {
                Some(Format::Clover)
            } else if contains(tag, b"line-rate")
                || contains(tag, b"lines-valid")
                || contains(text, b"coverage-04.dtd")
                || contains(text, b"<packages")
            {
                Some(Format::Cobertura)
            } else {
                None
            }
        }
        b"report" => (contains(text, b"JACOCO")
            || contains(text, b"<sessioninfo")
            || contains(text, b"<counter type="))
        .then_some(Format::Jacoco),
        _ => None,
    }
}

fn sniff_json(text: &[u8]) -> Option<Format> {
    if contains(text, b"\"llvm.coverage.json.export\"")
        || (contains(text, b"\"data\"") && contains(text, b"\"segments\""))
    {
        Some(Format::LlvmCovJson)
    } else if contains(text, b"\"statementMap\"") {
        Some(Format::IstanbulFinal)
    } else if contains(text, b"\"meta\"")
        && (contains(text, b"\"branch_coverage\"") || contains(text, b"\"show_contexts\""))
    {
        Some(Format::CoveragePyJson)
    } else if contains(text, b"\"total\"") && contains(text, b"\"pct\"") {
        Some(Format::IstanbulSummary)
    } else {
        None
    }
}

fn sniff_lines(text: &[u8], path: &Path) -> Option<Format> {
    let first = text
        .split(|b| *b == b'\n')
        .next()
        .unwrap_or_default()
        .trim_ascii_end();
    if let Some(mode) = first.strip_prefix(b"mode:") {
        if matches!(mode.trim_ascii(), b"set" | b"count" | b"atomic") {
            return Some(Format::GoCover);
        }
    }
    let lcov_record = [b"TN:".as_slice(), b"SF:", b"VER:"]
        .iter()
        .any(|prefix| first.starts_with(prefix));
    let lcov_name = path
        .extension()
        .is_some_and(|ext| ext == "info" || ext == "lcov")
        || path.file_name().is_some_and(|name| name == "lcov.info");
    if lcov_record || (lcov_name && contains(text, b"\nSF:") && contains(text, b"end_of_record")) {
        return Some(Format::Lcov);
    }
    None
}

/// Reads (and, for several files, merges) coverage artifacts of the given format.
pub fn read(format: Format, paths: &[PathBuf]) -> Result<CoverageFigures, ReadError> {
    let Some(first) = paths.first() else {
        return Err(ReadError::NoFiles);
    };
    if paths.len() == 1 {
        let src = Src::new(first);
        let mut sink = CountSink::new(src);
        match dispatch(format, src, &mut sink).and_then(|meta| Ok((meta, sink.finish()?))) {
            Ok((meta, collected)) => return Ok(figures(collected, meta)),
            Err(Stop::Read(error)) => return Err(error),
            Err(Stop::Repeated) => {}
        }
        let mut sink = MergeSink::default();
        sink.artifact(first);
        let meta = dispatch(format, src, &mut sink).map_err(|stop| stop_error(stop, first))?;
        let collected = sink.finish().map_err(|stop| stop_error(stop, first))?;
        return Ok(figures(collected, meta));
    }
    let mut sink = MergeSink::default();
    let mut meta = Meta::default();
    for path in paths {
        sink.artifact(path);
        let read = dispatch(format, Src::new(path), &mut sink);
        meta = meta.or(read.map_err(|stop| stop_error(stop, path))?);
        meta.report_totals = [None; 4];
    }
    let collected = sink.finish().map_err(|stop| stop_error(stop, first))?;
    Ok(figures(collected, meta))
}

/// Like [`read`], and also keeps line-level data (hits per line, branches per line) of the source
/// files `wanted` accepts, by their path as the report writes it. Other files are only counted,
/// so memory grows with the wanted files, not with the report.
pub fn read_with_lines(
    format: Format,
    paths: &[PathBuf],
    wanted: Wanted<'_>,
) -> Result<(CoverageFigures, BTreeMap<String, FileLines>), ReadError> {
    let Some(first) = paths.first() else {
        return Err(ReadError::NoFiles);
    };
    if paths.len() == 1 {
        let src = Src::new(first);
        let mut sink = Detail::new(CountSink::new(src), wanted, format);
        match dispatch(format, src, &mut sink) {
            Ok(meta) => {
                let (inner, lines) = sink.finish();
                match inner.finish() {
                    Ok(collected) => return Ok((figures(collected, meta), lines)),
                    Err(Stop::Read(error)) => return Err(error),
                    Err(Stop::Repeated) => {}
                }
            }
            Err(Stop::Read(error)) => return Err(error),
            Err(Stop::Repeated) => {}
        }
        let mut merge = MergeSink::default();
        merge.artifact(first);
        let mut sink = Detail::new(merge, wanted, format);
        let meta = dispatch(format, src, &mut sink).map_err(|stop| stop_error(stop, first))?;
        let (inner, lines) = sink.finish();
        let collected = inner.finish().map_err(|stop| stop_error(stop, first))?;
        return Ok((figures(collected, meta), lines));
    }
    let mut sink = Detail::new(MergeSink::default(), wanted, format);
    let mut meta = Meta::default();
    for path in paths {
        sink.inner.artifact(path);
        let read = dispatch(format, Src::new(path), &mut sink);
        meta = meta.or(read.map_err(|stop| stop_error(stop, path))?);
        meta.report_totals = [None; 4];
    }
    let (inner, lines) = sink.finish();
    let collected = inner.finish().map_err(|stop| stop_error(stop, first))?;
    Ok((figures(collected, meta), lines))
}

fn stop_error(stop: Stop, path: &Path) -> ReadError {
    match stop {
        Stop::Read(error) => error,
        // Merge mode never asks to start over.
        Stop::Repeated => {
            Src::new(path).merge("internal error: repeated source file in merge mode")
        }
    }
}

fn dispatch<S: Sink>(format: Format, src: Src<'_>, sink: &mut S) -> Result<Meta, Stop> {
    match format {
        Format::Lcov => lcov::read(src, sink),
        Format::Cobertura => cobertura::read(src, sink),
        Format::Jacoco => jacoco::read(src, sink),
        Format::Clover => clover::read(src, sink),
        Format::CoveragePyJson => coveragepy_json::read(src, sink),
        Format::IstanbulSummary => istanbul_summary::read(src, sink),
        Format::IstanbulFinal => istanbul_final::read(src, sink),
        Format::GoCover => go_cover::read(src, sink),
        Format::LlvmCovJson => llvm_cov_json::read(src, sink),
        other => Err(Stop::Read(ReadError::UnknownFormat {
            path: src.path.to_path_buf(),
            detail: format!("`{other}` is not a coverage format"),
        })),
    }
}

fn figures(collected: sink::Collected, meta: Meta) -> CoverageFigures {
    let [lines, branches, functions, statements] = meta.report_totals;
    let mut figures = CoverageFigures {
        lines: collected.get(Figure::Lines),
        branches: collected.get(Figure::Branches),
        functions: collected.get(Figure::Functions),
        statements: collected.get(Figure::Statements),
        files: collected.files,
        headline: None,
        per_file: collected.per_file,
        per_file_omitted: collected.per_file_omitted,
    };
    for (slot, total) in [
        (&mut figures.lines, lines),
        (&mut figures.branches, branches),
        (&mut figures.functions, functions),
        (&mut figures.statements, statements),
    ] {
        if let Some(total) = total {
            *slot = (total.total > 0).then_some(total);
        }
    }
    if meta.statements_are_lines {
        figures.statements = figures.lines;
        for file in &mut figures.per_file {
            file.statements = file.lines;
        }
    }
    if meta.coveragepy_headline {
        if let (Some(lines), Some(branches)) = (figures.lines, figures.branches) {
            if let (Some(covered), Some(total)) = (
                lines.covered.checked_add(branches.covered),
                lines.total.checked_add(branches.total),
            ) {
                figures.headline = Some(Headline {
                    definition: COVERAGEPY_HEADLINE.to_string(),
                    ratio: Ratio { covered, total },
                });
            }
        }
    }
    figures
}

/// The two paths of the XML coverage readers (Cobertura, JaCoCo, Clover), one at a time, for the
/// test that shows they agree (`tests/xml_fast_path.rs`). Not part of the crate's interface.
#[doc(hidden)]
pub mod xml_paths {
    use super::xml::{Paths, GAVE_UP, PATHS};
    use crate::{CoverageFigures, Format};
    use std::path::PathBuf;

    fn read_with(paths: Paths, format: Format, path: &PathBuf) -> Result<CoverageFigures, String> {
        PATHS.set(paths);
        let result = super::read(format, std::slice::from_ref(path)).map_err(|e| e.to_string());
        PATHS.set(Paths::Both);
        result
    }

    /// The quick-xml path alone (the reference).
    pub fn quick_xml(format: Format, path: &PathBuf) -> Result<CoverageFigures, String> {
        read_with(Paths::QuickXmlOnly, format, path)
    }

    /// The hand-written scanner alone: `None` when it leaves the file to quick-xml.
    pub fn fast(format: Format, path: &PathBuf) -> Option<Result<CoverageFigures, String>> {
        let result = read_with(Paths::FastOnly, format, path);
        match &result {
            Err(message) if message.contains(GAVE_UP) => None,
            _ => Some(result),
        }
    }
}
