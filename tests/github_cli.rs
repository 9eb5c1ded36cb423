//! `gate check --publish`, `gate check --bundle` and `gate publish --bundle`, black box: the real
//! binary against the local mock GitHub of `crates/github/tests/mock` (shared by path), which
//! validates every request against GitHub's OpenAPI schemas and records what a real GitHub would
//! have rejected as a violation.
//!
//! The runner is simulated with the variables Actions sets (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
//! an event file, ...), in an otherwise empty environment. Every test checks that the token
//! appears in no output.

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
use std::path::Path;
use std::process::Command;

mod support;
use support::root;

const TOKEN: &str = "ghs_TOPSECRETcliToken0123456789abcdef";
const HEAD_SHA: &str = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const MERGE_SHA: &str = "1111111111111111111111111111111111111111";
const MAIN_SHA: &str = "2222222222222222222222222222222222222222";
const REPO: &str = "Codertocat/Hello-World";
const PR: u64 = 2;

/// A simulated runner step: its own GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, event file and RUNNER_TEMP.
struct Step {
    dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Step {
    fn new(api_url: &str, event_name: &str, event: &Value) -> Step {
        let dir = tempfile::tempdir().unwrap();
        let event_path = dir.path().join("event.json");
        std::fs::write(&event_path, serde_json::to_string(event).unwrap()).unwrap();
        std::fs::create_dir(dir.path().join("tmp")).unwrap();
        let mut vars = Vec::new();
        for (k, v) in [
            ("GITHUB_ACTIONS", "true".to_string()),
            ("GITHUB_API_URL", api_url.to_string()),
            ("GITHUB_SERVER_URL", "https://github.example".to_string()),
            ("GITHUB_REPOSITORY", REPO.to_string()),
            ("GITHUB_EVENT_NAME", event_name.to_string()),
            ("GITHUB_EVENT_PATH", event_path.display().to_string()),
            ("GITHUB_SHA", MERGE_SHA.to_string()),
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
        ] {
            vars.push((k.to_string(), v));
        }
        Step { dir, vars }
    }

    /// A `pull_request` step for PR #2 (the `opened` payload fixture); `GITHUB_SHA` is the merge
    /// commit, which must not be used.
    fn pull_request(api_url: &str) -> Step {
        Step::new(api_url, "pull_request", &pull_request_event())
    }

    fn set(&mut self, name: &str, value: &str) {
        self.vars.retain(|(k, _)| k != name);
        self.vars.push((name.to_string(), value.to_string()));
    }

    fn unset(&mut self, name: &str) {
        self.vars.retain(|(k, _)| k != name);
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    /// The value of a step output, parsed the way the runner parses `GITHUB_OUTPUT`.
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

fn run_gate(vars: &[(String, String)], args: &[String]) -> Ran {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gate"));
    command
        .args(args)
        .current_dir(root())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1");
    for (k, v) in vars {
        command.env(k, v);
    }
    let output = command.output().unwrap();
    Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn pull_request_event() -> Value {
    serde_json::from_str(include_str!(
        "../crates/github/tests/fixtures/pull_request.opened.payload.json"
    ))
    .unwrap()
}

async fn github(prefix: &str) -> MockGithub {
    let mock = MockGithub::start(prefix).await;
    mock.add_token(TOKEN, BOT, true);
    mock.add_pull(PR, HEAD_SHA);
    mock.add_sha(MAIN_SHA);
    mock
}

/// Runs the binary off the async runtime (the mock server keeps serving).
async fn run(step: &Step, args: &[&str]) -> Ran {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let vars = step.vars.clone();
    tokio::task::spawn_blocking(move || run_gate(&vars, &args))
        .await
        .unwrap()
}

fn assert_token_absent(ran: &Ran, step: &Step, mock: &MockGithub) {
    for (what, text) in [
        ("stdout", ran.stdout.as_str()),
        ("stderr", ran.stderr.as_str()),
        ("job summary", &step.file("summary.md")),
        ("outputs", &step.file("output")),
    ] {
        assert!(
            !text.contains(TOKEN) && !text.contains("TOPSECRET"),
            "token leaked in {what}"
        );
    }
    for request in mock.requests() {
        assert!(
            !request.raw_body.contains("TOPSECRET"),
            "token leaked in a request body"
        );
        assert!(!request.path.contains("TOPSECRET"));
        assert_eq!(
            request.authorization.as_deref(),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
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
async fn check_publish_creates_then_updates_check_run_and_comment_on_ghes() {
    // GitHub Enterprise Server: the API lives under `/api/v3`.
    let mock = github("/api/v3").await;
    let step = Step::pull_request(&mock.api_url());
    let ran = run(&step, DEMO).await;
    mock.assert_no_violations();
    assert_eq!(
        ran.code, 1,
        "not ready, publishing does not change it\n{}",
        ran.stderr
    );
    assert!(
        ran.stdout.contains("NOT READY"),
        "the human report is printed"
    );
    assert!(ran.stderr.contains("check run: created"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("pull request comment: created"),
        "{}",
        ran.stderr
    );

    let runs = mock.check_runs();
    assert_eq!(runs.len(), 1);
    let run0 = &runs[0];
    assert_eq!(run0.name, "readiness");
    assert_eq!(run0.head_sha, HEAD_SHA, "the PR head, not GITHUB_SHA");
    assert_eq!(run0.status, "completed");
    assert_eq!(run0.conclusion.as_deref(), Some("failure"));
    assert_eq!(
        run0.title.as_deref(),
        Some("Not ready: 49.5% (target 90%), 2 blockers failed, 3 other gates failed, 1 advisory gate failed")
    );
    assert!(run0
        .summary
        .as_deref()
        .unwrap()
        .contains("### Gates not passed"));
    let first = &run0.annotations[0];
    assert_eq!(first["path"], "examples/demo/readiness.gate");
    assert_eq!(first["start_line"], 19);
    assert_eq!(first["annotation_level"], "failure");
    assert!(run0
        .annotations
        .iter()
        .any(|a| a["path"] == "examples/demo/app/campaigns/page.tsx"));

    let comments = mock.comments();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].issue, PR);
    assert!(comments[0]
        .body
        .contains("<!-- readiness-gate:sticky v1 key=readiness"));
    assert!(comments[0]
        .body
        .contains("Not ready — mailflow production readiness"));

    assert_eq!(step.output("ready").as_deref(), Some("false"));
    assert_eq!(step.output("score").as_deref(), Some("49.5"));
    let report = step.output("report-json").unwrap();
    assert!(
        report.ends_with("readiness-gate-readiness.json"),
        "{report}"
    );
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["verdict"], "not_ready");
    assert!(step
        .file("summary.md")
        .contains("Not ready — mailflow production readiness"));
    assert_token_absent(&ran, &step, &mock);

    // A re-run on the same SHA updates both in place.
    let again = run(&step, DEMO).await;
    mock.assert_no_violations();
    assert_eq!(again.code, 1);
    assert_eq!(mock.check_runs().len(), 1, "no second check run");
    assert_eq!(mock.comments().len(), 1, "no second comment");
    assert!(
        again.stderr.contains("check run: updated"),
        "{}",
        again.stderr
    );
    assert_token_absent(&again, &step, &mock);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_name_and_comment_mode_are_passed_on() {
    let mock = github("").await;
    let step = Step::pull_request(&mock.api_url());
    let ran = run(
        &step,
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            "examples/passing",
            "--publish",
            "--check-name",
            "readiness (web)",
            "--comment",
            "on-failure",
        ],
    )
    .await;
    mock.assert_no_violations();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let runs = mock.check_runs();
    assert_eq!(runs[0].name, "readiness (web)");
    assert_eq!(runs[0].conclusion.as_deref(), Some("success"));
    assert!(
        mock.comments().is_empty(),
        "on-failure: no comment for a ready verdict"
    );
    assert_eq!(step.output("ready").as_deref(), Some("true"));
    assert_token_absent(&ran, &step, &mock);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_writes_fall_back_and_keep_the_exit_code_unless_strict() {
    let mock = MockGithub::start("").await;
    mock.add_token(TOKEN, BOT, false); // a read-only token: writes get 403
    mock.add_pull(PR, HEAD_SHA);
    let step = Step::pull_request(&mock.api_url());

    let ran = run(&step, DEMO).await;
    assert_eq!(ran.code, 1, "the verdict decides\n{}", ran.stderr);
    assert!(
        ran.stdout
            .contains("::warning title=readiness-gate::readiness-gate could not publish"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("::error file=examples/demo/readiness.gate,line=19"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stderr
            .contains("warning: could not publish the check run"),
        "{}",
        ran.stderr
    );
    assert!(
        step.file("summary.md").contains("### Findings"),
        "findings in the job summary"
    );
    assert_token_absent(&ran, &step, &mock);

    let ready = run(
        &step,
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            "examples/passing",
            "--publish",
        ],
    )
    .await;
    assert_eq!(ready.code, 0, "ready stays ready\n{}", ready.stderr);

    let strict = run(
        &step,
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            "examples/passing",
            "--publish",
            "--publish-strict",
        ],
    )
    .await;
    assert_eq!(
        strict.code, 3,
        "--publish-strict: publishing problems fail\n{}",
        strict.stderr
    );
    assert_token_absent(&strict, &step, &mock);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_nothing_is_sent_and_the_exit_code_is_kept() {
    let mock = github("").await;
    let mut step = Step::pull_request(&mock.api_url());
    step.unset("GITHUB_TOKEN");
    step.set("MY_TOKEN", TOKEN);
    let ran = run(
        &step,
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            "examples/passing",
            "--publish",
        ],
    )
    .await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(mock.requests().is_empty());
    assert!(ran.stderr.contains("no token"), "{}", ran.stderr);

    // --token-env names another variable.
    let ran = run(
        &step,
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            "examples/passing",
            "--publish",
            "--token-env",
            "MY_TOKEN",
        ],
    )
    .await;
    mock.assert_no_violations();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(mock.check_runs().len(), 1);
    assert_token_absent(&ran, &step, &mock);
}

fn fork_event() -> Value {
    let mut event = pull_request_event();
    event["pull_request"]["head"]["repo"]["full_name"] = json!("someone/Hello-World");
    event
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundle_round_trip_for_a_fork_pull_request() {
    let mock = github("").await;
    let bundle_dir = tempfile::tempdir().unwrap();
    let bundle = bundle_dir.path().join("readiness-bundle");
    let bundle_arg = bundle.display().to_string();

    // Phase one: the untrusted pull_request run of a fork, with no token at all.
    let mut phase_one = Step::new(&mock.api_url(), "pull_request", &fork_event());
    phase_one.unset("GITHUB_TOKEN");
    let ran = run(
        &phase_one,
        &[
            "check",
            "--policy-from",
            "head",
            "--workspace",
            "examples/demo",
            "--bundle",
            &bundle_arg,
        ],
    )
    .await;
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(mock.requests().is_empty(), "phase one sends nothing");
    assert!(ran.stderr.contains("bundle written"), "{}", ran.stderr);
    for file in [
        "identity.json",
        "publication.json",
        "summary.md",
        "report.json",
    ] {
        assert!(bundle.join(file).is_file(), "{file} in the bundle");
    }
    let identity: Value =
        serde_json::from_str(&std::fs::read_to_string(bundle.join("identity.json")).unwrap())
            .unwrap();
    assert_eq!(identity["head_sha"], HEAD_SHA);
    assert_eq!(identity["pull_request"], PR);
    assert_eq!(identity["repository"], REPO);
    assert_eq!(phase_one.output("ready").as_deref(), Some("false"));
    let report = phase_one.output("report-json").unwrap();
    assert_eq!(
        Path::new(&report),
        bundle.join("report.json").canonicalize().unwrap()
    );
    assert!(phase_one.file("summary.md").contains("Not ready"));

    // Phase two: workflow_run with a write token; GitHub lists no PR for a fork's run.
    let workflow_run = json!({
        "action": "completed",
        "workflow_run": { "head_sha": HEAD_SHA, "event": "pull_request", "pull_requests": [] }
    });
    let mut phase_two = Step::new(&mock.api_url(), "workflow_run", &workflow_run);
    phase_two.set("GITHUB_SHA", MAIN_SHA);
    let ran = run(&phase_two, &["publish", "--bundle", &bundle_arg]).await;
    mock.assert_no_violations();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let runs = mock.check_runs();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].head_sha, HEAD_SHA);
    assert_eq!(runs[0].conclusion.as_deref(), Some("failure"));
    assert!(!runs[0].annotations.is_empty());
    let comments = mock.comments();
    assert_eq!(
        comments.len(),
        1,
        "the PR number was confirmed through the API"
    );
    assert_eq!(comments[0].issue, PR);
    assert!(mock
        .requests()
        .iter()
        .any(|r| r.method == "GET" && r.path.ends_with("/pulls/2")));
    assert_token_absent(&ran, &phase_two, &mock);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_for_another_commit_is_refused() {
    let mock = github("").await;
    let bundle_dir = tempfile::tempdir().unwrap();
    let bundle_arg = bundle_dir.path().join("b").display().to_string();
    let mut phase_one = Step::new(&mock.api_url(), "pull_request", &fork_event());
    phase_one.unset("GITHUB_TOKEN");
    assert_eq!(
        run(
            &phase_one,
            &[
                "check",
                "--policy-from",
                "head",
                "--workspace",
                "examples/passing",
                "--bundle",
                &bundle_arg
            ]
        )
        .await
        .code,
        0
    );

    let workflow_run = json!({
        "action": "completed",
        "workflow_run": { "head_sha": MAIN_SHA, "event": "pull_request", "pull_requests": [] }
    });
    let phase_two = Step::new(&mock.api_url(), "workflow_run", &workflow_run);
    let ran = run(&phase_two, &["publish", "--bundle", &bundle_arg]).await;
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("head SHA"), "{}", ran.stderr);
    assert!(mock.requests().is_empty(), "nothing published");
    assert_token_absent(&ran, &phase_two, &mock);
}

#[test]
fn other_formats_from_the_command_line() {
    let gate = |format: &str| {
        Command::new(env!("CARGO_BIN_EXE_gate"))
            .args([
                "check",
                "--policy-from",
                "head",
                "--workspace",
                "examples/demo",
                "--format",
                format,
            ])
            .current_dir(root())
            .env_remove("GITHUB_WORKSPACE")
            .output()
            .unwrap()
    };
    let sarif = gate("sarif");
    assert_eq!(
        sarif.status.code(),
        Some(1),
        "the verdict decides the exit code"
    );
    let log: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/demo/readiness.gate",
        "repository-relative from the current directory"
    );
    let junit = gate("junit");
    assert_eq!(junit.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&junit.stdout).starts_with("<?xml"));
    let github = gate("github");
    assert_eq!(github.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&github.stdout)
        .starts_with("::error file=examples/demo/readiness.gate,line=19"));
}
