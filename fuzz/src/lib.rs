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

/// The policy target: parse, check and render the diagnostics of any text without a panic, a
/// stack overflow or a hang; and when it parses, `gate fmt` round-trips: the formatted text
/// parses, formats to itself, and checks exactly when the original checks.
pub fn policy(data: &[u8]) {
    use readiness_gate::{check, format, report, syntax};
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = syntax::parse(source);
    let _ = report::diagnostics::render(&parsed.diagnostics, "fuzz.gate", source, false, 100);
    let Some(policy) = parsed.policy else {
        assert!(!parsed.diagnostics.is_empty(), "no policy and no diagnostic");
        return;
    };
    let checked = check::check(&policy);
    if let Err(diagnostics) = &checked {
        let _ = report::diagnostics::render(diagnostics, "fuzz.gate", source, false, 100);
    }
    let formatted = format::format_policy(&policy, source);
    let reparsed = syntax::parse(&formatted);
    let Some(again) = reparsed.policy else {
        panic!(
            "the formatted policy does not parse: {:?}\n--- formatted ---\n{formatted}",
            reparsed.diagnostics
        );
    };
    let twice = format::format_policy(&again, &formatted);
    assert_eq!(formatted, twice, "formatting is not idempotent");
    assert_eq!(
        checked.is_ok(),
        check::check(&again).is_ok(),
        "formatting changed whether the policy checks\n--- formatted ---\n{formatted}"
    );
}
