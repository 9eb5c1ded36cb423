//! Exit codes as evidence: `logs/<step>.exit` beside a log, the `exit_code("path")` source, and a
//! recorded exit status 0 beside a log that reports errors, which is reported as a contradiction.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;
use serde_json::Value;

const NEXT_LOG: &str = "   ▲ Next.js 14.2.3\n\n   Creating an optimized production build ...\nFailed to compile.\n\n./src/app/page.tsx\nModule not found: Can't resolve '@/lib/missing'\n\n> Build failed because of webpack errors\n";
const NEXT_OK: &str = "   ▲ Next.js 14.2.3\n\n   Creating an optimized production build ...\n ✓ Compiled successfully\n";

const POLICY: &str = r#"policy "exit codes" {
  target 100%
  evidence {
    build = build_log("logs/build.log")
    lint  = exit_code("logs/lint.exit")
  }
  category build weight 1 {
    gate "build passes" { expect build.succeeded }
    gate "lint passes" { expect lint.succeeded and lint.exit_code == 0 }
  }
}
"#;

fn run(files: &[(&str, &str)]) -> Vec<(String, String, Option<String>)> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(dir.path().join("readiness.gate"), POLICY).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_gate"))
        .env("GATE_TODAY", "2026-06-15")
        .args(["check", "--format", "json", "--workspace"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut out = Vec::new();
    for category in report["categories"].as_array().unwrap() {
        for gate in category["gates"].as_array().unwrap() {
            for expectation in gate["expectations"].as_array().unwrap() {
                out.push((
                    gate["name"].as_str().unwrap().to_string(),
                    expectation["status"].as_str().unwrap().to_string(),
                    expectation["reason"].as_str().map(str::to_string),
                ));
            }
        }
    }
    out
}

#[test]
fn a_step_exit_file_beside_the_log_decides() {
    let judged = run(&[
        ("logs/build.log", NEXT_OK),
        ("logs/build.exit", "1\n"),
        ("logs/lint.exit", "0\n"),
    ]);
    assert_eq!(judged[0].1, "fail", "{judged:?}");
    assert_eq!(judged[1].1, "pass", "{judged:?}");
    let judged = run(&[
        ("logs/build.log", NEXT_OK),
        ("logs/build.exit", "0\n"),
        ("logs/lint.exit", "exit code: 2\n"),
    ]);
    assert_eq!(judged[0].1, "pass", "{judged:?}");
    assert_eq!(judged[1].1, "fail", "{judged:?}");
}

#[test]
fn exit_zero_beside_module_not_found_is_a_reported_contradiction() {
    let judged = run(&[
        ("logs/build.log", NEXT_LOG),
        ("logs/build.exit", "0\n"),
        ("logs/lint.exit", "0\n"),
    ]);
    let (_, status, reason) = &judged[0];
    assert_eq!(status, "unknown");
    let reason = reason.clone().unwrap();
    assert!(
        reason.contains("the exit status of `build` is 0, but its next log reports"),
        "{reason}"
    );
    assert!(reason.contains("`@/lib/missing`"), "{reason}");
}

#[test]
fn a_missing_or_garbled_exit_file_is_unknown() {
    let judged = run(&[
        ("logs/build.log", NEXT_OK),
        ("logs/lint.exit", "it went fine\n"),
    ]);
    let (_, status, reason) = &judged[1];
    assert_eq!(status, "unknown");
    assert!(
        reason
            .clone()
            .unwrap()
            .contains("expected an exit status like `1` or `exit code: 1`"),
        "{reason:?}"
    );
    let judged = run(&[("logs/build.log", NEXT_OK)]);
    assert_eq!(judged[1].1, "unknown");
    assert!(
        judged[1]
            .2
            .clone()
            .unwrap()
            .contains("no artifact for `lint`"),
        "{judged:?}"
    );
}
