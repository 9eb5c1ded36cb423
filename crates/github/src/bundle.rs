//! Fork-safe two-phase publishing.
//!
//! A PR from a fork runs with a read-only token. Phase one (`gate check
//! --bundle DIR`, in the untrusted `pull_request` workflow) writes a bundle
//! without any token; the workflow uploads it as an artifact. Phase two
//! (`gate publish --bundle DIR`, in a `workflow_run` workflow that never
//! checks out PR code and holds a write token) reads it back, checks that it
//! belongs to this repository and to the commit the triggering run ran on,
//! and publishes it.
//!
//! Everything in a bundle is attacker-controlled. What is trusted comes from
//! the phase-two event: `workflow_run.head_sha` and, for same-repository PRs,
//! `workflow_run.pull_requests`. For fork PRs that list is empty, so the PR
//! number is confirmed through the API (`GET /repos/{o}/{r}/pulls/{n}` must
//! have the same head SHA) before commenting; see [`crate::publish_bundle`].
//! Bundle content is size-limited like any other publication.
//!
//! Layout: `identity.json` ([`BundleIdentity`]), `publication.json`
//! ([`Publication`]), `summary.md` (the rendered report, for people).

use crate::env::{is_sha, GithubEnv, Repository, Target};
use crate::error::BundleError;
use crate::publication::Publication;
use crate::truncate::{fit, JOB_SUMMARY_LIMIT};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The bundle format version.
pub const BUNDLE_FORMAT: u32 = 1;
/// Largest bundle file we read (publications are far smaller).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Which PR and commit a bundle is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleIdentity {
    /// [`BUNDLE_FORMAT`].
    pub format: u32,
    /// `owner/name` of the base repository.
    pub repository: String,
    /// PR number, when the run was for a PR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<u64>,
    /// The PR head commit (or the pushed commit).
    pub head_sha: String,
    /// Event of the phase-one run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// Run id of the phase-one run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
}

/// A bundle read back from disk (not yet verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// Who it is for.
    pub identity: BundleIdentity,
    /// What to publish.
    pub publication: Publication,
}

/// A bundle checked against the trusted event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBundle {
    /// The publication.
    pub publication: Publication,
    /// Where to publish. `pull_request` is set only when the event confirmed it.
    pub target: Target,
    /// A PR number the bundle claims that still needs an API check.
    pub unconfirmed_pull_request: Option<u64>,
}

fn io_error(action: &'static str, path: &Path, e: &std::io::Error) -> BundleError {
    BundleError::Io {
        action,
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn write_json<T: Serialize>(path: PathBuf, value: &T) -> Result<(), BundleError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| BundleError::Format {
        path: path.clone(),
        message: e.to_string(),
    })?;
    std::fs::write(&path, text + "\n").map_err(|e| io_error("write", &path, &e))
}

/// Writes a bundle for the current run into `dir` (created if needed).
/// Needs no token: the identity comes from the environment and event.
pub fn write_bundle(
    dir: &Path,
    publication: &Publication,
    env: &GithubEnv,
) -> Result<BundleIdentity, BundleError> {
    let target = env
        .target()
        .ok_or_else(|| BundleError::Unverifiable("`GITHUB_REPOSITORY` is not set".to_owned()))?;
    let head_sha = target.head_sha.clone().ok_or_else(|| {
        BundleError::Unverifiable(
            "no commit: neither a pull request head nor `GITHUB_SHA`".to_owned(),
        )
    })?;
    let identity = BundleIdentity {
        format: BUNDLE_FORMAT,
        repository: target.repository.full_name(),
        pull_request: target.pull_request,
        head_sha,
        event_name: env.event_name.clone(),
        run_id: env.run_id.clone(),
    };
    std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir, &e))?;
    write_json(dir.join("identity.json"), &identity)?;
    write_json(dir.join("publication.json"), publication)?;
    let summary = fit(publication, JOB_SUMMARY_LIMIT, 0, "the check run").text;
    let path = dir.join("summary.md");
    std::fs::write(&path, summary + "\n").map_err(|e| io_error("write", &path, &e))?;
    Ok(identity)
}

fn read_json<T: for<'de> Deserialize<'de>>(path: PathBuf) -> Result<T, BundleError> {
    let size = std::fs::metadata(&path)
        .map_err(|e| io_error("read", &path, &e))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(BundleError::Format {
            path,
            message: format!("{size} bytes is more than a bundle file can be"),
        });
    }
    let text = std::fs::read_to_string(&path).map_err(|e| io_error("read", &path, &e))?;
    serde_json::from_str(&text).map_err(|e| BundleError::Format {
        path,
        message: e.to_string(),
    })
}

/// Reads a bundle from `dir`.
pub fn read_bundle(dir: &Path) -> Result<Bundle, BundleError> {
    let identity: BundleIdentity = read_json(dir.join("identity.json"))?;
    if identity.format != BUNDLE_FORMAT {
        return Err(BundleError::Version {
            found: identity.format,
            expected: BUNDLE_FORMAT,
        });
    }
    let publication: Publication = read_json(dir.join("publication.json"))?;
    Ok(Bundle {
        identity,
        publication,
    })
}

/// Checks `bundle` against the trusted environment of the publishing run:
/// same repository as `GITHUB_REPOSITORY`; head SHA equal to the
/// `workflow_run.head_sha` of the event (or `GITHUB_SHA` for other events);
/// PR number among `workflow_run.pull_requests` when GitHub lists any.
pub fn verify_bundle(bundle: &Bundle, env: &GithubEnv) -> Result<VerifiedBundle, BundleError> {
    let identity = &bundle.identity;
    let claimed =
        Repository::parse(&identity.repository).ok_or_else(|| BundleError::Malformed {
            what: "repository",
            value: identity.repository.clone(),
        })?;
    if !is_sha(&identity.head_sha) {
        return Err(BundleError::Malformed {
            what: "head SHA",
            value: identity.head_sha.clone(),
        });
    }
    let repository = env
        .repository
        .clone()
        .ok_or_else(|| BundleError::Unverifiable("`GITHUB_REPOSITORY` is not set".to_owned()))?;
    if !repository.same_as(&claimed) {
        return Err(BundleError::Mismatch {
            what: "repository",
            found: identity.repository.clone(),
            expected: repository.full_name(),
        });
    }
    let run = env.event.as_ref().and_then(|e| e.workflow_run.as_ref());
    let expected_sha = match run {
        Some(run) => run.head_sha.clone(),
        None => env.sha.clone().ok_or_else(|| {
            BundleError::Unverifiable(
                "no `workflow_run` event and no `GITHUB_SHA` to compare the bundle with".to_owned(),
            )
        })?,
    };
    if !expected_sha.eq_ignore_ascii_case(&identity.head_sha) {
        return Err(BundleError::Mismatch {
            what: "head SHA",
            found: identity.head_sha.clone(),
            expected: expected_sha,
        });
    }
    let listed: Vec<u64> = run
        .map(|r| r.pull_requests.iter().map(|p| p.number).collect())
        .unwrap_or_default();
    let (confirmed, unconfirmed) = match identity.pull_request {
        None => (None, None),
        Some(n) if listed.contains(&n) => (Some(n), None),
        Some(n) if listed.is_empty() => (None, Some(n)),
        Some(n) => {
            return Err(BundleError::Mismatch {
                what: "pull request",
                found: format!("#{n}"),
                expected: listed
                    .iter()
                    .map(|n| format!("#{n}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
        }
    };
    Ok(VerifiedBundle {
        publication: bundle.publication.clone(),
        target: Target {
            repository,
            head_sha: Some(identity.head_sha.to_ascii_lowercase()),
            pull_request: confirmed,
            read_only: None,
        },
        unconfirmed_pull_request: unconfirmed,
    })
}
