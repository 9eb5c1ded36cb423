//! `llvm-cov export -format=text` JSON (`coverage.json`), also written by
//! `cargo llvm-cov report --json`.
//!
//! # Producers checked
//!
//! - cargo-llvm-cov 0.9.1 with LLVM 22.1.2, export format version 3.1.0
//!   (`native/cargo-llvm-cov-json-green`); the 2.0.x layout of older LLVMs is the same for the
//!   fields read here.
//!
//! # Figures
//!
//! `{"data": [{"files": [{"filename", "summary", "segments", ...}], "functions": [...],
//! "totals": {...}}], "type": "llvm.coverage.json.export", "version"}`. Each file's `summary` is
//! read; `segments`, `branches`, `expansions`, `mcdc_records` and the `functions` list (the bulk
//! of the file) are skipped without being kept. The sums equal `totals` and the TOTAL row of
//! `llvm-cov report`.
//!
//! - **lines**: llvm-cov's line metric: lines with a mapped region start or inside a region,
//!   covered when the line's maximum execution count is > 0.
//! - **functions**: llvm-cov's function metric: instantiation groups (all instantiations of one
//!   function at one source location count once; covered when any ran).
//! - **statements**: llvm-cov's **regions** (the oracle's choice: a region is a span of code with
//!   its own execution counter, LLVM's nearest notion of a statement).
//! - **branches**: llvm-cov branch conditions (each of true/false counts), only with
//!   `-C instrument-coverage` branch coverage on; zero otherwise, hence `None`.
//!
//! Only per-file totals exist: two exports of the same file cannot be merged here (merge the
//! `.profraw`/`.profdata` with `llvm-profdata merge`, or merge LCOV exports).
//!
//! # Per-file figures
//!
//! Kept for the first [`PER_FILE_LIMIT`](crate::PER_FILE_LIMIT) source files of the report (10,000)
//! in report order; `per_file_omitted` counts the others. Totals and `files` count every file.

use super::input::{halt, json, Src, Stop};
use super::sink::{Figure, Sink};
use super::Meta;
use crate::Ratio;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

const WHAT: &str = "an llvm-cov JSON export (an object with `data` and `type`)";
const TYPE: &str = "llvm.coverage.json.export";

#[derive(Deserialize)]
struct Count {
    count: u64,
    covered: u64,
}

#[derive(Deserialize)]
struct Summary {
    lines: Option<Count>,
    functions: Option<Count>,
    regions: Option<Count>,
    branches: Option<Count>,
}

#[derive(Deserialize)]
struct LlvmFile {
    filename: String,
    summary: Summary,
}

struct Ctx<'a, S> {
    sink: &'a mut S,
    stop: &'a mut Option<Stop>,
}

impl<S> Ctx<'_, S> {
    fn reborrow(&mut self) -> Ctx<'_, S> {
        Ctx {
            sink: &mut *self.sink,
            stop: &mut *self.stop,
        }
    }
}

struct Top<'a, S>(Ctx<'a, S>);

#[derive(Default)]
struct Found {
    data: bool,
    kind: Option<String>,
}

impl<'de, S: Sink> Visitor<'de> for Top<'_, S> {
    type Value = Found;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an llvm-cov export object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Found, A::Error> {
        let mut found = Found::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "data" => {
                    map.next_value_seed(Exports(self.0.reborrow()))?;
                    found.data = true;
                }
                "type" => found.kind = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// The `data` array: one export per object file set.
struct Exports<'a, S>(Ctx<'a, S>);

impl<'de, S: Sink> DeserializeSeed<'de> for Exports<'_, S> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, S: Sink> Visitor<'de> for Exports<'_, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of exports")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Export(self.0.reborrow()))?.is_some() {}
        Ok(())
    }
}

struct Export<'a, S>(Ctx<'a, S>);

impl<'de, S: Sink> DeserializeSeed<'de> for Export<'_, S> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: Sink> Visitor<'de> for Export<'_, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an export object with `files`")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "files" {
                map.next_value_seed(Files(self.0.reborrow()))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Files<'a, S>(Ctx<'a, S>);

impl<'de, S: Sink> DeserializeSeed<'de> for Files<'_, S> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, S: Sink> Visitor<'de> for Files<'_, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of files")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(file) = seq.next_element::<LlvmFile>()? {
            if let Err(stop) = emit(self.0.sink, &file) {
                return Err(halt(self.0.stop, stop));
            }
        }
        Ok(())
    }
}

fn emit<S: Sink>(sink: &mut S, file: &LlvmFile) -> Result<(), Stop> {
    sink.begin_file(&file.filename)?;
    let summary = &file.summary;
    for (figure, count) in [
        (Figure::Lines, &summary.lines),
        (Figure::Functions, &summary.functions),
        (Figure::Statements, &summary.regions),
        (Figure::Branches, &summary.branches),
    ] {
        if let Some(count) = count {
            let ratio = Ratio {
                covered: count.covered.min(count.count),
                total: count.count,
            };
            sink.totals(figure, ratio)?;
        }
    }
    sink.end_file()
}

/// Reads one llvm-cov JSON export into `sink`.
pub(crate) fn read<S: Sink>(src: Src<'_>, sink: &mut S) -> Result<Meta, Stop> {
    let found = json(src, WHAT, |de, stop| {
        serde::Deserializer::deserialize_map(de, Top(Ctx { sink, stop }))
    })?;
    if let Some(kind) = found.kind.as_deref().filter(|kind| *kind != TYPE) {
        return Err(Stop::Read(src.malformed(
            None,
            format!("`\"type\": \"{TYPE}\"`"),
            format!("`{kind}`"),
        )));
    }
    if !found.data {
        return Err(Stop::Read(src.malformed(
            None,
            WHAT,
            "an object without `data`",
        )));
    }
    Ok(Meta::default())
}
