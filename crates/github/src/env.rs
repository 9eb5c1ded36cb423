//! The runner environment and the event payload.
//!
//! Reads the `GITHUB_*` variables the Actions runner sets
//! through a lookup function so tests need not touch the process
//! environment. The event payload is parsed leniently (unknown fields are
//! ignored; real payloads carry fields the published schemas lack).
//!
//! Which commit and which pull request: for `pull_request`
//! and `pull_request_target` the check run goes on
//! `pull_request.head.sha`, *not* `GITHUB_SHA` (the synthetic merge commit,
//! on which a check run would never show on the PR). A PR whose head repo
//! differs from its base repo, or is `null` (deleted fork), is a fork: its
//! `GITHUB_TOKEN` is read-only, so API writes are skipped up front. Dependabot
//! PRs get the same read-only token.

use crate::error::EnvError;
use crate::token::Token;
use serde::Deserialize;
use std::path::PathBuf;

/// Default API base URL.
pub const DEFAULT_API_URL: &str = "https://api.github.com";
/// Default web URL.
pub const DEFAULT_SERVER_URL: &str = "https://github.com";

/// `owner/name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// Account.
    pub owner: String,
    /// Repository name without `.git`.
    pub name: String,
}

impl Repository {
    /// Parses `owner/name`, refusing anything that is not a plain GitHub name
    /// (so it can be put into a URL path as is).
    pub fn parse(full: &str) -> Option<Repository> {
        let (owner, name) = full.trim().split_once('/')?;
        let name = name.strip_suffix(".git").unwrap_or(name);
        let ok = |s: &str| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        (ok(owner) && ok(name)).then(|| Repository {
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }

    /// `owner/name`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    /// Case-insensitive comparison, as GitHub treats owner and name.
    pub fn same_as(&self, other: &Repository) -> bool {
        self.owner.eq_ignore_ascii_case(&other.owner) && self.name.eq_ignore_ascii_case(&other.name)
    }
}

/// What a run publishes to: a repository, a commit, and maybe a pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The repository.
    pub repository: Repository,
    /// The commit for the check run (the PR head for PR events).
    pub head_sha: Option<String>,
    /// The pull request (issue) number, for the comment.
    pub pull_request: Option<u64>,
    /// Why the token is known to be read-only (fork or Dependabot PR), if it is.
    pub read_only: Option<String>,
}

/// The parts of an event payload we use.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Event {
    /// `number` (pull_request events).
    #[serde(default)]
    pub number: Option<u64>,
    /// `pull_request`.
    #[serde(default)]
    pub pull_request: Option<EventPullRequest>,
    /// `workflow_run` (the trusted second phase of fork-safe publishing).
    #[serde(default)]
    pub workflow_run: Option<EventWorkflowRun>,
}

/// `pull_request` in an event payload.
#[derive(Debug, Clone, Deserialize)]
pub struct EventPullRequest {
    /// PR number.
    #[serde(default)]
    pub number: Option<u64>,
    /// Head branch.
    pub head: EventRef,
    /// Base branch.
    pub base: EventRef,
}

/// `head` / `base` of a pull request.
#[derive(Debug, Clone, Deserialize)]
pub struct EventRef {
    /// Commit.
    pub sha: String,
    /// Repository; `null` for a deleted fork.
    #[serde(default)]
    pub repo: Option<EventRepo>,
}

/// A repository in a payload.
#[derive(Debug, Clone, Deserialize)]
pub struct EventRepo {
    /// `owner/name`.
    pub full_name: String,
}

/// `workflow_run` in an event payload.
#[derive(Debug, Clone, Deserialize)]
pub struct EventWorkflowRun {
    /// The commit the triggering run ran on (the PR head for PR runs).
    pub head_sha: String,
    /// The event that triggered that run.
    #[serde(default)]
    pub event: Option<String>,
    /// PRs of the run; empty when the PR comes from a fork.
    #[serde(default)]
    pub pull_requests: Vec<EventRunPullRequest>,
    /// Repository the head commit is in (the fork).
    #[serde(default)]
    pub head_repository: Option<EventRepo>,
}

/// An entry of `workflow_run.pull_requests`.
#[derive(Debug, Clone, Deserialize)]
pub struct EventRunPullRequest {
    /// PR number.
    pub number: u64,
}

/// The runner environment, as far as publishing needs it.
#[derive(Debug, Clone)]
pub struct GithubEnv {
    /// `GITHUB_API_URL` (default `https://api.github.com`), without trailing `/`.
    pub api_url: String,
    /// `GITHUB_SERVER_URL` (default `https://github.com`).
    pub server_url: String,
    /// `GITHUB_REPOSITORY`, when set and valid.
    pub repository: Option<Repository>,
    /// `GITHUB_EVENT_NAME`.
    pub event_name: Option<String>,
    /// The parsed `GITHUB_EVENT_PATH` payload.
    pub event: Option<Event>,
    /// `GITHUB_SHA`.
    pub sha: Option<String>,
    /// `GITHUB_RUN_ID`.
    pub run_id: Option<String>,
    /// `GITHUB_ACTOR`.
    pub actor: Option<String>,
    /// `GITHUB_WORKSPACE`.
    pub workspace: Option<PathBuf>,
    /// `GITHUB_OUTPUT`.
    pub output_file: Option<PathBuf>,
    /// `GITHUB_STEP_SUMMARY`.
    pub step_summary_file: Option<PathBuf>,
    /// `RUNNER_TEMP`: the only place a `report-json` output of `gate publish` may point.
    pub runner_temp: Option<PathBuf>,
    /// `GITHUB_ACTIONS == "true"`.
    pub in_actions: bool,
    /// The token, from the variable named when reading the environment.
    pub token: Option<Token>,
}

impl GithubEnv {
    /// The pull request's base commit (`pull_request.base.sha` of the
    /// event), when this run is for a pull request.
    pub fn base_sha(&self) -> Option<String> {
        self.event
            .as_ref()
            .and_then(|e| e.pull_request.as_ref())
            .map(|pr| pr.base.sha.clone())
            .filter(|sha| is_sha(sha))
    }

    /// Reads the process environment; the token comes from `token_var`
    /// (normally `GITHUB_TOKEN`).
    pub fn from_process(token_var: &str) -> Result<GithubEnv, EnvError> {
        Self::from_lookup(|name| std::env::var(name).ok(), token_var)
    }

    /// Reads variables through `lookup` (tests pass a map).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        token_var: &str,
    ) -> Result<GithubEnv, EnvError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let repository = match get("GITHUB_REPOSITORY") {
            Some(full) => Some(Repository::parse(&full).ok_or(EnvError::Repository(full))?),
            None => None,
        };
        let event = match get("GITHUB_EVENT_PATH") {
            Some(path) => Some(read_event(PathBuf::from(path))?),
            None => None,
        };
        Ok(GithubEnv {
            api_url: get("GITHUB_API_URL")
                .unwrap_or_else(|| DEFAULT_API_URL.to_owned())
                .trim_end_matches('/')
                .to_owned(),
            server_url: get("GITHUB_SERVER_URL")
                .unwrap_or_else(|| DEFAULT_SERVER_URL.to_owned())
                .trim_end_matches('/')
                .to_owned(),
            repository,
            event_name: get("GITHUB_EVENT_NAME"),
            event,
            sha: get("GITHUB_SHA"),
            run_id: get("GITHUB_RUN_ID"),
            actor: get("GITHUB_ACTOR"),
            workspace: get("GITHUB_WORKSPACE").map(PathBuf::from),
            output_file: get("GITHUB_OUTPUT").map(PathBuf::from),
            step_summary_file: get("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            runner_temp: get("RUNNER_TEMP").map(PathBuf::from),
            in_actions: get("GITHUB_ACTIONS").is_some_and(|v| v == "true"),
            token: lookup(token_var).and_then(Token::new),
        })
    }

    /// Link to this workflow run, for `details_url`.
    pub fn run_url(&self) -> Option<String> {
        let repo = self.repository.as_ref()?;
        let run = self.run_id.as_ref()?;
        Some(format!(
            "{}/{}/actions/runs/{run}",
            self.server_url,
            repo.full_name()
        ))
    }

    /// Where this run publishes: repository, commit and PR.
    /// `None` without `GITHUB_REPOSITORY`.
    pub fn target(&self) -> Option<Target> {
        let repository = self.repository.clone()?;
        let event_name = self.event_name.as_deref().unwrap_or("");
        let pr = self.event.as_ref().and_then(|e| {
            e.pull_request
                .as_ref()
                .map(|pr| (pr, pr.number.or(e.number)))
        });
        if matches!(event_name, "pull_request" | "pull_request_target") {
            if let Some((pr, number)) = pr {
                let head_repo = pr.head.repo.as_ref().map(|r| r.full_name.as_str());
                let base_repo = pr.base.repo.as_ref().map(|r| r.full_name.as_str());
                let fork = match (head_repo, base_repo) {
                    (Some(head), Some(base)) => !head.eq_ignore_ascii_case(base),
                    _ => true,
                };
                let dependabot = self.actor.as_deref() == Some("dependabot[bot]");
                // pull_request_target gets a write token even for forks.
                let read_only = if event_name == "pull_request_target" {
                    None
                } else if fork {
                    Some(format!(
                        "pull request from the fork `{}`: its token is read-only",
                        head_repo.unwrap_or("(deleted)")
                    ))
                } else if dependabot {
                    Some("Dependabot pull request: its token is read-only".to_owned())
                } else {
                    None
                };
                return Some(Target {
                    repository,
                    head_sha: Some(pr.head.sha.clone()).filter(|s| is_sha(s)),
                    pull_request: number,
                    read_only,
                });
            }
        }
        Some(Target {
            repository,
            head_sha: self.sha.clone().filter(|s| is_sha(s)),
            pull_request: None,
            read_only: None,
        })
    }
}

/// A full 40-hex (or 64-hex, SHA-256 repositories) commit id.
pub fn is_sha(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.chars().all(|c| c.is_ascii_hexdigit())
}

fn read_event(path: PathBuf) -> Result<Event, EnvError> {
    let text = std::fs::read_to_string(&path).map_err(|e| EnvError::Event {
        path: path.clone(),
        message: e.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|e| EnvError::Event {
        path,
        message: e.to_string(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_with(vars: &[(&str, &str)]) -> GithubEnv {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        GithubEnv::from_lookup(|k| map.get(k).cloned(), "GITHUB_TOKEN").unwrap()
    }

    #[test]
    fn repository_names_are_checked() {
        assert!(Repository::parse("octo/hello.git").is_some());
        assert!(Repository::parse("octo/../x").is_none());
        assert!(Repository::parse("octo").is_none());
        assert!(Repository::parse("o/c d").is_none());
    }

    #[test]
    fn push_uses_github_sha_and_no_pr() {
        let sha = "a".repeat(40);
        let env = env_with(&[
            ("GITHUB_REPOSITORY", "o/r"),
            ("GITHUB_EVENT_NAME", "push"),
            ("GITHUB_SHA", &sha),
            ("GITHUB_API_URL", "https://ghe.example/api/v3/"),
        ]);
        let t = env.target().unwrap();
        assert_eq!(t.head_sha.as_deref(), Some(sha.as_str()));
        assert_eq!(t.pull_request, None);
        assert_eq!(env.api_url, "https://ghe.example/api/v3");
        assert!(env.token.is_none());
    }
}
