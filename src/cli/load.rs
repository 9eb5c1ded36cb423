//! The loading stage of `gate check`, before evaluation: which policy judges (the base's on a pull
//! request, looked up in the base's tree), the baseline report, the changed lines and files, and
//! the commit. Everything read from git or the disk for an evaluation is read here (through
//! `readiness_gate::repo`), so that `eval` receives plain data.

use super::args::{CheckArgs, PolicyArgs};
use super::common::{display_name, fail, print_diagnostics, read_text};
use super::Exit;
use readiness_gate::eval;
use readiness_gate::lifecycle::base_policy::{
    self, ChoiceError, PolicyChoice, PolicyLocation, PolicySource, SourceInputs,
    DEFAULT_POLICY_FILES,
};
use readiness_gate::lifecycle::policy_diff::Judge;
use readiness_gate::lifecycle::{LoadedPolicy, PolicyError};
use readiness_gate::repo::workspace::Root;
use readiness_gate::repo::{changes, git};
use std::path::PathBuf;

const NO_POLICY_HELP: &str =
    "pass `--policy FILE`, or write `readiness.gate` (see policies/ for examples)";

/// Finds the policy file in the working tree: `--policy`, else `readiness.gate`, then
/// `.github/readiness.gate` in the workspace (one that leads out of it is refused).
pub(super) fn find_policy(args: &PolicyArgs) -> Result<PathBuf, Exit> {
    if let Some(policy) = &args.policy {
        return Ok(policy.clone());
    }
    let root = Root::new(&args.workspace);
    for candidate in DEFAULT_POLICY_FILES {
        match root.is_file(candidate) {
            Ok(true) => return Ok(args.workspace.join(candidate)),
            Ok(false) => {}
            Err(error) => return Err(fail(&error.to_string(), None)),
        }
    }
    Err(fail(
        &format!(
            "no policy found: neither `readiness.gate` nor `.github/readiness.gate` exists in `{}`",
            args.workspace.display()
        ),
        Some(NO_POLICY_HELP),
    ))
}

/// The policy chosen to judge, with the other version for the policy diff.
pub(super) struct Choice {
    pub(super) judge: LoadedPolicy,
    pub(super) judged_by: Judge,
    pub(super) base: Option<LoadedPolicy>,
    pub(super) head: LoadedPolicy,
    pub(super) note: Option<String>,
    pub(super) changed: bool,
    /// The policy's path as reports and annotations name it (relative to the workspace; the
    /// file in the pull request even when its base version judges).
    pub(super) file: String,
}

pub(super) fn policy_error(error: &PolicyError, color: bool, json: bool) -> Exit {
    match error {
        PolicyError::Invalid {
            file,
            source,
            diagnostics,
        } => {
            print_diagnostics(diagnostics, file, source, color, json);
            Exit::Invalid
        }
        PolicyError::Unreadable { .. } => fail(&error.to_string(), None),
    }
}

fn choice_error(error: ChoiceError, color: bool, json: bool) -> Exit {
    match error {
        ChoiceError::Policy(error) => policy_error(&error, color, json),
        ChoiceError::Base(error) => fail(
            &error.to_string(),
            Some("fetch the base commit (`fetch-depth: 0` in actions/checkout), pass `--base REF`, or use `--policy-from head`"),
        ),
        ChoiceError::NoPolicy { .. } => fail(&error.to_string(), Some(NO_POLICY_HELP)),
    }
}

/// The policy that judges: on pull requests (or with `--policy-from`/`--base`) the version chosen
/// by [`base_policy::choose_policy`], read through git without a checkout; otherwise the working
/// tree's (with no note).
pub(super) fn choose_policy(args: &CheckArgs, color: bool, json: bool) -> Result<Choice, Exit> {
    let inputs = SourceInputs::from_env(args.policy_from.clone(), args.base.clone());
    let source = base_policy::choose_source(&inputs).map_err(|error| {
        fail(
            &error.to_string(),
            Some("`--policy-from head` judges by the working tree's policy instead"),
        )
    })?;
    let location = match &args.policy.policy {
        Some(path) => PolicyLocation::Explicit(path.clone()),
        None => PolicyLocation::Default {
            workspace: args.policy.workspace.clone(),
        },
    };
    let quiet = source == PolicySource::Head && args.policy_from.is_none();
    let choice: PolicyChoice = base_policy::choose_policy(&location, &source)
        .map_err(|error| choice_error(error, color, json))?;
    let file = match &location {
        PolicyLocation::Explicit(path) => display_name(path, &args.policy.workspace),
        PolicyLocation::Default { .. } => DEFAULT_POLICY_FILES
            .iter()
            .rev()
            .find(|name| choice.repo_path.ends_with(*name))
            .map_or_else(|| choice.repo_path.clone(), |name| (*name).to_string()),
    };
    let changed = choice.policy_changed();
    Ok(Choice {
        judge: choice.judge,
        judged_by: choice.judged_by,
        base: choice.base,
        head: choice.head,
        note: (!quiet).then_some(choice.note),
        changed,
        file,
    })
}

/// What an evaluation needs besides the policy and the workspace.
pub(super) struct Loaded {
    pub(super) inputs: eval::Inputs,
    /// The changed files, for `when changed` gates.
    pub(super) changed_files: Option<Vec<String>>,
}

/// Baseline, changed lines, changed files and commit for the evaluation.
pub(super) fn evaluation_inputs(args: &CheckArgs) -> Result<Loaded, Exit> {
    let workspace = &args.policy.workspace;
    let mut inputs = eval::Inputs {
        coverage_path_strip: args.coverage_path_strip.clone(),
        commit: git::current_commit(workspace),
        ..eval::Inputs::default()
    };
    if args.baseline.as_deref() == Some(std::path::Path::new("github")) {
        inputs.baseline = Some(super::github::baseline(args));
    } else if let Some(path) = &args.baseline {
        let text = read_text(path)?;
        inputs.baseline = Some(
            eval::baseline::Baseline::from_json(&text, &path.display().to_string()).map_err(
                |error| {
                    fail(&error, Some("the baseline is the JSON report of the base branch's run: `gate check --format json --output results.json`"))
                },
            )?,
        );
    }
    let mut changed_files = None;
    if let Some(path) = &args.changed_files {
        let text = read_text(path)?;
        inputs.changed_lines = Some(changes::ChangedLines::from_text(
            &text,
            &format!("--changed-files {}", path.display()),
        ));
    } else if let Some(path) = &args.patch {
        let text = read_text(path)?;
        inputs.changed_lines = Some(changes::ChangedLines::from_diff(
            &text,
            &format!("--patch {}", path.display()),
        ));
    } else if let Some(base) = &args.diff_base {
        inputs.changed_lines = Some(
            changes::changed_lines(workspace, base)
                .map_err(|error| fail(&error.to_string(), None))?,
        );
        // Unlike the changed lines, git's list names deleted files too.
        changed_files = Some(changes::changed_files(workspace, base).map_err(|error| {
            fail(
                &error.to_string(),
                Some("fetch more history (e.g. `fetch-depth: 0` in actions/checkout) or pass --changed-files"),
            )
        })?);
    }
    if changed_files.is_none() {
        changed_files = inputs
            .changed_lines
            .as_ref()
            .map(|changed| changed.files.keys().cloned().collect());
    }
    Ok(Loaded {
        inputs,
        changed_files,
    })
}
