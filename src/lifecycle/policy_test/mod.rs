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
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod snapshot;
mod snapshot_diff;
mod workspace;

pub use snapshot::{
    CategorySnapshot, EvidenceSnapshot, ExpectationSnapshot, GateSnapshot, Snapshot,
};
pub use snapshot_diff::diff_snapshots;
pub use workspace::CaseWorkspace;

/// The snapshot file of a case.
pub const SNAPSHOT_FILE: &str = "expected.outcome";
/// The optional change of a case: a list of changed files or a unified diff.
pub const CHANGES_FILE: &str = "changes.txt";
/// The optional baseline of a case: a `gate check --format json` report.
pub const BASELINE_FILE: &str = "baseline.json";

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
