//! Artillery's JSON report (`artillery run --output report.json`).
//!
//! Checked against Artillery 2.0.21 (corpus `js/artillery-json-mailflow-mixed`); the 1.x report
//! shape (`aggregate.requestsCompleted`, `latency`, `codes`, `errors`) is read too.
//!
//! Only `aggregate` is read (the `intermediate` per-period snapshots are skipped while streaming).
//!
//! # Figures (Artillery 2)
//! - `requests` = counter `http.requests`; `responses` = counter `http.responses`;
//! - `errors` = the sum of the `errors.*` counters (transport errors: `errors.ETIMEDOUT`,
//!   `errors.ECONNREFUSED`, ...); HTTP 5xx responses are not errors to Artillery;
//! - `status_codes` = the `http.codes.NNN` counters;
//! - `p50_ms`/`p95_ms`/`p99_ms`/`max_ms` = summary `http.response_time` (`p50`, else `median`),
//!   Artillery's own bucketed estimates;
//! - `error_rate_pct` (Artillery prints none; derived) = (`errors` + responses with status >= 400)
//!   / `requests` * 100;
//! - `throughput_rps` = rate `http.request_rate`;
//! - `endpoints` from the `metrics-by-endpoint` plugin: requests = its `codes.*` + `errors.*`
//!   counters of the endpoint, errors = its `errors.*`, percentiles from
//!   `plugins.metrics-by-endpoint.response_time.<endpoint>`.

use super::{error_rate, is_failed_status, json::read_json};
use crate::{EndpointFigures, LoadFigures, ReadError};
use serde::Deserialize;
use serde_json::Number;
use std::collections::BTreeMap;
use std::path::Path;

const EXPECTED: &str =
    "an Artillery JSON report (`artillery run --output`) with an `aggregate` object";
const ENDPOINT_PREFIX: &str = "plugins.metrics-by-endpoint.";
const ENDPOINT_TIME_PREFIX: &str = "plugins.metrics-by-endpoint.response_time.";

pub(super) fn sniff(head: &[u8]) -> bool {
    super::json::has_key(head, "aggregate")
        && (super::json::has_key(head, "counters")
            || super::json::has_key(head, "intermediate")
            || super::json::has_key(head, "requestsCompleted"))
}

#[derive(Deserialize)]
struct Report {
    aggregate: Aggregate,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Aggregate {
    counters: BTreeMap<String, Number>,
    rates: BTreeMap<String, Option<f64>>,
    summaries: BTreeMap<String, Summary>,
    // Artillery 1.x
    #[serde(rename = "requestsCompleted")]
    requests_completed: Option<u64>,
    latency: Option<Summary>,
    codes: BTreeMap<String, u64>,
    errors: BTreeMap<String, u64>,
    rps: Option<Rps>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(default)]
struct Summary {
    max: Option<f64>,
    p50: Option<f64>,
    median: Option<f64>,
    p95: Option<f64>,
    p99: Option<f64>,
}

impl Summary {
    fn p50(&self) -> Option<f64> {
        self.p50.or(self.median)
    }
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(default)]
struct Rps {
    mean: Option<f64>,
}

pub(super) fn read(path: &Path) -> Result<LoadFigures, ReadError> {
    let report: Report = read_json(path, EXPECTED)?;
    let aggregate = report.aggregate;
    if aggregate.counters.is_empty() && aggregate.requests_completed.is_some() {
        return Ok(read_v1(&aggregate));
    }
    let count = |name: &str| -> Result<Option<u64>, ReadError> {
        aggregate
            .counters
            .get(name)
            .map(|number| counter(path, name, number))
            .transpose()
    };
    let mut figures = LoadFigures {
        requests: count("http.requests")?,
        responses: count("http.responses")?,
        ..LoadFigures::default()
    };
    let mut errors = None;
    let mut failed_responses = 0u64;
    let mut endpoints: BTreeMap<&str, (Option<u64>, Option<u64>)> = BTreeMap::new();
    for (name, number) in &aggregate.counters {
        if name.starts_with("errors.") {
            let value = counter(path, name, number)?;
            errors = Some(errors.unwrap_or(0u64).saturating_add(value));
        } else if let Some(code) = name.strip_prefix("http.codes.") {
            let value = counter(path, name, number)?;
            if is_failed_status(code) {
                failed_responses = failed_responses.saturating_add(value);
            }
            figures.status_codes.insert(code.to_string(), value);
        } else if let Some(rest) = name.strip_prefix(ENDPOINT_PREFIX) {
            let split = rest
                .rfind(".codes.")
                .map(|at| (at, false))
                .or_else(|| rest.rfind(".errors.").map(|at| (at, true)));
            if let Some((at, is_error)) = split {
                let value = counter(path, name, number)?;
                let endpoint = rest.get(..at).unwrap_or_default();
                let entry = endpoints.entry(endpoint).or_default();
                entry.0 = Some(entry.0.unwrap_or(0).saturating_add(value));
                if is_error {
                    entry.1 = Some(entry.1.unwrap_or(0).saturating_add(value));
                }
            }
        }
    }
    // Artillery only writes error counters that occurred: with requests, no counter means none.
    if errors.is_none() && figures.requests.is_some() {
        errors = Some(0);
    }
    figures.errors = errors;
    figures.error_rate_pct = error_rate(
        errors.map(|errors| errors.saturating_add(failed_responses)),
        figures.requests,
    );
    if let Some(time) = aggregate.summaries.get("http.response_time") {
        figures.p50_ms = time.p50();
        figures.p95_ms = time.p95;
        figures.p99_ms = time.p99;
        figures.max_ms = time.max;
    }
    figures.throughput_rps = aggregate.rates.get("http.request_rate").copied().flatten();
    for name in aggregate.summaries.keys() {
        if let Some(endpoint) = name.strip_prefix(ENDPOINT_TIME_PREFIX) {
            endpoints.entry(endpoint).or_default();
        }
    }
    figures.endpoints = endpoints
        .into_iter()
        .map(|(name, (requests, errors))| {
            let time = aggregate
                .summaries
                .get(&format!("{ENDPOINT_TIME_PREFIX}{name}"))
                .copied()
                .unwrap_or_default();
            EndpointFigures {
                name: name.to_string(),
                requests,
                errors: errors.or(requests.map(|_| 0)),
                p50_ms: time.p50(),
                p95_ms: time.p95,
                p99_ms: time.p99,
            }
        })
        .collect();
    Ok(figures)
}

/// Artillery 1.x: `requestsCompleted` (responses), `codes`, `errors`, `latency`, `rps`.
fn read_v1(aggregate: &Aggregate) -> LoadFigures {
    let errors: u64 = aggregate
        .errors
        .values()
        .fold(0, |sum, n| sum.saturating_add(*n));
    let responses = aggregate.requests_completed;
    let failed_responses: u64 = aggregate
        .codes
        .iter()
        .filter(|(code, _)| is_failed_status(code))
        .fold(0, |sum, (_, n)| sum.saturating_add(*n));
    let requests = responses.map(|responses| responses.saturating_add(errors));
    let latency = aggregate.latency.unwrap_or_default();
    LoadFigures {
        requests,
        responses,
        errors: Some(errors),
        status_codes: aggregate.codes.clone().into_iter().collect(),
        p50_ms: latency.p50(),
        p95_ms: latency.p95,
        p99_ms: latency.p99,
        max_ms: latency.max,
        error_rate_pct: error_rate(Some(errors.saturating_add(failed_responses)), requests),
        throughput_rps: aggregate.rps.and_then(|rps| rps.mean),
        endpoints: Vec::new(),
    }
}

fn counter(path: &Path, name: &str, number: &Number) -> Result<u64, ReadError> {
    number.as_u64().ok_or_else(|| {
        super::lines::malformed(
            path,
            None,
            format!("a whole-number count for counter `{name}`"),
            format!("`{number}`"),
        )
    })
}
