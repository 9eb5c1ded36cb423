//! The JSON Schema of the JSON report (`docs/report.schema.json`): generated from the Rust types
//! with schemars, it must equal the checked-in file (`GATE_UPDATE_SCHEMA=1` rewrites it), and
//! real `gate check --format json` output must validate against it — strictly: every object of
//! the report is checked with `additionalProperties: false`, so a field the types do not
//! describe fails the test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The schema with `additionalProperties: false` on every object schema that lists properties.
fn strict(mut schema: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(object) => {
                if object.contains_key("properties") && !object.contains_key("additionalProperties")
                {
                    object.insert("additionalProperties".into(), Value::Bool(false));
                }
                object.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut schema);
    schema
}

fn validator() -> jsonschema::Validator {
    let schema = strict(readiness_gate::report::json_schema::schema());
    jsonschema::draft202012::options().build(&schema).unwrap()
}

fn errors(validator: &jsonschema::Validator, report: &Value) -> Vec<String> {
    validator
        .iter_errors(report)
        .map(|e| format!("{e} at `{}`", e.instance_path()))
        .collect()
}

/// `gate check --format json` with ARGS in DIR; the report and the exit code.
fn check_json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_gate"))
        .arg("check")
        .args([
            "--format",
            "json",
            "--policy-from",
            "head",
            "--today",
            "2026-11-21",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_EVENT_NAME")
        .env_remove("GITHUB_EVENT_PATH")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let report = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (report, output.status.code().unwrap())
}

#[test]
fn checked_in_schema_is_the_generated_one() {
    let generated = readiness_gate::report::json_schema::render();
    let path = root().join("docs/report.schema.json");
    if std::env::var_os("GATE_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "docs/report.schema.json is not the schema of the report types: regenerate it with `GATE_UPDATE_SCHEMA=1 cargo test --test report_schema` and review the diff"
    );
    let schema: Value = serde_json::from_str(&checked_in).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    for field in [
        "schema_version",
        "verdict",
        "categories",
        "evidence",
        "diagnostics",
    ] {
        assert!(
            schema["required"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == field),
            "`{field}` is required"
        );
    }
}

#[test]
fn real_reports_validate() {
    let validator = validator();
    let mut checked = 0;
    for (workspace, expected_exit) in [
        ("examples/demo", 1),
        ("examples/passing", 0),
        ("policies/fixtures/nextjs-production/failing", 1),
    ] {
        let dir = root().join(workspace);
        let policy = if workspace.starts_with("policies/") {
            root().join("policies/nextjs-production.gate")
        } else {
            dir.join("readiness.gate")
        };
        let (report, code) = check_json(&dir, &["--policy", policy.to_str().unwrap()]);
        assert_eq!(code, expected_exit, "{workspace}");
        let problems = errors(&validator, &report);
        assert!(problems.is_empty(), "{workspace}:\n{}", problems.join("\n"));
        checked += 1;
    }
    assert_eq!(checked, 3);
}

#[test]
fn reports_with_patch_coverage_and_a_baseline_validate() {
    let validator = validator();
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "readiness.gate",
        r#"policy "schema" {
  target 100%
  evidence {
    coverage = coverage("coverage/lcov.info")
  }
  category tests weight 1 {
    gate "changed lines are tested" when changed("src/**") {
      expect coverage.patch.lines >= 50%
    }
    gate "coverage does not drop" {
      expect coverage.lines >= base.coverage.lines - 1%
    }
  }
}
"#,
    );
    write(
        "coverage/lcov.info",
        "SF:src/a.js\nDA:1,1\nDA:2,0\nDA:3,1\nend_of_record\n",
    );
    write("src/a.js", "a\nb\nc\n");
    write("changed.txt", "src/a.js\n");
    let (baseline, _) = check_json(dir.path(), &[]);
    assert!(errors(&validator, &baseline).is_empty());
    write("baseline.json", &baseline.to_string());
    let (report, code) = check_json(
        dir.path(),
        &[
            "--changed-files",
            "changed.txt",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(code, 0, "{report:#}");
    assert!(report["baseline"].is_object(), "the baseline is described");
    assert!(
        report["evidence"][0]["patch"].is_object(),
        "patch coverage is described"
    );
    let problems = errors(&validator, &report);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_field_the_types_do_not_describe_is_caught() {
    let validator = validator();
    let (mut report, _) = check_json(&root().join("examples/passing"), &[]);
    assert!(errors(&validator, &report).is_empty());
    report["categories"][0]["gates"][0]["undocumented"] = Value::from(1);
    assert!(!errors(&validator, &report).is_empty());
    report["categories"][0]["gates"][0]
        .as_object_mut()
        .unwrap()
        .remove("undocumented");
    report["verdict"] = Value::from("maybe");
    assert!(!errors(&validator, &report).is_empty());
}
