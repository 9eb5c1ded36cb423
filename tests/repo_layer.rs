//! The repository layer (`src/repo`): one way to git, the workspace walk's `.gitignore` rules, the
//! one way to open a file, the base deciding where the policy lives, non-ASCII paths end to end,
//! and the shape of the program (a pure evaluator, no CLI import cycle), enforced by reading the
//! source.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::eval::{self, Context, Outcome, Status};
use readiness_gate::evidence::Workspace;
use readiness_gate::lifecycle::base_policy::{choose_policy, PolicyLocation, PolicySource};
use readiness_gate::lifecycle::policy_diff::Judge;
use std::path::{Path, PathBuf};

mod support;
use support::{gate, git, root};

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn evaluate(workspace: &Path, policy: &str) -> Outcome {
    let (_, checked) = readiness_gate::load_policy(policy).unwrap_or_else(|d| panic!("{d:#?}"));
    let evidence = Workspace::new(workspace);
    let context = Context {
        evidence: &evidence,
        today: time::macros::date!(2026 - 06 - 15),
        changed_files: None,
        policy_file: "readiness.gate",
        policy_source: policy,
    };
    eval::evaluate(&checked, &context)
}

fn status(outcome: &Outcome, gate: &str) -> (Status, Option<String>, Option<String>) {
    let found = outcome
        .categories
        .iter()
        .flat_map(|c| c.gates.iter())
        .find(|g| g.name == gate)
        .unwrap_or_else(|| panic!("no gate `{gate}`"));
    let expectation = &found.expectations[0];
    (
        found.status,
        expectation.actual.clone(),
        expectation.reason.clone(),
    )
}

fn policy(name: &str, gates: &str) -> String {
    format!(
        "policy \"{name}\" {{\n  target 100%\n\n  category facts weight 1 {{\n{gates}  }}\n}}\n"
    )
}

// ---------------------------------------------------------------------------------------------
// The shape of the program.

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !matches!(
                path.file_name().and_then(|n| n.to_str()),
                Some("tests" | "target" | "examples" | "benches" | "fuzz")
            ) {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_evaluator_does_no_io() {
    let mut files = Vec::new();
    rust_files(&root().join("src/eval"), &mut files);
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for banned in [
                "std::fs",
                "std::process",
                "std::env",
                "File::open",
                "Command::new",
                "use std::{",
            ] {
                assert!(
                    !code.contains(banned),
                    "{}:{}: `{banned}` in the evaluator: load it before evaluation (src/repo, src/cli/load.rs)",
                    file.display(),
                    number + 1
                );
            }
        }
    }
}

#[test]
fn git_is_started_in_one_place() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    rust_files(&root().join("crates"), &mut files);
    let starting: Vec<String> = files
        .iter()
        .filter(|file| {
            std::fs::read_to_string(file)
                .unwrap()
                .contains("Command::new(\"git\")")
        })
        .map(|file| file.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    assert_eq!(starting, vec!["src/repo/git.rs".to_string()]);
}

#[test]
fn the_cli_has_no_import_cycle() {
    // commands.rs dispatches to policy_commands.rs; nothing below it reaches back up.
    for file in ["policy_commands.rs", "load.rs", "common.rs"] {
        let text = std::fs::read_to_string(root().join("src/cli").join(file)).unwrap();
        assert!(
            !text.contains("commands::"),
            "src/cli/{file} imports from commands.rs"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The walk: `.gitignore` for repository facts, never for evidence.

fn ignored_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "dist/\ntarget/\n.next/\ncoverage/\n");
    write(root, "src/app.js", "export const a = 1;\n");
    write(root, "dist/app.js", "bundled\n");
    write(root, "target/debug/x.js", "generated\n");
    write(root, ".next/server/page.js", "generated\n");
    write(
        root,
        "node_modules/left-pad/package.json",
        "{\"name\":\"left-pad\"}\n",
    );
    write(
        root,
        "node_modules/left-pad/index.js",
        "module.exports = 1;\n",
    );
    write(
        root,
        "coverage/lcov.info",
        "TN:\nSF:src/app.js\nDA:1,1\nLF:1\nLH:1\nend_of_record\n",
    );
    dir
}

#[test]
fn repository_facts_respect_gitignore_and_can_opt_out() {
    let dir = ignored_workspace();
    let text = policy(
        "facts",
        r#"    gate "tracked js" {
      expect files("**/*.js").count == 1
    }
    gate "all js" {
      expect files("**/*.js").including_ignored().count == 4
    }
    gate "dist named" {
      expect files("dist/*.js").count == 1
    }
    gate "explicit node_modules" {
      expect exists("node_modules/left-pad/package.json")
    }
    gate "node_modules by glob" {
      expect files("node_modules/**/*.js").count == 1
    }
    gate "explicit ignored file" {
      expect file("dist/app.js").contains(/bundled/)
    }
"#,
    );
    let outcome = evaluate(dir.path(), &text);
    for gate in [
        "tracked js",
        "all js",
        "dist named",
        "explicit node_modules",
        "node_modules by glob",
        "explicit ignored file",
    ] {
        let (status, actual, reason) = status(&outcome, gate);
        assert_eq!(status, Status::Pass, "{gate}: {actual:?} {reason:?}");
    }
}

#[test]
fn evidence_inside_ignored_folders_is_read() {
    let dir = ignored_workspace();
    let text = r#"policy "evidence" {
  target 100%

  evidence {
    coverage = coverage("coverage/*.info")
  }

  category quality weight 1 {
    gate "lines" {
      expect coverage.lines >= 100%
    }
  }
}
"#;
    let outcome = evaluate(dir.path(), text);
    let (status, actual, reason) = status(&outcome, "lines");
    assert_eq!(status, Status::Pass, "{actual:?} {reason:?}");
}

#[test]
fn including_ignored_is_typed_and_formatted() {
    let text = policy(
        "fmt",
        "    gate \"g\" {\n      expect files(\"dist/**\").including_ignored().count >= 1\n    }\n",
    );
    let parsed = readiness_gate::syntax::parse(&text);
    let formatted = readiness_gate::format::format_policy(parsed.policy.as_ref().unwrap(), &text);
    assert!(
        formatted.contains("files(\"dist/**\").including_ignored().count >= 1"),
        "{formatted}"
    );
    let bad = policy(
        "bad",
        "    gate \"g\" {\n      expect files(\"dist/**\").including_ignored(/x/).count >= 1\n    }\n",
    );
    let diagnostics = readiness_gate::load_policy(&bad).unwrap_err();
    assert_eq!(diagnostics[0].code, "wrong-argument-count");
}

#[cfg(unix)]
#[test]
fn an_explicit_path_leading_out_is_unknown_not_false() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", "SECRET\n");
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("link.txt"),
    )
    .unwrap();
    let text = policy(
        "out",
        "    gate \"exists\" {\n      expect exists(\"link.txt\")\n    }\n    gate \"contains\" {\n      expect file(\"link.txt\").contains(/SECRET/)\n    }\n",
    );
    let outcome = evaluate(dir.path(), &text);
    for gate in ["exists", "contains"] {
        let (status, _, reason) = status(&outcome, gate);
        assert_eq!(status, Status::Unknown, "{gate}");
        let reason = reason.unwrap();
        assert!(reason.contains("leads out of the workspace"), "{reason}");
        assert!(!reason.contains("SECRET"), "{reason}");
    }
}

// ---------------------------------------------------------------------------------------------
// One way to open a file: `gate init --force` through a symlink.

#[cfg(unix)]
#[test]
fn init_force_never_writes_through_a_symlink() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("victim.txt");
    std::fs::write(&target, "keep me\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join("readiness.gate")).unwrap();
    let output = gate()
        .args(["init", "--force", "--workspace"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("symlink"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
    // A dangling symlink is refused too (it would create a file outside).
    let dangling = tempfile::tempdir().unwrap();
    let created = outside.path().join("created.txt");
    std::os::unix::fs::symlink(&created, dangling.path().join("readiness.gate")).unwrap();
    let output = gate()
        .args(["init", "--force", "--workspace"])
        .arg(dangling.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(!created.exists());
}

// ---------------------------------------------------------------------------------------------
// The base decides where the policy lives.

const STRICT: &str = "strict";
const RELAXED: &str = "relaxed";

fn policy_named(name: &str) -> String {
    policy(
        name,
        "    gate \"readme\" {\n      expect exists(\"README.md\")\n    }\n",
    )
}

/// A repository on `main` with `files` committed, then a branch `change` checked out.
fn repository(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    write(repo, "README.md", "# app\n");
    for (path, name) in files {
        write(repo, path, &policy_named(name));
    }
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    git(repo, &["checkout", "-q", "-b", "change"]);
    dir
}

fn base() -> PolicySource {
    PolicySource::Base {
        candidates: vec!["main".to_string()],
    }
}

#[test]
fn a_moved_policy_is_judged_where_the_base_has_it() {
    let dir = repository(&[("readiness.gate", STRICT)]);
    let repo = dir.path();
    git(repo, &["rm", "-q", "readiness.gate"]);
    write(repo, ".github/readiness.gate", &policy_named(RELAXED));
    let choice = choose_policy(
        &PolicyLocation::Default {
            workspace: repo.to_path_buf(),
        },
        &base(),
    )
    .unwrap();
    assert_eq!(choice.judged_by, Judge::Base);
    assert_eq!(choice.judge.checked.name, STRICT);
    assert_eq!(choice.repo_path, "readiness.gate");
    assert_eq!(choice.ignored_head_policies, vec![".github/readiness.gate"]);
    assert!(
        choice
            .note
            .contains("a policy added in this change is not used until it is merged: `.github/readiness.gate`"),
        "{}",
        choice.note
    );
    // The moved file is the proposal shown by the policy diff.
    assert_eq!(choice.head.checked.name, RELAXED);
}

#[test]
fn a_shadowing_policy_is_ignored() {
    let dir = repository(&[(".github/readiness.gate", STRICT)]);
    let repo = dir.path();
    write(repo, "readiness.gate", &policy_named(RELAXED));
    let choice = choose_policy(
        &PolicyLocation::Default {
            workspace: repo.to_path_buf(),
        },
        &base(),
    )
    .unwrap();
    assert_eq!(choice.judge.checked.name, STRICT);
    assert_eq!(choice.repo_path, ".github/readiness.gate");
    assert_eq!(choice.ignored_head_policies, vec!["readiness.gate"]);
}

#[cfg(unix)]
#[test]
fn a_folder_turned_into_a_symlink_does_not_redirect_the_policy() {
    let dir = repository(&[("ci/readiness.gate", STRICT)]);
    let repo = dir.path();
    git(repo, &["rm", "-q", "-r", "ci"]);
    write(repo, "evil/readiness.gate", &policy_named(RELAXED));
    std::os::unix::fs::symlink("evil", repo.join("ci")).unwrap();
    let choice = choose_policy(
        &PolicyLocation::Explicit(repo.join("ci/readiness.gate")),
        &base(),
    )
    .unwrap();
    assert_eq!(choice.judged_by, Judge::Base);
    assert_eq!(choice.judge.checked.name, STRICT);
    assert_eq!(choice.repo_path, "ci/readiness.gate");
}

#[cfg(unix)]
#[test]
fn symlinks_in_the_base_tree_stay_in_the_base_tree() {
    let dir = repository(&[("policies/strict.gate", STRICT)]);
    let repo = dir.path();
    git(repo, &["checkout", "-q", "main"]);
    std::os::unix::fs::symlink("policies/strict.gate", repo.join("readiness.gate")).unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "link"]);
    git(repo, &["checkout", "-q", "-b", "change2"]);
    let choice = choose_policy(
        &PolicyLocation::Default {
            workspace: repo.to_path_buf(),
        },
        &base(),
    )
    .unwrap();
    assert_eq!(choice.judge.checked.name, STRICT);

    // A base whose policy is a symlink out of the repository cannot judge.
    git(repo, &["checkout", "-q", "main"]);
    std::fs::remove_file(repo.join("readiness.gate")).unwrap();
    std::os::unix::fs::symlink("../../../../etc/passwd", repo.join("readiness.gate")).unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "escape"]);
    let error = choose_policy(
        &PolicyLocation::Default {
            workspace: repo.to_path_buf(),
        },
        &base(),
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("a symlink that leads out of the repository"),
        "{error}"
    );
}

#[test]
fn only_a_base_without_any_policy_lets_the_change_judge_and_says_so_first() {
    let dir = repository(&[]);
    let repo = dir.path();
    write(repo, "readiness.gate", &policy_named(RELAXED));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "add a policy"]);
    let output = gate()
        .current_dir(repo)
        .args(["check", "--format", "json", "--base", "main"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["policy"]["source"], "head", "{json:#}");
    let note = json["policy"]["note"].as_str().unwrap();
    assert!(
        note.starts_with("the base (`main`, ")
            && note.contains("has no policy, so the policy of this change judges"),
        "{note}"
    );
    let markdown = gate()
        .current_dir(repo)
        .args(["check", "--base", "main", "--format", "markdown"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&markdown.stdout);
    // The header block: title, score, reason, and the note on the policy that judged.
    let header: Vec<&str> = text.split("\n\n").take(4).collect();
    assert!(
        header
            .join("\n\n")
            .contains("has no policy, so the policy of this change judges"),
        "{text}"
    );
}

#[test]
fn the_base_policy_in_a_non_ascii_folder_with_a_space() {
    let dir = repository(&[("apps/café web/readiness.gate", STRICT)]);
    let repo = dir.path();
    write(repo, "apps/café web/readiness.gate", &policy_named(RELAXED));
    let choice = choose_policy(
        &PolicyLocation::Default {
            workspace: repo.join("apps/café web"),
        },
        &base(),
    )
    .unwrap();
    assert_eq!(choice.judged_by, Judge::Base);
    assert_eq!(choice.judge.checked.name, STRICT);
    assert_eq!(choice.repo_path, "apps/café web/readiness.gate");
    assert_eq!(choice.head.checked.name, RELAXED);
}

// ---------------------------------------------------------------------------------------------
// Non-ASCII paths through git: patch coverage and `when changed`.

#[test]
fn non_ascii_and_spaced_paths_pass_patch_coverage_and_when_changed() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    let lines: String = (1..=5)
        .map(|n| format!("export const v{n} = {n};\n"))
        .collect();
    write(repo, "src/café.ts", &lines);
    write(repo, "a folder/x.ts", "export const x = 1;\n");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    git(repo, &["checkout", "-q", "-b", "feature"]);
    write(repo, "src/café.ts", &lines.replace("v3 = 3", "v3 = 33"));
    write(repo, "a folder/y.ts", "export const y = 2;\n");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "change"]);

    let changed = readiness_gate::repo::changes::changed_lines(repo, "main").unwrap();
    assert!(
        changed.files.contains_key("src/café.ts"),
        "{:?}",
        changed.files
    );
    assert!(
        changed.files.contains_key("a folder/y.ts"),
        "{:?}",
        changed.files
    );
    let names = readiness_gate::repo::changes::changed_files(repo, "main").unwrap();
    assert_eq!(names, vec!["a folder/y.ts", "src/café.ts"]);

    write(
        repo,
        "coverage/lcov.info",
        &format!(
            "TN:\nSF:/home/runner/work/app/app/src/café.ts\n{}LF:5\nLH:5\nend_of_record\nSF:/__w/app/app/a folder/y.ts\nDA:1,1\nLF:1\nLH:1\nend_of_record\n",
            (1..=5).map(|n| format!("DA:{n},1\n")).collect::<String>()
        ),
    );
    write(
        repo,
        "readiness.gate",
        r#"policy "café" {
  target 100%

  evidence {
    coverage = coverage("coverage/lcov.info")
  }

  category quality weight 1 {
    gate "patch" when changed("src/**") {
      expect coverage.patch.lines >= 100%
    }
    gate "spaced folder" when changed("a folder/**") {
      expect exists("a folder/y.ts")
    }
    gate "docs" when changed("docs/**") {
      expect exists("docs/index.md")
    }
  }
}
"#,
    );
    let output = gate()
        .current_dir(repo)
        .args([
            "check",
            "--format",
            "json",
            "--diff-base",
            "main",
            "--policy-from",
            "head",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    let gates: Vec<(String, String)> = json["categories"][0]["gates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap().to_string(),
                g["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        gates,
        vec![
            ("patch".to_string(), "pass".to_string()),
            ("spaced folder".to_string(), "pass".to_string()),
            ("docs".to_string(), "not_applicable".to_string()),
        ],
        "{json:#}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_exit_code_file_is_refused_end_to_end_and_never_quoted() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "token", "ghp_SECRET_FROM_OUTSIDE\n");
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path();
    write(
        workspace,
        "build/tsc.log",
        "src/a.ts(1,20): error TS2307: Cannot find module './x'.\n",
    );
    std::os::unix::fs::symlink(
        outside.path().join("token"),
        workspace.join("build/exit-code.txt"),
    )
    .unwrap();
    write(
        workspace,
        "readiness.gate",
        r#"policy "build" {
  target 100%

  evidence {
    build = build_log("build/tsc.log")
  }

  category build weight 1 {
    gate "compiles" {
      expect build.succeeded
    }
  }
}
"#,
    );
    for format in ["json", "markdown", "human", "github", "sarif"] {
        let output = gate()
            .current_dir(workspace)
            .args(["check", "--format", format, "--color", "never"])
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!all.contains("ghp_SECRET"), "{format}: {all}");
        if format == "json" {
            assert!(all.contains("leads out of its folder"), "{all}");
        }
    }
}
