//! Property tests on generated policies (issue 8 §7, on stable Rust beside the cargo-fuzz
//! target): nested expressions (`not`, parentheses, `and`/`or`) and long operator and method
//! chains. Each generated expression carries its depth as the language counts it; a policy is
//! accepted exactly when that depth is within the limit, is refused with `nesting-too-deep`
//! otherwise, never overflows the stack, and when accepted it checks and `gate fmt` round-trips.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use readiness_gate::syntax::limits::MAX_NESTING;
use readiness_gate::{check, format, syntax};

/// An expression's text, its depth (a leaf is 1), and whether it is a binary operation at its
/// top (then it is parenthesized as an operand, so the text parses to the generated tree).
#[derive(Debug, Clone)]
struct Generated {
    text: String,
    depth: usize,
    binary: bool,
}

fn leaf() -> impl Strategy<Value = Generated> {
    prop_oneof![
        // exists(...) is a call (1) of a string (1).
        Just(("exists(\"a\")", 2)),
        Just(("true", 1)),
        // files(...) (2), .count (3), > 0 (4).
        Just(("files(\"*\").count > 0", 4)),
        // .containing(/x/) adds a level: 5, then > 0.
        Just(("files(\"*\").containing(/x/i).count == 0", 5)),
    ]
    .prop_map(|(text, depth)| Generated {
        text: text.to_string(),
        depth,
        binary: false,
    })
}

fn operand(inner: &Generated) -> (String, usize) {
    if inner.binary {
        (format!("({})", inner.text), inner.depth + 1)
    } else {
        (inner.text.clone(), inner.depth)
    }
}

fn nested() -> impl Strategy<Value = Generated> {
    leaf().prop_recursive(90, 160, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| {
                let (text, depth) = operand(&e);
                Generated {
                    text: format!("not {text}"),
                    depth: depth + 1,
                    binary: false,
                }
            }),
            inner.clone().prop_map(|e| Generated {
                text: format!("({})", e.text),
                depth: e.depth + 1,
                binary: false,
            }),
            (inner.clone(), inner, prop::bool::ANY).prop_map(|(l, r, and)| {
                let ((lt, ld), (rt, rd)) = (operand(&l), operand(&r));
                Generated {
                    text: format!("{lt} {} {rt}", if and { "and" } else { "or" }),
                    depth: ld.max(rd) + 1,
                    binary: true,
                }
            }),
        ]
    })
}

/// Runs of `not` and parentheses around a leaf, far past the limit.
fn deep_prefix() -> impl Strategy<Value = Generated> {
    (prop::collection::vec(prop::bool::ANY, 0..200), leaf()).prop_map(|(prefix, leaf)| {
        let mut text = leaf.text.clone();
        let mut depth = leaf.depth;
        for paren in prefix.iter().rev() {
            text = if *paren {
                format!("({text})")
            } else {
                // `not` takes a whole comparison: `not files("*").count > 0`.
                format!("not {text}")
            };
            depth += 1;
        }
        Generated {
            text,
            depth,
            binary: false,
        }
    })
}

/// Operator chains (`+`, `*`, `-`, `and`) and method chains of any length.
fn chain() -> impl Strategy<Value = Generated> {
    prop_oneof![
        (
            0..400usize,
            prop::sample::select(vec![" + 1", " * 2", " - 3"])
        )
            .prop_map(|(n, link)| Generated {
                // files (2), .count (3), each link +1, > 0 +1.
                text: format!("files(\"*\").count{} > 0", link.repeat(n)),
                depth: 4 + n,
                binary: true,
            }),
        (0..400usize).prop_map(|n| Generated {
            text: format!("files(\"*\"){}.count > 0", ".containing(/x/)".repeat(n)),
            depth: 4 + n,
            binary: true,
        }),
        (0..400usize).prop_map(|n| Generated {
            // exists (2), each `and` +1.
            text: format!("exists(\"a\"){}", " and exists(\"b\")".repeat(n)),
            depth: 2 + n,
            binary: n > 0,
        }),
    ]
}

fn policy_with(expr: &str) -> String {
    format!(
        "policy \"generated\" {{\n  target 50%\n  category c weight 1 {{\n    gate \"g\" {{\n      expect {expr}\n    }}\n  }}\n}}\n"
    )
}

fn holds(generated: &Generated) -> Result<(), TestCaseError> {
    let source = policy_with(&generated.text);
    let parsed = syntax::parse(&source);
    let codes: Vec<_> = parsed.diagnostics.iter().map(|d| d.code).collect();
    if generated.depth > MAX_NESTING {
        prop_assert_eq!(codes, vec!["nesting-too-deep"], "depth {}", generated.depth);
        return Ok(());
    }
    prop_assert!(
        codes.is_empty(),
        "depth {} refused: {:?}",
        generated.depth,
        codes
    );
    let policy = parsed.policy.unwrap();
    let checked = check::check(&policy);
    prop_assert!(checked.is_ok(), "{:?}", checked.err());
    let formatted = format::format_policy(&policy, &source);
    let again = syntax::parse(&formatted);
    prop_assert!(
        again.policy.is_some(),
        "{:?}\n{}",
        again.diagnostics,
        formatted
    );
    let again = again.policy.unwrap();
    prop_assert_eq!(format::format_policy(&again, &formatted), formatted.clone());
    prop_assert!(check::check(&again).is_ok());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn nested_expressions_are_bounded_and_round_trip(generated in nested()) {
        holds(&generated)?;
    }

    #[test]
    fn deep_prefixes_are_bounded_and_round_trip(generated in deep_prefix()) {
        holds(&generated)?;
    }

    #[test]
    fn long_chains_are_bounded_and_round_trip(generated in chain()) {
        holds(&generated)?;
    }
}
