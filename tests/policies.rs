//! Every policy in policies/ parses, checks, formats to itself, and evaluates against each of its
//! fixture workspaces in policies/fixtures/<policy>/<case>/ (snapshots of the outcome). The demo
//! and passing examples give the verdicts the README promises.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::eval::{self, Context, Outcome, Status};
use readiness_gate::evidence::Workspace;
use std::path::{Path, PathBuf};

mod support;
use support::root;

fn evaluate(policy_path: &Path, workspace: &Path) -> Outcome {
    let source = std::fs::read_to_string(policy_path).unwrap();
    let (_, checked) = readiness_gate::load_policy(&source)
        .unwrap_or_else(|d| panic!("{} does not check: {d:#?}", policy_path.display()));
    let workspace = Workspace::new(workspace);
    let file = policy_path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let context = Context {
        evidence: &workspace,
        today: time::macros::date!(2026 - 11 - 21),
        changed_files: None,
        policy_file: &file,
        policy_source: &source,
    };
    eval::evaluate(&checked, &context)
}

fn policies() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("policies"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "gate"))
        .collect();
    found.sort();
    found
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// A compact, stable view of an outcome for snapshots: verdict, score, and each gate's status and
/// figures.
fn summary(outcome: &Outcome) -> String {
    let mut out = format!(
        "verdict: {:?}\nscore: {}\nlevel: {}\nreason: {}\n",
        outcome.verdict,
        outcome
            .score
            .as_ref()
            .map(|s| s.display.clone())
            .unwrap_or_else(|| "-".into()),
        outcome.level.clone().unwrap_or_else(|| "-".into()),
        outcome.reason
    );
    for category in &outcome.categories {
        out.push_str(&format!("\n[{}]\n", category.name));
        for gate in &category.gates {
            out.push_str(&format!("  {:<8} {}\n", gate.status.label(), gate.name));
            for e in &gate.expectations {
                out.push_str(&format!(
                    "    {:<8} {}  actual={} required={}{}\n",
                    e.status.label(),
                    e.text,
                    e.actual.as_deref().unwrap_or("-"),
                    e.required.as_deref().unwrap_or("-"),
                    e.reason
                        .as_ref()
                        .map(|r| format!("  ({r})"))
                        .unwrap_or_default()
                ));
            }
        }
    }
    for evidence in &outcome.evidence {
        out.push_str(&format!(
            "\nevidence {}: {} {}",
            evidence.name,
            evidence.status,
            evidence.format.clone().unwrap_or_default()
        ));
        for file in &evidence.files {
            out.push_str(&format!(
                " {} sha256:{}",
                file.path,
                file.sha256.get(..12).unwrap_or("")
            ));
        }
    }
    out.push('\n');
    out
}

#[test]
fn every_policy_checks_and_formats_to_itself() {
    let found = policies();
    assert!(
        found.len() >= 3,
        "policies/ should hold at least three policies"
    );
    for path in found {
        let source = std::fs::read_to_string(&path).unwrap();
        let (ast, _) = readiness_gate::load_policy(&source)
            .unwrap_or_else(|d| panic!("{} does not check: {d:#?}", path.display()));
        let formatted = readiness_gate::format::format_policy(&ast, &source);
        assert_eq!(
            formatted,
            source,
            "{} is not in canonical format (run `gate fmt`)",
            path.display()
        );
    }
}

#[test]
fn every_policy_evaluates_against_its_fixture_workspaces() {
    for path in policies() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let cases_dir = root().join("policies/fixtures").join(&stem);
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&cases_dir)
            .unwrap_or_else(|_| {
                panic!(
                    "{} has no fixture workspaces in {}",
                    stem,
                    cases_dir.display()
                )
            })
            .map(|entry| entry.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        cases.sort();
        assert!(!cases.is_empty(), "{stem} has no fixture workspace");
        for case in cases {
            let case_name = case.file_name().unwrap().to_string_lossy().into_owned();
            let outcome = evaluate(&path, &case);
            // The case's name says the verdict it must give.
            match case_name.as_str() {
                "ready" => assert!(
                    outcome.ready,
                    "{stem}/{case_name} should be ready:\n{}",
                    summary(&outcome)
                ),
                _ => assert!(!outcome.ready, "{stem}/{case_name} should not be ready"),
            }
            settings().bind(|| {
                insta::assert_snapshot!(format!("policy__{stem}__{case_name}"), summary(&outcome));
            });
        }
    }
}

#[test]
fn the_demo_is_a_mixed_not_ready_verdict() {
    let demo = root().join("examples/demo");
    let outcome = evaluate(&demo.join("readiness.gate"), &demo);
    assert!(!outcome.ready);
    let statuses: Vec<Status> = outcome
        .categories
        .iter()
        .flat_map(|c| c.gates.iter().map(|g| g.status))
        .collect();
    assert!(
        statuses.contains(&Status::Pass),
        "the demo should show passing gates"
    );
    assert!(
        statuses.contains(&Status::Fail),
        "the demo should show failing gates"
    );
    settings().bind(|| insta::assert_snapshot!("policy__demo", summary(&outcome)));
}

#[test]
fn the_passing_example_is_ready() {
    let passing = root().join("examples/passing");
    let outcome = evaluate(&passing.join("readiness.gate"), &passing);
    assert!(outcome.ready, "{}", summary(&outcome));
}
