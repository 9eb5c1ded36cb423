//! The report formats for other consumers (SARIF, JUnit, workflow commands) and the publication
//! handed to `readiness-github`, on the demo, the passing example and every policy fixture.
//!
//! SARIF is validated against the OASIS SARIF 2.1.0 schema (tests/fixtures/sarif/, see its
//! README); JUnit is read back with our own JUnit reader, whose counts must match.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_evidence::{Figures, Format};
use readiness_gate::eval::{self, Context, FindingKind, Outcome};
use readiness_gate::evidence::Workspace;
use readiness_gate::publish::{self, Settings};
use readiness_gate::report;
use readiness_github::{AnnotationLevel, Conclusion};
use serde_json::Value;
use std::path::{Path, PathBuf};

mod support;
use support::root;

fn evaluate(policy_path: &Path, workspace: &Path) -> Outcome {
    let source = std::fs::read_to_string(policy_path).unwrap();
    let (_, checked) = readiness_gate::load_policy(&source)
        .unwrap_or_else(|d| panic!("{} does not check: {d:#?}", policy_path.display()));
    let evidence = Workspace::new(workspace);
    let file = policy_path
        .strip_prefix(workspace)
        .unwrap_or(Path::new(policy_path.file_name().unwrap()))
        .to_string_lossy()
        .into_owned();
    let context = Context {
        evidence: &evidence,
        today: time::macros::date!(2026 - 11 - 21),
        changed_files: None,
        policy_file: &file,
        policy_source: &source,
    };
    eval::evaluate(&checked, &context)
}

/// (name, workspace prefix in the repository, outcome) for every example and fixture.
fn cases() -> Vec<(String, String, Outcome)> {
    let mut cases = Vec::new();
    for example in ["demo", "passing"] {
        let workspace = root().join("examples").join(example);
        cases.push((
            example.to_string(),
            format!("examples/{example}"),
            evaluate(&workspace.join("readiness.gate"), &workspace),
        ));
    }
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
            let case = workspace
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            cases.push((
                format!("{stem}/{case}"),
                format!("policies/fixtures/{stem}/{case}"),
                evaluate(&policy, &workspace),
            ));
        }
    }
    assert!(cases.len() >= 4, "examples and fixtures not found");
    cases
}

fn demo() -> Outcome {
    let workspace = root().join("examples/demo");
    evaluate(&workspace.join("readiness.gate"), &workspace)
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json"))
        .unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    // The official schema's `language` pattern (of `run` and `toolComponent`, properties we
    // never write) is not a valid regular expression (a stray `]`); with format checks on, the
    // meta-schema rejects it, so it is replaced by what it means. Nothing else is touched.
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    for pointer in [
        "/definitions/run/properties/language/pattern",
        "/definitions/toolComponent/properties/language/pattern",
    ] {
        let pattern = schema.pointer_mut(pointer).unwrap();
        assert_eq!(pattern, BROKEN);
        *pattern = Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    assert!(!schema.to_string().contains(BROKEN));
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|e| format!("{e} at `{}`", e.instance_path()))
        .collect()
}

#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema_with_non_empty_locations() {
    let validator = sarif_validator();
    for (name, prefix, outcome) in cases() {
        let text = report::sarif::render(&outcome, &prefix);
        let log: Value = serde_json::from_str(&text).unwrap();
        let errors = schema_errors(&validator, &log);
        assert!(
            errors.is_empty(),
            "{name}: SARIF invalid:\n{}",
            errors.join("\n")
        );

        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let gates: usize = outcome.categories.iter().map(|c| c.gates.len()).sum();
        assert!(rules.len() >= gates, "{name}: one rule per gate");
        let ids: std::collections::BTreeSet<_> =
            rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), rules.len(), "{name}: rule ids are unique");
        let failing: usize = outcome
            .categories
            .iter()
            .flat_map(|c| &c.gates)
            .filter(|g| report::concern(g).is_some())
            .flat_map(|g| &g.expectations)
            .filter(|e| matches!(e.status, eval::Status::Fail | eval::Status::Unknown))
            .count();
        let results = run["results"].as_array().unwrap();
        assert!(
            results.len() >= failing,
            "{name}: a result per expectation not passed"
        );
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(
                rules[index]["id"], result["ruleId"],
                "{name}: ruleIndex points at its rule"
            );
            let locations = result["locations"].as_array().unwrap();
            assert!(!locations.is_empty(), "{name}: every result has a location");
            for location in locations {
                let physical = &location["physicalLocation"];
                let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
                assert!(
                    !uri.is_empty() && !uri.starts_with('/'),
                    "{name}: `{uri}` is repository-relative"
                );
                assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
            }
        }
    }
}

#[test]
fn sarif_of_the_demo_points_at_the_policy_and_the_build_log() {
    let log: Value =
        serde_json::from_str(&report::sarif::render(&demo(), "examples/demo")).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let first = &results[0];
    assert_eq!(first["ruleId"], "gate/production-build-passes");
    assert_eq!(first["level"], "error");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "examples/demo/readiness.gate"
    );
    assert_eq!(location["region"]["startLine"], 19);
    assert_eq!(location["region"]["startColumn"], 14);
    assert_eq!(
        first["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/demo/logs/build.log"
    );
    // The waived gate is reported, suppressed with the waiver's reason.
    let waived = results
        .iter()
        .find(|r| r["ruleId"] == "gate/no-dependency-conflicts")
        .unwrap();
    assert_eq!(waived["suppressions"][0]["status"], "accepted");
    // The advisory gate is a warning; the unresolved imports point at the source files.
    assert!(results
        .iter()
        .any(|r| r["ruleId"] == "gate/stress" && r["level"] == "warning"));
    let imports: Vec<_> = results
        .iter()
        .filter(|r| r["ruleId"] == "evidence/unresolved-import")
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(imports.len(), 3, "{imports:?}");
    assert!(imports.contains(&"examples/demo/app/campaigns/page.tsx"));
    assert_eq!(log["runs"][0]["properties"]["verdict"], "not_ready");
}

#[test]
fn the_schema_check_rejects_broken_sarif() {
    // The validator is not vacuous: a log without `version`, or with an empty URI-less location
    // region, fails.
    let validator = sarif_validator();
    let mut log: Value = serde_json::from_str(&report::sarif::render(&demo(), "")).unwrap();
    log.as_object_mut().unwrap().remove("version");
    assert!(!schema_errors(&validator, &log).is_empty());
    let mut log: Value = serde_json::from_str(&report::sarif::render(&demo(), "")).unwrap();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!schema_errors(&validator, &log).is_empty());
}

#[test]
fn sarif_uris_are_encoded() {
    assert_eq!(report::sarif::uri("a dir/x#1.gate"), "a%20dir/x%231.gate");
    assert_eq!(report::sarif::uri("/abs/p.gate"), "file:///abs/p.gate");
    assert_eq!(report::sarif::uri("C:/w/p.gate"), "file:///C%3A/w/p.gate");
}

fn attribute(xml: &str, element: &str, name: &str) -> u64 {
    let start = xml.find(&format!("<{element} ")).unwrap();
    let tag = &xml[start..start + xml[start..].find('>').unwrap()];
    let key = format!(" {name}=\"");
    let at = tag.find(&key).unwrap() + key.len();
    tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
}

#[test]
fn junit_reads_back_with_consistent_counts() {
    let dir = tempfile::tempdir().unwrap();
    for (name, prefix, outcome) in cases() {
        let xml = report::junit::render(&outcome, &prefix);
        let path = dir.path().join("readiness.xml");
        std::fs::write(&path, &xml).unwrap();
        let evidence = readiness_evidence::read_file(&path, Some(Format::Junit))
            .unwrap_or_else(|e| panic!("{name}: our JUnit reader refuses the report: {e}\n{xml}"));
        let Figures::Tests(tests) = evidence.figures else {
            panic!("{name}: not test figures");
        };
        let gates: u64 = outcome
            .categories
            .iter()
            .map(|c| c.gates.len() as u64)
            .sum();
        assert_eq!(tests.total, gates, "{name}: a test case per gate");
        assert_eq!(
            attribute(&xml, "testsuites", "tests"),
            tests.total,
            "{name}"
        );
        assert_eq!(
            attribute(&xml, "testsuites", "failures"),
            tests.failed,
            "{name}"
        );
        assert_eq!(
            attribute(&xml, "testsuites", "errors"),
            tests.errors,
            "{name}"
        );
        assert_eq!(
            attribute(&xml, "testsuites", "skipped"),
            tests.skipped,
            "{name}"
        );
        assert_eq!(
            xml.matches("<testsuite ").count(),
            outcome.categories.len(),
            "{name}: a suite per category"
        );
        let passing = outcome
            .categories
            .iter()
            .flat_map(|c| &c.gates)
            .filter(|g| g.status == eval::Status::Pass)
            .count() as u64;
        assert_eq!(tests.passed, passing, "{name}");
    }
}

#[test]
fn junit_of_the_demo_maps_each_status() {
    let xml = report::junit::render(&demo(), "examples/demo");
    let case = |gate: &str| {
        let start = xml.find(&format!("name=\"{gate}\"")).unwrap();
        let end = start
            + xml[start..]
                .find("</testcase>")
                .or_else(|| xml[start..].find("/>"))
                .unwrap();
        xml[start..end].to_string()
    };
    assert!(case("production build passes").contains("<failure type=\"fail\""));
    assert!(case("production build passes")
        .contains("file=\"examples/demo/readiness.gate\" line=\"18\""));
    assert!(case("stress").contains("<skipped message=\"advisory gate unknown (not scored)"));
    assert!(case("no dependency conflicts").contains("<skipped message=\"waived until 2099-12-31"));
    assert!(!case("health endpoint exists").contains("<failure"));
}

#[test]
fn junit_unknown_gates_are_errors() {
    // The python-service fixture has evidence missing: its unknown gates are <error>s.
    let all = cases();
    let with_unknown = all.iter().find(|(_, _, o)| {
        o.categories.iter().flat_map(|c| &c.gates).any(|g| {
            g.status == eval::Status::Unknown
                && g.severity != readiness_gate::syntax::ast::Severity::Advisory
        })
    });
    if let Some((name, prefix, outcome)) = with_unknown {
        let xml = report::junit::render(outcome, prefix);
        assert!(xml.contains("<error type=\"unknown\""), "{name}");
    }
}

#[test]
fn markdown_render_is_its_sections_joined() {
    for (name, _, outcome) in cases() {
        let sections = report::markdown::sections(&outcome);
        assert_eq!(sections[0].priority, 0, "{name}: the verdict comes first");
        let joined = sections
            .iter()
            .map(|s| s.markdown.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
            + "\n";
        assert_eq!(joined, report::markdown::render(&outcome), "{name}");
    }
}

#[test]
fn the_demo_publication() {
    let outcome = demo();
    let settings = Settings {
        check_name: "readiness".into(),
        workspace_prefix: "examples/demo".into(),
        report_json: Some(PathBuf::from("/tmp/r.json")),
        ..Settings::default()
    };
    let publication = publish::publication(&outcome, &settings);
    assert_eq!(publication.conclusion, Conclusion::Failure);
    assert_eq!(
        publication.title,
        "Not ready: 49.5% (target 90%), 2 blockers failed, 3 other gates failed, 1 advisory gate failed"
    );
    let order: Vec<(&str, u32)> = publication
        .sections
        .iter()
        .map(|s| (s.label.as_str(), s.priority))
        .collect();
    assert_eq!(
        order,
        [
            ("verdict", 0),
            ("gates not passed", 1),
            ("what the artifacts say", 7),
            ("categories", 2),
            ("all gates", 3),
            ("evidence", 4),
            ("waivers", 5)
        ]
    );
    assert!(!publication.outputs.ready);
    assert_eq!(publication.outputs.score, "49.5");
    assert_eq!(publication.outputs.level, "");

    // Blockers first, at the expectation's line and column in the policy.
    let prepared = readiness_github::annotations::prepare(&publication.annotations, None, 1000);
    let first = &prepared.kept[0];
    assert_eq!(first.path, "examples/demo/readiness.gate");
    assert_eq!((first.start_line, first.start_column), (19, Some(14)));
    assert_eq!(first.level, AnnotationLevel::Failure);
    assert!(first
        .title
        .as_deref()
        .unwrap()
        .starts_with("blocker `production build passes`"));
    let imports: Vec<_> = prepared
        .kept
        .iter()
        .filter(|a| {
            a.title
                .as_deref()
                .unwrap_or("")
                .starts_with("unresolved import")
        })
        .collect();
    assert_eq!(imports.len(), 3);
    assert!(imports
        .iter()
        .all(|a| a.path.starts_with("examples/demo/app/") && a.level == AnnotationLevel::Failure));
    // Blocker findings come before the scored gates' annotations.
    let position = |title: &str| {
        prepared
            .kept
            .iter()
            .position(|a| a.title.as_deref().unwrap_or("").starts_with(title))
            .unwrap()
    };
    assert!(position("unresolved import") < position("gate `line coverage`"));
    assert_eq!(
        prepared.kept.last().unwrap().level,
        AnnotationLevel::Notice,
        "the waived gate last"
    );

    // The outcome carries the findings (and the JSON report shows them).
    let build = outcome.evidence.iter().find(|e| e.name == "build").unwrap();
    assert_eq!(build.findings.len(), 3);
    assert!(build
        .findings
        .iter()
        .all(|f| f.kind == FindingKind::UnresolvedImport));
    assert!(report::json::render(&outcome).contains("\"unresolved_import\""));
}

fn inline(policy: &str, files: &[&str]) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        std::fs::write(dir.path().join(file), "x").unwrap();
    }
    std::fs::write(dir.path().join("readiness.gate"), policy).unwrap();
    evaluate(&dir.path().join("readiness.gate"), dir.path())
}

#[test]
fn conclusions_success_failure_and_neutral() {
    let policy = r#"policy "p" {
  target 50%
  category c weight 1 {
    gate "present" { expect exists("a.txt") }
    gate "nice to have" advisory { expect exists("b.txt") }
  }
}
"#;
    let neutral = inline(policy, &["a.txt"]);
    assert!(neutral.ready);
    assert_eq!(publish::conclusion(&neutral), Conclusion::Neutral);
    assert_eq!(
        publish::title(&neutral),
        "Ready: 100% (target 50%), 1 advisory gate failed"
    );

    let success = inline(policy, &["a.txt", "b.txt"]);
    assert_eq!(publish::conclusion(&success), Conclusion::Success);
    assert_eq!(publish::title(&success), "Ready: 100% (target 50%)");

    let failure = inline(policy, &[]);
    assert_eq!(publish::conclusion(&failure), Conclusion::Failure);
    assert_eq!(
        publish::title(&failure),
        "Not ready: 0% (target 50%), 1 gate failed, 1 advisory gate failed"
    );

    let passing = root().join("examples/passing");
    let outcome = evaluate(&passing.join("readiness.gate"), &passing);
    assert_eq!(publish::conclusion(&outcome), Conclusion::Success);
    assert!(publish::title(&outcome).starts_with("Ready: "));
}

#[test]
fn github_format_is_workflow_commands() {
    let text = report::github::render(&demo(), "examples/demo", None);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=examples/demo/readiness.gate,line=19,endLine=19,col=14,title=blocker `production build passes` failed::"),
        "{first}"
    );
    // `%` and newlines are escaped in messages.
    assert!(text.contains("coverage.lines >= 70%25%0Ameasured 69.07%25"));
    assert!(
        text.lines().filter(|l| l.starts_with("::error ")).count() <= 10,
        "GitHub's per-step cap"
    );
    assert_eq!(
        text.lines().last().unwrap(),
        "readiness-gate: Not ready: 49.5% (target 90%), 2 blockers failed, 3 other gates failed, 1 advisory gate failed"
    );
}
