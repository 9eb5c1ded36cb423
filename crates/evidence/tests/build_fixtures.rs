//! The build-log readers on small fixtures (tests/fixtures/build/, one file per case): formats
//! without a corpus folder, success lines, exit-code files, ANSI and CRLF, and bad input.

use readiness_evidence::{build, BuildFigures, Format, Location, ReadError, UnresolvedImport};
use std::error::Error;
use std::io::{Read, Write};
use std::path::PathBuf;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/build");

type TestResult = Result<(), Box<dyn Error>>;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(FIXTURES).join(name)
}

fn read(name: &str, format: Format) -> Result<BuildFigures, ReadError> {
    build::read(format, &[fixture(name)])
}

fn sniff(name: &str) -> Result<Option<Format>, Box<dyn Error>> {
    let path = fixture(name);
    let mut head = Vec::new();
    std::fs::File::open(&path)?
        .take(64 * 1024)
        .read_to_end(&mut head)?;
    Ok(build::sniff(&head, &path))
}

fn import(file: &str, line: Option<u32>, specifier: &str) -> UnresolvedImport {
    UnresolvedImport {
        file: file.to_string(),
        line,
        specifier: specifier.to_string(),
    }
}

fn figures(
    success: Option<bool>,
    exit_code: Option<i32>,
    error_count: u64,
    unresolved_imports: Vec<UnresolvedImport>,
) -> BuildFigures {
    BuildFigures {
        success,
        exit_code,
        error_count,
        unresolved_imports,
    }
}

/// A scratch directory for generated inputs (large or many files).
fn scratch(name: &str) -> Result<PathBuf, Box<dyn Error>> {
    let dir = std::env::temp_dir().join(format!("readiness-build-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

// ---------------------------------------------------------------------------------------------
// tsc

#[test]
fn tsc_pretty_with_ansi_and_crlf() -> TestResult {
    assert_eq!(sniff("tsc-pretty-ansi-crlf.log")?, Some(Format::Tsc));
    let got = read("tsc-pretty-ansi-crlf.log", Format::Tsc)?;
    let want = figures(
        Some(false),
        Some(2),
        2,
        vec![import("src/a.ts", Some(3), "left-pad")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn tsc_global_error_has_no_file() -> TestResult {
    assert_eq!(sniff("tsc-global-error.log")?, Some(Format::Tsc));
    let got = read("tsc-global-error.log", Format::Tsc)?;
    assert_eq!(got, figures(Some(false), Some(2), 1, vec![]));
    Ok(())
}

#[test]
fn tsc_empty_log_with_exit_code_file_is_success() -> TestResult {
    // `tsc-empty-success.exit-code` (the `<stem>.exit-code` spelling) holds `exit code: 0`.
    let got = read("tsc-empty-success.log", Format::Tsc)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn tsc_npm_wrapper_lines_with_exit_code_file() -> TestResult {
    let got = read("tsc-npm-wrapper.log", Format::Tsc)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn exit_code_file_wins_over_the_log() -> TestResult {
    let got = read("tsc-exit-file-wins.log", Format::Tsc)?;
    let want = figures(
        Some(true),
        Some(0),
        1,
        vec![import("src/a.ts", Some(1), "./gone")],
    );
    assert_eq!(got, want);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// next

#[test]
fn next_webpack_v14_with_positions_and_import_trace() -> TestResult {
    assert_eq!(sniff("next-webpack-v14-trace.log")?, Some(Format::Next));
    let got = read("next-webpack-v14-trace.log", Format::Next)?;
    let want = figures(
        Some(false),
        Some(1),
        2,
        vec![
            import("app/page.tsx", Some(2), "@/lib/missing"),
            import("app/other.tsx", Some(5), "./gone"),
        ],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn next_route_table_is_success() -> TestResult {
    assert_eq!(sniff("next-success.log")?, Some(Format::Next));
    let got = read("next-success.log", Format::Next)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn next_failure_without_blocks_counts_one_error() -> TestResult {
    let got = read("next-config-error.log", Format::Next)?;
    assert_eq!(got, figures(Some(false), Some(1), 1, vec![]));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// webpack

#[test]
fn webpack_compiled_successfully() -> TestResult {
    assert_eq!(sniff("webpack-success.log")?, Some(Format::Webpack));
    let got = read("webpack-success.log", Format::Webpack)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn webpack_warnings_only_is_success() -> TestResult {
    let got = read("webpack-warnings-only.log", Format::Webpack)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn webpack4_without_summary_fails_with_unknown_exit_code() -> TestResult {
    assert_eq!(sniff("webpack4-no-summary.log")?, Some(Format::Webpack));
    let got = read("webpack4-no-summary.log", Format::Webpack)?;
    let want = figures(
        Some(false),
        None,
        1,
        vec![import("src/index.js", Some(3), "./missing")],
    );
    assert_eq!(got, want);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// vite, rollup, esbuild

#[test]
fn vite_rollup_era_failure() -> TestResult {
    assert_eq!(sniff("vite-rollup-classic.log")?, Some(Format::Vite));
    let got = read("vite-rollup-classic.log", Format::Vite)?;
    let want = figures(
        Some(false),
        Some(1),
        1,
        vec![import("/home/u/app/src/main.ts", None, "@/missing")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn vite_built_in_is_success() -> TestResult {
    assert_eq!(sniff("vite-success.log")?, Some(Format::Vite));
    let got = read("vite-success.log", Format::Vite)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn rollup_could_not_resolve() -> TestResult {
    assert_eq!(sniff("rollup-error.log")?, Some(Format::Rollup));
    let got = read("rollup-error.log", Format::Rollup)?;
    let want = figures(
        Some(false),
        Some(1),
        1,
        vec![import("src/main.js", None, "./missing")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn rollup2_could_not_resolve() -> TestResult {
    let got = read("rollup2-error.log", Format::Rollup)?;
    let want = figures(
        Some(false),
        Some(1),
        1,
        vec![import("src/main.js", None, "./gone")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn rollup_unresolved_dependencies_warning_still_builds() -> TestResult {
    assert_eq!(
        sniff("rollup-unresolved-warning.log")?,
        Some(Format::Rollup)
    );
    let got = read("rollup-unresolved-warning.log", Format::Rollup)?;
    let want = figures(
        Some(true),
        Some(0),
        0,
        vec![
            import("src/a.js", None, "lodash"),
            import("src/b.js", None, "lodash"),
        ],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn esbuild_done_is_success() -> TestResult {
    assert_eq!(sniff("esbuild-success.log")?, Some(Format::Esbuild));
    let got = read("esbuild-success.log", Format::Esbuild)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn esbuild_cli_and_js_api_lines_of_one_error() -> TestResult {
    // The CLI block and the JS API's re-print of the same error: the last total (`Build failed
    // with 1 error`) counts; both shapes are recognised as imports.
    let got = read("esbuild-js-api.log", Format::Esbuild)?;
    assert_eq!(got.success, Some(false));
    assert_eq!(got.exit_code, Some(1));
    assert_eq!(got.error_count, 1);
    assert_eq!(
        got.unresolved_imports.first(),
        Some(&import("src/a.ts", Some(2), "left-pad"))
    );
    Ok(())
}

#[test]
fn esbuild_ansi_warning_and_error() -> TestResult {
    assert_eq!(
        sniff("esbuild-ansi-warning-and-error.log")?,
        Some(Format::Esbuild)
    );
    let got = read("esbuild-ansi-warning-and-error.log", Format::Esbuild)?;
    let want = figures(
        Some(false),
        Some(1),
        1,
        vec![import("src/b.ts", Some(1), "./gone")],
    );
    assert_eq!(got, want);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// cargo, rustc, cargo JSON

#[test]
fn cargo_finished_is_success() -> TestResult {
    assert_eq!(sniff("cargo-success.log")?, Some(Format::Cargo));
    let got = read("cargo-success.log", Format::Cargo)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn cargo_with_ansi_colours() -> TestResult {
    assert_eq!(sniff("cargo-ansi.log")?, Some(Format::Cargo));
    let got = read("cargo-ansi.log", Format::Cargo)?;
    let want = figures(
        Some(false),
        Some(101),
        1,
        vec![import("src/main.rs", Some(1), "foo")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn rustc_alone_exits_one_and_skips_undeclared_types() -> TestResult {
    let got = read("rustc-only.log", Format::Cargo)?;
    let want = figures(
        Some(false),
        Some(1),
        2,
        vec![import("src/lib.rs", Some(1), "foo")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn cargo_json_build_finished_success() -> TestResult {
    assert_eq!(sniff("cargo-json-success.jsonl")?, Some(Format::CargoJson));
    let got = read("cargo-json-success.jsonl", Format::CargoJson)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn cargo_json_truncated_line_is_an_error_with_its_line() {
    let got = read("cargo-json-truncated.jsonl", Format::CargoJson);
    assert!(
        matches!(
            got,
            Err(ReadError::Malformed {
                location: Some(Location::LineColumn { line: 2, .. }),
                ..
            })
        ),
        "{got:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// go, mypy, pyright, python

#[test]
fn go_compile_errors_and_missing_std_package() -> TestResult {
    assert_eq!(sniff("go-build-compile-errors.log")?, Some(Format::GoBuild));
    let got = read("go-build-compile-errors.log", Format::GoBuild)?;
    let want = figures(
        Some(false),
        Some(1),
        2,
        vec![import("main.go", Some(4), "foo/bar")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn mypy_success_line() -> TestResult {
    assert_eq!(sniff("mypy-success.log")?, Some(Format::Mypy));
    let got = read("mypy-success.log", Format::Mypy)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn mypy_missing_stubs_are_errors_but_not_unresolved() -> TestResult {
    let got = read("mypy-untyped-not-unresolved.log", Format::Mypy)?;
    assert_eq!(got, figures(Some(false), Some(1), 1, vec![]));
    Ok(())
}

#[test]
fn mypy_invalid_utf8_is_decoded_lossily() -> TestResult {
    let got = read("mypy-latin1.log", Format::Mypy)?;
    let want = figures(
        Some(false),
        Some(1),
        1,
        vec![import("pkg/caf\u{fffd}.py", Some(2), "m\u{fffd}nchen")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn pyright_text_zero_errors_is_success() -> TestResult {
    assert_eq!(sniff("pyright-text-success.log")?, Some(Format::Pyright));
    let got = read("pyright-text-success.log", Format::Pyright)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn pyright_json_zero_errors_is_success() -> TestResult {
    assert_eq!(
        sniff("pyright-json-success.json")?,
        Some(Format::PyrightJson)
    );
    let got = read("pyright-json-success.json", Format::PyrightJson)?;
    assert_eq!(got, figures(Some(true), Some(0), 0, vec![]));
    Ok(())
}

#[test]
fn pyright_json_truncated_is_an_error_with_its_position() {
    let got = read("pyright-json-truncated.json", Format::PyrightJson);
    assert!(
        matches!(
            got,
            Err(ReadError::Malformed {
                location: Some(Location::LineColumn { line: 4, .. }),
                ..
            })
        ),
        "{got:?}"
    );
}

#[test]
fn python_chained_exceptions_count_once() -> TestResult {
    assert_eq!(sniff("python-chained.log")?, Some(Format::PythonTraceback));
    let got = read("python-chained.log", Format::PythonTraceback)?;
    let want = figures(
        Some(false),
        Some(1),
        1,
        vec![import("/app/main.py", Some(3), "yaml")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn python_traceback_followed_by_output_has_unknown_outcome() -> TestResult {
    let got = read("python-caught-and-logged.log", Format::PythonTraceback)?;
    let want = figures(
        None,
        None,
        1,
        vec![import("/app/plugins.py", Some(12), "plugin_x")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn python_cannot_import_name_records_the_dotted_name() -> TestResult {
    let got = read("python-cannot-import-name.log", Format::PythonTraceback)?;
    let want = figures(
        Some(false),
        Some(1),
        1,
        vec![import("/app/main.py", Some(1), "tenant_worker.audit")],
    );
    assert_eq!(got, want);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// bad input

#[test]
fn empty_log_without_exit_code_is_an_error() {
    for name in ["empty.log", "whitespace-only.log"] {
        let got = read(name, Format::Tsc);
        assert!(
            matches!(&got, Err(ReadError::Empty { path, .. }) if path.ends_with(name)),
            "{name}: {got:?}"
        );
    }
}

#[test]
fn empty_pyright_json_is_an_empty_error() {
    let got = read("empty.log", Format::PyrightJson);
    assert!(matches!(got, Err(ReadError::Empty { .. })), "{got:?}");
}

#[test]
fn binary_is_an_error_at_its_byte_offset() {
    let got = read("binary.bin", Format::Cargo);
    assert!(
        matches!(
            &got,
            Err(ReadError::Malformed {
                location: Some(Location::ByteOffset(4)),
                path,
                ..
            }) if path.ends_with("binary.bin")
        ),
        "{got:?}"
    );
}

#[test]
fn wrong_format_names_the_first_line_and_what_was_expected() -> TestResult {
    let got = read("mypy-success.log", Format::Cargo);
    let Err(error @ ReadError::Malformed { .. }) = got else {
        return Err(format!("expected a malformed error, got {got:?}").into());
    };
    let message = error.to_string();
    assert!(message.contains("mypy-success.log"), "{message}");
    assert!(message.contains("line 1"), "{message}");
    assert!(message.contains("expected a cargo log"), "{message}");
    assert!(message.contains("Success: no issues found"), "{message}");
    Ok(())
}

#[test]
fn bad_exit_code_file_is_an_error_naming_it() {
    let got = read("bad-exit-code.log", Format::Tsc);
    assert!(
        matches!(&got, Err(ReadError::Malformed { path, .. }) if path.ends_with("bad-exit-code.log.exit-code")),
        "{got:?}"
    );
}

#[test]
fn huge_line_is_an_error_not_an_allocation() -> TestResult {
    let dir = scratch("huge")?;
    let path = dir.join("huge.log");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        file.write_all(b"src/a.ts(1,1): error TS2307: Cannot find module 'x'.\n")?;
        let chunk = vec![b'a'; 1024 * 1024];
        for _ in 0..9 {
            file.write_all(&chunk)?;
        }
        file.write_all(b"\n")?;
    }
    let got = build::read(Format::Tsc, std::slice::from_ref(&path));
    std::fs::remove_dir_all(&dir)?;
    assert!(
        matches!(
            got,
            Err(ReadError::Malformed {
                location: Some(Location::LineColumn { line: 2, .. }),
                ..
            })
        ),
        "{got:?}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// sniffing, merging, bounds

#[test]
fn arbitrary_text_and_json_are_not_claimed() -> TestResult {
    assert_eq!(sniff("not-a-build-log.txt")?, None);
    assert_eq!(sniff("unrelated.json")?, None);
    assert_eq!(sniff("binary.bin")?, None);
    assert_eq!(sniff("empty.log")?, None);
    Ok(())
}

#[test]
fn several_logs_are_concatenated() -> TestResult {
    let paths = [
        fixture("tsc-global-error.log"),
        fixture("tsc-empty-success.log"),
        fixture("tsc-pretty-ansi-crlf.log"),
    ];
    let got = build::read(Format::Tsc, &paths)?;
    let want = figures(
        Some(false),
        Some(2),
        3,
        vec![import("src/a.ts", Some(3), "left-pad")],
    );
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn unresolved_imports_are_bounded_and_the_count_stays_exact() -> TestResult {
    let dir = scratch("bounded")?;
    let path = dir.join("many.log");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for index in 0..(build::MAX_IMPORTS + 50) {
            writeln!(
                file,
                "src/a.ts({},1): error TS2307: Cannot find module './m{index}' or its corresponding type declarations.",
                index + 1
            )?;
        }
    }
    let got = build::read(Format::Tsc, std::slice::from_ref(&path));
    std::fs::remove_dir_all(&dir)?;
    let got = got?;
    assert_eq!(got.error_count, build::MAX_IMPORTS as u64 + 50);
    assert_eq!(got.unresolved_imports.len(), build::MAX_IMPORTS);
    Ok(())
}
