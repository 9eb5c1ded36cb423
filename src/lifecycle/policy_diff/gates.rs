//! The changes to one gate: severity, points, category, condition and its expectations.

use super::thresholds::{canonical, same_pass_set, threshold, threshold_direction};
use super::{number, severity_rank, severity_word, Differ, Direction, Subject};
use crate::check::GateDef;
use crate::value::Value;

pub(super) fn diff_gate(
    d: &mut Differ,
    old_category: &str,
    old: &GateDef,
    category: &str,
    gate: &GateDef,
) {
    let name = Some(gate.name.as_str());
    if old_category != category {
        d.push(
            Subject::Gate,
            Direction::Changed,
            name,
            format!(
                "gate `{}` moved from `{old_category}` to `{category}`",
                gate.name
            ),
        );
    }
    if old.severity != gate.severity {
        let direction = if severity_rank(gate.severity) < severity_rank(old.severity) {
            Direction::Relaxed
        } else {
            Direction::Tightened
        };
        d.push(
            Subject::Severity,
            direction,
            name,
            format!(
                "gate `{}`: {} -> {}",
                gate.name,
                severity_word(old.severity),
                severity_word(gate.severity)
            ),
        );
    }
    if old.points != gate.points {
        d.push(
            Subject::Points,
            Direction::Changed,
            name,
            format!(
                "gate `{}`: points {} -> {}",
                gate.name,
                number(&old.points),
                number(&gate.points)
            ),
        );
    }
    let scope = |globs: &Option<Vec<crate::check::WorkspaceGlob>>| {
        globs.as_ref().map(|globs| {
            globs
                .iter()
                .map(|glob| format!("\"{}\"", glob.text))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    match (scope(&old.when_changed), scope(&gate.when_changed)) {
        (None, Some(new)) => d.push(
            Subject::Scope,
            Direction::Relaxed,
            name,
            format!(
                "gate `{}`: now only when changed({new}); n/a otherwise",
                gate.name
            ),
        ),
        (Some(before), None) => d.push(
            Subject::Scope,
            Direction::Tightened,
            name,
            format!(
                "gate `{}`: always judged (was when changed({before}))",
                gate.name
            ),
        ),
        (Some(before), Some(new)) if before != new => d.push(
            Subject::Scope,
            Direction::Changed,
            name,
            format!(
                "gate `{}`: when changed({before}) -> when changed({new})",
                gate.name
            ),
        ),
        _ => {}
    }
    diff_expectations(d, gate, &old.expectations, &gate.expectations);
}

pub(super) fn diff_expectations(
    d: &mut Differ,
    gate: &GateDef,
    before: &[crate::check::Expectation],
    after: &[crate::check::Expectation],
) {
    let name = Some(gate.name.as_str());
    let mut used = vec![false; before.len()];
    let mut unmatched_new = Vec::new();
    // Identical expectations first, then thresholds on the same figure.
    let mut pending = Vec::new();
    for new in after {
        let key = canonical(&new.expr);
        let found = before.iter().enumerate().position(|(index, old)| {
            !used.get(index).copied().unwrap_or(true) && canonical(&old.expr) == key
        });
        match found.and_then(|index| used.get_mut(index)) {
            Some(flag) => *flag = true,
            None => pending.push(new),
        }
    }
    for new in pending {
        let matched = threshold(&new.expr).and_then(|new_threshold| {
            before.iter().enumerate().find_map(|(index, old)| {
                if used.get(index).copied().unwrap_or(true) {
                    return None;
                }
                let old_threshold = threshold(&old.expr)?;
                (old_threshold.key == new_threshold.key).then_some((
                    index,
                    old,
                    old_threshold,
                    new_threshold.op,
                    new_threshold.value.clone(),
                ))
            })
        });
        let Some((index, old, old_threshold, new_op, new_value)) = matched else {
            unmatched_new.push(new);
            continue;
        };
        if let Some(flag) = used.get_mut(index) {
            *flag = true;
        }
        let direction = match (&old_threshold.value, &new_value) {
            (Value::Quantity(_, a), Value::Quantity(_, b)) => {
                if same_pass_set(old_threshold.op, a, new_op, b) {
                    // `x >= 70%` written as `70% <= x`: the same requirement.
                    continue;
                }
                threshold_direction(old_threshold.op, a, new_op, b)
            }
            _ => Direction::Changed,
        };
        d.push(
            Subject::Threshold,
            direction,
            name,
            format!("gate `{}`: `{}` -> `{}`", gate.name, old.text, new.text),
        );
    }
    let unmatched_old: Vec<&crate::check::Expectation> = before
        .iter()
        .enumerate()
        .filter(|(index, _)| !used.get(*index).copied().unwrap_or(true))
        .map(|(_, old)| old)
        .collect();
    // Leftovers pair up in order as rewritten expectations; the rest were added or removed.
    let paired = unmatched_old.len().min(unmatched_new.len());
    for (old, new) in unmatched_old.iter().zip(unmatched_new.iter()) {
        d.push(
            Subject::Expectation,
            Direction::Changed,
            name,
            format!("gate `{}`: `{}` -> `{}`", gate.name, old.text, new.text),
        );
    }
    for new in unmatched_new.iter().skip(paired) {
        d.push(
            Subject::Expectation,
            Direction::Tightened,
            name,
            format!("gate `{}`: expectation `{}` added", gate.name, new.text),
        );
    }
    for old in unmatched_old.iter().skip(paired) {
        d.push(
            Subject::Expectation,
            Direction::Relaxed,
            name,
            format!("gate `{}`: expectation `{}` removed", gate.name, old.text),
        );
    }
}
