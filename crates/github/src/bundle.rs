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
//! Everything in a bundle is attacker-controlled, so phase two trusts
//! nothing it can recompute. It reads only the *outcome* (`report.json`) and
//! derives the conclusion, title, Markdown, annotations and step outputs from
//! it with its own code (the caller's `recompute`, see
//! [`crate::publish_bundle`]); the check name comes from its own
//! `--check-name` (a bundle made for another name is refused); output values
//! are validated ([`crate::Outputs::validate`]). `publication.json` and
//! `summary.md` are written for people and never read back. What is trusted
//! about *where* to publish comes from the phase-two event: `workflow_run.head_sha` and, for same-repository PRs,
//! `workflow_run.pull_requests`. For fork PRs that list is empty, so the PR
//! number is confirmed through the API (`GET /repos/{o}/{r}/pulls/{n}` must
//! have the same head SHA) before commenting; see [`crate::publish_bundle`].
//! Bundle content is size-limited like any other publication.
//!
//! Layout: `identity.json` ([`BundleIdentity`]), `report.json` (the outcome,
//! the JSON report of `gate check`), and for people only `publication.json`
//! and `summary.md`.

use crate::env::{is_sha, GithubEnv, Repository, Target};
use crate::error::BundleError;
use crate::publication::Publication;
use crate::truncate::{fit, JOB_SUMMARY_LIMIT};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The bundle format version.
pub const BUNDLE_FORMAT: u32 = 2;
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
    /// The check name phase one ran for; phase two publishes only under its
    /// own `--check-name` and refuses a bundle made for another.
    pub check_name: String,
    /// The workspace's directory inside the repository (for annotation
    /// paths); checked to be a plain relative path.
    #[serde(default)]
    pub workspace_prefix: String,
}

/// A bundle read back from disk (not yet verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// Who it is for.
    pub identity: BundleIdentity,
    /// The outcome: the text of `report.json`, to be parsed and judged by
    /// the trusted job.
    pub report_json: String,
}

/// A bundle checked against the trusted event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBundle {
    /// The check name, from the trusted job.
    pub check_name: String,
    /// The workspace prefix for annotation paths (validated).
    pub workspace_prefix: String,
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

/// Writes a bundle for the current run into `dir` (created if needed):
/// the identity, the outcome `report_json` (the JSON report), and for people
/// the publication and its Markdown. Needs no token: the identity comes from
/// the environment and event.
pub fn write_bundle(
    dir: &Path,
    publication: &Publication,
    report_json: &str,
    workspace_prefix: &str,
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
        check_name: publication.effective_check_name().to_owned(),
        workspace_prefix: workspace_prefix.to_owned(),
    };
    std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir, &e))?;
    write_json(dir.join("identity.json"), &identity)?;
    write_json(dir.join("publication.json"), publication)?;
    let report = dir.join("report.json");
    std::fs::write(&report, report_json).map_err(|e| io_error("write", &report, &e))?;
    let summary = fit(publication, JOB_SUMMARY_LIMIT, 0, "the check run").text;
    let path = dir.join("summary.md");
    std::fs::write(&path, summary + "\n").map_err(|e| io_error("write", &path, &e))?;
    Ok(identity)
}

/// Reads a bundle file: a regular file (a symlink is refused, it could point
/// anywhere on the trusted runner) of at most [`MAX_FILE_BYTES`].
fn read_text(path: &Path) -> Result<String, BundleError> {
    use std::io::Read;
    let meta = std::fs::symlink_metadata(path).map_err(|e| io_error("read", path, &e))?;
    if !meta.is_file() {
        return Err(BundleError::Format {
            path: path.to_path_buf(),
            message: "not a regular file (a bundle holds no links or folders)".to_owned(),
        });
    }
    let file = std::fs::File::open(path).map_err(|e| io_error("read", path, &e))?;
    let mut text = String::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| io_error("read", path, &e))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(BundleError::Format {
            path: path.to_path_buf(),
            message: format!("more than {MAX_FILE_BYTES} bytes is more than a bundle file can be"),
        });
    }
    Ok(text)
}

fn read_json<T: for<'de> Deserialize<'de>>(path: PathBuf) -> Result<T, BundleError> {
    let text = read_text(&path)?;
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
    let report_json = read_text(&dir.join("report.json"))?;
    Ok(Bundle {
        identity,
        report_json,
    })
}

/// Checks `bundle` against the trusted environment of the publishing run:
/// same repository as `GITHUB_REPOSITORY`; head SHA equal to the
/// `workflow_run.head_sha` of the event (or `GITHUB_SHA` for other events);
/// PR number among `workflow_run.pull_requests` when GitHub lists any; the
/// check name it was made for equal to `check_name`, the trusted job's own.
pub fn verify_bundle(
    bundle: &Bundle,
    env: &GithubEnv,
    check_name: &str,
) -> Result<VerifiedBundle, BundleError> {
    let identity = &bundle.identity;
    let check_name = match check_name.trim() {
        "" => crate::publication::DEFAULT_CHECK_NAME,
        name => name,
    };
    if identity.check_name != check_name {
        return Err(BundleError::Mismatch {
            what: "check name",
            found: identity.check_name.escape_debug().to_string(),
            expected: check_name.to_owned(),
        });
    }
    let prefix = &identity.workspace_prefix;
    let plain_prefix = !prefix.starts_with('/')
        && !prefix.contains('\\')
        && !prefix.chars().any(char::is_control)
        && prefix.split('/').all(|part| part != "..")
        && prefix.len() <= 1024;
    if !plain_prefix {
        return Err(BundleError::Malformed {
            what: "workspace prefix",
            value: prefix.escape_debug().to_string(),
        });
    }
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
        check_name: check_name.to_owned(),
        workspace_prefix: prefix.clone(),
        target: Target {
            repository,
            head_sha: Some(identity.head_sha.to_ascii_lowercase()),
            pull_request: confirmed,
            read_only: None,
        },
        unconfirmed_pull_request: unconfirmed,
    })
}
