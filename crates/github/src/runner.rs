//! The Actions runner's own channels: workflow commands, step outputs and
//! the job summary. None of them needs a token or any permission, so they
//! are what a fork PR still gets.
//!
//! * Workflow commands: `::error file=..,line=..::msg`.
//!   Data escapes `%`, `\r`, `\n`; property values also `:` and `,` (`%`
//!   first), so a hostile file name cannot forge a `line=` or `title=`, and a
//!   message cannot start a new command. The runner shows only 10 errors,
//!   10 warnings and 10 notices per step, so at most that many of each are
//!   printed, followed by one `::notice::` counting the rest. Messages are
//!   cut to the runner's 4096 characters.
//! * Step outputs (§8.2): every value uses the heredoc form with a random
//!   `ghadelimiter_<hex>` delimiter that the value is checked not to contain.
//!   The file is appended to, never truncated.
//! * Job summary (§8.3): appended, fitted under 900 KiB and under whatever
//!   room the step's file has left of the 1 MiB the runner accepts (over it
//!   the runner drops the whole summary).

use crate::annotations::Prepared;
use crate::publication::{AnnotationLevel, Outputs, Publication, Section};
use crate::truncate::{
    ellipsize, fit, Fitted, Limit, Unit, JOB_SUMMARY_LIMIT, STEP_SUMMARY_HARD_LIMIT,
};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::Path;

/// Annotations of one level the runner shows per step.
pub const PER_LEVEL_PER_STEP: usize = 10;
/// Characters of a workflow-command message the runner keeps.
pub const COMMAND_MESSAGE_MAX: usize = 4096;

/// Escapes workflow-command data (the message).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command line (without newline).
pub fn command(name: &str, properties: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    if props.is_empty() {
        format!("::{name}::{}", escape_data(message))
    } else {
        format!("::{name} {}::{}", props.join(","), escape_data(message))
    }
}

/// The annotations as workflow commands, within the per-step display caps,
/// plus a notice counting what was left out. Ends with a newline when not empty.
pub fn annotation_commands(prepared: &Prepared, elsewhere: &str) -> String {
    let mut out = String::new();
    let mut shown = [0usize; 3];
    let mut hidden = 0usize;
    for a in &prepared.kept {
        let slot = match a.level {
            AnnotationLevel::Failure => 0,
            AnnotationLevel::Warning => 1,
            AnnotationLevel::Notice => 2,
        };
        let Some(count) = shown.get_mut(slot) else {
            continue;
        };
        if *count >= PER_LEVEL_PER_STEP {
            hidden += 1;
            continue;
        }
        *count += 1;
        let mut props = vec![
            ("file", a.path.clone()),
            ("line", a.start_line.to_string()),
            ("endLine", a.end_line.to_string()),
        ];
        if let Some(c) = a.start_column {
            props.push(("col", c.to_string()));
        }
        if let Some(c) = a.end_column {
            props.push(("endColumn", c.to_string()));
        }
        if let Some(t) = &a.title {
            props.push(("title", t.clone()));
        }
        out.push_str(&command(
            a.level.as_command(),
            &props,
            &ellipsize(&a.message, COMMAND_MESSAGE_MAX),
        ));
        out.push('\n');
    }
    let more = hidden + prepared.over_cap;
    if more > 0 {
        out.push_str(&command(
            "notice",
            &[("title", "readiness-gate".to_owned())],
            &format!(
                "{more} more annotation{} not shown here (GitHub shows 10 of each level per step); see {elsewhere}",
                if more == 1 { "" } else { "s" }
            ),
        ));
        out.push('\n');
    }
    out
}

/// A fresh heredoc delimiter: `ghadelimiter_` and 32 random hex digits.
pub fn delimiter() -> String {
    let a = RandomState::new().build_hasher().finish();
    let mut h = RandomState::new().build_hasher();
    h.write_u64(a);
    format!("ghadelimiter_{a:016x}{:016x}", h.finish())
}

/// Formats `name` = `value` in the heredoc file-command form.
pub fn file_command_entry(name: &str, value: &str) -> String {
    let mut delim = delimiter();
    while value.contains(&delim) {
        delim = delimiter();
    }
    format!("{name}<<{delim}\n{value}\n{delim}\n")
}

/// The four outputs in file-command form.
pub fn outputs_text(outputs: &Outputs) -> String {
    let mut text = String::new();
    text.push_str(&file_command_entry(
        "ready",
        if outputs.ready { "true" } else { "false" },
    ));
    text.push_str(&file_command_entry("score", &outputs.score));
    text.push_str(&file_command_entry("level", &outputs.level));
    let report = outputs
        .report_json
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    text.push_str(&file_command_entry("report-json", &report));
    text
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// Appends the outputs to `GITHUB_OUTPUT`. A value holding a newline or
/// another control character is refused (nothing is written).
pub fn write_outputs(path: &Path, outputs: &Outputs) -> std::io::Result<()> {
    let report = outputs
        .report_json
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (name, value) in [
        ("score", outputs.score.as_str()),
        ("level", outputs.level.as_str()),
        ("report-json", report.as_str()),
    ] {
        if value.chars().any(char::is_control) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the `{name}` output holds a newline or a control character; refused"),
            ));
        }
    }
    append(path, &outputs_text(outputs))
}

/// The job-summary Markdown: the report, plus (when `findings` is set) a
/// low-priority list of the annotations, fitted under `limit`.
pub fn job_summary_text(
    publication: &Publication,
    findings: Option<&Prepared>,
    limit: Limit,
) -> Fitted {
    let mut with_findings = publication.clone();
    if let Some(prepared) = findings.filter(|p| !p.kept.is_empty()) {
        let mut md = String::from("### Findings\n\n| | Where | What |\n|---|---|---|\n");
        for a in &prepared.kept {
            let icon = match a.level {
                AnnotationLevel::Failure => "❌",
                AnnotationLevel::Warning => "⚠️",
                AnnotationLevel::Notice => "ℹ️",
            };
            let what = a
                .title
                .as_deref()
                .map_or_else(|| a.message.clone(), |t| format!("**{t}** {}", a.message));
            md.push_str(&format!(
                "| {icon} | `{}:{}` | {} |\n",
                a.path.replace('`', "'"),
                a.start_line,
                ellipsize(&what.replace(['\n', '\r'], " ").replace('|', "\\|"), 300)
            ));
        }
        if let Some(note) = prepared.note() {
            md.push('\n');
            md.push_str(&note);
        }
        let lowest = with_findings
            .sections
            .iter()
            .map(|s| s.priority)
            .max()
            .unwrap_or(0);
        with_findings
            .sections
            .push(Section::new("findings", lowest.saturating_add(1), md));
    }
    fit(
        &with_findings,
        limit,
        0,
        "the check run and the JSON report",
    )
}

/// Appends the job summary to `GITHUB_STEP_SUMMARY`, within the room left
/// of the runner's 1 MiB. Returns what was written.
pub fn write_job_summary(
    path: &Path,
    publication: &Publication,
    findings: Option<&Prepared>,
) -> std::io::Result<Fitted> {
    let existing = std::fs::metadata(path).map_or(0, |m| m.len());
    let existing = usize::try_from(existing).unwrap_or(usize::MAX);
    let room = STEP_SUMMARY_HARD_LIMIT
        .saturating_sub(existing)
        .saturating_sub(4096);
    let limit = Limit {
        max: JOB_SUMMARY_LIMIT.max.min(room),
        unit: Unit::Bytes,
    };
    let fitted = job_summary_text(publication, findings, limit);
    let mut text = fitted.text.clone();
    if existing > 0 {
        text.insert_str(0, "\n\n");
    }
    text.push('\n');
    append(path, &text)?;
    Ok(fitted)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::annotations::prepare;
    use crate::publication::Annotation;

    fn ann(path: &str, level: AnnotationLevel, message: &str) -> Annotation {
        Annotation {
            path: path.into(),
            start_line: 4,
            end_line: 4,
            start_column: None,
            end_column: None,
            level,
            title: Some("a: b, c".into()),
            message: message.into(),
            rank: 0,
        }
    }

    #[test]
    fn properties_and_data_are_escaped() {
        let p = prepare(
            &[ann(
                "we,ird:na%me.rs",
                AnnotationLevel::Failure,
                "50% done\n::error::x",
            )],
            None,
            100,
        );
        let text = annotation_commands(&p, "x");
        assert_eq!(
            text,
            "::error file=we%2Cird%3Ana%25me.rs,line=4,endLine=4,title=a%3A b%2C c::50%25 done%0A::error::x\n"
        );
    }

    #[test]
    fn at_most_ten_per_level_then_a_notice() {
        let list: Vec<Annotation> = (0..25)
            .map(|i| ann(&format!("f{i}.rs"), AnnotationLevel::Warning, "w"))
            .chain((0..3).map(|i| ann(&format!("e{i}.rs"), AnnotationLevel::Failure, "e")))
            .collect();
        let text = annotation_commands(&prepare(&list, None, 1000), "the check run");
        assert_eq!(
            text.lines().filter(|l| l.starts_with("::warning ")).count(),
            10
        );
        assert_eq!(
            text.lines().filter(|l| l.starts_with("::error ")).count(),
            3
        );
        assert!(text.lines().last().unwrap().contains("15 more annotations"));
    }

    #[test]
    fn outputs_use_heredocs_with_a_fresh_delimiter() {
        let out = outputs_text(&Outputs {
            ready: false,
            score: "72.5".into(),
            level: "multi\nline".into(),
            report_json: Some("/tmp/r.json".into()),
        });
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("ready<<ghadelimiter_"));
        let delim = lines[0].trim_start_matches("ready<<");
        assert_eq!(lines[1], "false");
        assert_eq!(lines[2], delim);
        assert!(out.contains("\nmulti\nline\n"));
        assert!(out.contains("report-json<<"));
        assert_ne!(delimiter(), delimiter());
    }
}
