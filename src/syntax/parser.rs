//! The pest parsers generated from `grammar/`. The strict parser stops at the first problem and
//! pinpoints it; the recovering parser turns unreadable statements into `bad_item`s.

#![allow(missing_docs)]

/// Parses without recovery: its error is the precise first problem.
#[derive(pest_derive::Parser)]
#[grammar = "grammar/policy.pest"]
#[grammar = "grammar/strict.pest"]
pub struct StrictParser;

/// Parses with recovery: every statement it cannot read becomes a `bad_item`.
pub mod recovering {
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/policy.pest"]
    #[grammar = "grammar/recovering.pest"]
    pub struct RecoveringParser;
}
