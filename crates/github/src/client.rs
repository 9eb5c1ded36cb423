//! The HTTP client: octocrab for transport, our own retry and rate-limit policy.
//!
//! octocrab is built with its `retry` feature off: its simple policy retries
//! 5xx immediately for every method, which duplicates check runs and comments
//! after an ambiguous POST (a POST that may have been applied). Instead [`Client::send`]
//! looks at each raw answer:
//!
//! * 2xx: done.
//! * 403/429 that is a rate limit (`retry-after`, `x-ratelimit-remaining: 0`,
//!   or a message mentioning a rate limit): wait `retry-after` seconds, else
//!   until `x-ratelimit-reset`, else 60 s doubling (secondary limit without
//!   headers), then retry. The request was not processed, so this is safe
//!   for POST too. Waits longer than [`RetryPolicy::max_wait`] give up.
//! * 5xx and transport errors: exponential backoff, but only for requests
//!   marked idempotent. A POST gets [`ApiError::is_transient`] back and the
//!   caller re-lists before creating again (see [`crate::checks`],
//!   [`crate::comment`]).
//! * anything else: an [`ApiError::Status`] carrying GitHub's `message` and
//!   `errors[]`.
//!
//! Sleeping and the clock go through [`Timer`] so tests run instantly and can
//! assert on the waits. All text from responses is redacted before it is
//! stored in an error.

use crate::error::ApiError;
use crate::token::{Redactor, Token};
use http::{HeaderMap, HeaderName, Method, Uri};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Sleeping and the wall clock, injectable for tests.
pub trait Timer: Send + Sync {
    /// Waits `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
    /// Seconds since the Unix epoch (compared with `x-ratelimit-reset`).
    fn now_unix(&self) -> u64;
}

/// The real clock and `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioTimer;

impl Timer for TokioTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(duration))
    }

    fn now_unix(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// When and how long to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total tries of one request, first included.
    pub max_attempts: u32,
    /// First backoff after a 5xx/network error; doubles each time.
    pub initial_backoff: Duration,
    /// Cap on one 5xx backoff.
    pub max_backoff: Duration,
    /// Wait after a secondary rate limit that gives no `retry-after` (doubles).
    pub secondary_wait: Duration,
    /// Longest single wait we accept; a rate limit asking for more gives up.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            secondary_wait: Duration::from_secs(60),
            max_wait: Duration::from_secs(600),
        }
    }
}

/// Whether a request may be resent after an ambiguous failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotence {
    /// GET/PATCH: resend after 5xx or a transport error.
    Idempotent,
    /// POST: only resend after a rate limit (the request was refused unprocessed).
    CreatesResource,
}

/// A successful answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The `Link: <...>; rel="next"` URL, if any.
    pub next: Option<String>,
    /// The body text.
    pub body: String,
    /// Method and path, for messages.
    pub what: (String, String),
}

impl Answer {
    /// Parses the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_str(&self.body).map_err(|e| ApiError::Decode {
            method: self.what.0.clone(),
            path: self.what.1.clone(),
            message: e.to_string(),
        })
    }
}

/// Why one attempt failed, which decides the retry.
enum Failure {
    /// A 5xx or a transport error: retried with backoff, idempotent requests only.
    Transient(ApiError),
    /// A rate limit: the request was not processed, so it is retried after `wait`.
    RateLimited {
        status: u16,
        message: String,
        wait: Duration,
    },
    /// Anything else: not retried.
    Final(ApiError),
}

/// A GitHub REST client with our retry policy.
pub struct Client {
    crab: octocrab::Octocrab,
    base: Uri,
    redactor: Redactor,
    retry: RetryPolicy,
    timer: Arc<dyn Timer>,
    log: Mutex<Vec<String>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `api_url` (`https://api.github.com`, or
    /// `https://HOST/api/v3` for GHES: the path prefix is kept).
    pub fn new(
        api_url: &str,
        token: &Token,
        retry: RetryPolicy,
        timer: Arc<dyn Timer>,
    ) -> Result<Client, ApiError> {
        let base: Uri = api_url
            .trim_end_matches('/')
            .parse()
            .map_err(|_| ApiError::Setup(format!("`{api_url}` is not a valid API URL")))?;
        if base.scheme().is_none() || base.authority().is_none() {
            return Err(ApiError::Setup(format!(
                "`{api_url}` is not an absolute API URL"
            )));
        }
        let crab = octocrab::Octocrab::builder()
            .base_uri(base.clone())
            .map_err(|e| ApiError::Setup(e.to_string()))?
            .personal_token(token.expose().to_owned())
            .add_header(
                HeaderName::from_static("accept"),
                "application/vnd.github+json".to_owned(),
            )
            .set_connect_timeout(Some(Duration::from_secs(30)))
            .set_read_timeout(Some(Duration::from_secs(60)))
            .build()
            .map_err(|e| ApiError::Setup(Redactor::new(Some(token)).redact(&e.to_string())))?;
        Ok(Client {
            crab,
            base,
            redactor: Redactor::new(Some(token)),
            retry,
            timer,
            log: Mutex::new(Vec::new()),
        })
    }

    /// The retry notes so far (e.g. "waited 2s after 502 on POST ...").
    pub fn take_log(&self) -> Vec<String> {
        self.log
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default()
    }

    fn note(&self, line: String) {
        if let Ok(mut log) = self.log.lock() {
            log.push(self.redactor.redact(&line));
        }
    }

    /// Sleeps through the injected timer.
    pub(crate) async fn pause(&self, duration: Duration) {
        self.timer.sleep(duration).await;
    }

    /// The backoff before retry number `n` (1-based) after a 5xx.
    pub(crate) fn backoff(&self, n: u32) -> Duration {
        let factor = 1u32.checked_shl(n.saturating_sub(1)).unwrap_or(u32::MAX);
        self.retry
            .initial_backoff
            .saturating_mul(factor)
            .min(self.retry.max_backoff)
    }

    /// The retry policy.
    pub(crate) fn policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Whether `url` (an absolute pagination link) points at our API host.
    pub(crate) fn same_authority(&self, url: &str) -> bool {
        url.parse::<Uri>().ok().is_some_and(|u| {
            u.authority() == self.base.authority() && u.scheme() == self.base.scheme()
        })
    }

    /// Sends one request. `target` is a route (`/repos/...`, joined to the
    /// base URL's path) or an absolute URL from a `Link` header (used as is).
    ///
    /// Each attempt ends in an answer or a [`Failure`]; the one retry path
    /// below decides whether and how long to wait before the next attempt.
    pub async fn send<B: Serialize + Sync>(
        &self,
        method: Method,
        target: &str,
        body: Option<&B>,
        idempotence: Idempotence,
    ) -> Result<Answer, ApiError> {
        let what = (method.to_string(), display_path(target));
        let mut rate_limit_hits = 0u32;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let last = attempt >= self.retry.max_attempts.max(1);
            let failure = match self
                .attempt(&method, target, body, &what, rate_limit_hits)
                .await
            {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            let (wait, note) = match failure {
                Failure::Final(error) => return Err(error),
                Failure::Transient(error) => {
                    if idempotence != Idempotence::Idempotent || last {
                        return Err(error);
                    }
                    let wait = self.backoff(attempt);
                    (wait, format!("{error}; retrying in {}", seconds(wait)))
                }
                Failure::RateLimited {
                    status,
                    message,
                    wait,
                } => {
                    rate_limit_hits += 1;
                    if wait > self.retry.max_wait || last {
                        return Err(ApiError::RateLimited {
                            method: what.0,
                            path: what.1,
                            message: format!(
                                "{status} {message} (asked to wait {}, giving up)",
                                seconds(wait)
                            ),
                        });
                    }
                    let note = format!(
                        "rate limited ({status} {message}) on {} {}; waiting {}",
                        what.0,
                        what.1,
                        seconds(wait)
                    );
                    (wait, note)
                }
            };
            self.note(note);
            self.pause(wait).await;
        }
    }

    /// One try of a request: the answer, or why it failed.
    async fn attempt<B: Serialize + Sync>(
        &self,
        method: &Method,
        target: &str,
        body: Option<&B>,
        what: &(String, String),
        rate_limit_hits: u32,
    ) -> Result<Answer, Failure> {
        let network = |message: String| {
            Failure::Transient(ApiError::Network {
                method: what.0.clone(),
                path: what.1.clone(),
                message,
            })
        };
        let sent = match *method {
            Method::GET => self.crab._get(target).await,
            Method::POST => self.crab._post(target, body).await,
            Method::PATCH => self.crab._patch(target, body).await,
            _ => {
                return Err(Failure::Final(ApiError::Setup(format!(
                    "method {method} is not used"
                ))));
            }
        };
        let response = sent.map_err(|e| network(self.redactor.redact(&error_chain(&e))))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body_text = self.crab.body_to_string(response).await.map_err(|e| {
            network(format!(
                "reading the answer failed: {}",
                self.redactor.redact(&error_chain(&e))
            ))
        })?;
        if (200..300).contains(&status) {
            return Ok(Answer {
                status,
                next: next_link(&headers),
                body: body_text,
                what: what.clone(),
            });
        }
        let (message, details) = github_message(&body_text);
        let message = self.redactor.redact(&message);
        let details = self.redactor.redact(&details);
        if let Some(wait) = self.rate_limit_wait(status, &headers, &message, rate_limit_hits) {
            return Err(Failure::RateLimited {
                status,
                message,
                wait,
            });
        }
        let error = ApiError::Status {
            method: what.0.clone(),
            path: what.1.clone(),
            status,
            message,
            details,
        };
        Err(if status >= 500 {
            Failure::Transient(error)
        } else {
            Failure::Final(error)
        })
    }

    /// How long to wait if this answer is a rate limit (primary or secondary).
    fn rate_limit_wait(
        &self,
        status: u16,
        headers: &HeaderMap,
        message: &str,
        previous_hits: u32,
    ) -> Option<Duration> {
        if status != 403 && status != 429 {
            return None;
        }
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned())
        };
        let retry_after = header("retry-after").and_then(|v| v.parse::<u64>().ok());
        let remaining_zero = header("x-ratelimit-remaining").is_some_and(|v| v == "0");
        let says_rate_limit = message.to_ascii_lowercase().contains("rate limit");
        if status == 403 && retry_after.is_none() && !remaining_zero && !says_rate_limit {
            return None; // a permission problem
        }
        if let Some(secs) = retry_after {
            return Some(Duration::from_secs(secs.max(1)));
        }
        if remaining_zero {
            if let Some(reset) = header("x-ratelimit-reset").and_then(|v| v.parse::<u64>().ok()) {
                let now = self.timer.now_unix();
                return Some(Duration::from_secs(
                    reset.saturating_sub(now).saturating_add(1),
                ));
            }
        }
        let factor = 1u32.checked_shl(previous_hits).unwrap_or(u32::MAX);
        Some(self.retry.secondary_wait.saturating_mul(factor))
    }

    /// GETs every page of `route`, following `Link: rel="next"` verbatim
    /// (only to our own host; at most `max_pages`). Stops on an empty page.
    pub async fn get_pages<T: DeserializeOwned>(
        &self,
        route: &str,
        max_pages: usize,
        visit: impl FnMut(Vec<T>),
    ) -> Result<usize, ApiError> {
        self.get_pages_of::<Vec<T>, T>(route, max_pages, |page| page, visit)
            .await
    }

    /// [`Client::get_pages`] for endpoints whose page is an object holding
    /// the list (`{"total_count": .., "check_runs": [..]}`): `items` takes
    /// the list out of a page.
    pub async fn get_pages_of<P: DeserializeOwned, T>(
        &self,
        route: &str,
        max_pages: usize,
        items: impl Fn(P) -> Vec<T>,
        mut visit: impl FnMut(Vec<T>),
    ) -> Result<usize, ApiError> {
        let mut target = route.to_owned();
        let mut pages = 0;
        loop {
            let answer = self
                .send::<()>(Method::GET, &target, None, Idempotence::Idempotent)
                .await?;
            pages += 1;
            let page: P = answer.json()?;
            let list = items(page);
            let empty = list.is_empty();
            visit(list);
            match answer.next {
                Some(next) if !empty && pages < max_pages => {
                    if !self.same_authority(&next) {
                        return Err(ApiError::Decode {
                            method: "GET".to_owned(),
                            path: display_path(route),
                            message: "the next-page link points at another host; not followed"
                                .to_owned(),
                        });
                    }
                    target = next;
                }
                _ => return Ok(pages),
            }
        }
    }
}

fn seconds(d: Duration) -> String {
    format!("{}s", d.as_secs())
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// Path and query of a route or URL, for messages (never the host).
pub(crate) fn display_path(target: &str) -> String {
    match target.parse::<Uri>() {
        Ok(uri) => uri
            .path_and_query()
            .map_or_else(|| target.to_owned(), |p| p.as_str().to_owned()),
        Err(_) => target.to_owned(),
    }
}

/// The `rel="next"` URL of a `Link` header (RFC 8288).
pub(crate) fn next_link(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all("link") {
        let Ok(text) = value.to_str() else { continue };
        for part in text.split(',') {
            let mut pieces = part.split(';');
            let url = pieces.next()?.trim();
            let is_next = pieces.any(|p| {
                let p = p.trim().replace(' ', "");
                p == "rel=\"next\"" || p == "rel=next"
            });
            if is_next {
                return url
                    .strip_prefix('<')
                    .and_then(|u| u.strip_suffix('>'))
                    .map(str::to_owned);
            }
        }
    }
    None
}

/// GitHub's `message` and rendered `errors[]` from an error body; for a
/// non-JSON body (an HTML 502 page) a one-line excerpt.
pub(crate) fn github_message(body: &str) -> (String, String) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        let flat: String = body
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(160)
            .collect();
        return (
            if flat.is_empty() {
                "(empty body)".to_owned()
            } else {
                format!("non-JSON body `{flat}`")
            },
            String::new(),
        );
    };
    let message = value
        .get("message")
        .and_then(|m| m.as_str())
        .unwrap_or("(no message)")
        .to_owned();
    let mut parts = Vec::new();
    if let Some(errors) = value.get("errors").and_then(|e| e.as_array()) {
        for error in errors {
            if let Some(text) = error.as_str() {
                parts.push(text.to_owned());
                continue;
            }
            let field = |k: &str| error.get(k).and_then(|v| v.as_str()).unwrap_or("");
            let mut where_ = String::new();
            if !field("resource").is_empty() {
                where_.push_str(field("resource"));
            }
            if !field("field").is_empty() {
                if !where_.is_empty() {
                    where_.push('.');
                }
                where_.push_str(field("field"));
            }
            let text = match (field("message"), field("code")) {
                ("", code) => code.to_owned(),
                (m, _) => m.to_owned(),
            };
            parts.push(if where_.is_empty() {
                text
            } else {
                format!("{where_}: {text}")
            });
        }
    }
    let details = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    };
    (message, details)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn link_header_next_is_found() {
        let mut h = HeaderMap::new();
        h.insert(
            "link",
            "<http://127.0.0.1:1/repositories/1/issues/3/comments?page=2>; rel=\"next\", <http://127.0.0.1:1/x?page=5>; rel=\"last\""
                .parse()
                .unwrap(),
        );
        assert_eq!(
            next_link(&h).as_deref(),
            Some("http://127.0.0.1:1/repositories/1/issues/3/comments?page=2")
        );
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn validation_errors_are_rendered() {
        let body = r#"{"message":"Validation Failed","errors":[{"resource":"IssueComment","code":"unprocessable","field":"data","message":"Body is too long (maximum is 65536 characters)"}],"status":"422"}"#;
        let (m, d) = github_message(body);
        assert_eq!(m, "Validation Failed");
        assert_eq!(
            d,
            " (IssueComment.data: Body is too long (maximum is 65536 characters))"
        );
        let (m, _) = github_message("<html><body><h1>504 Gateway Time-out</h1></body></html>");
        assert!(m.starts_with("non-JSON body `<html>"));
    }

    #[test]
    fn display_path_drops_the_host() {
        assert_eq!(
            display_path("https://ghe.example/api/v3/repos/o/r?page=2"),
            "/api/v3/repos/o/r?page=2"
        );
        assert_eq!(display_path("/repos/o/r"), "/repos/o/r");
    }
}
