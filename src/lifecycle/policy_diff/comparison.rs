//! Both versions of a policy evaluated on the same evidence: which one judges, and the gates
//! whose status differs.

use super::{diff_policies, PolicyDiff};
use crate::eval::{self, Context, Outcome};
use crate::lifecycle::pairing::{by_name, Paired};
use crate::lifecycle::LoadedPolicy;

/// Which version of the policy gives the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Judge {
    Base,
    Head,
}

/// What a policy gave on the evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Judgement {
    /// The policy file as reports name it (`main:readiness.gate`, `readiness.gate`).
    pub file: String,
    pub ready: bool,
    pub score: Option<String>,
    pub target: String,
    pub level: Option<String>,
}

impl Judgement {
    pub fn of(file: &str, outcome: &Outcome) -> Judgement {
        Judgement {
            file: file.to_string(),
            ready: outcome.ready,
            score: outcome.score.as_ref().map(|score| score.display.clone()),
            target: outcome.target.display.clone(),
            level: outcome.level.clone(),
        }
    }

    /// `not ready, score 72.5% (target 90%), level silver`
    pub fn describe(&self) -> String {
        format!(
            "{}, score {} (target {}), level {}",
            if self.ready { "ready" } else { "not ready" },
            self.score.as_deref().unwrap_or("-"),
            self.target,
            self.level.as_deref().unwrap_or("none")
        )
    }
}

/// A gate whose status differs between the two policies on the same evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GateFlip {
    pub gate: String,
    /// `None`: the gate is not in that policy.
    pub base: Option<String>,
    pub head: Option<String>,
}

/// The base and head policies compared, and what each gives on the same evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PolicyComparison {
    pub diff: PolicyDiff,
    pub judged_by: Judge,
    pub base: Judgement,
    pub head: Judgement,
    pub flips: Vec<GateFlip>,
}

/// Diffs `base` and `head` and evaluates both on the evidence of `context` with the same
/// `inputs` (baseline, changed lines); `context.policy_file` and `policy_source` are replaced by
/// each policy's own. `judged_by` says which one gives the verdict, for the report. Returns the
/// comparison and the base's and head's outcomes.
pub fn compare(
    base: &LoadedPolicy,
    head: &LoadedPolicy,
    context: &Context<'_>,
    inputs: &eval::Inputs,
    judged_by: Judge,
) -> (PolicyComparison, Outcome, Outcome) {
    let evaluate = |policy: &LoadedPolicy| {
        let own = Context {
            evidence: context.evidence,
            today: context.today,
            changed_files: context.changed_files.clone(),
            policy_file: &policy.file,
            policy_source: &policy.source,
        };
        eval::evaluate_with(&policy.checked, &own, inputs)
    };
    let base_outcome = evaluate(base);
    let head_outcome = evaluate(head);
    let comparison = comparison_of(base, &base_outcome, head, &head_outcome, judged_by);
    (comparison, base_outcome, head_outcome)
}

/// The comparison of two outcomes already evaluated (e.g. by the CLI, which needs them anyway).
pub fn comparison_of(
    base: &LoadedPolicy,
    base_outcome: &Outcome,
    head: &LoadedPolicy,
    head_outcome: &Outcome,
    judged_by: Judge,
) -> PolicyComparison {
    let statuses = |outcome: &Outcome| -> Vec<GateStatus> {
        outcome
            .categories
            .iter()
            .flat_map(|category| {
                category.gates.iter().map(|gate| GateStatus {
                    gate: gate.name.clone(),
                    status: gate.status.label().to_string(),
                })
            })
            .collect()
    };
    let base_statuses = statuses(base_outcome);
    let head_statuses = statuses(head_outcome);
    let flips = by_name(&base_statuses, &head_statuses, |item| &item.gate)
        .into_iter()
        .filter_map(|pairing| match pairing {
            Paired::Added(new) => Some(GateFlip {
                gate: new.gate.clone(),
                base: None,
                head: Some(new.status.clone()),
            }),
            Paired::Both(old, new) if old.status != new.status => Some(GateFlip {
                gate: new.gate.clone(),
                base: Some(old.status.clone()),
                head: Some(new.status.clone()),
            }),
            Paired::Both(..) => None,
            Paired::Removed(old) => Some(GateFlip {
                gate: old.gate.clone(),
                base: Some(old.status.clone()),
                head: None,
            }),
        })
        .collect();
    PolicyComparison {
        diff: diff_policies(&base.checked, &head.checked),
        judged_by,
        base: Judgement::of(&base.file, base_outcome),
        head: Judgement::of(&head.file, head_outcome),
        flips,
    }
}

/// The status of one gate in an outcome, by gate name.
struct GateStatus {
    gate: String,
    status: String,
}
