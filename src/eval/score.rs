//! The readiness score, exactly as the language sketch's "Semantics that must hold" say:
//! a gate is worth its points inside its category; a category's score is the share of its counted
//! points that passed, times its weight; the readiness score is the weighted sum over the total
//! weight of the categories that have counted points. Waived, n/a and advisory gates leave the
//! denominator; unknown gates stay in it and score zero. Ready means no counted blocker failed
//! or is unknown, and score >= target. The level is the highest level whose threshold is reached.

use super::outcome::{CategoryOutcome, Figure, LevelInfo, Status};
use crate::check::CheckedPolicy;
use crate::syntax::ast::Severity;
use crate::value::{Type, Value};
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

pub struct Scored {
    pub ready: bool,
    pub reason: String,
    pub score: Option<BigRational>,
    pub level: Option<String>,
    pub levels: Vec<LevelInfo>,
}

/// A fraction as a percentage figure.
pub fn figure(fraction: &BigRational) -> Figure {
    Figure {
        pct: fraction.to_f64().map(|f| f * 100.0).unwrap_or(0.0),
        display: Value::Quantity(Type::Percent, fraction.clone()).to_string(),
    }
}

/// Scores the categories (filling their points and shares) and decides the verdict.
pub fn score(policy: &CheckedPolicy, categories: &mut [CategoryOutcome]) -> Scored {
    let mut weighted = BigRational::zero();
    let mut total_weight = BigRational::zero();
    let mut contributions: Vec<Option<BigRational>> = Vec::new();
    for (outcome, definition) in categories.iter_mut().zip(&policy.categories) {
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
        outcome.points_passed = passed.to_f64().unwrap_or(0.0);
        outcome.points_counted = counted.to_f64().unwrap_or(0.0);
        if counted.is_zero() {
            contributions.push(None);
            continue;
        }
        let share = &passed / &counted;
        outcome.share = Some(figure(&share));
        let contribution = &share * &definition.weight;
        weighted += &contribution;
        total_weight += &definition.weight;
        contributions.push(Some(contribution));
    }
    // Contributions in percentage points of the final score.
    if !total_weight.is_zero() {
        for (outcome, contribution) in categories.iter_mut().zip(contributions) {
            outcome.contribution = contribution.map(|c| figure(&(c / &total_weight)));
        }
    }
    let score = (!total_weight.is_zero()).then(|| weighted / total_weight);

    let blocking: Vec<(&str, Status)> = categories
        .iter()
        .flat_map(|category| category.gates.iter())
        .filter(|gate| {
            gate.severity == Severity::Blocker
                && matches!(gate.status, Status::Fail | Status::Unknown)
        })
        .map(|gate| (gate.name.as_str(), gate.status))
        .collect();

    let levels: Vec<LevelInfo> = policy
        .levels
        .iter()
        .map(|level| LevelInfo {
            name: level.name.clone(),
            threshold: figure(&level.threshold),
            reached: score
                .as_ref()
                .is_some_and(|score| *score >= level.threshold),
        })
        .collect();
    let level = levels
        .iter()
        .rev()
        .find(|level| level.reached)
        .map(|level| level.name.clone());

    let target = Value::Quantity(Type::Percent, policy.target.clone());
    let gates = || categories.iter().flat_map(|category| category.gates.iter());
    let nothing_relevant_changed = gates().any(|gate| gate.status == Status::NotApplicable)
        && gates().all(|gate| {
            gate.status == Status::NotApplicable || gate.severity == Severity::Advisory
        });
    let (ready, reason) = match &score {
        None if nothing_relevant_changed => (
            true,
            "nothing to judge: every gate is n/a, because this change touches nothing they cover"
                .to_string(),
        ),
        None => (
            false,
            "nothing could be scored: every gate is waived, n/a or advisory".to_string(),
        ),
        Some(score) => {
            let shown = Value::Quantity(Type::Percent, score.clone());
            if !blocking.is_empty() {
                let names = blocking
                    .iter()
                    .map(|(name, status)| {
                        format!(
                            "`{name}` ({})",
                            if *status == Status::Fail {
                                "failed"
                            } else {
                                "unknown"
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let plural = if blocking.len() == 1 {
                    "blocker"
                } else {
                    "blockers"
                };
                (
                    false,
                    format!(
                        "{} {plural} not passed: {names}; score {shown} (target {target})",
                        blocking.len()
                    ),
                )
            } else if *score < policy.target {
                (false, format!("score {shown} is below the target {target}"))
            } else {
                (
                    true,
                    format!("score {shown} meets the target {target} and every blocker passed"),
                )
            }
        }
    };
    Scored {
        ready,
        reason,
        score,
        level,
        levels,
    }
}
