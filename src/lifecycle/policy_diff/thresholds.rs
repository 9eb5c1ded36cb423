//! Expectations read as thresholds, and which way a threshold moved: each comparison is read
//! as the set of figures that pass it.

use super::Direction;
use crate::check::Typed;
use crate::syntax::ast::BinaryOp;
use crate::value::Value;
use num_rational::BigRational;

/// An expectation read as `figure OP threshold`: the canonical text of the figure side, the
/// operator with the figure on the left, and the constant.
pub(super) struct Threshold {
    pub(super) key: String,
    pub(super) op: BinaryOp,
    pub(super) value: Value,
}

pub(super) fn threshold(expr: &Typed) -> Option<Threshold> {
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
pub(super) fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

/// A canonical text of a checked expression: equal for expressions that mean the same figure.
pub(super) fn canonical(expr: &Typed) -> String {
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
pub(super) fn const_text(value: &Value) -> String {
    match value {
        Value::Quantity(ty, number) => format!("{ty:?}:{number}"),
        other => format!("{other}"),
    }
}

/// The set of figures a comparison lets pass: an interval, or all but one point.
#[derive(Debug, Clone)]
pub(super) enum PassSet {
    /// `(lower bound, inclusive)`, `(upper bound, inclusive)`.
    Interval(Option<(BigRational, bool)>, Option<(BigRational, bool)>),
    AllBut(BigRational),
}

pub(super) fn pass_set(op: BinaryOp, value: &BigRational) -> Option<PassSet> {
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
pub(super) fn lower_within(
    inner: &Option<(BigRational, bool)>,
    outer: &Option<(BigRational, bool)>,
) -> bool {
    match (inner, outer) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some((a, a_inclusive)), Some((b, b_inclusive))) => {
            a > b || (a == b && (*b_inclusive || !*a_inclusive))
        }
    }
}

pub(super) fn upper_within(
    inner: &Option<(BigRational, bool)>,
    outer: &Option<(BigRational, bool)>,
) -> bool {
    match (inner, outer) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some((a, a_inclusive)), Some((b, b_inclusive))) => {
            a < b || (a == b && (*b_inclusive || !*a_inclusive))
        }
    }
}

pub(super) fn contains_point(set: &PassSet, point: &BigRational) -> bool {
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

pub(super) fn subset(inner: &PassSet, outer: &PassSet) -> bool {
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

pub(super) fn same_pass_set(
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
