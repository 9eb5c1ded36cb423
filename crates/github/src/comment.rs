//! The sticky pull-request comment: one per PR per check name, updated in place.
//!
//! Algorithm:
//!
//! 1. The body starts with a hidden marker line,
//!    `<!-- readiness-gate:sticky v1 key=<check name> state=<hash> -->`.
//! 2. All comments of the PR are listed, 100 per page, following `Link`
//!    headers (the marker may be on page 3).
//! 3. Ours is the *last* comment whose body **starts with** the exact marker
//!    line for this key (the whole first line, `state=` sixteen hex digits)
//!    **and** whose author is our identity ([`CommentIdentity`]). A marker
//!    quoted later in a body, or a lookalike by anyone else, is never edited
//!    or deleted: artifact text inside our report cannot make a comment ours,
//!    and another account cannot make us adopt its comment.
//! 4. Found: PATCH it if the body changed (identical bodies are skipped: no
//!    notification, no rate-limit cost). Not found: POST one; after a 5xx
//!    or a lost connection, re-list before posting again, or duplicates appear.
//!
//! Modes: `always`; `on-failure` (create only when the conclusion is a
//! failure, but keep an existing comment current so it never shows a stale
//! failure); `on-change` (create once, then edit only when the verdict —
//! conclusion and title, hashed into `state=` — changed); `off`.

use crate::checks::query_value;
use crate::client::{Client, Idempotence};
use crate::env::Repository;
use crate::error::ApiError;
use crate::publication::Conclusion;
use http::Method;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Default comment author: the identity of `GITHUB_TOKEN`.
pub const DEFAULT_COMMENT_AUTHOR: &str = "github-actions[bot]";
/// Pages of comments we read at most (10,000 comments).
const MAX_PAGES: usize = 100;

/// When to comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommentMode {
    /// Create or update on every run.
    #[default]
    Always,
    /// Create only when not ready; keep an existing comment current.
    OnFailure,
    /// Create once; update only when the verdict changed.
    OnChange,
    /// Never comment.
    Off,
}

impl FromStr for CommentMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "always" | "true" => Ok(CommentMode::Always),
            "on-failure" => Ok(CommentMode::OnFailure),
            "on-change" => Ok(CommentMode::OnChange),
            "off" | "false" | "never" => Ok(CommentMode::Off),
            other => Err(format!(
                "unknown comment mode `{other}`, expected `always`, `on-failure`, `on-change` or `off`"
            )),
        }
    }
}

/// What happened to the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentDone {
    /// A new comment was posted.
    Created {
        /// Comment id.
        id: u64,
        /// Link.
        html_url: Option<String>,
    },
    /// Our comment was edited.
    Updated {
        /// Comment id.
        id: u64,
        /// Link.
        html_url: Option<String>,
    },
    /// Our comment already said this.
    Unchanged {
        /// Comment id.
        id: u64,
        /// Link.
        html_url: Option<String>,
    },
    /// The mode said not to comment.
    NotNeeded(String),
}

#[derive(Serialize)]
struct CommentBody<'a> {
    body: &'a str,
}

#[derive(Debug, Clone, Deserialize)]
struct CommentResponse {
    id: u64,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    user: Option<UserResponse>,
    #[serde(default)]
    html_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct UserResponse {
    login: String,
}

/// The marker prefix for `check_name` (everything before ` state=`).
pub fn marker_prefix(check_name: &str) -> String {
    format!(
        "<!-- readiness-gate:sticky v1 key={} ",
        query_value(check_name)
    )
}

/// The full marker line.
pub fn marker(check_name: &str, state: &str) -> String {
    format!("{}state={state} -->", marker_prefix(check_name))
}

/// Hash of the verdict for `on-change`.
pub fn verdict_state(conclusion: Conclusion, title: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in conclusion.as_str().bytes().chain([0]).chain(title.bytes()) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The `state=` of `body` when its first line is exactly our marker line for
/// `prefix` (`<prefix>state=<16 hex digits> -->`); `None` otherwise.
fn state_of(body: &str, prefix: &str) -> Option<String> {
    let first = body.split('\n').next()?.trim_end_matches('\r');
    let state = first
        .strip_prefix(prefix)?
        .strip_prefix("state=")?
        .strip_suffix(" -->")?;
    let valid =
        !state.is_empty() && state.len() <= 64 && state.bytes().all(|b| b.is_ascii_hexdigit());
    valid.then(|| state.to_owned())
}

/// Whose comments are ours, and how that was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentIdentity {
    /// The login (`github-actions[bot]`, `my-app[bot]`, `octocat`).
    pub login: String,
    /// Where it came from, for the log.
    pub source: IdentitySource,
}

/// Where the comment identity came from, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentitySource {
    /// `--comment-author` / the `comment-author` input: always wins.
    Explicit,
    /// The GitHub App that owns our check run (`<slug>[bot]`): an
    /// installation token, `GITHUB_TOKEN` included.
    CheckRunApp,
    /// `GET /user`: a personal access token or a user-to-server token.
    AuthenticatedUser,
    /// Nothing else known: `github-actions[bot]`, the `GITHUB_TOKEN` identity.
    Default,
}

impl IdentitySource {
    /// In words.
    pub fn describe(self) -> &'static str {
        match self {
            IdentitySource::Explicit => "given with `--comment-author`",
            IdentitySource::CheckRunApp => "the app that owns the check run",
            IdentitySource::AuthenticatedUser => "the token's user (`GET /user`)",
            IdentitySource::Default => "the default `GITHUB_TOKEN` identity",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct AuthenticatedUser {
    login: String,
}

/// The login of the token's user, from `GET /user`; `None` when the token
/// is an installation token (GitHub answers 403 "Resource not accessible by
/// integration") or the endpoint is refused.
pub async fn authenticated_login(client: &Client) -> Result<Option<String>, ApiError> {
    match client
        .send::<()>(Method::GET, "/user", None, Idempotence::Idempotent)
        .await
    {
        Ok(answer) => {
            let user: AuthenticatedUser = answer.json()?;
            Ok(Some(user.login).filter(|l| valid_login(l)))
        }
        Err(ApiError::Status {
            status: 401 | 403 | 404,
            ..
        }) => Ok(None),
        Err(error) => Err(error),
    }
}

/// A GitHub login as GitHub spells them: letters, digits, `-`, and a
/// `[bot]` suffix for apps.
pub fn valid_login(login: &str) -> bool {
    let name = login.strip_suffix("[bot]").unwrap_or(login);
    !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// What to post.
#[derive(Debug, Clone)]
pub struct CommentSpec<'a> {
    /// Check name (the key).
    pub check_name: &'a str,
    /// PR number.
    pub pull_request: u64,
    /// Full body, marker line first, within 65,536 characters.
    pub body: &'a str,
    /// Verdict state (in the marker).
    pub state: &'a str,
    /// Whether the verdict is a failure (for `on-failure`).
    pub failing: bool,
    /// Mode.
    pub mode: CommentMode,
    /// Our login; only its comments are ours.
    pub author: &'a str,
}

async fn find_ours(
    client: &Client,
    repo: &Repository,
    spec: &CommentSpec<'_>,
    prefix: &str,
) -> Result<Option<CommentResponse>, ApiError> {
    let route = format!(
        "/repos/{}/{}/issues/{}/comments?per_page=100",
        repo.owner, repo.name, spec.pull_request
    );
    let mut ours: Option<CommentResponse> = None;
    client
        .get_pages::<CommentResponse>(&route, MAX_PAGES, |page| {
            for comment in page {
                let by_us = comment
                    .user
                    .as_ref()
                    .is_some_and(|u| u.login.eq_ignore_ascii_case(spec.author));
                let marked = comment
                    .body
                    .as_deref()
                    .is_some_and(|b| state_of(b, prefix).is_some());
                if by_us && marked {
                    ours = Some(comment);
                }
            }
        })
        .await?;
    Ok(ours)
}

/// Creates, updates or leaves the sticky comment (see the module docs).
pub async fn publish_comment(
    client: &Client,
    repo: &Repository,
    spec: &CommentSpec<'_>,
) -> Result<CommentDone, ApiError> {
    if spec.mode == CommentMode::Off {
        return Ok(CommentDone::NotNeeded("comment mode is `off`".to_owned()));
    }
    let prefix = marker_prefix(spec.check_name);
    let existing = find_ours(client, repo, spec, &prefix).await?;
    match existing {
        Some(found) => {
            let same_body = found.body.as_deref() == Some(spec.body);
            let same_state = found
                .body
                .as_deref()
                .and_then(|b| state_of(b, &prefix))
                .as_deref()
                == Some(spec.state);
            if same_body || (spec.mode == CommentMode::OnChange && same_state) {
                return Ok(CommentDone::Unchanged {
                    id: found.id,
                    html_url: found.html_url,
                });
            }
            let route = format!(
                "/repos/{}/{}/issues/comments/{}",
                repo.owner, repo.name, found.id
            );
            let answer = client
                .send(
                    Method::PATCH,
                    &route,
                    Some(&CommentBody { body: spec.body }),
                    Idempotence::Idempotent,
                )
                .await?;
            let updated: CommentResponse = answer.json()?;
            Ok(CommentDone::Updated {
                id: updated.id,
                html_url: updated.html_url.or(found.html_url),
            })
        }
        None => {
            if spec.mode == CommentMode::OnFailure && !spec.failing {
                return Ok(CommentDone::NotNeeded(
                    "ready, and comment mode is `on-failure`".to_owned(),
                ));
            }
            create(client, repo, spec, &prefix).await
        }
    }
}

async fn create(
    client: &Client,
    repo: &Repository,
    spec: &CommentSpec<'_>,
    prefix: &str,
) -> Result<CommentDone, ApiError> {
    let route = format!(
        "/repos/{}/{}/issues/{}/comments",
        repo.owner, repo.name, spec.pull_request
    );
    let max = client.policy().max_attempts.max(1);
    let mut attempt = 0;
    loop {
        attempt += 1;
        if attempt > 1 {
            if let Some(found) = find_ours(client, repo, spec, prefix).await? {
                if found.body.as_deref() == Some(spec.body) {
                    return Ok(CommentDone::Created {
                        id: found.id,
                        html_url: found.html_url,
                    });
                }
            }
        }
        match client
            .send(
                Method::POST,
                &route,
                Some(&CommentBody { body: spec.body }),
                Idempotence::CreatesResource,
            )
            .await
        {
            Ok(answer) => {
                let made: CommentResponse = answer.json()?;
                return Ok(CommentDone::Created {
                    id: made.id,
                    html_url: made.html_url,
                });
            }
            Err(error) if error.is_transient() && attempt < max => {
                client.pause(client.backoff(attempt)).await;
            }
            Err(error) => return Err(error),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn marker_and_state_round_trip() {
        let m = marker("ready gate", "abc");
        assert_eq!(
            m,
            "<!-- readiness-gate:sticky v1 key=ready%20gate state=abc -->"
        );
        let quoted = format!("hello\n{m}");
        assert_eq!(state_of(&quoted, &marker_prefix("ready gate")), None);
        let trailing = format!("{m} x\nhello");
        assert_eq!(state_of(&trailing, &marker_prefix("ready gate")), None);
        assert!(valid_login("my-app[bot]") && valid_login("octocat"));
        assert!(!valid_login("a b") && !valid_login("[bot]"));
        let body = format!("{m}\nhello");
        assert_eq!(
            state_of(&body, &marker_prefix("ready gate")).as_deref(),
            Some("abc")
        );
        assert_eq!(state_of(&body, &marker_prefix("ready")), None);
        assert_eq!(
            "on-change".parse::<CommentMode>().unwrap(),
            CommentMode::OnChange
        );
        assert!("sometimes".parse::<CommentMode>().is_err());
    }
}
