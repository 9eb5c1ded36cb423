//! Typed, exact values: the types of the policy language and their runtime values.
//!
//! Quantities are exact rationals (`num_rational::BigRational`): `69.995%` is below `70%`, and
//! rounding happens only when a value is displayed. Percentages are stored as fractions (70% is
//! 7/10), durations in milliseconds, sizes in bytes.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use serde::{Deserialize, Serialize};

/// The type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Type {
    /// A plain number or count.
    Number,
    /// A share, written `70%`; the quotient of two numbers is one too.
    Percent,
    Duration,
    Size,
    Bool,
    String,
    Date,
    Regex,
    /// A set of workspace files, from `files(glob)`.
    Files,
    /// One workspace file, from `file(path)`.
    File,
    /// An evidence item itself (not one of its figures).
    Evidence,
    /// The values a JSONPath query selects in configuration files.
    Values,
}

impl Type {
    /// How the type is called in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Type::Number => "a number",
            Type::Percent => "a percentage",
            Type::Duration => "a duration",
            Type::Size => "a size",
            Type::Bool => "a yes/no value",
            Type::String => "a string",
            Type::Date => "a date",
            Type::Regex => "a regular expression",
            Type::Files => "a set of files",
            Type::File => "a file",
            Type::Evidence => "an evidence item",
            Type::Values => "a set of configuration values",
        }
    }

    /// An example literal of the type, for help texts.
    pub fn example(self) -> &'static str {
        match self {
            Type::Number => "`3`",
            Type::Percent => "`70%`",
            Type::Duration => "`500ms` or `2s`",
            Type::Size => "`5MB`",
            Type::Bool => "`true`",
            Type::String => "`\"text\"`",
            Type::Date => "`2026-12-31`",
            Type::Regex => "`/pattern/`",
            Type::Files => "`files(\"src/**/*.ts\")`",
            Type::File => "`file(\"next.config.mjs\")`",
            Type::Evidence => "`coverage.lines`",
            Type::Values => "`config(\"ci.yml\").values(\"$..run\")`",
        }
    }

    /// Whether values of this type are quantities (compared with `<`, added, ...).
    pub fn is_quantity(self) -> bool {
        matches!(
            self,
            Type::Number | Type::Percent | Type::Duration | Type::Size
        )
    }
}

/// A runtime value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Quantity(Type, BigRational),
    Bool(bool),
    String(String),
    Date(time::Date),
}

impl Value {
    pub fn number(n: u64) -> Value {
        Value::Quantity(Type::Number, BigRational::from_integer(BigInt::from(n)))
    }

    /// An exact ratio `covered/total` as a percentage value; `None` for 0/0.
    pub fn ratio(covered: u64, total: u64) -> Option<Value> {
        (total != 0).then(|| {
            Value::Quantity(
                Type::Percent,
                BigRational::new(BigInt::from(covered), BigInt::from(total)),
            )
        })
    }

    /// A float a tool wrote (e.g. `645.6` ms), taken at its shortest decimal representation, which
    /// is the number the tool printed.
    pub fn from_float(ty: Type, value: f64, scale: BigRational) -> Option<Value> {
        if !value.is_finite() {
            return None;
        }
        let text = format!("{value}");
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let magnitude = crate::syntax::parse_decimal(digits)?;
        let signed = if negative { -magnitude } else { magnitude };
        Some(Value::Quantity(ty, signed * scale))
    }

    pub fn ty(&self) -> Type {
        match self {
            Value::Quantity(ty, _) => *ty,
            Value::Bool(_) => Type::Bool,
            Value::String(_) => Type::String,
            Value::Date(_) => Type::Date,
        }
    }

    /// The value as a float, for JSON (decisions never use it).
    pub fn to_f64(&self) -> Option<f64> {
        match self {
            Value::Quantity(Type::Percent, value) => value.to_f64().map(|v| v * 100.0),
            Value::Quantity(_, value) => value.to_f64(),
            _ => None,
        }
    }
}

/// Displays a value for people: percentages with up to two decimals (never rounded up to a
/// threshold: 69.995% shows as `69.99%`), durations in the most readable unit.
impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Quantity(Type::Percent, value) => {
                let hundred = BigRational::from_integer(BigInt::from(100));
                write!(f, "{}%", truncated_decimal(&(value * hundred), 2))
            }
            Value::Quantity(Type::Duration, ms) => {
                let thousand = BigRational::from_integer(BigInt::from(1000));
                if ms.abs() >= thousand {
                    write!(f, "{}s", truncated_decimal(&(ms / thousand), 3))
                } else {
                    write!(f, "{}ms", truncated_decimal(ms, 1))
                }
            }
            Value::Quantity(Type::Size, bytes) => {
                let units = [("GB", 1u64 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
                for (name, factor) in units {
                    let factor = BigRational::from_integer(BigInt::from(factor));
                    if bytes.abs() >= factor {
                        return write!(f, "{}{name}", truncated_decimal(&(bytes / factor), 2));
                    }
                }
                write!(f, "{}B", truncated_decimal(bytes, 0))
            }
            Value::Quantity(_, value) => write!(f, "{}", truncated_decimal(value, 2)),
            Value::Bool(value) => write!(f, "{value}"),
            Value::String(value) => write!(f, "{value:?}"),
            Value::Date(date) => write!(f, "{date}"),
        }
    }
}

/// A decimal with at most `places` decimals, truncated toward zero (so a display never shows a
/// value reaching a threshold it does not reach), trailing zeros removed.
pub fn truncated_decimal(value: &BigRational, places: u32) -> String {
    let scale = num_traits::pow(BigInt::from(10), places as usize);
    let scaled = (value * BigRational::from_integer(scale.clone()))
        .trunc()
        .to_integer();
    let negative = scaled < BigInt::zero();
    let magnitude = if negative { -scaled } else { scaled };
    let whole = &magnitude / &scale;
    let fraction = &magnitude % &scale;
    let mut text = whole.to_string();
    if places > 0 && !fraction.is_zero() {
        let digits = format!("{:0>width$}", fraction.to_string(), width = places as usize);
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    if negative {
        format!("-{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_truncated_for_display() {
        let v = Value::Quantity(
            Type::Percent,
            BigRational::new(BigInt::from(69995), BigInt::from(100000)),
        );
        assert_eq!(v.to_string(), "69.99%");
        assert_eq!(
            Value::ratio(105, 152).map(|v| v.to_string()).as_deref(),
            Some("69.07%")
        );
    }

    #[test]
    fn floats_keep_the_printed_decimal() {
        let v = Value::from_float(Type::Duration, 645.6, BigRational::from_integer(1.into()));
        assert_eq!(
            v,
            Some(Value::Quantity(
                Type::Duration,
                BigRational::new(BigInt::from(6456), BigInt::from(10))
            ))
        );
    }
}
