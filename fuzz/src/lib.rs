//! Shared body of the fuzz targets: the input is written to a temporary file and read with every
//! format of one kind forced, then once more with the format sniffed. A reader may return `Ok` or
//! `Err`, never panic or hang, and every error must name the file.

use readiness_evidence::{read_file, Format, Kind};
use std::path::PathBuf;

fn scratch() -> PathBuf {
    // One file per fuzzing process (libFuzzer's -fork/-jobs run several).
    std::env::temp_dir().join(format!("readiness-fuzz-{}", std::process::id()))
}

/// Reads `data` as every format of `kind`, and sniffed.
pub fn run(kind: Kind, data: &[u8]) {
    let path = scratch();
    if std::fs::write(&path, data).is_err() {
        return;
    }
    for format in Format::ALL.iter().copied().filter(|f| f.kind() == kind) {
        check(read_file(&path, Some(format)));
    }
    check(read_file(&path, None));
}

fn check(result: Result<readiness_evidence::Evidence, readiness_evidence::ReadError>) {
    if let Err(error) = result {
        assert!(error.path().is_some(), "error without a file: {error}");
        // Rendering the message must not panic either.
        let _ = error.to_string();
    }
}
