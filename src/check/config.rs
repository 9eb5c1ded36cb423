//! Configuration facts in the policy: `config("...")` / `json` / `yaml` / `toml` (inline or as
//! evidence items), queried with RFC 9535 JSONPath.
//!
//! - `.query("$.on.pull_request")` / `.values("$.jobs.*.steps[*].run")`: the values a path
//!   selects in every document of every file, with `.containing(/re/)`, `.not_containing(/re/)`,
//!   `.count` and `.exists`;
//! - `.number("$.assets[0].size")`, `.string(...)`, `.bool(...)`: the one value a path selects.
//!   A number takes its unit from the policy: an optional second argument (`"ms"`, `"s"`, `"KB"`,
//!   `"%"`, `"ratio"`, ...), otherwise the unit of what it is compared with, read in that unit's
//!   base (bytes for sizes, milliseconds for durations).

use super::glob::WorkspaceGlob;
use crate::diagnostic::Diagnostic;
use crate::syntax::span::Span;
use crate::value::Type;
use num_bigint::BigInt;
use num_rational::BigRational;
use readiness_evidence::config::JsonPath;
use readiness_evidence::Format;

/// Where configuration documents come from.
#[derive(Debug, Clone)]
pub enum ConfigSource {
    /// A declared evidence item of kind config.
    Item(String),
    /// `config("glob", ...)` written in the expression.
    Files {
        globs: Vec<WorkspaceGlob>,
        format: Format,
    },
}

/// What a query gives.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigResult {
    /// `.values(path).count`
    Count,
    /// `.query(path).exists`
    Exists,
    /// `.number(path[, unit])`: the number times `scale`, of type `ty`; `unit_given` is false
    /// while the unit may still come from what it is compared with.
    Number {
        ty: Type,
        scale: BigRational,
        unit_given: bool,
    },
    String,
    Bool,
}

/// A JSONPath query over configuration documents.
#[derive(Debug, Clone)]
pub struct ConfigQuery {
    pub source: ConfigSource,
    pub path: JsonPath,
    /// The path as written.
    pub path_text: String,
    /// `(must contain?, pattern)` filters on the selected values (strings as they are, other
    /// values as compact JSON).
    pub filters: Vec<(bool, regex::Regex)>,
    pub result: ConfigResult,
}

impl ConfigQuery {
    /// The expression as written, canonically (for policy diffs and messages).
    pub fn describe(&self) -> String {
        let source = match &self.source {
            ConfigSource::Item(name) => name.clone(),
            ConfigSource::Files { globs, format } => format!(
                "{}({})",
                if *format == Format::ConfigFile {
                    "config"
                } else {
                    format.name()
                },
                globs
                    .iter()
                    .map(|glob| format!("{:?}", glob.text))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let filters: String = self
            .filters
            .iter()
            .map(|(contain, re)| {
                format!(
                    ".{}(/{}/)",
                    if *contain {
                        "containing"
                    } else {
                        "not_containing"
                    },
                    re.as_str()
                )
            })
            .collect();
        let path = format!("{:?}", self.path_text);
        match &self.result {
            ConfigResult::Count => format!("{source}.values({path}){filters}.count"),
            ConfigResult::Exists => format!("{source}.query({path}){filters}.exists"),
            ConfigResult::Number { .. } => format!("{source}.number({path})"),
            ConfigResult::String => format!("{source}.string({path})"),
            ConfigResult::Bool => format!("{source}.bool({path})"),
        }
    }
}

/// The source functions usable inline, and the format each forces.
pub fn inline_format(function: &str) -> Option<Format> {
    match function {
        "config" => Some(Format::ConfigFile),
        "json" => Some(Format::Json),
        "yaml" => Some(Format::Yaml),
        "toml" => Some(Format::Toml),
        _ => None,
    }
}

/// Parses a JSONPath argument.
pub fn parse_path(text: &str, span: Span) -> Result<JsonPath, Diagnostic> {
    JsonPath::parse(text).map_err(|error| {
        Diagnostic::error(
            "invalid-jsonpath",
            format!("`{text}` is not a valid JSONPath: {error}"),
        )
        .label(span, "this path")
        .help("paths follow RFC 9535, e.g. `$.jobs.*.steps[*].run` or `$.services[?@.healthcheck]`")
    })
}

/// The unit named by `.number(path, "unit")`: its type and the factor to its base unit.
pub fn unit(text: &str, span: Span) -> Result<(Type, BigRational), Diagnostic> {
    let integer = |n: i64| BigRational::from_integer(BigInt::from(n));
    Ok(match text {
        "" | "number" | "count" => (Type::Number, integer(1)),
        "ms" => (Type::Duration, integer(1)),
        "s" => (Type::Duration, integer(1_000)),
        "m" | "min" => (Type::Duration, integer(60_000)),
        "h" => (Type::Duration, integer(3_600_000)),
        "B" | "bytes" => (Type::Size, integer(1)),
        "KB" => (Type::Size, integer(1 << 10)),
        "MB" => (Type::Size, integer(1 << 20)),
        "GB" => (Type::Size, integer(1 << 30)),
        "%" => (Type::Percent, BigRational::new(BigInt::from(1), BigInt::from(100))),
        "ratio" => (Type::Percent, integer(1)),
        other => {
            return Err(Diagnostic::error(
                "unknown-unit",
                format!("`{other}` is not a unit a configuration number can have"),
            )
            .label(span, "unknown unit")
            .help("the units are \"ms\", \"s\", \"m\", \"h\", \"B\", \"KB\", \"MB\", \"GB\", \"%\" (0 to 100) and \"ratio\" (0 to 1)"))
        }
    })
}

/// A `.number(path)` without a unit compared with (or added to) a duration or a size is read in
/// that unit's base: bytes or milliseconds. Returns the new type when it adopted one.
pub fn adopt_unit(query: &mut ConfigQuery, other: Type) -> Option<Type> {
    match &mut query.result {
        ConfigResult::Number {
            ty,
            scale,
            unit_given: false,
        } if matches!(other, Type::Duration | Type::Size) => {
            *ty = other;
            *scale = BigRational::from_integer(BigInt::from(1));
            Some(other)
        }
        _ => None,
    }
}
