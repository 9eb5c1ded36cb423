//! `gate inspect`: what the gate reads from artifacts, in the shape of the corpus's
//! `expected.json` (`kind`, `format`, and one of `coverage` / `tests` / `build` / `load` / `deps`
//! with the same keys, only those the format has), plus `provenance` and, under `details`, the
//! figures the corpus shape has no key for (coverage.py's headline, failing tests, throughput,
//! `per_file_omitted` when a report has more source files than the per-file figures keep).

use readiness_evidence::{Evidence, Figures, Ratio};
use serde_json::{json, Map, Value};

/// A ratio for machines: the counts, the exact value as a reduced fraction string (`"25/426"`),
/// and the percentage at full precision (`pct`, the nearest double to the exact value). Tools
/// print it at their own precision (istanbul truncates to 2 decimals, coverage.py and Locust
/// round); compare at theirs, never at ours.
fn ratio(ratio: &Ratio) -> Value {
    json!({
        "covered": ratio.covered,
        "total": ratio.total,
        "exact": exact_fraction(ratio.covered, ratio.total),
        "pct": ratio.pct(),
    })
}

/// `covered/total` reduced, or the integer when it divides; `"0/0"` when there is nothing.
fn exact_fraction(covered: u64, total: u64) -> String {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    let divisor = gcd(covered, total);
    if divisor == 0 {
        return "0/0".to_string();
    }
    let (numerator, denominator) = (covered / divisor, total / divisor);
    if denominator == 1 {
        numerator.to_string()
    } else {
        format!("{numerator}/{denominator}")
    }
}

fn put<T: serde::Serialize>(map: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(value) = value {
        map.insert(key.to_string(), json!(value));
    }
}

/// The expected.json-shaped object of one evidence item.
pub fn to_json(evidence: &Evidence) -> Value {
    let mut object = Map::new();
    let mut details = Map::new();
    object.insert("kind".into(), json!(evidence.kind.name()));
    object.insert("format".into(), json!(evidence.format.name()));
    let (key, figures) = match &evidence.figures {
        Figures::Coverage(coverage) => {
            let mut map = Map::new();
            for (name, value) in [
                ("lines", &coverage.lines),
                ("branches", &coverage.branches),
                ("functions", &coverage.functions),
                ("statements", &coverage.statements),
            ] {
                if let Some(value) = value {
                    map.insert(name.into(), ratio(value));
                }
            }
            map.insert("files".into(), json!(coverage.files));
            if coverage.per_file_omitted > 0 {
                details.insert("per_file_omitted".into(), json!(coverage.per_file_omitted));
            }
            if let Some(headline) = &coverage.headline {
                details.insert(
                    "headline".into(),
                    json!({ "definition": headline.definition, "covered": headline.ratio.covered, "total": headline.ratio.total, "exact": exact_fraction(headline.ratio.covered, headline.ratio.total), "pct": headline.ratio.pct() }),
                );
            }
            ("coverage", map)
        }
        Figures::Tests(tests) => {
            let mut map = Map::new();
            map.insert("total".into(), json!(tests.total));
            map.insert("passed".into(), json!(tests.passed));
            map.insert("failed".into(), json!(tests.failed));
            map.insert("errors".into(), json!(tests.errors));
            map.insert("skipped".into(), json!(tests.skipped));
            put(&mut details, "duration_s", tests.duration_s);
            if !tests.failures.is_empty() {
                details.insert("failures".into(), json!(tests.failures));
            }
            ("tests", map)
        }
        Figures::Build(build) => {
            let mut map = Map::new();
            put(&mut map, "success", build.success);
            put(&mut map, "exit_code", build.exit_code);
            map.insert("error_count".into(), json!(build.error_count));
            map.insert("unresolved_imports".into(), json!(build.unresolved_imports));
            ("build", map)
        }
        Figures::Load(load) => {
            let mut map = Map::new();
            put(&mut map, "requests", load.requests);
            put(&mut map, "responses", load.responses);
            put(&mut map, "errors", load.errors);
            if !load.status_codes.is_empty() {
                map.insert("status_codes".into(), json!(load.status_codes));
            }
            put(&mut map, "p50_ms", load.p50_ms);
            put(&mut map, "p95_ms", load.p95_ms);
            put(&mut map, "p99_ms", load.p99_ms);
            put(&mut map, "max_ms", load.max_ms);
            put(&mut map, "error_rate_pct", load.error_rate_pct);
            put(&mut details, "throughput_rps", load.throughput_rps);
            if !load.endpoints.is_empty() {
                details.insert("endpoints".into(), json!(load.endpoints));
            }
            ("load", map)
        }
        Figures::Config(config) => {
            let mut map = Map::new();
            map.insert("documents".into(), json!(config.documents.len()));
            ("config", map)
        }
        Figures::Deps(deps) => {
            let mut map = Map::new();
            map.insert("problems".into(), json!(deps.problems));
            ("deps", map)
        }
    };
    object.insert(key.into(), Value::Object(figures));
    if !details.is_empty() {
        object.insert("details".into(), Value::Object(details));
    }
    object.insert("provenance".into(), json!(evidence.provenance));
    Value::Object(object)
}

/// A short human summary of one evidence item.
pub fn to_human(evidence: &Evidence) -> String {
    let mut out = format!(
        "{} ({} evidence, format {})\n",
        evidence
            .provenance
            .iter()
            .map(|p| p.path.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        evidence.kind.name(),
        evidence.format
    );
    let value = to_json(evidence);
    if let Some(figures) = value.get(evidence.kind.name()).and_then(Value::as_object) {
        for (key, figure) in figures {
            let shown = match figure {
                Value::Object(inner) if inner.contains_key("covered") => {
                    let covered = inner.get("covered").and_then(Value::as_u64).unwrap_or(0);
                    let total = inner.get("total").and_then(Value::as_u64).unwrap_or(0);
                    // Shown truncated, like every figure people read.
                    let shown = crate::value::Value::ratio(covered, total)
                        .map_or_else(|| "—".to_string(), |value| value.to_string());
                    format!("{covered} of {total} ({shown})")
                }
                Value::Array(items) if items.len() > 5 => format!("{} items", items.len()),
                other => other.to_string(),
            };
            out.push_str(&format!("  {key:<20} {shown}\n"));
        }
    }
    for provenance in &evidence.provenance {
        out.push_str(&format!(
            "  sha256 {}  {} bytes  {}\n",
            provenance.sha256,
            provenance.bytes,
            provenance.path.display()
        ));
    }
    out
}
