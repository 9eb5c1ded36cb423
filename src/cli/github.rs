//! GitHub delivery from the command line: `gate check --publish`, `gate check --bundle DIR` and
//! `gate publish --bundle DIR`.
//!
//! The verdict is decided before anything is published, and publishing problems never change the
//! exit code unless `--publish-strict` (then [`Exit::PublishFailed`], 3). What `readiness-github`
//! returns is printed as it is: [`PublishReport::stdout`] (workflow commands) to stdout, its notes
//! and problems to stderr. The token is read by `readiness-github` from the variable named by
//! `--token-env` and never passes through here.

use super::args::{CheckArgs, CommentArg, GithubArgs, PublishArgs};
use super::Exit;
use readiness_gate::eval::Outcome;
use readiness_gate::publish::{publication, Settings};
use readiness_github::{CommentMode, GithubEnv, PublishOptions, PublishReport, Step};
use std::path::{Path, PathBuf};

/// The repository root: `GITHUB_WORKSPACE` in Actions, else the current directory.
pub fn repository_root() -> Option<PathBuf> {
    match std::env::var_os("GITHUB_WORKSPACE").filter(|v| !v.is_empty()) {
        Some(root) => Some(PathBuf::from(root)),
        None => std::env::current_dir().ok(),
    }
}

fn resolved(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path)
        .ok()
        .or_else(|| std::path::absolute(path).ok())
}

/// The workspace's directory relative to the repository root (`""` for the root itself); its
/// absolute path when it is outside the repository.
pub fn workspace_prefix(workspace: &Path, root: Option<&Path>) -> String {
    let Some(workspace) = resolved(workspace) else {
        return workspace.to_string_lossy().replace('\\', "/");
    };
    let relative = root
        .and_then(resolved)
        .and_then(|root| workspace.strip_prefix(root).ok().map(Path::to_path_buf));
    match relative {
        Some(relative) => relative.to_string_lossy().replace('\\', "/"),
        None => workspace.to_string_lossy().replace('\\', "/"),
    }
}

fn comment_mode(arg: CommentArg) -> CommentMode {
    match arg {
        CommentArg::Always => CommentMode::Always,
        CommentArg::OnFailure => CommentMode::OnFailure,
        CommentArg::OnChange => CommentMode::OnChange,
        CommentArg::Off => CommentMode::Off,
    }
}

fn options(args: &GithubArgs) -> PublishOptions {
    PublishOptions {
        comment: comment_mode(args.comment),
        comment_author: args.comment_author.clone(),
        check_run: !args.no_check_run,
        job_summary: !args.no_summary,
        ..PublishOptions::default()
    }
}

fn warn(message: &str) {
    eprintln!("warning: {message}");
}

fn step_text(step: &Step) -> String {
    let link = |url: &Option<String>| url.as_ref().map(|u| format!(" ({u})")).unwrap_or_default();
    match step {
        Step::Created { url } => format!("created{}", link(url)),
        Step::Updated { url } => format!("updated{}", link(url)),
        Step::Unchanged { url } => format!("unchanged{}", link(url)),
        Step::Written { truncated: false } => "written".to_string(),
        Step::Written { truncated: true } => "written (shortened to fit)".to_string(),
        Step::Skipped(why) => format!("skipped: {why}"),
        Step::Unavailable(why) => format!("unavailable: {why}"),
        Step::Failed(why) => format!("failed: {why}"),
    }
}

/// Prints what publishing did and returns whether it should fail the command.
fn print_report(report: &PublishReport, strict: bool) -> bool {
    print!("{}", report.stdout);
    for note in &report.notes {
        eprintln!("readiness-gate: {note}");
    }
    for (name, step) in [
        ("check run", &report.check_run),
        ("pull request comment", &report.comment),
        ("job summary", &report.job_summary),
        ("step outputs", &report.outputs),
    ] {
        if !step.is_problem() {
            eprintln!("readiness-gate: {name}: {}", step_text(step));
        }
    }
    if report.annotation_requests > 0 || report.annotations_omitted > 0 {
        eprintln!(
            "readiness-gate: {} annotations sent in {} requests, {} left out",
            report.annotations_sent, report.annotation_requests, report.annotations_omitted
        );
    }
    for problem in report.problems() {
        warn(&format!("could not publish the {problem}"));
    }
    let fail = report.should_fail(strict);
    if !fail && !report.problems().is_empty() {
        eprintln!("readiness-gate: the verdict and the exit code are unchanged (`--publish-strict` makes publishing problems fail)");
    }
    fail
}

fn sanitized(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "readiness".to_string()
    } else {
        cleaned
    }
}

fn write_report(path: &Path, outcome: &Outcome) -> Result<PathBuf, String> {
    write_text(path, &readiness_gate::report::json::render(outcome))
}

fn write_text(path: &Path, text: &str) -> Result<PathBuf, String> {
    std::fs::write(path, text)
        .map_err(|error| format!("could not write `{}`: {error}", path.display()))?;
    Ok(resolved(path).unwrap_or_else(|| path.to_path_buf()))
}

/// Where the JSON report of this run is, for the `report-json` output: `--output FILE` with
/// `--format json`; in bundle mode `DIR/report.json`; otherwise, in Actions, a file in
/// `RUNNER_TEMP` written now.
fn report_json(
    outcome: &Outcome,
    args: &CheckArgs,
    json_output: Option<&Path>,
) -> Result<Option<PathBuf>, String> {
    if let Some(bundle) = &args.bundle {
        // The bundle writes it (`readiness_github::write_bundle`).
        std::fs::create_dir_all(bundle)
            .map_err(|error| format!("could not create `{}`: {error}", bundle.display()))?;
        let dir = resolved(bundle).unwrap_or_else(|| bundle.clone());
        return Ok(Some(dir.join("report.json")));
    }
    if let Some(path) = json_output {
        return Ok(Some(resolved(path).unwrap_or_else(|| path.to_path_buf())));
    }
    match std::env::var_os("RUNNER_TEMP").filter(|v| !v.is_empty()) {
        Some(temp) => {
            let path = PathBuf::from(temp).join(format!(
                "readiness-gate-{}.json",
                sanitized(&args.check_name)
            ));
            write_report(&path, outcome).map(Some)
        }
        None => Ok(None),
    }
}

/// `--baseline github`: the figures the pull request's base commit kept on its own check run of
/// the same name. When there are none (not a pull request, no token, no such run, an API error)
/// every `base.` figure is unknown with the reason, which is also printed to stderr.
pub fn baseline(args: &CheckArgs) -> readiness_gate::eval::baseline::Baseline {
    use readiness_gate::eval::baseline::Baseline;
    use readiness_github::BaseFigures;
    let label = format!("check run `{}` of the base commit", args.check_name);
    let unavailable = |reason: &str| {
        eprintln!("readiness-gate: `--baseline github`: {reason}; `base.` figures are unknown");
        Baseline::unavailable(&label, reason)
    };
    let env = match GithubEnv::from_process(&args.github.token_env) {
        Ok(env) => env,
        Err(error) => return unavailable(&error.to_string()),
    };
    match readiness_github::base_figures_blocking(&env, &args.check_name, &options(&args.github)) {
        BaseFigures::Unavailable(reason) => unavailable(&reason),
        BaseFigures::Found { figures, html_url } => {
            let evidence: Vec<serde_json::Value> = figures
                .items
                .iter()
                .map(|item| {
                    let figures: serde_json::Map<String, serde_json::Value> = item
                        .figures
                        .iter()
                        .map(|(name, figure)| {
                            (
                                name.clone(),
                                serde_json::json!({"type": figure.ty, "exact": figure.exact}),
                            )
                        })
                        .collect();
                    serde_json::json!({
                        "name": item.name,
                        "status": item.status,
                        "problem": item.problem,
                        "figures": figures,
                    })
                })
                .collect();
            let report = serde_json::json!({
                "schema_version": readiness_gate::eval::SCHEMA_VERSION,
                "commit": figures.commit.clone().or_else(|| env.base_sha()),
                "policy": {"name": figures.policy},
                "evidence": evidence,
            });
            let file = match &html_url {
                Some(url) => format!("{label} ({url})"),
                None => label.clone(),
            };
            match Baseline::from_json(&report.to_string(), &file) {
                Ok(baseline) => baseline,
                Err(error) => unavailable(&error),
            }
        }
    }
}

/// `gate check --publish` or `--bundle DIR`, after the report was printed. Returns the exit code
/// to use instead of the verdict's, if any (`--publish-strict` and a problem).
pub fn deliver(
    outcome: &Outcome,
    args: &CheckArgs,
    prefix: &str,
    json_output: Option<&Path>,
) -> Option<Exit> {
    let strict = args.github.publish_strict;
    let problem = |message: String| {
        warn(&message);
        if strict {
            Some(Exit::PublishFailed)
        } else {
            eprintln!("readiness-gate: the verdict and the exit code are unchanged (`--publish-strict` makes publishing problems fail)");
            None
        }
    };
    let env = match GithubEnv::from_process(&args.github.token_env) {
        Ok(env) => env,
        Err(error) => return problem(format!("cannot publish: {error}")),
    };
    let report_json = match report_json(outcome, args, json_output) {
        Ok(path) => path,
        Err(message) => {
            warn(&format!(
                "no JSON report for the `report-json` output: {message}"
            ));
            None
        }
    };
    let settings = Settings {
        check_name: args.check_name.clone(),
        workspace_prefix: prefix.to_string(),
        report_json,
        links: readiness_gate::publish::links(&env, prefix),
    };
    let publication = publication(outcome, &settings);
    if let Some(dir) = &args.bundle {
        let summary = !args.github.no_summary;
        let exit = bundle(&publication, outcome, prefix, &env, dir, strict, summary);
        super::action_outputs::write(
            env.output_file.as_deref(),
            Some(publication.conclusion),
            None,
        );
        return exit;
    }
    match readiness_github::publish_blocking(&publication, &env, &options(&args.github)) {
        Ok(report) => {
            super::action_outputs::write(
                env.output_file.as_deref(),
                Some(publication.conclusion),
                Some(&report),
            );
            print_report(&report, strict).then_some(Exit::PublishFailed)
        }
        Err(error) => {
            super::action_outputs::write(
                env.output_file.as_deref(),
                Some(publication.conclusion),
                None,
            );
            problem(format!("cannot publish: {error}"))
        }
    }
}

/// Phase one of fork-safe publishing: the bundle, plus the job summary and step outputs, which
/// need no token.
fn bundle(
    publication: &readiness_github::Publication,
    outcome: &Outcome,
    prefix: &str,
    env: &GithubEnv,
    dir: &Path,
    strict: bool,
    summary: bool,
) -> Option<Exit> {
    let mut failed = false;
    let report = readiness_gate::report::json::render(outcome);
    match readiness_github::write_bundle(dir, publication, &report, prefix, env) {
        Ok(identity) => {
            let pr = identity
                .pull_request
                .map(|n| format!(", pull request #{n}"))
                .unwrap_or_default();
            eprintln!(
                "readiness-gate: bundle written to `{}` for {} at {}{pr}; publish it with `gate publish --bundle` from a `workflow_run` workflow",
                dir.display(),
                identity.repository,
                identity.head_sha
            );
        }
        Err(error) => {
            warn(&format!("could not write the bundle: {error}"));
            failed = true;
        }
    }
    if let Some(path) = env.step_summary_file.as_ref().filter(|_| summary) {
        match readiness_github::runner::write_job_summary(path, publication, None) {
            Ok(fitted) if fitted.truncated() => {
                eprintln!(
                    "readiness-gate: job summary shortened to stay under 1 MiB: left out {}",
                    fitted.dropped.join(", ")
                )
            }
            Ok(_) => {}
            Err(error) => {
                warn(&format!(
                    "could not write the job summary `{}`: {error}",
                    path.display()
                ));
                failed = true;
            }
        }
    }
    if let Some(path) = &env.output_file {
        if let Err(error) = readiness_github::runner::write_outputs(path, &publication.outputs) {
            warn(&format!(
                "could not write the step outputs `{}`: {error}",
                path.display()
            ));
            failed = true;
        }
    }
    if !failed {
        return None;
    }
    if strict {
        Some(Exit::PublishFailed)
    } else {
        eprintln!("readiness-gate: the verdict and the exit code are unchanged (`--publish-strict` makes publishing problems fail)");
        None
    }
}

/// Phase two's own judgement of a bundle: parse its outcome (`report.json`), refuse one that
/// contradicts itself, and derive everything published from it with this binary's code. The JSON
/// report for the `report-json` output is written again, from the parsed outcome, into
/// `RUNNER_TEMP`.
fn recompute(
    bundle: &readiness_github::Bundle,
    verified: &readiness_github::VerifiedBundle,
    runner_temp: Option<&Path>,
) -> Result<readiness_github::Publication, String> {
    let outcome: Outcome = serde_json::from_str(&bundle.report_json).map_err(|error| {
        format!("`report.json` is not the JSON report of a `gate check` run: {error}")
    })?;
    readiness_gate::publish::consistency(&outcome)?;
    let report_json = match runner_temp {
        Some(temp) => {
            let path = temp.join(format!(
                "readiness-gate-{}.json",
                sanitized(&verified.check_name)
            ));
            Some(write_report(&path, &outcome)?)
        }
        None => None,
    };
    let settings = Settings {
        check_name: verified.check_name.clone(),
        workspace_prefix: verified.workspace_prefix.clone(),
        report_json,
        // Phase two links nothing yet: its links would come from the trusted event, not the bundle.
        links: readiness_gate::report::links::Links::default(),
    };
    Ok(publication(&outcome, &settings))
}

/// `gate publish --bundle DIR`: verify the bundle against the trusted `workflow_run` event,
/// recompute what to publish from its outcome, and publish it.
pub fn publish(args: PublishArgs) -> Exit {
    let env = match GithubEnv::from_process(&args.github.token_env) {
        Ok(env) => env,
        Err(error) => {
            eprintln!("error: cannot publish: {error}");
            return Exit::Invalid;
        }
    };
    let runner_temp = env.runner_temp.clone();
    let conclusion = std::cell::Cell::new(None);
    let judge = |bundle: &readiness_github::Bundle, verified: &readiness_github::VerifiedBundle| {
        let publication = recompute(bundle, verified, runner_temp.as_deref());
        if let Ok(publication) = &publication {
            conclusion.set(Some(publication.conclusion));
        }
        publication
    };
    match readiness_github::publish_bundle_blocking(
        &args.bundle,
        &env,
        &args.check_name,
        judge,
        &options(&args.github),
    ) {
        Err(error) => {
            eprintln!("error: cannot publish: {error}");
            Exit::Invalid
        }
        Ok(Err(error)) => {
            // The error can quote bundle text: one line, control characters escaped.
            let error: String = error
                .to_string()
                .chars()
                .flat_map(|c| {
                    let escaped: Vec<char> = if c.is_control() {
                        c.escape_debug().collect()
                    } else {
                        vec![c]
                    };
                    escaped
                })
                .collect();
            eprintln!(
                "error: the bundle `{}` cannot be published, nothing was published: {error}",
                args.bundle.display()
            );
            eprintln!("  help: a bundle is published only by a run for the same repository, commit and `--check-name` as the run that wrote it (`gate check --bundle` in the `pull_request` workflow), and only as `gate check` wrote it");
            Exit::Invalid
        }
        Ok(Ok(report)) => {
            super::action_outputs::write(
                env.output_file.as_deref(),
                conclusion.get(),
                Some(&report),
            );
            if print_report(&report, args.github.publish_strict) {
                Exit::PublishFailed
            } else {
                Exit::Ready
            }
        }
    }
}
