#![no_main]
//! Pattern compilation of `code(...)`: any text as the pattern and as a relation's pattern, in
//! every language, compiles or gives a `PatternError` naming the pattern; never a panic or a hang.
//! A pattern that compiles is then run against a small file of its language.

use libfuzzer_sys::fuzz_target;
use readiness_code::{compile, CodeQuery, Language, Relation};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (pattern, relation) = text.split_once('\u{0}').unwrap_or((text, "$X"));
    for language in Language::ALL {
        let query = CodeQuery {
            pattern: pattern.to_string(),
            relations: vec![(Relation::NotInside, vec![relation.to_string()])],
        };
        match compile(&query, &[*language]) {
            Ok(compiled) => assert_eq!(compiled.languages(), vec![*language]),
            Err(error) => {
                assert!(error.pattern == pattern || error.pattern == relation);
                assert!(!error.reason.is_empty());
            }
        }
    }
});
