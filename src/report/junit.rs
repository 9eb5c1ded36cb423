//! `--format junit`: the gates as JUnit XML test cases, for CI test-result views (GitLab,
//! Jenkins, Azure Pipelines, test-reporter actions).
//!
//! One `<testsuite>` per category, one `<testcase>` per gate (`classname` = `readiness.<category>`,
//! `file` and `line` = the gate in the policy):
//!
//! | gate | element |
//! |---|---|
//! | pass | none (passed) |
//! | fail (blocker or scored) | `<failure type="fail">`, one line per expectation that failed |
//! | unknown (blocker or scored) | `<error type="unknown">`: the evidence could not decide |
//! | advisory that failed or is unknown | `<skipped>` saying so (advisory gates are never scored) |
//! | waived | `<skipped>` with the waiver |
//! | n/a | `<skipped>` with why |
//!
//! The `tests`/`failures`/`errors`/`skipped` attributes of every suite and of `<testsuites>` are
//! the counts of these elements, so any JUnit reader (ours included, a test checks) agrees.

use super::escape::{xml, xml_comment, xml_text};
use super::{concern, repo_path, Concern};
use crate::eval::{GateOutcome, Outcome, Status};

enum Element {
    Passed,
    Failure(String, String),
    Error(String, String),
    Skipped(String),
}

/// Findings listed per evidence item in a failure's text.
const FINDINGS_PER_ITEM: usize = 10;

fn detail(outcome: &Outcome, gate: &GateOutcome) -> String {
    let mut lines = Vec::new();
    for expectation in gate
        .expectations
        .iter()
        .filter(|e| matches!(e.status, Status::Fail | Status::Unknown))
    {
        let mut line = format!(
            "{}: expect {}",
            expectation.status.label(),
            expectation.text
        );
        match (&expectation.actual, &expectation.required) {
            (Some(actual), Some(required)) => {
                line.push_str(&format!(" (measured {actual}, required {required})"))
            }
            (Some(actual), None) => line.push_str(&format!(" (measured {actual})")),
            _ => {}
        }
        if let Some(reason) = &expectation.reason {
            line.push_str(&format!(" — {reason}"));
        }
        if !expectation.evidence.is_empty() {
            line.push_str(&format!(" [evidence: {}]", expectation.evidence.join(", ")));
        }
        if let Some(help) = &expectation.help {
            line.push_str(&format!(" help: {help}"));
        }
        lines.push(line);
    }
    for group in super::findings_by_gate(outcome) {
        if let super::GateFindings::Items { gate: of, item } = group {
            if !std::ptr::eq(of, gate) {
                continue;
            }
            for finding in item.findings.iter().take(FINDINGS_PER_ITEM) {
                let at = match (finding.file.is_empty(), finding.line) {
                    (true, _) => String::new(),
                    (false, Some(line)) => {
                        format!("{}:{line}: ", super::display_path(&finding.file))
                    }
                    (false, None) => format!("{}: ", super::display_path(&finding.file)),
                };
                let detail = if finding.detail.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", finding.detail)
                };
                lines.push(format!(
                    "  {} {at}{}{detail}",
                    finding.kind.label(),
                    finding.subject
                ));
            }
            if item.findings.len() > FINDINGS_PER_ITEM {
                lines.push(format!(
                    "  and {} more (see the JSON report)",
                    item.findings.len() - FINDINGS_PER_ITEM
                ));
            }
        }
    }
    lines.join("\n")
}

fn first_reason(gate: &GateOutcome) -> String {
    let expectation = gate
        .expectations
        .iter()
        .find(|e| matches!(e.status, Status::Fail | Status::Unknown));
    match expectation {
        Some(e) => match (&e.actual, &e.required, &e.reason) {
            (Some(actual), Some(required), _) => {
                format!("`{}`: measured {actual}, required {required}", e.text)
            }
            (_, _, Some(reason)) => format!("`{}`: {reason}", e.text),
            _ => format!("`{}` did not pass", e.text),
        },
        None => String::from("did not pass"),
    }
}

fn element(outcome: &Outcome, gate: &GateOutcome) -> Element {
    match (concern(gate), gate.status) {
        (Some(Concern::Blocker | Concern::Gate), Status::Unknown) => Element::Error(
            format!("unknown: {}", first_reason(gate)),
            detail(outcome, gate),
        ),
        (Some(Concern::Blocker | Concern::Gate), _) => Element::Failure(
            format!("failed: {}", first_reason(gate)),
            detail(outcome, gate),
        ),
        (Some(Concern::Advisory), status) => Element::Skipped(format!(
            "advisory gate {} (not scored): {}",
            if status == Status::Unknown {
                "unknown"
            } else {
                "failed"
            },
            first_reason(gate)
        )),
        (Some(Concern::Waived), _) => {
            Element::Skipped(gate.note.clone().unwrap_or_else(|| "waived".to_string()))
        }
        (None, Status::NotApplicable) => {
            Element::Skipped(gate.note.clone().unwrap_or_else(|| "n/a".to_string()))
        }
        (None, Status::Waived) => {
            Element::Skipped(gate.note.clone().unwrap_or_else(|| "waived".to_string()))
        }
        (None, _) => Element::Passed,
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, element: &Element) {
        self.tests += 1;
        match element {
            Element::Passed => {}
            Element::Failure(..) => self.failures += 1,
            Element::Error(..) => self.errors += 1,
            Element::Skipped(_) => self.skipped += 1,
        }
    }

    fn attributes(&self) -> String {
        format!(
            "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

/// Renders the JUnit XML. `workspace_prefix` (the workspace's directory in the repository) makes
/// the `file` attributes repository-relative.
pub fn render(outcome: &Outcome, workspace_prefix: &str) -> String {
    let policy_path = repo_path(workspace_prefix, &outcome.policy.file);
    let mut total = Counts::default();
    let mut suites = String::new();
    for (index, category) in outcome.categories.iter().enumerate() {
        let mut counts = Counts::default();
        let mut cases = String::new();
        for gate in &category.gates {
            let element = element(outcome, gate);
            counts.add(&element);
            cases.push_str(&format!(
                "    <testcase classname=\"readiness.{}\" name=\"{}\" file=\"{}\" line=\"{}\" time=\"0\"",
                xml(&category.name),
                xml(&gate.name),
                xml(&policy_path),
                gate.line
            ));
            match &element {
                Element::Passed => cases.push_str("/>\n"),
                Element::Failure(message, text) => cases.push_str(&format!(
                    ">\n      <failure type=\"fail\" message=\"{}\">{}</failure>\n    </testcase>\n",
                    xml(message),
                    xml_text(text)
                )),
                Element::Error(message, text) => cases.push_str(&format!(
                    ">\n      <error type=\"unknown\" message=\"{}\">{}</error>\n    </testcase>\n",
                    xml(message),
                    xml_text(text)
                )),
                Element::Skipped(message) => {
                    cases.push_str(&format!(">\n      <skipped message=\"{}\"/>\n    </testcase>\n", xml(message)))
                }
            }
        }
        total.tests += counts.tests;
        total.failures += counts.failures;
        total.errors += counts.errors;
        total.skipped += counts.skipped;
        let share = category
            .share
            .as_ref()
            .map(|s| s.display.clone())
            .unwrap_or_else(|| "-".into());
        suites.push_str(&format!(
            "  <testsuite id=\"{index}\" name=\"{}\" {} time=\"0\">\n    <properties>\n      <property name=\"weight\" value=\"{}\"/>\n      <property name=\"share\" value=\"{}\"/>\n    </properties>\n{cases}  </testsuite>\n",
            xml(&category.name),
            counts.attributes(),
            category.weight,
            xml(&share),
        ));
    }
    let score = outcome
        .score
        .as_ref()
        .map(|s| s.display.clone())
        .unwrap_or_else(|| "no score".into());
    let verdict = if outcome.ready { "ready" } else { "not ready" };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- readiness-gate: {} — {verdict}, score {} (target {}) -->\n<testsuites name=\"readiness: {}\" {} time=\"0\">\n{suites}</testsuites>\n",
        xml_comment(&outcome.policy.name),
        xml_comment(&score),
        xml_comment(&outcome.target.display),
        xml(&outcome.policy.name),
        total.attributes(),
    )
}
