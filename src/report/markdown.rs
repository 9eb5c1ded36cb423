//! The Markdown report: what the PR comment, the check run summary and the job summary show.
//! Verdict first, then categories, failing gates (figure vs threshold, evidence), all gates in a
//! collapsed section, evidence files with their sha256, and waivers.

use crate::eval::{Outcome, Status};
use crate::syntax::ast::Severity;

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn code(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("`{}`", text.replace('`', "'").replace('|', "\\|"))
}

fn icon(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Fail => "❌",
        Status::Unknown => "❔",
        Status::NotApplicable => "➖",
        Status::Waived => "🕊️",
    }
}

/// Renders the report.
pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    let (mark, verdict) = if outcome.ready { ("✅", "Ready") } else { ("❌", "Not ready") };
    out.push_str(&format!("## {mark} {verdict} — {}\n\n", outcome.policy.name));
    let score = outcome.score.as_ref().map(|s| s.display.clone()).unwrap_or_else(|| "—".into());
    let level = outcome.level.as_ref().map(|l| format!(" · level **{l}**")).unwrap_or_default();
    out.push_str(&format!("**Score {score}** (target {}){level}\n\n", outcome.target.display));
    out.push_str(&format!("{}\n\n", outcome.reason));

    out.push_str("| Category | Weight | Points passed | Share | Contribution |\n|---|---:|---:|---:|---:|\n");
    for category in &outcome.categories {
        out.push_str(&format!(
            "| {} | {} | {} / {} | {} | {} |\n",
            cell(&category.name),
            category.weight,
            category.points_passed,
            category.points_counted,
            category.share.as_ref().map(|s| s.display.clone()).unwrap_or_else(|| "—".into()),
            category.contribution.as_ref().map(|s| s.display.clone()).unwrap_or_else(|| "—".into()),
        ));
    }
    out.push('\n');

    let failing: Vec<_> = outcome
        .categories
        .iter()
        .flat_map(|c| c.gates.iter())
        .filter(|g| matches!(g.status, Status::Fail | Status::Unknown))
        .collect();
    if !failing.is_empty() {
        out.push_str("### Gates not passed\n\n| | Gate | Category | Expectation | Figure | Threshold | Evidence |\n|---|---|---|---|---:|---|---|\n");
        for gate in &failing {
            let severity = match gate.severity {
                Severity::Blocker => " **blocker**",
                Severity::Advisory => " _advisory_",
                Severity::Default => "",
            };
            for expectation in gate.expectations.iter().filter(|e| e.status != Status::Pass) {
                let figure = match (&expectation.actual, &expectation.reason) {
                    (Some(actual), _) => cell(actual),
                    (None, Some(reason)) => format!("unknown: {}", cell(reason)),
                    (None, None) => "unknown".into(),
                };
                out.push_str(&format!(
                    "| {} | {}{} | {} | {} | {} | {} | {} |\n",
                    icon(expectation.status),
                    cell(&gate.name),
                    severity,
                    cell(&gate.category),
                    code(&expectation.text),
                    figure,
                    expectation.required.as_deref().map(code).unwrap_or_default(),
                    cell(&super::human::evidence_files(outcome, &expectation.evidence).join(", ")),
                ));
            }
        }
        out.push('\n');
    }

    out.push_str("<details><summary>All gates</summary>\n\n| | Gate | Category | Severity | Points | Status |\n|---|---|---|---|---:|---|\n");
    for gate in outcome.categories.iter().flat_map(|c| c.gates.iter()) {
        let severity = match gate.severity {
            Severity::Blocker => "blocker",
            Severity::Advisory => "advisory",
            Severity::Default => "",
        };
        let mut status = gate.status.label().to_string();
        if let Some(note) = &gate.note {
            status = format!("{status} — {}", cell(note));
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
    out.push_str("\n</details>\n\n");

    out.push_str("<details><summary>Evidence</summary>\n\n| Item | Kind | Status | Format | Files |\n|---|---|---|---|---|\n");
    for evidence in &outcome.evidence {
        let files = if evidence.files.is_empty() {
            evidence.problem.clone().map(|p| cell(&p)).unwrap_or_default()
        } else {
            evidence
                .files
                .iter()
                .map(|f| {
                    if f.sha256.is_empty() {
                        code(&f.path)
                    } else {
                        format!("{} (sha256 {})", code(&f.path), f.sha256.get(..12).unwrap_or(""))
                    }
                })
                .collect::<Vec<_>>()
                .join("<br>")
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&evidence.name),
            evidence.kind,
            evidence.status,
            evidence.format.clone().unwrap_or_default(),
            files
        ));
    }
    out.push_str("\n</details>\n");

    if !outcome.waivers.is_empty() {
        out.push_str("\n### Waivers\n\n| Gate | Until | Owner | Reason | Status |\n|---|---|---|---|---|\n");
        for waiver in &outcome.waivers {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                cell(&waiver.gate),
                waiver.until,
                cell(&waiver.owner),
                cell(&waiver.reason),
                waiver.status
            ));
        }
    }
    if !outcome.diagnostics.is_empty() {
        out.push_str("\n### Warnings\n\n");
        for diagnostic in &outcome.diagnostics {
            out.push_str(&format!("- `{}`: {}\n", diagnostic.code, diagnostic.message));
        }
    }
    out
}
