//! The semantic diff of two snapshots: what `gate test` prints for a changed case.

use super::snapshot::{EvidenceSnapshot, GateSnapshot, Snapshot};
use crate::lifecycle::pairing::{by_name, Paired};

/// The differences between an expected and an actual snapshot, one readable line each, most
/// important first: verdict, score, level, then gates in policy order, evidence, waivers.
pub fn diff_snapshots(expected: &Snapshot, actual: &Snapshot) -> Vec<String> {
    let mut diff = Vec::new();
    let mut changed = |what: &str, before: &str, after: &str| {
        if before != after {
            diff.push(format!("{what}: {before} -> {after}"));
        }
    };
    changed("verdict", &expected.verdict, &actual.verdict);
    changed("score", &expected.score, &actual.score);
    changed("level", &expected.level, &actual.level);
    if expected.policy != actual.policy {
        diff.push(format!(
            "policy name: `{}` -> `{}`",
            expected.policy, actual.policy
        ));
    }
    for category in &actual.categories {
        let before = expected.categories.iter().find(|c| c.name == category.name);
        match before {
            None => diff.push(format!(
                "category `{}` is new ({})",
                category.name, category.points
            )),
            Some(before) if before.points != category.points => diff.push(format!(
                "category `{}`: {} -> {}",
                category.name, before.points, category.points
            )),
            Some(_) => {}
        }
    }
    for category in &expected.categories {
        if !actual.categories.iter().any(|c| c.name == category.name) {
            diff.push(format!("category `{}` is gone", category.name));
        }
    }
    let gates = |snapshot: &Snapshot| -> Vec<PlacedGate> {
        snapshot
            .categories
            .iter()
            .flat_map(|category| {
                category.gates.iter().map(|gate| PlacedGate {
                    category: category.name.clone(),
                    gate: gate.clone(),
                })
            })
            .collect()
    };
    let expected_gates = gates(expected);
    let actual_gates = gates(actual);
    for pairing in by_name(&expected_gates, &actual_gates, |placed| &placed.gate.name) {
        let (before_category, before, category, gate) = match pairing {
            Paired::Added(PlacedGate { gate, .. }) => {
                diff.push(format!("gate `{}` is new: {}", gate.name, gate.status));
                continue;
            }
            Paired::Removed(PlacedGate { gate, .. }) => {
                diff.push(format!(
                    "gate `{}` is gone (was {})",
                    gate.name, gate.status
                ));
                continue;
            }
            Paired::Both(old, new) => (&old.category, &old.gate, &new.category, &new.gate),
        };
        let mut parts = Vec::new();
        if before.status != gate.status {
            parts.push(format!("{} -> {}", before.status, gate.status));
        }
        if before_category != category {
            parts.push(format!("moved from `{before_category}` to `{category}`"));
        }
        if before.traits != gate.traits {
            parts.push(format!(
                "[{}] -> [{}]",
                before.traits.join(", "),
                gate.traits.join(", ")
            ));
        }
        if before.result != gate.result {
            parts.push(format!(
                "result {} -> {}",
                before.result.as_deref().unwrap_or("-"),
                gate.result.as_deref().unwrap_or("-")
            ));
        }
        for expectation in &gate.expectations {
            let Some(old) = before
                .expectations
                .iter()
                .find(|e| e.text == expectation.text)
            else {
                parts.push(format!(
                    "new expectation `{}`: {}",
                    expectation.text, expectation.status
                ));
                continue;
            };
            let mut changes = Vec::new();
            if old.status != expectation.status {
                changes.push(format!("{} -> {}", old.status, expectation.status));
            }
            for (label, before, after) in [
                ("", &old.actual, &expectation.actual),
                ("need ", &old.need, &expectation.need),
                ("unknown because ", &old.why, &expectation.why),
            ] {
                if before != after {
                    changes.push(format!(
                        "{label}{} -> {}",
                        before.as_deref().unwrap_or("-"),
                        after.as_deref().unwrap_or("-")
                    ));
                }
            }
            if !changes.is_empty() {
                parts.push(format!("`{}` {}", expectation.text, changes.join(", ")));
            }
        }
        for old in &before.expectations {
            if !gate.expectations.iter().any(|e| e.text == old.text) {
                parts.push(format!("expectation `{}` is gone", old.text));
            }
        }
        if !parts.is_empty() {
            diff.push(format!("gate `{}`: {}", gate.name, parts.join("; ")));
        }
    }
    for item in &actual.evidence {
        match expected.evidence.iter().find(|e| e.name == item.name) {
            None => diff.push(format!("evidence `{}` is new: {}", item.name, item.status)),
            Some(before) if before != item => diff.push(format!(
                "evidence `{}`: {} -> {}",
                item.name,
                describe_evidence(before),
                describe_evidence(item)
            )),
            Some(_) => {}
        }
    }
    for item in &expected.evidence {
        if !actual.evidence.iter().any(|e| e.name == item.name) {
            diff.push(format!("evidence `{}` is gone", item.name));
        }
    }
    if expected.waivers != actual.waivers {
        let show = |waivers: &[(String, String)]| {
            if waivers.is_empty() {
                "none".to_string()
            } else {
                waivers
                    .iter()
                    .map(|(gate, status)| format!("`{gate}` {status}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        diff.push(format!(
            "waivers: {} -> {}",
            show(&expected.waivers),
            show(&actual.waivers)
        ));
    }
    if diff.is_empty() && expected.today != actual.today {
        diff.push(format!(
            "judged as of {} -> {}",
            expected
                .today
                .map_or_else(|| "-".to_string(), |d| d.to_string()),
            actual
                .today
                .map_or_else(|| "-".to_string(), |d| d.to_string())
        ));
    }
    diff
}

fn describe_evidence(item: &EvidenceSnapshot) -> String {
    let mut text = item.status.clone();
    if let Some(format) = &item.format {
        text.push_str(&format!(" as {format}"));
    }
    if !item.files.is_empty() {
        text.push_str(&format!(" ({})", item.files.join(", ")));
    }
    text
}

/// A gate of a snapshot with the name of the category it sits in.
struct PlacedGate {
    category: String,
    gate: GateSnapshot,
}
