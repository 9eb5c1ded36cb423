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
use crate::report::links::Links;
use crate::report::{concern, escape, evidence_concern, markdown, repo_path, Concern};
use readiness_github::{
    Annotation, AnnotationLevel, Conclusion, Outputs, Publication, Section, StoredFigure,
    StoredFigures, StoredItem,
};
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

fn gates(outcome: &Outcome) -> impl Iterator<Item = &crate::eval::GateOutcome> {
    outcome
        .categories
        .iter()
        .flat_map(|category| category.gates.iter())
}

fn count_concern(outcome: &Outcome, wanted: Concern) -> usize {
    gates(outcome)
        .filter(|gate| concern(gate) == Some(wanted))
        .count()
}

/// `success` (ready), `failure` (not ready) or `neutral` (ready, and only advisory gates failed).
pub fn conclusion(outcome: &Outcome) -> Conclusion {
    if !outcome.ready {
        return Conclusion::Failure;
    }
    if outcome.score.is_none() {
        // Ready with nothing scored: every gate is n/a.
        return Conclusion::Neutral;
    }
    let advisory = count_concern(outcome, Concern::Advisory);
    let others = count_concern(outcome, Concern::Blocker) + count_concern(outcome, Concern::Gate);
    if advisory > 0 && others == 0 {
        Conclusion::Neutral
    } else {
        Conclusion::Success
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one-line verdict, e.g. `Not ready: 49.5% (target 90%), 2 blockers failed`. Unknown counts
/// as failed, as it does for the verdict.
pub fn title(outcome: &Outcome) -> String {
    if outcome.ready && outcome.score.is_none() {
        return format!("Ready: {}", outcome.reason);
    }
    let verdict = if outcome.ready { "Ready" } else { "Not ready" };
    let score = outcome
        .score
        .as_ref()
        .map_or_else(|| "no score".to_string(), |score| score.display.clone());
    let mut title = format!("{verdict}: {score} (target {})", outcome.target.display);
    let blockers = count_concern(outcome, Concern::Blocker);
    let scored = count_concern(outcome, Concern::Gate);
    let advisory = count_concern(outcome, Concern::Advisory);
    let mut parts = Vec::new();
    if blockers > 0 {
        parts.push(format!(
            "{} failed",
            plural(blockers, "blocker", "blockers")
        ));
    }
    if scored > 0 {
        let (one, many) = if blockers > 0 {
            ("other gate", "other gates")
        } else {
            ("gate", "gates")
        };
        parts.push(format!("{} failed", plural(scored, one, many)));
    }
    if advisory > 0 {
        parts.push(format!(
            "{} failed",
            plural(advisory, "advisory gate", "advisory gates")
        ));
    }
    if parts.is_empty() {
        if let Some(level) = &outcome.level {
            parts.push(format!("level {level}"));
        }
    }
    if !parts.is_empty() {
        title.push_str(", ");
        title.push_str(&parts.join(", "));
    }
    title
}

/// The Markdown report as ranked sections.
pub fn sections(outcome: &Outcome, links: &Links) -> Vec<Section> {
    markdown::sections_with(outcome, links)
        .into_iter()
        .map(|section| Section::new(section.label, section.priority, section.markdown))
        .collect()
}

fn level_of(concern: Concern) -> AnnotationLevel {
    match concern {
        Concern::Blocker | Concern::Gate => AnnotationLevel::Failure,
        Concern::Advisory => AnnotationLevel::Warning,
        Concern::Waived => AnnotationLevel::Notice,
    }
}

/// Rank bands: blockers first, then scored gates, advisory, waived; inside a band the policy's
/// expectations before the evidence findings, each in report order.
fn rank(concern: Concern, finding: bool, index: usize) -> u32 {
    let band: u32 = match concern {
        Concern::Blocker => 0,
        Concern::Gate => 1,
        Concern::Advisory => 2,
        Concern::Waived => 3,
    };
    let index = u32::try_from(index).unwrap_or(u32::MAX / 8).min(99_999);
    band * 200_000 + if finding { 100_000 } else { 0 } + index
}

fn line(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX).max(1)
}

/// Annotations: unpassed expectations at their place in the policy, then findings of the
/// evidence those gates used.
pub fn annotations(outcome: &Outcome, workspace_prefix: &str) -> Vec<Annotation> {
    let policy_path = repo_path(workspace_prefix, &outcome.policy.file);
    let mut annotations = Vec::new();
    let mut index = 0usize;
    for gate in gates(outcome) {
        let Some(concern) = concern(gate) else {
            continue;
        };
        for expectation in gate
            .expectations
            .iter()
            .filter(|e| matches!(e.status, Status::Fail | Status::Unknown))
        {
            let kind = match concern {
                Concern::Blocker => "blocker ",
                Concern::Advisory => "advisory gate ",
                _ => "gate ",
            };
            let what = if expectation.status == Status::Unknown {
                "is unknown"
            } else {
                "failed"
            };
            let title = match concern {
                Concern::Waived => format!(
                    "waived gate `{}` would have {}",
                    gate.name,
                    if expectation.status == Status::Unknown {
                        "been unknown"
                    } else {
                        "failed"
                    }
                ),
                _ => format!("{kind}`{}` {what}", gate.name),
            };
            let mut message = format!("expect {}", expectation.text);
            match (&expectation.actual, &expectation.required) {
                (Some(actual), Some(required)) => {
                    message.push_str(&format!("\nmeasured {actual}, required {required}"))
                }
                (Some(actual), None) => message.push_str(&format!("\nmeasured {actual}")),
                _ => {}
            }
            if let Some(reason) = &expectation.reason {
                message.push_str(&format!("\n{reason}"));
            }
            let files = crate::report::human::evidence_files(outcome, &expectation.evidence);
            if !files.is_empty() {
                message.push_str(&format!("\nevidence: {}", files.join(", ")));
            }
            if let Some(note) = &gate.note {
                message.push_str(&format!("\n{note}"));
            }
            if let Some(help) = &expectation.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            annotations.push(Annotation {
                path: policy_path.clone(),
                start_line: line(expectation.line),
                end_line: line(expectation.line),
                start_column: Some(line(expectation.column)),
                end_column: None,
                level: level_of(concern),
                title: Some(title),
                message,
                rank: rank(concern, false, index),
            });
            index += 1;
        }
    }
    let mut index = 0usize;
    for item in &outcome.evidence {
        if item.findings.is_empty() {
            continue;
        }
        let Some(concern) = evidence_concern(outcome, &item.name) else {
            continue;
        };
        let source = item
            .files
            .first()
            .map(|file| file.path.clone())
            .unwrap_or_else(|| item.name.clone());
        for finding in item.findings.iter().filter(|f| !f.file.is_empty()) {
            let title = finding.kind.label();
            let at = line(finding.line.map_or(1, |l| l as usize));
            annotations.push(Annotation {
                path: repo_path(workspace_prefix, &finding.file),
                start_line: at,
                end_line: at,
                start_column: None,
                end_column: None,
                level: level_of(concern),
                title: Some(format!("{title} (evidence `{}`)", item.name)),
                message: format!("{}\nreported in {source}", finding.message),
                rank: rank(concern, true, index),
            });
            index += 1;
        }
    }
    for annotation in &mut annotations {
        annotation.path = escape::plain(&annotation.path);
        annotation.title = annotation.title.as_deref().map(escape::plain);
        annotation.message = escape::plain(&annotation.message);
    }
    annotations
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
    for gate in gates(outcome) {
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
        if let Some(blocker) = gates(outcome).find(|gate| {
            gate.severity == Severity::Blocker
                && matches!(gate.status, Status::Fail | Status::Unknown)
        }) {
            return Err(format!(
                "it says ready although blocker `{}` is `{}`",
                blocker.name.escape_debug(),
                blocker.status.label()
            ));
        }
    }
    Ok(())
}
