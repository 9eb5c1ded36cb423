//! The terminal report: per category, each gate with its status and every expectation marked
//! (✓ passed, ✗ failed, ? unknown, – n/a), the figure against what it needs and the evidence;
//! under a gate not passed, what the artifacts say (failing tests, unresolved imports, dependency
//! problems, endpoints, patch coverage, matched files), within a budget. Then what it would take,
//! by points to gain, the score, level and verdict.
//!
//! It fits the width the binary gives (terminal size, `COLUMNS`, else 100): long lines wrap
//! (`textwrap`, measured in display columns), nothing is clipped. Colour only when asked (the
//! binary decides with `anstream`: `--color`, `NO_COLOR`, `CLICOLOR_FORCE`, a terminal or not).
//! Every text from the outcome goes through [`super::escape::terminal`].

use super::escape::terminal as t;
use super::{findings_by_gate, GateFindings};
use crate::eval::{GateOutcome, Outcome, Status};
use crate::syntax::ast::Severity;
use anstyle::{AnsiColor, Effects, Style as Ansi};

/// The width when the binary knows none.
pub const DEFAULT_WIDTH: usize = 100;
/// Findings listed per evidence item.
pub const FINDINGS_PER_ITEM: usize = 10;

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub color: bool,
    /// Display columns available.
    pub width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            color: false,
            width: DEFAULT_WIDTH,
        }
    }
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, style: Ansi, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    fn status(&self, status: Status) -> String {
        let label = format!("{:<7}", status.label());
        let style = match status {
            Status::Pass => Ansi::new().fg_color(Some(AnsiColor::Green.into())),
            Status::Fail => Ansi::new()
                .fg_color(Some(AnsiColor::Red.into()))
                .effects(Effects::BOLD),
            Status::Unknown => Ansi::new()
                .fg_color(Some(AnsiColor::Yellow.into()))
                .effects(Effects::BOLD),
            Status::NotApplicable => Ansi::new().effects(Effects::DIMMED),
            Status::Waived => Ansi::new().fg_color(Some(AnsiColor::Cyan.into())),
        };
        self.paint(style, &label)
    }

    fn bold(&self, text: &str) -> String {
        self.paint(Ansi::new().effects(Effects::BOLD), text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint(Ansi::new().effects(Effects::DIMMED), text)
    }

    fn verdict(&self, ready: bool, text: &str) -> String {
        let color = if ready {
            AnsiColor::Green
        } else {
            AnsiColor::Red
        };
        self.paint(
            Ansi::new()
                .fg_color(Some(color.into()))
                .effects(Effects::BOLD),
            text,
        )
    }
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Fail => "✗",
        Status::Unknown => "?",
        Status::NotApplicable => "–",
        Status::Waived => "~",
    }
}

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

/// Wraps `text` (already escaped, without colour) to `width` columns, the first line after
/// `first`, the others after `rest`; each line ends with `\n`.
fn wrap(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    let options = textwrap::Options::new(width.max(20))
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(true);
    for line in textwrap::wrap(text, &options) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// Renders the report at the default width.
pub fn render(outcome: &Outcome, color: bool) -> String {
    render_with(
        outcome,
        &Options {
            color,
            width: DEFAULT_WIDTH,
        },
    )
}

/// Renders the report.
pub fn render_with(outcome: &Outcome, options: &Options) -> String {
    let style = Style {
        color: options.color,
    };
    let width = options.width.max(40);
    let mut out = String::new();
    out.push_str(&style.bold(&format!("readiness-gate · {}", t(&outcome.policy.name))));
    out.push_str(&style.dim(&format!("  ({})", t(&outcome.policy.file))));
    out.push_str("\n\n");
    let findings = findings_by_gate(outcome);
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
            gate_lines(&mut out, outcome, gate, &findings, &style, width);
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
            wrap(
                &mut out,
                &format!("{}: {}", gate_label(gate), t(&steps.join("; "))),
                width,
                &format!("  {points:>8}  "),
                &" ".repeat(12),
            );
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
            wrap(
                &mut out,
                &format!(
                    "{}: {}",
                    t(&evidence.name),
                    t(evidence.problem.as_deref().unwrap_or(""))
                ),
                width,
                "  ",
                "    ",
            );
        }
        out.push('\n');
    }
    for diagnostic in &outcome.diagnostics {
        let place = diagnostic
            .position
            .as_ref()
            .map(|p| format!("{}:{}:{}", t(&diagnostic.file), p.line, p.column))
            .unwrap_or_else(|| t(&diagnostic.file));
        wrap(
            &mut out,
            &format!(
                "warning[{}]: {} ({place})",
                t(diagnostic.code),
                t(&diagnostic.message)
            ),
            width,
            "",
            "  ",
        );
        if let Some(help) = &diagnostic.help {
            wrap(&mut out, &format!("help: {}", t(help)), width, "  ", "    ");
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
    let reason = t(&outcome.reason);
    let mut verdict_lines = String::new();
    wrap(
        &mut verdict_lines,
        &format!("{verdict}: {reason}"),
        width,
        "",
        "  ",
    );
    out.push_str(&verdict_lines.replacen(verdict, &style.verdict(outcome.ready, verdict), 1));
    out
}

fn gate_lines(
    out: &mut String,
    outcome: &Outcome,
    gate: &GateOutcome,
    findings: &[GateFindings<'_>],
    style: &Style,
    width: usize,
) {
    // `  STATUS  gate label`, then every expectation on its own line(s) under it.
    let mut head = String::new();
    wrap(
        &mut head,
        &gate_label(gate),
        width,
        "          ",
        "          ",
    );
    let head = head.replacen(
        "          ",
        &format!("  {} ", style.status(gate.status)),
        1,
    );
    out.push_str(&head);
    let indent = "      ";
    let follow = "          ";
    let not_passed = matches!(gate.status, Status::Fail | Status::Unknown | Status::Waived);
    for expectation in &gate.expectations {
        let figure = match (&expectation.actual, expectation.status) {
            (Some(actual), _) => t(actual),
            (None, Status::Unknown) => "unknown".to_string(),
            (None, _) => "—".to_string(),
        };
        let required = expectation
            .required
            .as_ref()
            .map(|r| format!(" (need {})", t(r)))
            .unwrap_or_default();
        let evidence = t(&evidence_files(outcome, &expectation.evidence)
            .iter()
            .map(|file| super::display_path(file))
            .collect::<Vec<_>>()
            .join(", "));
        let evidence = if evidence.is_empty() {
            String::new()
        } else {
            format!(" · {evidence}")
        };
        let line = format!(
            "{} {} → {figure}{required}{evidence}",
            mark(expectation.status),
            t(&expectation.text)
        );
        let mut text = String::new();
        wrap(&mut text, &line, width, indent, follow);
        out.push_str(&text);
        if matches!(expectation.status, Status::Unknown | Status::Fail) {
            if let Some(reason) = &expectation.reason {
                let mut text = String::new();
                wrap(
                    &mut text,
                    &format!("└ {}", t(reason)),
                    width,
                    follow,
                    follow,
                );
                out.push_str(&style.dim(text.trim_end_matches('\n')));
                out.push('\n');
            }
            if let Some(help) = &expectation.help {
                let mut text = String::new();
                wrap(
                    &mut text,
                    &format!("help: {}", t(help)),
                    width,
                    follow,
                    follow,
                );
                out.push_str(&style.dim(text.trim_end_matches('\n')));
                out.push('\n');
            }
        }
    }
    if let Some(note) = &gate.note {
        let mut text = String::new();
        wrap(&mut text, &t(note), width, indent, indent);
        out.push_str(&style.dim(text.trim_end_matches('\n')));
        out.push('\n');
    }
    if !not_passed {
        return;
    }
    for group in findings {
        match group {
            GateFindings::Items { gate: of, item } if std::ptr::eq(*of, gate) => {
                let kind = item.findings.first().map_or("finding", |f| f.kind.label());
                let count = item.findings.len();
                out.push_str(&format!(
                    "{follow}{}\n",
                    style.bold(&format!(
                        "{count} {kind}{}:",
                        if count == 1 { "" } else { "s" }
                    ))
                ));
                for finding in item.findings.iter().take(FINDINGS_PER_ITEM) {
                    let at = if finding.file.is_empty() {
                        String::new()
                    } else {
                        match finding.line {
                            Some(line) => {
                                format!("{}:{line}  ", super::display_path(&finding.file))
                            }
                            None => format!("{}  ", super::display_path(&finding.file)),
                        }
                    };
                    let detail = if finding.detail.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", finding.detail)
                    };
                    wrap(
                        out,
                        &t(&format!("{at}{}{detail}", finding.subject)),
                        width,
                        &format!("{follow}  "),
                        &format!("{follow}    "),
                    );
                }
                if count > FINDINGS_PER_ITEM {
                    out.push_str(&format!(
                        "{follow}  … and {} more (`--format json` lists them)\n",
                        count - FINDINGS_PER_ITEM
                    ));
                }
            }
            GateFindings::Patch {
                gate: of,
                item,
                patch,
            } if std::ptr::eq(*of, gate) => {
                let mut lines = format!("patch coverage of {}", t(&item.name));
                if let Some(ratio) = &patch.lines {
                    lines.push_str(&format!(
                        ": {} of {} changed lines covered",
                        ratio.covered, ratio.total
                    ));
                }
                out.push_str(&format!("{follow}{}\n", style.bold(&lines)));
                for file in patch.files.iter().take(FINDINGS_PER_ITEM) {
                    let uncovered: Vec<u32> = patch
                        .uncovered
                        .iter()
                        .filter(|l| l.file == file.path)
                        .map(|l| l.line)
                        .collect();
                    let ranges: Vec<String> = super::markdown::ranges(&uncovered)
                        .into_iter()
                        .map(|(a, b)| {
                            if a == b {
                                a.to_string()
                            } else {
                                format!("{a}-{b}")
                            }
                        })
                        .collect();
                    let missing = if ranges.is_empty() {
                        String::new()
                    } else {
                        format!(", uncovered {}", ranges.join(", "))
                    };
                    wrap(
                        out,
                        &t(&format!(
                            "{} {}/{}{missing}",
                            super::display_path(&file.path),
                            file.lines.covered,
                            file.lines.total
                        )),
                        width,
                        &format!("{follow}  "),
                        &format!("{follow}    "),
                    );
                }
            }
            // The files a repository fact matched are on its expectation's line already.
            _ => {}
        }
    }
}
