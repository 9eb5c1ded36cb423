//! Reporters: one per output format, each rendering an [`Outcome`](crate::eval::Outcome) (or a
//! list of policy diagnostics) to text. Reporters return strings; only the binary writes them.

pub mod diagnostics;
pub mod escape;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

/// The output formats of `gate check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Markdown,
    Sarif,
    Junit,
    Github,
}

/// Shortens `text` to at most `width` characters, ending with `…` when cut.
pub fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut clipped: String = text.chars().take(width.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

/// A path as the repository sees it: `file` (relative to the workspace, as the outcome has it, or
/// absolute) under `prefix`, the workspace's directory relative to the repository root (empty when
/// the workspace is the root). `/` separators, no `./`.
pub fn repo_path(prefix: &str, file: &str) -> String {
    let file = file.replace('\\', "/");
    let absolute = file.starts_with('/') || file.get(1..3) == Some(":/");
    let file = file.trim_start_matches("./");
    let prefix = prefix.replace('\\', "/");
    let prefix = prefix.trim_start_matches("./").trim_end_matches('/');
    if absolute || prefix.is_empty() || prefix == "." {
        file.to_string()
    } else {
        format!("{prefix}/{file}")
    }
}

#[cfg(test)]
mod tests {
    use super::repo_path;

    #[test]
    fn repo_paths_join_the_workspace_prefix() {
        assert_eq!(repo_path("", "readiness.gate"), "readiness.gate");
        assert_eq!(repo_path(".", "./logs/build.log"), "logs/build.log");
        assert_eq!(
            repo_path("examples/demo/", "readiness.gate"),
            "examples/demo/readiness.gate"
        );
        assert_eq!(repo_path("a\\b", "c\\d.xml"), "a/b/c/d.xml");
        assert_eq!(repo_path("examples/demo", "/abs/file.ts"), "/abs/file.ts");
    }
}

/// How much a gate that did not pass matters, most important first: what annotations, SARIF
/// levels and JUnit elements are chosen by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Concern {
    /// A blocker failed or is unknown: not ready.
    Blocker,
    /// A scored gate failed or is unknown: the score drops.
    Gate,
    /// An advisory gate failed or is unknown: reported, never scored.
    Advisory,
    /// A waiver covers a gate that would have failed or been unknown.
    Waived,
}

/// The concern of `gate`, or `None` when it passed or is n/a.
pub fn concern(gate: &crate::eval::GateOutcome) -> Option<Concern> {
    use crate::eval::Status;
    use crate::syntax::ast::Severity;
    match (gate.status, gate.severity) {
        (Status::Fail | Status::Unknown, Severity::Blocker) => Some(Concern::Blocker),
        (Status::Fail | Status::Unknown, Severity::Default) => Some(Concern::Gate),
        (Status::Fail | Status::Unknown, Severity::Advisory) => Some(Concern::Advisory),
        (Status::Waived, _) if matches!(gate.result, Status::Fail | Status::Unknown) => {
            Some(Concern::Waived)
        }
        _ => None,
    }
}

/// The most important concern among the gates whose unpassed expectations used the evidence
/// item `name`: how much that item's findings (failing tests, unresolved imports) matter.
pub fn evidence_concern(outcome: &crate::eval::Outcome, name: &str) -> Option<Concern> {
    outcome
        .categories
        .iter()
        .flat_map(|category| category.gates.iter())
        .filter(|gate| {
            gate.expectations.iter().any(|expectation| {
                matches!(
                    expectation.status,
                    crate::eval::Status::Fail | crate::eval::Status::Unknown
                ) && expectation.evidence.iter().any(|used| used == name)
            })
        })
        .filter_map(concern)
        .min()
}
