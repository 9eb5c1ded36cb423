//! From an [`Outcome`] to what GitHub shows: a [`Publication`] for `readiness-github`.
//!
//! The evaluator decides; this module only translates, and `readiness-github` only sends:
//!
//! * **Conclusion**: `success` when ready, `failure` when not ready, `neutral` when ready and
//!   every gate that did not pass is advisory (a ready verdict whose only failures are advisory).
//! * **Title**: one line, e.g. `Not ready: 49.5% (target 90%), 2 blockers failed`; it is the
//!   check-run title and the line no truncation removes.
//! * **Sections**: the Markdown report ([`crate::report::markdown::sections`]), ranked so that
//!   GitHub's size limits drop the least important first: verdict (never dropped), gates not
//!   passed, categories, all gates, evidence, waivers, warnings.
//! * **Annotations**: each expectation that failed or is unknown points at its line and column
//!   in the policy file; failing tests and unresolved imports point at their file and line when
//!   a gate that did not pass used that evidence. Ranked blockers first, then scored gates,
//!   advisory gates, and waived gates (as notices).
//! * **Outputs**: `ready`, `score` (without `%`), `level`, `report-json`.
//!
//! Paths are made repository-relative with the workspace's directory inside the repository
//! (`workspace_prefix`), which the CLI computes from `GITHUB_WORKSPACE` or the current directory.

use crate::eval::{Outcome, Status};
pub use crate::report::annotations::{annotations, conclusion, title};
use crate::report::links::Links;
use crate::report::markdown;
use readiness_github::{Outputs, Publication, Section, StoredFigure, StoredFigures, StoredItem};
use std::path::PathBuf;

/// What the translation needs besides the outcome.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Check-run name and sticky-comment key (empty: `readiness`).
    pub check_name: String,
    /// The workspace's directory relative to the repository root (empty: the root).
    pub workspace_prefix: String,
    /// The JSON report written for this run, for the `report-json` output.
    pub report_json: Option<PathBuf>,
    /// Where the Markdown links point (the server, repository, head commit and run).
    pub links: Links,
}

/// The links of a run from the runner's environment: the server in use (GHES included), the
/// repository, the head commit (a pull request's head, not its merge commit) and the run.
pub fn links(env: &readiness_github::GithubEnv, workspace_prefix: &str) -> Links {
    let target = env.target();
    Links {
        server: env.server_url.clone(),
        repository: env
            .repository
            .as_ref()
            .map(|repository| repository.full_name())
            .unwrap_or_default(),
        commit: target
            .and_then(|target| target.head_sha)
            .or_else(|| env.sha.clone())
            .unwrap_or_default(),
        run: env.run_url(),
        workspace_prefix: workspace_prefix.to_string(),
    }
}

/// The whole publication.
pub fn publication(outcome: &Outcome, settings: &Settings) -> Publication {
    Publication {
        check_name: settings.check_name.clone(),
        conclusion: conclusion(outcome),
        title: title(outcome),
        sections: sections(outcome, &settings.links),
        annotations: annotations(outcome, &settings.workspace_prefix),
        outputs: outputs(outcome, settings.report_json.clone()),
        figures: Some(figures(outcome)),
    }
}

/// The figures this run keeps on its check run, for a later run's `--baseline github`: every
/// evidence item's exact figures, as the JSON report carries them (bounded and escaped by
/// `readiness_github::figures`).
pub fn figures(outcome: &Outcome) -> StoredFigures {
    StoredFigures {
        v: readiness_github::figures::FIGURES_FORMAT,
        commit: outcome.commit.clone(),
        policy: Some(outcome.policy.name.clone()),
        items: outcome
            .evidence
            .iter()
            .map(|item| StoredItem {
                name: item.name.clone(),
                status: item.status.clone(),
                problem: item.problem.clone(),
                figures: item
                    .figures
                    .iter()
                    .map(|(name, figure)| {
                        let ty = serde_json::to_value(figure.ty)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default();
                        (
                            name.clone(),
                            StoredFigure {
                                ty,
                                exact: figure.exact.clone(),
                            },
                        )
                    })
                    .collect(),
            })
            .collect(),
        omitted: 0,
    }
}

/// The Markdown report as ranked sections.
pub fn sections(outcome: &Outcome, links: &Links) -> Vec<Section> {
    markdown::sections_with(outcome, links)
        .into_iter()
        .map(|section| Section::new(section.label, section.priority, section.markdown))
        .collect()
}

/// The step outputs.
pub fn outputs(outcome: &Outcome, report_json: Option<PathBuf>) -> Outputs {
    Outputs {
        ready: outcome.ready,
        score: outcome
            .score
            .as_ref()
            .map(|score| score.display.trim_end_matches('%').to_string())
            .unwrap_or_default(),
        level: outcome.level.clone().unwrap_or_default(),
        report_json,
    }
}

/// Checks that an outcome read back from outside (a bundle's `report.json` in `gate publish`)
/// does not contradict itself, the way only a tampered file would: each gate's result is what its
/// expectations give and its status is that result (or waived / n/a); `verdict` and `ready`
/// agree; a ready outcome has a score at or above its target and no blocker failed or unknown.
/// What cannot be recomputed without the evidence (the figures themselves) is not judged here.
pub fn consistency(outcome: &Outcome) -> Result<(), String> {
    use crate::eval::{Verdict, SCHEMA_VERSION};
    use crate::syntax::ast::Severity;
    if outcome.schema_version != SCHEMA_VERSION {
        return Err(format!(
            "schema version {} is not {SCHEMA_VERSION}",
            outcome.schema_version
        ));
    }
    if (outcome.verdict == Verdict::Ready) != outcome.ready {
        return Err("`verdict` and `ready` disagree".to_string());
    }
    for gate in outcome
        .categories
        .iter()
        .flat_map(|category| category.gates.iter())
    {
        let name = gate.name.escape_debug();
        let statuses = || gate.expectations.iter().map(|e| e.status);
        let derived = if statuses().any(|s| s == Status::Fail) {
            Status::Fail
        } else if statuses().any(|s| s == Status::Unknown) {
            Status::Unknown
        } else {
            Status::Pass
        };
        if gate.result != Status::NotApplicable && gate.result != derived {
            return Err(format!(
                "gate `{name}` says `{}` but its expectations give `{}`",
                gate.result.label(),
                derived.label()
            ));
        }
        if !matches!(gate.status, Status::Waived | Status::NotApplicable)
            && gate.status != gate.result
        {
            return Err(format!(
                "gate `{name}` has status `{}` but result `{}`",
                gate.status.label(),
                gate.result.label()
            ));
        }
    }
    if outcome.ready {
        let Some(score) = &outcome.score else {
            return Err("it says ready with no score".to_string());
        };
        if score.pct < outcome.target.pct {
            return Err(format!(
                "it says ready with a score of {} below the target {}",
                score.display.escape_debug(),
                outcome.target.display.escape_debug()
            ));
        }
        if let Some(blocker) = outcome
            .categories
            .iter()
            .flat_map(|category| category.gates.iter())
            .find(|gate| {
                gate.severity == Severity::Blocker
                    && matches!(gate.status, Status::Fail | Status::Unknown)
            })
        {
            return Err(format!(
                "it says ready although blocker `{}` is `{}`",
                blocker.name.escape_debug(),
                blocker.status.label()
            ));
        }
    }
    Ok(())
}
