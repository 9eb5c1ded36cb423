//! The PR comment (the Markdown report) as people read it: snapshots of its shape for a failing
//! build, failing tests, patch coverage with uncovered changed lines, load breaches, an all-n/a
//! change and a report cut to GitHub's 65,536 characters; a GitHub-flavoured Markdown parse
//! (comrak) of every comment; the human and Markdown reports naming every failing test,
//! unresolved import and dependency problem of the demo and every fixture workspace; the README's
//! example comment, generated here from the demo so it cannot go stale.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_evidence::Figures;
use readiness_gate::eval::{self, Context, Inputs, Outcome, Status};
use readiness_gate::evidence::Workspace;
use readiness_gate::publish::{self, Settings};
use readiness_gate::report::{self, links::Links};
use std::path::{Path, PathBuf};

mod support;
use support::root;

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

fn evaluate_in(
    workspace: &Path,
    policy: &str,
    changed_files: Option<Vec<String>>,
    inputs: &Inputs,
) -> Outcome {
    let (_, checked) =
        readiness_gate::load_policy(policy).unwrap_or_else(|d| panic!("policy: {d:#?}"));
    let evidence = Workspace::new(workspace);
    let context = Context {
        evidence: &evidence,
        today: time::macros::date!(2026 - 11 - 21),
        changed_files,
        policy_file: "readiness.gate",
        policy_source: policy,
    };
    eval::evaluate_with(&checked, &context, inputs)
}

fn evaluate_policy_file(policy: &Path, workspace: &Path) -> Outcome {
    let source = std::fs::read_to_string(policy).unwrap();
    evaluate_in(workspace, &source, None, &Inputs::default())
}

/// The demo and every fixture workspace under `policies/`.
fn cases() -> Vec<(String, Outcome)> {
    let demo = root().join("examples/demo");
    let mut cases = vec![(
        "demo".to_string(),
        evaluate_policy_file(&demo.join("readiness.gate"), &demo),
    )];
    let mut policies: Vec<PathBuf> = std::fs::read_dir(root().join("policies"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "gate"))
        .collect();
    policies.sort();
    for policy in policies {
        let stem = policy.file_stem().unwrap().to_string_lossy().into_owned();
        let Ok(entries) = std::fs::read_dir(root().join("policies/fixtures").join(&stem)) else {
            continue;
        };
        let mut workspaces: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        workspaces.sort();
        for workspace in workspaces {
            let name = format!(
                "{stem}/{}",
                workspace.file_name().unwrap().to_string_lossy()
            );
            cases.push((name, evaluate_policy_file(&policy, &workspace)));
        }
    }
    cases
}

/// The links of a run on a GitHub Enterprise Server, for snapshots.
fn links() -> Links {
    Links {
        server: "https://github.example.com".into(),
        repository: "acme/mailflow".into(),
        commit: "4f2c1e9a7b3d5c8e0f1a2b3c4d5e6f7a8b9c0d1e".into(),
        run: Some("https://github.example.com/acme/mailflow/actions/runs/42".into()),
        workspace_prefix: String::new(),
    }
}

/// Asserts what a GitHub-flavoured Markdown parser makes of the comment: every table parses
/// (as many `<table>` as table headers written), every `<details>` closes.
fn assert_parses(label: &str, markdown: &str) {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    options.render.r#unsafe = true;
    let html = comrak::markdown_to_html(markdown, &options);
    let headers = markdown
        .lines()
        .filter(|line| line.starts_with("|---") || line.starts_with("| ---"))
        .count();
    assert_eq!(
        html.matches("<table>").count(),
        headers,
        "{label}: a table did not parse:\n{markdown}\n{html}"
    );
    assert_eq!(
        html.matches("<details>").count(),
        html.matches("</details>").count(),
        "{label}: an unclosed <details>"
    );
    assert_eq!(
        markdown.matches("<details>").count(),
        html.matches("<details>").count(),
        "{label}: a <details> became text"
    );
    // Every row has as many cells as its header: no `|` from text split a row.
    let pipes = |line: &str| {
        let mut count = 0;
        let mut escaped = false;
        for c in line.chars() {
            if c == '|' && !escaped {
                count += 1;
            }
            escaped = c == '\\' && !escaped;
        }
        count
    };
    let lines: Vec<&str> = markdown.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if index == 0 || !line.starts_with("|---") {
            continue;
        }
        let header = pipes(lines[index - 1]);
        for row in lines[index + 1..].iter().take_while(|l| l.starts_with('|')) {
            assert_eq!(
                pipes(row),
                header,
                "{label}: a row does not match its header: {row}"
            );
        }
    }
}

#[test]
fn every_comment_parses_as_github_flavoured_markdown() {
    for (name, outcome) in cases() {
        assert_parses(&name, &report::markdown::render_with(&outcome, &links()));
    }
}

/// Names the artifacts of an outcome carry: failing tests, unresolved imports, dependency
/// problems, read from the artifacts themselves.
fn named_in_artifacts(outcome: &Outcome, workspace: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for item in &outcome.evidence {
        for file in &item.files {
            let Ok(evidence) = readiness_evidence::read_file(&workspace.join(&file.path), None)
            else {
                continue;
            };
            match evidence.figures {
                Figures::Tests(tests) => {
                    names.extend(tests.failures.iter().map(|c| c.name.clone()))
                }
                Figures::Build(build) => names.extend(
                    build
                        .unresolved_imports
                        .iter()
                        .map(|import| import.specifier.clone()),
                ),
                Figures::Deps(deps) => names.extend(
                    deps.problems
                        .iter()
                        .map(|p| p.lines().next().unwrap_or("").to_string()),
                ),
                _ => {}
            }
        }
    }
    names
}

#[test]
fn reports_name_every_failing_test_unresolved_import_and_dependency_problem() {
    let mut workspaces = vec![("demo".to_string(), root().join("examples/demo"))];
    for stem in ["nextjs-production", "python-service", "rust-crate"] {
        let Ok(entries) = std::fs::read_dir(root().join("policies/fixtures").join(stem)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                workspaces.push((
                    format!("{stem}/{}", path.file_name().unwrap().to_string_lossy()),
                    path,
                ));
            }
        }
    }
    let mut checked = 0;
    for (name, outcome) in cases() {
        let (_, workspace) = workspaces.iter().find(|(n, _)| *n == name).unwrap();
        let human = report::human::render_with(
            &outcome,
            &report::human::Options {
                color: false,
                width: 100_000,
            },
        );
        let markdown = report::markdown::render_with(&outcome, &links());
        for named in named_in_artifacts(&outcome, workspace) {
            assert!(
                human.contains(&report::escape::terminal(&named)),
                "{name}: the human report does not name `{named}`:\n{human}"
            );
            assert!(
                clean(&markdown).contains(&clean(&report::escape::markdown(&named))),
                "{name}: the Markdown report does not name `{named}`:\n{markdown}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} names found in the artifacts");
}

/// Markdown without the break opportunities and zero-width spaces the escaping adds.
fn clean(markdown: &str) -> String {
    markdown.replace("<wbr>", "").replace('\u{200B}', "")
}

/// A workspace in a temporary directory with `files` (path, content).
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

fn demo_file(path: &str) -> String {
    std::fs::read_to_string(root().join("examples/demo").join(path)).unwrap()
}

fn comment(outcome: &Outcome) -> String {
    let markdown = report::markdown::render_with(outcome, &links());
    assert_parses("snapshot", &markdown);
    markdown
}

#[test]
fn comment_of_a_failing_build() {
    let log = demo_file("logs/build.log");
    let dir = workspace(&[("logs/build.log", &log)]);
    let policy = r#"policy "web" {
  target 90%
  evidence { build = build_log("logs/build.log") }
  category infrastructure weight 1 {
    gate "production build passes" blocker {
      expect build.succeeded
      expect build.unresolved_imports == 0
    }
  }
}
"#;
    let outcome = evaluate_in(dir.path(), policy, None, &Inputs::default());
    settings().bind(|| insta::assert_snapshot!("comment__failing_build", comment(&outcome)));
}

#[test]
fn comment_of_failing_tests() {
    let junit = demo_file("reports/junit/jest.xml");
    let dir = workspace(&[("reports/junit.xml", &junit)]);
    let policy = r#"policy "web" {
  target 90%
  evidence { tests = junit("reports/junit.xml") }
  category reliability weight 1 {
    gate "unit tests pass" blocker {
      expect tests.failed + tests.errors == 0
    }
  }
}
"#;
    let outcome = evaluate_in(dir.path(), policy, None, &Inputs::default());
    settings().bind(|| insta::assert_snapshot!("comment__failing_tests", comment(&outcome)));
}

#[test]
fn comment_of_patch_coverage_with_uncovered_changed_lines() {
    let lcov = "TN:\nSF:src/app.ts\nDA:1,1\nDA:2,0\nDA:3,0\nDA:4,1\nDA:5,0\nDA:9,1\nend_of_record\nSF:src/new.ts\nDA:1,1\nDA:2,0\nend_of_record\n";
    let dir = workspace(&[("coverage/lcov.info", lcov)]);
    let diff = "diff --git a/src/app.ts b/src/app.ts\n--- a/src/app.ts\n+++ b/src/app.ts\n@@ -0,0 +1,5 @@\n+a\n+b\n+c\n+d\n+e\ndiff --git a/src/new.ts b/src/new.ts\n--- /dev/null\n+++ b/src/new.ts\n@@ -0,0 +1,2 @@\n+a\n+b\n";
    let policy = r#"policy "web" {
  target 90%
  evidence { coverage = coverage("coverage/lcov.info") }
  category quality weight 1 {
    gate "changed lines are tested" {
      expect coverage.patch.lines >= 80%
    }
  }
}
"#;
    let inputs = Inputs {
        changed_lines: Some(eval::patch::ChangedLines::from_diff(diff, "a patch")),
        ..Inputs::default()
    };
    let outcome = evaluate_in(dir.path(), policy, None, &inputs);
    let markdown = comment(&outcome);
    assert!(markdown.contains("2–3"), "{markdown}");
    settings().bind(|| insta::assert_snapshot!("comment__patch_coverage", markdown));
}

#[test]
fn comment_of_load_breaches() {
    let corpus = root().join("corpus/native/locust-csv-mixed");
    let stats = std::fs::read_to_string(corpus.join("tenant_stats.csv")).unwrap();
    let dir = workspace(&[("load/tenant_stats.csv", &stats)]);
    let policy = r#"policy "web" {
  target 90%
  evidence { tenant = load("load/tenant_stats.csv") }
  category performance weight 1 {
    gate "tenant load" {
      expect tenant.p95 < 500ms
      expect tenant.error_rate < 1%
    }
  }
}
"#;
    let outcome = evaluate_in(dir.path(), policy, None, &Inputs::default());
    let markdown = comment(&outcome);
    assert!(
        clean(&markdown).contains("/tenants/&#91;slug&#93;/invoice"),
        "{markdown}"
    );
    settings().bind(|| insta::assert_snapshot!("comment__load_breaches", markdown));
}

#[test]
fn comment_of_a_change_where_every_gate_is_not_applicable() {
    let dir = workspace(&[("src/app.ts", "export {}\n")]);
    let policy = r#"policy "web" {
  target 90%
  category quality weight 1 {
    gate "app has a test" when changed("src/**") {
      expect exists("src/app.test.ts")
    }
  }
}
"#;
    let outcome = evaluate_in(
        dir.path(),
        policy,
        Some(vec!["docs/readme.md".to_string()]),
        &Inputs::default(),
    );
    assert!(outcome.ready, "{}", outcome.reason);
    let gate = &outcome.categories[0].gates[0];
    assert_eq!(gate.status, Status::NotApplicable);
    let publication = publish::publication(&outcome, &Settings::default());
    assert_eq!(
        publication.conclusion,
        readiness_github::Conclusion::Neutral
    );
    assert!(
        publication.title.starts_with("Ready: nothing to judge"),
        "{}",
        publication.title
    );
    settings().bind(|| insta::assert_snapshot!("comment__all_not_applicable", comment(&outcome)));
}

#[test]
fn comment_cut_to_the_limit_drops_findings_first_and_names_the_cut() {
    // 3,000 failing tests with long messages: far more than 65,536 characters of findings.
    let mut cases = String::new();
    for i in 0..3000 {
        cases.push_str(&format!(
            "<testcase classname=\"suite{i}\" name=\"case {i} handles a long and descriptive scenario name\" file=\"src/t{i}.test.ts\" line=\"{i}\"><failure message=\"expected {i} to equal {} but it did not, after a long wait\">trace</failure></testcase>\n",
            i + 1
        ));
    }
    let junit = format!(
        "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"s\" tests=\"3000\" failures=\"3000\">\n{cases}</testsuite></testsuites>\n"
    );
    let dir = workspace(&[("reports/junit.xml", &junit)]);
    let mut policy = String::from(
        "policy \"web\" {\n  target 90%\n  evidence { tests = junit(\"reports/junit.xml\") }\n  category reliability weight 1 {\n",
    );
    for i in 0..150 {
        policy.push_str(&format!(
            "    gate \"unit tests pass, shard {i} of a long list of gates\" {{\n      expect tests.failed == 0\n    }}\n"
        ));
    }
    policy.push_str("  }\n}\n");
    let outcome = evaluate_in(dir.path(), &policy, None, &Inputs::default());
    let publication = publish::publication(
        &outcome,
        &Settings {
            links: links(),
            ..Settings::default()
        },
    );
    let fitted = readiness_github::truncate::fit(
        &publication,
        readiness_github::truncate::COMMENT_LIMIT,
        100,
        "the check run and the job summary",
    );
    assert!(fitted.truncated());
    assert!(fitted.text.chars().count() <= 65_536 - 100);
    assert!(
        fitted
            .dropped
            .iter()
            .any(|label| label == "what the artifacts say"),
        "{:?}",
        fitted.dropped
    );
    assert!(!fitted.text.contains("### What the artifacts say"));
    assert!(
        !fitted
            .dropped
            .iter()
            .any(|label| label == "gates not passed"),
        "{:?}",
        fitted.dropped
    );
    assert!(fitted.text.contains("### Gates not passed"));
    assert!(
        fitted.text.contains("what the artifacts say"),
        "the cut is not named"
    );
    // The tail of the comment: where the cut is named.
    let tail: String = {
        let chars: Vec<char> = fitted.text.chars().collect();
        chars[chars.len().saturating_sub(600)..].iter().collect()
    };
    settings().bind(|| insta::assert_snapshot!("comment__cut_to_the_limit_tail", tail));
}

/// The README's example comment is this test's output for the demo: if it differs, the README
/// is rewritten (run the test once with `README_UPDATE=1`) and the test fails until committed.
#[test]
fn readme_example_comment_is_generated_from_the_demo() {
    let demo = root().join("examples/demo");
    let outcome = evaluate_policy_file(&demo.join("readiness.gate"), &demo);
    let links = Links {
        workspace_prefix: "examples/demo".into(),
        ..links()
    };
    let markdown = report::markdown::render_with(&outcome, &links);
    assert_parses("readme", &markdown);
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let begin = "<!-- example-comment:begin (generated by tests/report_comment.rs) -->\n";
    let end = "<!-- example-comment:end -->";
    let start = readme.find(begin).expect("README has no example comment") + begin.len();
    let stop = start + readme[start..].find(end).unwrap();
    let expected = format!("````markdown\n{markdown}````\n");
    if readme[start..stop] != expected {
        if std::env::var_os("README_UPDATE").is_some() {
            let updated = format!("{}{expected}{}", &readme[..start], &readme[stop..]);
            std::fs::write(&readme_path, updated).unwrap();
        }
        panic!("the README's example comment is stale; run `README_UPDATE=1 cargo test --test report_comment readme` and commit README.md");
    }
}

#[test]
fn reporters_do_not_reach_into_publish() {
    for entry in std::fs::read_dir(root().join("src/report")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("crate::publish"),
            "{} imports src/publish.rs",
            path.display()
        );
    }
}
