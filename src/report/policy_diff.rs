//! The report of `gate diff`: a [`PolicyComparison`] for a terminal, and as the "Policy change"
//! section of the pull-request comment.

use crate::lifecycle::policy_diff::{Direction, Judge, PolicyComparison};

fn judge_line(comparison: &PolicyComparison) -> String {
    match comparison.judged_by {
        Judge::Base => format!(
            "judged by the base policy ({}); the head's policy ({}) is a proposal",
            comparison.base.file, comparison.head.file
        ),
        Judge::Head => format!("judged by the head's policy ({})", comparison.head.file),
    }
}

/// The comparison for a terminal.
pub fn render_text(comparison: &PolicyComparison) -> String {
    let mut out = format!("policy change: {}\n", comparison.diff.summary());
    for change in &comparison.diff.changes {
        out.push_str(&format!(
            "  {:<9}  {}\n",
            change.direction.word(),
            change.text
        ));
    }
    out.push_str(&format!(
        "base  {}  ({})\n",
        comparison.base.describe(),
        comparison.base.file
    ));
    out.push_str(&format!(
        "head  {}  ({})\n",
        comparison.head.describe(),
        comparison.head.file
    ));
    for flip in &comparison.flips {
        out.push_str(&format!(
            "  gate `{}`: {} -> {}\n",
            flip.gate,
            flip.base.as_deref().unwrap_or("absent"),
            flip.head.as_deref().unwrap_or("absent")
        ));
    }
    out.push_str(&judge_line(comparison));
    out.push('\n');
    out
}

/// The "Policy change" section of the pull-request comment (Markdown).
pub fn render_markdown(comparison: &PolicyComparison) -> String {
    let mut out = String::from("### Policy change\n\n");
    out.push_str(&format!(
        "This change edits the readiness policy: **{}**.\n\n",
        comparison.diff.summary()
    ));
    if !comparison.diff.changes.is_empty() {
        out.push_str("| | change |\n|---|---|\n");
        for change in &comparison.diff.changes {
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
    for (label, judgement) in [
        ("base", &comparison.base),
        ("head (proposed)", &comparison.head),
    ] {
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
    if !comparison.flips.is_empty() {
        out.push_str("\nOn this evidence the head's policy changes:\n\n");
        for flip in &comparison.flips {
            out.push_str(&format!(
                "- gate `{}`: {} → {}\n",
                markdown_cell(&flip.gate),
                flip.base.as_deref().unwrap_or("absent"),
                flip.head.as_deref().unwrap_or("absent")
            ));
        }
    }
    out.push_str(&format!("\n_{}._\n", judge_line(comparison)));
    out
}
fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
