//! The outcome of evaluating a policy: what every reporter renders. Serialized as the JSON report
//! (see `docs/report-json.md`); field names are part of the stable schema.

use crate::diagnostic::LocatedDiagnostic;
use crate::syntax::ast::Severity;
use serde::Serialize;

/// The version of the JSON report schema. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub schema_version: u32,
    pub policy: PolicyInfo,
    pub verdict: Verdict,
    pub ready: bool,
    /// Why the verdict is what it is, in one sentence.
    pub reason: String,
    /// The readiness score, or `None` when nothing could be scored.
    pub score: Option<Figure>,
    pub target: Figure,
    pub level: Option<String>,
    pub levels: Vec<LevelInfo>,
    pub categories: Vec<CategoryOutcome>,
    pub evidence: Vec<EvidenceOutcome>,
    pub waivers: Vec<WaiverOutcome>,
    pub diagnostics: Vec<LocatedDiagnostic>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyInfo {
    pub name: String,
    pub file: String,
    /// `base` or `head` once policies come from the base branch; `workspace` for now.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    NotReady,
}

/// A percentage figure: exact value for machines (`pct`, not rounded), and as shown to people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub pct: f64,
    pub display: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelInfo {
    pub name: String,
    pub threshold: Figure,
    pub reached: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryOutcome {
    pub name: String,
    pub weight: f64,
    /// Points of the gates that passed / points of the gates that count.
    pub points_passed: f64,
    pub points_counted: f64,
    /// points_passed / points_counted; `None` when no gate counts (all waived, n/a or advisory).
    pub share: Option<Figure>,
    /// This category's part of the readiness score, in percentage points.
    pub contribution: Option<Figure>,
    pub gates: Vec<GateOutcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    Unknown,
    /// `when changed(...)` and the change touches nothing the gate covers.
    NotApplicable,
    /// An active waiver covers the gate; `result` says what it would have been.
    Waived,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "FAIL",
            Status::Unknown => "unknown",
            Status::NotApplicable => "n/a",
            Status::Waived => "waived",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateOutcome {
    pub name: String,
    pub category: String,
    pub severity: Severity,
    pub points: f64,
    pub status: Status,
    /// The result of the expectations (pass, fail or unknown), also for waived and n/a gates.
    pub result: Status,
    /// Whether the gate counts in the score (not waived, n/a or advisory).
    pub counted: bool,
    /// Line of the gate in the policy.
    pub line: usize,
    pub expectations: Vec<ExpectationOutcome>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectationOutcome {
    /// The expectation as written.
    pub text: String,
    pub status: Status,
    /// The measured figure, as shown to people.
    pub actual: Option<String>,
    /// What was required, e.g. `>= 70%`.
    pub required: Option<String>,
    /// The measured figure for machines, where it is a number (percentages in percent).
    pub actual_value: Option<f64>,
    /// Evidence used: evidence item names and workspace files.
    pub evidence: Vec<String>,
    /// Why the status is unknown, or more about a failure.
    pub reason: Option<String>,
    pub help: Option<String>,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceOutcome {
    pub name: String,
    pub kind: String,
    pub globs: Vec<String>,
    /// `read`, `missing`, `incomplete` (shards) or `unreadable`.
    pub status: String,
    pub format: Option<String>,
    pub files: Vec<FileProvenance>,
    pub problem: Option<String>,
    /// Whether any expectation used it.
    pub used: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileProvenance {
    pub path: String,
    pub format: String,
    pub sha256: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaiverOutcome {
    pub gate: String,
    pub until: String,
    pub owner: String,
    pub reason: String,
    /// `active`, `expired` or `stale` (matches no gate).
    pub status: String,
}
