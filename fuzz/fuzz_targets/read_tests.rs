#![no_main]

use libfuzzer_sys::fuzz_target;
use readiness_evidence::Kind;

fuzz_target!(|data: &[u8]| readiness_evidence_fuzz::run(Kind::Tests, data));
