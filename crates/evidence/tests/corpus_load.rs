//! Every `load` folder of the corpus (`corpus/`) agrees with its `expected.json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod corpus_support;

use readiness_evidence::Kind;

#[test]
fn corpus_load_folders_agree_with_the_oracle() {
    corpus_support::check_kind(Kind::Load, &[]);
}
