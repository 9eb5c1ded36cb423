//! `imports(...)` and `code(...)` through the `gate` binary, on the seed-like workspaces of
//! `tests/fixtures/code/`: found from source alone, with file and line; bad patterns are policy
//! errors at their span.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/code")
}

fn gate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gate"));
    command
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .env("GATE_TODAY", "2026-06-15");
    command
}

fn check_json(name: &str) -> serde_json::Value {
    let output = gate()
        .arg("check")
        .arg("--policy")
        .arg(fixtures().join(format!("{name}.gate")))
        .arg("--workspace")
        .arg(fixtures().join(name))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// (gate name, expectation index) → (status, actual, evidence)
fn expectation(
    report: &serde_json::Value,
    gate: &str,
    index: usize,
) -> (String, String, Vec<String>) {
    let gates = report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|category| category["gates"].as_array().unwrap().iter());
    let gate = gates.into_iter().find(|g| g["name"] == gate).unwrap();
    let expectation = &gate["expectations"][index];
    (
        expectation["status"].as_str().unwrap().to_string(),
        expectation["actual"].as_str().unwrap_or("").to_string(),
        expectation["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect(),
    )
}

#[test]
fn nextjs_missing_modules_and_bare_ai_calls_named_with_file_and_line() {
    let report = check_json("nextjs-app");
    let (status, actual, evidence) =
        expectation(&report, "production build resolves every import", 0);
    assert_eq!((status.as_str(), actual.as_str()), ("fail", "3"));
    let located: Vec<&str> = evidence
        .iter()
        .map(|e| e.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        located,
        [
            "src/app/api/send/route.ts:2:30",
            "src/app/campaigns/page.tsx:2:29",
            "src/app/campaigns/page.tsx:4:23"
        ]
    );
    assert!(
        evidence[1].contains("`@/lib/ai/personalization`"),
        "{evidence:?}"
    );
    let (status, actual, _) = expectation(&report, "production build resolves every import", 1);
    assert_eq!((status.as_str(), actual.as_str()), ("fail", "1"));
    let (status, actual, evidence) = expectation(&report, "every AI call has retry logic", 0);
    assert_eq!((status.as_str(), actual.as_str()), ("fail", "2"));
    assert!(
        evidence[0].starts_with("src/lib/ai/subject-lines.ts:11:23 `anthropic.messages.create({`"),
        "{evidence:?}"
    );
    assert!(
        evidence[1].starts_with("src/lib/ai/summarize.js:5:26"),
        "{evidence:?}"
    );
}

#[test]
fn python_service_seed_cases() {
    let report = check_json("python-service");
    let (status, actual, evidence) = expectation(&report, "imports resolve", 0);
    assert_eq!((status.as_str(), actual.as_str()), ("fail", "1"));
    assert!(
        evidence[0].starts_with("app/routers/tenants.py:9:6 `app.services.billing`"),
        "{evidence:?}"
    );
    let (status, actual, evidence) = expectation(&report, "outbound HTTP calls retry", 0);
    assert_eq!((status.as_str(), actual.as_str()), ("fail", "2"));
    assert!(
        evidence[0].starts_with("app/clients/partners.py:15:16"),
        "{evidence:?}"
    );
    assert!(
        evidence[1].starts_with("app/clients/partners.py:20:5"),
        "{evidence:?}"
    );
    let (status, actual, evidence) = expectation(&report, "no raw request input in queries", 0);
    assert_eq!((status.as_str(), actual.as_str()), ("fail", "1"));
    assert!(
        evidence[0].starts_with("app/db/queries.py:9:16"),
        "{evidence:?}"
    );
}

#[test]
fn nothing_to_search_is_unknown_not_pass() {
    let output = gate()
        .arg("check")
        .arg("--policy")
        .arg(fixtures().join("nextjs-app.gate"))
        .arg("--workspace")
        .arg(fixtures().join("python-service"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (status, _, _) = expectation(&report, "every AI call has retry logic", 0);
    assert_eq!(status, "unknown");
}

#[test]
fn bad_patterns_are_policy_errors_at_their_span() {
    let output = gate()
        .arg("validate")
        .arg("--policy")
        .arg(fixtures().join("bad-patterns.gate"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr).to_string()
        + &String::from_utf8_lossy(&output.stdout);
    assert_eq!(text.matches("invalid-code-pattern").count(), 2, "{text}");
    assert!(text.contains("bad-patterns.gate:5:34"), "{text}");
    assert!(text.contains("bad-patterns.gate:6:76"), "{text}");
    assert!(text.contains("code-language-unknown"), "{text}");
    assert!(text.contains("did you mean `unresolved`?"), "{text}");
}

#[test]
fn the_same_facts_run_on_the_demo() {
    let output = gate()
        .arg("check")
        .arg("--policy")
        .arg(fixtures().join("demo.gate"))
        .arg("--workspace")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/demo"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (status, actual, evidence) = expectation(&report, "imports resolve from source", 0);
    assert_eq!((status.as_str(), actual.as_str()), ("fail", "1"));
    assert!(
        evidence[0].starts_with("app/api/send/route.ts:2:30 `@/lib/email/emailService`"),
        "{evidence:?}"
    );
    let (status, actual, evidence) = expectation(&report, "every AI call has retry logic", 0);
    assert_eq!((status.as_str(), actual.as_str()), ("fail", "1"));
    assert!(
        evidence[0].starts_with("lib/ai/personalize.ts:7:26"),
        "{evidence:?}"
    );
}

/// Copies a fixture workspace into a temporary folder.
fn copy(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn init_then_check_names_missing_modules_and_the_bare_call_without_a_build_log() {
    let dir = tempfile::tempdir().unwrap();
    copy(&fixtures().join("nextjs-app"), dir.path());
    let init = gate()
        .arg("init")
        .arg("--workspace")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        init.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let policy = std::fs::read_to_string(dir.path().join("readiness.gate")).unwrap();
    assert!(
        policy.contains("imports(\"src/**/*.{js,ts,tsx}\").unresolved == 0"),
        "{policy}"
    );
    assert!(
        policy.contains("\"function callAnthropicWithRetry($$$) { $$$ }\""),
        "{policy}"
    );
    let output = gate()
        .arg("check")
        .arg("--workspace")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (status, actual, evidence) = expectation(&report, "imports resolve from source", 0);
    assert_eq!((status.as_str(), actual.as_str()), ("fail", "3"));
    assert!(
        evidence[2].starts_with("src/app/campaigns/page.tsx:4:23 `@/lib/analytics/tracker`"),
        "{evidence:?}"
    );
    let (status, actual, evidence) = expectation(&report, "every Anthropic call retries", 0);
    assert_eq!((status.as_str(), actual.as_str()), ("fail", "2"));
    assert!(
        evidence[0].starts_with("src/lib/ai/subject-lines.ts:11:23"),
        "{evidence:?}"
    );
}
