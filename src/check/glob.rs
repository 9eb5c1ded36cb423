//! Workspace globs: compiled with globset, relative to the workspace, never leaving it. A glob's
//! errors carry the span of its literal in the policy (globset's errors have no position).

use crate::diagnostic::Diagnostic;
use crate::syntax::span::{Span, Spanned};

/// A compiled glob over workspace-relative paths (`/`-separated).
#[derive(Debug, Clone)]
pub struct WorkspaceGlob {
    pub text: String,
    pub span: Span,
    pub matcher: globset::GlobMatcher,
}

impl PartialEq for WorkspaceGlob {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl WorkspaceGlob {
    pub fn is_match(&self, relative_path: &str) -> bool {
        self.matcher.is_match(relative_path)
    }

    /// Whether the glob is a plain path (no wildcard), which `file(...)` requires.
    pub fn is_literal(&self) -> bool {
        !self.text.contains(['*', '?', '[', '{'])
    }
}

/// Why a path or glob is refused as leaving the workspace, if it is (the rule of the workspace
/// file API, [`crate::repo::workspace::escapes`]).
pub fn escapes_workspace(text: &str) -> Option<&'static str> {
    crate::repo::workspace::escapes(text)
}

/// Compiles a glob literal, or explains why it cannot be one.
pub fn compile(literal: &Spanned<String>) -> Result<WorkspaceGlob, Diagnostic> {
    let text = literal.node.as_str();
    if text.is_empty() {
        return Err(
            Diagnostic::error("invalid-glob", "an empty glob matches nothing")
                .label(literal.span, "empty")
                .help("write a path or a pattern like `src/**/*.ts`"),
        );
    }
    if let Some(reason) = escapes_workspace(text) {
        return Err(Diagnostic::error(
            "glob-escapes-workspace",
            format!("`{text}` leaves the workspace"),
        )
        .label(literal.span, "outside the workspace")
        .help(reason));
    }
    let normalized = text.strip_prefix("./").unwrap_or(text);
    let glob = globset::GlobBuilder::new(normalized)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|error| {
            Diagnostic::error(
                "invalid-glob",
                format!("`{text}` is not a valid glob: {}", glob_error_words(&error)),
            )
            .label(literal.span, "this glob")
            .help("globs use `*` (within a folder), `**` (any depth), `?`, `[abc]` and `{a,b}`")
        })?;
    Ok(WorkspaceGlob {
        text: normalized.to_string(),
        span: literal.span,
        matcher: glob.compile_matcher(),
    })
}

fn glob_error_words(error: &globset::Error) -> String {
    use globset::ErrorKind;
    match error.kind() {
        ErrorKind::UnclosedClass => "a `[` is never closed".to_string(),
        ErrorKind::InvalidRange(a, b) => format!("`{a}-{b}` is not a valid range"),
        ErrorKind::UnopenedAlternates => "a `}` has no matching `{`".to_string(),
        ErrorKind::UnclosedAlternates => "a `{` is never closed".to_string(),
        ErrorKind::NestedAlternates => "`{...}` cannot be nested".to_string(),
        ErrorKind::DanglingEscape => "it ends with a lone `\\`".to_string(),
        ErrorKind::InvalidRecursive => {
            "`**` must be a whole path component, as in `src/**/x`".to_string()
        }
        other => other.to_string().to_lowercase(),
    }
}
