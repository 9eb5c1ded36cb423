//! `gate test`: snapshot tests of a policy.
//!
//! A **case** is a folder holding a small workspace of evidence (artifacts and repository files)
//! and `expected.outcome`, the snapshot of the outcome the policy must give on it: verdict, score,
//! level, and each gate's status with its expectations' figures. [`run_cases`] evaluates the policy
//! on every case and compares: a case *passes* when the outcome matches its snapshot, is *new* when
//! it has no snapshot yet, and *changed* otherwise, with a semantic diff
//! (``gate `line coverage`: pass -> fail``, `score 96% -> 91.5%`). With `accept`, new and changed
//! snapshots are (re)written.
//!
//! ## Where cases live
//!
//! [`default_cases_dir`]: `<policy-stem>.tests/` beside the policy (`readiness.gate` ->
//! `readiness.tests/<case>/`), or, when that folder does not exist, `fixtures/<policy-stem>/`
//! beside it (the layout of the example policies: `policies/fixtures/rust-crate/<case>/`). A
//! folder given explicitly wins.
//!
//! ## Files of a case
//!
//! - `expected.outcome`: the snapshot (see [`Snapshot`] for the format). Hidden from the policy.
//! - `changes.txt` (optional): the change under test, a list of changed files (one a line) or a
//!   unified diff (`git diff --unified=0`): `when changed` gates and patch coverage use it.
//!   Without it the change is unknown, as in `gate check` without `--changed-files`.
//! - `baseline.json` (optional): the base branch's `gate check --format json` report, for
//!   `base.<item>.<figure>`; without it those expectations are unknown.
//!
//! These three files are hidden from the policy's globs.
//! - everything else is the case's workspace.
//!
//! A case is judged as of the date its snapshot records (`today` line), so that a waiver expiring
//! does not break a test suite overnight; a new snapshot records the date it was accepted on.
//!
//! ## Snapshot format
//!
//! Plain text, one fact a line, diff-friendly:
//!
//! ```text
//! # gate test snapshot: the outcome `gate test` expects; review changes, then `gate test --accept`
//! policy rust crate release readiness
//! today 2026-11-21
//! verdict not ready
//! score 26.25%
//! level -
//!
//! category build  0/3 points
//! gate crate builds  fail  blocker
//!   expect build.succeeded  fail  actual false  need true
//! ```
//!
//! Fields are separated by two spaces; a value that could be misread (empty, with two spaces in a
//! row, surrounding spaces or a leading `"`) is written as a quoted string with escapes. Lines
//! starting with `#` are comments.

use super::{LoadedPolicy, PolicyError};
use crate::eval::{self, Context, Outcome};
use crate::evidence::{EvidenceSource, Workspace};
use readiness_evidence::{Evidence, Format, ReadError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The snapshot file of a case.
pub const SNAPSHOT_FILE: &str = "expected.outcome";
/// The optional change of a case: a list of changed files or a unified diff.
pub const CHANGES_FILE: &str = "changes.txt";
/// The optional baseline of a case: a `gate check --format json` report.
pub const BASELINE_FILE: &str = "baseline.json";

const HEADER: &str =
    "# gate test snapshot: the outcome `gate test` expects; review changes, then `gate test --accept`";

/// What became of one case.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseStatus {
    /// The outcome matches the snapshot.
    Pass,
    /// No snapshot yet; `written` when `accept` wrote one.
    New { written: bool },
    /// The outcome differs from the snapshot: one line per difference; `accepted` when the
    /// snapshot was rewritten.
    Changed { diff: Vec<String>, accepted: bool },
    /// The case could not be run (unreadable snapshot, unwritable file).
    Error(String),
}

/// One case of a [`TestReport`].
#[derive(Debug, Clone)]
pub struct CaseReport {
    /// The case folder's name.
    pub name: String,
    pub dir: PathBuf,
    pub status: CaseStatus,
    /// The outcome the policy gives now.
    pub snapshot: Snapshot,
}

/// The result of [`run_cases`].
#[derive(Debug, Clone)]
pub struct TestReport {
    pub policy_file: String,
    pub policy_name: String,
    pub cases_dir: PathBuf,
    pub cases: Vec<CaseReport>,
    pub accept: bool,
    pub elapsed: Duration,
}

impl TestReport {
    /// Whether every case passed, or was accepted: what makes `gate test` exit 0. New cases
    /// without `--accept` fail, so that CI never runs a case nobody reviewed.
    pub fn succeeded(&self) -> bool {
        self.cases.iter().all(|case| match &case.status {
            CaseStatus::Pass => true,
            CaseStatus::New { written } => *written,
            CaseStatus::Changed { accepted, .. } => *accepted,
            CaseStatus::Error(_) => false,
        })
    }

    /// Counts of (passed, new, changed, errors).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut counts = (0, 0, 0, 0);
        for case in &self.cases {
            match case.status {
                CaseStatus::Pass => counts.0 += 1,
                CaseStatus::New { .. } => counts.1 += 1,
                CaseStatus::Changed { .. } => counts.2 += 1,
                CaseStatus::Error(_) => counts.3 += 1,
            }
        }
        counts
    }

    /// The report for people: one line per case, the diff of changed cases, and a summary.
    pub fn render(&self) -> String {
        let mut out = format!(
            "gate test · {} ({}) · cases in {}\n",
            self.policy_name,
            self.policy_file,
            self.cases_dir.display()
        );
        for case in &self.cases {
            match &case.status {
                CaseStatus::Pass => out.push_str(&format!("  pass     {}\n", case.name)),
                CaseStatus::New { written: true } => out.push_str(&format!(
                    "  new      {}  (snapshot written: {})\n",
                    case.name,
                    case.snapshot.headline()
                )),
                CaseStatus::New { written: false } => out.push_str(&format!(
                    "  new      {}  (no snapshot yet: {}; review it, then run with --accept)\n",
                    case.name,
                    case.snapshot.headline()
                )),
                CaseStatus::Changed { diff, accepted } => {
                    let note = if *accepted {
                        "  (snapshot updated)"
                    } else {
                        ""
                    };
                    out.push_str(&format!("  CHANGED  {}{note}\n", case.name));
                    for line in diff {
                        out.push_str(&format!("           {line}\n"));
                    }
                }
                CaseStatus::Error(reason) => {
                    out.push_str(&format!("  ERROR    {}: {reason}\n", case.name))
                }
            }
        }
        let (passed, new, changed, errors) = self.counts();
        out.push_str(&format!(
            "{} case{}: {passed} passed, {new} new, {changed} changed, {errors} error{} ({} ms)\n",
            self.cases.len(),
            plural(self.cases.len()),
            plural(errors),
            self.elapsed.as_millis()
        ));
        if !self.succeeded() && !self.accept {
            out.push_str(
                "review the differences; if the new outcomes are right, run `gate test --accept`\n",
            );
        }
        out
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// Why cases could not be run at all.
#[derive(Debug, Clone)]
pub enum TestError {
    Policy(PolicyError),
    /// The cases folder does not exist or holds no case.
    NoCases {
        dir: PathBuf,
        reason: String,
    },
}

impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TestError::Policy(error) => error.fmt(f),
            TestError::NoCases { dir, reason } => write!(
                f,
                "no policy test cases in `{}`: {reason}; a case is a folder of evidence, e.g. `{}/failing-build/logs/build.log`",
                dir.display(),
                dir.display()
            ),
        }
    }
}

impl std::error::Error for TestError {}

/// Where the cases of `policy_path` live when no folder is given: `<stem>.tests/` beside the
/// policy, else `fixtures/<stem>/` beside it when that exists, else `<stem>.tests/`.
pub fn default_cases_dir(policy_path: &Path) -> PathBuf {
    let parent = policy_path.parent().unwrap_or_else(|| Path::new(""));
    let stem = policy_path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "readiness".to_string());
    let conventional = parent.join(format!("{stem}.tests"));
    let fixtures = parent.join("fixtures").join(&stem);
    if !conventional.is_dir() && fixtures.is_dir() {
        fixtures
    } else {
        conventional
    }
}

/// Runs every case in `cases_dir` (each subfolder is a case, in name order) against the policy
/// at `policy_path`. `today` judges waivers for cases whose snapshot records no date. With
/// `accept`, new and changed snapshots are written.
pub fn run_cases(
    policy_path: &Path,
    cases_dir: &Path,
    accept: bool,
    today: time::Date,
) -> Result<TestReport, TestError> {
    let started = Instant::now();
    let policy = LoadedPolicy::read(policy_path).map_err(TestError::Policy)?;
    let entries = std::fs::read_dir(cases_dir).map_err(|error| TestError::NoCases {
        dir: cases_dir.to_path_buf(),
        reason: super::lowercase_first(&error.to_string()),
    })?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(TestError::NoCases {
            dir: cases_dir.to_path_buf(),
            reason: "it holds no folder".to_string(),
        });
    }
    let policy_file = policy_path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| policy.file.clone());
    let cases = dirs
        .iter()
        .map(|dir| run_case(&policy, &policy_file, dir, accept, today))
        .collect();
    Ok(TestReport {
        policy_file: policy.file.clone(),
        policy_name: policy.checked.name.clone(),
        cases_dir: cases_dir.to_path_buf(),
        cases,
        accept,
        elapsed: started.elapsed(),
    })
}

/// Evaluates `policy` on one case folder as `gate test` does (its own files hidden from the
/// workspace; `changes.txt` and `baseline.json` as the change and the baseline) as of `today`.
pub fn evaluate_case(
    policy: &LoadedPolicy,
    policy_file: &str,
    dir: &Path,
    today: time::Date,
) -> Result<Outcome, String> {
    let workspace = CaseWorkspace::new(dir);
    let mut inputs = eval::Inputs::default();
    let mut changed_files = None;
    match std::fs::read_to_string(dir.join(CHANGES_FILE)) {
        Ok(text) => {
            let changed = eval::patch::ChangedLines::from_text(&text, CHANGES_FILE);
            changed_files = Some(changed.files.keys().cloned().collect());
            inputs.changed_lines = Some(changed);
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            return Err(format!(
                "cannot read `{CHANGES_FILE}`: {}",
                super::lowercase_first(&error.to_string())
            ))
        }
    }
    let baseline_path = dir.join(BASELINE_FILE);
    if baseline_path.exists() {
        let text = std::fs::read_to_string(&baseline_path).map_err(|error| {
            format!(
                "cannot read `{BASELINE_FILE}`: {}",
                super::lowercase_first(&error.to_string())
            )
        })?;
        inputs.baseline = Some(eval::baseline::Baseline::from_json(&text, BASELINE_FILE)?);
    }
    let context = Context {
        evidence: &workspace,
        today,
        changed_files,
        policy_file,
        policy_source: &policy.source,
    };
    Ok(eval::evaluate_with(&policy.checked, &context, &inputs))
}

fn run_case(
    policy: &LoadedPolicy,
    policy_file: &str,
    dir: &Path,
    accept: bool,
    today: time::Date,
) -> CaseReport {
    let name = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let snapshot_path = dir.join(SNAPSHOT_FILE);
    let report = |status: CaseStatus, snapshot: Snapshot| CaseReport {
        name: name.clone(),
        dir: dir.to_path_buf(),
        status,
        snapshot,
    };
    let expected = match std::fs::read_to_string(&snapshot_path) {
        Ok(text) => match Snapshot::parse(&text) {
            Ok(snapshot) => Some(snapshot),
            Err(reason) if accept => {
                // A snapshot that no longer parses is rewritten on accept.
                let _ = reason;
                None
            }
            Err(reason) => {
                return report(
                    CaseStatus::Error(format!("`{SNAPSHOT_FILE}` {reason}")),
                    Snapshot::default(),
                )
            }
        },
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            return report(
                CaseStatus::Error(format!(
                    "cannot read `{SNAPSHOT_FILE}`: {}",
                    super::lowercase_first(&error.to_string())
                )),
                Snapshot::default(),
            )
        }
    };
    let date = expected
        .as_ref()
        .and_then(|snapshot| snapshot.today)
        .unwrap_or(today);
    let outcome = match evaluate_case(policy, policy_file, dir, date) {
        Ok(outcome) => outcome,
        Err(reason) => return report(CaseStatus::Error(reason), Snapshot::default()),
    };
    let actual = Snapshot::of(&outcome, date);
    let write = |snapshot: &Snapshot| std::fs::write(&snapshot_path, snapshot.render());
    let status = match &expected {
        None if accept => match write(&actual) {
            Ok(()) => CaseStatus::New { written: true },
            Err(error) => CaseStatus::Error(format!(
                "cannot write `{SNAPSHOT_FILE}`: {}",
                super::lowercase_first(&error.to_string())
            )),
        },
        None => CaseStatus::New { written: false },
        Some(expected) => {
            let diff = diff_snapshots(expected, &actual);
            if diff.is_empty() {
                CaseStatus::Pass
            } else if accept {
                match write(&actual) {
                    Ok(()) => CaseStatus::Changed {
                        diff,
                        accepted: true,
                    },
                    Err(error) => CaseStatus::Error(format!(
                        "cannot write `{SNAPSHOT_FILE}`: {}",
                        super::lowercase_first(&error.to_string())
                    )),
                }
            } else {
                CaseStatus::Changed {
                    diff,
                    accepted: false,
                }
            }
        }
    };
    report(status, actual)
}

/// A case folder as a workspace: the real [`Workspace`] with the case's own files
/// (`expected.outcome`, `changes.txt`, `baseline.json`) hidden, so that a policy's globs never see them.
pub struct CaseWorkspace {
    inner: Workspace,
    files: std::cell::OnceCell<Result<Vec<String>, String>>,
}

impl CaseWorkspace {
    pub fn new(dir: &Path) -> CaseWorkspace {
        CaseWorkspace {
            inner: Workspace::new(dir),
            files: std::cell::OnceCell::new(),
        }
    }
}

fn is_case_file(relative: &str) -> bool {
    relative == SNAPSHOT_FILE || relative == CHANGES_FILE || relative == BASELINE_FILE
}

impl EvidenceSource for CaseWorkspace {
    fn files(&self) -> Result<&[String], String> {
        self.files
            .get_or_init(|| {
                self.inner.files().map(|files| {
                    files
                        .iter()
                        .filter(|file| !is_case_file(file))
                        .cloned()
                        .collect()
                })
            })
            .as_deref()
            .map_err(Clone::clone)
    }

    fn read(&self, relative: &str) -> Result<Vec<u8>, String> {
        if is_case_file(relative) {
            return Err(format!(
                "cannot read `{relative}`: no such file in the case's workspace"
            ));
        }
        self.inner.read(relative)
    }

    fn artifact(
        &self,
        relatives: &[String],
        format: Option<Format>,
    ) -> Result<Evidence, ReadError> {
        self.inner.artifact(relatives, format)
    }

    fn code_facts(
        &self,
        request: crate::evidence::CodeRequest<'_>,
    ) -> Result<crate::evidence::CodeFacts, String> {
        // The files asked about come from `files()`, which already hides the case's own files.
        self.inner.code_facts(request)
    }
}

/// What a snapshot records of an outcome.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub policy: String,
    /// The date the case is judged as of.
    pub today: Option<time::Date>,
    /// `ready` or `not ready`.
    pub verdict: String,
    /// The score as displayed, `-` when nothing could be scored.
    pub score: String,
    /// The level reached, `-` for none.
    pub level: String,
    pub categories: Vec<CategorySnapshot>,
    pub evidence: Vec<EvidenceSnapshot>,
    /// Waivers with their status (`active`, `expired`, `stale`).
    pub waivers: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategorySnapshot {
    pub name: String,
    /// `2/3 points`, or `no counted gate`.
    pub points: String,
    pub gates: Vec<GateSnapshot>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GateSnapshot {
    pub name: String,
    /// `pass`, `fail`, `unknown`, `n/a`, `waived`.
    pub status: String,
    /// `blocker`, `default` or `advisory`, and `N points` when not 1.
    pub traits: Vec<String>,
    /// For waived and n/a gates: what the expectations gave.
    pub result: Option<String>,
    pub expectations: Vec<ExpectationSnapshot>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpectationSnapshot {
    pub text: String,
    pub status: String,
    pub actual: Option<String>,
    pub need: Option<String>,
    /// Why an unknown expectation is unknown.
    pub why: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvidenceSnapshot {
    pub name: String,
    pub status: String,
    pub format: Option<String>,
    /// Workspace files read.
    pub files: Vec<String>,
}

fn status_word(status: eval::Status) -> &'static str {
    match status {
        eval::Status::Pass => "pass",
        eval::Status::Fail => "fail",
        eval::Status::Unknown => "unknown",
        eval::Status::NotApplicable => "n/a",
        eval::Status::Waived => "waived",
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

impl Snapshot {
    /// The snapshot of an outcome judged as of `today`.
    pub fn of(outcome: &Outcome, today: time::Date) -> Snapshot {
        let categories = outcome
            .categories
            .iter()
            .map(|category| CategorySnapshot {
                name: category.name.clone(),
                points: if category.points_counted > 0.0 {
                    format!(
                        "{}/{} points",
                        number(category.points_passed),
                        number(category.points_counted)
                    )
                } else {
                    "no counted gate".to_string()
                },
                gates: category
                    .gates
                    .iter()
                    .map(|gate| {
                        let mut traits = Vec::new();
                        match gate.severity {
                            crate::syntax::ast::Severity::Blocker => {
                                traits.push("blocker".to_string())
                            }
                            crate::syntax::ast::Severity::Advisory => {
                                traits.push("advisory".to_string())
                            }
                            crate::syntax::ast::Severity::Default => {}
                        }
                        if gate.points != 1.0 {
                            traits.push(format!("{} points", number(gate.points)));
                        }
                        GateSnapshot {
                            name: gate.name.clone(),
                            status: status_word(gate.status).to_string(),
                            traits,
                            result: (gate.status != gate.result)
                                .then(|| status_word(gate.result).to_string()),
                            expectations: gate
                                .expectations
                                .iter()
                                .map(|expectation| ExpectationSnapshot {
                                    text: expectation.text.clone(),
                                    status: status_word(expectation.status).to_string(),
                                    actual: expectation.actual.clone(),
                                    need: expectation.required.clone(),
                                    why: if expectation.status == eval::Status::Unknown {
                                        expectation.reason.clone()
                                    } else {
                                        None
                                    },
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect();
        Snapshot {
            policy: outcome.policy.name.clone(),
            today: Some(today),
            verdict: if outcome.ready { "ready" } else { "not ready" }.to_string(),
            score: outcome
                .score
                .as_ref()
                .map_or_else(|| "-".to_string(), |score| score.display.clone()),
            level: outcome.level.clone().unwrap_or_else(|| "-".to_string()),
            categories,
            evidence: outcome
                .evidence
                .iter()
                .map(|item| EvidenceSnapshot {
                    name: item.name.clone(),
                    status: item.status.clone(),
                    format: item.format.clone(),
                    files: item.files.iter().map(|file| file.path.clone()).collect(),
                })
                .collect(),
            waivers: outcome
                .waivers
                .iter()
                .map(|waiver| (waiver.gate.clone(), waiver.status.clone()))
                .collect(),
        }
    }

    /// `not ready, score 26.25%, level -`
    pub fn headline(&self) -> String {
        format!(
            "{}, score {}, level {}",
            self.verdict, self.score, self.level
        )
    }

    /// The snapshot as text (the `expected.outcome` format).
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(HEADER);
        out.push('\n');
        line(&mut out, 0, &[("policy", Some(&self.policy))]);
        if let Some(today) = self.today {
            line(&mut out, 0, &[("today", Some(&today.to_string()))]);
        }
        line(&mut out, 0, &[("verdict", Some(&self.verdict))]);
        line(&mut out, 0, &[("score", Some(&self.score))]);
        line(&mut out, 0, &[("level", Some(&self.level))]);
        for category in &self.categories {
            out.push('\n');
            line(
                &mut out,
                0,
                &[("category", Some(&category.name)), (&category.points, None)],
            );
            for gate in &category.gates {
                let mut fields: Vec<(&str, Option<&String>)> =
                    vec![("gate", Some(&gate.name)), (&gate.status, None)];
                for traitt in &gate.traits {
                    fields.push((traitt, None));
                }
                if let Some(result) = &gate.result {
                    fields.push(("result", Some(result)));
                }
                line(&mut out, 0, &fields);
                for expectation in &gate.expectations {
                    let mut fields: Vec<(&str, Option<&String>)> = vec![
                        ("expect", Some(&expectation.text)),
                        (&expectation.status, None),
                    ];
                    if let Some(actual) = &expectation.actual {
                        fields.push(("actual", Some(actual)));
                    }
                    if let Some(need) = &expectation.need {
                        fields.push(("need", Some(need)));
                    }
                    if let Some(why) = &expectation.why {
                        fields.push(("why", Some(why)));
                    }
                    line(&mut out, 1, &fields);
                }
            }
        }
        if !self.evidence.is_empty() {
            out.push('\n');
        }
        for item in &self.evidence {
            let mut fields: Vec<(&str, Option<&String>)> =
                vec![("evidence", Some(&item.name)), (&item.status, None)];
            if let Some(format) = &item.format {
                fields.push(("format", Some(format)));
            }
            for file in &item.files {
                fields.push(("file", Some(file)));
            }
            line(&mut out, 0, &fields);
        }
        if !self.waivers.is_empty() {
            out.push('\n');
        }
        for (gate, status) in &self.waivers {
            line(&mut out, 0, &[("waiver", Some(gate)), (status, None)]);
        }
        out
    }

    /// Reads a snapshot written by [`Snapshot::render`] (comments and blank lines ignored).
    pub fn parse(text: &str) -> Result<Snapshot, String> {
        let mut snapshot = Snapshot::default();
        for (number, raw) in text.lines().enumerate() {
            let at = |reason: String| format!("line {}: {reason}", number + 1);
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let fields = split_fields(trimmed).map_err(at)?;
            let Some((key, value)) = fields.first() else {
                continue;
            };
            let value = value.clone().unwrap_or_default();
            let rest = fields.get(1..).unwrap_or_default();
            match key.as_str() {
                "policy" => snapshot.policy = value,
                "today" => {
                    let format = time::macros::format_description!("[year]-[month]-[day]");
                    snapshot.today = Some(
                        time::Date::parse(&value, format)
                            .map_err(|_| at(format!("`{value}` is not a date like 2026-12-31")))?,
                    );
                }
                "verdict" => snapshot.verdict = value,
                "score" => snapshot.score = value,
                "level" => snapshot.level = value,
                "category" => snapshot.categories.push(CategorySnapshot {
                    name: value,
                    points: rest.first().map(joined).unwrap_or_default(),
                    gates: Vec::new(),
                }),
                "gate" => {
                    let Some(category) = snapshot.categories.last_mut() else {
                        return Err(at("a gate before any category".to_string()));
                    };
                    let mut gate = GateSnapshot {
                        name: value,
                        ..GateSnapshot::default()
                    };
                    for (index, (key, value)) in rest.iter().enumerate() {
                        match (index, key.as_str(), value) {
                            (0, status, None) => gate.status = status.to_string(),
                            (_, "result", Some(result)) => gate.result = Some(result.clone()),
                            (_, other, None) => gate.traits.push(other.to_string()),
                            (_, other, Some(value)) => gate.traits.push(format!("{other} {value}")),
                        }
                    }
                    category.gates.push(gate);
                }
                "expect" => {
                    let Some(gate) = snapshot
                        .categories
                        .last_mut()
                        .and_then(|category| category.gates.last_mut())
                    else {
                        return Err(at("an expectation before any gate".to_string()));
                    };
                    let mut expectation = ExpectationSnapshot {
                        text: value,
                        ..ExpectationSnapshot::default()
                    };
                    for (index, (key, value)) in rest.iter().enumerate() {
                        match (index, key.as_str(), value) {
                            (0, status, None) => expectation.status = status.to_string(),
                            (_, "actual", value) => {
                                expectation.actual = Some(value.clone().unwrap_or_default())
                            }
                            (_, "need", value) => {
                                expectation.need = Some(value.clone().unwrap_or_default())
                            }
                            (_, "why", value) => {
                                expectation.why = Some(value.clone().unwrap_or_default())
                            }
                            (_, other, _) => {
                                return Err(at(format!("unexpected `{other}` in an expectation")))
                            }
                        }
                    }
                    gate.expectations.push(expectation);
                }
                "evidence" => {
                    let mut item = EvidenceSnapshot {
                        name: value,
                        ..EvidenceSnapshot::default()
                    };
                    for (index, (key, value)) in rest.iter().enumerate() {
                        match (index, key.as_str(), value) {
                            (0, status, None) => item.status = status.to_string(),
                            (_, "format", Some(format)) => item.format = Some(format.clone()),
                            (_, "file", Some(file)) => item.files.push(file.clone()),
                            (_, other, _) => {
                                return Err(at(format!("unexpected `{other}` in an evidence line")))
                            }
                        }
                    }
                    snapshot.evidence.push(item);
                }
                "waiver" => snapshot
                    .waivers
                    .push((value, rest.first().map(joined).unwrap_or_default())),
                other => return Err(at(format!("unknown line `{other}`"))),
            }
        }
        if snapshot.verdict.is_empty() {
            return Err("has no `verdict` line: is it a gate test snapshot?".to_string());
        }
        Ok(snapshot)
    }
}

/// A field read back as the words it was written as (`0/3 points`).
fn joined((key, value): &(String, Option<String>)) -> String {
    match value {
        Some(value) => format!("{key} {value}"),
        None => key.clone(),
    }
}

/// Appends one line of fields: `key value` pairs, or a bare `key` when the value is `None`.
fn line(out: &mut String, depth: usize, fields: &[(&str, Option<&String>)]) {
    for _ in 0..depth {
        out.push_str("  ");
    }
    let rendered: Vec<String> = fields
        .iter()
        .map(|(key, value)| match value {
            Some(value) => format!("{key} {}", encode(value)),
            None => encode(key),
        })
        .collect();
    out.push_str(&rendered.join("  "));
    out.push('\n');
}

/// A value as written in a snapshot: bare when it reads back unchanged, quoted otherwise.
fn encode(value: &str) -> String {
    let bare = !value.is_empty()
        && !value.starts_with([' ', '"'])
        && !value.ends_with(' ')
        && !value.contains("  ")
        && !value.chars().any(char::is_control);
    if bare {
        value.to_string()
    } else {
        crate::format::string(value)
    }
}

/// Splits a snapshot line into `(key, value)` fields (see [`encode`]).
fn split_fields(line: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut fields = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        // The key: up to a space.
        let key_end = rest.find(' ').unwrap_or(rest.len());
        let (key, after) = rest.split_at(key_end);
        let (key, after) = if key.starts_with('"') {
            let (key, after) = quoted(rest)?;
            (key, after)
        } else {
            (key.to_string(), after)
        };
        if after.is_empty() || after.starts_with("  ") {
            fields.push((key, None));
            rest = after.trim_start();
            continue;
        }
        let after = after.get(1..).unwrap_or_default();
        let (value, after) = if after.starts_with('"') {
            quoted(after)?
        } else {
            let end = after.find("  ").unwrap_or(after.len());
            let (value, after) = after.split_at(end);
            (value.to_string(), after)
        };
        fields.push((key, Some(value)));
        rest = after.trim_start();
    }
    Ok(fields)
}

/// Reads a quoted string with escapes at the start of `text`; returns it and what follows.
fn quoted(text: &str) -> Result<(String, &str), String> {
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return Ok((value, text.get(index + 1..).unwrap_or_default())),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some('r') => value.push('\r'),
                Some('u') => {
                    let mut hex = String::new();
                    for (_, c) in chars.by_ref() {
                        match c {
                            '{' => {}
                            '}' => break,
                            c => hex.push(c),
                        }
                    }
                    let c = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or("a bad `\\u{...}` escape")?;
                    value.push(c);
                }
                Some(c) => value.push(c),
                None => break,
            },
            c => value.push(c),
        }
    }
    Err("a quoted value is not closed".to_string())
}

/// The differences between an expected and an actual snapshot, one readable line each, most
/// important first: verdict, score, level, then gates in policy order, evidence, waivers.
pub fn diff_snapshots(expected: &Snapshot, actual: &Snapshot) -> Vec<String> {
    let mut diff = Vec::new();
    let mut changed = |what: &str, before: &str, after: &str| {
        if before != after {
            diff.push(format!("{what}: {before} -> {after}"));
        }
    };
    changed("verdict", &expected.verdict, &actual.verdict);
    changed("score", &expected.score, &actual.score);
    changed("level", &expected.level, &actual.level);
    if expected.policy != actual.policy {
        diff.push(format!(
            "policy name: `{}` -> `{}`",
            expected.policy, actual.policy
        ));
    }
    for category in &actual.categories {
        let before = expected.categories.iter().find(|c| c.name == category.name);
        match before {
            None => diff.push(format!(
                "category `{}` is new ({})",
                category.name, category.points
            )),
            Some(before) if before.points != category.points => diff.push(format!(
                "category `{}`: {} -> {}",
                category.name, before.points, category.points
            )),
            Some(_) => {}
        }
    }
    for category in &expected.categories {
        if !actual.categories.iter().any(|c| c.name == category.name) {
            diff.push(format!("category `{}` is gone", category.name));
        }
    }
    let gates = |snapshot: &Snapshot| -> Vec<(String, GateSnapshot)> {
        snapshot
            .categories
            .iter()
            .flat_map(|category| {
                category
                    .gates
                    .iter()
                    .map(|gate| (category.name.clone(), gate.clone()))
            })
            .collect()
    };
    let expected_gates = gates(expected);
    let actual_gates = gates(actual);
    for (category, gate) in &actual_gates {
        let Some((before_category, before)) =
            expected_gates.iter().find(|(_, g)| g.name == gate.name)
        else {
            diff.push(format!("gate `{}` is new: {}", gate.name, gate.status));
            continue;
        };
        let mut parts = Vec::new();
        if before.status != gate.status {
            parts.push(format!("{} -> {}", before.status, gate.status));
        }
        if before_category != category {
            parts.push(format!("moved from `{before_category}` to `{category}`"));
        }
        if before.traits != gate.traits {
            parts.push(format!(
                "[{}] -> [{}]",
                before.traits.join(", "),
                gate.traits.join(", ")
            ));
        }
        if before.result != gate.result {
            parts.push(format!(
                "result {} -> {}",
                before.result.as_deref().unwrap_or("-"),
                gate.result.as_deref().unwrap_or("-")
            ));
        }
        for expectation in &gate.expectations {
            let Some(old) = before
                .expectations
                .iter()
                .find(|e| e.text == expectation.text)
            else {
                parts.push(format!(
                    "new expectation `{}`: {}",
                    expectation.text, expectation.status
                ));
                continue;
            };
            let mut changes = Vec::new();
            if old.status != expectation.status {
                changes.push(format!("{} -> {}", old.status, expectation.status));
            }
            for (label, before, after) in [
                ("", &old.actual, &expectation.actual),
                ("need ", &old.need, &expectation.need),
                ("unknown because ", &old.why, &expectation.why),
            ] {
                if before != after {
                    changes.push(format!(
                        "{label}{} -> {}",
                        before.as_deref().unwrap_or("-"),
                        after.as_deref().unwrap_or("-")
                    ));
                }
            }
            if !changes.is_empty() {
                parts.push(format!("`{}` {}", expectation.text, changes.join(", ")));
            }
        }
        for old in &before.expectations {
            if !gate.expectations.iter().any(|e| e.text == old.text) {
                parts.push(format!("expectation `{}` is gone", old.text));
            }
        }
        if !parts.is_empty() {
            diff.push(format!("gate `{}`: {}", gate.name, parts.join("; ")));
        }
    }
    for (_, gate) in &expected_gates {
        if !actual_gates.iter().any(|(_, g)| g.name == gate.name) {
            diff.push(format!(
                "gate `{}` is gone (was {})",
                gate.name, gate.status
            ));
        }
    }
    for item in &actual.evidence {
        match expected.evidence.iter().find(|e| e.name == item.name) {
            None => diff.push(format!("evidence `{}` is new: {}", item.name, item.status)),
            Some(before) if before != item => diff.push(format!(
                "evidence `{}`: {} -> {}",
                item.name,
                describe_evidence(before),
                describe_evidence(item)
            )),
            Some(_) => {}
        }
    }
    for item in &expected.evidence {
        if !actual.evidence.iter().any(|e| e.name == item.name) {
            diff.push(format!("evidence `{}` is gone", item.name));
        }
    }
    if expected.waivers != actual.waivers {
        let show = |waivers: &[(String, String)]| {
            if waivers.is_empty() {
                "none".to_string()
            } else {
                waivers
                    .iter()
                    .map(|(gate, status)| format!("`{gate}` {status}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        diff.push(format!(
            "waivers: {} -> {}",
            show(&expected.waivers),
            show(&actual.waivers)
        ));
    }
    if diff.is_empty() && expected.today != actual.today {
        diff.push(format!(
            "judged as of {} -> {}",
            expected
                .today
                .map_or_else(|| "-".to_string(), |d| d.to_string()),
            actual
                .today
                .map_or_else(|| "-".to_string(), |d| d.to_string())
        ));
    }
    diff
}

fn describe_evidence(item: &EvidenceSnapshot) -> String {
    let mut text = item.status.clone();
    if let Some(format) = &item.format {
        text.push_str(&format!(" as {format}"));
    }
    if !item.files.is_empty() {
        text.push_str(&format!(" ({})", item.files.join(", ")));
    }
    text
}
