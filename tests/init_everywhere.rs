//! `gate init` on copies of `examples/demo` and of every fixture workspace writes a policy that
//! validates, formats to itself and judges; two npm reports do not give a duplicate gate.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

mod support;
use support::gate_without_colour as gate;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs init in a copy of `workspace` and checks what it wrote.
fn init_validates_formats_and_judges(workspace: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(workspace, dir.path());
    let _ = std::fs::remove_file(dir.path().join("readiness.gate"));
    let init = gate()
        .args(["init", "--force", "--workspace"])
        .arg(dir.path())
        .output()
        .unwrap();
    let shown = |output: &std::process::Output| {
        format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    assert!(
        init.status.success(),
        "{}: init failed: {}",
        workspace.display(),
        shown(&init)
    );
    let policy = dir.path().join("readiness.gate");
    let text = std::fs::read_to_string(&policy).unwrap();
    let validate = gate()
        .args(["validate", "--policy"])
        .arg(&policy)
        .output()
        .unwrap();
    assert!(
        validate.status.success(),
        "{}: the policy init wrote does not check:\n{}\n{text}",
        workspace.display(),
        shown(&validate)
    );
    let fmt = gate()
        .args(["fmt", "--check"])
        .arg(&policy)
        .output()
        .unwrap();
    assert!(
        fmt.status.success(),
        "{}: not formatted:\n{}\n{text}",
        workspace.display(),
        shown(&fmt)
    );
    let check = gate()
        .args(["check", "--workspace"])
        .arg(dir.path())
        .output()
        .unwrap();
    let code = check.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{}: check gave {code:?}:\n{}\n{text}",
        workspace.display(),
        shown(&check)
    );
    dir
}

fn fixture_workspaces() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut workspaces = vec![root.join("examples/demo")];
    for policy in std::fs::read_dir(root.join("policies/fixtures")).unwrap() {
        for case in std::fs::read_dir(policy.unwrap().path()).unwrap() {
            let case = case.unwrap().path();
            if case.is_dir() {
                workspaces.push(case);
            }
        }
    }
    workspaces.sort();
    workspaces
}

#[test]
fn init_on_the_demo_and_every_fixture_workspace() {
    let workspaces = fixture_workspaces();
    assert!(workspaces.len() >= 4, "{workspaces:?}");
    for workspace in workspaces {
        let _ = init_validates_formats_and_judges(&workspace);
    }
}

#[test]
fn two_npm_reports_give_two_distinct_gates() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy(&root.join("examples/demo"), dir.path());
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    let ls = "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"next\": {\"version\": \"14.2.3\"}\n  }\n}\n";
    std::fs::write(reports.join("npm-ls.json"), ls).unwrap();
    std::fs::write(reports.join("npm-ls-prod.json"), ls).unwrap();
    let _ = init_validates_formats_and_judges(dir.path());
}

#[test]
fn a_workflow_folder_gives_config_facts() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy(&root.join("examples/demo"), dir.path());
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::write(
        workflows.join("ci.yml"),
        "on: [push, pull_request]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci\n      - run: npm run build\n",
    )
    .unwrap();
    let dir = init_validates_formats_and_judges(dir.path());
    let text = std::fs::read_to_string(dir.path().join("readiness.gate")).unwrap();
    assert!(
        text.contains(r#"config(".github/workflows/*.{yml,yaml}")"#),
        "{text}"
    );
    let check = gate()
        .args(["check", "--format", "json", "--workspace"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let gate = report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|category| category["gates"].as_array().unwrap().iter())
        .find(|gate| gate["name"] == "ci checks pull requests")
        .unwrap();
    assert_eq!(gate["status"], "pass", "{gate:#}");
}
