//! The figures readers produce. Shapes and key names follow `expected.json` of the corpus (vendored in `corpus/`).
//!
//! Counts are integers and exact. Percentages are derived from counts where the format has counts
//! (`Ratio::pct` is never rounded; rounding is for display only). Figures a format does not carry
//! are `None`, never zero: missing evidence must never pass.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A covered/total pair, e.g. 105 of 152 lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Ratio {
    pub covered: u64,
    pub total: u64,
}

impl Ratio {
    /// Percentage as a float, for display and JSON (0 when total is 0, as the tools print it).
    /// Decisions use `covered` and `total` exactly.
    pub fn pct(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.covered as f64 * 100.0 / self.total as f64
        }
    }
}

/// Figures of one evidence item.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figures {
    Coverage(CoverageFigures),
    Tests(TestFigures),
    Build(BuildFigures),
    Load(LoadFigures),
    Deps(DepsFigures),
    Config(crate::config::ConfigFigures),
}

/// Coverage totals. `lines`, `branches`, `functions`, `statements` are `None` when the format does
/// not carry them.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CoverageFigures {
    pub lines: Option<Ratio>,
    pub branches: Option<Ratio>,
    pub functions: Option<Ratio>,
    pub statements: Option<Ratio>,
    /// Number of source files in the report (exact, whatever the size of `per_file`).
    pub files: u64,
    /// The producing tool's own headline percentage where it differs from `lines` (coverage.py
    /// with branch coverage: (covered lines + covered branches) / (lines + branches)).
    pub headline: Option<Headline>,
    /// Per-file figures of at most [`PER_FILE_LIMIT`] source files, sorted by path: the first
    /// ones in report order (with several artifacts, in order of first appearance). The totals
    /// above and `files` always cover every source file.
    pub per_file: Vec<FileCoverage>,
    /// How many source files have no entry in `per_file` because of [`PER_FILE_LIMIT`]:
    /// `files - per_file.len()`, 0 for any report of up to that many files.
    pub per_file_omitted: u64,
}

/// The most source files [`CoverageFigures::per_file`] keeps figures for (the first ones in
/// report order); the rest are counted in [`CoverageFigures::per_file_omitted`].
///
/// A per-file entry costs ~240 bytes (path, four ratios, uncovered line numbers), so without a
/// cap a report of a million source files needs a quarter of a gigabyte for figures nobody reads
/// one by one; with it, a read stays within a few tens of MB whatever the report (a single
/// artifact still keeps an 8-byte hash per source file to detect a file listed twice). Totals,
/// `files` and the line data of the files a caller asks for (patch coverage) are not capped.
pub const PER_FILE_LIMIT: usize = 10_000;

/// A tool's own headline percentage, with its definition named.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    /// e.g. "coverage.py percent_covered: lines and branches together".
    pub definition: String,
    pub ratio: Ratio,
}

/// Coverage of one source file.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct FileCoverage {
    pub path: String,
    pub lines: Option<Ratio>,
    pub branches: Option<Ratio>,
    pub functions: Option<Ratio>,
    pub statements: Option<Ratio>,
    /// Executable lines with zero hits (1-based), where the format lists lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uncovered_lines: Vec<u32>,
}

/// Line-level coverage of one source file, kept only for files a caller asked for (patch
/// coverage): hits per executable line, and branch counts per line where the format gives them.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct FileLines {
    /// The path as the report writes it.
    pub path: String,
    /// Executable line (1-based) -> hits (summed over repeated records and merged artifacts).
    pub lines: BTreeMap<u32, u64>,
    /// Line -> covered/total branches on it.
    pub branches: BTreeMap<u32, Ratio>,
}

/// Test results.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct TestFigures {
    pub total: u64,
    pub passed: u64,
    pub failed: u64,
    pub errors: u64,
    pub skipped: u64,
    /// Total duration in seconds, where the format has it.
    pub duration_s: Option<f64>,
    /// The failing (and erroring) cases.
    pub failures: Vec<FailingCase>,
}

/// One failing or erroring test case.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct FailingCase {
    pub suite: String,
    pub name: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    /// First line of the failure message.
    pub message: String,
}

/// Build figures.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct BuildFigures {
    /// From an exit-code file beside the log or the log's own final line; `None` when unknown.
    pub success: Option<bool>,
    pub exit_code: Option<i32>,
    pub error_count: u64,
    pub unresolved_imports: Vec<UnresolvedImport>,
}

/// A module the build could not resolve, as the tool reported it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct UnresolvedImport {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub specifier: String,
}

/// Load-test figures. Latencies in milliseconds.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct LoadFigures {
    pub requests: Option<u64>,
    pub responses: Option<u64>,
    pub errors: Option<u64>,
    pub status_codes: BTreeMap<String, u64>,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub max_ms: Option<f64>,
    /// Errors (transport errors plus failed responses, as the tool counts failures) per request, in percent.
    pub error_rate_pct: Option<f64>,
    /// Requests per second.
    pub throughput_rps: Option<f64>,
    pub endpoints: Vec<EndpointFigures>,
}

/// Load figures of one endpoint.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EndpointFigures {
    pub name: String,
    pub requests: Option<u64>,
    pub errors: Option<u64>,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

/// Dependency problems, one human-readable line each, as the tool reported them.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct DepsFigures {
    pub problems: Vec<String>,
}
