//! istanbul `json` reporter output (`coverage-final.json`), written by jest, nyc and c8.
//!
//! # Producers checked
//!
//! - the istanbul-lib-coverage 3.x file-coverage shape used by jest 30 (`--coverageReporters
//!   json`), nyc 17 and c8 10+: `{path: {path, statementMap, fnMap, branchMap, s, f, b, ...}}`
//!   (fixtures under `tests/fixtures/coverage/`; the corpus has no coverage-final.json).
//!
//! # Figures
//!
//! Counters are keyed by id: `s` (statement id -> hits), `f` (function id -> hits), `b` (branch
//! id -> hits of each of its locations). Reports of the same source merge by summing counters per
//! id, as `istanbul-lib-coverage`'s `merge` does.
//!
//! - **statements**: entries of `s`; covered when hits > 0.
//! - **lines**: istanbul's line metric: the start lines of the statements (`statementMap[id]
//!   .start.line`); a line's hits are those of its most-hit statement (`getLineCoverage`).
//! - **functions**: entries of `f`.
//! - **branches**: every element of every `b` array.
//!
//! One source file's maps are held while it is read; memory is bounded by the largest source
//! file, not by the report.
//!
//! # Per-file figures
//!
//! Kept for the first [`PER_FILE_LIMIT`](crate::PER_FILE_LIMIT) source files of the report (10,000)
//! in report order; `per_file_omitted` counts the others. Totals and `files` count every file.

use super::input::{halt, json, Src, Stop};
use super::sink::{Figure, Sink};
use super::Meta;
use serde::de::{MapAccess, Visitor};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

const WHAT: &str = "an istanbul coverage-final.json (an object of per-file coverage)";

#[derive(Deserialize)]
struct Position {
    line: u32,
}

#[derive(Deserialize)]
struct Location {
    start: Position,
}

#[derive(Deserialize)]
struct FileCov {
    #[serde(rename = "statementMap", default)]
    statement_map: HashMap<String, Location>,
    #[serde(default)]
    s: BTreeMap<String, u64>,
    #[serde(default)]
    f: BTreeMap<String, u64>,
    #[serde(default)]
    b: BTreeMap<String, Vec<u64>>,
}

struct Top<'a, S> {
    sink: &'a mut S,
    stop: &'a mut Option<Stop>,
}

impl<'de, S: Sink> Visitor<'de> for Top<'_, S> {
    type Value = u64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object of per-file istanbul coverage")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u64, A::Error> {
        let mut files = 0;
        let mut key = Vec::new();
        while let Some(path) = map.next_key::<String>()? {
            let file: FileCov = map.next_value()?;
            if let Err(stop) = emit(self.sink, &path, &file, &mut key) {
                return Err(halt(self.stop, stop));
            }
            files += 1;
        }
        Ok(files)
    }
}

fn emit<S: Sink>(sink: &mut S, path: &str, file: &FileCov, key: &mut Vec<u8>) -> Result<(), Stop> {
    sink.begin_file(path)?;
    let mut lines: BTreeMap<u32, u64> = BTreeMap::new();
    for (id, &hits) in &file.s {
        if let Some(location) = file.statement_map.get(id) {
            let line = lines.entry(location.start.line).or_insert(0);
            *line = (*line).max(hits);
        }
        sink.item(Figure::Statements, id.as_bytes(), 1, hits)?;
    }
    for (&line, &hits) in &lines {
        sink.line(line, hits)?;
    }
    for (id, &hits) in &file.f {
        sink.item(Figure::Functions, id.as_bytes(), 1, hits)?;
    }
    for (id, counts) in &file.b {
        for (index, &hits) in counts.iter().enumerate() {
            key.clear();
            key.extend_from_slice(id.as_bytes());
            key.push(b':');
            key.extend_from_slice(index.to_string().as_bytes());
            sink.item(Figure::Branches, key, 1, hits)?;
        }
    }
    sink.end_file()
}

/// Reads one coverage-final.json into `sink`.
pub(crate) fn read<S: Sink>(src: Src<'_>, sink: &mut S) -> Result<Meta, Stop> {
    json(src, WHAT, |de, stop| {
        serde::Deserializer::deserialize_map(de, Top { sink, stop })
    })?;
    Ok(Meta::default())
}
