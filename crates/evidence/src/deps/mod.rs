//! Readers of deps artifacts. One file per format; this module dispatches and sniffs.

use crate::{Format, ReadError, DepsFigures};
use std::path::{Path, PathBuf};

/// Recognises a deps format from the first bytes of a file and its name.
pub fn sniff(_head: &[u8], _path: &Path) -> Option<Format> {
    None
}

/// Reads (and, for several files, merges) deps artifacts of the given format.
pub fn read(format: Format, paths: &[PathBuf]) -> Result<DepsFigures, ReadError> {
    let path = paths.first().cloned().unwrap_or_default();
    Err(ReadError::UnknownFormat {
        path,
        detail: format!("the `{format}` reader is not built yet"),
    })
}
