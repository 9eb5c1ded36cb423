//! Patch coverage on a real git history (built in a temporary directory), with LCOV reports whose
//! paths are absolute CI paths; the shallow-clone error; the loud unknown when no changed file is
//! in the report; the path-prefix override; changed-file lists; and what it would take to pass.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::eval::patch::{ChangedLines, FileChange};
use readiness_gate::eval::{self, Context, ExpectationOutcome, Inputs, LineRef, Outcome, Status};
use readiness_gate::evidence::Workspace;
use std::path::Path;

mod support;
use support::git;

/// The changed lines from git (loaded by `readiness_gate::repo`, before evaluation).
fn changed_lines_from_git(workspace: &Path, base: &str) -> Result<ChangedLines, String> {
    readiness_gate::repo::changes::changed_lines(workspace, base).map_err(|error| error.to_string())
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn numbered(lines: &[&str]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// main: A (src/app.ts, src/util.ts, README.md) then C (src/util.ts); feature from A: B.
/// B changes app.ts lines 2 (a comment), 5 and 6, inserts lines 9 and 10, adds src/new.ts and
/// edits README.md.
fn repository(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    let app: Vec<String> = (1..=20).map(|n| format!("const line{n} = {n};")).collect();
    let app: Vec<&str> = app.iter().map(String::as_str).collect();
    write(dir, "src/app.ts", &numbered(&app));
    write(dir, "src/util.ts", "export const u = 1;\n");
    write(dir, "README.md", "# app\n");
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "A"]);
    git(dir, &["checkout", "-q", "-b", "feature"]);
    let mut changed: Vec<String> = app.iter().map(|line| line.to_string()).collect();
    changed[1] = "// a comment".into();
    changed[4] = "const line5 = 50;".into();
    changed[5] = "const line6 = 60;".into();
    changed.insert(8, "if (x) { y(); }".into());
    changed.insert(9, "const added = 2;".into());
    let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
    write(dir, "src/app.ts", &numbered(&changed));
    write(
        dir,
        "src/new.ts",
        "export function f() {\n  return 1;\n  throw 2;\n\n}\n",
    );
    write(dir, "README.md", "# app\n\nmore\n");
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "B"]);
    git(dir, &["checkout", "-q", "main"]);
    write(dir, "src/util.ts", "export const u = 2;\n");
    git(dir, &["commit", "-q", "-am", "C"]);
    git(dir, &["checkout", "-q", "feature"]);
}

/// LCOV as a CI runner writes it: absolute paths under the runner's checkout.
fn lcov(prefix: &str) -> String {
    let mut out = String::from("TN:\n");
    out.push_str(&format!("SF:{prefix}src/app.ts\n"));
    for line in (1..=22).filter(|line| *line != 2) {
        let hits = match line {
            6 | 10 => 0,
            9 => 3,
            _ => 1,
        };
        out.push_str(&format!("DA:{line},{hits}\n"));
    }
    out.push_str("BRDA:9,0,0,1\nBRDA:9,0,1,0\nBRF:2\nBRH:1\nLF:21\nLH:19\nend_of_record\n");
    out.push_str(&format!(
        "SF:{prefix}src/new.ts\nDA:1,1\nDA:2,1\nDA:3,0\nDA:5,1\nLF:4\nLH:3\nend_of_record\n"
    ));
    out.push_str(&format!(
        "SF:{prefix}src/util.ts\nDA:1,0\nLF:1\nLH:0\nend_of_record\n"
    ));
    out
}

const POLICY: &str = r#"policy "patch" {
  target 100%

  evidence {
    coverage = coverage("coverage/lcov.info")
  }

  category quality weight 1 {
    gate "patch lines" {
      expect coverage.patch.lines >= 80%
    }
    gate "patch branches" {
      expect coverage.patch.branches >= 50%
    }
  }
}
"#;

fn evaluate(workspace: &Path, inputs: &Inputs) -> Outcome {
    let (_, checked) = readiness_gate::load_policy(POLICY).unwrap_or_else(|d| panic!("{d:#?}"));
    let evidence = Workspace::new(workspace);
    let context = Context {
        evidence: &evidence,
        today: time::macros::date!(2026 - 11 - 21),
        changed_files: None,
        policy_file: "readiness.gate",
        policy_source: POLICY,
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

#[test]
fn patch_coverage_from_git_with_absolute_lcov_paths() {
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    write(
        dir.path(),
        "coverage/lcov.info",
        &lcov("/home/runner/work/app/app/"),
    );

    let changed = changed_lines_from_git(dir.path(), "main").unwrap();
    assert_eq!(
        changed.files.get("src/app.ts"),
        Some(&FileChange::Lines([2, 5, 6, 9, 10].into_iter().collect()))
    );
    assert_eq!(
        changed.files.get("src/new.ts"),
        Some(&FileChange::Lines((1..=5).collect()))
    );
    assert!(changed.files.contains_key("README.md"));
    assert!(
        !changed.files.contains_key("src/util.ts"),
        "main's own change after the merge base is not the PR's"
    );
    assert!(
        changed.source.starts_with("git diff --unified=0 "),
        "{}",
        changed.source
    );

    let outcome = evaluate(
        dir.path(),
        &Inputs {
            changed_lines: Some(changed),
            ..Inputs::default()
        },
    );
    // Changed executable lines: app.ts 5, 6, 9, 10 (2 is a comment: not in the report) and
    // new.ts 1, 2, 3, 5: 5 of 8 covered.
    let lines = expectation(&outcome, "patch lines");
    assert_eq!(lines.status, Status::Fail, "{lines:#?}");
    assert_eq!(lines.actual.as_deref(), Some("62.5%"));
    // (5 + n) / 8 >= 80%: n = 2.
    assert_eq!(lines.to_pass.as_deref(), Some("cover 2 more changed lines"));
    let branches = expectation(&outcome, "patch branches");
    assert_eq!(branches.status, Status::Pass, "{branches:#?}");
    assert_eq!(branches.actual.as_deref(), Some("50%"));

    let patch = outcome.evidence[0].patch.as_ref().unwrap();
    assert_eq!(
        patch.uncovered,
        vec![
            LineRef {
                file: "src/app.ts".into(),
                line: 6
            },
            LineRef {
                file: "src/app.ts".into(),
                line: 10
            },
            LineRef {
                file: "src/new.ts".into(),
                line: 3
            },
        ]
    );
    assert_eq!(patch.files.len(), 2);
    assert_eq!(
        patch.files[0].report_path,
        "/home/runner/work/app/app/src/app.ts"
    );
    // The JSON report carries the exact patch figures for a later baseline.
    let figures = &outcome.evidence[0].figures;
    assert_eq!(
        figures.get("patch.lines").map(|f| f.exact.as_str()),
        Some("0.625")
    );
    assert_eq!(
        figures.get("patch.branches").map(|f| f.exact.as_str()),
        Some("0.5")
    );
    // Points to gain: passing `patch lines` lifts the score from 50% to 100%.
    let gate = &outcome.categories[0].gates[0];
    assert_eq!(
        gate.points_to_gain.as_ref().map(|p| p.display.as_str()),
        Some("50%")
    );
    let human = readiness_gate::report::human::render(&outcome, false);
    assert!(
        human.contains("what it would take, by points to gain"),
        "{human}"
    );
    assert!(
        human.contains("+50%  patch lines: cover 2 more changed lines"),
        "{human}"
    );
    let markdown = readiness_gate::report::markdown::render(&outcome);
    assert!(
        markdown.contains("cover 2 more changed lines<br>**+50%** score"),
        "{markdown}"
    );
}

#[test]
fn a_shallow_clone_says_to_fetch_more_history() {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    std::fs::create_dir_all(&origin).unwrap();
    repository(&origin);
    let url = format!("file://{}", origin.display());
    git(
        dir.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "feature", &url, "clone",
        ],
    );
    let clone = dir.path().join("clone");

    // The base branch is not even in the clone.
    let error = changed_lines_from_git(&clone, "origin/main").unwrap_err();
    assert!(
        error.contains("not in this shallow clone") && error.contains("fetch-depth: 0"),
        "{error}"
    );

    // As actions/checkout leaves it: both tips, no common history.
    git(
        &clone,
        &[
            "fetch",
            "-q",
            "--depth",
            "1",
            "origin",
            "main:refs/remotes/origin/main",
        ],
    );
    let error = changed_lines_from_git(&clone, "origin/main").unwrap_err();
    assert_eq!(
        error,
        "cannot find the merge base of `origin/main` and HEAD: this clone is shallow, so their common history is missing; \
         fetch more history: `fetch-depth: 0` in actions/checkout, or `git fetch --unshallow` (or `--deepen=<n>`) and the base branch"
    );

    // Following the advice works.
    git(
        &clone,
        &[
            "fetch",
            "-q",
            "--unshallow",
            "origin",
            "main:refs/remotes/origin/main",
            "feature",
        ],
    );
    let changed = changed_lines_from_git(&clone, "origin/main").unwrap();
    assert!(changed.files.contains_key("src/new.ts"));
}

#[test]
fn no_changed_file_in_the_report_is_a_loud_unknown() {
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    let other = "TN:\nSF:/builds/other/lib/foo.ts\nDA:1,1\nend_of_record\n";
    write(dir.path(), "coverage/lcov.info", other);
    let changed = changed_lines_from_git(dir.path(), "main").unwrap();
    let outcome = evaluate(
        dir.path(),
        &Inputs {
            changed_lines: Some(changed),
            ..Inputs::default()
        },
    );
    let lines = expectation(&outcome, "patch lines");
    assert_eq!(lines.status, Status::Unknown);
    let reason = lines.reason.as_deref().unwrap();
    assert!(
        reason.starts_with("no changed file appears in the coverage report of `coverage`: 3 changed (`README.md`, `src/app.ts`, `src/new.ts`), none among the files it covers, e.g. `/builds/other/lib/foo.ts`"),
        "{reason}"
    );
    assert!(reason.contains("--coverage-path-strip"), "{reason}");
}

#[test]
fn without_changed_lines_patch_coverage_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    write(
        dir.path(),
        "coverage/lcov.info",
        &lcov("/home/runner/work/app/app/"),
    );
    let outcome = evaluate(dir.path(), &Inputs::default());
    let lines = expectation(&outcome, "patch lines");
    assert_eq!(lines.status, Status::Unknown);
    assert!(lines
        .reason
        .as_deref()
        .unwrap()
        .contains("needs the changed lines"));
}

#[test]
fn a_prefix_to_strip_overrides_the_suffix_match() {
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    write(dir.path(), "coverage/lcov.info", &lcov("/ci/checkout/"));
    let changed = changed_lines_from_git(dir.path(), "main").unwrap();
    let inputs = Inputs {
        changed_lines: Some(changed.clone()),
        coverage_path_strip: Some("/ci/checkout".into()),
        ..Inputs::default()
    };
    let outcome = evaluate(dir.path(), &inputs);
    assert_eq!(
        expectation(&outcome, "patch lines").actual.as_deref(),
        Some("62.5%")
    );
    let wrong = Inputs {
        changed_lines: Some(changed),
        coverage_path_strip: Some("/elsewhere/".into()),
        ..Inputs::default()
    };
    let outcome = evaluate(dir.path(), &wrong);
    assert_eq!(expectation(&outcome, "patch lines").status, Status::Unknown);
}

#[test]
fn changed_file_lists_and_patches_give_changed_lines() {
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    write(
        dir.path(),
        "coverage/lcov.info",
        &lcov("/home/runner/work/app/app/"),
    );
    // A list: every executable line of new.ts counts (3 of 4 covered).
    let list = ChangedLines::from_text("src/new.ts\n", "--changed-files");
    let outcome = evaluate(
        dir.path(),
        &Inputs {
            changed_lines: Some(list),
            ..Inputs::default()
        },
    );
    assert_eq!(
        expectation(&outcome, "patch lines").actual.as_deref(),
        Some("75%")
    );
    // A patch file, as `git diff` writes it.
    let diff = git(dir.path(), &["diff", "--unified=3", "main...feature"]);
    let patch = ChangedLines::from_text(&diff, "changes.patch");
    let outcome = evaluate(
        dir.path(),
        &Inputs {
            changed_lines: Some(patch),
            ..Inputs::default()
        },
    );
    assert_eq!(
        expectation(&outcome, "patch lines").actual.as_deref(),
        Some("62.5%")
    );
}

#[test]
fn readers_keep_line_data_only_for_wanted_files() {
    let dir = tempfile::tempdir().unwrap();
    // `a.ts` appears twice in one artifact (the counting read starts over in merge mode), and
    // again in a second shard: hits are summed per line.
    let one = "SF:/x/a.ts\nDA:1,0\nDA:2,1\nend_of_record\nSF:/x/b.ts\nDA:1,1\nend_of_record\nSF:/x/a.ts\nDA:1,0\nDA:3,0\nend_of_record\n";
    let two = "SF:/x/a.ts\nDA:1,2\nBRDA:3,0,0,1\nBRDA:3,0,1,0\nend_of_record\n";
    write(dir.path(), "one.info", one);
    write(dir.path(), "two.info", two);
    let wanted = |path: &str| path.ends_with("a.ts");
    let (evidence, lines) =
        readiness_evidence::read_files_with_lines(&[dir.path().join("one.info")], None, &wanted)
            .unwrap();
    assert_eq!(lines.keys().collect::<Vec<_>>(), vec!["/x/a.ts"]);
    assert_eq!(
        lines["/x/a.ts"].lines,
        [(1, 0), (2, 1), (3, 0)].into_iter().collect()
    );
    let readiness_evidence::Figures::Coverage(figures) = &evidence.figures else {
        panic!()
    };
    assert_eq!(
        figures.lines,
        Some(readiness_evidence::Ratio {
            covered: 2,
            total: 4
        })
    );

    let paths = [dir.path().join("one.info"), dir.path().join("two.info")];
    let (_, lines) = readiness_evidence::read_files_with_lines(&paths, None, &wanted).unwrap();
    let a = &lines["/x/a.ts"];
    assert_eq!(a.lines, [(1, 2), (2, 1), (3, 0)].into_iter().collect());
    assert_eq!(
        a.branches.get(&3),
        Some(&readiness_evidence::Ratio {
            covered: 1,
            total: 2
        })
    );
}

#[test]
fn go_profiles_give_lines_from_their_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let profile = "mode: set\nexample.com/app/src/app.go:3.14,5.2 2 1\nexample.com/app/src/app.go:5.2,7.3 1 0\nexample.com/app/src/other.go:1.1,2.2 1 1\n";
    write(dir.path(), "cover.out", profile);
    let wanted = |path: &str| path.ends_with("src/app.go");
    let (_, lines) =
        readiness_evidence::read_files_with_lines(&[dir.path().join("cover.out")], None, &wanted)
            .unwrap();
    assert_eq!(
        lines.keys().collect::<Vec<_>>(),
        vec!["example.com/app/src/app.go"]
    );
    // Line 5 has a block that never ran: not covered.
    assert_eq!(
        lines["example.com/app/src/app.go"].lines,
        [(3, 1), (4, 1), (5, 0), (6, 0), (7, 0)]
            .into_iter()
            .collect()
    );
}
