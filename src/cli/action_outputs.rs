//! The step outputs that describe the delivery, beside the verdict's own (`ready`, `score`,
//! `level`, `report-json`, written by `readiness-github`): `conclusion` (`success`, `failure` or
//! `neutral`, as the check run has it), `check-run-url` and `comment-url` (empty when nothing
//! was created or updated, e.g. in bundle mode or with `--no-check-run`).

use readiness_github::publication::Conclusion;
use readiness_github::runner::file_command_entry;
use readiness_github::{PublishReport, Step};
use std::io::Write;
use std::path::Path;

fn url(step: &Step) -> &str {
    match step {
        Step::Created { url } | Step::Updated { url } | Step::Unchanged { url } => {
            url.as_deref().unwrap_or("")
        }
        _ => "",
    }
}

/// The three outputs in file-command form.
pub fn text(conclusion: Option<Conclusion>, report: Option<&PublishReport>) -> String {
    let mut text = String::new();
    text.push_str(&file_command_entry(
        "conclusion",
        conclusion.map(Conclusion::as_str).unwrap_or(""),
    ));
    text.push_str(&file_command_entry(
        "check-run-url",
        report.map(|r| url(&r.check_run)).unwrap_or(""),
    ));
    text.push_str(&file_command_entry(
        "comment-url",
        report.map(|r| url(&r.comment)).unwrap_or(""),
    ));
    text
}

/// Appends them to `GITHUB_OUTPUT` when the runner set it; a problem is a warning, never a
/// change of verdict.
pub fn write(
    output_file: Option<&Path>,
    conclusion: Option<Conclusion>,
    report: Option<&PublishReport>,
) {
    let Some(path) = output_file else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text(conclusion, report).as_bytes()));
    if let Err(error) = written {
        eprintln!(
            "warning: could not write the step outputs `{}`: {}",
            path.display(),
            error.to_string().to_lowercase()
        );
    }
}
