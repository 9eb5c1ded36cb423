//! `gate diff`: what a policy change does, semantically.
//!
//! [`diff_policies`] compares a base and a head [`CheckedPolicy`] and lists every change with its
//! [`Direction`]: a change is *relaxed* when everything that passed before still passes (a lower
//! threshold for `>=`, a higher one for `<`, a blocker made default, a lower target, a waiver added
//! or extended, an expectation or a gate removed), *tightened* in the opposite case, and *changed*
//! when neither holds (a comparison turned around, an expression rewritten, weights moved).
//!
//! Thresholds are compared exactly on the checked constants (`Typed::Const`, already in one unit:
//! `1s` and `1000ms` are the same threshold). Each comparison is read as the set of figures that
//! pass it (`>= 70%` is `[70%, ∞)`, `== 0` is `{0}`, `!= 0` everything but 0), and the change is
//! relaxed when the old set is inside the new one.
//!
//! [`compare`] then evaluates both policies on the same evidence, and [`PolicyComparison`] renders
//! the result as text and as the "Policy change" section of the pull-request comment.

use crate::check::{CheckedPolicy, GateDef};
use crate::lifecycle::pairing::{by_name, Paired};
use crate::syntax::ast::Severity;
use crate::value::{Type, Value};
use evidence_and_waivers::{diff_evidence, diff_waivers};
use gates::diff_gate;
use num_rational::BigRational;
use std::cmp::Ordering;

mod comparison;
mod evidence_and_waivers;
mod gates;
mod thresholds;

pub use comparison::{compare, comparison_of, GateFlip, Judge, Judgement, PolicyComparison};
pub use thresholds::threshold_direction;

/// Whether a change makes the policy easier or harder to pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Everything that passed before still passes.
    Relaxed,
    /// Everything that passes now passed before.
    Tightened,
    /// Neither: a different requirement, or weights moved.
    Changed,
}

impl Direction {
    pub fn word(self) -> &'static str {
        match self {
            Direction::Relaxed => "relaxed",
            Direction::Tightened => "tightened",
            Direction::Changed => "changed",
        }
    }
}

/// What a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Name,
    Target,
    Level,
    Evidence,
    Category,
    Gate,
    Threshold,
    Expectation,
    Severity,
    Points,
    Scope,
    Waiver,
}

/// One semantic change between the base and the head policy.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    pub subject: Subject,
    pub direction: Direction,
    /// The gate concerned, if any.
    pub gate: Option<String>,
    /// One line for people, e.g. ``gate `line coverage`: `coverage.lines >= 70%` -> `>= 60%` ``.
    pub text: String,
}

/// Every change from base to head, in policy order.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct PolicyDiff {
    pub changes: Vec<Change>,
}

impl PolicyDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn count(&self, direction: Direction) -> usize {
        self.changes
            .iter()
            .filter(|change| change.direction == direction)
            .count()
    }

    /// `2 relaxed, 1 tightened, 1 changed` (or `no semantic change`).
    pub fn summary(&self) -> String {
        if self.changes.is_empty() {
            return "no semantic change".to_string();
        }
        let parts: Vec<String> = [Direction::Relaxed, Direction::Tightened, Direction::Changed]
            .into_iter()
            .filter(|direction| self.count(*direction) > 0)
            .map(|direction| format!("{} {}", self.count(direction), direction.word()))
            .collect();
        parts.join(", ")
    }
}

struct Differ {
    changes: Vec<Change>,
}

impl Differ {
    fn push(&mut self, subject: Subject, direction: Direction, gate: Option<&str>, text: String) {
        self.changes.push(Change {
            subject,
            direction,
            gate: gate.map(str::to_string),
            text,
        });
    }
}

fn percent(value: &BigRational) -> String {
    Value::Quantity(Type::Percent, value.clone()).to_string()
}

fn number(value: &BigRational) -> String {
    Value::Quantity(Type::Number, value.clone()).to_string()
}

fn by_order(before: &BigRational, after: &BigRational, lower_is_relaxed: bool) -> Direction {
    match (before.cmp(after), lower_is_relaxed) {
        (Ordering::Greater, true) | (Ordering::Less, false) => Direction::Relaxed,
        _ => Direction::Tightened,
    }
}

fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Advisory => 0,
        Severity::Default => 1,
        Severity::Blocker => 2,
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Advisory => "advisory",
        Severity::Default => "default",
        Severity::Blocker => "blocker",
    }
}

/// Compares two checked policies. Gates, categories, levels, evidence items and waivers are
/// matched by name (a renamed gate is one removed and one added).
pub fn diff_policies(base: &CheckedPolicy, head: &CheckedPolicy) -> PolicyDiff {
    let mut differ = Differ {
        changes: Vec::new(),
    };
    let d = &mut differ;
    if base.name != head.name {
        d.push(
            Subject::Name,
            Direction::Changed,
            None,
            format!("policy renamed: `{}` -> `{}`", base.name, head.name),
        );
    }
    if base.target != head.target {
        d.push(
            Subject::Target,
            by_order(&base.target, &head.target, true),
            None,
            format!(
                "target {} -> {}",
                percent(&base.target),
                percent(&head.target)
            ),
        );
    }
    for pairing in by_name(&base.levels, &head.levels, |level| &level.name) {
        match pairing {
            Paired::Added(level) => d.push(
                Subject::Level,
                Direction::Changed,
                None,
                format!(
                    "level `{}` added at {}",
                    level.name,
                    percent(&level.threshold)
                ),
            ),
            Paired::Both(old, level) if old.threshold != level.threshold => d.push(
                Subject::Level,
                by_order(&old.threshold, &level.threshold, true),
                None,
                format!(
                    "level `{}`: {} -> {}",
                    level.name,
                    percent(&old.threshold),
                    percent(&level.threshold)
                ),
            ),
            Paired::Both(..) => {}
            Paired::Removed(level) => d.push(
                Subject::Level,
                Direction::Changed,
                None,
                format!(
                    "level `{}` removed (was {})",
                    level.name,
                    percent(&level.threshold)
                ),
            ),
        }
    }
    diff_evidence(d, base, head);
    for pairing in by_name(&base.categories, &head.categories, |category| {
        &category.name
    }) {
        match pairing {
            Paired::Added(category) => d.push(
                Subject::Category,
                Direction::Changed,
                None,
                format!(
                    "category `{}` added (weight {})",
                    category.name,
                    number(&category.weight)
                ),
            ),
            Paired::Both(old, category) if old.weight != category.weight => d.push(
                Subject::Category,
                Direction::Changed,
                None,
                format!(
                    "category `{}`: weight {} -> {}",
                    category.name,
                    number(&old.weight),
                    number(&category.weight)
                ),
            ),
            Paired::Both(..) => {}
            Paired::Removed(category) => d.push(
                Subject::Category,
                Direction::Changed,
                None,
                format!("category `{}` removed", category.name),
            ),
        }
    }
    let base_gates = placed_gates(base);
    let head_gates = placed_gates(head);
    for pairing in by_name(&base_gates, &head_gates, |placed| &placed.gate.name) {
        match pairing {
            Paired::Added(PlacedGate { category, gate }) => {
                let direction = if gate.severity == Severity::Advisory {
                    Direction::Changed
                } else {
                    Direction::Tightened
                };
                d.push(
                    Subject::Gate,
                    direction,
                    Some(&gate.name),
                    format!(
                        "gate `{}` added in `{category}` ({})",
                        gate.name,
                        gate_traits(gate)
                    ),
                );
            }
            Paired::Both(old, new) => {
                diff_gate(d, &old.category, &old.gate, &new.category, &new.gate)
            }
            Paired::Removed(PlacedGate { category, gate }) => {
                let direction = if gate.severity == Severity::Advisory {
                    Direction::Changed
                } else {
                    Direction::Relaxed
                };
                d.push(
                    Subject::Gate,
                    direction,
                    Some(&gate.name),
                    format!(
                        "gate `{}` removed from `{category}` (was {})",
                        gate.name,
                        gate_traits(gate)
                    ),
                );
            }
        }
    }
    diff_waivers(d, base, head);
    PolicyDiff {
        changes: differ.changes,
    }
}

/// A gate with the name of the category it sits in.
struct PlacedGate {
    category: String,
    gate: GateDef,
}

/// The gates of a policy in order, each with its category.
fn placed_gates(policy: &CheckedPolicy) -> Vec<PlacedGate> {
    policy
        .categories
        .iter()
        .flat_map(|category| {
            category.gates.iter().map(|gate| PlacedGate {
                category: category.name.clone(),
                gate: gate.clone(),
            })
        })
        .collect()
}

fn gate_traits(gate: &GateDef) -> String {
    let mut traits = vec![severity_word(gate.severity).to_string()];
    if gate.points != BigRational::from_integer(1.into()) {
        traits.push(format!("{} points", number(&gate.points)));
    }
    traits.join(", ")
}
