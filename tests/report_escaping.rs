//! Artifact text is data in every output: hostile test names, failure messages, file names and
//! module specifiers (newlines, workflow commands, ANSI escapes, HTML, Markdown, mentions, issue
//! references, the sticky-comment marker) go through every format, and each format keeps its
//! guarantee (see `src/report/escape.rs`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::eval::{self, Context, Outcome};
use readiness_gate::evidence::Workspace;
use readiness_gate::publish::{self, Settings};
use readiness_gate::report;
use std::path::Path;

/// What an attacker writes into an artifact.
const HOSTILE: &[&str] = &[
    "line one\nline two",
    "\n::error file=readiness.gate,line=1::forged",
    "::add-mask::secret",
    "\u{1b}[31mred\u{1b}[0m and \u{1b}]8;;http://evil.example\u{7}a link\u{1b}]8;;\u{7}",
    "<!-- readiness-gate:sticky v1 key=readiness state=x -->",
    "<img src=x onerror=alert(1)>",
    "<details><summary>open me",
    "`code` ``` fence",
    "a | b | c",
    "@team please look",
    "fixes #123",
    "##[error]legacy command",
];

fn xml_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace(['\u{1b}', '\u{7}'], "")
}

fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\u{1b}', '\u{7}'], "")
}

/// A workspace whose JUnit report and build log carry the hostile strings, judged by a policy
/// whose names carry them too.
fn hostile_outcome(dir: &Path) -> Outcome {
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    let mut cases = String::new();
    for (i, text) in HOSTILE.iter().enumerate() {
        cases.push_str(&format!(
            "<testcase classname=\"suite\" name=\"{}\" file=\"src/t{i}{}.ts\" line=\"{}\" time=\"0\"><failure message=\"{}\">{}</failure></testcase>\n",
            xml_attribute(text),
            xml_attribute(&text.replace(['\n', '/'], " ")),
            i + 1,
            xml_attribute(text),
            xml_text(text),
        ));
    }
    std::fs::write(
        dir.join("reports/junit.xml"),
        format!(
            "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"suite\" tests=\"{n}\" failures=\"{n}\">\n{cases}</testsuite></testsuites>\n",
            n = HOSTILE.len()
        ),
    )
    .unwrap();
    let mut log = String::from("Failed to compile.\n\n");
    for text in HOSTILE {
        let one_line = text.replace('\n', " ");
        log.push_str(&format!(
            "./app/page.tsx\nModule not found: Can't resolve '{one_line}'\n\n"
        ));
    }
    log.push_str("> Build failed because of webpack errors\n");
    std::fs::write(dir.join("logs/build.log"), log).unwrap();
    let policy = r#"policy "<img src=x> @team #123 ::error::x" {
  target 90%
  evidence {
    build = build_log("logs/build.log")
    tests = junit("reports/*.xml")
  }
  category reliability weight 1 {
    gate "<details><summary>build" blocker {
      expect build.unresolved_imports == 0
    }
    gate "@team tests #123" {
      expect tests.failed == 0
    }
  }
}
"#;
    std::fs::write(dir.join("readiness.gate"), policy).unwrap();
    let (_, checked) = readiness_gate::load_policy(policy).unwrap();
    let workspace = Workspace::new(dir);
    let context = Context {
        evidence: &workspace,
        today: time::macros::date!(2026 - 11 - 21),
        changed_files: None,
        policy_file: "readiness.gate",
        policy_source: policy,
    };
    eval::evaluate(&checked, &context)
}

fn outcome() -> (tempfile::TempDir, Outcome) {
    let dir = tempfile::tempdir().unwrap();
    let outcome = hostile_outcome(dir.path());
    let findings: usize = outcome.evidence.iter().map(|e| e.findings.len()).sum();
    assert!(
        findings >= HOSTILE.len() * 2,
        "the artifacts were not read as expected: {findings} findings"
    );
    (dir, outcome)
}

/// No line the Actions runner would read as a workflow command, no control character.
fn assert_terminal_safe(format: &str, text: &str) {
    for line in text.lines() {
        let trimmed = line.trim_start();
        assert!(
            !trimmed.starts_with("::"),
            "{format}: a line starts a workflow command: {line:?}"
        );
        assert!(!line.contains("##["), "{format}: legacy command: {line:?}");
        assert!(
            !line.chars().any(|c| c.is_control()),
            "{format}: control character in {line:?}"
        );
    }
}

#[test]
fn human_output_never_starts_a_workflow_command_and_has_no_control_characters() {
    let (_dir, outcome) = outcome();
    let human = report::human::render(&outcome, false);
    assert_terminal_safe("human", &human);
    // The test names are there, on one line each, as data.
    let wide = report::human::render_with(
        &outcome,
        &report::human::Options {
            color: false,
            width: 10_000,
        },
    );
    assert!(wide.contains("line one line two"), "{wide}");
    // With colour, only our own SGR sequences remain: none from the artifacts.
    let colored = report::human::render(&outcome, true);
    assert!(!colored.contains("\u{1b}]"), "an OSC sequence got through");
    assert!(
        !colored.contains("\u{1b}[31mred"),
        "an artifact colour got through"
    );
}

/// Tags comrak may produce from our own Markdown.
const OUR_TAGS: &[&str] = &[
    "h2",
    "h3",
    "p",
    "strong",
    "em",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "details",
    "summary",
    "wbr",
    "code",
    "ul",
    "li",
    "br",
    "a",
    "sub",
    "sup",
    "blockquote",
    "del",
];

fn tags(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let name: String = after
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
            .collect();
        found.push(name);
        rest = after;
    }
    found
}

fn without_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<code>") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</code>") {
            Some(end) => rest = &rest[start + end + "</code>".len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn assert_markdown_safe(label: &str, markdown: &str) {
    assert!(
        !markdown.contains("<!--"),
        "{label}: the Markdown opens an HTML comment (the sticky marker could be forged)"
    );
    assert!(
        !markdown
            .lines()
            .any(|line| line.starts_with("<!-- readiness-gate:sticky")),
        "{label}: a marker line"
    );
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    options.render.r#unsafe = true;
    let html = comrak::markdown_to_html(markdown, &options);
    for tag in tags(&html) {
        assert!(
            OUR_TAGS.contains(&tag.as_str()),
            "{label}: artifact text became HTML <{tag}>:\n{html}"
        );
    }
    assert_eq!(
        html.matches("<details>").count(),
        html.matches("</details>").count(),
        "{label}: a <details> block does not close"
    );
    let prose = without_code(&html);
    for needle in ["@team", "#123", "<img", "href=\"http://evil"] {
        assert!(
            !prose.contains(needle),
            "{label}: `{needle}` outside code:\n{prose}"
        );
    }
    assert!(!markdown.contains('\u{1b}'), "{label}: an escape character");
}

#[test]
fn markdown_escapes_html_and_markdown_and_neutralises_mentions_and_references() {
    let (_dir, outcome) = outcome();
    assert_markdown_safe("markdown", &report::markdown::render(&outcome));
    let publication = publish::publication(&outcome, &Settings::default());
    for section in &publication.sections {
        assert_markdown_safe(&section.label, &section.markdown);
    }
}

#[test]
fn workflow_commands_carry_artifact_text_only_as_escaped_data() {
    let (_dir, outcome) = outcome();
    let out = report::github::render(&outcome, "", None);
    for line in out.lines() {
        if let Some(command) = line.strip_prefix("::") {
            let name: String = command
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            assert!(
                ["error", "warning", "notice"].contains(&name.as_str()),
                "an injected command: {line}"
            );
            assert!(
                !line.contains("::add-mask::")
                    || line.contains("%0A")
                    || line.matches("::").count() >= 3
            );
        } else {
            assert!(
                line.starts_with("readiness-gate: "),
                "a line that is not ours: {line:?}"
            );
        }
        assert!(
            !line.chars().any(|c| c.is_control()),
            "control character: {line:?}"
        );
    }
}

#[test]
fn annotations_are_plain_text() {
    let (_dir, outcome) = outcome();
    for annotation in publish::annotations(&outcome, "") {
        for text in [&annotation.path, &annotation.message] {
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "control character: {text:?}"
            );
        }
    }
}

#[test]
fn sarif_and_junit_carry_no_control_characters_and_stay_well_formed() {
    let (_dir, outcome) = outcome();
    let sarif = report::sarif::render(&outcome, "");
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    strings(&log, &mut all);
    for text in all {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "sarif: control character in {text:?}"
        );
    }
    let junit = report::junit::render(&outcome, "");
    assert!(!junit.contains('\u{1b}'));
    assert!(!junit.contains("<img") && !junit.contains("<details"));
    let comment = junit.lines().nth(1).unwrap();
    assert!(comment.starts_with("<!--") && comment.ends_with("-->"));
    assert!(!comment[4..comment.len() - 3].contains("--"), "{comment}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("readiness.xml");
    std::fs::write(&path, &junit).unwrap();
    let read = readiness_evidence::read_file(&path, Some(readiness_evidence::Format::Junit));
    assert!(read.is_ok(), "our JUnit does not read back: {junit}");
}

#[test]
fn json_keeps_artifact_text_exactly_as_data() {
    let (_dir, outcome) = outcome();
    let json: serde_json::Value = serde_json::from_str(&report::json::render(&outcome)).unwrap();
    let text = json.to_string();
    assert!(text.contains("@team please look"));
    assert!(
        !report::json::render(&outcome).contains('\u{1b}'),
        "raw escape in JSON"
    );
}
