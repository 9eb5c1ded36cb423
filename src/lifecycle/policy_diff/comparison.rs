//! Both versions of a policy evaluated on the same evidence: which one judges, and the gates
//! whose status differs.

use super::{diff_policies, Direction, PolicyDiff};
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

impl PolicyComparison {
    fn judge_line(&self) -> String {
        match self.judged_by {
            Judge::Base => format!(
                "judged by the base policy ({}); the head's policy ({}) is a proposal",
                self.base.file, self.head.file
            ),
            Judge::Head => format!("judged by the head's policy ({})", self.head.file),
        }
    }

    /// The comparison for a terminal.
    pub fn render_text(&self) -> String {
        let mut out = format!("policy change: {}\n", self.diff.summary());
        for change in &self.diff.changes {
            out.push_str(&format!(
                "  {:<9}  {}\n",
                change.direction.word(),
                change.text
            ));
        }
        out.push_str(&format!(
            "base  {}  ({})\n",
            self.base.describe(),
            self.base.file
        ));
        out.push_str(&format!(
            "head  {}  ({})\n",
            self.head.describe(),
            self.head.file
        ));
        for flip in &self.flips {
            out.push_str(&format!(
                "  gate `{}`: {} -> {}\n",
                flip.gate,
                flip.base.as_deref().unwrap_or("absent"),
                flip.head.as_deref().unwrap_or("absent")
            ));
        }
        out.push_str(&self.judge_line());
        out.push('\n');
        out
    }

    /// The "Policy change" section of the pull-request comment (Markdown).
    pub fn render_markdown(&self) -> String {
        let mut out = String::from("### Policy change\n\n");
        out.push_str(&format!(
            "This change edits the readiness policy: **{}**.\n\n",
            self.diff.summary()
        ));
        if !self.diff.changes.is_empty() {
            out.push_str("| | change |\n|---|---|\n");
            for change in &self.diff.changes {
                let mark = match change.direction {
                    Direction::Relaxed => "⬇️ relaxed",
                    Direction::Tightened => "⬆️ tightened",
                    Direction::Changed => "↔️ changed",
                };
                out.push_str(&format!("| {mark} | {} |\n", markdown_cell(&change.text)));
            }
            out.push('\n');
        }
        out.push_str("| policy | verdict | score | level |\n|---|---|---|---|\n");
        for (label, judgement) in [("base", &self.base), ("head (proposed)", &self.head)] {
            out.push_str(&format!(
                "| {label} `{}` | {} | {} (target {}) | {} |\n",
                markdown_cell(&judgement.file),
                if judgement.ready {
                    "✅ ready"
                } else {
                    "❌ not ready"
                },
                judgement.score.as_deref().unwrap_or("-"),
                judgement.target,
                judgement.level.as_deref().unwrap_or("none")
            ));
        }
        if !self.flips.is_empty() {
            out.push_str("\nOn this evidence the head's policy changes:\n\n");
            for flip in &self.flips {
                out.push_str(&format!(
                    "- gate `{}`: {} → {}\n",
                    markdown_cell(&flip.gate),
                    flip.base.as_deref().unwrap_or("absent"),
                    flip.head.as_deref().unwrap_or("absent")
                ));
            }
        }
        out.push_str(&format!("\n_{}._\n", self.judge_line()));
        out
    }
}

pub(super) fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
