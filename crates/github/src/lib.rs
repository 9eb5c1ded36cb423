//! Publishing a readiness verdict to GitHub.
//!
//! The main crate evaluates; this crate delivers. It knows nothing of
//! policies or evidence: the CLI turns its outcome into a [`Publication`]
//! (title, conclusion, ranked Markdown sections, annotations, output values)
//! and calls one of:
//!
//! * [`publish`] / [`publish_blocking`] — `gate check --publish`: check run
//!   (created `in_progress`, annotations 50 per request, completed), sticky
//!   PR comment, job summary, step outputs; falls back to workflow commands
//!   when the token cannot write.
//! * [`write_bundle`] — `gate check --bundle DIR`: no token needed.
//! * [`publish_bundle`] / [`publish_bundle_blocking`] — `gate publish --bundle DIR`:
//!   verifies the bundle against the trusted `workflow_run` event, has the
//!   caller recompute the publication from the bundle's outcome, validates
//!   it, then publishes.
//! * [`workflow_commands`] — `--format github`: annotations as `::error ...` lines.
//!
//! Nothing here prints or decides an exit code: the returned
//! [`PublishReport`] carries the text for stdout (workflow commands) and the
//! notes for stderr, and [`PublishReport::should_fail`] says whether
//! publishing problems should fail the run (`--publish-strict` only).
//!
//! Each limit GitHub sets is handled in the module named in its table row (the
//! endpoints' schemas are vendored in `tests/fixtures/openapi-subset.json`):
//!
//! | limit | where |
//! |---|---|
//! | 50 annotations per request; PATCH appends | [`checks`] |
//! | summary 65,535 bytes, comment 65,536 chars, job summary 1 MiB | [`truncate`] |
//! | 10 per level per step, 4096-char messages, escaping | [`runner`] |
//! | title 255 chars, message 64 KB, columns on one line | [`annotations`] |
//! | rate limits, 5xx retries, non-idempotent POST | [`client`] |
//! | pagination via `Link`, sticky marker | [`comment`] |
//! | PR head SHA, fork detection | [`env`] |

pub mod annotations;
pub mod bundle;
pub mod checks;
pub mod client;
pub mod comment;
pub mod env;
pub mod error;
pub mod figures;
pub mod publication;
pub mod publish;
pub mod runner;
pub mod token;
pub mod truncate;

use std::path::Path;

pub use bundle::{
    read_bundle, verify_bundle, write_bundle, Bundle, BundleIdentity, VerifiedBundle,
};
pub use client::{RetryPolicy, Timer, TokioTimer};
pub use comment::CommentMode;
pub use env::{GithubEnv, Repository, Target};
pub use error::{ApiError, BundleError, EnvError};
pub use figures::{BaseFigures, StoredFigure, StoredFigures, StoredItem};
pub use publication::{
    Annotation, AnnotationLevel, Conclusion, Outputs, Publication, Section, DEFAULT_CHECK_NAME,
};
pub use publish::{publish, PublishOptions, PublishReport, Step};
pub use token::Token;

/// The annotations of `publication` as workflow commands (`::error
/// file=..,line=..::message`), escaped, at most 10 per level, followed by a
/// notice counting the rest. For `--format github`; print it to stdout.
pub fn workflow_commands(publication: &Publication, workspace: Option<&Path>) -> String {
    let prepared = annotations::prepare(
        &publication.annotations,
        workspace,
        annotations::DEFAULT_ANNOTATION_CAP,
    );
    runner::annotation_commands(&prepared, "the job summary")
}

/// Reads and verifies ([`verify_bundle`]) the bundle in `dir`, then
/// publishes what `recompute` derives from its outcome (`report.json`) with
/// the trusted job's own code: nothing the bundle claims about the verdict
/// is used. The publication goes out under `check_name` whatever it says,
/// and its step outputs must pass [`Outputs::validate`] against
/// `RUNNER_TEMP`. Any refusal publishes nothing. A PR number the event could
/// not confirm (fork PRs) is checked through the API before commenting.
pub async fn publish_bundle(
    dir: &Path,
    env: &GithubEnv,
    check_name: &str,
    recompute: impl FnOnce(&Bundle, &VerifiedBundle) -> Result<Publication, String>,
    options: &PublishOptions,
) -> Result<PublishReport, BundleError> {
    let bundle = read_bundle(dir)?;
    let verified = verify_bundle(&bundle, env, check_name)?;
    let mut publication = recompute(&bundle, &verified).map_err(BundleError::Untrusted)?;
    publication.check_name = verified.check_name.clone();
    publication
        .outputs
        .validate(env.runner_temp.as_deref())
        .map_err(BundleError::Output)?;
    Ok(publish::publish_to(
        &publication,
        env,
        Some(verified.target),
        verified.unconfirmed_pull_request,
        options,
    )
    .await)
}

fn runtime() -> Result<tokio::runtime::Runtime, ApiError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ApiError::Setup(format!("could not start the async runtime: {e}")))
}

/// [`publish`] for synchronous callers (the CLI).
pub fn publish_blocking(
    publication: &Publication,
    env: &GithubEnv,
    options: &PublishOptions,
) -> Result<PublishReport, ApiError> {
    Ok(runtime()?.block_on(publish(publication, env, options)))
}

/// The figures the base commit's check run `check_name` keeps, for
/// `--baseline github` ([`figures`]): the base commit is the pull request's
/// `base.sha` from the event. Every reason there are none (not a pull
/// request, no token, no such run, an API error) is
/// [`BaseFigures::Unavailable`] with the reason, never an error: the `base.`
/// figures are then unknown.
pub async fn base_figures(
    env: &GithubEnv,
    check_name: &str,
    options: &PublishOptions,
) -> BaseFigures {
    let check_name = match check_name.trim() {
        "" => DEFAULT_CHECK_NAME,
        name => name,
    };
    let Some(base_sha) = env.base_sha() else {
        return BaseFigures::Unavailable(
            "this run is not for a pull request, so there is no base commit to read figures from"
                .to_owned(),
        );
    };
    let Some(repository) = &env.repository else {
        return BaseFigures::Unavailable("`GITHUB_REPOSITORY` is not set".to_owned());
    };
    let Some(token) = &env.token else {
        return BaseFigures::Unavailable(
            "no token to read the base commit's check run (set `GITHUB_TOKEN`)".to_owned(),
        );
    };
    let client = match client::Client::new(
        &env.api_url,
        token,
        options.retry.clone(),
        options.timer.clone(),
    ) {
        Ok(client) => client,
        Err(error) => return BaseFigures::Unavailable(error.to_string()),
    };
    match figures::base_figures(&client, repository, &base_sha, check_name).await {
        Ok(found) => found,
        Err(error) => BaseFigures::Unavailable(format!(
            "the base commit's check runs could not be read: {}",
            token::Redactor::new(Some(token)).redact(&error.to_string())
        )),
    }
}

/// [`base_figures`] for synchronous callers (the CLI).
pub fn base_figures_blocking(
    env: &GithubEnv,
    check_name: &str,
    options: &PublishOptions,
) -> BaseFigures {
    match runtime() {
        Ok(runtime) => runtime.block_on(base_figures(env, check_name, options)),
        Err(error) => BaseFigures::Unavailable(error.to_string()),
    }
}

/// [`publish_bundle`] for synchronous callers (the CLI).
pub fn publish_bundle_blocking(
    dir: &Path,
    env: &GithubEnv,
    check_name: &str,
    recompute: impl FnOnce(&Bundle, &VerifiedBundle) -> Result<Publication, String>,
    options: &PublishOptions,
) -> Result<Result<PublishReport, BundleError>, ApiError> {
    Ok(runtime()?.block_on(publish_bundle(dir, env, check_name, recompute, options)))
}
