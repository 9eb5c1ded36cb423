//! istanbul `json-summary` (`coverage-summary.json`), written by jest, nyc and c8.
//!
//! # Producers checked
//!
//! - jest 30.5.2 with `coverageReporters: ["json-summary"]` (`js/jest-jsonsummary-mailflow`);
//! - the same shape from nyc and c8 (`--reporter=json-summary`).
//!
//! # Figures
//!
//! An object whose `"total"` entry holds the report totals and whose every other entry is one
//! source file (key = path), each with `lines`, `statements`, `functions`, `branches` objects of
//! `total`/`covered`/`skipped`/`pct`. Counts are taken as written; `pct` (istanbul's floor to two
//! decimals, `"Unknown"` in old versions) is ignored and recomputed from the counts.
//!
//! - **lines**: istanbul's line metric (lines that hold at least one statement; a line is covered
//!   when its most-hit statement ran) — not the statement count.
//! - **statements**: istanbul's statements.
//! - **branches**: each branch of each branch point (both sides of an `if`, each `case`, each
//!   operand of `&&`/`||`, default parameter values).
//! - **functions**: functions and methods, covered when called.
//!
//! Only totals exist: two summaries of the same source file cannot be merged (merge
//! `coverage-final.json` instead); summaries of disjoint files can.
//!
//! # Per-file figures
//!
//! Kept for the first [`PER_FILE_LIMIT`](crate::PER_FILE_LIMIT) source files of the report (10,000)
//! in report order; `per_file_omitted` counts the others. Totals and `files` count every file.

use super::input::{halt, json, Src, Stop};
use super::sink::{Figure, Sink};
use super::Meta;
use crate::Ratio;
use serde::de::{MapAccess, Visitor};
use serde::Deserialize;

const WHAT: &str = "an istanbul coverage-summary.json (an object of per-file summaries)";

#[derive(Deserialize, Default)]
struct Metric {
    total: u64,
    covered: u64,
}

#[derive(Deserialize, Default)]
struct Summary {
    lines: Option<Metric>,
    statements: Option<Metric>,
    functions: Option<Metric>,
    branches: Option<Metric>,
}

impl Summary {
    fn figures(&self) -> [(Figure, Option<Ratio>); 4] {
        let ratio = |metric: &Option<Metric>| {
            metric.as_ref().map(|m| Ratio {
                covered: m.covered,
                total: m.total,
            })
        };
        [
            (Figure::Lines, ratio(&self.lines)),
            (Figure::Branches, ratio(&self.branches)),
            (Figure::Functions, ratio(&self.functions)),
            (Figure::Statements, ratio(&self.statements)),
        ]
    }
}

struct Top<'a, S> {
    sink: &'a mut S,
    stop: &'a mut Option<Stop>,
}

impl<'de, S: Sink> Visitor<'de> for Top<'_, S> {
    type Value = Option<Summary>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object of per-file coverage summaries")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut total = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "total" {
                total = Some(map.next_value::<Summary>()?);
                continue;
            }
            let summary: Summary = map.next_value()?;
            let emitted = (|| {
                self.sink.begin_file(&key)?;
                for (figure, ratio) in summary.figures() {
                    if let Some(ratio) = ratio {
                        self.sink.totals(figure, ratio)?;
                    }
                }
                self.sink.end_file()
            })();
            if let Err(stop) = emitted {
                return Err(halt(self.stop, stop));
            }
        }
        Ok(total)
    }
}

/// Reads one coverage-summary.json into `sink`.
pub(crate) fn read<S: Sink>(src: Src<'_>, sink: &mut S) -> Result<Meta, Stop> {
    let total = json(src, WHAT, |de, stop| {
        serde::Deserializer::deserialize_map(de, Top { sink, stop })
    })?;
    let mut meta = Meta::default();
    if let Some(total) = total {
        for (figure, ratio) in total.figures() {
            if let Some(ratio) = ratio {
                super::sink::check_ratio(src, "total", figure, ratio.covered, ratio.total)?;
            }
            let slot = figure.index();
            if let Some(slot) = meta.report_totals.get_mut(slot) {
                *slot = ratio;
            }
        }
    }
    Ok(meta)
}
