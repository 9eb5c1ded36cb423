//! Baselines (`base.<item>.<figure>`) and noise-aware load gates (`min_samples`).
//!
//! The baseline is a real `gate check --format json --output results.json` of the base branch's
//! fixture workspace (tests/fixtures/lifecycle/baseline/base); the head workspace is judged against
//! it with relative and absolute slack, exactly.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::eval::baseline::Baseline;
use readiness_gate::eval::{self, Context, ExpectationOutcome, Inputs, Outcome, Status};
use readiness_gate::evidence::Workspace;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lifecycle/baseline")
        .join(name)
}

fn evaluate(workspace: &Path, inputs: &Inputs) -> Outcome {
    let source = std::fs::read_to_string(workspace.join("readiness.gate")).unwrap();
    let (_, checked) = readiness_gate::load_policy(&source).unwrap_or_else(|d| panic!("{d:#?}"));
    let evidence = Workspace::new(workspace);
    let context = Context {
        evidence: &evidence,
        today: time::macros::date!(2026 - 11 - 21),
        changed_files: None,
        policy_file: "readiness.gate",
        policy_source: &source,
    };
    eval::evaluate_with(&checked, &context, inputs)
}

fn expectation<'o>(outcome: &'o Outcome, gate: &str) -> &'o ExpectationOutcome {
    outcome
        .categories
        .iter()
        .flat_map(|c| c.gates.iter())
        .find(|g| g.name == gate)
        .and_then(|g| g.expectations.first())
        .unwrap_or_else(|| panic!("no gate `{gate}`"))
}

/// The base branch's run, through the binary, as CI would make it.
fn base_results(dir: &Path) -> PathBuf {
    let output = dir.join("results.json");
    let status = Command::new(env!("CARGO_BIN_EXE_gate"))
        .args(["check", "--format", "json", "--output"])
        .arg(&output)
        .arg("--workspace")
        .arg(fixture("base"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    output
}

#[test]
fn without_a_baseline_base_figures_are_unknown_never_pass() {
    let outcome = evaluate(&fixture("head"), &Inputs::default());
    for gate in [
        "coverage does not drop",
        "p95 within slack",
        "stress against its baseline",
    ] {
        let e = expectation(&outcome, gate);
        assert_eq!(e.status, Status::Unknown, "{gate}");
        let reason = e.reason.as_deref().unwrap();
        assert!(
            reason.contains("no baseline results were given"),
            "{reason}"
        );
    }
    assert!(!outcome.ready);
    assert_eq!(outcome.baseline, None);
}

#[test]
fn a_real_json_report_is_a_baseline_and_slack_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let results = base_results(dir.path());
    let text = std::fs::read_to_string(&results).unwrap();
    let baseline = Baseline::from_json(&text, &results.display().to_string()).unwrap();
    let inputs = Inputs {
        baseline: Some(baseline),
        ..Inputs::default()
    };
    let outcome = evaluate(&fixture("head"), &inputs);

    // 139/200 = 69.5% against 7/10 - 0.5% = 69.5%: exactly equal, so `>=` passes (floats would
    // give 0.6949999...).
    let coverage = expectation(&outcome, "coverage does not drop");
    assert_eq!(coverage.status, Status::Pass, "{coverage:#?}");
    assert_eq!(coverage.required.as_deref(), Some(">= 69.5%"));

    // 412.3ms * 110% + 15ms = 468.53ms exactly; the head's p95 is 468.53ms.
    let slack = expectation(&outcome, "p95 within slack");
    assert_eq!(slack.status, Status::Pass, "{slack:#?}");
    assert_eq!(
        slack.required.as_deref(),
        Some("<= 468.5ms"),
        "displays truncate"
    );
    assert_eq!(slack.actual_value, Some(468.53));
    let strict = expectation(&outcome, "p95 strictly within slack");
    assert_eq!(strict.status, Status::Fail, "{strict:#?}");
    assert_eq!(
        strict.to_pass.as_deref(),
        Some("`basic.p95` must drop below 468.5ms: it is exactly at it")
    );
    assert!(strict.evidence.contains(&"base.basic".to_string()));

    // The baseline run had no `stress` item; its `basic` has no p99 (k6's default summary).
    let stress = expectation(&outcome, "stress against its baseline");
    assert_eq!(stress.status, Status::Unknown);
    assert!(
        stress
            .reason
            .as_deref()
            .unwrap()
            .contains("has no evidence item `stress`"),
        "{stress:#?}"
    );
    let p99 = expectation(&outcome, "p99 against its baseline");
    assert_eq!(p99.status, Status::Unknown);
    assert!(
        p99.reason.as_deref().unwrap().contains("no `p99`"),
        "{p99:#?}"
    );

    // The baseline report was made inside this repository: it names the commit it was made at.
    let info = outcome.baseline.as_ref().unwrap();
    assert!(
        info.commit
            .as_deref()
            .is_none_or(|commit| commit.len() == 40),
        "{info:?}"
    );
    assert_eq!(info.policy.as_deref(), Some("baseline slack"));
    assert!(
        strict
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("compared with the baseline"),
        "{strict:#?}"
    );
}

#[test]
fn the_outcome_names_the_baselines_commit() {
    let commit = "0123456789abcdef0123456789abcdef01234567";
    let base = evaluate(
        &fixture("base"),
        &Inputs {
            commit: Some(commit.into()),
            ..Inputs::default()
        },
    );
    let json = readiness_gate::report::json::render(&base);
    assert!(json.contains(&format!("\"commit\": \"{commit}\"")));
    let baseline = Baseline::from_json(&json, "results.json").unwrap();
    assert_eq!(baseline.commit.as_deref(), Some(commit));
    let outcome = evaluate(
        &fixture("head"),
        &Inputs {
            baseline: Some(baseline),
            ..Inputs::default()
        },
    );
    assert_eq!(
        outcome.baseline.as_ref().unwrap().commit.as_deref(),
        Some(commit)
    );
    let strict = expectation(&outcome, "p95 strictly within slack");
    assert_eq!(
        strict.reason.as_deref(),
        Some("compared with the baseline `results.json` (commit 0123456)")
    );
}

#[test]
fn baselines_that_cannot_serve_are_errors_or_unknowns() {
    assert!(Baseline::from_json("{}", "x.json")
        .unwrap_err()
        .contains("schema version"));
    assert!(Baseline::from_json("not json", "x.json")
        .unwrap_err()
        .contains("not JSON"));
    let invalid = r#"{"schema_version": 1, "verdict": "invalid", "ready": false, "policy_file": "p", "diagnostics": []}"#;
    assert!(Baseline::from_json(invalid, "x.json")
        .unwrap_err()
        .contains("invalid policy"));
    // A report from before figures were written: unknown, with the reason.
    let old = r#"{"schema_version": 1, "evidence": [{"name": "basic", "status": "read"}, {"name": "coverage", "status": "missing", "problem": "no artifact"}]}"#;
    let baseline = Baseline::from_json(old, "old.json").unwrap();
    let outcome = evaluate(
        &fixture("head"),
        &Inputs {
            baseline: Some(baseline),
            ..Inputs::default()
        },
    );
    let slack = expectation(&outcome, "p95 within slack");
    assert_eq!(slack.status, Status::Unknown);
    assert!(
        slack
            .reason
            .as_deref()
            .unwrap()
            .contains("carries no figures"),
        "{slack:#?}"
    );
    let coverage = expectation(&outcome, "coverage does not drop");
    assert!(
        coverage
            .reason
            .as_deref()
            .unwrap()
            .contains("did not read `coverage` (status `missing`: no artifact)"),
        "{coverage:#?}"
    );
}

#[test]
fn min_samples_makes_every_figure_of_a_thin_load_test_unknown() {
    let outcome = evaluate(&fixture("head"), &Inputs::default());
    let few = expectation(&outcome, "enough samples");
    assert_eq!(few.status, Status::Unknown);
    assert_eq!(
        few.reason.as_deref(),
        Some("`few` has 412 samples, fewer than the 1000 required (`min_samples 1000`): too few to judge")
    );
    // The item with enough samples is judged.
    let source = r#"policy "p" {
  target 100%
  evidence {
    basic = load("reports/basic.json") min_samples 1500
    thin  = load("reports/basic.json") min_samples 1501
  }
  category c weight 1 {
    gate "judged" { expect basic.samples >= 1 }
    gate "too thin" { expect thin.errors == 0 }
  }
}
"#;
    let (_, checked) = readiness_gate::load_policy(source).unwrap();
    let workspace = Workspace::new(fixture("head"));
    let context = Context {
        evidence: &workspace,
        today: time::macros::date!(2026 - 11 - 21),
        changed_files: None,
        policy_file: "p.gate",
        policy_source: source,
    };
    let outcome = eval::evaluate(&checked, &context);
    assert_eq!(expectation(&outcome, "judged").status, Status::Pass);
    assert_eq!(expectation(&outcome, "too thin").status, Status::Unknown);
}

#[test]
fn min_samples_is_checked_and_formatted() {
    let on_coverage = r#"policy "p" {
  target 100%
  evidence {
    coverage = coverage("lcov.info") min_samples 10
  }
  category c weight 1 {
    gate "g" { expect coverage.lines >= 1% }
  }
}
"#;
    let diagnostics = readiness_gate::load_policy(on_coverage).unwrap_err();
    assert!(
        diagnostics.iter().any(|d| d.code == "invalid-min-samples"),
        "{diagnostics:#?}"
    );
    let fraction = on_coverage
        .replace(
            "coverage = coverage(\"lcov.info\") min_samples 10",
            "basic = load(\"b.json\") min_samples 1.5",
        )
        .replace("coverage.lines >= 1%", "basic.p95 < 1s");
    let diagnostics = readiness_gate::load_policy(&fraction).unwrap_err();
    assert!(
        diagnostics.iter().any(|d| d.code == "invalid-min-samples"),
        "{diagnostics:#?}"
    );

    let unformatted = "policy \"p\" {\n  target 100%\n  evidence {\n    basic = load(\"b.json\")   min_samples 1000 as k6\n  }\n  category c weight 1 {\n    gate \"g\" {\n      expect basic.p95 < 1s\n    }\n  }\n}\n";
    let format = |source: &str| {
        let policy = readiness_gate::syntax::parse(source).policy.unwrap();
        readiness_gate::format::format_policy(&policy, source)
    };
    let formatted = format(unformatted);
    assert!(
        formatted.contains("basic = load(\"b.json\") min_samples 1000 as k6"),
        "{formatted}"
    );
    assert_eq!(format(&formatted), formatted);
}
