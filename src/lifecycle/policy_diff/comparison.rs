//! Both versions of a policy evaluated on the same evidence: which one judges, and the gates
//! whose status differs.

use super::{diff_policies, PolicyDiff};
use crate::eval::{self, Context, Outcome};
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
    let statuses = |outcome: &Outcome| -> Vec<(String, String)> {
        outcome
            .categories
            .iter()
            .flat_map(|category| {
                category
                    .gates
                    .iter()
                    .map(|gate| (gate.name.clone(), gate.status.label().to_string()))
            })
            .collect()
    };
    let base_statuses = statuses(base_outcome);
    let head_statuses = statuses(head_outcome);
    let mut flips = Vec::new();
    for (gate, status) in &head_statuses {
        let before = base_statuses
            .iter()
            .find(|(name, _)| name == gate)
            .map(|(_, status)| status.clone());
        if before.as_ref() != Some(status) {
            flips.push(GateFlip {
                gate: gate.clone(),
                base: before,
                head: Some(status.clone()),
            });
        }
    }
    for (gate, status) in &base_statuses {
        if !head_statuses.iter().any(|(name, _)| name == gate) {
            flips.push(GateFlip {
                gate: gate.clone(),
                base: Some(status.clone()),
                head: None,
            });
        }
    }
    PolicyComparison {
        diff: diff_policies(&base.checked, &head.checked),
        judged_by,
        base: Judgement::of(&base.file, base_outcome),
        head: Judgement::of(&head.file, head_outcome),
        flips,
    }
}
