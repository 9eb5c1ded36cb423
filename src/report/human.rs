//! The terminal report: a table per category (gate, status, figure vs threshold, evidence), then
//! the score, level and verdict. Colour only when asked (the binary decides: NO_COLOR, not a
//! terminal, `--color`).

use super::clip;
use super::escape::terminal as t;
use crate::eval::{GateOutcome, Outcome, Status};
use crate::syntax::ast::Severity;
use owo_colors::OwoColorize;

struct Style {
    color: bool,
}

impl Style {
    fn status(&self, status: Status) -> String {
        let label = format!("{:<7}", status.label());
        if !self.color {
            return label;
        }
        match status {
            Status::Pass => label.green().to_string(),
            Status::Fail => label.red().bold().to_string(),
            Status::Unknown => label.yellow().bold().to_string(),
            Status::NotApplicable => label.dimmed().to_string(),
            Status::Waived => label.cyan().to_string(),
        }
    }

    fn bold(&self, text: &str) -> String {
        if self.color {
            text.bold().to_string()
        } else {
            text.to_string()
        }
    }

    fn dim(&self, text: &str) -> String {
        if self.color {
            text.dimmed().to_string()
        } else {
            text.to_string()
        }
    }

    fn verdict(&self, ready: bool, text: &str) -> String {
        match (self.color, ready) {
            (false, _) => text.to_string(),
            (true, true) => text.green().bold().to_string(),
            (true, false) => text.red().bold().to_string(),
        }
    }
}

const EXPECTATION_WIDTH: usize = 44;
const FIGURE_WIDTH: usize = 12;

fn gate_label(gate: &GateOutcome) -> String {
    let mut label = t(&gate.name);
    match gate.severity {
        Severity::Blocker => label.push_str(" [blocker]"),
        Severity::Advisory => label.push_str(" [advisory]"),
        Severity::Default => {}
    }
    if gate.points != 1.0 {
        label.push_str(&format!(" [{} pts]", gate.points));
    }
    label
}

/// Evidence as people want to see it: an evidence item becomes its file(s).
pub fn evidence_files(outcome: &Outcome, used: &[String]) -> Vec<String> {
    let mut shown = Vec::new();
    for name in used {
        match outcome.evidence.iter().find(|item| &item.name == name) {
            Some(item) if !item.files.is_empty() => {
                shown.extend(item.files.iter().map(|file| file.path.clone()));
            }
            _ => shown.push(name.clone()),
        }
    }
    shown.dedup();
    shown
}

/// The counted gates that failed or are unknown, most points to gain first, each with what it
/// would take to pass (or why it is unknown), one step per expectation not passed.
pub fn by_points_to_gain(outcome: &Outcome) -> Vec<(&GateOutcome, Vec<String>)> {
    let mut gates: Vec<(&GateOutcome, Vec<String>)> = outcome
        .categories
        .iter()
        .flat_map(|category| category.gates.iter())
        .filter(|gate| gate.points_to_gain.is_some())
        .map(|gate| {
            let steps = gate
                .expectations
                .iter()
                .filter_map(|e| match (e.status, &e.to_pass, &e.reason) {
                    (Status::Fail, Some(to_pass), _) => Some(to_pass.clone()),
                    (Status::Fail, None, _) => Some(format!("`{}` must hold", e.text)),
                    (Status::Unknown, _, Some(reason)) => Some(format!("unknown: {reason}")),
                    (Status::Unknown, _, None) => Some(format!("`{}` is unknown", e.text)),
                    _ => None,
                })
                .collect();
            (gate, steps)
        })
        .collect();
    let gain = |gate: &GateOutcome| gate.points_to_gain.as_ref().map(|p| p.pct).unwrap_or(0.0);
    gates.sort_by(|a, b| gain(b.0).total_cmp(&gain(a.0)));
    gates
}

/// Renders the report.
pub fn render(outcome: &Outcome, color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    out.push_str(&style.bold(&format!("readiness-gate · {}", t(&outcome.policy.name))));
    out.push_str(&style.dim(&format!("  ({})", t(&outcome.policy.file))));
    out.push_str("\n\n");
    let gate_width = outcome
        .categories
        .iter()
        .flat_map(|category| category.gates.iter())
        .map(|gate| gate_label(gate).chars().count())
        .max()
        .unwrap_or(10)
        .clamp(10, 44);
    for category in &outcome.categories {
        let share = category
            .share
            .as_ref()
            .map(|share| format!("{} of points", share.display))
            .unwrap_or_else(|| "nothing counted".to_string());
        let contribution = category
            .contribution
            .as_ref()
            .map(|c| format!(" → {} of the score", c.display))
            .unwrap_or_default();
        out.push_str(&style.bold(&t(&category.name)));
        out.push_str(&style.dim(&format!(
            "  weight {} · {}/{} points · {share}{contribution}",
            category.weight, category.points_passed, category.points_counted
        )));
        out.push('\n');
        for gate in &category.gates {
            let label = clip(&gate_label(gate), gate_width);
            let mut first = true;
            for expectation in &gate.expectations {
                let lead = if first {
                    format!("  {} {:<gate_width$}", style.status(gate.status), label)
                } else {
                    format!("  {:<7} {:<gate_width$}", "", "")
                };
                let figure = expectation
                    .actual
                    .as_deref()
                    .map_or_else(|| "—".to_string(), t);
                let required = expectation
                    .required
                    .as_ref()
                    .map(|r| format!("need {}", t(r)))
                    .unwrap_or_default();
                let evidence = clip(
                    &t(&evidence_files(outcome, &expectation.evidence).join(", ")),
                    40,
                );
                let mark = if gate.expectations.len() > 1 && expectation.status != gate.status {
                    format!("({}) ", expectation.status.label().to_lowercase())
                } else {
                    String::new()
                };
                let line = format!(
                    "{lead}  {:<EXPECTATION_WIDTH$}  {:>FIGURE_WIDTH$}  {:<14}  {}",
                    clip(
                        &format!("{mark}{}", t(&expectation.text)),
                        EXPECTATION_WIDTH
                    ),
                    clip(&figure, FIGURE_WIDTH),
                    required,
                    style.dim(&evidence)
                );
                out.push_str(line.trim_end());
                out.push('\n');
                if let Some(reason) = &expectation.reason {
                    if matches!(expectation.status, Status::Unknown | Status::Fail) {
                        out.push_str(&format!(
                            "  {:<7} {:<gate_width$}  {}\n",
                            "",
                            "",
                            style.dim(&format!("└ {}", t(reason)))
                        ));
                    }
                }
                if let (Some(help), Status::Fail | Status::Unknown) =
                    (&expectation.help, expectation.status)
                {
                    out.push_str(&format!(
                        "  {:<7} {:<gate_width$}  {}\n",
                        "",
                        "",
                        style.dim(&format!("help: {}", t(help)))
                    ));
                }
                first = false;
            }
            if let Some(note) = &gate.note {
                out.push_str(&format!(
                    "  {:<7} {:<gate_width$}  {}\n",
                    "",
                    "",
                    style.dim(&t(note))
                ));
            }
        }
        out.push('\n');
    }
    let gains = by_points_to_gain(outcome);
    if !gains.is_empty() {
        out.push_str(&style.bold("what it would take, by points to gain"));
        out.push('\n');
        for (gate, steps) in &gains {
            let points = gate
                .points_to_gain
                .as_ref()
                .map(|p| format!("+{}", p.display))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {points:>8}  {}: {}\n",
                gate_label(gate),
                t(&steps.join("; "))
            ));
        }
        out.push('\n');
    }
    let problems: Vec<_> = outcome
        .evidence
        .iter()
        .filter(|e| e.problem.is_some())
        .collect();
    if !problems.is_empty() {
        out.push_str(&style.bold("evidence problems"));
        out.push('\n');
        for evidence in problems {
            out.push_str(&format!(
                "  {:<12} {}\n",
                t(&evidence.name),
                t(evidence.problem.as_deref().unwrap_or(""))
            ));
        }
        out.push('\n');
    }
    for diagnostic in &outcome.diagnostics {
        let place = diagnostic
            .position
            .as_ref()
            .map(|p| format!("{}:{}:{}", t(&diagnostic.file), p.line, p.column))
            .unwrap_or_else(|| t(&diagnostic.file));
        out.push_str(&format!(
            "warning[{}]: {} ({place})\n",
            t(&diagnostic.code),
            t(&diagnostic.message)
        ));
        if let Some(help) = &diagnostic.help {
            out.push_str(&format!("  help: {}\n", t(help)));
        }
    }
    if !outcome.diagnostics.is_empty() {
        out.push('\n');
    }
    let score = outcome
        .score
        .as_ref()
        .map(|s| s.display.clone())
        .unwrap_or_else(|| "—".to_string());
    let level = outcome
        .level
        .as_deref()
        .map_or_else(|| "none".to_string(), t);
    out.push_str(&format!(
        "score {}  (target {})  ·  level {}\n",
        style.bold(&score),
        outcome.target.display,
        style.bold(&level)
    ));
    let verdict = if outcome.ready { "READY" } else { "NOT READY" };
    out.push_str(&format!(
        "{}: {}\n",
        style.verdict(outcome.ready, verdict),
        t(&outcome.reason)
    ));
    out
}
