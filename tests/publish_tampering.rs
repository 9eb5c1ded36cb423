//! `gate publish` trusts nothing it can recompute: a bundle is written by an untrusted
//! `pull_request` run, so each way of tampering with it must publish the truth or nothing.
//! Black box: the real binary against the mock GitHub of `crates/github/tests/mock` (shared by
//! path), which validates every request against GitHub's OpenAPI schemas.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../crates/github/tests/mock/mod.rs"]
mod mock;

use mock::{MockGithub, BOT};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::root;

const TOKEN: &str = "ghs_tamperToken0123456789abcdef";
const HEAD_SHA: &str = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const MAIN_SHA: &str = "2222222222222222222222222222222222222222";
const REPO: &str = "Codertocat/Hello-World";
const PR: u64 = 2;

struct Ran {
    code: i32,
    stderr: String,
}

/// A simulated runner step with its own files and `RUNNER_TEMP`.
struct Step {
    dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl Step {
    fn new(api_url: &str, event_name: &str, event: &Value) -> Step {
        let dir = tempfile::tempdir().unwrap();
        let event_path = dir.path().join("event.json");
        std::fs::write(&event_path, event.to_string()).unwrap();
        std::fs::create_dir(dir.path().join("tmp")).unwrap();
        let vars = [
            ("GITHUB_ACTIONS", "true".to_string()),
            ("GITHUB_API_URL", api_url.to_string()),
            ("GITHUB_REPOSITORY", REPO.to_string()),
            ("GITHUB_EVENT_NAME", event_name.to_string()),
            ("GITHUB_EVENT_PATH", event_path.display().to_string()),
            ("GITHUB_SHA", MAIN_SHA.to_string()),
            ("GITHUB_RUN_ID", "42".to_string()),
            ("GITHUB_WORKSPACE", root().display().to_string()),
            (
                "GITHUB_OUTPUT",
                dir.path().join("output").display().to_string(),
            ),
            (
                "GITHUB_STEP_SUMMARY",
                dir.path().join("summary.md").display().to_string(),
            ),
            ("RUNNER_TEMP", dir.path().join("tmp").display().to_string()),
            ("GITHUB_TOKEN", TOKEN.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Step { dir, vars }
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    fn output(&self, name: &str) -> Option<String> {
        let text = self.file("output");
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some(delimiter) = line.strip_prefix(&format!("{name}<<")) {
                let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
                return Some(value.join("\n"));
            }
        }
        None
    }
}

async fn run(step: &Step, args: &[&str]) -> Ran {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let vars = step.vars.clone();
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gate"));
        command
            .args(&args)
            .current_dir(root())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("NO_COLOR", "1");
        for (k, v) in &vars {
            command.env(k, v);
        }
        let output = command.output().unwrap();
        Ran {
            code: output.status.code().unwrap_or(-1),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    })
    .await
    .unwrap()
}

async fn github() -> MockGithub {
    let mock = MockGithub::start("").await;
    mock.add_token(TOKEN, BOT, true);
    mock.add_pull(PR, HEAD_SHA);
    mock.add_sha(MAIN_SHA);
    mock
}

/// Phase one for a fork PR on `examples/demo` (not ready: a blocker fails), no token.
async fn phase_one(mock: &MockGithub, dir: &Path) -> PathBuf {
    let mut event: Value = serde_json::from_str(include_str!(
        "../crates/github/tests/fixtures/pull_request.opened.payload.json"
    ))
    .unwrap();
    event["pull_request"]["head"]["repo"]["full_name"] = json!("someone/Hello-World");
    let mut step = Step::new(&mock.api_url(), "pull_request", &event);
    step.vars.retain(|(k, _)| k != "GITHUB_TOKEN");
    let bundle = dir.join("bundle");
    let ran = run(
        &step,
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            "examples/demo",
            "--bundle",
            bundle.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    bundle
}

fn phase_two(mock: &MockGithub) -> Step {
    let event = json!({
        "action": "completed",
        "workflow_run": { "head_sha": HEAD_SHA, "event": "pull_request", "pull_requests": [] }
    });
    Step::new(&mock.api_url(), "workflow_run", &event)
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut Value)) {
    let mut value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut value);
    std::fs::write(path, value.to_string()).unwrap();
}

fn assert_nothing_published(mock: &MockGithub, step: &Step) {
    assert!(mock.check_runs().is_empty(), "{:?}", mock.check_runs());
    assert!(mock.comments().is_empty());
    assert!(step.file("output").is_empty(), "{}", step.file("output"));
    assert!(step.file("summary.md").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claimed_success_and_injected_markdown_publish_the_truth() {
    let mock = github().await;
    let dir = tempfile::tempdir().unwrap();
    let bundle = phase_one(&mock, dir.path()).await;
    // The fork rewrites what it would like to be published: a green verdict, another name,
    // Markdown of its own, outputs of its own.
    edit_json(&bundle.join("publication.json"), |p| {
        p["conclusion"] = json!("success");
        p["title"] = json!("Ready: 100%");
        p["check_name"] = json!("deploy");
        p["sections"] = json!([{"label": "verdict", "priority": 0, "markdown": "INJECTED <img src=x onerror=alert(1)> @org/team"}]);
        p["annotations"] = json!([]);
        p["outputs"] =
            json!({"ready": true, "score": "100", "level": "gold", "report_json": "/etc/passwd"});
    });
    std::fs::write(bundle.join("summary.md"), "INJECTED summary").unwrap();

    let step = phase_two(&mock);
    let ran = run(&step, &["publish", "--bundle", bundle.to_str().unwrap()]).await;
    mock.assert_no_violations();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let runs = mock.check_runs();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].name, "readiness");
    assert_eq!(runs[0].conclusion.as_deref(), Some("failure"));
    let title = runs[0].title.clone().unwrap();
    assert!(title.starts_with("Not ready"), "{title}");
    assert!(!runs[0].annotations.is_empty(), "annotations recomputed");
    let comments = mock.comments();
    assert_eq!(comments.len(), 1);
    for text in [
        runs[0].summary.clone().unwrap(),
        comments[0].body.clone(),
        step.file("summary.md"),
    ] {
        assert!(!text.contains("INJECTED"), "{text}");
        assert!(text.contains("Not ready"), "{text}");
    }
    assert_eq!(step.output("ready").as_deref(), Some("false"));
    let report = step.output("report-json").unwrap();
    assert!(
        Path::new(&report).starts_with(step.dir.path().join("tmp")),
        "{report}"
    );
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written["ready"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_for_another_check_name_is_refused() {
    let mock = github().await;
    let dir = tempfile::tempdir().unwrap();
    let bundle = phase_one(&mock, dir.path()).await;
    let step = phase_two(&mock);
    // The trusted job publishes `deploy`; the bundle was made for `readiness`.
    let ran = run(
        &step,
        &[
            "publish",
            "--bundle",
            bundle.to_str().unwrap(),
            "--check-name",
            "deploy",
        ],
    )
    .await;
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("bundle check name"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("nothing was published"),
        "{}",
        ran.stderr
    );
    // The bundle renames itself to take over another check: refused as well.
    edit_json(&bundle.join("identity.json"), |i| {
        i["check_name"] = json!("deploy\n::error::x")
    });
    let ran = run(&step, &["publish", "--bundle", bundle.to_str().unwrap()]).await;
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("check name"), "{}", ran.stderr);
    assert!(
        !ran.stderr.lines().any(|l| l.starts_with("::")),
        "{}",
        ran.stderr
    );
    assert_nothing_published(&mock, &step);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outcome_that_claims_ready_against_its_own_gates_is_refused() {
    let mock = github().await;
    let dir = tempfile::tempdir().unwrap();
    let bundle = phase_one(&mock, dir.path()).await;
    edit_json(&bundle.join("report.json"), |r| {
        r["ready"] = json!(true);
        r["verdict"] = json!("ready");
    });
    let step = phase_two(&mock);
    let ran = run(&step, &["publish", "--bundle", bundle.to_str().unwrap()]).await;
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("not trusted"), "{}", ran.stderr);
    assert!(ran.stderr.contains("says ready"), "{}", ran.stderr);
    assert_nothing_published(&mock, &step);

    // A failed gate relabelled as passed, its expectations still failing.
    edit_json(&bundle.join("report.json"), |r| {
        r["ready"] = json!(false);
        r["verdict"] = json!("not_ready");
        let gate = &mut r["categories"][0]["gates"][0];
        gate["status"] = json!("pass");
        gate["result"] = json!("pass");
    });
    let ran = run(&step, &["publish", "--bundle", bundle.to_str().unwrap()]).await;
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("its expectations give"),
        "{}",
        ran.stderr
    );
    assert_nothing_published(&mock, &step);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_values_with_a_newline_are_refused() {
    let mock = github().await;
    let dir = tempfile::tempdir().unwrap();
    let bundle = phase_one(&mock, dir.path()).await;
    edit_json(&bundle.join("report.json"), |r| {
        r["level"] = json!("bronze\nready<<EOF\ntrue\nEOF");
    });
    let step = phase_two(&mock);
    let ran = run(&step, &["publish", "--bundle", bundle.to_str().unwrap()]).await;
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("refused step output"), "{}", ran.stderr);
    assert!(ran.stderr.contains("`level`"), "{}", ran.stderr);
    assert_nothing_published(&mock, &step);
    assert!(step.output("ready").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_that_is_not_an_outcome_is_refused() {
    let mock = github().await;
    let dir = tempfile::tempdir().unwrap();
    let bundle = phase_one(&mock, dir.path()).await;
    std::fs::write(bundle.join("report.json"), "{\"ready\": true}").unwrap();
    let step = phase_two(&mock);
    let ran = run(&step, &["publish", "--bundle", bundle.to_str().unwrap()]).await;
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("report.json"), "{}", ran.stderr);
    assert_nothing_published(&mock, &step);
}
