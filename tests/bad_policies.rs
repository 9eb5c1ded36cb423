//! Bad-policy fixtures: every file in `tests/fixtures/bad/` is a policy with one kind of mistake.
//! Its first line names the code of the first diagnostic (`# expect: unit-mismatch`); the rendered
//! diagnostics (no colour, width 100) are snapshotted in `snapshots/bad__<name>.snap`, and the
//! important cases pin the exact line, column and underlined text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::diagnostic::{Diagnostic, Level};
use readiness_gate::syntax::span::line_column;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// Every `.gate` file of the bad fixtures, sorted.
fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "gate"))
        .collect();
    files.sort();
    files
}

/// The diagnostics of a bad policy (it must not load).
fn diagnostics_of(source: &str, name: &str) -> Vec<Diagnostic> {
    match readiness_gate::load_policy(source) {
        Ok(_) => panic!("{name}: the policy loaded, but it is a bad-policy fixture"),
        Err(diagnostics) => diagnostics,
    }
}

fn expected_code(source: &str) -> Option<&str> {
    source
        .lines()
        .next()?
        .strip_prefix("# expect:")
        .map(str::trim)
}

#[test]
fn there_are_enough_bad_fixtures() {
    assert!(
        fixtures().len() >= 35,
        "only {} bad fixtures",
        fixtures().len()
    );
}

#[test]
fn bad_policies_render_their_diagnostics() {
    let settings = snapshot_settings();
    let mut problems = Vec::new();
    for path in fixtures() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let file_name = format!("{stem}.gate");
        let source = std::fs::read_to_string(&path).unwrap();
        let Some(expected) = expected_code(&source) else {
            problems.push(format!(
                "{file_name}: the first line is not `# expect: CODE`"
            ));
            continue;
        };
        let Err(diagnostics) = readiness_gate::load_policy(&source) else {
            problems.push(format!(
                "{file_name}: the policy loaded, but it is a bad-policy fixture"
            ));
            continue;
        };
        if diagnostics.is_empty() {
            problems.push(format!("{file_name}: rejected without any diagnostic"));
            continue;
        }
        if !diagnostics.iter().any(|d| d.level == Level::Error) {
            problems.push(format!("{file_name}: rejected with warnings only"));
        }
        let first = diagnostics[0].code;
        if first != expected {
            problems.push(format!(
                "{file_name}: the first diagnostic is `{first}`, expected `{expected}`"
            ));
        }
        for diagnostic in &diagnostics {
            if readiness_gate::explain::lookup(diagnostic.code).is_none() {
                problems.push(format!(
                    "{file_name}: code `{}` is not in the registry",
                    diagnostic.code
                ));
            }
            if diagnostic.code == "internal-error" {
                problems.push(format!(
                    "{file_name}: internal error: {}",
                    diagnostic.message
                ));
            }
            if diagnostic.labels.is_empty() {
                problems.push(format!("{file_name}: `{}` has no span", diagnostic.code));
            }
        }
        let rendered = readiness_gate::report::diagnostics::render(
            &diagnostics,
            &file_name,
            &source,
            false,
            100,
        );
        assert!(
            !rendered.contains('\u{1b}'),
            "{file_name}: ANSI escapes in no-colour rendering"
        );
        settings.bind(|| {
            insta::with_settings!({ input_file => &path, description => source.as_str(), omit_expression => true }, {
                insta::assert_snapshot!(format!("bad__{stem}"), rendered);
            });
        });
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The first diagnostic of a fixture: code, line, column and the text its primary span covers.
fn first_span(fixture: &str) -> (&'static str, usize, usize, String) {
    let source = std::fs::read_to_string(fixtures_dir().join(format!("{fixture}.gate"))).unwrap();
    let diagnostics = diagnostics_of(&source, fixture);
    let first = &diagnostics[0];
    let span = first
        .primary_span()
        .unwrap_or_else(|| panic!("{fixture}: no span"));
    let (line, column) = line_column(&source, span.start);
    (
        first.code,
        line,
        column,
        source[span.start..span.end].to_string(),
    )
}

/// All diagnostics of a fixture as (code, line, column, underlined text).
fn all_spans(fixture: &str) -> Vec<(&'static str, usize, usize, String)> {
    let source = std::fs::read_to_string(fixtures_dir().join(format!("{fixture}.gate"))).unwrap();
    diagnostics_of(&source, fixture)
        .iter()
        .map(|d| {
            let span = d.primary_span().unwrap();
            let (line, column) = line_column(&source, span.start);
            (
                d.code,
                line,
                column,
                source[span.start..span.end].to_string(),
            )
        })
        .collect()
}

fn pinned(
    code: &'static str,
    line: usize,
    column: usize,
    text: &str,
) -> (&'static str, usize, usize, String) {
    (code, line, column, text.to_string())
}

#[test]
fn unit_mismatch_points_at_both_sides() {
    assert_eq!(
        first_span("unit-mismatch-percent-vs-duration"),
        pinned("unit-mismatch", 9, 14, "coverage.lines")
    );
    let source =
        std::fs::read_to_string(fixtures_dir().join("unit-mismatch-percent-vs-duration.gate"))
            .unwrap();
    let diagnostic = &diagnostics_of(&source, "unit-mismatch")[0];
    assert_eq!(
        diagnostic.message,
        "cannot compare a percentage with a duration"
    );
    let second = diagnostic.labels[1].span;
    assert_eq!(&source[second.start..second.end], "500ms");
    assert_eq!(line_column(&source, second.start), (9, 32));
}

#[test]
fn unknown_field_underlines_the_field_and_suggests() {
    assert_eq!(
        first_span("unknown-field-did-you-mean"),
        pinned("unknown-field", 9, 23, "lnes")
    );
    let source =
        std::fs::read_to_string(fixtures_dir().join("unknown-field-did-you-mean.gate")).unwrap();
    let diagnostic = &diagnostics_of(&source, "unknown-field")[0];
    assert_eq!(diagnostic.help.as_deref(), Some("did you mean `lines`?"));
}

#[test]
fn single_equals_is_pinned_with_help() {
    assert_eq!(
        first_span("syntax-single-equals-compare"),
        pinned("syntax-error", 9, 27, "=")
    );
    let source =
        std::fs::read_to_string(fixtures_dir().join("syntax-single-equals-compare.gate")).unwrap();
    let diagnostic = &diagnostics_of(&source, "single equals")[0];
    assert_eq!(
        diagnostic.help.as_deref(),
        Some("compare with `==`; `=` only names evidence items")
    );
}

#[test]
fn bad_severity_word_is_pinned() {
    assert_eq!(
        first_span("syntax-bad-severity-word"),
        pinned("syntax-error", 5, 35, "blockr")
    );
}

#[test]
fn recovery_reports_every_syntax_error() {
    let spans = all_spans("syntax-several-errors-recovery");
    let codes: Vec<_> = spans.iter().map(|(code, ..)| *code).collect();
    assert_eq!(
        codes,
        ["syntax-error", "syntax-error", "syntax-error"],
        "{spans:?}"
    );
    let lines: Vec<_> = spans.iter().map(|(_, line, ..)| *line).collect();
    assert_eq!(lines, [8, 11, 17], "{spans:?}");
    // The missing `)` is reported once (where the strict parser found `}` instead), not a second
    // time for the statement the recovering parser skipped.
    assert_eq!(spans[0], pinned("syntax-error", 8, 3, "}"));
    assert_eq!(spans[1], pinned("syntax-error", 11, 27, "="));
    assert_eq!(spans[2], pinned("syntax-error", 17, 28, "{"));
}

#[test]
fn duplicate_gate_points_at_the_second_name_and_the_first() {
    let source = std::fs::read_to_string(fixtures_dir().join("duplicate-gate.gate")).unwrap();
    let diagnostic = &diagnostics_of(&source, "duplicate-gate")[0];
    assert_eq!(
        first_span("duplicate-gate"),
        pinned("duplicate-gate", 10, 10, "\"health\"")
    );
    let first = diagnostic.labels[1].span;
    assert_eq!(line_column(&source, first.start), (5, 10));
}

#[test]
fn glob_errors_carry_the_glob_span() {
    assert_eq!(
        first_span("glob-escapes-workspace-parent"),
        pinned(
            "glob-escapes-workspace",
            5,
            25,
            "\"../other-repo/coverage/lcov.info\""
        )
    );
    assert_eq!(
        first_span("invalid-glob-unclosed-alternates"),
        pinned(
            "invalid-glob",
            6,
            20,
            "\"sentry.{client,server,edge.config.ts\""
        )
    );
}

#[test]
fn regex_errors_carry_the_regex_span() {
    assert_eq!(
        first_span("invalid-regex"),
        pinned("invalid-regex", 6, 47, "/Content-Security-(Policy/")
    );
}

#[test]
fn levels_not_increasing_points_at_the_threshold() {
    assert_eq!(
        first_span("levels-not-increasing"),
        pinned("levels-not-increasing", 4, 28, "85%")
    );
    // Only the first offending level is reported against `gold`; `bronze` is compared with `gold`
    // too, as `silver` was skipped.
    let spans = all_spans("levels-not-increasing");
    assert_eq!(spans.len(), 2, "{spans:?}");
    assert_eq!(spans[1], pinned("levels-not-increasing", 4, 39, "70%"));
}

#[test]
fn waiver_errors_point_at_the_waived_gate() {
    assert_eq!(
        first_span("waiver-missing-owner"),
        pinned("waiver-missing-owner", 9, 9, "\"health\"")
    );
    assert_eq!(
        first_span("waiver-missing-expiry"),
        pinned("waiver-missing-expiry", 9, 9, "\"health\"")
    );
}

#[test]
fn unterminated_string_and_regex_are_pinned() {
    let (code, line, _, _) = first_span("syntax-unterminated-string");
    assert_eq!((code, line), ("syntax-error", 5));
    let (code, line, _, _) = first_span("syntax-unterminated-regex");
    assert_eq!((code, line), ("syntax-error", 6));
}

#[test]
fn several_semantic_errors_are_all_reported_in_source_order() {
    let spans = all_spans("several-semantic-errors");
    let codes: Vec<_> = spans.iter().map(|(code, ..)| *code).collect();
    assert_eq!(
        codes,
        [
            "unknown-field",
            "unit-mismatch",
            "invalid-weight",
            "unit-mismatch",
            "waiver-missing-reason"
        ],
        "{spans:?}"
    );
}
