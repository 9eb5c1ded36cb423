//! Reads one artifact and prints the time taken and a one-line summary; used by `bench/run.sh`.
//!
//! `bench_read [--reader-only] FORMAT PATH`
//!
//! Without `--reader-only` this is exactly what `gate inspect` does: [`read_file`] with the
//! format forced (the reader plus provenance: one more pass over the file for its sha256). With
//! it, only the reader runs.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use readiness_evidence::{read_file, Figures, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let reader_only = args.first().is_some_and(|a| a == "--reader-only");
    if reader_only {
        args.remove(0);
    }
    let (Some(format), Some(path)) = (args.first(), args.get(1)) else {
        eprintln!("usage: bench_read [--reader-only] FORMAT PATH");
        return ExitCode::from(2);
    };
    let Some(format) = Format::from_name(format) else {
        eprintln!("unknown format `{format}`");
        return ExitCode::from(2);
    };
    let path = PathBuf::from(path);
    let start = Instant::now();
    let figures = if reader_only {
        let paths = std::slice::from_ref(&path);
        match format.kind() {
            readiness_evidence::Kind::Coverage => {
                readiness_evidence::coverage::read(format, paths).map(Figures::Coverage)
            }
            readiness_evidence::Kind::Tests => {
                readiness_evidence::tests::read(format, paths).map(Figures::Tests)
            }
            _ => read_file(&path, Some(format)).map(|evidence| evidence.figures),
        }
    } else {
        read_file(&path, Some(format)).map(|evidence| evidence.figures)
    };
    let seconds = start.elapsed().as_secs_f64();
    match figures {
        Ok(Figures::Coverage(c)) => println!(
            "{seconds:.3}s files={} lines={:?} branches={:?} functions={:?}",
            c.files, c.lines, c.branches, c.functions
        ),
        Ok(Figures::Tests(t)) => println!(
            "{seconds:.3}s total={} passed={} failed={} errors={} skipped={} failures_listed={}",
            t.total,
            t.passed,
            t.failed,
            t.errors,
            t.skipped,
            t.failures.len()
        ),
        Ok(other) => println!("{seconds:.3}s {other:?}"),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
