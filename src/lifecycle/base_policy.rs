//! The policy that judges a pull request comes from its base.
//!
//! A pull request could otherwise relax the very policy that judges it. On pull-request events
//! the verdict uses the policy file as it is on the base commit, read with `git show REF:path`
//! (no checkout, no change to the working tree); the head's version is evaluated as a proposal
//! and shown by the policy diff ([`super::policy_diff`]).
//!
//! - [`read_policy_at`] reads the file at a ref: the path is made relative to the repository root
//!   (`git rev-parse --show-toplevel`), so it works from any folder of the repository.
//! - [`choose_source`] decides which version judges from the flags and the GitHub Actions
//!   environment (`GITHUB_EVENT_NAME=pull_request`, `GITHUB_BASE_REF`, the event payload's
//!   `pull_request.base.sha`).
//! - [`policy_for_verdict`] puts both together and says which one judged.

use super::{LoadedPolicy, PolicyError};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Which version of the policy file judges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// The file in the working tree (`--policy-from head`, or not a pull request).
    Head,
    /// The file at these refs, the first one git knows (e.g. the base sha, then `origin/main`).
    Base { candidates: Vec<String> },
}

/// The inputs of [`choose_source`]: flags and environment, so that tests need no real env.
#[derive(Debug, Clone, Default)]
pub struct SourceInputs {
    /// `--policy-from base|head`, when given.
    pub policy_from: Option<String>,
    /// `--base REF`, when given.
    pub base_ref: Option<String>,
    /// `GITHUB_EVENT_NAME`.
    pub event_name: Option<String>,
    /// `GITHUB_BASE_REF` (the base branch name on pull-request events).
    pub github_base_ref: Option<String>,
    /// `pull_request.base.sha` from the event payload (`GITHUB_EVENT_PATH`), when readable.
    pub event_base_sha: Option<String>,
}

impl SourceInputs {
    /// Reads `GITHUB_EVENT_NAME`, `GITHUB_BASE_REF` and the base sha of `GITHUB_EVENT_PATH`.
    pub fn from_env(policy_from: Option<String>, base_ref: Option<String>) -> SourceInputs {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        let event_base_sha = var("GITHUB_EVENT_PATH")
            .and_then(|path| std::fs::read_to_string(path).ok())
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|event| {
                event
                    .pointer("/pull_request/base/sha")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string)
            });
        SourceInputs {
            policy_from,
            base_ref,
            event_name: var("GITHUB_EVENT_NAME"),
            github_base_ref: var("GITHUB_BASE_REF"),
            event_base_sha,
        }
    }

    fn is_pull_request(&self) -> bool {
        matches!(
            self.event_name.as_deref(),
            Some("pull_request" | "pull_request_target")
        )
    }
}

/// Why the policy could not be taken from the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseError {
    /// `--policy-from` was neither `base` nor `head`.
    BadChoice(String),
    /// `--policy-from base` with no ref to read it from.
    NoBaseRef,
    /// Not inside a git repository, or git is missing.
    NotARepository(String),
    /// None of the refs is known to git (e.g. a shallow clone).
    UnknownRef { tried: Vec<String>, detail: String },
    /// git failed otherwise.
    Git(String),
}

impl std::fmt::Display for BaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BaseError::BadChoice(value) => write!(f, "`--policy-from {value}` is neither `base` nor `head`"),
            BaseError::NoBaseRef => write!(
                f,
                "`--policy-from base` needs the base: pass `--base REF` (outside pull-request events there is no GITHUB_BASE_REF)"
            ),
            BaseError::NotARepository(detail) => write!(f, "cannot read the policy from the base: not a git repository ({detail})"),
            BaseError::UnknownRef { tried, detail } => {
                let tried: Vec<String> = tried.iter().map(|r| format!("`{r}`")).collect();
                write!(
                    f,
                    "cannot read the policy from the base: git does not know {} ({detail}); fetch the base, e.g. `git fetch origin <base-branch>`, or use `fetch-depth: 0` in actions/checkout",
                    tried.join(" or ")
                )
            }
            BaseError::Git(detail) => write!(f, "cannot read the policy from the base: {detail}"),
        }
    }
}

impl std::error::Error for BaseError {}

/// Which version judges: `--policy-from` wins; otherwise the base on pull-request events (or
/// when `--base` is given), the head elsewhere. The base refs tried, in order: `--base`, the
/// event's base sha, `origin/<GITHUB_BASE_REF>`, `<GITHUB_BASE_REF>`.
pub fn choose_source(inputs: &SourceInputs) -> Result<PolicySource, BaseError> {
    let mut candidates = Vec::new();
    if let Some(base) = &inputs.base_ref {
        candidates.push(base.clone());
    } else if inputs.is_pull_request() {
        candidates.extend(inputs.event_base_sha.clone());
        if let Some(branch) = &inputs.github_base_ref {
            candidates.push(format!("origin/{branch}"));
            candidates.push(branch.clone());
        }
    }
    let base = |candidates: Vec<String>| {
        if candidates.is_empty() {
            Err(BaseError::NoBaseRef)
        } else {
            Ok(PolicySource::Base { candidates })
        }
    };
    match inputs.policy_from.as_deref() {
        Some("head") => Ok(PolicySource::Head),
        Some("base") => base(candidates),
        Some(other) => Err(BaseError::BadChoice(other.to_string())),
        None if inputs.base_ref.is_some() || inputs.is_pull_request() => {
            if candidates.is_empty() {
                // A pull request without GITHUB_BASE_REF: nothing to read the base from.
                Ok(PolicySource::Head)
            } else {
                base(candidates)
            }
        }
        None => Ok(PolicySource::Head),
    }
}

/// The policy file at a ref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyAtRef {
    Found {
        /// The ref as asked, and the commit it resolved to.
        git_ref: String,
        commit: String,
        /// The file's path relative to the repository root.
        repo_path: String,
        source: String,
    },
    /// The file does not exist at the ref: the policy is new in this change.
    Absent {
        git_ref: String,
        commit: String,
        repo_path: String,
    },
}

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, BaseError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|error| {
            BaseError::NotARepository(format!(
                "cannot run git: {}",
                super::lowercase_first(&error.to_string())
            ))
        })
}

fn stderr_line(output: &std::process::Output) -> String {
    let text = String::from_utf8_lossy(&output.stderr);
    text.lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("git failed")
        .trim()
        .trim_start_matches("fatal: ")
        .to_string()
}

/// The repository root holding `path`, and `path` relative to it (`/`-separated).
pub fn repo_relative(path: &Path) -> Result<(PathBuf, String), BaseError> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|error| BaseError::Git(format!("no current directory: {error}")))?
            .join(path)
    };
    let file_name = absolute
        .file_name()
        .ok_or_else(|| BaseError::Git(format!("`{}` is not a file", path.display())))?
        .to_os_string();
    let parent = absolute.parent().unwrap_or_else(|| Path::new("/"));
    // The file may be absent in the working tree (deleted by the change): canonicalize its folder.
    let parent = std::fs::canonicalize(parent).map_err(|error| {
        BaseError::Git(format!(
            "cannot find `{}`: {}",
            parent.display(),
            super::lowercase_first(&error.to_string())
        ))
    })?;
    let output = git(&parent, &["rev-parse", "--show-toplevel"])?;
    if !output.status.success() {
        return Err(BaseError::NotARepository(stderr_line(&output)));
    }
    let toplevel = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let toplevel = std::fs::canonicalize(&toplevel).unwrap_or(toplevel);
    let full = parent.join(file_name);
    let relative = full.strip_prefix(&toplevel).map_err(|_| {
        BaseError::Git(format!(
            "`{}` is outside the repository `{}`",
            full.display(),
            toplevel.display()
        ))
    })?;
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok((toplevel, parts.join("/")))
}

/// Reads `policy_path` (a path in the working tree, relative to the current directory or
/// absolute) as it is at the first of `candidates` that git knows, without checking out.
pub fn read_policy_at(policy_path: &Path, candidates: &[String]) -> Result<PolicyAtRef, BaseError> {
    let (toplevel, repo_path) = repo_relative(policy_path)?;
    let mut resolved = None;
    let mut detail = String::from("no ref given");
    for candidate in candidates {
        let output = git(
            &toplevel,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{candidate}^{{commit}}"),
            ],
        )?;
        if output.status.success() {
            resolved = Some((
                candidate.clone(),
                String::from_utf8_lossy(&output.stdout).trim().to_string(),
            ));
            break;
        }
        detail = if output.stderr.is_empty() {
            "unknown revision".to_string()
        } else {
            stderr_line(&output)
        };
    }
    let Some((git_ref, commit)) = resolved else {
        return Err(BaseError::UnknownRef {
            tried: candidates.to_vec(),
            detail,
        });
    };
    let object = format!("{commit}:{repo_path}");
    let exists = git(&toplevel, &["cat-file", "-e", &object])?;
    if !exists.status.success() {
        return Ok(PolicyAtRef::Absent {
            git_ref,
            commit,
            repo_path,
        });
    }
    let output = git(&toplevel, &["show", &object])?;
    if !output.status.success() {
        return Err(BaseError::Git(stderr_line(&output)));
    }
    let source = String::from_utf8(output.stdout)
        .map_err(|_| BaseError::Git(format!("`{repo_path}` at `{git_ref}` is not UTF-8 text")))?;
    Ok(PolicyAtRef::Found {
        git_ref,
        commit,
        repo_path,
        source,
    })
}

/// The policy that gives the verdict, the head's (always loaded: it is the proposal), and a
/// sentence saying which one judged and why.
#[derive(Debug, Clone)]
pub struct PolicyChoice {
    /// The policy that judges.
    pub judge: LoadedPolicy,
    pub judged_by: super::policy_diff::Judge,
    /// The base's version, when it exists (for the diff).
    pub base: Option<LoadedPolicy>,
    /// The working tree's version.
    pub head: LoadedPolicy,
    /// e.g. "judged by the policy at `origin/main` (3f2a1c9); the head's policy is a proposal".
    pub note: String,
}

impl PolicyChoice {
    /// Whether the change edits the policy (the base and the head texts differ).
    pub fn policy_changed(&self) -> bool {
        match &self.base {
            Some(base) => base.source != self.head.source,
            None => true,
        }
    }
}

/// Why no policy could be chosen.
#[derive(Debug, Clone)]
pub enum ChoiceError {
    Base(BaseError),
    /// The head's or the base's version does not load.
    Policy(PolicyError),
}

impl std::fmt::Display for ChoiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChoiceError::Base(error) => error.fmt(f),
            ChoiceError::Policy(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ChoiceError {}

/// Loads the policy that judges according to `source`. With the base: the file at the base ref
/// judges; when the file is absent there, the head's judges ("the policy is new in this change;
/// it is judged as proposed"). An invalid base policy is an error (the base must be fixed on its
/// branch; `--policy-from head` overrides).
pub fn policy_for_verdict(
    policy_path: &Path,
    source: &PolicySource,
) -> Result<PolicyChoice, ChoiceError> {
    use super::policy_diff::Judge;
    let head = LoadedPolicy::read(policy_path).map_err(ChoiceError::Policy)?;
    let PolicySource::Base { candidates } = source else {
        return Ok(PolicyChoice {
            judge: head.clone(),
            judged_by: Judge::Head,
            base: None,
            head,
            note: format!(
                "judged by the policy in the working tree (`{}`)",
                policy_path.display()
            ),
        });
    };
    match read_policy_at(policy_path, candidates).map_err(ChoiceError::Base)? {
        PolicyAtRef::Absent { git_ref, repo_path, .. } => Ok(PolicyChoice {
            judge: head.clone(),
            judged_by: Judge::Head,
            base: None,
            head,
            note: format!("`{repo_path}` does not exist at `{git_ref}`: the policy is new in this change; it is judged as proposed"),
        }),
        PolicyAtRef::Found {
            git_ref,
            commit,
            repo_path,
            source,
        } => {
            let short = commit.get(..7).unwrap_or(&commit).to_string();
            let base = LoadedPolicy::from_source(format!("{git_ref}:{repo_path}"), source).map_err(ChoiceError::Policy)?;
            let note = if base.source == head.source {
                format!("judged by the policy at `{git_ref}` ({short}); the change does not edit it")
            } else {
                format!("judged by the policy at `{git_ref}` ({short}); the head's edited policy is a proposal (see the policy change)")
            };
            Ok(PolicyChoice {
                judge: base.clone(),
                judged_by: Judge::Base,
                base: Some(base),
                head,
                note,
            })
        }
    }
}
