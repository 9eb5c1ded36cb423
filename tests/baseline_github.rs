//! `--baseline github`: a run keeps its figures on its own check run (`output.text`), and a pull
//! request's run reads them back from its base commit's run of the same name through the API,
//! every page of check runs. Black box: the real binary against the mock GitHub of
//! `crates/github/tests/mock` (shared by path), which validates every request against GitHub's
//! OpenAPI schemas.

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
use std::process::Command;

mod support;
use support::root;

const TOKEN: &str = "ghs_baselineToken0123456789abcdef";
const HEAD_SHA: &str = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const BASE_SHA: &str = "2222222222222222222222222222222222222222";
const REPO: &str = "Codertocat/Hello-World";
const PR: u64 = 2;
const BASE: &str = "tests/fixtures/lifecycle/baseline/base";
const HEAD: &str = "tests/fixtures/lifecycle/baseline/head";

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary in a simulated runner step (off the async runtime: the mock keeps serving).
async fn gate(mock: &MockGithub, event_name: &str, event: Value, args: &[&str]) -> Ran {
    let dir = tempfile::tempdir().unwrap();
    let event_path = dir.path().join("event.json");
    std::fs::write(&event_path, event.to_string()).unwrap();
    let sha = if event_name == "push" {
        BASE_SHA
    } else {
        HEAD_SHA
    };
    let vars: Vec<(String, String)> = [
        ("GITHUB_ACTIONS", "true".to_string()),
        ("GITHUB_API_URL", mock.api_url()),
        ("GITHUB_REPOSITORY", REPO.to_string()),
        ("GITHUB_EVENT_NAME", event_name.to_string()),
        ("GITHUB_EVENT_PATH", event_path.display().to_string()),
        ("GITHUB_SHA", sha.to_string()),
        ("GITHUB_WORKSPACE", root().display().to_string()),
        ("GITHUB_TOKEN", TOKEN.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
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
        drop(dir);
        Ran {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
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
    mock.add_sha(BASE_SHA);
    mock
}

fn pull_request_event() -> Value {
    let mut event: Value = serde_json::from_str(include_str!(
        "../crates/github/tests/fixtures/pull_request.opened.payload.json"
    ))
    .unwrap();
    event["pull_request"]["base"]["sha"] = json!(BASE_SHA);
    event["pull_request"]["head"]["sha"] = json!(HEAD_SHA);
    event
}

/// The base branch's run: `gate check --publish` on a push to the base commit.
async fn base_run(mock: &MockGithub) {
    let ran = gate(
        mock,
        "push",
        json!({}),
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            BASE,
            "--publish",
        ],
    )
    .await;
    assert!(ran.code == 0 || ran.code == 1, "{}", ran.stderr);
    mock.assert_no_violations();
}

/// The pull request's JSON report with `--baseline <baseline>`.
async fn head_report(
    mock: &MockGithub,
    event_name: &str,
    event: Value,
    baseline: &str,
) -> (Value, String) {
    let ran = gate(
        mock,
        event_name,
        event,
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            HEAD,
            "--format",
            "json",
            "--baseline",
            baseline,
        ],
    )
    .await;
    assert!(ran.code == 0 || ran.code == 1, "{}", ran.stderr);
    (serde_json::from_str(&ran.stdout).unwrap(), ran.stderr)
}

/// Every expectation as (gate, status, actual): what the baseline decided.
fn judged(report: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for category in report["categories"].as_array().unwrap() {
        for gate in category["gates"].as_array().unwrap() {
            for expectation in gate["expectations"].as_array().unwrap() {
                out.push((
                    gate["name"].as_str().unwrap().to_string(),
                    expectation["status"].as_str().unwrap().to_string(),
                    expectation["actual"].to_string(),
                ));
            }
        }
    }
    out
}

fn reasons(report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for category in report["categories"].as_array().unwrap() {
        for gate in category["gates"].as_array().unwrap() {
            for expectation in gate["expectations"].as_array().unwrap() {
                out.push(expectation["reason"].as_str().unwrap_or("").to_string());
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn figures_kept_on_the_base_run_judge_the_pull_request_like_the_json_report() {
    let mock = github().await;
    base_run(&mock).await;
    let runs = mock.check_runs();
    assert_eq!(runs.len(), 1);
    let text = runs[0].text.clone().expect("figures kept in output.text");
    assert!(
        text.starts_with("<!-- readiness-gate:figures v1\n"),
        "{text}"
    );
    assert!(!runs[0]
        .summary
        .clone()
        .unwrap()
        .contains("readiness-gate:figures"));

    // 150 later runs of the same name by another workflow: ours is on page 2 of the list.
    for i in 0..150 {
        mock.add_check_run(
            "readiness",
            BASE_SHA,
            None,
            Some(&format!("other {i}")),
            BOT,
        );
    }
    mock.take_requests();
    let (from_github, stderr) =
        head_report(&mock, "pull_request", pull_request_event(), "github").await;
    mock.assert_no_violations();
    let pages: Vec<String> = mock
        .requests()
        .iter()
        .filter(|r| {
            r.method == "GET" && r.path.ends_with(&format!("/commits/{BASE_SHA}/check-runs"))
        })
        .map(|r| {
            r.query
                .iter()
                .find(|(k, _)| k == "page")
                .map_or("1".to_string(), |(_, v)| v.clone())
        })
        .collect();
    assert_eq!(pages, vec!["1", "2"], "{stderr}");

    // The same judgement as with the base run's JSON report given as a file.
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results.json");
    let ran = gate(
        &mock,
        "push",
        json!({}),
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            BASE,
            "--format",
            "json",
            "--output",
            results.to_str().unwrap(),
        ],
    )
    .await;
    assert!(ran.code == 0 || ran.code == 1, "{}", ran.stderr);
    let (from_file, _) = head_report(
        &mock,
        "pull_request",
        pull_request_event(),
        results.to_str().unwrap(),
    )
    .await;
    assert_eq!(judged(&from_github), judged(&from_file));
    assert!(
        judged(&from_github)
            .iter()
            .any(|(_, status, _)| status == "pass"),
        "{:?}",
        judged(&from_github)
    );
    assert!(from_github["baseline"]["file"]
        .as_str()
        .unwrap()
        .contains("check run `readiness` of the base commit"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_base_run_base_figures_are_unknown_with_the_reason() {
    let mock = github().await;
    // A run of the same name that is not ours (no readiness-gate external id) does not count.
    mock.add_check_run(
        "readiness",
        BASE_SHA,
        None,
        Some("<!-- readiness-gate:figures v1\n{\"v\":1,\"items\":[]}\n-->"),
        BOT,
    );
    let (report, stderr) = head_report(&mock, "pull_request", pull_request_event(), "github").await;
    mock.assert_no_violations();
    assert!(
        stderr.contains("no completed `readiness` check run"),
        "{stderr}"
    );
    let all = reasons(&report);
    let base_gate = all
        .iter()
        .find(|r| r.contains("base.coverage.lines"))
        .unwrap_or_else(|| panic!("{all:?}"));
    assert!(
        base_gate.contains("no completed `readiness` check run"),
        "{base_gate}"
    );
    assert_eq!(report["ready"], false);

    // Not a pull request: no base commit.
    let (report, stderr) = head_report(&mock, "push", json!({}), "github").await;
    assert!(stderr.contains("not for a pull request"), "{stderr}");
    assert!(reasons(&report)
        .iter()
        .any(|r| r.contains("not for a pull request")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_figures_block_in_the_report_text_is_not_read() {
    let mock = github().await;
    // A base run of ours whose text is not a whole figures block (as if a report had quoted one).
    mock.add_check_run(
        "readiness",
        BASE_SHA,
        Some("readiness-gate:v1:0"),
        Some("see <!-- readiness-gate:figures v1\n{\"v\":1,\"items\":[]}\n-->"),
        BOT,
    );
    let (_, stderr) = head_report(&mock, "pull_request", pull_request_event(), "github").await;
    assert!(stderr.contains("without figures"), "{stderr}");
}
