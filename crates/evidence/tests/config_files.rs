//! Configuration files: YAML (anchors, merge keys, multi-document, hostile input), JSON and TOML,
//! queried with JSONPath; syntax errors give the file, line and column.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use readiness_evidence::config::JsonPath;
use readiness_evidence::{read_file, Figures, Format, Location, ReadError};
use std::path::{Path, PathBuf};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn values(path: &Path, query: &str) -> Vec<serde_json::Value> {
    let evidence = read_file(path, Some(Format::ConfigFile)).unwrap();
    let Figures::Config(config) = evidence.figures else {
        panic!("not config")
    };
    let path = JsonPath::parse(query).unwrap();
    config
        .query(&path)
        .into_iter()
        .map(|found| found.value.clone())
        .collect()
}

fn error(path: &Path) -> ReadError {
    read_file(path, Some(Format::ConfigFile)).unwrap_err()
}

#[test]
fn github_workflow_keys_and_steps() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "ci.yml",
        "on:\n  pull_request:\n    branches: [main]\njobs:\n  build:\n    steps:\n      - run: npm ci\n      - run: npm run build\n  test:\n    steps:\n      - run: npm test\n",
    );
    assert_eq!(
        values(&path, "$.on.pull_request.branches[0]"),
        vec![serde_json::json!("main")]
    );
    assert_eq!(values(&path, "$.jobs.*.steps[*].run").len(), 3);
}

#[test]
fn anchors_merge_keys_and_yaml_1_2_booleans() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "compose.yml",
        "x-health: &health\n  test: [CMD, curl, -f, http://localhost/health]\n  interval: 10s\nservices:\n  api:\n    healthcheck:\n      <<: *health\n      interval: 5s\n  db:\n    healthcheck: *health\nflag: yes\n",
    );
    assert_eq!(values(&path, "$.services.*.healthcheck").len(), 2);
    assert_eq!(
        values(&path, "$.services.api.healthcheck.interval"),
        vec![serde_json::json!("5s")]
    );
    assert_eq!(
        values(&path, "$.services.api.healthcheck.test[1]"),
        vec![serde_json::json!("curl")]
    );
    assert_eq!(values(&path, "$.flag"), vec![serde_json::json!("yes")]);
}

#[test]
fn every_document_of_a_multi_document_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "k8s.yaml",
        "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          readinessProbe: {httpGet: {path: /health}}\n---\nkind: Service\n",
    );
    assert_eq!(values(&path, "$.kind").len(), 2);
    assert_eq!(values(&path, "$..containers[*].readinessProbe").len(), 1);
}

#[test]
fn json_and_toml() {
    let dir = tempfile::tempdir().unwrap();
    let json = write(
        &dir,
        "tsconfig.json",
        "{\"compilerOptions\": {\"strict\": true}}",
    );
    assert_eq!(
        values(&json, "$.compilerOptions.strict"),
        vec![serde_json::json!(true)]
    );
    let toml = write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"x\"\n[profile.release]\nlto = true\nopt-level = 3\n[x]\nwhen = 2026-01-02\n",
    );
    assert_eq!(
        values(&toml, "$.profile.release.lto"),
        vec![serde_json::json!(true)]
    );
    assert_eq!(
        values(&toml, "$.profile.release['opt-level']"),
        vec![serde_json::json!(3)]
    );
    assert_eq!(
        values(&toml, "$.x.when"),
        vec![serde_json::json!("2026-01-02")]
    );
}

fn location(error: &ReadError) -> Option<Location> {
    match error {
        ReadError::Malformed { location, .. } => *location,
        other => panic!("not malformed: {other}"),
    }
}

#[test]
fn syntax_errors_give_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = write(&dir, "bad.yml", "a: 1\nb: [1, 2\nc: 3\n");
    let error = error(&yaml);
    assert_eq!(
        location(&error),
        Some(Location::LineColumn { line: 3, column: 2 })
    );
    assert!(
        error
            .to_string()
            .contains("bad.yml` at line 3, column 2: expected valid YAML"),
        "{error}"
    );

    let json = write(&dir, "bad.json", "{\n  \"a\": 1,\n}\n");
    let error = self::error(&json);
    assert_eq!(
        location(&error),
        Some(Location::LineColumn { line: 3, column: 1 })
    );
    assert!(
        error
            .to_string()
            .contains("expected valid JSON, found trailing comma"),
        "{error}"
    );

    let toml = write(&dir, "bad.toml", "[a]\nb = \n");
    let error = self::error(&toml);
    assert!(
        matches!(location(&error), Some(Location::LineColumn { line: 2, .. })),
        "{error}"
    );
}

#[test]
fn an_alias_bomb_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (previous, name) = (pair[0], pair[1]);
        let refs = vec![format!("*{previous}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let path = write(&dir, "laughs.yml", &text);
    let error = error(&path);
    assert!(
        matches!(location(&error), Some(Location::LineColumn { .. })),
        "{error}"
    );
    assert!(error.to_string().contains("budget"), "{error}");
}

#[test]
fn deep_nesting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let flow = write(&dir, "deep.yml", &"[".repeat(100_000));
    assert!(
        error(&flow).to_string().contains("recursion limit"),
        "{}",
        error(&flow)
    );
    let block: String = (0..5000)
        .map(|depth| format!("{}k:\n", " ".repeat(depth)))
        .collect();
    let block = write(&dir, "block.yml", &block);
    assert!(matches!(
        location(&error(&block)),
        Some(Location::LineColumn { .. })
    ));
    let json = write(&dir, "deep.json", &"[".repeat(100_000));
    assert!(
        error(&json).to_string().contains("recursion limit"),
        "{}",
        error(&json)
    );
    let toml = write(&dir, "deep.toml", &format!("a = {}", "[".repeat(100_000)));
    assert!(matches!(error(&toml), ReadError::Malformed { .. }));
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "huge.yml", &format!("k: {}\n", "x".repeat(20 << 20)));
    let error = error(&path);
    assert!(error.to_string().contains("at most 16 MB"), "{error}");
    // A large scalar under the limit reads.
    let path = write(&dir, "large.yml", &format!("k: {}\n", "x".repeat(4 << 20)));
    assert_eq!(values(&path, "$.k").len(), 1);
}

#[test]
fn empty_and_binary_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(&dir, "empty.yml", "  \n");
    assert!(matches!(error(&empty), ReadError::Empty { .. }));
    let path = dir.path().join("bin.yml");
    std::fs::write(&path, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    assert!(matches!(error(&path), ReadError::Malformed { .. }));
}
