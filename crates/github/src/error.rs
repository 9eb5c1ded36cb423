//! Errors of this crate.
//!
//! Messages are lowercase, name the request (method and path, never the host's
//! credentials) and carry GitHub's own `message` and `errors[]` verbatim, so a
//! 422 explains itself. None of them can contain the token: it is never part
//! of a request line or body, and [`crate::client`] redacts response text.

use std::path::PathBuf;

/// A failed GitHub API call.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// GitHub answered with an error status.
    #[error("github answered {status} to {method} {path}: {message}{details}")]
    Status {
        /// HTTP method.
        method: String,
        /// Path and query of the request (no host).
        path: String,
        /// HTTP status code.
        status: u16,
        /// GitHub's `message` (or the start of a non-JSON body).
        message: String,
        /// Rendered `errors[]` entries, prefixed with ` (` ... `)` when present.
        details: String,
    },
    /// Rate limited for longer than we are willing to wait, or too many retries.
    #[error("rate limited on {method} {path}: {message}")]
    RateLimited {
        /// HTTP method.
        method: String,
        /// Path and query.
        path: String,
        /// What GitHub said and how long it asked us to wait.
        message: String,
    },
    /// The request never got an HTTP answer.
    #[error("could not reach github for {method} {path}: {message}")]
    Network {
        /// HTTP method.
        method: String,
        /// Path and query.
        path: String,
        /// The transport error.
        message: String,
    },
    /// The answer was not what the API documents.
    #[error("unexpected answer to {method} {path}: {message}")]
    Decode {
        /// HTTP method.
        method: String,
        /// Path and query.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The client could not be set up.
    #[error("could not set up the github client: {0}")]
    Setup(String),
}

impl ApiError {
    /// The HTTP status, when GitHub answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// 5xx or no answer: worth retrying (after re-listing, for a POST).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Status { status, .. } => *status >= 500,
            ApiError::Network { .. } => true,
            _ => false,
        }
    }

    /// 403, 404 or 410: the token may not write here (fork PR, missing
    /// `permissions:`, issues disabled). Publishing falls back to workflow
    /// commands and the job summary.
    pub fn is_permission(&self) -> bool {
        matches!(self.status(), Some(403 | 404 | 410))
    }
}

/// A problem with the runner environment or the event payload.
#[derive(Debug, thiserror::Error)]
pub enum EnvError {
    /// `GITHUB_REPOSITORY` is not `owner/name`.
    #[error("`GITHUB_REPOSITORY` is `{0}`, expected `owner/name`")]
    Repository(String),
    /// The event payload could not be read.
    #[error("could not read the event payload `{path}`: {message}")]
    Event {
        /// `GITHUB_EVENT_PATH`.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// A problem with a fork-safe bundle.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// Reading or writing the bundle directory failed.
    #[error("could not {action} `{path}`: {message}")]
    Io {
        /// `read` / `write` / `create`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// A bundle file is not valid JSON of the expected shape.
    #[error("`{path}` is not a readiness-gate bundle file: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// The parse error.
        message: String,
    },
    /// The bundle was written by an incompatible version.
    #[error("bundle format version {found} is not supported (expected {expected})")]
    Version {
        /// Found in the bundle.
        found: u32,
        /// What we read.
        expected: u32,
    },
    /// The bundle does not belong to this repository or commit.
    #[error("bundle {what} is `{found}` but this run is for `{expected}`")]
    Mismatch {
        /// `repository`, `head SHA` or `pull request`.
        what: &'static str,
        /// Found in the bundle.
        found: String,
        /// Expected from the trusted event.
        expected: String,
    },
    /// A bundle field is malformed.
    #[error("bundle {what} `{value}` is malformed")]
    Malformed {
        /// Which field.
        what: &'static str,
        /// The value.
        value: String,
    },
    /// No trusted value to compare the bundle against.
    #[error("cannot verify the bundle: {0}")]
    Unverifiable(String),
    /// The bundle's outcome cannot be what a run of `gate check` wrote: nothing is published.
    #[error("the bundle's outcome is not trusted: {0}")]
    Untrusted(String),
    /// A step output value recomputed from the bundle is refused.
    #[error("refused step output: {0}")]
    Output(String),
}
