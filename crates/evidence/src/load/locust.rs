//! Locust's CSV statistics (`locust --headless --csv PREFIX`): `PREFIX_stats.csv`, with the
//! sibling `PREFIX_failures.csv` when present.
//!
//! Checked against Locust 2.47.0 (corpus `native/locust-csv-mixed`); the 1.x column names
//! (`# requests`, `# failures`, `Max response time`) are read too. Columns are found by their
//! header name, not their position.
//!
//! # Figures
//! All from the `Aggregated` row of `*_stats.csv` (Locust's own total over every endpoint):
//! - `requests` = `Request Count`; `errors` = `Failure Count` (Locust counts an HTTP error status
//!   as a failure, as well as a transport error);
//! - `responses` = requests minus the failures without an HTTP response, as listed in
//!   `*_failures.csv` (an `HTTPError(...)`, `BadStatusCode(...)` or `CatchResponseError(...)` had
//!   a response; `ConnectionRefusedError`, `RemoteDisconnected`, timeouts... did not). Without
//!   failures, responses = requests; with failures and no failures CSV, `None`;
//! - `p50_ms`/`p95_ms`/`p99_ms` = the `50%`/`95%`/`99%` columns (Locust rounds them: 2 significant
//!   figures above 100 ms); `max_ms` = `Max Response Time` (exact);
//! - `error_rate_pct` = `Failure Count` / `Request Count` * 100 (derived; Locust prints none);
//! - `throughput_rps` = `Requests/s`;
//! - `status_codes`: Locust does not count responses per status, so it stays empty;
//! - `endpoints`: the other rows, named `METHOD name` (e.g. `GET /tenants`).
//!
//! The `*_stats_history.csv` and `*_exceptions.csv` files may be given too; they are ignored.
//! Locust's console table is printed at shutdown and may count a few more requests than the last
//! write of the CSV; the CSV is what is read.

use super::error_rate;
use super::lines::{empty, malformed, quote, Lines};
use crate::{EndpointFigures, LoadFigures, ReadError};
use std::path::{Path, PathBuf};

const EXPECTED_STATS: &str = "a Locust `*_stats.csv` (header `Type,Name,Request Count,...`)";
/// At most this many endpoints are kept.
const MAX_ENDPOINTS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Csv {
    Stats,
    Failures,
    /// `*_stats_history.csv` or `*_exceptions.csv`: not needed.
    Ignored,
}

fn kind_of_header(header: &str) -> Option<Csv> {
    let header = header.trim_start_matches('\u{feff}').replace('"', "");
    let lower = header.to_ascii_lowercase();
    if (lower.starts_with("type,name,") || lower.starts_with("method,name,"))
        && (lower.contains("request count") || lower.contains("# requests"))
    {
        Some(Csv::Stats)
    } else if lower.starts_with("method,name,error,occurrences") {
        Some(Csv::Failures)
    } else if lower.starts_with("timestamp,user count,")
        || lower.starts_with("count,message,traceback")
    {
        Some(Csv::Ignored)
    } else {
        None
    }
}

pub(super) fn sniff(head: &[u8]) -> bool {
    let first = head
        .split(|byte| *byte == b'\n')
        .next()
        .and_then(|line| std::str::from_utf8(line).ok());
    matches!(
        first.and_then(kind_of_header),
        Some(Csv::Stats | Csv::Failures)
    )
}

/// Reads the stats CSV among `paths` (and the failures CSV: given, or the stats file's sibling).
pub(super) fn read(paths: &[PathBuf]) -> Result<LoadFigures, ReadError> {
    let mut stats = None;
    let mut failures = None;
    for path in paths {
        match header_kind(path)? {
            Csv::Stats if stats.is_some() => {
                return Err(ReadError::Merge {
                    path: path.clone(),
                    detail: "two Locust `*_stats.csv` files: each describes one run, and their \
                             percentiles cannot be combined"
                        .to_string(),
                });
            }
            Csv::Stats => stats = Some(path.clone()),
            Csv::Failures => failures = Some(path.clone()),
            Csv::Ignored => {}
        }
    }
    let Some(stats) = stats else {
        let path = paths.first().cloned().unwrap_or_default();
        return Err(malformed(
            &path,
            Some((1, 1)),
            EXPECTED_STATS,
            "no `*_stats.csv` among the files given",
        ));
    };
    if failures.is_none() {
        failures = sibling_failures(&stats)?;
    }
    let mut figures = read_stats(&stats)?;
    let failed = figures.errors.unwrap_or(0);
    if failed == 0 {
        figures.responses = figures.requests;
    } else if let Some(failures) = failures {
        let without_response = read_failures(&failures)?;
        figures.responses = figures
            .requests
            .map(|requests| requests.saturating_sub(without_response));
    }
    Ok(figures)
}

/// `dir/PREFIX_stats.csv` -> `dir/PREFIX_failures.csv`, when that file exists (opened through
/// [`crate::files::sibling`]: a symlink leading out of the folder is refused, not read).
fn sibling_failures(stats: &Path) -> Result<Option<PathBuf>, ReadError> {
    let Some(prefix) = stats
        .file_name()
        .and_then(|name| name.to_str())
        .and_then(|name| name.strip_suffix("_stats.csv"))
    else {
        return Ok(None);
    };
    crate::files::sibling(stats, &format!("{prefix}_failures.csv"))
}

fn header_kind(path: &Path) -> Result<Csv, ReadError> {
    let mut lines = Lines::open(path)?;
    let Some((_, header)) = lines.next_line()? else {
        return Err(empty(path, EXPECTED_STATS));
    };
    if header.trim().is_empty() {
        return Err(empty(path, EXPECTED_STATS));
    }
    kind_of_header(header).ok_or_else(|| {
        malformed(
            path,
            Some((1, 1)),
            "a Locust CSV header (`Type,Name,Request Count,...` or `Method,Name,Error,Occurrences`)",
            quote(header),
        )
    })
}

/// Column positions in the stats CSV.
struct Columns {
    kind: usize,
    name: usize,
    requests: usize,
    failures: usize,
    max: usize,
    p50: Option<usize>,
    p95: Option<usize>,
    p99: Option<usize>,
    rps: Option<usize>,
}

impl Columns {
    fn find(header: &[String]) -> Option<Columns> {
        let find = |names: &[&str]| {
            header
                .iter()
                .position(|column| names.iter().any(|name| column.eq_ignore_ascii_case(name)))
        };
        Some(Columns {
            kind: find(&["Type", "Method"])?,
            name: find(&["Name"])?,
            requests: find(&["Request Count", "# requests"])?,
            failures: find(&["Failure Count", "# failures"])?,
            max: find(&["Max Response Time"])?,
            p50: find(&["50%"]),
            p95: find(&["95%"]),
            p99: find(&["99%"]),
            rps: find(&["Requests/s"]),
        })
    }
}

fn read_stats(path: &Path) -> Result<LoadFigures, ReadError> {
    let mut lines = Lines::open(path)?;
    let mut records = Records::default();
    let Some(header) = records.next(&mut lines)? else {
        return Err(empty(path, EXPECTED_STATS));
    };
    let columns = Columns::find(&header).ok_or_else(|| {
        malformed(
            path,
            Some((1, 1)),
            "the columns `Type`, `Name`, `Request Count`, `Failure Count` and `Max Response Time`",
            quote(&header.join(",")),
        )
    })?;
    let mut figures = LoadFigures::default();
    let mut aggregated = false;
    while let Some(record) = records.next(&mut lines)? {
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let line = lines.number();
        let field = |index: usize| {
            record
                .get(index)
                .map(|field| field.trim())
                .unwrap_or_default()
        };
        let count = |index: usize, what: &str| -> Result<u64, ReadError> {
            let text = field(index);
            text.parse().map_err(|_| {
                malformed(
                    path,
                    Some((line, 1)),
                    format!("a whole number of {what}"),
                    quote(text),
                )
            })
        };
        let number = |index: Option<usize>, what: &str| -> Result<Option<f64>, ReadError> {
            let Some(index) = index else { return Ok(None) };
            let text = field(index);
            if text.is_empty() || text.eq_ignore_ascii_case("N/A") {
                return Ok(None);
            }
            match text.parse::<f64>() {
                Ok(value) if value.is_finite() => Ok(Some(value)),
                _ => Err(malformed(
                    path,
                    Some((line, 1)),
                    format!("a number in column `{what}`"),
                    quote(text),
                )),
            }
        };
        let kind = field(columns.kind);
        let name = field(columns.name);
        let requests = count(columns.requests, "requests")?;
        let failures = count(columns.failures, "failures")?;
        if failures > requests {
            // Locust counts a failed request among its requests: more failures is no run's output.
            return Err(malformed(
                path,
                Some((line, 1)),
                "at most as many failures as requests",
                format!("`{failures}` failures of `{requests}` requests"),
            ));
        }
        let p50 = number(columns.p50, "50%")?;
        let p95 = number(columns.p95, "95%")?;
        let p99 = number(columns.p99, "99%")?;
        let is_total =
            (kind.is_empty() || kind == "None") && (name == "Aggregated" || name == "Total");
        if is_total {
            aggregated = true;
            figures.requests = Some(requests);
            figures.errors = Some(failures);
            figures.p50_ms = p50;
            figures.p95_ms = p95;
            figures.p99_ms = p99;
            figures.max_ms = number(Some(columns.max), "Max Response Time")?;
            figures.error_rate_pct = error_rate(Some(failures), Some(requests));
            figures.throughput_rps = number(columns.rps, "Requests/s")?;
        } else if figures.endpoints.len() < MAX_ENDPOINTS {
            figures.endpoints.push(EndpointFigures {
                name: if kind.is_empty() {
                    name.to_string()
                } else {
                    format!("{kind} {name}")
                },
                requests: Some(requests),
                errors: Some(failures),
                p50_ms: p50,
                p95_ms: p95,
                p99_ms: p99,
            });
        }
    }
    if !aggregated {
        return Err(malformed(
            path,
            Some((lines.number() + 1, 1)),
            "the `Aggregated` row Locust writes last",
            "the end of the file",
        ));
    }
    Ok(figures)
}

/// The number of failures without an HTTP response, from `*_failures.csv`.
fn read_failures(path: &Path) -> Result<u64, ReadError> {
    let mut lines = Lines::open(path)?;
    let mut records = Records::default();
    let expected = "a Locust `*_failures.csv` (header `Method,Name,Error,Occurrences`)";
    let Some(header) = records.next(&mut lines)? else {
        return Err(empty(path, expected));
    };
    let find = |name: &str| {
        header
            .iter()
            .position(|column| column.eq_ignore_ascii_case(name))
    };
    let (Some(error), Some(occurrences)) = (find("Error"), find("Occurrences")) else {
        return Err(malformed(
            path,
            Some((1, 1)),
            expected,
            quote(&header.join(",")),
        ));
    };
    let mut without_response = 0u64;
    while let Some(record) = records.next(&mut lines)? {
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let text = record
            .get(occurrences)
            .map(|field| field.trim())
            .unwrap_or_default();
        let count: u64 = text.parse().map_err(|_| {
            malformed(
                path,
                Some((lines.number(), 1)),
                "a whole number of occurrences",
                quote(text),
            )
        })?;
        let message = record.get(error).map(String::as_str).unwrap_or_default();
        if !had_response(message) {
            without_response = without_response.saturating_add(count);
        }
    }
    Ok(without_response)
}

/// True when a Locust failure message names an HTTP response (an error status or a response the
/// script marked failed).
fn had_response(message: &str) -> bool {
    let message = message.trim();
    message.starts_with("HTTPError(")
        || message.starts_with("CatchResponseError(")
        || message.starts_with("BadStatusCode(")
}

/// CSV records (RFC 4180 quoting, records may span lines inside quotes), reusing buffers.
#[derive(Default)]
struct Records {
    fields: Vec<String>,
}

impl Records {
    /// At most this many lines make up one quoted record.
    const MAX_RECORD_LINES: usize = 256;

    fn next<R: std::io::BufRead>(
        &mut self,
        lines: &mut Lines<'_, R>,
    ) -> Result<Option<Vec<String>>, ReadError> {
        self.fields.clear();
        let mut field = String::new();
        let mut in_quotes = false;
        let mut started = false;
        for _ in 0..Self::MAX_RECORD_LINES {
            let Some((_, line)) = lines.next_line()? else {
                if in_quotes {
                    return Err(lines.malformed("a closing `\"`", "the end of the file"));
                }
                if !started {
                    return Ok(None);
                }
                break;
            };
            if started {
                field.push('\n');
            }
            started = true;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, in_quotes) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    ('"', true) => in_quotes = false,
                    ('"', false) if field.is_empty() => in_quotes = true,
                    (',', false) => self.fields.push(std::mem::take(&mut field)),
                    (c, _) => field.push(c),
                }
            }
            if !in_quotes {
                self.fields.push(field);
                return Ok(Some(std::mem::take(&mut self.fields)));
            }
        }
        if in_quotes {
            return Err(lines.malformed(
                "a CSV record of at most 256 lines",
                "an unclosed `\"` spanning more lines",
            ));
        }
        self.fields.push(field);
        Ok(Some(std::mem::take(&mut self.fields)))
    }
}
