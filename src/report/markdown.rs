//! The Markdown report: what the PR comment, the check run summary and the job summary show.
//!
//! Shape, for the width GitHub gives a PR comment (about 780 px):
//!
//! 1. the verdict: heading, score, level, a link to the workflow run, the reason;
//! 2. one compact table of the gates not passed: failed blockers first, then by points to gain;
//!    each gate once, linked to its line in the policy, with what was measured against what was
//!    required and what it would take to pass;
//! 3. what the artifacts say behind them: failing tests, unresolved imports, dependency problems,
//!    load-test endpoints, patch coverage per file with the uncovered changed lines, and the
//!    files a repository fact matched, each linked to its file and line at the head commit,
//!    ranked and within a budget ("and 12 more");
//! 4. everything secondary in `<details>`: categories, all gates, evidence files, waivers.
//!
//! Every text from the outcome goes through [`super::escape`]. Sections are ranked for GitHub's
//! size limits: the findings are cut first, and the cut is named.

use super::escape::{
    markdown as text, markdown_cell_code as code, markdown_code_breakable as wrap_code,
    markdown_prose as prose_line, markdown_prose_cell as prose,
};
use super::links::{link, Links};
use super::{findings_by_gate, ranked_unpassed, GateFindings};
use crate::eval::{Outcome, Status};
use crate::syntax::ast::Severity;

/// The most findings listed per evidence item, and in the whole report.
pub const FINDINGS_PER_ITEM: usize = 10;
pub const FINDINGS_IN_ALL: usize = 40;
/// The most files listed in a patch-coverage table.
pub const PATCH_FILES: usize = 15;

fn icon(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Fail => "❌",
        Status::Unknown => "❔",
        Status::NotApplicable => "➖",
        Status::Waived => "🕊️",
    }
}

/// Status as a word people read the same way everywhere.
fn word(status: Status) -> &'static str {
    match status {
        Status::Pass => "passed",
        Status::Fail => "failed",
        Status::Unknown => "unknown",
        Status::NotApplicable => "n/a",
        Status::Waived => "waived",
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

/// Renders the report without links (a local run).
pub fn render(outcome: &Outcome) -> String {
    render_with(outcome, &Links::default())
}

/// Renders the report with links to the repository and the run.
pub fn render_with(outcome: &Outcome, links: &Links) -> String {
    let mut out = sections_with(outcome, links)
        .iter()
        .map(|s| s.markdown.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    out.push('\n');
    out
}

/// The report in display order without links.
pub fn sections(outcome: &Outcome) -> Vec<Section> {
    sections_with(outcome, &Links::default())
}

/// The report in display order, each block ranked for truncation: the verdict (0), the gates not
/// passed (1), a policy change (1), the categories (2), all gates (3), the evidence (4), waivers
/// (5), warnings (6), and what the artifacts say (7: cut first, its cut named by the truncation).
pub fn sections_with(outcome: &Outcome, links: &Links) -> Vec<Section> {
    let mut sections = vec![Section {
        label: "verdict",
        priority: 0,
        markdown: verdict(outcome, links),
    }];
    if let Some(markdown) = failing_gates(outcome, links) {
        sections.push(Section {
            label: "gates not passed",
            priority: 1,
            markdown,
        });
    }
    if let Some(markdown) = findings(outcome, links) {
        sections.push(Section {
            label: "what the artifacts say",
            priority: 7,
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
        label: "categories",
        priority: 2,
        markdown: categories(outcome),
    });
    sections.push(Section {
        label: "all gates",
        priority: 3,
        markdown: all_gates(outcome, links),
    });
    if !outcome.evidence.is_empty() {
        sections.push(Section {
            label: "evidence",
            priority: 4,
            markdown: evidence(outcome),
        });
    }
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

/// The heading, score, level, the run and the reason for the verdict.
pub fn verdict(outcome: &Outcome, links: &Links) -> String {
    let (mark, verdict) = match (outcome.ready, outcome.score.is_some()) {
        (true, true) => ("✅", "Ready"),
        (true, false) => ("➖", "Ready"),
        (false, _) => ("❌", "Not ready"),
    };
    let score = outcome
        .score
        .as_ref()
        .map(|s| s.display.clone())
        .unwrap_or_else(|| "—".into());
    let level = outcome
        .level
        .as_ref()
        .map(|l| format!(" · level **{}**", text(l)))
        .unwrap_or_default();
    let run = links
        .run()
        .map(|url| format!(" · [workflow run]({url})"))
        .unwrap_or_default();
    let note = outcome
        .policy
        .note
        .as_ref()
        .map(|note| format!("\n\n_{}_", prose_line(note)))
        .unwrap_or_default();
    format!(
        "## {mark} {verdict} — {}\n\n{}\n\n**Score {score}** (target {}){level}{run}{note}",
        text(&outcome.policy.name),
        prose_line(&outcome.reason),
        outcome.target.display,
    )
}

/// The table of categories: weight, points, share, contribution, collapsed.
pub fn categories(outcome: &Outcome) -> String {
    let mut out = String::from(
        "<details><summary>Categories</summary>\n\n| Category | Weight | Points | Share | Of the score |\n|---|---:|---:|---:|---:|",
    );
    for category in &outcome.categories {
        out.push_str(&format!(
            "\n| {} | {} | {} / {} | {} | {} |",
            text(&category.name),
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
    out.push_str("\n\n</details>");
    out
}

fn gate_cell(gate: &crate::eval::GateOutcome, outcome: &Outcome, links: &Links) -> String {
    let name = link(
        &format!("**{}**", text(&gate.name)),
        links.file(
            &outcome.policy.file,
            Some((line(gate.line), line(gate.line))),
        ),
    );
    let severity = match gate.severity {
        Severity::Blocker => " · blocker",
        Severity::Advisory => " · advisory",
        Severity::Default => "",
    };
    format!("{name}{severity}")
}

fn line(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX).max(1)
}

/// The gates that failed or are unknown: one row per gate, failed blockers first, then by
/// points to gain; `None` when every gate passed.
pub fn failing_gates(outcome: &Outcome, links: &Links) -> Option<String> {
    let ranked = ranked_unpassed(outcome);
    if ranked.is_empty() {
        return None;
    }
    let mut out =
        String::from("### Gates not passed\n\n| Gate | Measured | To pass |\n|---|---|---|");
    let unknown = ranked.iter().any(|gate| gate.status == Status::Unknown);
    for gate in ranked {
        let mut measured = Vec::new();
        let mut to_pass = Vec::new();
        for expectation in gate
            .expectations
            .iter()
            .filter(|e| matches!(e.status, Status::Fail | Status::Unknown))
        {
            let figure = match &expectation.actual {
                Some(actual) => format!("{}: **{}**", wrap_code(&expectation.text), text(actual)),
                None => format!("{}: unknown", wrap_code(&expectation.text)),
            };
            measured.push(figure);
            match (&expectation.to_pass, &expectation.reason) {
                (Some(step), _) => to_pass.push(prose(step)),
                (None, Some(reason)) => to_pass.push(prose(reason)),
                (None, None) => {}
            }
        }
        if let Some(points) = &gate.points_to_gain {
            to_pass.push(format!("**+{}** score", points.display));
        }
        out.push_str(&format!(
            "\n| {} {} | {} | {} |",
            icon(gate.status),
            gate_cell(gate, outcome, links),
            measured.join("<br>"),
            to_pass.join("<br>"),
        ));
    }
    if unknown {
        out.push_str(
            "\n\n❔ unknown: the evidence could not decide (missing, unreadable or incomplete).",
        );
    }
    Some(out)
}

/// `first–last` ranges of sorted line numbers.
pub fn ranges(lines: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &n in lines {
        match out.last_mut() {
            Some((_, last)) if n == *last + 1 || n == *last => *last = n,
            _ => out.push((n, n)),
        }
    }
    out
}

fn place(file: &str, line: Option<u32>, links: &Links) -> String {
    let shown = match line {
        Some(line) => format!("{}:{line}", super::display_path(file)),
        None => super::display_path(file),
    };
    link(&wrap_code(&shown), links.file(file, line.map(|l| (l, l))))
}

/// What the artifacts say behind the gates not passed; `None` when they say nothing.
pub fn findings(outcome: &Outcome, links: &Links) -> Option<String> {
    let groups = findings_by_gate(outcome);
    if groups.is_empty() {
        return None;
    }
    let mut out = String::from("### What the artifacts say");
    let mut listed = 0usize;
    let mut left_out = 0usize;
    for group in groups {
        match group {
            GateFindings::Items { gate, item } => {
                let shown: Vec<_> = item
                    .findings
                    .iter()
                    .take(FINDINGS_PER_ITEM.min(FINDINGS_IN_ALL.saturating_sub(listed)))
                    .collect();
                let more = item.findings.len() - shown.len();
                left_out += more;
                if shown.is_empty() {
                    continue;
                }
                let kind = item.findings.first().map_or("finding", |f| f.kind.label());
                let count = item.findings.len();
                let source = item
                    .files
                    .first()
                    .map(|file| format!(" in {}", code(&super::display_path(&file.path))))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "\n\n**{}**: {count} {kind}{}{source}\n\n| Where | What |\n|---|---|",
                    text(&gate.name),
                    if count == 1 { "" } else { "s" },
                ));
                for finding in shown {
                    let at = if finding.file.is_empty() {
                        "—".to_string()
                    } else {
                        place(&finding.file, finding.line, links)
                    };
                    let what = if finding.detail.is_empty() {
                        wrap_code(&finding.subject)
                    } else {
                        format!(
                            "{}<br>{}",
                            wrap_code(&finding.subject),
                            super::escape::markdown_breakable(&finding.detail)
                        )
                    };
                    out.push_str(&format!("\n| {at} | {what} |"));
                    listed += 1;
                }
                if more > 0 {
                    out.push_str(&format!("\n\n…and {more} more {kind}s"));
                }
            }
            GateFindings::Patch { gate, item, patch } => {
                let lines = patch
                    .lines
                    .as_ref()
                    .map(|r| format!(": {} of {} changed lines covered", r.covered, r.total))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "\n\n**{}**: patch coverage of {}{lines}",
                    text(&gate.name),
                    code(&item.name)
                ));
                if let Some(problem) = &patch.problem {
                    out.push_str(&format!("; {}", prose_line(problem)));
                }
                if !patch.files.is_empty() {
                    out.push_str(
                        "\n\n| File | Covered | Uncovered changed lines |\n|---|---:|---|",
                    );
                    let mut files: Vec<_> = patch.files.iter().collect();
                    files.sort_by_key(|f| std::cmp::Reverse(f.lines.total - f.lines.covered));
                    for file in files.iter().take(PATCH_FILES) {
                        let uncovered: Vec<u32> = patch
                            .uncovered
                            .iter()
                            .filter(|l| l.file == file.path)
                            .map(|l| l.line)
                            .collect();
                        let shown: Vec<String> = ranges(&uncovered)
                            .into_iter()
                            .map(|(first, last)| {
                                let label = if first == last {
                                    first.to_string()
                                } else {
                                    format!("{first}–{last}")
                                };
                                link(&label, links.file(&file.path, Some((first, last))))
                            })
                            .collect();
                        out.push_str(&format!(
                            "\n| {} | {} / {} | {} |",
                            link(
                                &code(&super::display_path(&file.path)),
                                links.file(&file.path, None)
                            ),
                            file.lines.covered,
                            file.lines.total,
                            if shown.is_empty() {
                                "—".to_string()
                            } else {
                                shown.join(", ")
                            }
                        ));
                    }
                    if files.len() > PATCH_FILES {
                        out.push_str(&format!(
                            "\n\n…and {} more files",
                            files.len() - PATCH_FILES
                        ));
                    }
                }
            }
            GateFindings::Files { gate, files } => {
                let shown: Vec<String> = files
                    .iter()
                    .take(FINDINGS_PER_ITEM)
                    .map(|file| link(&wrap_code(file), links.file(file, None)))
                    .collect();
                out.push_str(&format!(
                    "\n\n**{}**: files matched: {}",
                    text(&gate.name),
                    shown.join(", ")
                ));
                if files.len() > shown.len() {
                    out.push_str(&format!(" and {} more", files.len() - shown.len()));
                }
            }
        }
    }
    if left_out > 0 {
        out.push_str(&format!(
            "\n\n_{left_out} more findings are in the JSON report (`--format json`)._"
        ));
    }
    Some(out)
}

/// Every gate with its status, collapsed.
pub fn all_gates(outcome: &Outcome, links: &Links) -> String {
    let mut out = String::from(
        "<details><summary>All gates</summary>\n\n| | Gate | Category | Points |\n|---|---|---|---:|\n",
    );
    for gate in outcome.categories.iter().flat_map(|c| c.gates.iter()) {
        let mut status = format!("{} {}", icon(gate.status), word(gate.status));
        if let Some(note) = &gate.note {
            let note = note
                .strip_prefix(word(gate.status))
                .map(|rest| rest.trim_start_matches(':').trim_start())
                .unwrap_or(note);
            status = format!("{status}: {}", prose(note));
        }
        out.push_str(&format!(
            "| {status} | {} | {} | {} |\n",
            gate_cell(gate, outcome, links),
            text(&gate.category),
            gate.points,
        ));
    }
    out.push_str("\n</details>");
    out
}

/// The evidence items with their files and sha256, collapsed.
pub fn evidence(outcome: &Outcome) -> String {
    let mut out = String::from(
        "<details><summary>Evidence</summary>\n\n| Item | Status | Files |\n|---|---|---|\n",
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
                            text(f.sha256.get(..12).unwrap_or(""))
                        )
                    }
                })
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let format = evidence
            .format
            .as_deref()
            .map(|f| format!(", {}", text(f)))
            .unwrap_or_default();
        out.push_str(&format!(
            "| {} ({}{format}) | {} | {} |\n",
            text(&evidence.name),
            text(&evidence.kind),
            text(&evidence.status),
            files
        ));
    }
    out.push_str("\n</details>");
    out
}

/// The waivers and their status, collapsed; `None` without waivers.
pub fn waivers(outcome: &Outcome) -> Option<String> {
    if outcome.waivers.is_empty() {
        return None;
    }
    let mut out = String::from(
        "<details><summary>Waivers</summary>\n\n| Gate | Until | Owner | Reason | Status |\n|---|---|---|---|---|",
    );
    for waiver in &outcome.waivers {
        out.push_str(&format!(
            "\n| {} | {} | {} | {} | {} |",
            text(&waiver.gate),
            text(&waiver.until),
            text(&waiver.owner),
            prose(&waiver.reason),
            text(&waiver.status)
        ));
    }
    out.push_str("\n\n</details>");
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
            super::escape::markdown_code(diagnostic.code),
            prose_line(&diagnostic.message)
        ));
    }
    Some(out)
}
