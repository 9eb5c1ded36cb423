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

use super::LoadedPolicy;
use crate::check::{CheckedPolicy, GateDef, Typed};
use crate::eval::{self, Context, Outcome};
use crate::syntax::ast::{BinaryOp, Severity};
use crate::value::{Type, Value};
use num_rational::BigRational;
use std::cmp::Ordering;

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
    let gates = |policy: &CheckedPolicy| -> Vec<(String, GateDef)> {
        policy
            .categories
            .iter()
            .flat_map(|category| {
                category
                    .gates
                    .iter()
                    .map(|gate| (category.name.clone(), gate.clone()))
            })
            .collect()
    };
    let base_gates = gates(base);
    let head_gates = gates(head);
    for (category, gate) in &head_gates {
        match base_gates.iter().find(|(_, old)| old.name == gate.name) {
            None => {
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
            Some((old_category, old)) => diff_gate(d, old_category, old, category, gate),
        }
    }
    for (category, gate) in &base_gates {
        if !head_gates.iter().any(|(_, new)| new.name == gate.name) {
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
    diff_waivers(d, base, head);
    PolicyDiff {
        changes: differ.changes,
    }
}

fn gate_traits(gate: &GateDef) -> String {
    let mut traits = vec![severity_word(gate.severity).to_string()];
    if gate.points != BigRational::from_integer(1.into()) {
        traits.push(format!("{} points", number(&gate.points)));
    }
    traits.join(", ")
}

fn diff_evidence(d: &mut Differ, base: &CheckedPolicy, head: &CheckedPolicy) {
    let describe = |item: &crate::check::EvidenceItem| {
        let globs: Vec<String> = item
            .globs
            .iter()
            .map(|glob| format!("\"{}\"", glob.text))
            .collect();
        let mut text = format!("{:?}({})", item.kind, globs.join(", ")).to_lowercase();
        if let Some(shards) = item.shards {
            text.push_str(&format!(" shards {shards}"));
        }
        if let Some(format) = item.format {
            text.push_str(&format!(" as {format}"));
        }
        text
    };
    for pairing in by_name(&base.evidence, &head.evidence, |item| &item.name) {
        match pairing {
            Paired::Added(item) => d.push(
                Subject::Evidence,
                Direction::Changed,
                None,
                format!("evidence `{}` added: {}", item.name, describe(item)),
            ),
            Paired::Both(old, item) => {
                let (before, after) = (describe(old), describe(item));
                if before != after {
                    d.push(
                        Subject::Evidence,
                        Direction::Changed,
                        None,
                        format!("evidence `{}`: {before} -> {after}", item.name),
                    );
                }
            }
            Paired::Removed(item) => d.push(
                Subject::Evidence,
                Direction::Changed,
                None,
                format!("evidence `{}` removed (was {})", item.name, describe(item)),
            ),
        }
    }
}

/// An item of the base and head policies, paired by name.
enum Paired<'a, T> {
    Added(&'a T),
    Both(&'a T, &'a T),
    Removed(&'a T),
}

/// Pairs the items of two lists by name: the head's in order (added, or with their base
/// version), then the base's that the head no longer has.
fn by_name<'a, T>(base: &'a [T], head: &'a [T], name: impl Fn(&T) -> &str) -> Vec<Paired<'a, T>> {
    let mut pairs: Vec<Paired<'a, T>> = head
        .iter()
        .map(|new| match base.iter().find(|old| name(old) == name(new)) {
            Some(old) => Paired::Both(old, new),
            None => Paired::Added(new),
        })
        .collect();
    pairs.extend(
        base.iter()
            .filter(|old| !head.iter().any(|new| name(new) == name(old)))
            .map(Paired::Removed),
    );
    pairs
}

fn diff_waivers(d: &mut Differ, base: &CheckedPolicy, head: &CheckedPolicy) {
    for pairing in by_name(&base.waivers, &head.waivers, |waiver| &waiver.gate) {
        let (old, waiver) = match pairing {
            Paired::Added(waiver) => (None, waiver),
            Paired::Both(old, waiver) => (Some(old), waiver),
            Paired::Removed(waiver) => {
                d.push(
                    Subject::Waiver,
                    Direction::Tightened,
                    Some(&waiver.gate),
                    format!(
                        "waiver of `{}` removed (was until {})",
                        waiver.gate, waiver.until
                    ),
                );
                continue;
            }
        };
        let gate = Some(waiver.gate.as_str());
        match old {
            None => d.push(
                Subject::Waiver,
                Direction::Relaxed,
                gate,
                format!(
                    "waiver of `{}` added until {} ({}: {})",
                    waiver.gate, waiver.until, waiver.owner, waiver.reason
                ),
            ),
            Some(old) => {
                match old.until.cmp(&waiver.until) {
                    Ordering::Less => d.push(
                        Subject::Waiver,
                        Direction::Relaxed,
                        gate,
                        format!(
                            "waiver of `{}` extended: until {} -> {}",
                            waiver.gate, old.until, waiver.until
                        ),
                    ),
                    Ordering::Greater => d.push(
                        Subject::Waiver,
                        Direction::Tightened,
                        gate,
                        format!(
                            "waiver of `{}` shortened: until {} -> {}",
                            waiver.gate, old.until, waiver.until
                        ),
                    ),
                    Ordering::Equal => {}
                }
                if old.owner != waiver.owner || old.reason != waiver.reason {
                    d.push(
                        Subject::Waiver,
                        Direction::Changed,
                        gate,
                        format!(
                            "waiver of `{}`: now {}: {}",
                            waiver.gate, waiver.owner, waiver.reason
                        ),
                    );
                }
            }
        }
    }
}

fn diff_gate(d: &mut Differ, old_category: &str, old: &GateDef, category: &str, gate: &GateDef) {
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

/// An expectation read as `figure OP threshold`: the canonical text of the figure side, the
/// operator with the figure on the left, and the constant.
struct Threshold {
    key: String,
    op: BinaryOp,
    value: Value,
}

fn threshold(expr: &Typed) -> Option<Threshold> {
    let Typed::Compare { op, lhs, rhs } = expr else {
        return None;
    };
    match (lhs.as_ref(), rhs.as_ref()) {
        (other, Typed::Const(value)) if !matches!(other, Typed::Const(_)) => Some(Threshold {
            key: canonical(other),
            op: *op,
            value: value.clone(),
        }),
        (Typed::Const(value), other) if !matches!(other, Typed::Const(_)) => Some(Threshold {
            key: canonical(other),
            op: flip(*op),
            value: value.clone(),
        }),
        _ => None,
    }
}

/// `3 < x` is `x > 3`.
fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

/// A canonical text of a checked expression: equal for expressions that mean the same figure.
fn canonical(expr: &Typed) -> String {
    let globs = |globs: &[crate::check::WorkspaceGlob]| {
        globs
            .iter()
            .map(|g| format!("{:?}", g.text))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match expr {
        Typed::Const(value) => const_text(value),
        Typed::Figure {
            item, field, base, ..
        } => {
            if *base {
                format!("base.{item}.{field}")
            } else {
                format!("{item}.{field}")
            }
        }
        Typed::Exists(list) => format!("exists({})", globs(list)),
        Typed::FilesCount(query) => {
            let mut text = format!("files({})", globs(&query.globs));
            for (contains, pattern) in &query.filters {
                let method = if *contains {
                    "containing"
                } else {
                    "not_containing"
                };
                text.push_str(&format!(".{method}(/{}/)", pattern.as_str()));
            }
            text.push_str(".count");
            text
        }
        Typed::FileContains { path, pattern } => {
            format!("file({:?}).contains(/{}/)", path.text, pattern.as_str())
        }
        Typed::Imports { globs: list, field } => format!("imports({}).{field}", globs(list)),
        Typed::CodeCount(check) => format!("{}.count", check.canonical()),
        Typed::Arithmetic { op, lhs, rhs, .. } => {
            format!("({} {} {})", canonical(lhs), op.symbol(), canonical(rhs))
        }
        Typed::Compare { op, lhs, rhs } => {
            format!("({} {} {})", canonical(lhs), op.symbol(), canonical(rhs))
        }
        Typed::And(lhs, rhs) => format!("({} and {})", canonical(lhs), canonical(rhs)),
        Typed::Or(lhs, rhs) => format!("({} or {})", canonical(lhs), canonical(rhs)),
        Typed::Not(inner) => format!("not {}", canonical(inner)),
        Typed::Config(query) => query.describe(),
    }
}

/// A constant exactly (`7/10` percent), so that equal thresholds in other units compare equal.
fn const_text(value: &Value) -> String {
    match value {
        Value::Quantity(ty, number) => format!("{ty:?}:{number}"),
        other => format!("{other}"),
    }
}

/// The set of figures a comparison lets pass: an interval, or all but one point.
#[derive(Debug, Clone)]
enum PassSet {
    /// `(lower bound, inclusive)`, `(upper bound, inclusive)`.
    Interval(Option<(BigRational, bool)>, Option<(BigRational, bool)>),
    AllBut(BigRational),
}

fn pass_set(op: BinaryOp, value: &BigRational) -> Option<PassSet> {
    let v = || value.clone();
    Some(match op {
        BinaryOp::Ge => PassSet::Interval(Some((v(), true)), None),
        BinaryOp::Gt => PassSet::Interval(Some((v(), false)), None),
        BinaryOp::Le => PassSet::Interval(None, Some((v(), true))),
        BinaryOp::Lt => PassSet::Interval(None, Some((v(), false))),
        BinaryOp::Eq => PassSet::Interval(Some((v(), true)), Some((v(), true))),
        BinaryOp::Ne => PassSet::AllBut(v()),
        _ => return None,
    })
}

/// Whether the lower bound `inner` is at least as strict as `outer` (`None` is unbounded).
fn lower_within(inner: &Option<(BigRational, bool)>, outer: &Option<(BigRational, bool)>) -> bool {
    match (inner, outer) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some((a, a_inclusive)), Some((b, b_inclusive))) => {
            a > b || (a == b && (*b_inclusive || !*a_inclusive))
        }
    }
}

fn upper_within(inner: &Option<(BigRational, bool)>, outer: &Option<(BigRational, bool)>) -> bool {
    match (inner, outer) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some((a, a_inclusive)), Some((b, b_inclusive))) => {
            a < b || (a == b && (*b_inclusive || !*a_inclusive))
        }
    }
}

fn contains_point(set: &PassSet, point: &BigRational) -> bool {
    match set {
        PassSet::AllBut(excluded) => point != excluded,
        PassSet::Interval(lower, upper) => {
            let above = match lower {
                None => true,
                Some((bound, inclusive)) => point > bound || (*inclusive && point == bound),
            };
            let below = match upper {
                None => true,
                Some((bound, inclusive)) => point < bound || (*inclusive && point == bound),
            };
            above && below
        }
    }
}

fn subset(inner: &PassSet, outer: &PassSet) -> bool {
    match (inner, outer) {
        (PassSet::Interval(lower, upper), PassSet::Interval(outer_lower, outer_upper)) => {
            lower_within(lower, outer_lower) && upper_within(upper, outer_upper)
        }
        (PassSet::Interval(..), PassSet::AllBut(point)) => !contains_point(inner, point),
        (PassSet::AllBut(a), PassSet::AllBut(b)) => a == b,
        (PassSet::AllBut(_), PassSet::Interval(lower, upper)) => lower.is_none() && upper.is_none(),
    }
}

/// How a threshold moved: relaxed when every figure passing `before` passes `after`.
pub fn threshold_direction(
    before_op: BinaryOp,
    before: &BigRational,
    after_op: BinaryOp,
    after: &BigRational,
) -> Direction {
    let (Some(old), Some(new)) = (pass_set(before_op, before), pass_set(after_op, after)) else {
        return Direction::Changed;
    };
    match (subset(&old, &new), subset(&new, &old)) {
        (true, false) => Direction::Relaxed,
        (false, true) => Direction::Tightened,
        _ => Direction::Changed,
    }
}

fn same_pass_set(
    before_op: BinaryOp,
    before: &BigRational,
    after_op: BinaryOp,
    after: &BigRational,
) -> bool {
    match (pass_set(before_op, before), pass_set(after_op, after)) {
        (Some(old), Some(new)) => subset(&old, &new) && subset(&new, &old),
        _ => false,
    }
}

fn diff_expectations(
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

/// Which version of the policy gives the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Judge {
    Base,
    Head,
}

/// What a policy gave on the evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Judgement {
    /// The policy file as reports name it (`main:readiness.gate`, `readiness.gate`).
    pub file: String,
    pub ready: bool,
    pub score: Option<String>,
    pub target: String,
    pub level: Option<String>,
}

impl Judgement {
    pub fn of(file: &str, outcome: &Outcome) -> Judgement {
        Judgement {
            file: file.to_string(),
            ready: outcome.ready,
            score: outcome.score.as_ref().map(|score| score.display.clone()),
            target: outcome.target.display.clone(),
            level: outcome.level.clone(),
        }
    }

    /// `not ready, score 72.5% (target 90%), level silver`
    pub fn describe(&self) -> String {
        format!(
            "{}, score {} (target {}), level {}",
            if self.ready { "ready" } else { "not ready" },
            self.score.as_deref().unwrap_or("-"),
            self.target,
            self.level.as_deref().unwrap_or("none")
        )
    }
}

/// A gate whose status differs between the two policies on the same evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GateFlip {
    pub gate: String,
    /// `None`: the gate is not in that policy.
    pub base: Option<String>,
    pub head: Option<String>,
}

/// The base and head policies compared, and what each gives on the same evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PolicyComparison {
    pub diff: PolicyDiff,
    pub judged_by: Judge,
    pub base: Judgement,
    pub head: Judgement,
    pub flips: Vec<GateFlip>,
}

/// Diffs `base` and `head` and evaluates both on the evidence of `context` with the same
/// `inputs` (baseline, changed lines); `context.policy_file` and `policy_source` are replaced by
/// each policy's own. `judged_by` says which one gives the verdict, for the report. Returns the
/// comparison and the base's and head's outcomes.
pub fn compare(
    base: &LoadedPolicy,
    head: &LoadedPolicy,
    context: &Context<'_>,
    inputs: &eval::Inputs,
    judged_by: Judge,
) -> (PolicyComparison, Outcome, Outcome) {
    let evaluate = |policy: &LoadedPolicy| {
        let own = Context {
            evidence: context.evidence,
            today: context.today,
            changed_files: context.changed_files.clone(),
            policy_file: &policy.file,
            policy_source: &policy.source,
        };
        eval::evaluate_with(&policy.checked, &own, inputs)
    };
    let base_outcome = evaluate(base);
    let head_outcome = evaluate(head);
    let comparison = comparison_of(base, &base_outcome, head, &head_outcome, judged_by);
    (comparison, base_outcome, head_outcome)
}

/// The comparison of two outcomes already evaluated (e.g. by the CLI, which needs them anyway).
pub fn comparison_of(
    base: &LoadedPolicy,
    base_outcome: &Outcome,
    head: &LoadedPolicy,
    head_outcome: &Outcome,
    judged_by: Judge,
) -> PolicyComparison {
    let statuses = |outcome: &Outcome| -> Vec<(String, String)> {
        outcome
            .categories
            .iter()
            .flat_map(|category| {
                category
                    .gates
                    .iter()
                    .map(|gate| (gate.name.clone(), gate.status.label().to_string()))
            })
            .collect()
    };
    let base_statuses = statuses(base_outcome);
    let head_statuses = statuses(head_outcome);
    let mut flips = Vec::new();
    for (gate, status) in &head_statuses {
        let before = base_statuses
            .iter()
            .find(|(name, _)| name == gate)
            .map(|(_, status)| status.clone());
        if before.as_ref() != Some(status) {
            flips.push(GateFlip {
                gate: gate.clone(),
                base: before,
                head: Some(status.clone()),
            });
        }
    }
    for (gate, status) in &base_statuses {
        if !head_statuses.iter().any(|(name, _)| name == gate) {
            flips.push(GateFlip {
                gate: gate.clone(),
                base: Some(status.clone()),
                head: None,
            });
        }
    }
    PolicyComparison {
        diff: diff_policies(&base.checked, &head.checked),
        judged_by,
        base: Judgement::of(&base.file, base_outcome),
        head: Judgement::of(&head.file, head_outcome),
        flips,
    }
}

impl PolicyComparison {
    fn judge_line(&self) -> String {
        match self.judged_by {
            Judge::Base => format!(
                "judged by the base policy ({}); the head's policy ({}) is a proposal",
                self.base.file, self.head.file
            ),
            Judge::Head => format!("judged by the head's policy ({})", self.head.file),
        }
    }

    /// The comparison for a terminal.
    pub fn render_text(&self) -> String {
        let mut out = format!("policy change: {}\n", self.diff.summary());
        for change in &self.diff.changes {
            out.push_str(&format!(
                "  {:<9}  {}\n",
                change.direction.word(),
                change.text
            ));
        }
        out.push_str(&format!(
            "base  {}  ({})\n",
            self.base.describe(),
            self.base.file
        ));
        out.push_str(&format!(
            "head  {}  ({})\n",
            self.head.describe(),
            self.head.file
        ));
        for flip in &self.flips {
            out.push_str(&format!(
                "  gate `{}`: {} -> {}\n",
                flip.gate,
                flip.base.as_deref().unwrap_or("absent"),
                flip.head.as_deref().unwrap_or("absent")
            ));
        }
        out.push_str(&self.judge_line());
        out.push('\n');
        out
    }

    /// The "Policy change" section of the pull-request comment (Markdown).
    pub fn render_markdown(&self) -> String {
        let mut out = String::from("### Policy change\n\n");
        out.push_str(&format!(
            "This change edits the readiness policy: **{}**.\n\n",
            self.diff.summary()
        ));
        if !self.diff.changes.is_empty() {
            out.push_str("| | change |\n|---|---|\n");
            for change in &self.diff.changes {
                let mark = match change.direction {
                    Direction::Relaxed => "⬇️ relaxed",
                    Direction::Tightened => "⬆️ tightened",
                    Direction::Changed => "↔️ changed",
                };
                out.push_str(&format!("| {mark} | {} |\n", markdown_cell(&change.text)));
            }
            out.push('\n');
        }
        out.push_str("| policy | verdict | score | level |\n|---|---|---|---|\n");
        for (label, judgement) in [("base", &self.base), ("head (proposed)", &self.head)] {
            out.push_str(&format!(
                "| {label} `{}` | {} | {} (target {}) | {} |\n",
                markdown_cell(&judgement.file),
                if judgement.ready {
                    "✅ ready"
                } else {
                    "❌ not ready"
                },
                judgement.score.as_deref().unwrap_or("-"),
                judgement.target,
                judgement.level.as_deref().unwrap_or("none")
            ));
        }
        if !self.flips.is_empty() {
            out.push_str("\nOn this evidence the head's policy changes:\n\n");
            for flip in &self.flips {
                out.push_str(&format!(
                    "- gate `{}`: {} → {}\n",
                    markdown_cell(&flip.gate),
                    flip.base.as_deref().unwrap_or("absent"),
                    flip.head.as_deref().unwrap_or("absent")
                ));
            }
        }
        out.push_str(&format!("\n_{}._\n", self.judge_line()));
        out
    }
}

fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
