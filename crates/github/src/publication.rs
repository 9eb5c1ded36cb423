//! The plain data the main crate hands over for publishing.
//!
//! The evaluator's outcome is turned into a [`Publication`] by the main crate
//! (it owns the reporters); this crate only sends what it is given. Nothing
//! here depends on the policy language or on evidence readers, which is what
//! lets the same publication be written into a bundle by an untrusted job and
//! posted later by a trusted one.
//!
//! The Markdown report is given as ranked [`Section`]s rather than one string
//! so that every GitHub size limit can be met by dropping the least important
//! sections while keeping the verdict, and by saying what was cut (see
//! [`crate::truncate`]).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Default check-run name, also the key of the sticky PR comment.
pub const DEFAULT_CHECK_NAME: &str = "readiness";

/// Everything that gets published about one evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// Check-run name and sticky-comment key (default [`DEFAULT_CHECK_NAME`]).
    pub check_name: String,
    /// The check-run conclusion.
    pub conclusion: Conclusion,
    /// One plain-text line, e.g. `Not ready: 72.5% (target 95%), 2 blockers failed`.
    /// It becomes the check-run title and the verdict line that is never cut.
    pub title: String,
    /// The Markdown report in display order, each part ranked for truncation.
    pub sections: Vec<Section>,
    /// Findings that have a file and a line.
    pub annotations: Vec<Annotation>,
    /// Values for the step outputs.
    pub outputs: Outputs,
    /// The run's figures, kept in the check run's `output.text` for later
    /// runs' `--baseline github` ([`crate::figures`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figures: Option<crate::figures::StoredFigures>,
}

/// Check-run conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// Ready.
    Success,
    /// Not ready: a gate that blocks failed.
    Failure,
    /// Only advisory gates failed.
    Neutral,
}

impl Conclusion {
    /// The value GitHub expects in `conclusion`.
    pub fn as_str(self) -> &'static str {
        match self {
            Conclusion::Success => "success",
            Conclusion::Failure => "failure",
            Conclusion::Neutral => "neutral",
        }
    }
}

/// One block of the Markdown report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Short human name used in the "what was cut" note, e.g. ``gate `coverage` ``.
    pub label: String,
    /// 0 = never dropped (the verdict); higher numbers are dropped first.
    /// Among equal priorities, later sections are dropped first.
    pub priority: u32,
    /// The Markdown of this block.
    pub markdown: String,
}

impl Section {
    /// A section that is never dropped (the verdict and its headline figures).
    pub fn verdict(markdown: impl Into<String>) -> Self {
        Section {
            label: "verdict".to_owned(),
            priority: 0,
            markdown: markdown.into(),
        }
    }

    /// A droppable section.
    pub fn new(label: impl Into<String>, priority: u32, markdown: impl Into<String>) -> Self {
        Section {
            label: label.into(),
            priority,
            markdown: markdown.into(),
        }
    }
}

/// A finding attached to a file and line range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Repository-relative path with `/` separators (absolute paths under
    /// `GITHUB_WORKSPACE` are made relative when published).
    pub path: String,
    /// 1-based first line.
    pub start_line: u32,
    /// 1-based last line (>= `start_line`).
    pub end_line: u32,
    /// 1-based columns; only kept when `start_line == end_line`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_column: Option<u32>,
    /// See `start_column`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// Severity.
    pub level: AnnotationLevel,
    /// Short title (GitHub keeps 255 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The message (GitHub keeps 64 KB; workflow commands 4096 characters).
    pub message: String,
    /// Lower is more important; annotations are sent failures first, then by rank.
    #[serde(default)]
    pub rank: u32,
}

/// Annotation severity, as the Checks API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationLevel {
    /// `failure` in the Checks API, `::error` as a workflow command.
    Failure,
    /// `warning` in both.
    Warning,
    /// `notice` in both.
    Notice,
}

impl AnnotationLevel {
    /// The Checks API `annotation_level`.
    pub fn as_check_level(self) -> &'static str {
        match self {
            AnnotationLevel::Failure => "failure",
            AnnotationLevel::Warning => "warning",
            AnnotationLevel::Notice => "notice",
        }
    }

    /// The workflow command name.
    pub fn as_command(self) -> &'static str {
        match self {
            AnnotationLevel::Failure => "error",
            AnnotationLevel::Warning => "warning",
            AnnotationLevel::Notice => "notice",
        }
    }
}

/// Step outputs (`GITHUB_OUTPUT`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outputs {
    /// `ready`: `true` / `false`.
    pub ready: bool,
    /// `score`, e.g. `72.5`.
    pub score: String,
    /// `level`, the readiness level name.
    pub level: String,
    /// `report-json`: path of the JSON report, when one was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_json: Option<PathBuf>,
}

impl Outputs {
    /// Checks the values before they go to `GITHUB_OUTPUT` from a bundle:
    /// no control character (a newline would start another output) in any
    /// value, `score` a plain decimal, `level` at most 200 characters, and
    /// `report-json` an absolute path inside `runner_temp` (`RUNNER_TEMP`),
    /// without `..`; with no runner temp directory, no `report-json` at all.
    pub fn validate(&self, runner_temp: Option<&Path>) -> Result<(), String> {
        let clean = |name: &str, value: &str| {
            if value.chars().any(char::is_control) {
                Err(format!("`{name}` holds a control character or a newline"))
            } else {
                Ok(())
            }
        };
        clean("score", &self.score)?;
        clean("level", &self.level)?;
        let decimal = |s: &str| {
            let digits = s.strip_prefix('-').unwrap_or(s);
            let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
            !whole.is_empty()
                && !fraction.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.bytes().all(|b| b.is_ascii_digit())
        };
        if !self.score.is_empty() && (self.score.len() > 40 || !decimal(&self.score)) {
            return Err(format!(
                "`score` `{}` is not a number",
                self.score.escape_debug()
            ));
        }
        if self.level.chars().count() > 200 {
            return Err("`level` is longer than 200 characters".to_owned());
        }
        if let Some(path) = &self.report_json {
            let text = path.to_string_lossy();
            clean("report-json", &text)?;
            let inside = runner_temp.is_some_and(|temp| {
                path.is_absolute()
                    && path.starts_with(temp)
                    && !path
                        .components()
                        .any(|c| matches!(c, std::path::Component::ParentDir))
            });
            if !inside {
                return Err(format!(
                    "`report-json` `{}` is not inside the runner's temporary directory (`RUNNER_TEMP`)",
                    text.escape_debug()
                ));
            }
        }
        Ok(())
    }
}

impl Publication {
    /// Builds a publication from one Markdown document, split into sections at
    /// its `## ` headings: everything before the first such heading is the
    /// verdict (never dropped); later sections get increasing priority numbers,
    /// so the last ones are dropped first.
    pub fn from_markdown(
        check_name: impl Into<String>,
        conclusion: Conclusion,
        title: impl Into<String>,
        markdown: &str,
        outputs: Outputs,
    ) -> Self {
        let mut sections: Vec<Section> = Vec::new();
        let mut current = String::new();
        let mut label = String::from("verdict");
        for line in markdown.split_inclusive('\n') {
            if let Some(heading) = line.strip_prefix("## ") {
                if !current.trim().is_empty() || !sections.is_empty() {
                    push_section(&mut sections, &label, &mut current);
                }
                label = heading.trim().to_owned();
            }
            current.push_str(line);
        }
        push_section(&mut sections, &label, &mut current);
        Publication {
            check_name: check_name.into(),
            conclusion,
            title: title.into(),
            sections,
            annotations: Vec::new(),
            outputs,
            figures: None,
        }
    }

    /// The check name, or the default when empty.
    pub fn effective_check_name(&self) -> &str {
        let name = self.check_name.trim();
        if name.is_empty() {
            DEFAULT_CHECK_NAME
        } else {
            name
        }
    }
}

fn push_section(sections: &mut Vec<Section>, label: &str, current: &mut String) {
    let markdown = std::mem::take(current).trim_end().to_owned();
    let priority = u32::try_from(sections.len()).unwrap_or(u32::MAX);
    if markdown.is_empty() && priority > 0 {
        return;
    }
    sections.push(Section {
        label: label.to_owned(),
        priority,
        markdown,
    });
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn outputs() -> Outputs {
        Outputs {
            ready: false,
            score: "72.5".into(),
            level: "beta".into(),
            report_json: None,
        }
    }

    #[test]
    fn from_markdown_splits_at_level_two_headings() {
        let md = "# Not ready\nscore 72.5%\n\n## Gates\n| a | b |\n\n## Evidence\nfiles\n";
        let p = Publication::from_markdown("", Conclusion::Failure, "Not ready", md, outputs());
        let labels: Vec<_> = p
            .sections
            .iter()
            .map(|s| (s.label.as_str(), s.priority))
            .collect();
        assert_eq!(labels, vec![("verdict", 0), ("Gates", 1), ("Evidence", 2)]);
        assert_eq!(p.sections[0].markdown, "# Not ready\nscore 72.5%");
        assert_eq!(p.effective_check_name(), "readiness");
    }

    #[test]
    fn output_values_are_validated() {
        let temp = Path::new("/runner/_temp");
        let mut o = outputs();
        assert!(o.validate(Some(temp)).is_ok());
        o.report_json = Some("/runner/_temp/readiness-gate-readiness.json".into());
        assert!(o.validate(Some(temp)).is_ok());
        assert!(o.validate(None).is_err(), "no RUNNER_TEMP: no report-json");
        for outside in ["/etc/passwd", "/runner/_temp/../x.json", "relative.json"] {
            o.report_json = Some(outside.into());
            let error = o.validate(Some(temp)).unwrap_err();
            assert!(error.contains("temporary directory"), "{outside}: {error}");
        }
        o.report_json = Some("/runner/_temp/a\nb.json".into());
        assert!(o.validate(Some(temp)).unwrap_err().contains("newline"));
        let mut o = outputs();
        o.score = "72.5\nready=true".into();
        assert!(o.validate(None).is_err());
        o.score = "1e9".into();
        assert!(o.validate(None).unwrap_err().contains("not a number"));
        o.score = String::new();
        o.level = "gold\r".into();
        assert!(o.validate(None).is_err());
    }

    #[test]
    fn serde_round_trip_uses_github_words() {
        let json = serde_json::to_value(Conclusion::Neutral).unwrap();
        assert_eq!(json, "neutral");
        let level = serde_json::to_value(AnnotationLevel::Failure).unwrap();
        assert_eq!(level, "failure");
    }
}
