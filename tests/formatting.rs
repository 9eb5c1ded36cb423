//! Good-policy fixtures: every file in `tests/fixtures/good/` parses and checks; its canonical
//! formatting (`gate fmt`) is snapshotted in `snapshots/good__<name>.snap`, is idempotent, still
//! checks, and keeps every comment in order.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::format::format_policy;
use readiness_gate::syntax::{self, ast::Policy};
use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "gate"))
        .collect();
    files.sort();
    files
}

fn parse_ok(source: &str, name: &str) -> Policy {
    let parsed = syntax::parse(source);
    match parsed.policy {
        Some(policy) if parsed.diagnostics.is_empty() => policy,
        _ => {
            let rendered = readiness_gate::report::diagnostics::render(
                &parsed.diagnostics,
                name,
                source,
                false,
                100,
            );
            panic!("{name} does not parse:\n{rendered}\n--- source ---\n{source}");
        }
    }
}

fn check_ok(source: &str, name: &str) {
    if let Err(diagnostics) = readiness_gate::load_policy(source) {
        let rendered =
            readiness_gate::report::diagnostics::render(&diagnostics, name, source, false, 100);
        panic!("{name} does not check:\n{rendered}\n--- source ---\n{source}");
    }
}

fn comment_texts(policy: &Policy) -> Vec<String> {
    policy
        .comments
        .iter()
        .map(|comment| comment.text.trim().to_string())
        .collect()
}

/// `#` comments counted in the raw text (a `#` outside string literals).
fn raw_comment_count(source: &str) -> usize {
    source
        .lines()
        .filter(|line| {
            let mut in_string = false;
            let mut escaped = false;
            for c in line.chars() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' if in_string => escaped = true,
                    '"' => in_string = !in_string,
                    '#' if !in_string => return true,
                    _ => {}
                }
            }
            false
        })
        .count()
}

#[test]
fn there_are_good_fixtures() {
    assert!(fixtures().len() >= 5);
}

#[test]
fn good_policies_format_idempotently_and_keep_comments() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for path in fixtures() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let name = format!("{stem}.gate");
        let source = std::fs::read_to_string(&path).unwrap();
        check_ok(&source, &name);
        let policy = parse_ok(&source, &name);
        let once = format_policy(&policy, &source);

        let reparsed = parse_ok(&once, &format!("{name} (formatted once)"));
        check_ok(&once, &format!("{name} (formatted once)"));
        let twice = format_policy(&reparsed, &once);
        assert_eq!(once, twice, "{name}: formatting is not idempotent");

        assert_eq!(
            comment_texts(&policy),
            comment_texts(&reparsed),
            "{name}: formatting lost, changed or reordered comments"
        );
        assert_eq!(
            raw_comment_count(&source),
            raw_comment_count(&once),
            "{name}: the number of `#` comments changed"
        );
        assert!(!once.contains('\t'), "{name}: tabs in formatted output");
        assert!(
            once.lines().all(|line| line == line.trim_end()),
            "{name}: trailing whitespace"
        );
        assert!(
            once.ends_with("}\n") || once.ends_with('\n'),
            "{name}: no final newline"
        );

        // The formatted policy judges the same thing: same gates, expectations and waivers.
        let (_, before) = readiness_gate::load_policy(&source).unwrap();
        let (_, after) = readiness_gate::load_policy(&once).unwrap();
        assert_eq!(
            summary(&before),
            summary(&after),
            "{name}: formatting changed the meaning"
        );

        settings.bind(|| insta::assert_snapshot!(format!("good__{stem}"), once));
    }
}

/// What a checked policy judges, as text.
fn summary(policy: &readiness_gate::check::CheckedPolicy) -> Vec<String> {
    let mut lines = vec![format!("{} target {}", policy.name, policy.target)];
    lines.extend(
        policy
            .levels
            .iter()
            .map(|l| format!("level {} {}", l.name, l.threshold)),
    );
    lines.extend(policy.evidence.iter().map(|e| {
        let globs: Vec<_> = e.globs.iter().map(|g| g.text.clone()).collect();
        format!(
            "evidence {} {:?} {:?} {:?} {:?}",
            e.name, e.kind, globs, e.shards, e.format
        )
    }));
    for category in &policy.categories {
        lines.push(format!("category {} {}", category.name, category.weight));
        for gate in &category.gates {
            let when: Option<Vec<_>> = gate
                .when_changed
                .as_ref()
                .map(|g| g.iter().map(|g| g.text.clone()).collect());
            lines.push(format!(
                "gate {} {:?} {} {:?}",
                gate.name, gate.severity, gate.points, when
            ));
            for expectation in &gate.expectations {
                lines.push(format!(
                    "expect {} help {:?}",
                    expectation.text, expectation.help
                ));
            }
        }
    }
    lines.extend(
        policy
            .waivers
            .iter()
            .map(|w| format!("waive {} {} {} {}", w.gate, w.until, w.owner, w.reason)),
    );
    lines
}

#[test]
fn a_formatted_fixture_is_left_unchanged() {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/minimal.gate"),
    )
    .unwrap();
    let policy = parse_ok(&source, "minimal.gate");
    assert_eq!(format_policy(&policy, &source), source);
}

#[test]
fn string_escapes_round_trip() {
    let source = "policy \"a \\\"b\\\" \\\\ \\u{2713}\" {\n  target 90%\n  category c weight 1 {\n    gate \"g\" {\n      expect exists(\"x\")\n    }\n  }\n}\n";
    let policy = parse_ok(source, "escapes");
    assert_eq!(policy.name.node, "a \"b\" \\ \u{2713}");
    let formatted = format_policy(&policy, source);
    let again = parse_ok(&formatted, "escapes (formatted)");
    assert_eq!(again.name.node, policy.name.node);
}
