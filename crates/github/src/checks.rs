//! The check run: one per name and commit, created `in_progress`, completed
//! with the conclusion, annotations sent 50 per request.
//!
//! Algorithm:
//!
//! 1. Look for our run: `GET /repos/{o}/{r}/commits/{sha}/check-runs?check_name=..`
//!    and keep one with the same name whose `external_id` starts with
//!    [`EXTERNAL_ID_PREFIX`] (so a workflow job that happens to share the
//!    name is never touched).
//! 2. GitHub *appends* annotations on every PATCH and cannot remove them.
//!    The `external_id` therefore carries a fingerprint of the annotations.
//!    Same fingerprint (or no annotations on the run yet): update that run,
//!    sending annotations only if it has none. Different annotations:
//!    create a fresh run with the same name, which supersedes the old one on
//!    the PR.
//! 3. Create: `POST` with `status: in_progress` and the first 50
//!    annotations. After a 5xx or a lost connection the POST may have
//!    happened anyway, so we re-list before posting again.
//! 4. `PATCH` the remaining annotations 50 at a time, each repeating title
//!    and summary (required in every `output`); the last PATCH also sets
//!    `status: completed`, `conclusion` and `completed_at`.

use crate::annotations::PER_REQUEST;
use crate::client::{Client, Idempotence};
use crate::env::Repository;
use crate::error::ApiError;
use crate::publication::{Annotation, Conclusion};
use http::Method;
use serde::{Deserialize, Serialize};

/// Pages of check runs read when looking for ours (100 each).
const MAX_LIST_PAGES: usize = 10;

/// Start of our check runs' `external_id`.
pub const EXTERNAL_ID_PREFIX: &str = "readiness-gate:v1:";

/// What to put on the check run.
#[derive(Debug, Clone)]
pub struct CheckRunSpec<'a> {
    /// Run name.
    pub name: &'a str,
    /// Commit.
    pub head_sha: &'a str,
    /// Conclusion.
    pub conclusion: Conclusion,
    /// `output.title`.
    pub title: &'a str,
    /// `output.summary`, already within 65,535 bytes.
    pub summary: &'a str,
    /// `output.text`: the figures block, when there is one.
    pub text: Option<&'a str>,
    /// Prepared annotations, in order.
    pub annotations: &'a [Annotation],
    /// `details_url` (the workflow run).
    pub details_url: Option<&'a str>,
    /// Timestamp for `started_at` / `completed_at`.
    pub now: &'a str,
}

/// What happened to the check run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRunDone {
    /// Run id.
    pub id: u64,
    /// Web link.
    pub html_url: Option<String>,
    /// `true` when created, `false` when an existing run was updated.
    pub created: bool,
    /// Annotations sent in this publish.
    pub annotations_sent: usize,
    /// Requests that carried annotations.
    pub annotation_requests: usize,
    /// The slug of the GitHub App that owns the run (our token's app), when
    /// GitHub says.
    pub app_slug: Option<String>,
}

#[derive(Serialize)]
struct AnnotationBody<'a> {
    path: &'a str,
    start_line: u32,
    end_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    annotation_level: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
}

#[derive(Serialize)]
struct OutputBody<'a> {
    title: &'a str,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    annotations: Vec<AnnotationBody<'a>>,
}

#[derive(Serialize)]
struct CreateBody<'a> {
    name: &'a str,
    head_sha: &'a str,
    status: &'static str,
    started_at: &'a str,
    external_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details_url: Option<&'a str>,
    output: OutputBody<'a>,
}

#[derive(Serialize, Default)]
struct UpdateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conclusion: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    completed_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<OutputBody<'a>>,
}

/// A check run as listed (only the fields we use; octocrab's model lacks
/// `external_id`).
#[derive(Debug, Clone, Deserialize)]
struct CheckRunResponse {
    id: u64,
    name: String,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    html_url: Option<String>,
    #[serde(default)]
    output: Option<CheckRunOutputResponse>,
    #[serde(default)]
    app: Option<AppResponse>,
}

#[derive(Debug, Clone, Deserialize)]
struct AppResponse {
    #[serde(default)]
    slug: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct CheckRunOutputResponse {
    #[serde(default)]
    annotations_count: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
struct CheckRunList {
    #[serde(default)]
    check_runs: Vec<CheckRunResponse>,
}

impl CheckRunResponse {
    fn annotations_count(&self) -> u64 {
        self.output
            .as_ref()
            .and_then(|o| o.annotations_count)
            .unwrap_or(0)
    }
}

/// FNV-1a over the annotations: stable across Rust versions (unlike
/// `DefaultHasher`), enough to tell "same findings" from "different".
fn fingerprint(annotations: &[Annotation]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for a in annotations {
        feed(a.path.as_bytes());
        feed(&a.start_line.to_le_bytes());
        feed(&a.end_line.to_le_bytes());
        feed(a.level.as_check_level().as_bytes());
        feed(a.title.as_deref().unwrap_or("").as_bytes());
        feed(a.message.as_bytes());
        feed(&[0xff]);
    }
    format!("{hash:016x}")
}

fn annotation_bodies(chunk: &[Annotation]) -> Vec<AnnotationBody<'_>> {
    chunk
        .iter()
        .map(|a| AnnotationBody {
            path: &a.path,
            start_line: a.start_line,
            end_line: a.end_line,
            start_column: a.start_column,
            end_column: a.end_column,
            annotation_level: a.level.as_check_level(),
            message: &a.message,
            title: a.title.as_deref(),
        })
        .collect()
}

/// Percent-encodes a query value.
pub(crate) fn query_value(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn find_ours(
    client: &Client,
    repo: &Repository,
    spec: &CheckRunSpec<'_>,
) -> Result<Option<CheckRunResponse>, ApiError> {
    let route = format!(
        "/repos/{}/{}/commits/{}/check-runs?check_name={}&filter=latest&per_page=100",
        repo.owner,
        repo.name,
        spec.head_sha,
        query_value(spec.name)
    );
    let mut found: Option<CheckRunResponse> = None;
    client
        .get_pages_of::<CheckRunList, CheckRunResponse>(
            &route,
            MAX_LIST_PAGES,
            |list| list.check_runs,
            |runs| {
                for run in runs {
                    let ours = run.name == spec.name
                        && run
                            .external_id
                            .as_deref()
                            .is_some_and(|id| id.starts_with(EXTERNAL_ID_PREFIX));
                    if ours && found.is_none() {
                        found = Some(run);
                    }
                }
            },
        )
        .await?;
    Ok(found)
}

/// Creates or updates the check run (see the module docs).
pub async fn publish_check_run(
    client: &Client,
    repo: &Repository,
    spec: &CheckRunSpec<'_>,
) -> Result<CheckRunDone, ApiError> {
    let external_id = format!("{EXTERNAL_ID_PREFIX}{}", fingerprint(spec.annotations));
    let chunks: Vec<&[Annotation]> = spec.annotations.chunks(PER_REQUEST).collect();
    let existing = find_ours(client, repo, spec).await?;
    let reusable = existing.filter(|run| {
        run.annotations_count() == 0 || run.external_id.as_deref() == Some(external_id.as_str())
    });

    type Start<'s> = (CheckRunResponse, bool, Vec<&'s [Annotation]>, usize);
    let (run, created, mut pending, mut requests): Start<'_> = match reusable {
        Some(run) => {
            let pending = if run.annotations_count() == 0 {
                chunks.clone()
            } else {
                Vec::new()
            };
            (run, false, pending, 0)
        }
        None => {
            let (run, first_sent) =
                create(client, repo, spec, &external_id, chunks.first().copied()).await?;
            let skip = usize::from(first_sent);
            let pending = chunks.iter().skip(skip).copied().collect();
            let posted = usize::from(first_sent && !chunks.is_empty());
            (run, true, pending, posted)
        }
    };
    let id = run.id;
    let app_slug = run.app.and_then(|app| app.slug);
    let html_url = run.html_url;
    let route = format!("/repos/{}/{}/check-runs/{id}", repo.owner, repo.name);
    if pending.is_empty() {
        pending.push(&[]);
    }
    let last_index = pending.len().saturating_sub(1);
    for (index, chunk) in pending.iter().enumerate() {
        let last = index == last_index;
        let body = UpdateBody {
            status: last.then_some("completed"),
            conclusion: last.then_some(spec.conclusion.as_str()),
            completed_at: last.then_some(spec.now),
            external_id: (last && !created).then_some(external_id.as_str()),
            details_url: (last && !created).then_some(spec.details_url).flatten(),
            output: Some(OutputBody {
                title: spec.title,
                summary: spec.summary,
                text: spec.text,
                annotations: annotation_bodies(chunk),
            }),
        };
        client
            .send(Method::PATCH, &route, Some(&body), Idempotence::Idempotent)
            .await?;
        if !chunk.is_empty() {
            requests += 1;
        }
    }
    let sent = if created || !pending.iter().all(|c| c.is_empty()) {
        spec.annotations.len()
    } else {
        0
    };
    Ok(CheckRunDone {
        id,
        html_url,
        created,
        annotations_sent: sent,
        annotation_requests: requests,
        app_slug,
    })
}

/// POSTs the run; after an ambiguous failure, re-lists before posting again.
/// Returns the run and whether `first` (the first chunk) is already on it.
async fn create(
    client: &Client,
    repo: &Repository,
    spec: &CheckRunSpec<'_>,
    external_id: &str,
    first: Option<&[Annotation]>,
) -> Result<(CheckRunResponse, bool), ApiError> {
    let route = format!("/repos/{}/{}/check-runs", repo.owner, repo.name);
    let body = CreateBody {
        name: spec.name,
        head_sha: spec.head_sha,
        status: "in_progress",
        started_at: spec.now,
        external_id,
        details_url: spec.details_url,
        output: OutputBody {
            title: spec.title,
            summary: spec.summary,
            text: spec.text,
            annotations: annotation_bodies(first.unwrap_or(&[])),
        },
    };
    let max = client.policy().max_attempts.max(1);
    let mut attempt = 0;
    loop {
        attempt += 1;
        if attempt > 1 {
            if let Some(run) = find_ours(client, repo, spec).await? {
                if run.external_id.as_deref() == Some(external_id) {
                    let has_first = run.annotations_count() > 0;
                    return Ok((run, has_first));
                }
            }
        }
        match client
            .send(
                Method::POST,
                &route,
                Some(&body),
                Idempotence::CreatesResource,
            )
            .await
        {
            Ok(answer) => return Ok((answer.json()?, first.is_some())),
            Err(error) if error.is_transient() && attempt < max => {
                client.pause(client.backoff(attempt)).await;
            }
            Err(error) => return Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(query_value("ready gate/1&x"), "ready%20gate%2F1%26x");
    }

    #[test]
    fn fingerprint_is_stable() {
        assert_eq!(fingerprint(&[]), "cbf29ce484222325");
    }
}
