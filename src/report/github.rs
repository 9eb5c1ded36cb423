//! `--format github`: the findings as workflow commands (`::error file=...,line=...::message`),
//! which the Actions runner turns into annotations without any token, then the verdict line.
//!
//! The annotations are those of the check run ([`crate::publish::annotations`]); escaping and
//! GitHub's per-step caps (10 per level, 4096-character messages) are `readiness-github`'s
//! ([`readiness_github::workflow_commands`]).

use crate::eval::Outcome;
use crate::publish::{publication, title, Settings};
use std::path::Path;

/// Renders the workflow commands. `workspace_prefix` is the workspace's directory in the
/// repository; `repository_root` (`GITHUB_WORKSPACE`) makes absolute paths relative.
pub fn render(outcome: &Outcome, workspace_prefix: &str, repository_root: Option<&Path>) -> String {
    let settings = Settings {
        workspace_prefix: workspace_prefix.to_string(),
        ..Settings::default()
    };
    let mut out =
        readiness_github::workflow_commands(&publication(outcome, &settings), repository_root);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("readiness-gate: {}\n", title(outcome)));
    out
}
