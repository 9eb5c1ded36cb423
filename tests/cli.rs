//! Black-box tests of the `gate` binary: exit codes, commands, output formats, policy discovery,
//! colour, and the help text (snapshotted so that changes to it are reviewed).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use tempfile::TempDir;

mod support;
use support::gate;

const READY: i32 = 0;
const NOT_READY: i32 = 1;
const INVALID: i32 = 2;

/// A temporary workspace with files.
struct Workspace {
    dir: TempDir,
}

impl Workspace {
    fn new(files: &[(&str, &str)]) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Workspace { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn join(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }
}

const READY_POLICY: &str = r#"policy "ready" {
  target 100%
  category docs weight 1 {
    gate "readme" {
      expect exists("README.md")
    }
  }
}
"#;

const NOT_READY_POLICY: &str = r#"policy "not ready" {
  target 100%
  category docs weight 1 {
    gate "changelog" {
      expect exists("CHANGELOG.md")
    }
  }
}
"#;

const MIXED_POLICY: &str = r#"policy "mixed" {
  target 50%
  levels { bronze 50%  gold 100% }
  evidence {
    tests = junit("reports/junit.xml")
  }
  category docs weight 1 {
    gate "readme" blocker {
      expect exists("README.md")
    }
    gate "security headers" {
      expect file("next.config.mjs").contains(/Content-Security-Policy/)
    }
    gate "src is tested" when changed("src/**") {
      expect tests.failed == 0
    }
  }
}
"#;

const INVALID_POLICY: &str = r#"policy "invalid" {
  target 90%
  evidence {
    coverage = coverage("coverage/lcov.info")
  }
  category reliability weight 1 {
    gate "line coverage" {
      expect coverage.lines >= 500ms
    }
  }
}
"#;

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

// ---------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_0_when_ready() {
    let ws = Workspace::new(&[("readiness.gate", READY_POLICY), ("README.md", "# hi")]);
    let output = gate()
        .args(["check", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(READY), "{}", stderr_of(&output));
    assert!(
        stdout_of(&output).contains("READY"),
        "{}",
        stdout_of(&output)
    );
}

#[test]
fn exit_1_when_not_ready() {
    let ws = Workspace::new(&[("readiness.gate", NOT_READY_POLICY)]);
    let output = gate()
        .args(["check", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(NOT_READY),
        "{}",
        stderr_of(&output)
    );
    assert!(
        stdout_of(&output).contains("NOT READY"),
        "{}",
        stdout_of(&output)
    );
}

#[test]
fn exit_2_when_the_policy_is_invalid() {
    let ws = Workspace::new(&[("readiness.gate", INVALID_POLICY)]);
    let output = gate()
        .args(["check", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("unit-mismatch"), "{stderr}");
    assert!(stderr.contains("readiness.gate:8:14"), "{stderr}");
    assert!(stderr.contains("nothing was judged"), "{stderr}");
    assert!(
        stdout_of(&output).is_empty(),
        "no verdict is printed for an invalid policy"
    );
}

#[test]
fn exit_2_when_there_is_no_policy() {
    let ws = Workspace::new(&[("README.md", "# hi")]);
    let output = gate()
        .args(["check", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("no policy found"), "{stderr}");
    assert!(stderr.contains(".github/readiness.gate"), "{stderr}");

    let output = gate()
        .args(["check", "--policy"])
        .arg(ws.join("absent.gate"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
    assert!(
        stderr_of(&output).contains("cannot read"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn exit_2_on_a_bad_flag() {
    let output = gate().args(["check", "--frobnicate"]).output().unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
    assert!(stderr_of(&output).contains("--frobnicate"));

    let output = gate().args(["check", "--format", "yaml"]).output().unwrap();
    assert_eq!(output.status.code(), Some(INVALID));

    let output = gate().output().unwrap();
    assert_eq!(output.status.code(), Some(INVALID), "no subcommand");

    let output = gate()
        .args(["check", "--today", "tomorrow"])
        .env_remove("GATE_TODAY")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
}

#[test]
fn exit_2_when_changed_files_conflicts_with_diff_base() {
    let output = gate()
        .args(["check", "--changed-files", "x.txt", "--diff-base", "main"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
}

// ---------------------------------------------------------------------------------------------
// validate, fmt, explain

#[test]
fn validate_checks_without_judging() {
    // No README.md: `check` would say not ready, `validate` only checks the policy.
    let ws = Workspace::new(&[("readiness.gate", MIXED_POLICY)]);
    let output = gate()
        .args(["validate", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(READY), "{}", stderr_of(&output));
    assert_eq!(
        stdout_of(&output),
        "readiness.gate: valid (1 category, 3 gates, 1 evidence item, 0 waivers)\n"
    );

    let ws = Workspace::new(&[("readiness.gate", INVALID_POLICY)]);
    let output = gate()
        .args(["validate", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
    assert!(stderr_of(&output).contains("unit-mismatch"));
}

#[test]
fn validate_json_reports_diagnostics_with_positions() {
    let ws = Workspace::new(&[("readiness.gate", INVALID_POLICY)]);
    let output = gate()
        .args(["validate", "--format", "json", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["verdict"], "invalid");
    assert_eq!(json["diagnostics"][0]["code"], "unit-mismatch");
    assert_eq!(json["diagnostics"][0]["position"]["line"], 8);
    assert_eq!(json["diagnostics"][0]["position"]["column"], 14);
}

#[test]
fn fmt_check_fails_on_unformatted_files_and_passes_after_formatting() {
    let unformatted = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/unformatted.gate"),
    )
    .unwrap();
    let ws = Workspace::new(&[("policy.gate", &unformatted)]);
    let file = ws.join("policy.gate");

    let output = gate().args(["fmt", "--check"]).arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(NOT_READY));
    assert!(
        stdout_of(&output).contains("not formatted"),
        "{}",
        stdout_of(&output)
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        unformatted,
        "--check must not write"
    );

    let output = gate().arg("fmt").arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(READY), "{}", stderr_of(&output));
    let formatted = std::fs::read_to_string(&file).unwrap();
    assert_ne!(formatted, unformatted);
    let policy = readiness_gate::syntax::parse(&unformatted).policy.unwrap();
    assert_eq!(
        formatted,
        readiness_gate::format::format_policy(&policy, &unformatted)
    );

    let output = gate().args(["fmt", "--check"]).arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(READY), "{}", stdout_of(&output));
    assert!(stdout_of(&output).is_empty());
}

#[test]
fn fmt_formats_the_default_policy_of_a_workspace() {
    let ws = Workspace::new(&[(".github/readiness.gate", "policy \"p\" { target 90%\ncategory c weight 1 { gate \"g\" { expect exists(\"x\") } } }\n")]);
    let output = gate()
        .args(["fmt", "--check", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(NOT_READY));
    let output = gate()
        .args(["fmt", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(READY));
    let output = gate()
        .args(["fmt", "--check", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(READY));
}

#[test]
fn fmt_refuses_a_policy_with_syntax_errors() {
    let ws = Workspace::new(&[("bad.gate", "policy \"p\" {\n  target\n}\n")]);
    let file = ws.join("bad.gate");
    let output = gate().arg("fmt").arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
    assert!(stderr_of(&output).contains("syntax-error"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "policy \"p\" {\n  target\n}\n"
    );
}

#[test]
fn explain_describes_a_code() {
    let output = gate().args(["explain", "unit-mismatch"]).output().unwrap();
    assert_eq!(output.status.code(), Some(READY));
    let stdout = stdout_of(&output);
    assert!(
        stdout.starts_with("unit-mismatch: a comparison or arithmetic between unlike units\n\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("tests.passed / tests.total >= 99%"),
        "{stdout}"
    );
}

#[test]
fn explain_refuses_an_unknown_code_and_suggests() {
    let output = gate().args(["explain", "no-such-code"]).output().unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
    assert!(stderr_of(&output).contains("`no-such-code` is not a diagnostic code"));

    let output = gate().args(["explain", "unit-mismatc"]).output().unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
    assert!(
        stderr_of(&output).contains("did you mean `unit-mismatch`?"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn explain_lists_every_code() {
    let output = gate().arg("explain").output().unwrap();
    assert_eq!(output.status.code(), Some(READY));
    let stdout = stdout_of(&output);
    for code in readiness_gate::explain::CODES {
        assert!(stdout.contains(code.code), "`{}` is not listed", code.code);
    }
}

#[test]
fn help_texts_are_reviewed() {
    let settings = settings();
    for (name, args) in [
        ("cli__help", vec!["--help"]),
        ("cli__check_help", vec!["check", "--help"]),
        ("cli__fmt_help", vec!["fmt", "--help"]),
    ] {
        // Without GATE_TODAY: clap shows an environment variable's value in the help.
        let output = gate()
            .args(&args)
            .env_remove("GATE_TODAY")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(READY));
        let stdout = stdout_of(&output);
        assert!(
            stdout.contains("Exit codes:") || name == "cli__fmt_help",
            "{name}: exit codes undocumented"
        );
        settings.bind(|| insta::assert_snapshot!(name, stdout));
    }
}

// ---------------------------------------------------------------------------------------------
// Output

#[test]
fn output_that_is_not_a_terminal_has_no_colour() {
    let ws = Workspace::new(&[("readiness.gate", MIXED_POLICY), ("README.md", "# hi")]);
    let output = gate()
        .args(["check", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(NOT_READY));
    assert!(
        !stdout_of(&output).contains('\u{1b}'),
        "ANSI escapes in piped output"
    );

    let output = gate()
        .args(["check", "--workspace"])
        .arg(ws.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout_of(&output).contains('\u{1b}'));

    let bad = Workspace::new(&[("readiness.gate", INVALID_POLICY)]);
    let output = gate()
        .args(["check", "--workspace"])
        .arg(bad.path())
        .output()
        .unwrap();
    assert!(
        !stderr_of(&output).contains('\u{1b}'),
        "ANSI escapes in piped diagnostics"
    );

    // The assertion above can see colour: `--color always` forces it.
    let output = gate()
        .args(["check", "--color", "always", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert!(
        stdout_of(&output).contains('\u{1b}'),
        "--color always gives no colour"
    );
}

#[test]
fn json_report_has_the_documented_shape() {
    let ws = Workspace::new(&[
        ("readiness.gate", MIXED_POLICY),
        ("README.md", "# hi"),
        ("next.config.mjs", "headers: ['Content-Security-Policy']"),
    ]);
    let output = gate()
        .args(["check", "--format", "json", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", stdout_of(&output)));
    assert_eq!(json["schema_version"], 1);
    // `src is tested` has no test report: unknown, so 2 of 3 points.
    assert_eq!(json["verdict"], "ready");
    assert_eq!(output.status.code(), Some(READY));
    assert_eq!(json["score"]["display"], "66.66%");
    assert_eq!(json["level"], "bronze");
    let gates = json["categories"][0]["gates"].as_array().unwrap();
    assert_eq!(gates.len(), 3);
    let headers = &gates[1]["expectations"][0];
    assert_eq!(headers["status"], "pass");
    assert_eq!(headers["actual"], "true");
    assert_eq!(headers["required"], "true");
    assert_eq!(headers["evidence"][0], "next.config.mjs");
    let tested = &gates[2];
    assert_eq!(tested["status"], "unknown");
    assert_eq!(tested["expectations"][0]["required"], "== 0");
    assert!(tested["expectations"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("no artifact for `tests`"));
    assert!(tested["expectations"][0]["actual"].is_null());
    for key in [
        "policy",
        "ready",
        "reason",
        "target",
        "levels",
        "evidence",
        "waivers",
        "diagnostics",
    ] {
        assert!(json.get(key).is_some(), "no `{key}` in the JSON report");
    }
}

#[test]
fn output_file_gets_the_report_and_the_terminal_the_summary() {
    let ws = Workspace::new(&[("readiness.gate", READY_POLICY), ("README.md", "# hi")]);
    let out = ws.join("out/report.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let output = gate()
        .args(["check", "--format", "json", "--output"])
        .arg(&out)
        .arg("--workspace")
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(READY), "{}", stderr_of(&output));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["verdict"], "ready");
    assert!(
        stdout_of(&output).contains("READY"),
        "{}",
        stdout_of(&output)
    );
    assert!(
        serde_json::from_slice::<serde_json::Value>(&output.stdout).is_err(),
        "stdout is the human summary"
    );

    let md = ws.join("out/report.md");
    let output = gate()
        .args(["check", "--format", "markdown", "--output"])
        .arg(&md)
        .arg("--workspace")
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(READY));
    assert!(std::fs::read_to_string(&md).unwrap().contains("readme"));
}

#[test]
fn changed_files_make_untouched_scoped_gates_not_applicable() {
    let ws = Workspace::new(&[
        ("readiness.gate", MIXED_POLICY),
        ("README.md", "# hi"),
        ("next.config.mjs", "Content-Security-Policy"),
        ("changed.txt", "docs/guide.md\n./README.md\n"),
    ]);
    let output = gate()
        .args(["check", "--format", "json", "--changed-files"])
        .arg(ws.join("changed.txt"))
        .arg("--workspace")
        .arg(ws.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let scoped = &json["categories"][0]["gates"][2];
    assert_eq!(scoped["name"], "src is tested");
    assert_eq!(scoped["status"], "not_applicable");
    assert_eq!(json["score"]["display"], "100%");
    assert_eq!(output.status.code(), Some(READY));

    std::fs::write(ws.join("changed.txt"), "src/app.ts\n").unwrap();
    let output = gate()
        .args(["check", "--format", "json", "--changed-files"])
        .arg(ws.join("changed.txt"))
        .arg("--workspace")
        .arg(ws.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["categories"][0]["gates"][2]["status"], "unknown");
}

#[test]
fn today_judges_waiver_expiry() {
    let policy = format!(
        "{}\n",
        NOT_READY_POLICY
            .trim_end()
            .trim_end_matches('}')
            .to_string()
            + "  waive \"changelog\" until 2026-06-30 owner \"@docs\" because \"written at release\"\n}"
    );
    let ws = Workspace::new(&[("readiness.gate", &policy)]);
    let output = gate()
        .args(["check", "--today", "2026-06-30", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    // The only gate is waived: nothing is scored, so not ready, but no warning either.
    assert_eq!(output.status.code(), Some(NOT_READY));
    assert!(
        !stdout_of(&output).contains("expired"),
        "{}",
        stdout_of(&output)
    );

    let output = gate()
        .args(["check", "--format", "json", "--workspace"])
        .arg(ws.path())
        .env("GATE_TODAY", "2026-07-01")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["waivers"][0]["status"], "expired");
    assert_eq!(json["diagnostics"][0]["code"], "expired-waiver");
    assert_eq!(json["diagnostics"][0]["level"], "warning");
}

#[test]
fn invalid_policy_with_json_format_prints_json_diagnostics() {
    let ws = Workspace::new(&[("readiness.gate", INVALID_POLICY)]);
    let output = gate()
        .args(["check", "--format", "json", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(INVALID));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["verdict"], "invalid");
    assert_eq!(json["diagnostics"][0]["code"], "unit-mismatch");
}

// ---------------------------------------------------------------------------------------------
// Policy discovery

#[test]
fn the_policy_is_found_in_github_when_not_at_the_root() {
    let ws = Workspace::new(&[
        (".github/readiness.gate", READY_POLICY),
        ("README.md", "# hi"),
    ]);
    let output = gate()
        .args(["check", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(READY), "{}", stderr_of(&output));
    assert!(
        stdout_of(&output).contains(".github/readiness.gate"),
        "{}",
        stdout_of(&output)
    );
}

#[test]
fn the_root_policy_wins_over_the_github_one() {
    let ws = Workspace::new(&[
        ("readiness.gate", READY_POLICY),
        (".github/readiness.gate", NOT_READY_POLICY),
        ("README.md", "# hi"),
    ]);
    let output = gate()
        .args(["check", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(READY), "{}", stdout_of(&output));

    // `--policy` wins over both.
    let output = gate()
        .args(["check", "--workspace"])
        .arg(ws.path())
        .arg("--policy")
        .arg(ws.join(".github/readiness.gate"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(NOT_READY));
}

#[test]
fn the_current_directory_is_the_default_workspace() {
    let ws = Workspace::new(&[("readiness.gate", READY_POLICY), ("README.md", "# hi")]);
    let output = gate().arg("check").current_dir(ws.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(READY), "{}", stderr_of(&output));
}

#[test]
fn globs_cannot_read_outside_the_workspace_through_symlinks() {
    let outside = Workspace::new(&[("secret.txt", "Content-Security-Policy")]);
    let policy = r#"policy "p" {
  target 100%
  category c weight 1 {
    gate "linked" {
      expect exists("linked/secret.txt")
    }
  }
}
"#;
    let ws = Workspace::new(&[("readiness.gate", policy)]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), ws.join("linked")).unwrap();
    let output = gate()
        .args(["check", "--workspace"])
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(NOT_READY),
        "{}",
        stdout_of(&output)
    );
}
