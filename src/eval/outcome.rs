//! The outcome of evaluating a policy: what every reporter renders. Serialized as the JSON report
//! (see `docs/report-json.md`); field names are part of the stable schema.

use crate::diagnostic::LocatedDiagnostic;
use crate::syntax::ast::Severity;
use serde::{Deserialize, Serialize};

/// The version of the JSON report schema. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// The commit the evidence was made at, when known (`GITHUB_SHA` or `git rev-parse HEAD`):
    /// a later run reading this report as its baseline names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The baseline `base.<item>.<figure>` read, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineInfo>,
}

/// Where `base.` figures came from: a JSON report of the base branch's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BaselineInfo {
    /// The results file as given.
    pub file: String,
    /// The commit the baseline was made at, when it says.
    pub commit: Option<String>,
    /// The name of the policy that made it.
    pub policy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyInfo {
    pub name: String,
    pub file: String,
    /// Which version judged: `workspace` (the file as it is), `base` (the pull request's base
    /// commit) or `head` (the pull request's version, as proposed).
    pub source: String,
    /// Why that version judged, e.g. "judged by the policy at `origin/main` (3f2a1c9); the head's
    /// policy is a proposal".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When the change edits the policy: the semantic policy diff and what each version gives
    /// (Markdown, as the PR comment shows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    NotReady,
}

/// A percentage figure: exact value for machines (`pct`, not rounded), and as shown to people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Figure {
    pub pct: f64,
    pub display: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LevelInfo {
    pub name: String,
    pub threshold: Figure,
    pub reached: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// For a counted gate that failed or is unknown: how many percentage points the readiness
    /// score would gain if it passed (the score recomputed with this gate passing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points_to_gain: Option<Figure>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExpectationOutcome {
    /// The expectation as written.
    pub text: String,
    pub status: Status,
    /// The measured figure, as shown to people.
    pub actual: Option<String>,
    /// What was required, e.g. `>= 70%`.
    pub required: Option<String>,
    /// The measured figure for machines, where it is a number (percentages in percent), at full
    /// double precision.
    pub actual_value: Option<f64>,
    /// The measured figure exactly, where it is a number: a decimal (`645.6`) or a reduced
    /// fraction (`105/152`) in the type's base unit (percentages as a fraction of one, durations
    /// in milliseconds, sizes in bytes), as in the evidence's `figures`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual_exact: Option<String>,
    /// Evidence used: evidence item names and workspace files.
    pub evidence: Vec<String>,
    /// Why the status is unknown, or more about a failure.
    pub reason: Option<String>,
    pub help: Option<String>,
    pub line: usize,
    pub column: usize,
    /// For a failed expectation: what it would take to pass, in its own unit ("cover 2 more
    /// lines", "`basic.p95` must drop by more than 145.6ms").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_pass: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// What the artifact points at in the source (modules the build could not resolve, failing
    /// tests), for annotations; only those with a file, at most [`MAX_FINDINGS`] per item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// The figures read, exactly, by name (`lines`, `lines_covered`, `p95`, `patch.lines`, ...):
    /// what a later run reads as its baseline. Figures the artifact does not carry are absent.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub figures: std::collections::BTreeMap<String, ExactFigure>,
    /// Coverage of the changed lines, when changed lines were given (coverage items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<PatchOutcome>,
}

/// A figure, exactly: `exact` is a decimal (`645.6`) or a fraction (`105/152`) in the type's
/// base unit: percentages as a fraction of one, durations in milliseconds, sizes in bytes; yes/no
/// figures are `true` or `false`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExactFigure {
    #[serde(rename = "type")]
    pub ty: crate::value::Type,
    pub exact: String,
    /// As shown to people.
    pub display: String,
}

/// Coverage of the changed lines of one coverage item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatchOutcome {
    /// Where the changed lines came from (`git diff --unified=0 <merge base>`, a patch, a list).
    pub source: String,
    /// Covered / executable changed lines, when computable.
    pub lines: Option<readiness_evidence::Ratio>,
    /// Covered / total branches on changed lines, where the format has per-line branches.
    pub branches: Option<readiness_evidence::Ratio>,
    /// Changed files found in the report: the repository path and the path the report writes.
    pub files: Vec<PatchFile>,
    /// Changed executable lines with no hits (at most [`MAX_FINDINGS`]), for annotations.
    pub uncovered: Vec<LineRef>,
    /// Why patch coverage could not be computed.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatchFile {
    pub path: String,
    pub report_path: String,
    pub lines: readiness_evidence::Ratio,
}

/// A line of a repository file.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct LineRef {
    pub file: String,
    pub line: u32,
}

/// The most findings kept per evidence item.
pub const MAX_FINDINGS: usize = 200;

/// What an artifact says behind a figure: a module the build could not resolve, a failing (or
/// erroring) test, a dependency problem, a load-test endpoint. Reporters list them under the
/// gates that used the item, ranked and within their budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    pub kind: FindingKind,
    /// The source file as the tool reported it (usually relative to the directory it ran in,
    /// sometimes the runner's absolute path); empty when the artifact names none.
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// What it is about: the test (`suite › name`), the import specifier, the dependency problem,
    /// the endpoint.
    #[serde(default)]
    pub subject: String,
    /// One line more: the first line of the failure message, the endpoint's figures.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// One line for annotations: the subject and the detail together.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    UnresolvedImport,
    FailingTest,
    DependencyProblem,
    LoadEndpoint,
}

impl FindingKind {
    /// How the kind is called in reports, singular.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::UnresolvedImport => "unresolved import",
            FindingKind::FailingTest => "failing test",
            FindingKind::DependencyProblem => "dependency problem",
            FindingKind::LoadEndpoint => "endpoint",
        }
    }
}

fn milliseconds(value: Option<f64>) -> Option<String> {
    let value = crate::value::Value::from_float(
        crate::value::Type::Duration,
        value?,
        num_rational::BigRational::from_integer(1.into()),
    )?;
    let crate::value::Value::Quantity(_, ms) = value else {
        return None;
    };
    Some(format!("{} ms", crate::value::truncated_decimal(&ms, 1)))
}

/// The findings of an artifact's figures, at most [`MAX_FINDINGS`], in the artifact's order
/// (endpoints slowest first).
pub fn findings_of(figures: &readiness_evidence::Figures) -> Vec<Finding> {
    use readiness_evidence::Figures;
    let found: Vec<Finding> = match figures {
        Figures::Build(build) => build
            .unresolved_imports
            .iter()
            .map(|import| Finding {
                kind: FindingKind::UnresolvedImport,
                file: import.file.trim().to_string(),
                line: import.line,
                subject: import.specifier.clone(),
                detail: String::new(),
                message: format!("cannot resolve `{}`", import.specifier),
            })
            .collect(),
        Figures::Tests(tests) => tests
            .failures
            .iter()
            .map(|case| {
                let name = if case.suite.is_empty() || case.name.starts_with(&case.suite) {
                    case.name.clone()
                } else {
                    format!("{} › {}", case.suite, case.name)
                };
                let detail = case.message.lines().next().unwrap_or("").trim().to_string();
                let message = if detail.is_empty() {
                    format!("`{name}` failed")
                } else {
                    format!("`{name}` failed: {detail}")
                };
                Finding {
                    kind: FindingKind::FailingTest,
                    file: case.file.clone().unwrap_or_default().trim().to_string(),
                    line: case.line,
                    subject: name,
                    detail,
                    message,
                }
            })
            .collect(),
        Figures::Deps(deps) => deps
            .problems
            .iter()
            .map(|problem| Finding {
                kind: FindingKind::DependencyProblem,
                file: String::new(),
                line: None,
                subject: problem.lines().next().unwrap_or("").to_string(),
                detail: String::new(),
                message: problem.lines().next().unwrap_or("").to_string(),
            })
            .collect(),
        Figures::Load(load) => {
            let mut endpoints: Vec<_> = load.endpoints.iter().collect();
            endpoints.sort_by(|a, b| {
                b.p95_ms
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.p95_ms.unwrap_or(f64::NEG_INFINITY))
            });
            endpoints
                .into_iter()
                .map(|endpoint| {
                    let mut parts = Vec::new();
                    if let Some(p95) = milliseconds(endpoint.p95_ms) {
                        parts.push(format!("p95 {p95}"));
                    }
                    if let Some(p99) = milliseconds(endpoint.p99_ms) {
                        parts.push(format!("p99 {p99}"));
                    }
                    if let (Some(errors), Some(requests)) = (endpoint.errors, endpoint.requests) {
                        parts.push(format!("{errors} errors in {requests} requests"));
                    }
                    let detail = parts.join(" · ");
                    Finding {
                        kind: FindingKind::LoadEndpoint,
                        file: String::new(),
                        line: None,
                        subject: endpoint.name.clone(),
                        message: format!("`{}`: {detail}", endpoint.name),
                        detail,
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    };
    found.into_iter().take(MAX_FINDINGS).collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileProvenance {
    pub path: String,
    pub format: String,
    pub sha256: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WaiverOutcome {
    pub gate: String,
    pub until: String,
    pub owner: String,
    pub reason: String,
    /// `active`, `expired` or `stale` (matches no gate).
    pub status: String,
}
