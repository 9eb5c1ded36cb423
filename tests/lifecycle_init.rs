//! `gate init`: starter policies for the example workspaces and synthetic ones check, are in
//! canonical `gate fmt` form, and have the gates the workspace calls for.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::lifecycle::init::{self, InitError};
use std::path::Path;

mod support;
use support::root;

/// The starter for a workspace; asserts it checks and formats to itself.
/// The text with runs of spaces squashed (the formatter aligns `=` in `evidence`).
fn squash(text: &str) -> String {
    let mut out = String::new();
    for part in text.split(' ').filter(|part| !part.is_empty()) {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push(' ');
        }
        out.push_str(part);
    }
    out.replace("\n ", "\n")
}

fn starter(workspace: &Path) -> String {
    let detected = init::detect(workspace).unwrap();
    let starter = init::starter_policy(&detected, &init::project_name(workspace)).unwrap();
    let (ast, _) = readiness_gate::load_policy(&starter.text).unwrap_or_else(|d| {
        panic!(
            "the starter for {} does not check: {d:#?}\n{}",
            workspace.display(),
            starter.text
        )
    });
    assert_eq!(
        readiness_gate::format::format_policy(&ast, &starter.text),
        starter.text,
        "not in canonical form"
    );
    insta_like(workspace, &starter.text);
    squash(&starter.text)
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn the_demo_gets_next_jest_and_its_artifacts() {
    let text = starter(&root().join("examples/demo"));
    assert!(
        text.contains(r#"build = build_log("logs/build.log")"#),
        "{text}"
    );
    assert!(text.contains(r#"coverage("coverage/lcov.info")"#), "{text}");
    assert!(
        text.contains(r#"junit("reports/junit/jest.xml")"#),
        "{text}"
    );
    assert!(
        text.contains(r#"load("reports/load/basic.json")"#),
        "{text}"
    );
    assert!(text.contains(r#"npm_ls("reports/npm-ls.json")"#), "{text}");
    assert!(
        text.contains("gate \"security headers configured\""),
        "{text}"
    );
    assert!(text.contains("gate \"health endpoint exists\""), "{text}");
    assert!(
        text.contains("# the build must succeed"),
        "every gate has a comment:\n{text}"
    );
}

#[test]
fn the_passing_rust_example_gets_cargo_gates() {
    let text = starter(&root().join("examples/passing"));
    assert!(text.contains("target/reports/cargo-build.jsonl"), "{text}");
    assert!(text.contains("target/nextest/ci/junit.xml"), "{text}");
    assert!(text.contains("target/reports/lcov.info"), "{text}");
    assert!(text.contains("gate \"MSRV declared\""), "{text}");
}

#[test]
fn the_python_service_gets_pytest_fastapi_locust_and_docker_gates() {
    let text = starter(&root().join("policies/fixtures/python-service/failing"));
    assert!(
        text.contains(r#"coverage("reports/coverage.xml")"#),
        "{text}"
    );
    assert!(
        text.contains(r#"junit("reports/pytest-junit.xml")"#),
        "{text}"
    );
    assert!(text.contains(r#"build_log("reports/mypy.log")"#), "{text}");
    assert!(
        text.contains("tenant = load(\"reports/locust/tenant_stats.csv\")"),
        "{text}"
    );
    assert!(text.contains("gate \"container health check\""), "{text}");
    assert!(text.contains("gate \"health endpoint exists\""), "{text}");
    assert!(text.contains("\"requirements.lock\""), "{text}");
}

#[test]
fn a_vite_vitest_app_without_artifacts_points_at_conventional_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "package.json",
            r#"{"name": "shop-ui", "devDependencies": {"vite": "6.0.0", "vitest": "3.0.0", "typescript": "5.6.0"}}"#,
        )],
    );
    let text = starter(dir.path());
    assert!(
        text.contains("policy \"shop-ui production readiness\""),
        "{text}"
    );
    assert!(text.contains("vite build"), "{text}");
    assert!(
        text.contains(
            r#"junit("reports/junit.xml") # not produced yet: vitest run --reporter=junit"#
        ),
        "{text}"
    );
    assert!(text.contains(r#"coverage("coverage/lcov.info")"#), "{text}");
    // Without artifacts, the starter is unknown rather than passing.
    let (_, checked) = readiness_gate::load_policy(&text).unwrap();
    let workspace = readiness_gate::evidence::Workspace::new(dir.path());
    let context = readiness_gate::eval::Context {
        evidence: &workspace,
        today: time::macros::date!(2026 - 11 - 21),
        changed_files: None,
        policy_file: "readiness.gate",
        policy_source: &text,
    };
    let outcome = readiness_gate::eval::evaluate(&checked, &context);
    assert!(!outcome.ready);
}

#[test]
fn a_go_module_and_an_empty_folder_get_valid_starters() {
    let go = tempfile::tempdir().unwrap();
    write(
        go.path(),
        &[
            ("go.mod", "module example.com/api\n\ngo 1.23\n"),
            ("go.sum", ""),
            ("main.go", "package main\n"),
        ],
    );
    let text = starter(go.path());
    assert!(text.contains("go build ./..."), "{text}");
    assert!(text.contains("gotestsum"), "{text}");
    assert!(text.contains(r#"coverage("coverage.out")"#), "{text}");

    let empty = tempfile::tempdir().unwrap();
    let text = starter(empty.path());
    assert!(
        text.contains("gate \"no secrets committed\" blocker"),
        "{text}"
    );
    assert!(!text.contains("evidence {"), "{text}");
}

#[test]
fn a_pyproject_with_pytest_and_fastapi_is_recognised() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("pyproject.toml", "[project]\nname = \"billing\"\ndependencies = [\"fastapi>=0.110\"]\n[project.optional-dependencies]\ndev = [\"pytest\", \"pytest-cov\"]\n"),
            ("app/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
        ],
    );
    let detected = init::detect(dir.path()).unwrap();
    assert!(detected.python && detected.pytest && detected.fastapi);
    let text = starter(dir.path());
    assert!(
        text.contains("policy \"billing production readiness\""),
        "{text}"
    );
    assert!(
        text.contains("pytest --junitxml=reports/pytest-junit.xml"),
        "{text}"
    );
    assert!(
        text.contains("pytest --cov --cov-report=xml:reports/coverage.xml"),
        "{text}"
    );
}

#[test]
fn init_writes_the_policy_and_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\n",
            ),
            ("README.md", "# tiny\n"),
        ],
    );
    let report = init::init(dir.path(), false).unwrap();
    assert!(!report.overwrote);
    assert!(report.render().contains("wrote"), "{}", report.render());
    let written = std::fs::read_to_string(dir.path().join("readiness.gate")).unwrap();
    assert!(readiness_gate::load_policy(&written).is_ok());
    match init::init(dir.path(), false) {
        Err(InitError::Exists(path)) => assert!(path.ends_with("readiness.gate")),
        other => panic!("expected an `exists` error, got {other:?}"),
    }
    assert!(init::init(dir.path(), true).unwrap().overwrote);
}

/// Keeps the starters reviewable: written to tests/fixtures/lifecycle/init/<name>.gate and compared.
fn insta_like(workspace: &Path, text: &str) {
    let Ok(relative) = workspace.strip_prefix(root()) else {
        return;
    };
    let name = relative.to_string_lossy().replace('/', "__");
    let path = root()
        .join("tests/fixtures/lifecycle/init")
        .join(format!("{name}.gate"));
    if std::env::var_os("GATE_ACCEPT").is_some() || !path.exists() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        expected,
        "the starter for {name} changed (GATE_ACCEPT=1 rewrites {})",
        path.display()
    );
}
