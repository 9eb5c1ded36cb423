//! What would it take: for a failed comparison, the distance to passing in its own unit, exactly.
//!
//! - a coverage percentage against a threshold, with its counts: the fewest more covered lines
//!   (branches, functions, statements) that pass: 105/152 against `>= 70%` is "cover 2 more lines"
//!   (the smallest n with (105 + n) / 152 >= 7/10);
//! - a count that must fall: "1 failing test", "resolve 3 unresolved imports";
//! - anything else: how far the measured side must move, and whether reaching the threshold is
//!   enough (`<=`, `>=`: "by at least") or it must pass it (`<`, `>`: "by more than"): a p95 of
//!   645.6ms against `< 500ms` "must drop by more than 145.6ms".
//!
//! Amounts shown are never smaller than needed: an inexact amount is rounded up for display.

use super::outcome::{CategoryOutcome, Status};
use crate::check::{CheckedPolicy, Typed};
use crate::syntax::ast::BinaryOp;
use crate::value::{truncated_decimal, Type, Value};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use readiness_evidence::Ratio;

/// Counts behind a coverage figure (`coverage.lines`, `coverage.patch.lines`), when known.
pub(crate) trait Counts {
    fn counts(&self, item: &str, field: &str) -> Option<Ratio>;
}

/// The distance to passing of a failed `lhs op rhs`, or `None` when there is nothing useful to say.
pub(crate) fn to_pass(
    op: BinaryOp,
    lhs: &Typed,
    rhs: &Typed,
    left: &Value,
    right: &Value,
    counts: &dyn Counts,
) -> Option<String> {
    // The side that moves is the one measured from this run's evidence.
    let (op, moving, measured, threshold) = if measures(lhs) || !measures(rhs) {
        (op, lhs, left, right)
    } else {
        (flip(op)?, rhs, right, left)
    };
    let (Value::Quantity(ty, now), Value::Quantity(_, target)) = (measured, threshold) else {
        return match (op, threshold) {
            (BinaryOp::Eq, _) => Some(format!(
                "`{}` must be {threshold} (it is {measured})",
                name(moving)
            )),
            (BinaryOp::Ne, _) => Some(format!("`{}` must not be {threshold}", name(moving))),
            _ => None,
        };
    };
    if let Typed::Figure {
        item,
        field,
        base: false,
        ..
    } = moving
    {
        if let Some(text) = coverage_counts(op, item, field, target, counts) {
            return Some(text);
        }
    }
    if let Some(text) = count_to_fix(op, moving, now, target) {
        return Some(text);
    }
    let gap = target - now;
    let who = format!("`{}`", name(moving));
    let (verb, past, amount, strict) = match op {
        BinaryOp::Ge => ("rise", "above", gap, false),
        BinaryOp::Gt => ("rise", "above", gap, true),
        BinaryOp::Le => ("drop", "below", -gap, false),
        BinaryOp::Lt => ("drop", "below", -gap, true),
        BinaryOp::Eq => {
            return Some(format!(
                "{who} must be {} (it is {})",
                Value::Quantity(*ty, target.clone()),
                measured
            ));
        }
        BinaryOp::Ne => {
            return Some(format!(
                "{who} must not be {}",
                Value::Quantity(*ty, target.clone())
            ))
        }
        _ => return None,
    };
    let amount = if amount.is_negative() {
        BigRational::zero()
    } else {
        amount
    };
    let shown = amount_text(*ty, &amount);
    Some(if amount.is_zero() {
        format!(
            "{who} must {verb} {past} {}: it is exactly at it",
            Value::Quantity(*ty, target.clone())
        )
    } else if strict {
        format!("{who} must {verb} by more than {shown}")
    } else {
        format!("{who} must {verb} by at least {shown}")
    })
}

/// Whether an expression reads this run's evidence (not only constants and `base.` figures).
fn measures(expr: &Typed) -> bool {
    match expr {
        Typed::Const(_) => false,
        Typed::Figure { base, .. } => !base,
        Typed::Arithmetic { lhs, rhs, .. } => measures(lhs) || measures(rhs),
        _ => true,
    }
}

fn flip(op: BinaryOp) -> Option<BinaryOp> {
    Some(match op {
        BinaryOp::Ge => BinaryOp::Le,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Eq => BinaryOp::Eq,
        BinaryOp::Ne => BinaryOp::Ne,
        _ => return None,
    })
}

/// How an expression is named in the message.
fn name(expr: &Typed) -> String {
    match expr {
        Typed::Figure {
            item, field, base, ..
        } => {
            format!("{}{item}.{field}", if *base { "base." } else { "" })
        }
        Typed::Arithmetic { op, lhs, rhs, .. } => {
            format!("{} {} {}", name(lhs), op.symbol(), name(rhs))
        }
        Typed::Const(value) => value.to_string(),
        Typed::FilesCount(_) => "the file count".to_string(),
        _ => "the figure".to_string(),
    }
}

fn plural(n: &BigInt, one: &str, many: &str) -> String {
    if *n == BigInt::from(1) {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `coverage.lines >= 70%` with 105/152: "cover 2 more lines".
fn coverage_counts(
    op: BinaryOp,
    item: &str,
    field: &str,
    target: &BigRational,
    counts: &dyn Counts,
) -> Option<String> {
    let (unit, changed) = match field {
        "lines" | "branches" | "functions" | "statements" => (field, ""),
        "patch.lines" => ("lines", "changed "),
        "patch.branches" => ("branches", "changed "),
        _ => return None,
    };
    if !matches!(op, BinaryOp::Ge | BinaryOp::Gt) {
        return None;
    }
    let ratio = counts.counts(item, field)?;
    let (covered, total) = (BigInt::from(ratio.covered), BigInt::from(ratio.total));
    if total.is_zero() {
        return None;
    }
    // (covered + n) / total >= target  <=>  n >= target * total - covered.
    let needed = target * BigRational::from_integer(total.clone())
        - BigRational::from_integer(covered.clone());
    let n = if op == BinaryOp::Ge {
        needed.ceil().to_integer()
    } else {
        needed.floor().to_integer() + 1
    };
    let n = n.max(BigInt::zero());
    let uncovered = &total - &covered;
    let singular = if unit == "branches" {
        "branch"
    } else {
        unit.trim_end_matches('s')
    };
    if n > uncovered {
        return Some(format!("cannot pass: even with every {changed}{singular} covered, coverage stays below the threshold"));
    }
    let noun = if n == BigInt::from(1) {
        format!("{changed}{singular}")
    } else {
        format!("{changed}{unit}")
    };
    Some(format!("cover {n} more {noun}"))
}

/// What a count counts, singular and plural, when it is a count people fix one by one.
fn count_noun(expr: &Typed) -> Option<(&'static str, &'static str)> {
    match expr {
        Typed::Figure {
            field, base: false, ..
        } => Some(match field.as_str() {
            "failed" => ("failing test", "failing tests"),
            "errors" => ("error", "errors"),
            "unresolved_imports" => ("unresolved import", "unresolved imports"),
            "problems" => ("dependency problem", "dependency problems"),
            "error_count" => ("build error", "build errors"),
            "lines_missed" => ("uncovered line", "uncovered lines"),
            _ => return None,
        }),
        // `tests.failed + tests.errors`: failing tests, whichever way they failed.
        Typed::Arithmetic {
            op: BinaryOp::Add,
            lhs,
            rhs,
            ..
        } => {
            let (left, right) = (count_noun(lhs)?, count_noun(rhs)?);
            let tests = |noun: (&str, &str)| matches!(noun.0, "failing test" | "error");
            if left == right {
                Some(left)
            } else if tests(left) && tests(right) {
                Some(("failing test", "failing tests"))
            } else {
                None
            }
        }
        Typed::FilesCount(_) => Some(("file", "files")),
        Typed::Imports { .. } => Some(("import", "imports")),
        Typed::CodeCount(_) => Some(("match", "matches")),
        _ => None,
    }
}

/// Counts that must reach a threshold: failing tests, unresolved imports, problems, files.
fn count_to_fix(
    op: BinaryOp,
    moving: &Typed,
    now: &BigRational,
    target: &BigRational,
) -> Option<String> {
    let (one, many) = count_noun(moving)?;
    let one_more = BigRational::from_integer(BigInt::from(1));
    let (excess, missing) = match op {
        BinaryOp::Eq | BinaryOp::Le => (now - target, target - now),
        BinaryOp::Lt => (now - target + &one_more, BigRational::zero()),
        BinaryOp::Ge => (BigRational::zero(), target - now),
        BinaryOp::Gt => (BigRational::zero(), target - now + &one_more),
        _ => return None,
    };
    if excess.is_integer() && excess.is_positive() {
        let n = excess.to_integer();
        return Some(match moving {
            Typed::FilesCount(query) => {
                format!("fix {} matching {}", plural(&n, one, many), globs(query))
            }
            _ => format!("fix {}", plural(&n, one, many)),
        });
    }
    if let (Typed::FilesCount(query), true) =
        (moving, missing.is_integer() && missing.is_positive())
    {
        let n = missing.to_integer();
        return Some(format!(
            "add {} matching {}",
            plural(&n, "more file", "more files"),
            globs(query)
        ));
    }
    None
}

fn globs(query: &crate::check::FilesQuery) -> String {
    query
        .globs
        .iter()
        .map(|g| format!("`{}`", g.text))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Fills `points_to_gain` of every counted gate that failed or is unknown: the score recomputed
/// with that gate passing, minus the score now, in percentage points.
///
/// Linear in the number of gates: a gate passing changes only its own category's share, so the
/// new score is the old weighted sum with that one category's contribution replaced (the same
/// exact arithmetic `score::score` does, without re-scoring the whole policy per gate).
pub(crate) fn points_to_gain(
    policy: &CheckedPolicy,
    categories: &mut [CategoryOutcome],
    score: Option<&BigRational>,
) {
    let now = score.cloned().unwrap_or_else(BigRational::zero);
    // Per category: points passed and counted, as `score::score` sums them.
    let mut sums: Vec<(BigRational, BigRational)> = Vec::with_capacity(categories.len());
    let mut weighted = BigRational::zero();
    let mut total_weight = BigRational::zero();
    for (outcome, definition) in categories.iter().zip(&policy.categories) {
        let mut passed = BigRational::zero();
        let mut counted = BigRational::zero();
        for (gate, gate_definition) in outcome.gates.iter().zip(&definition.gates) {
            if !gate.counted {
                continue;
            }
            counted += &gate_definition.points;
            if gate.status == Status::Pass {
                passed += &gate_definition.points;
            }
        }
        if !counted.is_zero() {
            weighted += &passed / &counted * &definition.weight;
            total_weight += &definition.weight;
        }
        sums.push((passed, counted));
    }
    if total_weight.is_zero() {
        // Nothing is scored, and a gate passing changes no denominator: no score to gain.
        return;
    }
    for ((outcome, definition), (passed, counted)) in
        categories.iter_mut().zip(&policy.categories).zip(&sums)
    {
        if counted.is_zero() {
            // Only zero-point gates count here: passing one changes nothing.
            for gate in outcome.gates.iter_mut() {
                if gate.counted && matches!(gate.status, Status::Fail | Status::Unknown) {
                    gate.points_to_gain = Some(super::score::figure(&BigRational::zero()));
                }
            }
            continue;
        }
        let contribution = passed / counted * &definition.weight;
        for (gate, gate_definition) in outcome.gates.iter_mut().zip(&definition.gates) {
            if !gate.counted || !matches!(gate.status, Status::Fail | Status::Unknown) {
                continue;
            }
            let better_contribution =
                (passed + &gate_definition.points) / counted * &definition.weight;
            let better = (&weighted - &contribution + better_contribution) / &total_weight;
            gate.points_to_gain = Some(super::score::figure(&(better - &now)));
        }
    }
}

/// An amount in the unit of `ty`, rounded up where it is not exact at display precision.
fn amount_text(ty: Type, amount: &BigRational) -> String {
    let ceil = |value: &BigRational, places: u32| -> String {
        let scale = BigRational::from_integer(num_traits::pow(BigInt::from(10), places as usize));
        let up = (value * &scale).ceil() / scale;
        truncated_decimal(&up, places)
    };
    match ty {
        Type::Percent => {
            let points = amount * BigRational::from_integer(BigInt::from(100));
            format!("{} percentage points", ceil(&points, 2))
        }
        Type::Duration => {
            let thousand = BigRational::from_integer(BigInt::from(1000));
            if amount >= &thousand {
                format!("{}s", ceil(&(amount / thousand), 3))
            } else {
                format!("{}ms", ceil(amount, 1))
            }
        }
        Type::Size => {
            let units = [("GB", 1u64 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
            for (unit, factor) in units {
                let factor = BigRational::from_integer(BigInt::from(factor));
                if amount >= &factor {
                    return format!("{}{unit}", ceil(&(amount / factor), 2));
                }
            }
            format!("{}B", ceil(amount, 0))
        }
        _ => ceil(amount, 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(Option<Ratio>);
    impl Counts for Fixed {
        fn counts(&self, _: &str, _: &str) -> Option<Ratio> {
            self.0
        }
    }

    fn figure(item: &str, field: &str, ty: Type) -> Typed {
        Typed::Figure {
            item: item.into(),
            field: field.into(),
            ty,
            base: false,
            span: crate::syntax::span::Span::new(0, 0),
        }
    }

    fn q(ty: Type, n: i64, d: i64) -> Value {
        Value::Quantity(ty, BigRational::new(BigInt::from(n), BigInt::from(d)))
    }

    #[test]
    fn coverage_needs_the_fewest_lines() {
        let lhs = figure("coverage", "lines", Type::Percent);
        let rhs = Typed::Const(q(Type::Percent, 7, 10));
        let counts = Fixed(Some(Ratio {
            covered: 105,
            total: 152,
        }));
        let text = to_pass(
            BinaryOp::Ge,
            &lhs,
            &rhs,
            &q(Type::Percent, 105, 152),
            &q(Type::Percent, 7, 10),
            &counts,
        );
        assert_eq!(text.as_deref(), Some("cover 2 more lines"));
        // > 70% of 10 lines with 7 covered: 8 needed.
        let counts = Fixed(Some(Ratio {
            covered: 7,
            total: 10,
        }));
        let text = to_pass(
            BinaryOp::Gt,
            &lhs,
            &rhs,
            &q(Type::Percent, 7, 10),
            &q(Type::Percent, 7, 10),
            &counts,
        );
        assert_eq!(text.as_deref(), Some("cover 1 more line"));
        let branches = figure("coverage", "patch.branches", Type::Percent);
        let counts = Fixed(Some(Ratio {
            covered: 1,
            total: 4,
        }));
        let text = to_pass(
            BinaryOp::Ge,
            &branches,
            &rhs,
            &q(Type::Percent, 1, 4),
            &q(Type::Percent, 7, 10),
            &counts,
        );
        assert_eq!(text.as_deref(), Some("cover 2 more changed branches"));
    }

    #[test]
    fn durations_and_counts() {
        let lhs = figure("basic", "p95", Type::Duration);
        let rhs = Typed::Const(q(Type::Duration, 500, 1));
        let none = Fixed(None);
        let text = to_pass(
            BinaryOp::Lt,
            &lhs,
            &rhs,
            &q(Type::Duration, 6456, 10),
            &q(Type::Duration, 500, 1),
            &none,
        );
        assert_eq!(
            text.as_deref(),
            Some("`basic.p95` must drop by more than 145.6ms")
        );
        let failed = figure("tests", "failed", Type::Number);
        let zero = Typed::Const(q(Type::Number, 0, 1));
        let text = to_pass(
            BinaryOp::Eq,
            &failed,
            &zero,
            &q(Type::Number, 1, 1),
            &q(Type::Number, 0, 1),
            &none,
        );
        assert_eq!(text.as_deref(), Some("fix 1 failing test"));
        let sum = Typed::Arithmetic {
            op: BinaryOp::Add,
            ty: Type::Number,
            lhs: Box::new(failed.clone()),
            rhs: Box::new(figure("tests", "errors", Type::Number)),
        };
        let text = to_pass(
            BinaryOp::Eq,
            &sum,
            &zero,
            &q(Type::Number, 2, 1),
            &q(Type::Number, 0, 1),
            &none,
        );
        assert_eq!(text.as_deref(), Some("fix 2 failing tests"));
        let rate = figure("basic", "error_rate", Type::Percent);
        let one = Typed::Const(q(Type::Percent, 1, 100));
        let text = to_pass(
            BinaryOp::Le,
            &rate,
            &one,
            &q(Type::Percent, 1, 30),
            &q(Type::Percent, 1, 100),
            &none,
        );
        assert_eq!(
            text.as_deref(),
            Some("`basic.error_rate` must drop by at least 2.34 percentage points")
        );
    }
}
