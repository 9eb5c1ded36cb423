//! `--format github`: the findings as workflow commands (`::error file=...,line=...::message`),
//! which the Actions runner turns into annotations without any token, then the verdict line.
//!
//! The annotations are those of the check run ([`super::annotations::annotations`]); escaping and
//! GitHub's per-step caps (10 per level, 4096-character messages) are `readiness-github`'s
//! ([`readiness_github::workflow_commands`]).

use super::annotations::{annotations, conclusion, title};
use crate::eval::Outcome;
use readiness_github::{Outputs, Publication};
use std::path::Path;

/// Renders the workflow commands. `workspace_prefix` is the workspace's directory in the
/// repository; `repository_root` (`GITHUB_WORKSPACE`) makes absolute paths relative.
pub fn render(outcome: &Outcome, workspace_prefix: &str, repository_root: Option<&Path>) -> String {
    let publication = Publication {
        check_name: String::new(),
        conclusion: conclusion(outcome),
        title: title(outcome),
        sections: Vec::new(),
        annotations: annotations(outcome, workspace_prefix),
        figures: None,
        outputs: Outputs {
            ready: outcome.ready,
            score: String::new(),
            level: String::new(),
            report_json: None,
        },
    };
    let mut out = readiness_github::workflow_commands(&publication, repository_root);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("readiness-gate: {}\n", title(outcome)));
    out
}
