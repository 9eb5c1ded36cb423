//! Publishing one [`Publication`]: check run, sticky comment, job summary,
//! outputs, and the workflow-command fallback.
//!
//! Order: check run, then comment (both need the token), then job summary
//! and outputs (need none). A write refused with 403/404/410 — or known in
//! advance to be refused (fork or Dependabot PR) — switches on the fallback:
//! annotations as workflow commands, the findings in the job summary, and
//! exactly one `::warning::` saying why. Nothing here decides the exit code:
//! [`PublishReport::should_fail`] tells the CLI whether publishing problems
//! count (`--publish-strict`).

use crate::annotations::{prepare, Prepared, DEFAULT_ANNOTATION_CAP};
use crate::checks::{publish_check_run, CheckRunDone, CheckRunSpec};
use crate::client::{Client, Idempotence, RetryPolicy, Timer, TokioTimer};
use crate::comment::{
    authenticated_login, marker, publish_comment, valid_login, verdict_state, CommentDone,
    CommentIdentity, CommentMode, CommentSpec, IdentitySource, DEFAULT_COMMENT_AUTHOR,
};
use crate::env::{GithubEnv, Target};
use crate::error::ApiError;
use crate::publication::{Conclusion, Publication};
use crate::runner::{annotation_commands, command, write_job_summary, write_outputs};
use crate::token::Redactor;
use crate::truncate::{ellipsize, fit, CHECK_SUMMARY_LIMIT, COMMENT_LIMIT};
use serde::Deserialize;
use std::sync::Arc;

/// How to publish.
#[derive(Clone)]
pub struct PublishOptions {
    /// Create/update the check run.
    pub check_run: bool,
    /// Sticky comment mode.
    pub comment: CommentMode,
    /// Login whose marked comments are ours, given explicitly
    /// (`--comment-author`). It wins over what is learned from the token:
    /// the app owning our check run (`<slug>[bot]`), then `GET /user`, then
    /// `github-actions[bot]`.
    pub comment_author: Option<String>,
    /// Append to `GITHUB_STEP_SUMMARY` when set.
    pub job_summary: bool,
    /// Append to `GITHUB_OUTPUT` when set.
    pub outputs: bool,
    /// Most annotations sent to the check run.
    pub annotation_cap: usize,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Sleeping and clock (tests inject one that does not sleep).
    pub timer: Arc<dyn Timer>,
}

impl std::fmt::Debug for PublishOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublishOptions")
            .field("check_run", &self.check_run)
            .field("comment", &self.comment)
            .field("comment_author", &self.comment_author)
            .field("job_summary", &self.job_summary)
            .field("outputs", &self.outputs)
            .field("annotation_cap", &self.annotation_cap)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            check_run: true,
            comment: CommentMode::Always,
            comment_author: None,
            job_summary: true,
            outputs: true,
            annotation_cap: DEFAULT_ANNOTATION_CAP,
            retry: RetryPolicy::default(),
            timer: Arc::new(TokioTimer),
        }
    }
}

/// The result of one publishing step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Created on GitHub.
    Created {
        /// Link, when GitHub gave one.
        url: Option<String>,
    },
    /// Updated in place.
    Updated {
        /// Link.
        url: Option<String>,
    },
    /// Already up to date.
    Unchanged {
        /// Link.
        url: Option<String>,
    },
    /// Written to a runner file.
    Written {
        /// Whether parts were cut to fit.
        truncated: bool,
    },
    /// Not wanted (mode off, no PR, not in Actions).
    Skipped(String),
    /// Wanted but impossible before trying (no token, read-only token).
    Unavailable(String),
    /// Tried and failed.
    Failed(String),
}

impl Step {
    /// Failed or unavailable.
    pub fn is_problem(&self) -> bool {
        matches!(self, Step::Failed(_) | Step::Unavailable(_))
    }
}

/// What publishing did. All text is free of the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishReport {
    /// The check run.
    pub check_run: Step,
    /// The sticky comment.
    pub comment: Step,
    /// `GITHUB_STEP_SUMMARY`.
    pub job_summary: Step,
    /// `GITHUB_OUTPUT`.
    pub outputs: Step,
    /// Annotations sent to the check run.
    pub annotations_sent: usize,
    /// Requests that carried annotations (each <= 50).
    pub annotation_requests: usize,
    /// Annotations left out by the cap or for a path outside the repository.
    pub annotations_omitted: usize,
    /// Whether the workflow-command fallback was used.
    pub fell_back: bool,
    /// Text the CLI must print to **stdout** as is (workflow commands).
    pub stdout: String,
    /// Log lines for stderr: retries, waits, truncations.
    pub notes: Vec<String>,
}

impl PublishReport {
    fn new() -> Self {
        PublishReport {
            check_run: Step::Skipped("not requested".to_owned()),
            comment: Step::Skipped("not requested".to_owned()),
            job_summary: Step::Skipped("`GITHUB_STEP_SUMMARY` is not set".to_owned()),
            outputs: Step::Skipped("`GITHUB_OUTPUT` is not set".to_owned()),
            annotations_sent: 0,
            annotation_requests: 0,
            annotations_omitted: 0,
            fell_back: false,
            stdout: String::new(),
            notes: Vec::new(),
        }
    }

    /// Human-readable problems, one per failed step.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, step) in [
            ("check run", &self.check_run),
            ("pull request comment", &self.comment),
            ("job summary", &self.job_summary),
            ("step outputs", &self.outputs),
        ] {
            match step {
                Step::Failed(why) | Step::Unavailable(why) => out.push(format!("{name}: {why}")),
                _ => {}
            }
        }
        out
    }

    /// Whether publishing problems should fail the command: only with
    /// `strict` (`--publish-strict`); otherwise the verdict alone decides.
    pub fn should_fail(&self, strict: bool) -> bool {
        strict && !self.problems().is_empty()
    }
}

fn now_rfc3339() -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// Publishes `publication` to the run described by `env`.
pub async fn publish(
    publication: &Publication,
    env: &GithubEnv,
    options: &PublishOptions,
) -> PublishReport {
    publish_to(publication, env, env.target(), None, options).await
}

/// Publishes with an explicit target (bundle mode); `confirm_pr` is a PR
/// number that must be checked through the API before commenting.
pub(crate) async fn publish_to(
    publication: &Publication,
    env: &GithubEnv,
    target: Option<Target>,
    confirm_pr: Option<u64>,
    options: &PublishOptions,
) -> PublishReport {
    let redactor = Redactor::new(env.token.as_ref());
    let mut report = PublishReport::new();
    let prepared = prepare(
        &publication.annotations,
        env.workspace.as_deref(),
        options.annotation_cap,
    );
    report.annotations_omitted = prepared.over_cap + prepared.invalid;
    let check_name = publication.effective_check_name().to_owned();
    let mut fallback_reason: Option<String> = None;
    let mut check_run_app: Option<String> = None;

    // Why the API cannot be used at all, if it cannot.
    let unavailable: Option<String> = match (&target, &env.token) {
        (None, _) => Some("`GITHUB_REPOSITORY` is not set".to_owned()),
        (Some(t), _) if t.read_only.is_some() => t.read_only.clone(),
        (_, None) => Some("no token (set `GITHUB_TOKEN` or name another variable)".to_owned()),
        _ => None,
    };
    let client = match (&unavailable, &env.token) {
        (None, Some(token)) => {
            match Client::new(
                &env.api_url,
                token,
                options.retry.clone(),
                options.timer.clone(),
            ) {
                Ok(c) => Some(c),
                Err(e) => {
                    let why = redactor.redact(&e.to_string());
                    report.check_run = Step::Failed(why.clone());
                    report.comment = Step::Failed(why);
                    None
                }
            }
        }
        _ => None,
    };
    if let Some(why) = &unavailable {
        if options.check_run {
            report.check_run = Step::Unavailable(why.clone());
        }
        if options.comment != CommentMode::Off {
            report.comment = Step::Unavailable(why.clone());
        }
        fallback_reason = Some(why.clone());
    }

    if let (Some(client), Some(target)) = (&client, &target) {
        let repo = &target.repository;
        // Check run.
        if options.check_run {
            report.check_run = match &target.head_sha {
                None => Step::Skipped("no commit SHA for this event".to_owned()),
                Some(sha) => {
                    let note = prepared.note();
                    let reserve = note.as_ref().map_or(0, |n| n.len() + 2);
                    let fitted = fit(publication, CHECK_SUMMARY_LIMIT, reserve, "the job summary");
                    let mut summary = fitted.text.clone();
                    if let Some(n) = &note {
                        summary.push_str("\n\n");
                        summary.push_str(n);
                    }
                    if fitted.truncated() {
                        report.notes.push(format!(
                            "check run summary shortened to fit 65,535 bytes: left out {}",
                            describe_cut(&fitted.dropped, fitted.verdict_cut)
                        ));
                    }
                    let now = now_rfc3339();
                    let details = env.run_url();
                    let title = ellipsize(&publication.title, 1000);
                    let figures = publication.figures.as_ref().map(crate::figures::encode);
                    let spec = CheckRunSpec {
                        name: &check_name,
                        head_sha: sha,
                        conclusion: publication.conclusion,
                        title: &title,
                        summary: &summary,
                        text: figures.as_deref(),
                        annotations: &prepared.kept,
                        details_url: details.as_deref(),
                        now: &now,
                    };
                    match publish_check_run(client, repo, &spec).await {
                        Ok(done) => {
                            check_run_app = done.app_slug.clone();
                            check_step(&mut report, done)
                        }
                        Err(e) => failed(&mut fallback_reason, &redactor, &e, "check run"),
                    }
                }
            };
        }
        // Comment.
        if options.comment == CommentMode::Off {
            report.comment = Step::Skipped("comment mode is `off`".to_owned());
        } else {
            let mut pr = target.pull_request;
            if let (None, Some(n), Some(sha)) = (pr, confirm_pr, &target.head_sha) {
                match confirm_pull_request(client, target, n, sha).await {
                    Ok(true) => pr = Some(n),
                    Ok(false) => {
                        report.comment = Step::Unavailable(format!(
                            "the bundle names pull request #{n}, whose head is not {sha}"
                        ));
                    }
                    Err(e) => {
                        report.comment = Step::Failed(format!(
                            "could not confirm pull request #{n}: {}",
                            redactor.redact(&e.to_string())
                        ));
                    }
                }
            }
            match pr {
                None => {
                    if !report.comment.is_problem() {
                        report.comment = Step::Skipped("not a pull request".to_owned());
                    }
                }
                Some(number) => {
                    let state = verdict_state(publication.conclusion, &publication.title);
                    let marker_line = marker(&check_name, &state);
                    let limit = COMMENT_LIMIT;
                    let fitted = fit(
                        publication,
                        limit,
                        marker_line.chars().count() + 1,
                        "the check run and the job summary",
                    );
                    if fitted.truncated() {
                        report.notes.push(format!(
                            "comment shortened to fit 65,536 characters: left out {}",
                            describe_cut(&fitted.dropped, fitted.verdict_cut)
                        ));
                    }
                    let body = format!("{marker_line}\n{}", fitted.text);
                    let identity = comment_identity(
                        client,
                        options.comment_author.as_deref(),
                        check_run_app.as_deref(),
                    )
                    .await;
                    report.notes.push(format!(
                        "the sticky comment is the one by `{}` ({})",
                        identity.login,
                        identity.source.describe()
                    ));
                    let spec = CommentSpec {
                        check_name: &check_name,
                        pull_request: number,
                        body: &body,
                        state: &state,
                        failing: publication.conclusion == Conclusion::Failure,
                        mode: options.comment,
                        author: &identity.login,
                    };
                    report.comment = match publish_comment(client, repo, &spec).await {
                        Ok(done) => comment_step(done),
                        Err(e) => failed(&mut fallback_reason, &redactor, &e, "comment"),
                    };
                }
            }
        }
        report
            .notes
            .extend(client.take_log().into_iter().map(|l| redactor.redact(&l)));
    }

    // Fallback: workflow commands, and findings in the job summary.
    let fall_back = fallback_reason.is_some() && env.in_actions;
    if fall_back {
        report.fell_back = true;
        let why = fallback_reason.clone().unwrap_or_default();
        report.stdout.push_str(&command(
            "warning",
            &[("title", "readiness-gate".to_owned())],
            &format!(
                "readiness-gate could not publish to the GitHub API ({why}); the findings are shown as annotations here and in the job summary. The verdict is unchanged. For pull requests from forks see the two-phase `--bundle` setup; otherwise grant `checks: write` and `pull-requests: write`."
            ),
        ));
        report.stdout.push('\n');
        report
            .stdout
            .push_str(&annotation_commands(&prepared, "the job summary"));
    }

    // Job summary and outputs need no token.
    if options.job_summary {
        if let Some(path) = &env.step_summary_file {
            let findings: Option<&Prepared> = fall_back.then_some(&prepared);
            report.job_summary = match write_job_summary(path, publication, findings) {
                Ok(fitted) => {
                    if fitted.truncated() {
                        report.notes.push(format!(
                            "job summary shortened to stay under 1 MiB: left out {}",
                            describe_cut(&fitted.dropped, fitted.verdict_cut)
                        ));
                    }
                    Step::Written {
                        truncated: fitted.truncated(),
                    }
                }
                Err(e) => Step::Failed(format!("could not write `{}`: {e}", path.display())),
            };
        }
    } else {
        report.job_summary = Step::Skipped("not requested".to_owned());
    }
    if options.outputs {
        if let Some(path) = &env.output_file {
            report.outputs = match write_outputs(path, &publication.outputs) {
                Ok(()) => Step::Written { truncated: false },
                Err(e) => Step::Failed(format!("could not write `{}`: {e}", path.display())),
            };
        }
    } else {
        report.outputs = Step::Skipped("not requested".to_owned());
    }
    report.stdout = redactor.redact(&report.stdout);
    report
}

/// Whose comments are ours: the explicit `--comment-author` wins; else the
/// app that owns our check run (an installation token comments as
/// `<slug>[bot]`); else `GET /user` (a personal access token comments as
/// its user); else `github-actions[bot]`.
pub async fn comment_identity(
    client: &Client,
    explicit: Option<&str>,
    check_run_app: Option<&str>,
) -> CommentIdentity {
    if let Some(login) = explicit.map(str::trim).filter(|l| !l.is_empty()) {
        return CommentIdentity {
            login: login.to_owned(),
            source: IdentitySource::Explicit,
        };
    }
    if let Some(slug) = check_run_app.filter(|s| valid_login(s)) {
        return CommentIdentity {
            login: format!("{slug}[bot]"),
            source: IdentitySource::CheckRunApp,
        };
    }
    if let Ok(Some(login)) = authenticated_login(client).await {
        return CommentIdentity {
            login,
            source: IdentitySource::AuthenticatedUser,
        };
    }
    CommentIdentity {
        login: DEFAULT_COMMENT_AUTHOR.to_owned(),
        source: IdentitySource::Default,
    }
}

fn describe_cut(dropped: &[String], verdict_cut: bool) -> String {
    let mut text = if dropped.is_empty() {
        "nothing".to_owned()
    } else {
        dropped.join(", ")
    };
    if verdict_cut {
        text.push_str(" and cut the verdict section");
    }
    text
}

fn check_step(report: &mut PublishReport, done: CheckRunDone) -> Step {
    report.annotations_sent = done.annotations_sent;
    report.annotation_requests = done.annotation_requests;
    if done.created {
        Step::Created { url: done.html_url }
    } else {
        Step::Updated { url: done.html_url }
    }
}

fn comment_step(done: CommentDone) -> Step {
    match done {
        CommentDone::Created { html_url, .. } => Step::Created { url: html_url },
        CommentDone::Updated { html_url, .. } => Step::Updated { url: html_url },
        CommentDone::Unchanged { html_url, .. } => Step::Unchanged { url: html_url },
        CommentDone::NotNeeded(why) => Step::Skipped(why),
    }
}

fn failed(
    fallback: &mut Option<String>,
    redactor: &Redactor,
    error: &ApiError,
    what: &str,
) -> Step {
    let text = redactor.redact(&error.to_string());
    if error.is_permission() && fallback.is_none() {
        *fallback = Some(format!("the {what} was refused: {text}"));
    }
    Step::Failed(text)
}

#[derive(Deserialize)]
struct PullResponse {
    head: PullHead,
}

#[derive(Deserialize)]
struct PullHead {
    sha: String,
}

async fn confirm_pull_request(
    client: &Client,
    target: &Target,
    number: u64,
    sha: &str,
) -> Result<bool, ApiError> {
    let route = format!(
        "/repos/{}/{}/pulls/{number}",
        target.repository.owner, target.repository.name
    );
    let answer = client
        .send::<()>(http::Method::GET, &route, None, Idempotence::Idempotent)
        .await?;
    let pull: PullResponse = answer.json()?;
    Ok(pull.head.sha.eq_ignore_ascii_case(sha))
}
