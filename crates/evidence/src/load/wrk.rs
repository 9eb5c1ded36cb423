//! wrk's text report (`wrk --latency ... > wrk-output.txt`).
//!
//! Checked against wrk 4.1.0 (Debian `4.1.0-3+b2`, corpus `native/wrk-text-mixed`); wrk2's
//! `Latency Distribution (HdrHistogram ...)` lines (`50.000%  1.23ms`) are read too.
//!
//! wrk prints no p95 and rounds its human numbers to 2 decimals in mixed units (`us`, `ms`, `s`,
//! `m`, `h`). A `done()` hook may print wrk's own exact figures in microseconds; lines of
//! `key=value` words with keys `pNN_us` (e.g. `p95_us=99994`, `p99.9_us=104010`) and `max_us` (the
//! corpus `p95.lua` convention) are read when present and preferred to the rounded ones.
//!
//! # Figures
//! - `requests` = `responses` = `N` of `N requests in 10.00s` (wrk counts completed requests);
//! - `errors` = `Non-2xx or 3xx responses` plus the `Socket errors` (connect, read, write,
//!   timeout), which are requests without a response and are not in `N`;
//! - `status_codes` = `{"non_2xx_3xx": n}` when wrk printed that line (wrk does not split codes);
//! - `p50_ms`/`p99_ms` from `--latency`'s `Latency Distribution`, `max_ms` from the `Thread Stats`
//!   `Latency` row's Max, each replaced by the `done()` hook's exact value when printed; `p95_ms`
//!   only from the hook;
//! - `error_rate_pct` (derived; wrk prints none) = `errors` / `requests` * 100;
//! - `throughput_rps` = `Requests/sec`.

use super::error_rate;
use super::lines::{empty, malformed, quote, Lines};
use crate::{LoadFigures, ReadError};
use std::path::Path;

const EXPECTED: &str = "wrk's text report (`Running ... test @ URL`)";

pub(super) fn sniff(head: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(head.get(..head.len().min(4096)).unwrap_or_default()) else {
        return false;
    };
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .is_some_and(|line| line.starts_with("Running ") && line.contains(" test @ "))
}

#[derive(Default)]
struct Hook {
    p50: Option<f64>,
    p95: Option<f64>,
    p99: Option<f64>,
    max: Option<f64>,
}

pub(super) fn read(path: &Path) -> Result<LoadFigures, ReadError> {
    let mut lines = Lines::open(path)?;
    let mut figures = LoadFigures::default();
    let mut non_2xx = None;
    let mut socket_errors = 0u64;
    let mut hook = Hook::default();
    let mut in_distribution = false;
    let mut saw_header = false;
    let mut saw_anything = false;
    while let Some((number, line)) = lines.next_line()? {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = |expected: &str, found: &str| {
            malformed(path, Some((number, 1)), expected, quote(found))
        };
        if !saw_anything {
            saw_anything = true;
            if !(line.starts_with("Running ") && line.contains(" test @ ")) {
                return Err(bad(EXPECTED, line));
            }
            saw_header = true;
            continue;
        }
        if line.starts_with("Latency Distribution") {
            in_distribution = true;
            continue;
        }
        if in_distribution {
            if let Some((label, value)) = line.split_once('%') {
                if let Ok(percentile) = label.trim().parse::<f64>() {
                    let ms = duration_ms(value.trim())
                        .ok_or_else(|| bad("a latency like `75.98ms`", value.trim()))?;
                    if percentile == 50.0 {
                        figures.p50_ms = Some(ms);
                    } else if percentile == 95.0 {
                        figures.p95_ms = Some(ms);
                    } else if percentile == 99.0 {
                        figures.p99_ms = Some(ms);
                    }
                    continue;
                }
            }
            in_distribution = false;
        }
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("Latency"), Some(_avg)) => {
                // `Latency  73.91ms  16.34ms  104.01ms  57.37%`: Avg, Stdev, Max, +/- Stdev.
                let max = words.nth(1).unwrap_or_default();
                figures.max_ms =
                    Some(duration_ms(max).ok_or_else(|| bad("a latency like `104.01ms`", max))?);
            }
            (Some(count), Some("requests")) => {
                let count: u64 = count
                    .parse()
                    .map_err(|_| bad("a whole number of requests", count))?;
                figures.requests = Some(count);
                figures.responses = Some(count);
            }
            (Some("Requests/sec:"), Some(rate)) => {
                let rate: f64 = rate
                    .parse()
                    .map_err(|_| bad("a number of requests per second", rate))?;
                figures.throughput_rps = Some(rate).filter(|rate| rate.is_finite());
            }
            (Some("Socket"), Some("errors:")) => {
                // `Socket errors: connect 0, read 0, write 0, timeout 5`
                for pair in line.trim_start_matches("Socket errors:").split(',') {
                    let value = pair.split_whitespace().nth(1).unwrap_or_default();
                    let value: u64 = value
                        .parse()
                        .map_err(|_| bad("a whole number of socket errors", pair.trim()))?;
                    socket_errors = socket_errors.saturating_add(value);
                }
            }
            _ if line.starts_with("Non-2xx or 3xx responses:") => {
                let value = line.trim_start_matches("Non-2xx or 3xx responses:").trim();
                let value: u64 = value
                    .parse()
                    .map_err(|_| bad("a whole number of responses", value))?;
                non_2xx = Some(value);
            }
            _ => read_hook_line(line, &mut hook),
        }
    }
    if !saw_header {
        return Err(empty(path, EXPECTED));
    }
    let Some(requests) = figures.requests else {
        return Err(malformed(
            path,
            Some((lines.number() + 1, 1)),
            "wrk's `N requests in ...` line",
            "the end of the file",
        ));
    };
    if let Some(non_2xx) = non_2xx.filter(|non_2xx| *non_2xx > requests) {
        // Non-2xx responses are among the completed requests (socket errors are not).
        return Err(malformed(
            path,
            None,
            "at most as many `Non-2xx or 3xx responses` as requests",
            format!("`{non_2xx}` of `{requests}` requests"),
        ));
    }
    if let Some(non_2xx) = non_2xx {
        figures
            .status_codes
            .insert("non_2xx_3xx".to_string(), non_2xx);
    }
    let errors = non_2xx.unwrap_or(0).saturating_add(socket_errors);
    figures.errors = Some(errors);
    figures.error_rate_pct = error_rate(Some(errors), Some(requests));
    figures.p50_ms = hook.p50.or(figures.p50_ms);
    figures.p95_ms = hook.p95.or(figures.p95_ms);
    figures.p99_ms = hook.p99.or(figures.p99_ms);
    figures.max_ms = hook.max.or(figures.max_ms);
    Ok(figures)
}

/// `p95_us=99994`, `max_us=104014` words of a `done()` hook line.
fn read_hook_line(line: &str, hook: &mut Hook) {
    for word in line.split_whitespace() {
        let Some((key, value)) = word.split_once('=') else {
            continue;
        };
        let Some(us) = value
            .parse::<f64>()
            .ok()
            .filter(|us| us.is_finite() && *us >= 0.0)
        else {
            continue;
        };
        let ms = Some(us / 1000.0);
        match key {
            "p50_us" => hook.p50 = ms,
            "p95_us" => hook.p95 = ms,
            "p99_us" => hook.p99 = ms,
            "max_us" => hook.max = ms,
            _ => {}
        }
    }
}

/// wrk's human durations: `980.00us`, `75.98ms`, `1.23s`, `2.00m`, `1.00h`, in milliseconds.
fn duration_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .ok()
        .filter(|value: &f64| value.is_finite())?;
    let factor = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    Some(value * factor)
}
