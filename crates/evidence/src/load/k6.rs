//! k6's end-of-test summary as JSON, in both of its shapes:
//! - `k6 run --summary-export=summary.json`: each metric's statistics inline
//!   (`"http_reqs": {"count": 1000, "rate": 33.2}`);
//! - `handleSummary(data)` returning `JSON.stringify(data)`: statistics under `values`
//!   (`"http_reqs": {"type": "counter", "values": {"count": 1000, "rate": 33.2}}`).
//!
//! Shapes as documented for k6 0.3x to 1.x ("Results output: end of test"). Only the `metrics`
//! object is read, and in it only the HTTP metrics below (the rest, `root_group` with its checks
//! included, is skipped while streaming).
//!
//! # Figures
//! - `requests` = `http_reqs.count`; `throughput_rps` = `http_reqs.rate`;
//! - `errors` = the failed requests of `http_req_failed` (its `passes`: k6 counts the *true*
//!   samples of a rate metric as passes, and a true `http_req_failed` sample is a failed request:
//!   status >= 400 or no response, unless the script changed `setResponseCallback`);
//! - `error_rate_pct` = `passes / (passes + fails) * 100` of `http_req_failed` (its `value` * 100
//!   when the counts are absent);
//! - `responses`: k6 does not count responses apart from requests, so `None`;
//! - `p50_ms` = `http_req_duration` `med` (or `p(50)`), `p95_ms`/`p99_ms` = `p(95)`/`p(99)` where
//!   `summaryTrendStats` included them (k6's default has `p(90)` and `p(95)`, no `p(99)`),
//!   `max_ms` = `max`; k6 writes durations in milliseconds in both shapes;
//! - `status_codes` from sub-metrics `http_reqs{status:NNN}` (present when thresholds name them);
//! - `endpoints` from sub-metrics tagged `{name:...}` of `http_req_duration`, `http_reqs` and
//!   `http_req_failed`.

use super::json::read_json;
use crate::{EndpointFigures, LoadFigures, ReadError};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Number;
use std::collections::BTreeMap;
use std::path::Path;

const EXPECTED: &str =
    "a k6 JSON summary (`--summary-export` or `handleSummary`) with a `metrics` object";
/// At most this many tagged sub-metrics are kept.
const MAX_TAGGED: usize = 1000;

pub(super) fn sniff(head: &[u8]) -> bool {
    use super::json::has_key;
    has_key(head, "metrics")
        && (has_key(head, "root_group")
            || has_key(head, "http_reqs")
            || has_key(head, "http_req_duration")
            || has_key(head, "iterations")
            || has_key(head, "vus_max"))
}

#[derive(Deserialize)]
struct Summary {
    metrics: Metrics,
}

#[derive(Default)]
struct Metrics {
    reqs: Option<Values>,
    duration: Option<Values>,
    failed: Option<Values>,
    /// (metric, tag, tag value, statistics) of tagged sub-metrics.
    tagged: Vec<(Base, String, String, Values)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Base {
    Reqs,
    Duration,
    Failed,
}

impl Base {
    fn of(name: &str) -> Option<Base> {
        match name {
            "http_reqs" => Some(Base::Reqs),
            "http_req_duration" => Some(Base::Duration),
            "http_req_failed" => Some(Base::Failed),
            _ => None,
        }
    }
}

#[derive(Deserialize, Default)]
struct Metric {
    #[serde(default)]
    values: Option<Values>,
    #[serde(flatten)]
    inline: Values,
}

impl Metric {
    fn values(self) -> Values {
        self.values.unwrap_or(self.inline)
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct Values {
    count: Option<Number>,
    rate: Option<f64>,
    med: Option<f64>,
    max: Option<f64>,
    #[serde(rename = "p(50)")]
    p50: Option<f64>,
    #[serde(rename = "p(95)")]
    p95: Option<f64>,
    #[serde(rename = "p(99)")]
    p99: Option<f64>,
    passes: Option<Number>,
    fails: Option<Number>,
    value: Option<f64>,
}

impl<'de> Deserialize<'de> for Metrics {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MetricsVisitor)
    }
}

struct MetricsVisitor;

impl<'de> Visitor<'de> for MetricsVisitor {
    type Value = Metrics;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an object of k6 metrics")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Metrics, A::Error> {
        let mut metrics = Metrics::default();
        while let Some(key) = map.next_key::<String>()? {
            let (name, tag) = match key.split_once('{') {
                Some((name, rest)) => (name, Some(rest.trim_end_matches('}'))),
                None => (key.as_str(), None),
            };
            let Some(base) = Base::of(name.trim()) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            match tag {
                None => {
                    let values = map.next_value::<Metric>()?.values();
                    match base {
                        Base::Reqs => metrics.reqs = Some(values),
                        Base::Duration => metrics.duration = Some(values),
                        Base::Failed => metrics.failed = Some(values),
                    }
                }
                Some(tag) => {
                    let single = tag.split_once(':').filter(|(key, value)| {
                        !value.contains(',') && matches!(key.trim(), "status" | "name")
                    });
                    match single {
                        Some((tag, value)) if metrics.tagged.len() < MAX_TAGGED => {
                            let values = map.next_value::<Metric>()?.values();
                            metrics.tagged.push((
                                base,
                                tag.trim().to_string(),
                                value.trim().to_string(),
                                values,
                            ));
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
            }
        }
        Ok(metrics)
    }
}

pub(super) fn read(path: &Path) -> Result<LoadFigures, ReadError> {
    let summary: Summary = read_json(path, EXPECTED)?;
    let metrics = summary.metrics;
    let whole = |number: &Option<Number>, what: &str| -> Result<Option<u64>, ReadError> {
        match number {
            None => Ok(None),
            Some(number) => number
                .as_u64()
                .or_else(|| {
                    number
                        .as_f64()
                        .filter(|value| value.fract() == 0.0 && *value >= 0.0 && *value < 9.0e15)
                        .map(|value| value as u64)
                })
                .map(Some)
                .ok_or_else(|| {
                    super::lines::malformed(
                        path,
                        None,
                        format!("a whole-number count in {what}"),
                        format!("`{number}`"),
                    )
                }),
        }
    };
    let mut figures = LoadFigures::default();
    if let Some(reqs) = &metrics.reqs {
        figures.requests = whole(&reqs.count, "`http_reqs`")?;
        figures.throughput_rps = reqs.rate;
    }
    if let Some(failed) = &metrics.failed {
        let passes = whole(&failed.passes, "`http_req_failed`")?;
        let fails = whole(&failed.fails, "`http_req_failed`")?;
        figures.errors = passes;
        figures.error_rate_pct = match (passes, fails) {
            (Some(passes), Some(fails)) => {
                super::error_rate(Some(passes), Some(passes.saturating_add(fails)))
            }
            _ => failed.value.map(|rate| rate * 100.0),
        };
    }
    if let Some(duration) = &metrics.duration {
        figures.p50_ms = duration.med.or(duration.p50);
        figures.p95_ms = duration.p95;
        figures.p99_ms = duration.p99;
        figures.max_ms = duration.max;
    }
    let mut endpoints: BTreeMap<String, EndpointFigures> = BTreeMap::new();
    for (base, tag, value, values) in &metrics.tagged {
        match (base, tag.as_str()) {
            (Base::Reqs, "status") => {
                if let Some(count) = whole(&values.count, "a `http_reqs{status}` sub-metric")? {
                    figures.status_codes.insert(value.clone(), count);
                }
            }
            (_, "name") => {
                let endpoint = endpoints
                    .entry(value.clone())
                    .or_insert_with(|| EndpointFigures {
                        name: value.clone(),
                        ..EndpointFigures::default()
                    });
                match base {
                    Base::Reqs => {
                        endpoint.requests = whole(&values.count, "a `http_reqs{name}` sub-metric")?;
                    }
                    Base::Failed => {
                        endpoint.errors =
                            whole(&values.passes, "a `http_req_failed{name}` sub-metric")?;
                    }
                    Base::Duration => {
                        endpoint.p50_ms = values.med.or(values.p50);
                        endpoint.p95_ms = values.p95;
                        endpoint.p99_ms = values.p99;
                    }
                }
            }
            _ => {}
        }
    }
    figures.endpoints = endpoints.into_values().collect();
    Ok(figures)
}
