//! Configuration facts: YAML, JSON and TOML files queried with JSONPath in a policy, typed by the
//! policy (counts, existence, strings, booleans, numbers with the policy's units); a syntax error
//! makes the fact unknown with the file, line and column, never false.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;
use serde_json::Value;

fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Runs `gate check --format json` and returns the report.
fn check(dir: &tempfile::TempDir) -> (i32, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_gate"))
        .env("GATE_TODAY", "2026-06-15")
        .args(["check", "--format", "json", "--workspace"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap(), report)
}

/// `(gate name, status, actual, reason)` of every expectation.
fn expectations(report: &Value) -> Vec<(String, String, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    for category in report["categories"].as_array().unwrap() {
        for gate in category["gates"].as_array().unwrap() {
            for expectation in gate["expectations"].as_array().unwrap() {
                out.push((
                    gate["name"].as_str().unwrap().to_string(),
                    expectation["status"].as_str().unwrap().to_string(),
                    expectation["actual"].as_str().map(str::to_string),
                    expectation["reason"].as_str().map(str::to_string),
                ));
            }
        }
    }
    out
}

const WORKFLOW: &str = "name: ci
on:
  pull_request:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npm run build
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test -- --coverage
";

const POLICY: &str = r#"policy "config facts" {
  target 100%

  evidence {
    wf      = config(".github/workflows/*.yml")
    compose = config("docker-compose.yml")
    k8s     = yaml("k8s/*.yaml")
  }

  category ci weight 1 {
    gate "pull requests run ci" {
      expect wf.query("$.on.pull_request").exists
    }
    gate "ci runs the production build" {
      expect wf.values("$.jobs.*.steps[*].run").containing(/npm run build/).count >= 1
    }
    gate "no step skips tests" {
      expect wf.values("$.jobs.*.steps[*].run").containing(/--no-tests|-x test/).count == 0
    }
    gate "every service has a health check" {
      expect compose.values("$.services.*.healthcheck").count == compose.values("$.services.*").count
    }
    gate "probes on every container" {
      expect k8s.values("$..containers[*].readinessProbe").count == k8s.values("$..containers[*]").count
      expect k8s.values("$..containers[*].livenessProbe").count == k8s.values("$..containers[*]").count
    }
    gate "strict typescript" {
      expect json("tsconfig.json").bool("$.compilerOptions.strict")
    }
    gate "build script" {
      expect json("package.json").string("$.scripts.build") == "next build"
    }
    gate "release profile" {
      expect toml("Cargo.toml").query("$.profile.release").exists
      expect toml("Cargo.toml").number("$.profile.release['opt-level']") == 3
    }
    gate "bundle size" {
      expect json("reports/bundle-stats.json").number("$.assets[0].size") <= 250KB
      expect json("reports/bundle-stats.json").number("$.startup", "s") < 2s
      expect json("reports/lighthouse.json").number("$.categories.performance.score", "ratio") >= 90%
    }
  }
}
"#;

fn good_workspace() -> tempfile::TempDir {
    workspace(&[
        ("readiness.gate", POLICY),
        (".github/workflows/ci.yml", WORKFLOW),
        (
            "docker-compose.yml",
            "x-check: &check\n  test: [CMD, curl, -f, http://localhost:3000/health]\nservices:\n  api:\n    healthcheck: *check\n  worker:\n    healthcheck:\n      <<: *check\n      interval: 5s\n",
        ),
        (
            "k8s/deploy.yaml",
            "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          readinessProbe: {httpGet: {path: /health, port: 3000}}\n          livenessProbe: {httpGet: {path: /health, port: 3000}}\n---\nkind: Service\nspec: {}\n",
        ),
        ("tsconfig.json", "{\"compilerOptions\": {\"strict\": true}}"),
        ("package.json", "{\"scripts\": {\"build\": \"next build\"}}"),
        ("Cargo.toml", "[package]\nname = \"x\"\n[profile.release]\nopt-level = 3\n"),
        (
            "reports/bundle-stats.json",
            "{\"assets\": [{\"name\": \"main.js\", \"size\": 204800}], \"startup\": 1.25}",
        ),
        (
            "reports/lighthouse.json",
            "{\"categories\": {\"performance\": {\"score\": 0.93}}}",
        ),
    ])
}

#[test]
fn config_facts_pass_on_a_good_workspace() {
    let dir = good_workspace();
    let (code, report) = check(&dir);
    let expectations = expectations(&report);
    for (gate, status, actual, reason) in &expectations {
        assert_eq!(status, "pass", "{gate}: {actual:?} {reason:?}");
    }
    assert_eq!(code, 0);
    let actual_of = |name: &str| {
        expectations
            .iter()
            .find(|(gate, ..)| gate == name)
            .and_then(|(_, _, actual, _)| actual.clone())
            .unwrap()
    };
    assert_eq!(actual_of("ci runs the production build"), "1");
    assert_eq!(actual_of("bundle size"), "200KB");
}

#[test]
fn config_facts_fail_with_figures() {
    let dir = good_workspace();
    std::fs::write(
        dir.path().join(".github/workflows/ci.yml"),
        WORKFLOW
            .replace("npm run build", "npm run lint")
            .replace("  pull_request:\n", ""),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("reports/bundle-stats.json"),
        "{\"assets\": [{\"size\": 300000}], \"startup\": 2}",
    )
    .unwrap();
    let (code, report) = check(&dir);
    assert_eq!(code, 1);
    let expectations = expectations(&report);
    let status_of = |name: &str| {
        expectations
            .iter()
            .filter(|(gate, ..)| gate == name)
            .map(|(_, status, actual, _)| {
                format!("{status} {}", actual.clone().unwrap_or_default())
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(status_of("pull requests run ci"), ["fail false"]);
    assert_eq!(status_of("ci runs the production build"), ["fail 0"]);
    assert_eq!(
        status_of("bundle size"),
        ["fail 292.96KB", "fail 2s", "pass 93%"]
    );
}

#[test]
fn a_syntax_error_makes_the_fact_unknown_with_line_and_column() {
    let dir = good_workspace();
    std::fs::write(
        dir.path().join(".github/workflows/ci.yml"),
        "on:\n  pull_request:\njobs: [1, 2\nx: 3\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tsconfig.json"),
        "{\n  \"compilerOptions\": {\"strict\": true,}\n}\n",
    )
    .unwrap();
    let (code, report) = check(&dir);
    assert_eq!(code, 1);
    let expectations = expectations(&report);
    let (_, status, _, reason) = expectations
        .iter()
        .find(|(gate, ..)| gate == "pull requests run ci")
        .unwrap();
    assert_eq!(status, "unknown");
    let reason = reason.clone().unwrap();
    assert!(
        reason.contains(".github/workflows/ci.yml` at line 4, column 2: expected valid YAML"),
        "{reason}"
    );
    let (_, status, _, reason) = expectations
        .iter()
        .find(|(gate, ..)| gate == "strict typescript")
        .unwrap();
    assert_eq!(status, "unknown");
    assert!(
        reason
            .clone()
            .unwrap()
            .contains("tsconfig.json` at line 2, column"),
        "{reason:?}"
    );
}

#[test]
fn missing_files_and_ambiguous_paths_are_unknown() {
    let dir = good_workspace();
    std::fs::remove_file(dir.path().join("tsconfig.json")).unwrap();
    std::fs::write(
        dir.path().join("reports/bundle-stats.json"),
        "{\"assets\": [{\"size\": 1}, {\"size\": 2}], \"startup\": \"fast\"}",
    )
    .unwrap();
    let (_, report) = check(&dir);
    let expectations = expectations(&report);
    let reasons: Vec<String> = expectations
        .iter()
        .filter(|(gate, ..)| gate == "strict typescript" || gate == "bundle size")
        .map(|(_, status, _, reason)| format!("{status}: {}", reason.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        reasons,
        [
            "unknown: no configuration file matches `tsconfig.json`",
            "pass: ",
            "unknown: `$.startup` in `reports/bundle-stats.json` is `\"fast\"`, not a number",
            "pass: ",
        ]
    );
    // `$.assets[*].size` would select two values: a single-value query needs exactly one.
    std::fs::write(
        dir.path().join("readiness.gate"),
        POLICY.replace("$.assets[0].size", "$.assets[*].size"),
    )
    .unwrap();
    let (_, report) = check(&dir);
    let reason = self::expectations(&report)
        .into_iter()
        .find(|(gate, ..)| gate == "bundle size")
        .and_then(|(_, _, _, reason)| reason)
        .unwrap();
    assert!(
        reason.starts_with("`$.assets[*].size` selects 2 values"),
        "{reason}"
    );
}

#[test]
fn bad_queries_are_policy_errors() {
    let dir = workspace(&[(
        "readiness.gate",
        r#"policy "p" {
  target 100%
  evidence { wf = config("ci.yml") }
  category c weight 1 {
    gate "a" { expect wf.values("$.jobs[").count == 1 }
    gate "b" { expect wf.number("$.x", "parsecs") > 1 }
    gate "c" { expect wf.valuez("$.x").count == 1 }
    gate "d" { expect wf.values("$.x") }
    gate "e" { expect wf.number("$.x") >= 50% }
  }
}
"#,
    )]);
    let output = Command::new(env!("CARGO_BIN_EXE_gate"))
        .args(["validate", "--policy"])
        .arg(dir.path().join("readiness.gate"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr).to_string()
        + &String::from_utf8_lossy(&output.stdout);
    for code in [
        "invalid-jsonpath",
        "unknown-unit",
        "unknown-method",
        "expect-not-boolean",
        "unit-mismatch",
    ] {
        assert!(text.contains(code), "{code} missing in:\n{text}");
    }
    assert!(text.contains("did you mean `values`?"), "{text}");
}
