//! Reads one artifact and prints the time taken and a one-line summary; used by `bench/run.sh`.
//!
//! `bench_read [--reader-only] FORMAT PATH...`
//!
//! Without `--reader-only` this is exactly what `gate inspect` does: [`read_files`] with the
//! format forced (the reader plus provenance: one more pass over each file for its sha256). With
//! it, only the reader runs. Several paths are one evidence item (shards), merged.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use readiness_evidence::{read_files, Figures, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let reader_only = args.first().is_some_and(|a| a == "--reader-only");
    if reader_only {
        args.remove(0);
    }
    let (Some(format), Some(_)) = (args.first(), args.get(1)) else {
        eprintln!("usage: bench_read [--reader-only] FORMAT PATH...");
        return ExitCode::from(2);
    };
    let Some(format) = Format::from_name(format) else {
        eprintln!("unknown format `{format}`");
        return ExitCode::from(2);
    };
    let paths: Vec<PathBuf> = args.iter().skip(1).map(PathBuf::from).collect();
    let paths = paths.as_slice();
    let start = Instant::now();
    let figures = if reader_only {
        match format.kind() {
            readiness_evidence::Kind::Coverage => {
                readiness_evidence::coverage::read(format, paths).map(Figures::Coverage)
            }
            readiness_evidence::Kind::Tests => {
                readiness_evidence::tests::read(format, paths).map(Figures::Tests)
            }
            _ => read_files(paths, Some(format)).map(|evidence| evidence.figures),
        }
    } else {
        read_files(paths, Some(format)).map(|evidence| evidence.figures)
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
