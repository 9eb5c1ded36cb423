//! The Action's delivery outputs and switches, black box against the local mock GitHub of
//! `crates/github/tests/mock` (shared by path): `conclusion`, `check-run-url` and `comment-url`
//! in `GITHUB_OUTPUT`, and `--no-check-run` / `--no-summary` (the Action's `check-run: false`
//! and `summary: false`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../crates/github/tests/mock/mod.rs"]
mod mock;

use mock::{MockGithub, BOT};
use std::path::PathBuf;
use std::process::Command;

const TOKEN: &str = "ghs_TOPSECRETactionOutputs0123456789ab";
const HEAD_SHA: &str = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const PR: u64 = 2;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Step {
    dir: tempfile::TempDir,
}

impl Step {
    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    /// A step output, parsed as the runner parses `GITHUB_OUTPUT` (the last value wins).
    fn output(&self, name: &str) -> Option<String> {
        let text = self.file("output");
        let mut lines = text.lines();
        let mut found = None;
        while let Some(line) = lines.next() {
            if let Some(delimiter) = line.strip_prefix(&format!("{name}<<")) {
                let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
                found = Some(value.join("\n"));
            }
        }
        found
    }
}

async fn run(api_url: String, args: &[&str]) -> (Step, i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::copy(
        root().join("crates/github/tests/fixtures/pull_request.opened.payload.json"),
        &event,
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("tmp")).unwrap();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let path = dir.path().to_path_buf();
    let (code, stderr) = tokio::task::spawn_blocking(move || {
        let output = Command::new(env!("CARGO_BIN_EXE_gate"))
            .args(&args)
            .current_dir(root())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("NO_COLOR", "1")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_API_URL", api_url)
            .env("GITHUB_SERVER_URL", "https://github.example")
            .env("GITHUB_REPOSITORY", "Codertocat/Hello-World")
            .env("GITHUB_EVENT_NAME", "pull_request")
            .env("GITHUB_EVENT_PATH", path.join("event.json"))
            .env("GITHUB_SHA", "1111111111111111111111111111111111111111")
            .env("GITHUB_RUN_ID", "42")
            .env("GITHUB_WORKSPACE", root())
            .env("GITHUB_OUTPUT", path.join("output"))
            .env("GITHUB_STEP_SUMMARY", path.join("summary.md"))
            .env("RUNNER_TEMP", path.join("tmp"))
            .env("GITHUB_TOKEN", TOKEN)
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .unwrap();
    (Step { dir }, code, stderr)
}

async fn github() -> MockGithub {
    let mock = MockGithub::start("").await;
    mock.add_token(TOKEN, BOT, true);
    mock.add_pull(PR, HEAD_SHA);
    mock
}

const DEMO: &[&str] = &[
    "check",
    "--policy-from",
    "head",
    "--workspace",
    "examples/demo",
    "--publish",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_writes_conclusion_and_links() {
    let mock = github().await;
    let (step, code, stderr) = run(mock.api_url(), DEMO).await;
    mock.assert_no_violations();
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(step.output("conclusion").as_deref(), Some("failure"));
    let check_run = step.output("check-run-url").unwrap();
    assert!(
        check_run.starts_with("https://github.example/") && check_run.contains("/runs/"),
        "check-run-url `{check_run}`"
    );
    let comment = step.output("comment-url").unwrap();
    assert!(
        comment.contains(&format!("/pull/{PR}#issuecomment-")),
        "comment-url `{comment}`"
    );
    assert_eq!(step.output("ready").as_deref(), Some("false"));
    assert!(!step.file("summary.md").is_empty(), "job summary written");
    assert!(!step.file("output").contains("TOPSECRET"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_check_run_and_no_summary() {
    let mock = github().await;
    let mut args = DEMO.to_vec();
    args.extend(["--no-check-run", "--no-summary"]);
    let (step, code, stderr) = run(mock.api_url(), &args).await;
    mock.assert_no_violations();
    assert_eq!(code, 1, "{stderr}");
    assert!(
        mock.requests()
            .iter()
            .all(|r| !r.path.contains("check-runs")),
        "no check run request: {:?}",
        mock.requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect::<Vec<_>>()
    );
    assert_eq!(step.output("check-run-url").as_deref(), Some(""));
    assert!(
        step.output("comment-url")
            .unwrap()
            .contains("#issuecomment-"),
        "the comment is still posted"
    );
    assert_eq!(step.output("conclusion").as_deref(), Some("failure"));
    assert_eq!(step.file("summary.md"), "", "no job summary");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundle_mode_gives_the_conclusion_and_no_links() {
    let mock = github().await;
    let bundle = tempfile::tempdir().unwrap();
    let (step, code, stderr) = run(
        mock.api_url(),
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            "examples/passing",
            "--today",
            "2026-11-21",
            "--bundle",
            bundle.path().to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(mock.requests().is_empty(), "phase one calls no API");
    assert_eq!(step.output("conclusion").as_deref(), Some("success"));
    assert_eq!(step.output("check-run-url").as_deref(), Some(""));
    assert_eq!(step.output("comment-url").as_deref(), Some(""));
}
