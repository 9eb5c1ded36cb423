//! Every ```gate block of README.md is a complete policy: it parses, checks, formats
//! idempotently, and evaluates (against an empty workspace, where missing evidence must never
//! pass).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_gate::eval::{self, Context, Status};
use readiness_gate::evidence::Workspace;

fn gate_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```gate") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn every_readme_policy_block_parses_checks_and_evaluates() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let blocks = gate_blocks(&readme);
    assert!(
        blocks.len() >= 3,
        "the README's language tour should have policy blocks"
    );
    let empty = tempfile::tempdir().unwrap();
    for (index, block) in blocks.iter().enumerate() {
        let (ast, checked) = readiness_gate::load_policy(block).unwrap_or_else(|d| {
            panic!("README gate block {index} does not check: {d:#?}\n{block}")
        });
        let once = readiness_gate::format::format_policy(&ast, block);
        let parsed = readiness_gate::syntax::parse(&once);
        let twice = readiness_gate::format::format_policy(parsed.policy.as_ref().unwrap(), &once);
        assert_eq!(
            once, twice,
            "formatting README block {index} is not idempotent"
        );
        let workspace = Workspace::new(empty.path());
        let context = Context {
            evidence: &workspace,
            today: time::macros::date!(2026 - 11 - 21),
            changed_files: None,
            policy_file: "README.md",
            policy_source: block,
        };
        let outcome = eval::evaluate(&checked, &context);
        assert!(
            !outcome.ready,
            "block {index}: an empty workspace can never be ready"
        );
        for gate in outcome.categories.iter().flat_map(|c| c.gates.iter()) {
            assert_ne!(
                gate.result,
                Status::Pass,
                "block {index}: gate `{}` passed without evidence",
                gate.name
            );
        }
    }
}
