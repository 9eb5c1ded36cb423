//! Readers of test-result artifacts. One file per format; this module dispatches and sniffs.
//!
//! Only JUnit XML exists today ([`junit`]), in the dialects of pytest, jest-junit, vitest, Maven
//! surefire, cargo-nextest and gotestsum. Several files of one evidence item are suites of one run
//! (sharded CI jobs): their figures are summed and their failing cases concatenated.

mod junit;

use crate::{Format, ReadError, TestFigures};
use std::path::{Path, PathBuf};

/// At most this many failing cases are kept (the counts stay exact beyond it).
pub const MAX_FAILING_CASES: usize = 1000;

/// Recognises a tests format from the first bytes of a file and its name.
pub fn sniff(head: &[u8], _path: &Path) -> Option<Format> {
    junit::sniff(head).then_some(Format::Junit)
}

/// Reads (and, for several files, merges) tests artifacts of the given format.
pub fn read(format: Format, paths: &[PathBuf]) -> Result<TestFigures, ReadError> {
    let Some(first) = paths.first() else {
        return Err(ReadError::NoFiles);
    };
    match format {
        Format::Junit => {
            let mut figures = TestFigures::default();
            for path in paths {
                junit::read_into(path, &mut figures)?;
            }
            Ok(figures)
        }
        other => Err(ReadError::Merge {
            path: first.clone(),
            detail: format!("`{other}` is not a test-result format"),
        }),
    }
}
