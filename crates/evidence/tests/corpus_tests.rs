//! Every `tests` folder of the corpus (`corpus/`) agrees with its `expected.json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod corpus_support;

use readiness_evidence::Kind;
use serde_json::json;

/// Figures the JUnit artifacts cannot carry (see each folder's HOW.md).
fn known_gaps() -> Vec<corpus_support::KnownGap> {
    const NEXTEST: &str = "cargo-nextest writes only the tests that ran to junit.xml: the \
        #[ignore]d test is in its summary line but absent from the XML (testsuites tests=\"8\" \
        skipped=\"0\")";
    const JEST_DEFAULT: &str = "jest-junit's default (reportTestSuiteErrors: false) leaves the \
        suite that failed to run out of junit.xml entirely; the sibling folder with \
        reportTestSuiteErrors: true reads errors = 1";
    vec![
        ("nextest-junit-failing", "total", json!(8), NEXTEST),
        ("nextest-junit-failing", "skipped", json!(0), NEXTEST),
        (
            "jestjunit-junit-suite-error-default",
            "errors",
            json!(0),
            JEST_DEFAULT,
        ),
    ]
}

#[test]
fn corpus_tests_folders_agree_with_the_oracle() {
    corpus_support::check_kind(Kind::Tests, &known_gaps());
}
