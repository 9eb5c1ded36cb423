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

/// The two paths of the JUnit reader, one at a time, for the test that shows they agree
/// (`tests/xml_fast_path.rs`). Not part of the crate's interface.
#[doc(hidden)]
pub mod junit_paths {
    use crate::{ReadError, TestFigures};
    use std::path::Path;

    /// The quick-xml path alone (the reference).
    pub fn quick_xml(path: &Path) -> Result<TestFigures, ReadError> {
        let mut figures = TestFigures::default();
        super::junit::read_with_quick_xml(path, &mut figures)?;
        Ok(figures)
    }

    /// The hand-written scanner alone: `None` when it leaves the file to quick-xml.
    pub fn fast(path: &Path) -> Option<TestFigures> {
        let mut figures = TestFigures::default();
        super::junit::read_fast(path, &mut figures).ok()?;
        Some(figures)
    }
}
