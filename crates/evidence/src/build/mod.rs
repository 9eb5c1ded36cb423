//! Readers of build artifacts. One file per format; this module dispatches and sniffs.

use crate::{Format, ReadError, BuildFigures};
use std::path::{Path, PathBuf};

/// Recognises a build format from the first bytes of a file and its name.
pub fn sniff(_head: &[u8], _path: &Path) -> Option<Format> {
    None
}

/// Reads (and, for several files, merges) build artifacts of the given format.
pub fn read(format: Format, paths: &[PathBuf]) -> Result<BuildFigures, ReadError> {
    let path = paths.first().cloned().unwrap_or_default();
    Err(ReadError::UnknownFormat {
        path,
        detail: format!("the `{format}` reader is not built yet"),
    })
}
