//! autocannon's JSON result (`autocannon --json URL > result.json`).
//!
//! Checked against autocannon 9.0.0 (corpus `js/autocannon-json-personalize`).
//!
//! # Figures
//! - `requests` = `requests.sent`; `responses` = `requests.total` (responses received);
//! - `errors` = `errors` (transport errors, timeouts included); non-2xx responses are counted
//!   apart by autocannon (`non2xx`) and are not errors to it;
//! - `status_codes` = `statusCodeStats` (per code); autocannon versions without it give the
//!   `1xx`..`5xx` classes instead;
//! - `p50_ms`, `p99_ms`, `max_ms` = `latency.p50`, `latency.p99`, `latency.max`; autocannon has no
//!   p95 (only p90 and p97.5), so `p95_ms` is `None`;
//! - `error_rate_pct` (derived) = (`errors` + `4xx` + `5xx`) / `requests.sent` * 100;
//! - `throughput_rps` = `requests.average` (requests per second).

use super::{error_rate, json::read_json};
use crate::{LoadFigures, ReadError};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

const EXPECTED: &str = "an autocannon JSON result (`autocannon --json`)";

pub(super) fn sniff(head: &[u8]) -> bool {
    use super::json::has_key;
    has_key(head, "latency")
        && has_key(head, "requests")
        && (has_key(head, "non2xx") || has_key(head, "statusCodeStats") || has_key(head, "2xx"))
}

#[derive(Deserialize)]
struct Output {
    requests: Requests,
    latency: Latency,
    #[serde(default)]
    errors: Option<u64>,
    #[serde(default, rename = "statusCodeStats")]
    status_code_stats: Option<BTreeMap<String, CodeStat>>,
    #[serde(default, rename = "1xx")]
    c1xx: Option<u64>,
    #[serde(default, rename = "2xx")]
    c2xx: Option<u64>,
    #[serde(default, rename = "3xx")]
    c3xx: Option<u64>,
    #[serde(default, rename = "4xx")]
    c4xx: Option<u64>,
    #[serde(default, rename = "5xx")]
    c5xx: Option<u64>,
}

#[derive(Deserialize)]
struct Requests {
    #[serde(default)]
    sent: Option<u64>,
    #[serde(default)]
    total: Option<u64>,
    #[serde(default)]
    average: Option<f64>,
}

#[derive(Deserialize)]
struct Latency {
    #[serde(default)]
    p50: Option<f64>,
    #[serde(default)]
    p99: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
}

#[derive(Deserialize)]
struct CodeStat {
    count: u64,
}

pub(super) fn read(path: &Path) -> Result<LoadFigures, ReadError> {
    let result: Output = read_json(path, EXPECTED)?;
    let status_codes: BTreeMap<String, u64> = match result.status_code_stats {
        Some(stats) => stats
            .into_iter()
            .map(|(code, stat)| (code, stat.count))
            .collect(),
        None => [
            ("1xx", result.c1xx),
            ("2xx", result.c2xx),
            ("3xx", result.c3xx),
            ("4xx", result.c4xx),
            ("5xx", result.c5xx),
        ]
        .into_iter()
        .filter_map(|(class, count)| {
            count
                .filter(|count| *count > 0)
                .map(|c| (class.to_string(), c))
        })
        .collect(),
    };
    let failed_responses = result
        .c4xx
        .unwrap_or(0)
        .saturating_add(result.c5xx.unwrap_or(0));
    Ok(LoadFigures {
        requests: result.requests.sent,
        responses: result.requests.total,
        errors: result.errors,
        status_codes,
        p50_ms: result.latency.p50,
        p95_ms: None,
        p99_ms: result.latency.p99,
        max_ms: result.latency.max,
        error_rate_pct: error_rate(
            result
                .errors
                .map(|errors| errors.saturating_add(failed_responses)),
            result.requests.sent,
        ),
        throughput_rps: result.requests.average,
        endpoints: Vec::new(),
    })
}
