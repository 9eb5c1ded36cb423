//! coverage.py JSON reports (`coverage json`, `coverage.json`).
//!
//! # Producers checked
//!
//! - coverage.py 7.17.3 (format 3), with and without branch coverage
//!   (`native/coveragepy-json-*`); the `functions`/`classes` sections of 7.5+ are ignored.
//!
//! # Figures
//!
//! `meta.branch_coverage` says whether branches were measured; `files` maps each path to its
//! `executed_lines`, `missing_lines`, and with branches `executed_branches`/`missing_branches`
//! (arcs `[from, to]`, `to` negative for an exit). Figures come from these lists, so reports merge
//! exactly as `coverage combine` merges them (a line or arc executed in any report is executed).
//!
//! - **lines** and **statements**: coverage.py measures statements by line; executed + missing
//!   lines are its `num_statements`, executed ones its `covered_lines`. Excluded lines count
//!   nowhere.
//! - **branches**: arcs, `num_branches` = executed + missing arcs, covered = executed ones.
//! - **functions**: `None` (coverage.py has no function-hit figure; its per-function section is
//!   statement coverage per function).
//! - **headline**: with branch coverage, coverage.py's `percent_covered` (and `coverage report`
//!   TOTAL) is (covered lines + covered arcs) / (statements + arcs), exposed as the headline; the
//!   lines figure stays lines only.
//!
//! # Per-file figures
//!
//! Kept for the first [`PER_FILE_LIMIT`](crate::PER_FILE_LIMIT) source files of the report (10,000)
//! in report order; `per_file_omitted` counts the others. Totals and `files` count every file.

use super::input::{halt, json, Src, Stop};
use super::sink::{Figure, Sink};
use super::Meta;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

const WHAT: &str = "a coverage.py JSON report (an object with `meta` and `files`)";

#[derive(Deserialize, Default)]
struct PyMeta {
    #[serde(default)]
    branch_coverage: bool,
}

#[derive(Deserialize)]
struct PyFile {
    #[serde(default)]
    executed_lines: Vec<u32>,
    #[serde(default)]
    missing_lines: Vec<u32>,
    #[serde(default)]
    executed_branches: Vec<(i64, i64)>,
    #[serde(default)]
    missing_branches: Vec<(i64, i64)>,
}

struct Top<'a, S> {
    sink: &'a mut S,
    stop: &'a mut Option<Stop>,
}

struct Found {
    branch_coverage: bool,
    files: bool,
}

impl<'de, S: Sink> Visitor<'de> for Top<'_, S> {
    type Value = Found;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a coverage.py JSON report object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
        let mut found = Found {
            branch_coverage: false,
            files: false,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "meta" => found.branch_coverage = map.next_value::<PyMeta>()?.branch_coverage,
                "files" => {
                    map.next_value_seed(Files {
                        sink: &mut *self.sink,
                        stop: &mut *self.stop,
                    })?;
                    found.files = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

struct Files<'a, S> {
    sink: &'a mut S,
    stop: &'a mut Option<Stop>,
}

impl<'de, S: Sink> DeserializeSeed<'de> for Files<'_, S> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: Sink> Visitor<'de> for Files<'_, S> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object of files")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut key = Vec::new();
        while let Some(path) = map.next_key::<String>()? {
            let mut file: PyFile = map.next_value()?;
            if let Err(stop) = emit(self.sink, &path, &mut file, &mut key) {
                return Err(halt(self.stop, stop));
            }
        }
        Ok(())
    }
}

fn emit<S: Sink>(
    sink: &mut S,
    path: &str,
    file: &mut PyFile,
    key: &mut Vec<u8>,
) -> Result<(), Stop> {
    sink.begin_file(path)?;
    file.executed_lines.sort_unstable();
    file.missing_lines.sort_unstable();
    let mut executed = file.executed_lines.iter().peekable();
    let mut missing = file.missing_lines.iter().peekable();
    loop {
        let (line, hits) = match (executed.peek(), missing.peek()) {
            (Some(&&e), Some(&&m)) if e <= m => (e, 1),
            (_, Some(&&m)) => (m, 0),
            (Some(&&e), None) => (e, 1),
            (None, None) => break,
        };
        if hits == 1 {
            executed.next();
        } else {
            missing.next();
        }
        sink.line(line, hits)?;
    }
    for (arcs, hits) in [(&file.executed_branches, 1), (&file.missing_branches, 0)] {
        for (from, to) in arcs {
            key.clear();
            key.extend_from_slice(format!("{from}>{to}").as_bytes());
            sink.item(Figure::Branches, key, 1, hits)?;
        }
    }
    sink.end_file()
}

/// Reads one coverage.py JSON report into `sink`.
pub(crate) fn read<S: Sink>(src: Src<'_>, sink: &mut S) -> Result<Meta, Stop> {
    let found = json(src, WHAT, |de, stop| {
        serde::Deserializer::deserialize_map(de, Top { sink, stop })
    })?;
    if !found.files {
        return Err(Stop::Read(src.malformed(
            None,
            WHAT,
            "an object without `files`",
        )));
    }
    Ok(Meta {
        statements_are_lines: true,
        coveragepy_headline: found.branch_coverage,
        ..Meta::default()
    })
}
