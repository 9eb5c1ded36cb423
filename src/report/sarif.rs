//! `--format sarif`: SARIF 2.1.0 for code scanning (`github/codeql-action/upload-sarif`) and other
//! SARIF viewers. Valid against the OASIS SARIF 2.1.0 schema (a test checks it).
//!
//! * One **rule** per gate (`id` = `gate/<gate name in kebab case>`; the gate's category,
//!   severity and points in `properties`), plus `evidence/unresolved-import` and
//!   `evidence/failing-test` for what artifacts point at.
//! * One **result** per expectation that failed or is unknown, located at the expectation in the
//!   policy file (line and column), with the evidence files as related locations. Levels: blocker
//!   and scored gates `error`, advisory gates `warning`. A gate an active waiver covers gives
//!   its result with an accepted external **suppression** carrying the waiver's reason. Passing
//!   and n/a gates give no result.
//! * One result per failing test and unresolved import (their file and line) of evidence that a
//!   gate that did not pass used.
//!
//! Every location is a non-empty, repository-relative URI (`%`-encoded; absolute paths become
//! `file://` URIs). The verdict, score, target and level are in the run's `properties`.

use super::{concern, evidence_concern, repo_path, Concern};
use crate::eval::{FindingKind, Outcome, Status};
use crate::syntax::ast::Severity;
use serde_json::{json, Map, Value};

/// The schema URI put in `$schema`.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The rule of a finding kind: id, name, description.
fn finding_rule(kind: FindingKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        FindingKind::UnresolvedImport => (
            "evidence/unresolved-import",
            "unresolved import",
            "A module the build could not resolve, as the build log reports it.",
        ),
        FindingKind::FailingTest => (
            "evidence/failing-test",
            "failing test",
            "A test that failed or errored, as the test report says.",
        ),
        FindingKind::DependencyProblem => (
            "evidence/dependency-problem",
            "dependency problem",
            "A dependency problem (missing, invalid or conflicting package) as the package manager reports it.",
        ),
        FindingKind::LoadEndpoint => (
            "evidence/load-endpoint",
            "load-test endpoint",
            "The figures of one endpoint of a load test whose gate did not pass.",
        ),
    }
}

/// Kebab case of a gate name, for rule ids: lowercase ASCII letters and digits, `-` between words.
fn kebab(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "gate".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A URI reference for a repository path: `%`-encoded, absolute paths as `file://` URIs.
pub fn uri(path: &str) -> String {
    let mut encoded = String::new();
    for byte in path.bytes() {
        let c = char::from(byte);
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/') {
            encoded.push(c);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else if path.get(1..3) == Some(":/") {
        format!("file:///{encoded}")
    } else {
        encoded
    }
}

fn level(concern: Concern) -> &'static str {
    match concern {
        Concern::Blocker | Concern::Gate | Concern::Waived => "error",
        Concern::Advisory => "warning",
    }
}

fn default_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Advisory => "warning",
        Severity::Blocker | Severity::Default => "error",
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocker => "blocker",
        Severity::Advisory => "advisory",
        Severity::Default => "default",
    }
}

fn location(path: &str, line: usize, column: Option<usize>) -> Value {
    let mut region = Map::new();
    region.insert("startLine".into(), json!(line.max(1)));
    if let Some(column) = column {
        region.insert("startColumn".into(), json!(column.max(1)));
    }
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(path) },
            "region": region,
        }
    })
}

/// Renders the SARIF log. `workspace_prefix` is the workspace's directory in the repository.
pub fn render(outcome: &Outcome, workspace_prefix: &str) -> String {
    let policy_path = repo_path(workspace_prefix, &outcome.policy.file);
    let mut rules = Vec::new();
    let mut rule_ids: Vec<String> = Vec::new();
    let mut results = Vec::new();

    for gate in outcome.categories.iter().flat_map(|c| c.gates.iter()) {
        let mut id = format!("gate/{}", kebab(&gate.name));
        let base = id.clone();
        let mut n = 2;
        while rule_ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let expectations: Vec<String> = gate
            .expectations
            .iter()
            .map(|e| format!("expect {}", e.text))
            .collect();
        rules.push(json!({
            "id": id,
            "name": gate.name,
            "shortDescription": { "text": format!("readiness gate `{}` ({})", gate.name, gate.category) },
            "fullDescription": { "text": expectations.join("; ") },
            "help": { "text": format!("The policy `{}` requires: {}. `gate check` shows the measured figures and the evidence they came from.", outcome.policy.file, expectations.join("; ")) },
            "defaultConfiguration": { "level": default_level(gate.severity) },
            "properties": {
                "category": gate.category,
                "severity": severity_name(gate.severity),
                "points": gate.points,
                "tags": ["readiness", gate.category],
            },
        }));
        let rule_index = rule_ids.len();
        rule_ids.push(id.clone());

        let Some(concern) = concern(gate) else {
            continue;
        };
        for expectation in gate
            .expectations
            .iter()
            .filter(|e| matches!(e.status, Status::Fail | Status::Unknown))
        {
            let mut text = if expectation.status == Status::Unknown {
                format!("Gate `{}` is unknown: `{}`", gate.name, expectation.text)
            } else {
                format!("Gate `{}` failed: `{}`", gate.name, expectation.text)
            };
            match (&expectation.actual, &expectation.required) {
                (Some(actual), Some(required)) => {
                    text.push_str(&format!(": measured {actual}, required {required}."))
                }
                (Some(actual), None) => text.push_str(&format!(": measured {actual}.")),
                _ => text.push('.'),
            }
            if let Some(reason) = &expectation.reason {
                text.push(' ');
                text.push_str(reason.trim_end_matches('.'));
                text.push('.');
            }
            if let Some(help) = &expectation.help {
                text.push_str(" Help: ");
                text.push_str(help.trim_end_matches('.'));
                text.push('.');
            }
            let related: Vec<Value> = super::human::evidence_files(outcome, &expectation.evidence)
                .iter()
                .filter(|file| {
                    // Real files only: not a missing item's name, `… and N more`, or `base.x`.
                    !file.starts_with('…')
                        && !file.starts_with("base.")
                        && !outcome.evidence.iter().any(|item| &&item.name == file)
                })
                .enumerate()
                .map(|(i, file)| {
                    json!({
                        "id": i,
                        "physicalLocation": { "artifactLocation": { "uri": uri(&repo_path(workspace_prefix, file)) } },
                        "message": { "text": "evidence" },
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": id,
                "ruleIndex": rule_index,
                "level": level(concern),
                "message": { "text": text },
                "locations": [location(&policy_path, expectation.line, Some(expectation.column))],
                "properties": {
                    "status": if expectation.status == Status::Unknown { "unknown" } else { "fail" },
                    "gateStatus": gate.status.label().to_lowercase(),
                    "category": gate.category,
                    "severity": severity_name(gate.severity),
                    "actual": expectation.actual,
                    "required": expectation.required,
                },
            });
            if let Some(object) = result.as_object_mut() {
                if !related.is_empty() {
                    object.insert("relatedLocations".into(), Value::Array(related));
                }
                if concern == Concern::Waived {
                    object.insert(
                        "suppressions".into(),
                        json!([{
                            "kind": "external",
                            "status": "accepted",
                            "justification": gate.note.clone().unwrap_or_else(|| "waived".to_string()),
                        }]),
                    );
                }
            }
            results.push(result);
        }
    }

    let mut used_finding_rules: Vec<FindingKind> = Vec::new();
    for item in &outcome.evidence {
        let Some(concern) = evidence_concern(outcome, &item.name) else {
            continue;
        };
        for finding in &item.findings {
            let (rule, _, _) = finding_rule(finding.kind);
            if !used_finding_rules.contains(&finding.kind) {
                used_finding_rules.push(finding.kind);
            }
            // Where the tool names no source file, the artifact itself is the place.
            let (place, at) = match (finding.file.is_empty(), item.files.first()) {
                (false, _) => (
                    finding.file.as_str(),
                    finding.line.map_or(1, |l| l as usize),
                ),
                (true, Some(source)) => (source.path.as_str(), 1),
                (true, None) => continue,
            };
            let mut result = json!({
                "ruleId": rule,
                "level": level(concern),
                "message": { "text": format!("{} (evidence `{}`)", finding.message, item.name) },
                "locations": [location(&repo_path(workspace_prefix, place), at, None)],
            });
            if let (Some(source), Some(object)) = (item.files.first(), result.as_object_mut()) {
                object.insert(
                    "relatedLocations".into(),
                    json!([{
                        "id": 0,
                        "physicalLocation": { "artifactLocation": { "uri": uri(&repo_path(workspace_prefix, &source.path)) } },
                        "message": { "text": "the artifact that reported it" },
                    }]),
                );
            }
            if concern == Concern::Waived {
                if let Some(object) = result.as_object_mut() {
                    object.insert(
                        "suppressions".into(),
                        json!([{ "kind": "external", "status": "accepted", "justification": "the gate that used this evidence is waived" }]),
                    );
                }
            }
            results.push(result);
        }
    }
    for kind in used_finding_rules {
        let (rule, name, text) = finding_rule(kind);
        let index = rule_ids.len();
        rule_ids.push(rule.to_string());
        rules.push(json!({
            "id": rule,
            "name": name,
            "shortDescription": { "text": text },
            "defaultConfiguration": { "level": "error" },
            "properties": { "tags": ["readiness", "evidence"] },
        }));
        for result in results.iter_mut() {
            if result.get("ruleId").and_then(Value::as_str) == Some(rule) {
                if let Some(object) = result.as_object_mut() {
                    object.insert("ruleIndex".into(), json!(index));
                }
            }
        }
    }

    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "readiness-gate",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "automationDetails": { "id": format!("readiness-gate/{}/", kebab(&outcome.policy.name)) },
            "results": results,
            "properties": {
                "policy": outcome.policy.name,
                "policyFile": policy_path,
                "verdict": if outcome.ready { "ready" } else { "not_ready" },
                "reason": outcome.reason,
                "score": outcome.score.as_ref().map(|s| s.pct),
                "target": outcome.target.pct,
                "level": outcome.level,
            },
        }]
    });
    let mut log = log;
    plain_strings(&mut log);
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

/// Every string of the log through [`super::escape::plain`]: names, messages and paths come
/// from the policy and the artifacts.
fn plain_strings(value: &mut Value) {
    match value {
        Value::String(text) => *text = super::escape::plain(text),
        Value::Array(items) => items.iter_mut().for_each(plain_strings),
        Value::Object(map) => map.values_mut().for_each(plain_strings),
        _ => {}
    }
}
