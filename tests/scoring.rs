//! Scoring and evaluation semantics, with a fake evidence source (canned figures, an in-memory
//! workspace) and an injected `today`: weights, points, blockers, advisory, unknown, waivers
//! (active, expired, stale), n/a, levels, exact boundaries, missing and incomplete evidence,
//! division by zero, three-valued `and`/`or`, and searches over no file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_evidence::{
    CoverageFigures, Evidence, Figures, Format, Kind, LoadFigures, Provenance, Ratio, ReadError,
    TestFigures,
};
use readiness_gate::eval::{self, Context, ExpectationOutcome, GateOutcome, Outcome, Status};
use readiness_gate::evidence::EvidenceSource;
use std::collections::BTreeMap;
use std::path::PathBuf;
use time::macros::date;

/// An in-memory workspace: text files, and canned evidence for artifact paths.
#[derive(Default)]
struct FakeSource {
    files: Vec<String>,
    texts: BTreeMap<String, String>,
    artifacts: BTreeMap<String, Figures>,
}

impl FakeSource {
    fn new() -> FakeSource {
        FakeSource::default()
    }

    fn text(mut self, path: &str, text: &str) -> FakeSource {
        self.files.push(path.to_string());
        self.files.sort();
        self.texts.insert(path.to_string(), text.to_string());
        self
    }

    fn artifact(mut self, path: &str, figures: Figures) -> FakeSource {
        self.files.push(path.to_string());
        self.files.sort();
        self.artifacts.insert(path.to_string(), figures);
        self
    }
}

fn format_of(figures: &Figures) -> Format {
    match figures {
        Figures::Coverage(_) => Format::Lcov,
        Figures::Tests(_) => Format::Junit,
        Figures::Load(_) => Format::K6,
        other => panic!("no canned format for {other:?}"),
    }
}

impl EvidenceSource for FakeSource {
    fn files(&self) -> Result<&[String], String> {
        Ok(&self.files)
    }

    fn read(&self, relative: &str) -> Result<Vec<u8>, String> {
        self.texts
            .get(relative)
            .map(|text| text.as_bytes().to_vec())
            .ok_or_else(|| format!("cannot read `{relative}`"))
    }

    /// The canned figures of the first file (shards are merged by the real readers; here the
    /// first file stands for the merged result).
    fn artifact(
        &self,
        relatives: &[String],
        format: Option<Format>,
    ) -> Result<Evidence, ReadError> {
        let first = relatives.first().ok_or(ReadError::NoFiles)?;
        let figures =
            self.artifacts
                .get(first)
                .cloned()
                .ok_or_else(|| ReadError::UnknownFormat {
                    path: PathBuf::from(first),
                    detail: "not a canned artifact".to_string(),
                })?;
        let format = format.unwrap_or_else(|| format_of(&figures));
        Ok(Evidence {
            kind: format.kind(),
            format,
            figures,
            provenance: relatives
                .iter()
                .map(|path| Provenance {
                    path: PathBuf::from(path),
                    format,
                    sha256: "0".repeat(64),
                    bytes: 100,
                })
                .collect(),
        })
    }
}

fn coverage(covered: u64, total: u64) -> Figures {
    Figures::Coverage(CoverageFigures {
        lines: Some(Ratio { covered, total }),
        files: 1,
        ..CoverageFigures::default()
    })
}

fn tests(total: u64, passed: u64, failed: u64, skipped: u64) -> Figures {
    Figures::Tests(TestFigures {
        total,
        passed,
        failed,
        errors: 0,
        skipped,
        duration_s: Some(12.5),
        failures: Vec::new(),
    })
}

const TODAY: time::Date = date!(2026 - 06 - 15);

fn run(policy: &str, source: &FakeSource) -> Outcome {
    run_with(policy, source, TODAY, None)
}

fn run_with(
    policy: &str,
    source: &FakeSource,
    today: time::Date,
    changed: Option<&[&str]>,
) -> Outcome {
    let (_, checked) = match readiness_gate::load_policy(policy) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            let rendered = readiness_gate::report::diagnostics::render(
                &diagnostics,
                "test.gate",
                policy,
                false,
                100,
            );
            panic!("the test policy does not load:\n{rendered}");
        }
    };
    let context = Context {
        evidence: source,
        today,
        changed_files: changed.map(|files| files.iter().map(|f| f.to_string()).collect()),
        policy_file: "test.gate",
        policy_source: policy,
    };
    eval::evaluate(&checked, &context)
}

fn gate<'o>(outcome: &'o Outcome, name: &str) -> &'o GateOutcome {
    outcome
        .categories
        .iter()
        .flat_map(|category| &category.gates)
        .find(|gate| gate.name == name)
        .unwrap_or_else(|| panic!("no gate `{name}`"))
}

fn expectation<'o>(outcome: &'o Outcome, name: &str) -> &'o ExpectationOutcome {
    &gate(outcome, name).expectations[0]
}

fn score(outcome: &Outcome) -> &str {
    &outcome.score.as_ref().expect("a score").display
}

/// A policy with the given body inside `policy "t" { target ...`.
fn policy(target: &str, body: &str) -> String {
    format!("policy \"t\" {{\n  target {target}\n{body}\n}}\n")
}

/// A workspace where `exists("yes")` passes and `exists("no")` fails.
fn workspace() -> FakeSource {
    FakeSource::new().text("yes", "present")
}

// ---------------------------------------------------------------------------------------------
// Weights and points

#[test]
fn weights_combine_category_shares() {
    let src = policy(
        "50%",
        r#"
  category a weight 1 {
    gate "a1" { expect exists("yes") }
  }
  category b weight 3 {
    gate "b1" { expect exists("yes") }
    gate "b2" { expect exists("no") }
  }"#,
    );
    let outcome = run(&src, &workspace());
    // (1 * 100% + 3 * 50%) / 4 = 62.5%
    assert_eq!(score(&outcome), "62.5%");
    assert!(outcome.ready);
    assert_eq!(
        outcome.categories[0].share.as_ref().unwrap().display,
        "100%"
    );
    assert_eq!(outcome.categories[1].share.as_ref().unwrap().display, "50%");
    assert_eq!(
        outcome.categories[0].contribution.as_ref().unwrap().display,
        "25%"
    );
    assert_eq!(
        outcome.categories[1].contribution.as_ref().unwrap().display,
        "37.5%"
    );
}

#[test]
fn weights_need_not_add_up_to_100() {
    let src = policy(
        "50%",
        r#"
  category a weight 0.5 {
    gate "a1" { expect exists("yes") }
  }
  category b weight 1.5 {
    gate "b1" { expect exists("no") }
  }"#,
    );
    assert_eq!(score(&run(&src, &workspace())), "25%");
}

#[test]
fn points_weigh_gates_within_a_category() {
    let src = policy(
        "70%",
        r#"
  category a weight 1 {
    gate "big" points 3 { expect exists("yes") }
    gate "small" { expect exists("no") }
  }"#,
    );
    let outcome = run(&src, &workspace());
    assert_eq!(score(&outcome), "75%");
    assert_eq!(outcome.categories[0].points_passed, 3.0);
    assert_eq!(outcome.categories[0].points_counted, 4.0);
    assert!(outcome.ready);
}

#[test]
fn score_equal_to_target_is_ready() {
    let src = policy(
        "50%",
        r#"
  category a weight 1 {
    gate "pass" { expect exists("yes") }
    gate "fail" { expect exists("no") }
  }"#,
    );
    let outcome = run(&src, &workspace());
    assert_eq!(score(&outcome), "50%");
    assert!(outcome.ready, "{}", outcome.reason);
}

#[test]
fn score_display_is_truncated_never_rounded_up() {
    let src = policy(
        "66.67%",
        r#"
  category a weight 1 {
    gate "p1" { expect exists("yes") }
    gate "p2" { expect exists("yes") }
    gate "f" { expect exists("no") }
  }"#,
    );
    let outcome = run(&src, &workspace());
    assert_eq!(score(&outcome), "66.66%");
    assert!(!outcome.ready, "2/3 is below 66.67%");
    assert!(outcome.reason.contains("66.66%"), "{}", outcome.reason);
}

// ---------------------------------------------------------------------------------------------
// Severity

#[test]
fn a_failed_blocker_makes_the_verdict_not_ready_whatever_the_score() {
    let src = policy(
        "10%",
        r#"
  category a weight 1 {
    gate "must" blocker { expect exists("no") }
    gate "p1" points 9 { expect exists("yes") }
  }"#,
    );
    let outcome = run(&src, &workspace());
    assert_eq!(score(&outcome), "90%");
    assert!(!outcome.ready);
    assert!(
        outcome.reason.contains("`must` (failed)"),
        "{}",
        outcome.reason
    );
}

#[test]
fn an_unknown_blocker_makes_the_verdict_not_ready() {
    let src = policy(
        "10%",
        r#"
  evidence { tests = junit("reports/*.xml") }
  category a weight 1 {
    gate "tests" blocker { expect tests.failed == 0 }
    gate "p1" points 9 { expect exists("yes") }
  }"#,
    );
    let outcome = run(&src, &workspace());
    assert_eq!(gate(&outcome, "tests").status, Status::Unknown);
    assert!(!outcome.ready);
    assert!(
        outcome.reason.contains("`tests` (unknown)"),
        "{}",
        outcome.reason
    );
}

#[test]
fn advisory_gates_are_reported_never_counted_never_blocking() {
    let src = policy(
        "100%",
        r#"
  category a weight 1 {
    gate "ok" { expect exists("yes") }
    gate "advice failing" advisory { expect exists("no") }
    gate "advice passing" advisory { expect exists("yes") }
  }"#,
    );
    let outcome = run(&src, &workspace());
    assert_eq!(gate(&outcome, "advice failing").status, Status::Fail);
    assert!(!gate(&outcome, "advice failing").counted);
    assert!(!gate(&outcome, "advice passing").counted);
    assert_eq!(outcome.categories[0].points_counted, 1.0);
    assert_eq!(score(&outcome), "100%");
    assert!(outcome.ready);
}

#[test]
fn only_advisory_gates_give_no_score_and_not_ready() {
    let src = policy(
        "50%",
        r#"
  category a weight 1 {
    gate "advice" advisory { expect exists("yes") }
  }"#,
    );
    let outcome = run(&src, &workspace());
    assert!(outcome.score.is_none());
    assert!(!outcome.ready);
    assert!(outcome.categories[0].share.is_none());
}

// ---------------------------------------------------------------------------------------------
// Unknown

#[test]
fn unknown_scores_zero_and_stays_in_the_denominator() {
    let src = policy(
        "50%",
        r#"
  evidence { coverage = coverage("coverage/lcov.info") }
  category a weight 1 {
    gate "ok" { expect exists("yes") }
    gate "coverage" { expect coverage.lines >= 70% }
  }"#,
    );
    let outcome = run(&src, &workspace());
    let coverage = gate(&outcome, "coverage");
    assert_eq!(coverage.status, Status::Unknown);
    assert!(coverage.counted);
    assert_eq!(score(&outcome), "50%");
}

#[test]
fn a_missing_artifact_is_unknown_and_says_why() {
    let src = policy(
        "50%",
        r#"
  evidence { coverage = coverage("coverage/lcov.info") }
  category a weight 1 {
    gate "coverage" { expect coverage.lines >= 70% }
  }"#,
    );
    let outcome = run(&src, &workspace());
    let e = expectation(&outcome, "coverage");
    assert_eq!(e.status, Status::Unknown);
    assert_eq!(e.actual, None);
    assert_eq!(e.required.as_deref(), Some(">= 70%"));
    assert_eq!(
        e.reason.as_deref(),
        Some("no artifact for `coverage`: no file matches `coverage/lcov.info`")
    );
    assert_eq!(outcome.evidence[0].status, "missing");
    assert!(!outcome.ready);
}

#[test]
fn an_incomplete_set_of_shards_is_unknown() {
    let src = policy(
        "50%",
        r#"
  evidence { coverage = coverage("coverage/*/lcov.info") shards 4 }
  category a weight 1 {
    gate "coverage" { expect coverage.lines >= 70% }
  }"#,
    );
    let source = FakeSource::new()
        .artifact("coverage/1/lcov.info", coverage(90, 100))
        .artifact("coverage/2/lcov.info", coverage(90, 100))
        .artifact("coverage/3/lcov.info", coverage(90, 100));
    let outcome = run(&src, &source);
    let e = expectation(&outcome, "coverage");
    assert_eq!(
        e.status,
        Status::Unknown,
        "90% must not pass with a shard missing"
    );
    assert!(
        e.reason
            .as_deref()
            .unwrap()
            .contains("3 of 4 shards present"),
        "{:?}",
        e.reason
    );
    assert_eq!(outcome.evidence[0].status, "incomplete");
    assert_eq!(outcome.evidence[0].files.len(), 3);

    let complete = source.artifact("coverage/4/lcov.info", coverage(90, 100));
    let outcome = run(&src, &complete);
    assert_eq!(expectation(&outcome, "coverage").status, Status::Pass);
    assert_eq!(outcome.evidence[0].status, "read");
    assert_eq!(outcome.evidence[0].files.len(), 4);
}

#[test]
fn a_figure_the_artifact_does_not_carry_is_unknown() {
    let src = policy(
        "50%",
        r#"
  evidence { coverage = coverage("lcov.info") }
  category a weight 1 {
    gate "branches" { expect coverage.branches >= 50% }
  }"#,
    );
    let source = FakeSource::new().artifact("lcov.info", coverage(90, 100));
    let e = expectation(&run(&src, &source), "branches").clone();
    assert_eq!(e.status, Status::Unknown);
    assert_eq!(
        e.reason.as_deref(),
        Some("the lcov report for `coverage` has no `branches` figure")
    );
}

#[test]
fn division_by_zero_is_unknown() {
    let src = policy(
        "50%",
        r#"
  evidence { tests = junit("junit.xml") }
  category a weight 1 {
    gate "skips" { expect tests.passed / tests.skipped >= 10% }
  }"#,
    );
    let source = FakeSource::new().artifact("junit.xml", tests(10, 10, 0, 0));
    let e = expectation(&run(&src, &source), "skips").clone();
    assert_eq!(e.status, Status::Unknown);
    assert!(
        e.reason.as_deref().unwrap().contains("division by zero"),
        "{:?}",
        e.reason
    );
}

#[test]
fn a_baseline_that_was_not_given_is_unknown() {
    let src = policy(
        "50%",
        r#"
  evidence { coverage = coverage("lcov.info") }
  category a weight 1 {
    gate "no drop" { expect coverage.lines >= base.coverage.lines - 0.5% }
  }"#,
    );
    let source = FakeSource::new().artifact("lcov.info", coverage(90, 100));
    let e = expectation(&run(&src, &source), "no drop").clone();
    assert_eq!(e.status, Status::Unknown);
    assert_eq!(e.actual.as_deref(), Some("90%"));
}

// ---------------------------------------------------------------------------------------------
// Exact comparisons

#[test]
fn coverage_just_below_the_threshold_fails_and_is_never_shown_as_the_threshold() {
    let src = policy(
        "50%",
        r#"
  evidence { coverage = coverage("lcov.info") }
  category a weight 1 {
    gate "coverage" { expect coverage.lines >= 70% }
  }"#,
    );
    let source = FakeSource::new().artifact("lcov.info", coverage(69_995, 100_000));
    let outcome = run(&src, &source);
    let e = expectation(&outcome, "coverage");
    assert_eq!(e.status, Status::Fail);
    assert_eq!(e.actual.as_deref(), Some("69.99%"));
    assert_eq!(e.required.as_deref(), Some(">= 70%"));
    assert!((e.actual_value.unwrap() - 69.995).abs() < 1e-9);
    assert_eq!(e.evidence, ["coverage"]);
}

#[test]
fn coverage_exactly_at_the_threshold_passes() {
    let src = policy(
        "50%",
        r#"
  evidence { coverage = coverage("lcov.info") }
  category a weight 1 {
    gate "coverage" { expect coverage.lines >= 70% }
    gate "exact" { expect coverage.lines == 70% }
    gate "strict" { expect coverage.lines > 70% }
  }"#,
    );
    let source = FakeSource::new().artifact("lcov.info", coverage(7, 10));
    let outcome = run(&src, &source);
    assert_eq!(expectation(&outcome, "coverage").status, Status::Pass);
    assert_eq!(
        expectation(&outcome, "coverage").actual.as_deref(),
        Some("70%")
    );
    assert_eq!(expectation(&outcome, "exact").status, Status::Pass);
    assert_eq!(expectation(&outcome, "strict").status, Status::Fail);
}

#[test]
fn decimal_thresholds_are_exact() {
    // 1/3 = 33.333...% is above 33.33% and below 33.34%; 105/152 = 69.0789...%.
    let src = policy(
        "50%",
        r#"
  evidence { coverage = coverage("lcov.info") tests = junit("junit.xml") }
  category a weight 1 {
    gate "third above" { expect coverage.lines > 33.33% }
    gate "third below" { expect coverage.lines < 33.34% }
    gate "share" { expect tests.passed / tests.total >= 69.08% }
  }"#,
    );
    let source = FakeSource::new()
        .artifact("lcov.info", coverage(1, 3))
        .artifact("junit.xml", tests(152, 105, 47, 0));
    let outcome = run(&src, &source);
    assert_eq!(expectation(&outcome, "third above").status, Status::Pass);
    assert_eq!(expectation(&outcome, "third below").status, Status::Pass);
    assert_eq!(expectation(&outcome, "share").status, Status::Fail);
    assert_eq!(
        expectation(&outcome, "share").actual.as_deref(),
        Some("69.07%")
    );
}

#[test]
fn durations_compare_across_units() {
    let src = policy(
        "50%",
        r#"
  evidence { basic = load("basic.json") }
  category a weight 1 {
    gate "p95" { expect basic.p95 < 0.5s }
    gate "p99" { expect basic.p99 <= 1s }
  }"#,
    );
    let source = FakeSource::new().artifact(
        "basic.json",
        Figures::Load(LoadFigures {
            p95_ms: Some(499.9),
            p99_ms: Some(1000.0),
            ..LoadFigures::default()
        }),
    );
    let outcome = run(&src, &source);
    assert_eq!(expectation(&outcome, "p95").status, Status::Pass);
    assert_eq!(
        expectation(&outcome, "p95").actual.as_deref(),
        Some("499.9ms")
    );
    assert_eq!(expectation(&outcome, "p99").status, Status::Pass);
}

// ---------------------------------------------------------------------------------------------
// Waivers and today

const WAIVED: &str = r#"
  category a weight 1 {
    gate "ok" { expect exists("yes") }
    gate "broken" { expect exists("no") }
  }
  waive "broken" until 2026-06-30 owner "@platform" because "being rebuilt in OPS-412""#;

#[test]
fn a_waived_gate_leaves_the_denominator() {
    let outcome = run(&policy("100%", WAIVED), &workspace());
    let broken = gate(&outcome, "broken");
    assert_eq!(broken.status, Status::Waived);
    assert_eq!(broken.result, Status::Fail);
    assert!(!broken.counted);
    assert!(broken.note.as_deref().unwrap().contains("@platform"));
    assert_eq!(score(&outcome), "100%");
    assert!(outcome.ready);
    assert_eq!(outcome.waivers[0].status, "active");
    assert!(outcome.diagnostics.is_empty());
}

#[test]
fn a_waiver_is_active_on_its_last_day() {
    let outcome = run_with(
        &policy("100%", WAIVED),
        &workspace(),
        date!(2026 - 06 - 30),
        None,
    );
    assert_eq!(gate(&outcome, "broken").status, Status::Waived);
}

#[test]
fn an_expired_waiver_stops_waiving_and_says_so() {
    let outcome = run_with(
        &policy("100%", WAIVED),
        &workspace(),
        date!(2026 - 07 - 01),
        None,
    );
    let broken = gate(&outcome, "broken");
    assert_eq!(broken.status, Status::Fail);
    assert!(broken.counted);
    assert_eq!(score(&outcome), "50%");
    assert!(!outcome.ready);
    assert_eq!(outcome.waivers[0].status, "expired");
    let warning = &outcome.diagnostics[0];
    assert_eq!(warning.code, "expired-waiver");
    assert_eq!(
        warning.message,
        "the waiver of `broken` expired on 2026-06-30"
    );
    assert_eq!(warning.position.as_ref().unwrap().line, 8);
}

#[test]
fn a_waiver_matching_no_gate_is_stale() {
    let src = policy(
        "100%",
        r#"
  category a weight 1 {
    gate "unit tests pass" { expect exists("yes") }
  }
  waive "unit test pass" until 2026-12-31 owner "@qa" because "renamed""#,
    );
    let outcome = run(&src, &workspace());
    assert!(outcome.ready);
    assert_eq!(outcome.waivers[0].status, "stale");
    let warning = &outcome.diagnostics[0];
    assert_eq!(warning.code, "stale-waiver");
    assert_eq!(
        warning.help.as_deref(),
        Some("did you mean `unit tests pass`? otherwise remove the waiver")
    );
}

#[test]
fn a_waived_blocker_does_not_block() {
    let src = policy(
        "50%",
        r#"
  category a weight 1 {
    gate "ok" { expect exists("yes") }
    gate "must" blocker { expect exists("no") }
  }
  waive "must" until 2026-12-31 owner "@sec" because "accepted for the beta""#,
    );
    let outcome = run(&src, &workspace());
    assert!(outcome.ready, "{}", outcome.reason);
}

// ---------------------------------------------------------------------------------------------
// Scoping: when changed

const SCOPED: &str = r#"
  category a weight 1 {
    gate "ok" { expect exists("yes") }
    gate "src tested" when changed("src/**") { expect exists("no") }
  }"#;

#[test]
fn a_gate_whose_files_did_not_change_is_not_applicable_and_leaves_the_score() {
    let outcome = run_with(
        &policy("100%", SCOPED),
        &workspace(),
        TODAY,
        Some(&["docs/readme.md"]),
    );
    let scoped = gate(&outcome, "src tested");
    assert_eq!(scoped.status, Status::NotApplicable);
    assert!(!scoped.counted);
    assert_eq!(scoped.expectations[0].status, Status::NotApplicable);
    assert_eq!(score(&outcome), "100%");
    assert!(outcome.ready);
}

#[test]
fn a_gate_whose_files_changed_is_judged() {
    let outcome = run_with(
        &policy("100%", SCOPED),
        &workspace(),
        TODAY,
        Some(&["src/app/page.tsx"]),
    );
    assert_eq!(gate(&outcome, "src tested").status, Status::Fail);
    assert_eq!(score(&outcome), "50%");
}

#[test]
fn without_a_change_list_every_gate_is_judged() {
    let outcome = run_with(&policy("100%", SCOPED), &workspace(), TODAY, None);
    assert_eq!(gate(&outcome, "src tested").status, Status::Fail);
}

#[test]
fn an_empty_change_list_makes_scoped_gates_not_applicable() {
    let outcome = run_with(&policy("100%", SCOPED), &workspace(), TODAY, Some(&[]));
    assert_eq!(gate(&outcome, "src tested").status, Status::NotApplicable);
}

// ---------------------------------------------------------------------------------------------
// Levels

#[test]
fn the_level_is_the_highest_reached() {
    let src = policy(
        "50%",
        r#"
  levels { bronze 70% silver 85% gold 95% }
  category a weight 1 {
    gate "p" points 7 { expect exists("yes") }
    gate "f" { expect exists("no") }
  }"#,
    );
    let outcome = run(&src, &workspace());
    assert_eq!(score(&outcome), "87.5%");
    assert_eq!(outcome.level.as_deref(), Some("silver"));
    let reached: Vec<bool> = outcome.levels.iter().map(|l| l.reached).collect();
    assert_eq!(reached, [true, true, false]);
}

#[test]
fn a_level_exactly_met_is_reached_and_none_below_the_lowest() {
    let src = policy(
        "50%",
        r#"
  levels { bronze 50% gold 100% }
  category a weight 1 {
    gate "p" { expect exists("yes") }
    gate "f" { expect exists("no") }
  }"#,
    );
    assert_eq!(run(&src, &workspace()).level.as_deref(), Some("bronze"));
    let src = policy(
        "50%",
        r#"
  levels { bronze 70% }
  category a weight 1 {
    gate "f" { expect exists("no") }
  }"#,
    );
    assert_eq!(run(&src, &workspace()).level, None);
}

// ---------------------------------------------------------------------------------------------
// Three-valued logic

fn kleene(expr: &str) -> Status {
    let src = policy(
        "50%",
        &format!(
            r#"
  evidence {{ coverage = coverage("missing/lcov.info") }}
  category a weight 1 {{
    gate "g" {{ expect {expr} }}
  }}"#
        ),
    );
    expectation(&run(&src, &workspace()), "g").status
}

#[test]
fn and_or_follow_kleene_logic_with_unknown() {
    let unknown = "coverage.lines >= 70%";
    assert_eq!(
        kleene(&format!("exists(\"yes\") or {unknown}")),
        Status::Pass
    );
    assert_eq!(
        kleene(&format!("{unknown} or exists(\"yes\")")),
        Status::Pass
    );
    assert_eq!(
        kleene(&format!("exists(\"no\") or {unknown}")),
        Status::Unknown
    );
    assert_eq!(
        kleene(&format!("exists(\"no\") and {unknown}")),
        Status::Fail
    );
    assert_eq!(
        kleene(&format!("{unknown} and exists(\"no\")")),
        Status::Fail
    );
    assert_eq!(
        kleene(&format!("exists(\"yes\") and {unknown}")),
        Status::Unknown
    );
    assert_eq!(kleene(&format!("not ({unknown})")), Status::Unknown);
    assert_eq!(kleene("not exists(\"no\")"), Status::Pass);
}

// ---------------------------------------------------------------------------------------------
// Workspace files

#[test]
fn searching_no_file_is_unknown_not_zero() {
    let src = policy(
        "50%",
        r#"
  category a weight 1 {
    gate "retries" {
      expect files("src/**/*.ts").containing(/messages\.create/).not_containing(/WithRetry/).count == 0
    }
  }"#,
    );
    let e = expectation(&run(&src, &workspace()), "retries").clone();
    assert_eq!(e.status, Status::Unknown);
    assert!(
        e.reason
            .as_deref()
            .unwrap()
            .contains("no file matches `src/**/*.ts`"),
        "{:?}",
        e.reason
    );
}

#[test]
fn file_searches_filter_and_count() {
    let src = policy(
        "50%",
        r#"
  category a weight 1 {
    gate "retries" {
      expect files("src/**/*.ts").containing(/messages\.create/).not_containing(/WithRetry/).count == 0
    }
    gate "csp" { expect file("next.config.mjs").contains(/content-security-policy/i) }
    gate "missing file" { expect file("absent.mjs").contains(/x/) }
    gate "sentry" { expect files("sentry.{client,server,edge}.config.ts").count == 3 }
  }"#,
    );
    let source = FakeSource::new()
        .text("src/ai/a.ts", "await anthropic.messages.create({})")
        .text(
            "src/ai/b.ts",
            "callAnthropicWithRetry(() => anthropic.messages.create({}))",
        )
        .text("src/util.ts", "export const x = 1")
        .text(
            "next.config.mjs",
            "headers: [{ key: 'Content-Security-Policy' }]",
        )
        .text("sentry.client.config.ts", "")
        .text("sentry.server.config.ts", "");
    let outcome = run(&src, &source);
    let retries = expectation(&outcome, "retries");
    assert_eq!(retries.status, Status::Fail);
    assert_eq!(retries.actual.as_deref(), Some("1"));
    assert_eq!(retries.evidence, ["src/ai/a.ts"]);
    assert_eq!(expectation(&outcome, "csp").status, Status::Pass);
    let missing = expectation(&outcome, "missing file");
    assert_eq!(missing.status, Status::Unknown);
    assert_eq!(
        missing.reason.as_deref(),
        Some("`absent.mjs` does not exist in the workspace")
    );
    assert_eq!(expectation(&outcome, "sentry").status, Status::Fail);
    assert_eq!(expectation(&outcome, "sentry").actual.as_deref(), Some("2"));
}

#[test]
fn a_gate_fails_if_any_expectation_fails_and_is_unknown_if_any_is_unknown() {
    let src = policy(
        "50%",
        r#"
  evidence { coverage = coverage("missing/lcov.info") }
  category a weight 1 {
    gate "fail wins" { expect coverage.lines >= 70%  expect exists("no") }
    gate "unknown" { expect exists("yes")  expect coverage.lines >= 70% }
  }"#,
    );
    let outcome = run(&src, &workspace());
    assert_eq!(gate(&outcome, "fail wins").status, Status::Fail);
    assert_eq!(gate(&outcome, "unknown").status, Status::Unknown);
}

// ---------------------------------------------------------------------------------------------
// Reports of one mixed outcome, snapshotted (human without colour, and JSON)

#[test]
fn a_mixed_outcome_renders_deterministically() {
    let src = policy(
        "80%",
        r#"
  levels { bronze 50% silver 75% gold 90% }
  evidence {
    coverage = coverage("coverage/lcov.info")
    tests    = junit("reports/junit.xml")
  }
  category reliability weight 30 {
    gate "unit tests pass" blocker { expect tests.failed == 0 }
    gate "line coverage" points 2 { expect coverage.lines >= 70% }
    gate "changed lines" when changed("src/**") { expect exists("no") }
  }
  category security weight 15 {
    gate "csrf" { expect exists("src/lib/security/csrf.ts") }
    gate "health" { expect exists("src/health.ts") }
    gate "headers" advisory { expect file("next.config.mjs").contains(/Strict-Transport-Security/) }
  }
  waive "csrf" until 2026-01-31 owner "@sec" because "middleware rewrite""#,
    );
    let source = FakeSource::new()
        .artifact("coverage/lcov.info", coverage(69_995, 100_000))
        .artifact("reports/junit.xml", tests(120, 119, 0, 1))
        .text("next.config.mjs", "no headers")
        .text("src/health.ts", "export function GET() {}");
    let outcome = run_with(&src, &source, TODAY, Some(&["README.md"]));
    // (30 * 1/3 + 15 * 1/2) / 45 = 38.88...%
    assert_eq!(score(&outcome), "38.88%");
    assert!(!outcome.ready);
    let human = readiness_gate::report::human::render(&outcome, false);
    assert!(!human.contains('\u{1b}'));
    let json = readiness_gate::report::json::render(&outcome);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        insta::assert_snapshot!("scoring__mixed_human", human);
        insta::assert_snapshot!("scoring__mixed_json", json);
    });
}

#[test]
fn kinds_are_checked_against_the_evidence_read() {
    // A coverage item whose file holds test results is unreadable, so unknown.
    let src = policy(
        "50%",
        r#"
  evidence { coverage = coverage("report.xml") }
  category a weight 1 {
    gate "coverage" { expect coverage.lines >= 70% }
  }"#,
    );
    let source = FakeSource::new().artifact("report.xml", tests(1, 1, 0, 0));
    let outcome = run(&src, &source);
    assert_eq!(expectation(&outcome, "coverage").status, Status::Unknown);
    assert_eq!(outcome.evidence[0].status, "unreadable");
    assert_eq!(Kind::Coverage.name(), outcome.evidence[0].kind);
}
