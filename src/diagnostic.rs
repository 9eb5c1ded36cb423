//! Diagnostics about a policy: a stable kebab-case code, a lowercase message, labelled spans into
//! the policy, and advice. The source is attached when rendering (`Report`), so the stages that
//! find problems only deal in spans.

use crate::syntax::span::{line_column, Span};
use serde::{Deserialize, Serialize};

/// The longest line drawn under a diagnostic, in characters.
pub const MAX_SNIPPET_LINE: usize = 4096;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The policy cannot be evaluated.
    Error,
    /// Evaluated, but something deserves a look (a stale or expired waiver, say).
    Warning,
}

/// A labelled span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One problem found in a policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub level: Level,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            level: Level::Error,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn label(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The first label's span, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|label| label.span)
    }

    /// Attaches the policy's source for rendering with miette.
    ///
    /// A label on a line longer than [`MAX_SNIPPET_LINE`] characters is not drawn (miette cannot
    /// draw past column 65,535, and such a line is unreadable anyway): the message then says the
    /// line and column instead.
    pub fn with_source(&self, name: &str, source: &str) -> Report {
        let too_long = self.labels.iter().any(|label| {
            let start = label.span.start.min(source.len());
            let end = label.span.end.clamp(start, source.len());
            let line_start = source
                .get(..start)
                .and_then(|before| before.rfind('\n'))
                .map_or(0, |at| at + 1);
            let line_end = source
                .get(end..)
                .and_then(|after| after.find('\n'))
                .map_or(source.len(), |at| end + at);
            source
                .get(line_start..line_end)
                .is_none_or(|lines| lines.chars().count() > MAX_SNIPPET_LINE)
        });
        let mut diagnostic = self.clone();
        if too_long {
            if let Some(span) = self.primary_span() {
                let (line, column) = line_column(source, span.start);
                diagnostic.message = format!("{} (line {line}, column {column})", self.message);
            }
            diagnostic.labels.clear();
        }
        Report {
            diagnostic,
            source: miette::NamedSource::new(name, source.to_string()),
        }
    }

    /// A location-annotated copy for JSON output: file, line and column of the primary span.
    pub fn located(&self, file: &str, source: &str) -> LocatedDiagnostic {
        let position = self.primary_span().map(|span| {
            let (line, column) = line_column(source, span.start);
            Position { line, column, span }
        });
        LocatedDiagnostic {
            code: self.code,
            level: self.level,
            message: self.message.clone(),
            file: file.to_string(),
            position,
            help: self.help.clone(),
        }
    }
}

/// A [`LocatedDiagnostic`] as JSON carries it (a bundle's report, read back by `gate publish`).
#[derive(Deserialize)]
struct LocatedDiagnosticData {
    code: String,
    level: Level,
    message: String,
    file: String,
    position: Option<Position>,
    help: Option<String>,
}

impl<'de> Deserialize<'de> for LocatedDiagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let data = LocatedDiagnosticData::deserialize(deserializer)?;
        LocatedDiagnostic::try_from(data).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<LocatedDiagnosticData> for LocatedDiagnostic {
    type Error = String;

    /// Only a code `gate explain` knows is read back.
    fn try_from(data: LocatedDiagnosticData) -> Result<Self, String> {
        let code = crate::explain::lookup(&data.code)
            .map(|code| code.code)
            .ok_or_else(|| format!("unknown diagnostic code `{}`", data.code))?;
        Ok(LocatedDiagnostic {
            code,
            level: data.level,
            message: data.message,
            file: data.file,
            position: data.position,
            help: data.help,
        })
    }
}

/// A diagnostic with its file, line and column, as the JSON report carries it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LocatedDiagnostic {
    pub code: &'static str,
    pub level: Level,
    pub message: String,
    pub file: String,
    pub position: Option<Position>,
    pub help: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub span: Span,
}

/// A diagnostic with its source, ready for miette's renderers.
#[derive(Debug)]
pub struct Report {
    diagnostic: Diagnostic,
    source: miette::NamedSource<String>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.level {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        if self.diagnostic.labels.is_empty() {
            None
        } else {
            Some(&self.source)
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        if self.diagnostic.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.diagnostic.labels.iter().map(|label| {
            let text = (!label.text.is_empty()).then(|| label.text.clone());
            miette::LabeledSpan::new_with_span(text, label.span)
        })))
    }
}

/// `No such file` -> `no such file`: error messages start lowercase.
pub(crate) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
