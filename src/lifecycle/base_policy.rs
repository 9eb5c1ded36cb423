//! The base decides where the policy lives, and which policy judges a pull request.
//!
//! A pull request could otherwise relax the very policy that judges it: by editing it, deleting
//! it, *moving* it (deleting `readiness.gate` and adding a relaxed `.github/readiness.gate`),
//! *shadowing* it (adding a root `readiness.gate` when the base has `.github/readiness.gate`), or
//! redirecting an explicit `--policy dir/file` by turning `dir` into a symlink. So on pull-request
//! events the lookup itself runs in the base commit's tree (`git ls-tree`, `git cat-file` through
//! [`crate::repo::git`]), never in the head's files:
//!
//! - the lookup locations are the explicit `--policy` path (made repository-relative lexically,
//!   without following the head's symlinks), or `readiness.gate` then `.github/readiness.gate` in
//!   the workspace folder;
//! - if the base has a policy at any of them, the first one judges, as it is at the base. A
//!   symlink in the base tree is followed inside the base tree only;
//! - policy files that only the head has are reported ("a policy added in this change is not used
//!   until it is merged") and ignored; the head's version is evaluated as a proposal and shown by
//!   the policy diff ([`super::policy_diff`]);
//! - only a base with no policy at all lets the head's policy judge, and the note (the report's
//!   first line about the policy) says so.
//!
//! [`choose_source`] decides whether the base or the head judges from the flags and the GitHub
//! Actions environment (`GITHUB_EVENT_NAME=pull_request`, `GITHUB_BASE_REF`, the event payload's
//! `pull_request.base.sha`); [`choose_policy`] does the lookup and says which one judged.

use super::{LoadedPolicy, PolicyError};
use crate::repo::git::{Git, GitError, TreeEntry};
use crate::repo::workspace::Root;
use std::path::{Component, Path, PathBuf};

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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseError {
    /// `--policy-from` was neither `base` nor `head`.
    #[error("`--policy-from {0}` is neither `base` nor `head`")]
    BadChoice(String),
    /// The base is needed but no ref names it.
    #[error("`--policy-from base` needs the base: pass `--base REF` (outside pull-request events there is no GITHUB_BASE_REF)")]
    NoBaseRef,
    /// Not inside a git repository.
    #[error("cannot read the policy from the base: not a git repository ({0})")]
    NotARepository(String),
    /// None of the candidate refs is known to git (e.g. a shallow clone).
    #[error("cannot read the policy from the base: git does not know {} ({detail}); fetch the base, e.g. `git fetch origin <base-branch>`, or use `fetch-depth: 0` in actions/checkout", quoted_list(.tried))]
    UnknownRef { tried: Vec<String>, detail: String },
    /// The policy at the base is not a readable file (a folder, a submodule, a symlink leading
    /// out of the repository or in a loop).
    #[error("the policy `{path}` at `{git_ref}` is {what}, so it cannot judge")]
    NotAFile {
        path: String,
        git_ref: String,
        what: String,
    },
    /// git failed otherwise.
    #[error("cannot read the policy from the base: {0}")]
    Git(String),
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

impl From<GitError> for BaseError {
    fn from(error: GitError) -> BaseError {
        match error {
            GitError::NotARepository { detail, .. } => BaseError::NotARepository(detail),
            other => BaseError::Git(other.to_string()),
        }
    }
}

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

/// `path` made absolute against the current directory and cleaned of `.` and `..` lexically:
/// the head's symlinks are not followed (a folder turned into a symlink does not move the path).
fn lexical_absolute(path: &Path) -> Result<PathBuf, BaseError> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let current = std::env::current_dir()
            .map_err(|error| BaseError::Git(format!("no current directory: {error}")))?;
        std::fs::canonicalize(&current)
            .unwrap_or(current)
            .join(path)
    };
    let mut clean = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    Ok(clean)
}

/// The git repository holding `path` (a file that may be absent, or a folder), its top, and
/// `path` relative to that top (`/`-separated), found lexically.
fn locate(path: &Path) -> Result<(Git, PathBuf, String), BaseError> {
    let absolute = lexical_absolute(path)?;
    // git runs in the nearest existing folder (the file may be deleted by the change).
    let mut folder = absolute
        .parent()
        .unwrap_or_else(|| Path::new("/"))
        .to_path_buf();
    while !folder.is_dir() {
        if !folder.pop() {
            break;
        }
    }
    let git = Git::at(&folder);
    let toplevel = git.toplevel()?;
    let canonical_top = std::fs::canonicalize(&toplevel).unwrap_or_else(|_| toplevel.clone());
    let relative = absolute
        .strip_prefix(&canonical_top)
        .or_else(|_| absolute.strip_prefix(&toplevel))
        .map_err(|_| {
            BaseError::Git(format!(
                "`{}` is outside the repository `{}`",
                absolute.display(),
                toplevel.display()
            ))
        })?;
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok((Git::at(&canonical_top), canonical_top, parts.join("/")))
}

/// The repository root holding `path`, and `path` relative to it (`/`-separated). Found
/// lexically: a folder of the path that is a symlink in the working tree is not followed.
pub fn repo_relative(path: &Path) -> Result<(PathBuf, String), BaseError> {
    locate(path).map(|(_, top, relative)| (top, relative))
}

/// The first of `candidates` git knows, and its commit.
fn resolve_ref(git: &Git, candidates: &[String]) -> Result<(String, String), BaseError> {
    for candidate in candidates {
        if let Some(commit) = git.commit_of(candidate)? {
            return Ok((candidate.clone(), commit));
        }
    }
    Err(BaseError::UnknownRef {
        tried: candidates.to_vec(),
        detail: if candidates.is_empty() {
            "no ref given".to_string()
        } else {
            "unknown revision".to_string()
        },
    })
}

/// The most symlinks followed inside the base tree.
const MAX_LINKS: usize = 8;

/// Where `link`'s target (a path relative to the link's folder) lands in the tree.
fn link_target(link: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = link.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The text of the policy at `repo_path` in `commit`'s tree, `None` when absent. A symlink is
/// followed inside the tree (never out of it, never into the working tree).
fn policy_in_tree(
    git: &Git,
    git_ref: &str,
    commit: &str,
    repo_path: &str,
) -> Result<Option<String>, BaseError> {
    let not_a_file = |what: &str| BaseError::NotAFile {
        path: repo_path.to_string(),
        git_ref: git_ref.to_string(),
        what: what.to_string(),
    };
    let mut path = repo_path.to_string();
    for _ in 0..=MAX_LINKS {
        match git.tree_entry(commit, &path)? {
            None => return Ok(None),
            Some(TreeEntry::File) => {
                let bytes = git.show_file(commit, &path)?;
                return String::from_utf8(bytes)
                    .map(Some)
                    .map_err(|_| not_a_file("not UTF-8 text"));
            }
            Some(TreeEntry::Folder) => return Err(not_a_file("a folder")),
            Some(TreeEntry::Submodule) => return Err(not_a_file("a submodule")),
            Some(TreeEntry::Symlink) => {
                let target = git.show_file(commit, &path)?;
                let target = String::from_utf8_lossy(&target).trim_end().to_string();
                path = link_target(&path, &target)
                    .ok_or_else(|| not_a_file("a symlink that leads out of the repository"))?;
            }
        }
    }
    Err(not_a_file("a chain of more than 8 symlinks"))
}

/// Reads `policy_path` (a path in the working tree, relative to the current directory or
/// absolute) as it is at the first of `candidates` that git knows, without checking out. The path
/// is made repository-relative lexically and looked up in the base's tree.
pub fn read_policy_at(policy_path: &Path, candidates: &[String]) -> Result<PolicyAtRef, BaseError> {
    let (git, _, repo_path) = locate(policy_path)?;
    let (git_ref, commit) = resolve_ref(&git, candidates)?;
    Ok(match policy_in_tree(&git, &git_ref, &commit, &repo_path)? {
        Some(source) => PolicyAtRef::Found {
            git_ref,
            commit,
            repo_path,
            source,
        },
        None => PolicyAtRef::Absent {
            git_ref,
            commit,
            repo_path,
        },
    })
}

/// Where the policy is looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyLocation {
    /// `--policy FILE`.
    Explicit(PathBuf),
    /// `readiness.gate`, then `.github/readiness.gate`, in the workspace folder.
    Default { workspace: PathBuf },
}

/// The default policy file names, in the order they are looked for.
pub const DEFAULT_POLICY_FILES: [&str; 2] = ["readiness.gate", ".github/readiness.gate"];

/// The policy that gives the verdict, the head's (the proposal, when there is one), and a
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
    /// The judging policy's path relative to the repository root.
    pub repo_path: String,
    /// Policy files only the head has, ignored (repository-relative).
    pub ignored_head_policies: Vec<String>,
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
#[derive(Debug, Clone, thiserror::Error)]
pub enum ChoiceError {
    #[error(transparent)]
    Base(BaseError),
    /// The head's or the base's version does not load.
    #[error(transparent)]
    Policy(PolicyError),
    /// Neither the base nor the head has a policy at any lookup location.
    #[error("no policy found: neither the base nor the change has {}", quoted_list(.looked_for))]
    NoPolicy { looked_for: Vec<String> },
}

/// The head's policy at a repository path, read through the workspace file API rooted at the
/// repository's top: a path that leads out of the repository is not read.
fn head_policy(top: &Root, repo_path: &str) -> Option<Result<LoadedPolicy, PolicyError>> {
    match top.is_file(repo_path) {
        Ok(true) => Some(LoadedPolicy::read_in(top, repo_path, repo_path)),
        Ok(false) => None,
        Err(error) => Some(Err(PolicyError::Unreadable {
            file: repo_path.to_string(),
            reason: error.to_string(),
        })),
    }
}

/// Loads the policy that judges according to `source`, looked up at `location`.
///
/// With the head: the working tree's file (`--policy`, or the first default file present). With
/// the base: the lookup runs in the base's tree (see the module doc). An invalid base policy is
/// an error (the base must be fixed on its branch; `--policy-from head` overrides).
pub fn choose_policy(
    location: &PolicyLocation,
    source: &PolicySource,
) -> Result<PolicyChoice, ChoiceError> {
    use super::policy_diff::Judge;
    let PolicySource::Base { candidates } = source else {
        return head_choice(location);
    };
    // The repository paths looked up, in order.
    let (git, top, looked_for) = match location {
        PolicyLocation::Explicit(path) => {
            let (git, top, repo_path) = locate(path).map_err(ChoiceError::Base)?;
            (git, top, vec![repo_path])
        }
        PolicyLocation::Default { workspace } => {
            let (git, top, folder) =
                locate(&workspace.join("readiness.gate")).map_err(ChoiceError::Base)?;
            let folder = folder
                .rsplit_once('/')
                .map(|(folder, _)| format!("{folder}/"))
                .unwrap_or_default();
            let paths = DEFAULT_POLICY_FILES
                .iter()
                .map(|name| format!("{folder}{name}"))
                .collect();
            (git, top, paths)
        }
    };
    let (git_ref, commit) = resolve_ref(&git, candidates).map_err(ChoiceError::Base)?;
    let short = crate::repo::git::short_commit(&commit).to_string();
    let mut at_base = Vec::new();
    for repo_path in &looked_for {
        if let Some(text) =
            policy_in_tree(&git, &git_ref, &commit, repo_path).map_err(ChoiceError::Base)?
        {
            at_base.push((repo_path.clone(), text));
        }
    }
    let top_root = Root::new(&top);
    let head_paths: Vec<&String> = looked_for
        .iter()
        .filter(|path| top_root.is_file(path).unwrap_or(true))
        .collect();
    let Some((judge_path, base_text)) = at_base.first().cloned() else {
        // No policy at the base at all: the head's judges, and says so first.
        let Some(first) = head_paths.first() else {
            return Err(ChoiceError::NoPolicy { looked_for });
        };
        let head = head_policy(&top_root, first)
            .unwrap_or_else(|| {
                Err(PolicyError::Unreadable {
                    file: (*first).clone(),
                    reason: "it disappeared while being read".to_string(),
                })
            })
            .map_err(ChoiceError::Policy)?;
        return Ok(PolicyChoice {
            judge: head.clone(),
            judged_by: Judge::Head,
            base: None,
            head,
            note: format!(
                "the base (`{git_ref}`, {short}) has no policy, so the policy of this change judges: `{first}` does not exist at `{git_ref}`; the policy is new in this change; it is judged as proposed"
            ),
            repo_path: (*first).clone(),
            ignored_head_policies: Vec::new(),
        });
    };
    let base_paths: Vec<&String> = at_base.iter().map(|(path, _)| path).collect();
    let ignored_head_policies: Vec<String> = head_paths
        .iter()
        .filter(|path| !base_paths.contains(path))
        .map(|path| (*path).clone())
        .collect();
    let base = LoadedPolicy::from_source(format!("{git_ref}:{judge_path}"), base_text)
        .map_err(ChoiceError::Policy)?;
    // The proposal: the head's file at the judging path, else where the head moved it.
    let proposal_path = if head_paths.contains(&&judge_path) {
        Some(judge_path.clone())
    } else {
        ignored_head_policies.first().cloned()
    };
    let head = match proposal_path.and_then(|path| head_policy(&top_root, &path)) {
        Some(Ok(head)) => head,
        // The head deleted it, or its version does not load: the base judges all the same, and
        // the proposal is shown as the base's (no policy change to diff).
        Some(Err(_)) | None => base.clone(),
    };
    let mut note = if base.source == head.source {
        format!("judged by the policy at `{git_ref}` ({short}); the change does not edit it")
    } else {
        format!("judged by the policy at `{git_ref}` ({short}); the head's edited policy is a proposal (see the policy change)")
    };
    if !ignored_head_policies.is_empty() {
        note.push_str(&format!(
            "; a policy added in this change is not used until it is merged: {}",
            quoted_list(&ignored_head_policies)
        ));
    }
    Ok(PolicyChoice {
        judge: base.clone(),
        judged_by: Judge::Base,
        base: Some(base),
        head,
        note,
        repo_path: judge_path,
        ignored_head_policies,
    })
}

/// The head's policy judges (not a pull request, or `--policy-from head`).
fn head_choice(location: &PolicyLocation) -> Result<PolicyChoice, ChoiceError> {
    use super::policy_diff::Judge;
    let (head, shown) = match location {
        PolicyLocation::Explicit(path) => (
            LoadedPolicy::read(path).map_err(ChoiceError::Policy)?,
            path.display().to_string(),
        ),
        PolicyLocation::Default { workspace } => {
            let root = Root::new(workspace);
            let Some(name) = DEFAULT_POLICY_FILES
                .iter()
                .find(|name| root.is_file(name).unwrap_or(true))
            else {
                return Err(ChoiceError::NoPolicy {
                    looked_for: DEFAULT_POLICY_FILES.iter().map(|n| n.to_string()).collect(),
                });
            };
            (
                LoadedPolicy::read_in(&root, name, &workspace.join(name).display().to_string())
                    .map_err(ChoiceError::Policy)?,
                (*name).to_string(),
            )
        }
    };
    Ok(PolicyChoice {
        judge: head.clone(),
        judged_by: Judge::Head,
        base: None,
        head,
        note: format!("judged by the policy in the working tree (`{shown}`)"),
        repo_path: shown,
        ignored_head_policies: Vec::new(),
    })
}

/// Loads the policy that judges according to `source`, for an explicit policy path.
pub fn policy_for_verdict(
    policy_path: &Path,
    source: &PolicySource,
) -> Result<PolicyChoice, ChoiceError> {
    choose_policy(&PolicyLocation::Explicit(policy_path.to_path_buf()), source)
}

#[cfg(test)]
mod tests {
    use super::link_target;

    #[test]
    fn links_stay_in_the_tree() {
        assert_eq!(
            link_target("ci/readiness.gate", "strict.gate").as_deref(),
            Some("ci/strict.gate")
        );
        assert_eq!(
            link_target("ci/readiness.gate", "../policies/x.gate").as_deref(),
            Some("policies/x.gate")
        );
        assert_eq!(link_target("readiness.gate", "../../etc/passwd"), None);
        assert_eq!(link_target("readiness.gate", "/etc/passwd"), None);
    }
}
