//! Policy diff and the policy from the base: a relaxed threshold is "relaxed", every kind of
//! change is classified, both versions are judged on the same evidence, and on a pull request the
//! base's policy judges (read through git, without checkout).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::eval::{Context, Inputs};
use readiness_gate::evidence::Workspace;
use readiness_gate::lifecycle::base_policy::{
    self, BaseError, PolicyAtRef, PolicySource, SourceInputs,
};
use readiness_gate::lifecycle::policy_diff::{self, Direction, Judge, Subject};
use readiness_gate::lifecycle::LoadedPolicy;
use readiness_gate::report::policy_diff as diff_report;

mod support;
use support::{git, root};

fn rust_policy() -> String {
    std::fs::read_to_string(root().join("policies/rust-crate.gate")).unwrap()
}

fn load(file: &str, source: &str) -> LoadedPolicy {
    LoadedPolicy::from_source(file, source).unwrap_or_else(|e| panic!("{e}: {e:?}"))
}

/// The changes from `base` to `head` as `(direction, text)`.
fn changes(base: &str, head: &str) -> Vec<(Direction, String)> {
    let diff = policy_diff::diff_policies(&load("base", base).checked, &load("head", head).checked);
    diff.changes
        .into_iter()
        .map(|change| (change.direction, change.text))
        .collect()
}

fn single(base: &str, head: &str) -> (Direction, String) {
    let found = changes(base, head);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.into_iter().next().unwrap()
}

const SMALL: &str = r#"policy "svc" {
  target 90%
  levels { ok 50%  good 90% }
  evidence {
    coverage = coverage("lcov.info")
    basic    = load("basic.json")
  }
  category tests weight 30 {
    gate "line coverage" blocker points 2 {
      expect coverage.lines >= 70%
    }
    gate "latency" {
      expect basic.p95 < 500ms
      expect basic.errors == 0
    }
    gate "readme" advisory {
      expect exists("README.md")
    }
  }
  category docs weight 10 {
    gate "changelog" {
      expect exists("CHANGELOG.md")
    }
  }
  waive "latency" until 2026-12-31 owner "@perf" because "OPS-1"
}
"#;

fn edit(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "{from}");
    SMALL.replacen(from, to, 1)
}

#[test]
fn thresholds_are_relaxed_or_tightened_by_what_they_let_pass() {
    let cases = [
        (
            "coverage.lines >= 70%",
            "coverage.lines >= 60%",
            Direction::Relaxed,
        ),
        (
            "coverage.lines >= 70%",
            "coverage.lines >= 80%",
            Direction::Tightened,
        ),
        (
            "coverage.lines >= 70%",
            "coverage.lines > 70%",
            Direction::Tightened,
        ),
        (
            "coverage.lines >= 70%",
            "70% <= coverage.lines",
            Direction::Changed,
        ), // same: no change at all
        (
            "coverage.lines >= 70%",
            "coverage.lines <= 70%",
            Direction::Changed,
        ),
        ("basic.p95 < 500ms", "basic.p95 < 800ms", Direction::Relaxed),
        (
            "basic.p95 < 500ms",
            "basic.p95 < 0.4s",
            Direction::Tightened,
        ),
        (
            "basic.p95 < 500ms",
            "basic.p95 <= 500ms",
            Direction::Relaxed,
        ),
        ("basic.errors == 0", "basic.errors <= 2", Direction::Relaxed),
        ("basic.errors == 0", "basic.errors != 0", Direction::Changed),
        ("basic.errors == 0", "basic.errors == 1", Direction::Changed),
    ];
    for (from, to, expected) in cases {
        let found = changes(SMALL, &edit(from, to));
        if from == "coverage.lines >= 70%" && to == "70% <= coverage.lines" {
            assert!(found.is_empty(), "{found:#?}");
            continue;
        }
        assert_eq!(found.len(), 1, "{from} -> {to}: {found:#?}");
        assert_eq!(found[0].0, expected, "{from} -> {to}: {}", found[0].1);
    }
    let (_, text) = single(
        SMALL,
        &edit("coverage.lines >= 70%", "coverage.lines >= 60%"),
    );
    assert_eq!(
        text,
        "gate `line coverage`: `coverage.lines >= 70%` -> `coverage.lines >= 60%`"
    );
    // The same threshold in another unit is no change.
    assert!(changes(SMALL, &edit("basic.p95 < 500ms", "basic.p95 < 0.5s")).is_empty());
}

#[test]
fn every_kind_of_change_is_classified() {
    let expect = |head: String, direction: Direction, text: &str| {
        let (found, found_text) = single(SMALL, &head);
        assert_eq!((found, found_text.as_str()), (direction, text));
    };
    expect(
        edit("gate \"line coverage\" blocker", "gate \"line coverage\""),
        Direction::Relaxed,
        "gate `line coverage`: blocker -> default",
    );
    expect(
        edit("gate \"readme\" advisory", "gate \"readme\" blocker"),
        Direction::Tightened,
        "gate `readme`: advisory -> blocker",
    );
    expect(
        edit("points 2", "points 3"),
        Direction::Changed,
        "gate `line coverage`: points 2 -> 3",
    );
    expect(
        edit("weight 30", "weight 40"),
        Direction::Changed,
        "category `tests`: weight 30 -> 40",
    );
    expect(
        edit("target 90%", "target 85%"),
        Direction::Relaxed,
        "target 90% -> 85%",
    );
    expect(
        edit("good 90%", "good 95%"),
        Direction::Tightened,
        "level `good`: 90% -> 95%",
    );
    expect(
        edit("until 2026-12-31", "until 2027-03-31"),
        Direction::Relaxed,
        "waiver of `latency` extended: until 2026-12-31 -> 2027-03-31",
    );
    expect(
        edit(
            "  waive \"latency\" until 2026-12-31 owner \"@perf\" because \"OPS-1\"\n",
            "",
        ),
        Direction::Tightened,
        "waiver of `latency` removed (was until 2026-12-31)",
    );
    expect(
        edit("  waive \"latency\"", "  waive \"changelog\" until 2027-01-31 owner \"@docs\" because \"DOC-2\"\n  waive \"latency\""),
        Direction::Relaxed,
        "waiver of `changelog` added until 2027-01-31 (@docs: DOC-2)",
    );
    expect(
        edit("coverage(\"lcov.info\")", "coverage(\"cov/lcov.info\")"),
        Direction::Changed,
        "evidence `coverage`: coverage(\"lcov.info\") -> coverage(\"cov/lcov.info\")",
    );
    expect(
        edit(
            "gate \"changelog\" {",
            "gate \"changelog\" when changed(\"src/**\") {",
        ),
        Direction::Relaxed,
        "gate `changelog`: now only when changed(\"src/**\"); n/a otherwise",
    );
    expect(
        edit("      expect basic.errors == 0\n", ""),
        Direction::Relaxed,
        "gate `latency`: expectation `basic.errors == 0` removed",
    );
    expect(
        edit(
            "expect exists(\"CHANGELOG.md\")",
            "expect exists(\"CHANGELOG.md\")\n      expect exists(\"NEWS.md\")",
        ),
        Direction::Tightened,
        "gate `changelog`: expectation `exists(\"NEWS.md\")` added",
    );
    expect(
        edit("exists(\"CHANGELOG.md\")", "exists(\"HISTORY.md\")"),
        Direction::Changed,
        "gate `changelog`: `exists(\"CHANGELOG.md\")` -> `exists(\"HISTORY.md\")`",
    );
    expect(
        edit("    gate \"changelog\" {\n      expect exists(\"CHANGELOG.md\")\n    }\n", "    gate \"changelog\" {\n      expect exists(\"CHANGELOG.md\")\n    }\n    gate \"licence\" {\n      expect exists(\"LICENSE\")\n    }\n"),
        Direction::Tightened,
        "gate `licence` added in `docs` (default)",
    );
    let diff = policy_diff::diff_policies(&load("b", SMALL).checked, &load("h", SMALL).checked);
    assert!(diff.is_empty());
    assert_eq!(diff.summary(), "no semantic change");
}

#[test]
fn both_policies_are_judged_on_the_same_evidence_and_rendered() {
    let base = load("main:policies/rust-crate.gate", &rust_policy());
    let relaxed = rust_policy()
        .replace(
            "expect coverage.lines >= 75%",
            "expect coverage.lines >= 60%",
        )
        .replace(
            "expect coverage.functions >= 70%",
            "expect coverage.functions >= 80%",
        )
        .replace(
            "    gate \"dependency policy\" {\n      expect exists(\"deny.toml\")\n    }\n",
            "",
        );
    let head = load("policies/rust-crate.gate", &relaxed);
    let workspace = Workspace::new(root().join("policies/fixtures/rust-crate/failing"));
    let context = Context {
        evidence: &workspace,
        today: time::macros::date!(2026 - 11 - 21),
        changed_files: None,
        policy_file: "ignored",
        policy_source: "",
    };
    let (comparison, base_outcome, head_outcome) =
        policy_diff::compare(&base, &head, &context, &Inputs::default(), Judge::Base);
    assert_eq!(base_outcome.policy.file, "main:policies/rust-crate.gate");
    assert_eq!(comparison.diff.summary(), "2 relaxed, 1 tightened");
    assert!(comparison
        .diff
        .changes
        .iter()
        .any(|c| c.subject == Subject::Threshold && c.direction == Direction::Relaxed));
    assert!(comparison
        .diff
        .changes
        .iter()
        .any(|c| c.subject == Subject::Gate
            && c.text.starts_with("gate `dependency policy` removed")));
    assert_eq!(comparison.base.score.as_deref(), Some("26.25%"));
    assert_eq!(
        comparison.head.score.as_deref(),
        Some("17.5%"),
        "function coverage 73.33% now fails"
    );
    assert!(comparison
        .flips
        .iter()
        .any(|flip| flip.gate == "function coverage"
            && flip.base.as_deref() == Some("pass")
            && flip.head.as_deref() == Some("FAIL")));
    assert_eq!(
        comparison.base.score.as_deref(),
        base_outcome.score.as_ref().map(|s| s.display.as_str())
    );
    assert!(!head_outcome.ready);
    assert!(comparison
        .flips
        .iter()
        .any(|flip| flip.gate == "dependency policy" && flip.head.is_none()));
    let text = diff_report::render_text(&comparison);
    assert!(
        text.starts_with(
            "policy change: 2 relaxed, 1 tightened\n  relaxed    gate `line coverage`"
        ),
        "{text}"
    );
    assert!(
        text.contains("judged by the base policy (main:policies/rust-crate.gate)"),
        "{text}"
    );
    let markdown = diff_report::render_markdown(&comparison);
    assert!(markdown.starts_with("### Policy change\n"), "{markdown}");
    assert!(markdown.contains("| ⬇️ relaxed | gate `line coverage`: `coverage.lines >= 75%` -> `coverage.lines >= 60%` |"), "{markdown}");
    assert!(
        markdown.contains("| base `main:policies/rust-crate.gate` | ❌ not ready |"),
        "{markdown}"
    );
}

#[test]
fn the_source_is_the_base_on_pull_requests_unless_told_otherwise() {
    let pr = SourceInputs {
        event_name: Some("pull_request".into()),
        github_base_ref: Some("main".into()),
        event_base_sha: Some("abc123".into()),
        ..SourceInputs::default()
    };
    assert_eq!(
        base_policy::choose_source(&pr).unwrap(),
        PolicySource::Base {
            candidates: vec!["abc123".into(), "origin/main".into(), "main".into()]
        }
    );
    let head = SourceInputs {
        policy_from: Some("head".into()),
        ..pr.clone()
    };
    assert_eq!(
        base_policy::choose_source(&head).unwrap(),
        PolicySource::Head
    );
    let push = SourceInputs {
        event_name: Some("push".into()),
        ..SourceInputs::default()
    };
    assert_eq!(
        base_policy::choose_source(&push).unwrap(),
        PolicySource::Head
    );
    let flag = SourceInputs {
        base_ref: Some("origin/release".into()),
        ..push.clone()
    };
    assert_eq!(
        base_policy::choose_source(&flag).unwrap(),
        PolicySource::Base {
            candidates: vec!["origin/release".into()]
        }
    );
    let base_without_ref = SourceInputs {
        policy_from: Some("base".into()),
        ..push
    };
    assert_eq!(
        base_policy::choose_source(&base_without_ref).unwrap_err(),
        BaseError::NoBaseRef
    );
    let bad = SourceInputs {
        policy_from: Some("main".into()),
        ..SourceInputs::default()
    };
    assert!(base_policy::choose_source(&bad)
        .unwrap_err()
        .to_string()
        .contains("neither `base` nor `head`"));
}

/// A repository whose `main` has the rust-crate policy in `ci/readiness.gate`, and a branch
/// `relax` (checked out) that lowers the coverage threshold.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["config", "user.email", "lead@example.com"]);
    git(repo, &["config", "user.name", "Lead"]);
    git(repo, &["config", "commit.gpgsign", "false"]);
    std::fs::create_dir_all(repo.join("ci")).unwrap();
    std::fs::write(repo.join("ci/readiness.gate"), rust_policy()).unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "policy"]);
    git(repo, &["checkout", "-q", "-b", "relax"]);
    std::fs::write(
        repo.join("ci/readiness.gate"),
        rust_policy().replace(
            "expect coverage.lines >= 75%",
            "expect coverage.lines >= 60%",
        ),
    )
    .unwrap();
    git(repo, &["commit", "-q", "-am", "relax coverage"]);
    dir
}

#[test]
fn a_pull_request_that_relaxes_a_threshold_is_judged_by_the_base_policy() {
    let repo = repository();
    let policy = repo.path().join("ci/readiness.gate");
    let (_, relative) = base_policy::repo_relative(&policy).unwrap();
    assert_eq!(relative, "ci/readiness.gate");
    match base_policy::read_policy_at(&policy, &["nope".into(), "main".into()]).unwrap() {
        PolicyAtRef::Found {
            git_ref,
            source,
            repo_path,
            commit,
        } => {
            assert_eq!(
                (git_ref.as_str(), repo_path.as_str()),
                ("main", "ci/readiness.gate")
            );
            assert_eq!(source, rust_policy());
            assert_eq!(commit.len(), 40);
        }
        other => panic!("{other:?}"),
    }
    let pr = SourceInputs {
        event_name: Some("pull_request".into()),
        github_base_ref: Some("main".into()),
        ..SourceInputs::default()
    };
    let choice =
        base_policy::policy_for_verdict(&policy, &base_policy::choose_source(&pr).unwrap())
            .unwrap();
    assert_eq!(choice.judged_by, Judge::Base);
    assert!(choice.policy_changed());
    assert!(
        choice.note.starts_with("judged by the policy at `main` ("),
        "{}",
        choice.note
    );
    assert!(
        choice.judge.source.contains("coverage.lines >= 75%"),
        "the base's policy judges"
    );
    let base = choice.base.as_ref().unwrap();
    assert_eq!(base.file, "main:ci/readiness.gate");
    let diff = policy_diff::diff_policies(&base.checked, &choice.head.checked);
    assert_eq!(diff.changes.len(), 1);
    assert_eq!(diff.changes[0].direction, Direction::Relaxed);
    assert_eq!(
        diff.changes[0].text,
        "gate `line coverage`: `coverage.lines >= 75%` -> `coverage.lines >= 60%`"
    );
    // The working tree is untouched.
    assert!(std::fs::read_to_string(&policy).unwrap().contains(">= 60%"));
}

#[test]
fn unknown_refs_and_new_policies_are_explained() {
    let repo = repository();
    let policy = repo.path().join("ci/readiness.gate");
    let error = base_policy::read_policy_at(&policy, &["origin/main".into()]).unwrap_err();
    assert!(matches!(error, BaseError::UnknownRef { .. }));
    let text = error.to_string();
    assert!(
        text.contains("git does not know `origin/main`") && text.contains("fetch-depth: 0"),
        "{text}"
    );

    let new_policy = repo.path().join("ci/new.gate");
    std::fs::write(&new_policy, rust_policy()).unwrap();
    let source = PolicySource::Base {
        candidates: vec!["main".into()],
    };
    let choice = base_policy::policy_for_verdict(&new_policy, &source).unwrap();
    assert_eq!(choice.judged_by, Judge::Head);
    assert!(
        choice
            .note
            .contains("the policy is new in this change; it is judged as proposed"),
        "{}",
        choice.note
    );

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("readiness.gate"), rust_policy()).unwrap();
    let error =
        base_policy::read_policy_at(&outside.path().join("readiness.gate"), &["main".into()])
            .unwrap_err();
    assert!(matches!(error, BaseError::NotARepository(_)), "{error:?}");
}
