//! Readers of load-test artifacts. One file per format; this module dispatches and sniffs.
//!
//! Common definitions (each reader's header says how its tool maps onto them):
//! - `requests`: requests sent; `responses`: HTTP responses received; `errors`: the tool's own
//!   error count (Artillery and autocannon: transport errors only; Locust, k6 and wrk: failed
//!   requests including HTTP error statuses, as each tool counts failures);
//! - `error_rate_pct`: failed requests per request, in percent, where failed means a transport
//!   error or a response with status >= 400 (the tool's own failure definition where it has one);
//! - latencies in milliseconds, as the tool computed them (several tools bucket or round them).
//!
//! A load report describes one run; percentiles of several runs cannot be merged, so several
//! files are refused, except Locust's `*_stats.csv` with its sibling CSV files (one run).

mod artillery;
mod autocannon;
pub(crate) mod json;
mod k6;
pub(crate) mod lines;
mod locust;
mod wrk;

use crate::{Format, LoadFigures, ReadError};
use std::path::{Path, PathBuf};

/// Recognises a load format from the first bytes of a file and its name.
pub fn sniff(head: &[u8], _path: &Path) -> Option<Format> {
    if json::looks_like_json_object(head) {
        if artillery::sniff(head) {
            return Some(Format::Artillery);
        }
        if k6::sniff(head) {
            return Some(Format::K6);
        }
        if autocannon::sniff(head) {
            return Some(Format::Autocannon);
        }
        return None;
    }
    if locust::sniff(head) {
        return Some(Format::Locust);
    }
    if wrk::sniff(head) {
        return Some(Format::Wrk);
    }
    None
}

/// Reads (and, for several files, merges) load artifacts of the given format.
pub fn read(format: Format, paths: &[PathBuf]) -> Result<LoadFigures, ReadError> {
    let Some(first) = paths.first() else {
        return Err(ReadError::NoFiles);
    };
    if format == Format::Locust {
        return locust::read(paths);
    }
    if let Some(second) = paths.get(1) {
        return Err(ReadError::Merge {
            path: second.clone(),
            detail: format!(
                "a `{format}` report describes one load-test run, and percentiles of several runs \
                 cannot be combined; give one report per evidence item"
            ),
        });
    }
    match format {
        Format::Artillery => artillery::read(first),
        Format::K6 => k6::read(first),
        Format::Autocannon => autocannon::read(first),
        Format::Wrk => wrk::read(first),
        other => Err(ReadError::Merge {
            path: first.clone(),
            detail: format!("`{other}` is not a load-test format"),
        }),
    }
}

/// `failed * 100 / requests`, when there were requests.
pub(crate) fn error_rate(failed: Option<u64>, requests: Option<u64>) -> Option<f64> {
    let (failed, requests) = (failed?, requests?);
    (requests > 0).then(|| failed as f64 * 100.0 / requests as f64)
}

/// True for an HTTP status code of a failed response (4xx, 5xx).
pub(crate) fn is_failed_status(code: &str) -> bool {
    code.parse::<u16>().is_ok_and(|code| code >= 400)
}
