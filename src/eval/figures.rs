//! Reading a named figure (`lines`, `p95`, `patch.lines`, ...) out of the evidence readers'
//! figures, as an exact value. A figure the artifact does not carry is unknown, never zero.

use super::Unknown;
use crate::value::{Type, Value};
use num_bigint::BigInt;
use num_rational::BigRational;
use readiness_evidence::{Evidence, Figures, Ratio};

fn one() -> BigRational {
    BigRational::from_integer(BigInt::from(1))
}

fn missing(item: &str, field: &str, format: &str) -> Unknown {
    Unknown(format!(
        "the {format} report for `{item}` has no `{field}` figure"
    ))
}

fn ratio(item: &str, field: &str, format: &str, ratio: Option<Ratio>) -> Result<Value, Unknown> {
    let ratio = ratio.ok_or_else(|| missing(item, field, format))?;
    Value::ratio(ratio.covered, ratio.total).ok_or_else(|| {
        Unknown(format!(
            "the {format} report for `{item}` counts no {field} (0 of 0)"
        ))
    })
}

fn count(item: &str, field: &str, format: &str, value: Option<u64>) -> Result<Value, Unknown> {
    value
        .map(Value::number)
        .ok_or_else(|| missing(item, field, format))
}

fn float(
    item: &str,
    field: &str,
    format: &str,
    ty: Type,
    value: Option<f64>,
    scale: BigRational,
) -> Result<Value, Unknown> {
    let value = value.ok_or_else(|| missing(item, field, format))?;
    Value::from_float(ty, value, scale)
        .ok_or_else(|| Unknown(format!("`{item}.{field}` is not a finite number")))
}

/// The value of `field` of an evidence item.
pub fn figure(item: &str, evidence: &Evidence, field: &str) -> Result<Value, Unknown> {
    let format = evidence.format.name();
    match &evidence.figures {
        Figures::Coverage(coverage) => {
            if coverage.files == 0 && coverage.lines.is_none_or(|lines| lines.total == 0) {
                return Err(Unknown(format!("the {format} report for `{item}` covers no files")));
            }
            let part = |name: &str| match name {
                "lines" => coverage.lines,
                "branches" => coverage.branches,
                "functions" => coverage.functions,
                "statements" => coverage.statements,
                _ => None,
            };
            match field {
                "lines" | "branches" | "functions" | "statements" => ratio(item, field, format, part(field)),
                "percent" => match &coverage.headline {
                    Some(headline) => ratio(item, field, format, Some(headline.ratio)),
                    None => ratio(item, "lines", format, coverage.lines),
                },
                "files" => Ok(Value::number(coverage.files)),
                "lines_missed" => coverage
                    .lines
                    .map(|lines| Value::number(lines.total.saturating_sub(lines.covered)))
                    .ok_or_else(|| missing(item, "lines", format)),
                "patch.lines" | "patch.branches" => Err(Unknown(
                    "patch coverage needs the changed lines of the pull request, which this version does not compute yet".to_string(),
                )),
                other => {
                    let (name, which) = other.rsplit_once('_').unwrap_or((other, ""));
                    let pair = part(name).ok_or_else(|| missing(item, name, format))?;
                    match which {
                        "covered" => Ok(Value::number(pair.covered)),
                        "total" => Ok(Value::number(pair.total)),
                        _ => Err(Unknown(format!("internal error: unknown coverage field `{other}`; please report"))),
                    }
                }
            }
        }
        Figures::Tests(tests) => {
            if tests.total == 0 {
                return Err(Unknown(format!("the {format} report for `{item}` holds no test cases")));
            }
            match field {
                "total" => Ok(Value::number(tests.total)),
                "passed" => Ok(Value::number(tests.passed)),
                "failed" => Ok(Value::number(tests.failed)),
                "errors" => Ok(Value::number(tests.errors)),
                "skipped" => Ok(Value::number(tests.skipped)),
                "pass_rate" => ratio(item, field, format, Some(Ratio { covered: tests.passed, total: tests.total })),
                "duration" => float(item, field, format, Type::Duration, tests.duration_s, BigRational::from_integer(BigInt::from(1000))),
                other => Err(Unknown(format!("internal error: unknown tests field `{other}`; please report"))),
            }
        }
        Figures::Build(build) => match field {
            // A recorded exit status 0 beside a log that reports errors is a contradiction: it is
            // reported, not resolved either way.
            "succeeded" if build.success == Some(true)
                && (build.error_count > 0 || !build.unresolved_imports.is_empty()) =>
            {
                Err(Unknown(format!(
                    "the exit status of `{item}` is 0, but its {format} log reports {} error{} and {} unresolved import{}{}: the exit status was probably lost (a pipe, `|| true`); record it with `echo $? > STEP.exit` right after the command",
                    build.error_count,
                    if build.error_count == 1 { "" } else { "s" },
                    build.unresolved_imports.len(),
                    if build.unresolved_imports.len() == 1 { "" } else { "s" },
                    build
                        .unresolved_imports
                        .first()
                        .map(|import| format!(" (`{}` in `{}`)", import.specifier, import.file))
                        .unwrap_or_default()
                )))
            }
            "succeeded" => build.success.map(Value::Bool).ok_or_else(|| {
                Unknown(format!(
                    "the {format} log for `{item}` does not say whether the build succeeded: save the exit code beside it (`echo $? > logs/build.exit` for `logs/build.log`)"
                ))
            }),
            "exit_code" => build
                .exit_code
                .map(|code| Value::Quantity(Type::Number, BigRational::from_integer(BigInt::from(code))))
                .ok_or_else(|| missing(item, field, format)),
            "error_count" => Ok(Value::number(build.error_count)),
            "unresolved_imports" => Ok(Value::number(build.unresolved_imports.len() as u64)),
            other => Err(Unknown(format!("internal error: unknown build field `{other}`; please report"))),
        },
        Figures::Load(load) => match field {
            "requests" | "samples" => count(item, "requests", format, load.requests),
            "responses" => count(item, field, format, load.responses),
            "errors" => count(item, field, format, load.errors),
            // The tool's own error rate where it reports one; otherwise errors / requests.
            "error_rate" => match (load.error_rate_pct, load.errors, load.requests) {
                (Some(pct), _, _) => float(item, field, format, Type::Percent, Some(pct), one() / BigRational::from_integer(BigInt::from(100))),
                (None, Some(errors), Some(requests)) => ratio(item, field, format, Some(Ratio { covered: errors, total: requests })),
                _ => Err(missing(item, field, format)),
            },
            "p50" => float(item, field, format, Type::Duration, load.p50_ms, one()),
            "p95" => float(item, field, format, Type::Duration, load.p95_ms, one()),
            "p99" => float(item, field, format, Type::Duration, load.p99_ms, one()),
            "max" => float(item, field, format, Type::Duration, load.max_ms, one()),
            "throughput" => float(item, field, format, Type::Number, load.throughput_rps, one()),
            other => Err(Unknown(format!("internal error: unknown load field `{other}`; please report"))),
        },
        Figures::Config(_) => Err(Unknown(format!(
            "configuration evidence `{item}` has no figure `{field}`: query it with JSONPath"
        ))),
        Figures::Deps(deps) => match field {
            "problems" => Ok(Value::number(deps.problems.len() as u64)),
            other => Err(Unknown(format!("internal error: unknown deps field `{other}`; please report"))),
        },
    }
}
