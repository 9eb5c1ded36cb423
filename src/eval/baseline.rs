//! Baselines: `base.<item>.<figure>` reads a figure from the JSON report of the base branch's run
//! (`gate check --format json --output results.json`, kept as a CI artifact and given to the
//! pull request's run with `--baseline FILE`). The CLI reads the file before evaluation and hands
//! its text to [`Baseline::from_json`]; nothing here touches the disk.
//!
//! Every evidence item of a JSON report carries the figures it read, exactly (`figures`, see
//! `docs/report-json.md`): a fraction or a decimal, never a rounded float, so
//! `coverage.lines >= base.coverage.lines - 0.5%` compares exactly what both runs measured.
//!
//! Nothing here passes by default: without a baseline, or when the baseline lacks the item or the
//! figure, or its run had fewer load samples than the item's `min_samples`, the figure is unknown
//! and says why.

use super::outcome::{BaselineInfo, ExactFigure};
use super::Unknown;
use crate::value::{Type, Value};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use std::collections::BTreeMap;

/// The figures of a base branch's run.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// The results file, as given (for messages).
    pub file: String,
    /// The commit the baseline was made at, when the report says.
    pub commit: Option<String>,
    /// The policy that made it.
    pub policy: Option<String>,
    items: BTreeMap<String, BaselineItem>,
    /// Why there are no figures at all (`--baseline github` and the base commit has no run
    /// that kept them): every `base.` figure is unknown with this reason.
    unavailable: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct BaselineItem {
    status: String,
    problem: Option<String>,
    figures: BTreeMap<String, Value>,
}

impl Baseline {
    /// Parses the JSON report of `gate check --format json`; `file` names it in messages.
    pub fn from_json(text: &str, file: &str) -> Result<Baseline, String> {
        let json: serde_json::Value = serde_json::from_str(text)
            .map_err(|error| format!("the baseline `{file}` is not JSON: {error}"))?;
        let version = json
            .get("schema_version")
            .and_then(serde_json::Value::as_u64);
        if version != Some(u64::from(super::SCHEMA_VERSION)) {
            return Err(format!(
                "the baseline `{file}` is not a `gate check --format json` report of schema version {}",
                super::SCHEMA_VERSION
            ));
        }
        if json.get("verdict").and_then(serde_json::Value::as_str) == Some("invalid") {
            return Err(format!(
                "the baseline `{file}` is the report of an invalid policy: it has no figures"
            ));
        }
        let evidence = json
            .get("evidence")
            .and_then(serde_json::Value::as_array)
            .ok_or_else(|| format!("the baseline `{file}` has no `evidence` list"))?;
        let mut items = BTreeMap::new();
        for entry in evidence {
            let Some(name) = entry.get("name").and_then(serde_json::Value::as_str) else {
                continue;
            };
            let mut figures = BTreeMap::new();
            if let Some(map) = entry.get("figures").and_then(serde_json::Value::as_object) {
                for (field, figure) in map {
                    if let Some(value) = parse_figure(figure) {
                        figures.insert(field.clone(), value);
                    }
                }
            }
            let text = |key: &str| {
                entry
                    .get(key)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string)
            };
            items.insert(
                name.to_string(),
                BaselineItem {
                    status: text("status").unwrap_or_default(),
                    problem: text("problem"),
                    figures,
                },
            );
        }
        let text = |value: Option<&serde_json::Value>| {
            value
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        Ok(Baseline {
            file: file.to_string(),
            commit: text(json.get("commit")).filter(|commit| !commit.is_empty()),
            policy: text(json.get("policy").and_then(|policy| policy.get("name"))),
            items,
            unavailable: None,
        })
    }

    /// A baseline that has no figures, and why: every `base.` figure is unknown with `reason`.
    pub fn unavailable(file: &str, reason: &str) -> Baseline {
        Baseline {
            file: file.to_string(),
            commit: None,
            policy: None,
            items: BTreeMap::new(),
            unavailable: Some(reason.to_string()),
        }
    }

    /// What the outcome says about this baseline.
    pub fn info(&self) -> BaselineInfo {
        BaselineInfo {
            file: self.file.clone(),
            commit: self.commit.clone(),
            policy: self.policy.clone(),
        }
    }

    /// The baseline and its commit, for messages: `` the baseline `results.json` (commit 1a2b3c4) ``.
    pub fn describe(&self) -> String {
        match &self.commit {
            Some(commit) => format!("the baseline `{}` (commit {})", self.file, short(commit)),
            None => format!("the baseline `{}` (commit unknown)", self.file),
        }
    }

    /// `base.<item>.<field>`: the figure of the baseline, of type `ty`. `min_samples` is the
    /// item's noise gate: a baseline run with fewer samples gives no figure either.
    pub(crate) fn figure(
        &self,
        item: &str,
        field: &str,
        ty: Type,
        min_samples: Option<u64>,
    ) -> Result<Value, Unknown> {
        let name = format!("base.{item}.{field}");
        if let Some(reason) = &self.unavailable {
            return Err(Unknown(format!(
                "no baseline: {reason}, so `{name}` is unknown"
            )));
        }
        let Some(found) = self.items.get(item) else {
            return Err(Unknown(format!(
                "{} has no evidence item `{item}`, so `{name}` is unknown",
                self.describe()
            )));
        };
        if found.status != "read" {
            let why = found
                .problem
                .as_deref()
                .map(|p| format!(": {p}"))
                .unwrap_or_default();
            return Err(Unknown(format!(
                "{} did not read `{item}` (status `{}`{why}), so `{name}` is unknown",
                self.describe(),
                if found.status.is_empty() {
                    "unknown"
                } else {
                    &found.status
                }
            )));
        }
        if found.figures.is_empty() {
            return Err(Unknown(format!(
                "{} carries no figures (it was made by an older `gate`), so `{name}` is unknown",
                self.describe()
            )));
        }
        if let Some(required) = min_samples {
            match found.figures.get("samples") {
                Some(Value::Quantity(_, samples)) if *samples < BigRational::from_integer(BigInt::from(required)) => {
                    return Err(Unknown(format!(
                        "{} has {} samples of `{item}`, fewer than the {required} required, so `{name}` is unknown",
                        self.describe(),
                        samples.to_integer()
                    )))
                }
                Some(_) => {}
                None => {
                    return Err(Unknown(format!(
                        "{} does not give the sample count of `{item}`, so `min_samples {required}` cannot be checked and `{name}` is unknown",
                        self.describe()
                    )))
                }
            }
        }
        match found.figures.get(field) {
            Some(value) if value.ty() == ty => Ok(value.clone()),
            Some(value) => Err(Unknown(format!(
                "`{name}` is {} in {}, but {} here",
                value.ty().describe(),
                self.describe(),
                ty.describe()
            ))),
            None => Err(Unknown(format!(
                "{} has no `{field}` figure for `{item}`, so `{name}` is unknown",
                self.describe()
            ))),
        }
    }
}

/// The first 7 characters of a commit hash (all of anything shorter or not a hash).
pub fn short(commit: &str) -> &str {
    crate::repo::git::short_commit(commit)
}

/// A figure as the JSON report writes it.
pub(crate) fn exact_figure(value: &Value) -> Option<ExactFigure> {
    let exact = match value {
        Value::Quantity(_, number) => exact_text(number),
        Value::Bool(value) => value.to_string(),
        _ => return None,
    };
    Some(ExactFigure {
        ty: value.ty(),
        exact,
        display: value.to_string(),
    })
}

fn parse_figure(figure: &serde_json::Value) -> Option<Value> {
    let ty = match figure.get("type")?.as_str()? {
        "number" => Type::Number,
        "percent" => Type::Percent,
        "duration" => Type::Duration,
        "size" => Type::Size,
        "bool" => Type::Bool,
        _ => return None,
    };
    let exact = figure.get("exact")?.as_str()?;
    if ty == Type::Bool {
        return match exact {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        };
    }
    parse_exact(exact).map(|number| Value::Quantity(ty, number))
}

/// A rational as an exact decimal when it has one (`645.6`, `-3`), otherwise `n/d` (`105/152`).
pub fn exact_text(number: &BigRational) -> String {
    let mut denominator = number.denom().clone();
    let (two, five) = (BigInt::from(2), BigInt::from(5));
    let mut twos = 0usize;
    let mut fives = 0usize;
    while (&denominator % &two).is_zero() {
        denominator /= &two;
        twos += 1;
    }
    while (&denominator % &five).is_zero() {
        denominator /= &five;
        fives += 1;
    }
    if !denominator.is_one() {
        return format!("{}/{}", number.numer(), number.denom());
    }
    let places = twos.max(fives);
    crate::value::truncated_decimal(number, u32::try_from(places).unwrap_or(u32::MAX))
}

/// Parses [`exact_text`]'s output.
pub fn parse_exact(text: &str) -> Option<BigRational> {
    let text = text.trim();
    let (negative, magnitude) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = match magnitude.split_once('/') {
        Some((numerator, denominator)) => {
            let numerator: BigInt = numerator.parse().ok()?;
            let denominator: BigInt = denominator.parse().ok()?;
            if denominator.is_zero() || numerator.is_negative() || denominator.is_negative() {
                return None;
            }
            BigRational::new(numerator, denominator)
        }
        None => {
            if magnitude.is_empty() || !magnitude.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return None;
            }
            crate::syntax::parse_decimal(magnitude)?
        }
    };
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rational(n: i64, d: i64) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn exact_text_round_trips() {
        for (value, text) in [
            (rational(105, 152), "105/152"),
            (rational(6456, 10), "645.6"),
            (rational(-3, 1), "-3"),
            (rational(1, 3), "1/3"),
            (rational(7, 10), "0.7"),
            (rational(-1, 8), "-0.125"),
        ] {
            assert_eq!(exact_text(&value), text);
            assert_eq!(parse_exact(text), Some(value));
        }
        assert_eq!(parse_exact("1/0"), None);
        assert_eq!(parse_exact("1e3"), None);
    }
}
