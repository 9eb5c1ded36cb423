//! Reporters: one per output format, each rendering an [`Outcome`](crate::eval::Outcome) (or a
//! list of policy diagnostics) to text. Reporters return strings; only the binary writes them.

pub mod annotations;
pub mod diagnostics;
pub mod escape;
pub mod github;
pub mod human;
pub mod json;
pub mod json_schema;
pub mod junit;
pub mod links;
pub mod markdown;
pub mod policy_diff;
pub mod policy_test;
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
    if let Some(relative) = runner_relative(file) {
        return relative;
    }
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

/// A runner's absolute checkout path made repository-relative: `/home/runner/work/<repo>/<repo>/…`
/// (and `/Users/runner/work/…` on macOS), `/__w/<repo>/<repo>/…` in containers, `D:\\a\\<repo>\\<repo>\\…`
/// on Windows. `None` for any other path.
///
/// The one place reporters map runner paths, on the repository layer's mapping
/// ([`crate::repo::paths::RepositoryPaths::to_repository`]).
pub fn runner_relative(path: &str) -> Option<String> {
    let normalized = crate::repo::paths::normalize(path);
    if !crate::repo::paths::is_absolute(&normalized) {
        return None;
    }
    crate::repo::paths::RepositoryPaths::default().to_repository(&normalized)
}

#[cfg(test)]
mod tests {
    use super::{repo_path, runner_relative};

    #[test]
    fn runner_paths_become_repository_relative() {
        assert_eq!(
            runner_relative("/home/runner/work/mailflow/mailflow/tests/a.test.ts").as_deref(),
            Some("tests/a.test.ts")
        );
        assert_eq!(
            runner_relative("/__w/app/app/src/x.rs").as_deref(),
            Some("src/x.rs")
        );
        assert_eq!(
            runner_relative("D:\\a\\app\\app\\src\\x.cs").as_deref(),
            Some("src/x.cs")
        );
        assert_eq!(runner_relative("/usr/lib/x.ts"), None);
        assert_eq!(
            repo_path("examples/demo", "/__w/r/r/examples/demo/a.ts"),
            "examples/demo/a.ts"
        );
    }

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

/// A path as people read it: a runner's absolute checkout path made repository-relative.
pub fn display_path(file: &str) -> String {
    runner_relative(file).unwrap_or_else(|| file.to_string())
}

/// The gates that failed or are unknown (waived and n/a ones are not), in the order people
/// should fix them: blockers first, then by points to gain (most first), then advisory gates;
/// policy order among equals.
pub fn ranked_unpassed(outcome: &crate::eval::Outcome) -> Vec<&crate::eval::GateOutcome> {
    use crate::eval::Status;
    use crate::syntax::ast::Severity;
    let mut gates: Vec<_> = outcome
        .categories
        .iter()
        .flat_map(|category| category.gates.iter())
        .filter(|gate| matches!(gate.status, Status::Fail | Status::Unknown))
        .collect();
    let band = |gate: &crate::eval::GateOutcome| match gate.severity {
        Severity::Blocker => 0,
        Severity::Default => 1,
        Severity::Advisory => 2,
    };
    let gain =
        |gate: &crate::eval::GateOutcome| gate.points_to_gain.as_ref().map_or(0.0, |p| p.pct);
    gates.sort_by(|a, b| band(a).cmp(&band(b)).then(gain(b).total_cmp(&gain(a))));
    gates
}

/// What the artifacts say behind one gate not passed.
pub enum GateFindings<'a> {
    /// An evidence item's findings (tests, imports, dependency problems, endpoints).
    Items {
        gate: &'a crate::eval::GateOutcome,
        item: &'a crate::eval::EvidenceOutcome,
    },
    /// Patch coverage of a coverage item.
    Patch {
        gate: &'a crate::eval::GateOutcome,
        item: &'a crate::eval::EvidenceOutcome,
        patch: &'a crate::eval::PatchOutcome,
    },
    /// The workspace files a repository fact matched.
    Files {
        gate: &'a crate::eval::GateOutcome,
        files: Vec<String>,
    },
}

/// The findings behind the gates not passed, in [`ranked_unpassed`] order, each evidence item
/// once (under the first gate that used it).
pub fn findings_by_gate(outcome: &crate::eval::Outcome) -> Vec<GateFindings<'_>> {
    use crate::eval::Status;
    let mut shown: Vec<&str> = Vec::new();
    let mut groups = Vec::new();
    // Waived gates that would have failed come last: their evidence still says what is wrong.
    let waived = outcome
        .categories
        .iter()
        .flat_map(|category| category.gates.iter())
        .filter(|gate| {
            gate.status == Status::Waived && matches!(gate.result, Status::Fail | Status::Unknown)
        });
    for gate in ranked_unpassed(outcome).into_iter().chain(waived) {
        let mut files = Vec::new();
        for expectation in gate
            .expectations
            .iter()
            .filter(|e| matches!(e.status, Status::Fail | Status::Unknown))
        {
            for used in &expectation.evidence {
                match outcome.evidence.iter().find(|item| &item.name == used) {
                    Some(item) => {
                        if shown.contains(&item.name.as_str()) {
                            continue;
                        }
                        let patch = item.patch.as_ref().filter(|patch| {
                            expectation.text.contains(".patch")
                                && (!patch.files.is_empty() || patch.problem.is_some())
                        });
                        if let Some(patch) = patch {
                            shown.push(&item.name);
                            groups.push(GateFindings::Patch { gate, item, patch });
                        } else if !item.findings.is_empty() {
                            shown.push(&item.name);
                            groups.push(GateFindings::Items { gate, item });
                        }
                    }
                    None if !used.starts_with("base.")
                        && !used.starts_with('…')
                        && !files.contains(used) =>
                    {
                        files.push(used.clone());
                    }
                    None => {}
                }
            }
        }
        if !files.is_empty() {
            groups.push(GateFindings::Files { gate, files });
        }
    }
    groups
}
