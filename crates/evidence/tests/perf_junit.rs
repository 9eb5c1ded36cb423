//! Throughput check of the JUnit reader against `wc -l` (run in release, ignored by default):
//! `JUNIT_PERF_FILE=big.xml cargo test --release -p readiness-evidence --test perf_junit -- --ignored --nocapture`
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use readiness_evidence::{read_file, Format};
use std::time::Instant;

#[test]
#[ignore = "needs JUNIT_PERF_FILE, a large JUnit file; run in release"]
fn junit_throughput() {
    let Ok(path) = std::env::var("JUNIT_PERF_FILE") else {
        return;
    };
    let path = std::path::PathBuf::from(path);
    let bytes = std::fs::metadata(&path).unwrap().len();
    let start = Instant::now();
    read_file(&path, Some(Format::Junit)).unwrap();
    eprintln!(
        "read_file (with provenance hashing): {:.3}s",
        start.elapsed().as_secs_f64()
    );
    for _ in 0..3 {
        let start = Instant::now();
        let t =
            readiness_evidence::tests::read(Format::Junit, std::slice::from_ref(&path)).unwrap();
        let elapsed = start.elapsed().as_secs_f64();
        eprintln!(
            "reader: {:.3}s, {:.0} MB/s ({bytes} bytes): {:?}",
            elapsed,
            bytes as f64 / elapsed / 1e6,
            (t.total, t.failed, t.skipped)
        );
    }
}

#[test]
#[ignore = "needs JUNIT_PERF_FILE"]
fn raw_quick_xml_loop() {
    let Ok(path) = std::env::var("JUNIT_PERF_FILE") else {
        return;
    };
    for _ in 0..3 {
        let start = Instant::now();
        let file = std::fs::File::open(&path).unwrap();
        let mut reader =
            quick_xml::Reader::from_reader(std::io::BufReader::with_capacity(64 * 1024, file));
        let mut buf = Vec::new();
        let mut n = 0u64;
        loop {
            match reader.read_event_into(&mut buf).unwrap() {
                quick_xml::events::Event::Eof => break,
                _ => n += 1,
            }
            buf.clear();
        }
        eprintln!("raw loop: {:.3}s {n}", start.elapsed().as_secs_f64());
    }
}
