//! What GitHub shows besides the Markdown, derived from the outcome alone: the conclusion, the
//! one-line title, and the annotations (expectations not passed at their place in the policy,
//! then the findings of the evidence those gates used, ranked blockers first). Shared by the
//! check run (`src/publish.rs`) and `--format github` (workflow commands).

use super::{concern, escape, evidence_concern, repo_path, Concern};
use crate::eval::{Outcome, Status};
use readiness_github::{Annotation, AnnotationLevel, Conclusion};

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
