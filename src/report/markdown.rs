//! The Markdown report: what the PR comment, the check run summary and the job summary show.
//! Verdict first, then categories, failing gates (figure vs threshold, evidence), all gates in a
//! collapsed section, evidence files with their sha256, and waivers.

use super::escape::{markdown as cell, markdown_cell_code as code, markdown_prose_cell as prose};
use crate::eval::{Outcome, Status};
use crate::syntax::ast::Severity;

fn icon(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Fail => "❌",
        Status::Unknown => "❔",
        Status::NotApplicable => "➖",
        Status::Waived => "🕊️",
    }
}

/// One block of the Markdown report. Blocks are joined with a blank line; none ends with a newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// What it is, for "left out: ..." notes (e.g. `all gates`).
    pub label: &'static str,
    /// Importance when the report must be cut to fit a size limit: 0 is the verdict (never
    /// dropped); higher numbers are dropped first.
    pub priority: u32,
    pub markdown: String,
}

/// Renders the report.
pub fn render(outcome: &Outcome) -> String {
    let sections = sections(outcome);
    let mut out = sections
        .iter()
        .map(|s| s.markdown.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    out.push('\n');
    out
}

/// The report in display order, each block ranked for truncation: the verdict (0), the gates not
/// passed (1), the categories (2), all gates (3), the evidence (4), waivers (5), warnings (6).
pub fn sections(outcome: &Outcome) -> Vec<Section> {
    let mut sections = vec![
        Section {
            label: "verdict",
            priority: 0,
            markdown: verdict(outcome),
        },
        Section {
            label: "categories",
            priority: 2,
            markdown: categories(outcome),
        },
    ];
    if let Some(markdown) = failing_gates(outcome) {
        sections.push(Section {
            label: "gates not passed",
            priority: 1,
            markdown,
        });
    }
    if let Some(markdown) = &outcome.policy.change {
        sections.push(Section {
            label: "policy change",
            priority: 1,
            markdown: markdown.clone(),
        });
    }
    sections.push(Section {
        label: "all gates",
        priority: 3,
        markdown: all_gates(outcome),
    });
    sections.push(Section {
        label: "evidence",
        priority: 4,
        markdown: evidence(outcome),
    });
    if let Some(markdown) = waivers(outcome) {
        sections.push(Section {
            label: "waivers",
            priority: 5,
            markdown,
        });
    }
    if let Some(markdown) = warnings(outcome) {
        sections.push(Section {
            label: "warnings",
            priority: 6,
            markdown,
        });
    }
    sections
}

/// The heading, score, level and the reason for the verdict.
pub fn verdict(outcome: &Outcome) -> String {
    let (mark, verdict) = if outcome.ready {
        ("✅", "Ready")
    } else {
        ("❌", "Not ready")
    };
    let score = outcome
        .score
        .as_ref()
        .map(|s| s.display.clone())
        .unwrap_or_else(|| "—".into());
    let level = outcome
        .level
        .as_ref()
        .map(|l| format!(" · level **{}**", cell(l)))
        .unwrap_or_default();
    let note = outcome
        .policy
        .note
        .as_ref()
        .map(|note| format!("\n\n_{}_", super::escape::markdown_prose(note)))
        .unwrap_or_default();
    format!(
        "## {mark} {verdict} — {}\n\n**Score {score}** (target {}){level}\n\n{}{note}",
        cell(&outcome.policy.name),
        outcome.target.display,
        super::escape::markdown_prose(&outcome.reason)
    )
}

/// The table of categories: weight, points, share, contribution.
pub fn categories(outcome: &Outcome) -> String {
    let mut out = String::from(
        "| Category | Weight | Points passed | Share | Contribution |\n|---|---:|---:|---:|---:|",
    );
    for category in &outcome.categories {
        out.push_str(&format!(
            "\n| {} | {} | {} / {} | {} | {} |",
            cell(&category.name),
            category.weight,
            category.points_passed,
            category.points_counted,
            category
                .share
                .as_ref()
                .map(|s| s.display.clone())
                .unwrap_or_else(|| "—".into()),
            category
                .contribution
                .as_ref()
                .map(|s| s.display.clone())
                .unwrap_or_else(|| "—".into()),
        ));
    }
    out
}

/// The gates that failed or are unknown, one row per expectation not passed; `None` when all passed.
pub fn failing_gates(outcome: &Outcome) -> Option<String> {
    let mut failing: Vec<_> = outcome
        .categories
        .iter()
        .flat_map(|c| c.gates.iter())
        .filter(|g| matches!(g.status, Status::Fail | Status::Unknown))
        .collect();
    if failing.is_empty() {
        return None;
    }
    // Most readiness points to gain first (stable: policy order among equals).
    let gain = |g: &crate::eval::GateOutcome| g.points_to_gain.as_ref().map_or(0.0, |p| p.pct);
    failing.sort_by(|a, b| gain(b).total_cmp(&gain(a)));
    let mut out = String::from(
        "### Gates not passed\n\n| | Gate | Category | Expectation | Figure | Threshold | Evidence | To pass |\n|---|---|---|---|---:|---|---|---|",
    );
    for gate in &failing {
        let severity = match gate.severity {
            Severity::Blocker => " **blocker**",
            Severity::Advisory => " _advisory_",
            Severity::Default => "",
        };
        for expectation in gate
            .expectations
            .iter()
            .filter(|e| e.status != Status::Pass)
        {
            let figure = match (&expectation.actual, &expectation.reason) {
                (Some(actual), _) => cell(actual),
                (None, Some(reason)) => format!("unknown: {}", prose(reason)),
                (None, None) => "unknown".into(),
            };
            let mut to_pass = expectation
                .to_pass
                .as_deref()
                .map(prose)
                .unwrap_or_default();
            if let Some(points) = &gate.points_to_gain {
                to_pass = format!(
                    "{to_pass}{}+{} score",
                    if to_pass.is_empty() { "" } else { " · " },
                    points.display
                );
            }
            out.push_str(&format!(
                "\n| {} | {}{} | {} | {} | {} | {} | {} | {} |",
                icon(expectation.status),
                cell(&gate.name),
                severity,
                cell(&gate.category),
                code(&expectation.text),
                figure,
                expectation
                    .required
                    .as_deref()
                    .map(code)
                    .unwrap_or_default(),
                cell(&super::human::evidence_files(outcome, &expectation.evidence).join(", ")),
                to_pass,
            ));
        }
    }
    Some(out)
}

/// Every gate with its status, collapsed.
pub fn all_gates(outcome: &Outcome) -> String {
    let mut out = String::from(
        "<details><summary>All gates</summary>\n\n| | Gate | Category | Severity | Points | Status |\n|---|---|---|---|---:|---|\n",
    );
    for gate in outcome.categories.iter().flat_map(|c| c.gates.iter()) {
        let severity = match gate.severity {
            Severity::Blocker => "blocker",
            Severity::Advisory => "advisory",
            Severity::Default => "",
        };
        let mut status = gate.status.label().to_string();
        if let Some(note) = &gate.note {
            status = format!("{status} — {}", prose(note));
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            icon(gate.status),
            cell(&gate.name),
            cell(&gate.category),
            severity,
            gate.points,
            status
        ));
    }
    out.push_str("\n</details>");
    out
}

/// The evidence items with their files and sha256, collapsed.
pub fn evidence(outcome: &Outcome) -> String {
    let mut out = String::from(
        "<details><summary>Evidence</summary>\n\n| Item | Kind | Status | Format | Files |\n|---|---|---|---|---|\n",
    );
    for evidence in &outcome.evidence {
        let files = if evidence.files.is_empty() {
            evidence
                .problem
                .clone()
                .map(|p| prose(&p))
                .unwrap_or_default()
        } else {
            evidence
                .files
                .iter()
                .map(|f| {
                    if f.sha256.is_empty() {
                        code(&f.path)
                    } else {
                        format!(
                            "{} (sha256 {})",
                            code(&f.path),
                            f.sha256.get(..12).unwrap_or("")
                        )
                    }
                })
                .collect::<Vec<_>>()
                .join("<br>")
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&evidence.name),
            cell(&evidence.kind),
            cell(&evidence.status),
            cell(&evidence.format.clone().unwrap_or_default()),
            files
        ));
    }
    out.push_str("\n</details>");
    out
}

/// The waivers and their status; `None` without waivers.
pub fn waivers(outcome: &Outcome) -> Option<String> {
    if outcome.waivers.is_empty() {
        return None;
    }
    let mut out = String::from(
        "### Waivers\n\n| Gate | Until | Owner | Reason | Status |\n|---|---|---|---|---|",
    );
    for waiver in &outcome.waivers {
        out.push_str(&format!(
            "\n| {} | {} | {} | {} | {} |",
            cell(&waiver.gate),
            cell(&waiver.until),
            cell(&waiver.owner),
            prose(&waiver.reason),
            cell(&waiver.status)
        ));
    }
    Some(out)
}

/// Warnings about the policy (expired or stale waivers); `None` without any.
pub fn warnings(outcome: &Outcome) -> Option<String> {
    if outcome.diagnostics.is_empty() {
        return None;
    }
    let mut out = String::from("### Warnings\n");
    for diagnostic in &outcome.diagnostics {
        out.push_str(&format!(
            "\n- {}: {}",
            super::escape::markdown_code(&diagnostic.code),
            super::escape::markdown_prose(&diagnostic.message)
        ));
    }
    Some(out)
}
