//! The hand-written XML scanner (the fast path of the JUnit, Cobertura, JaCoCo and Clover readers)
//! agrees exactly with the quick-xml path: on every XML file of the corpus and the fixtures, and
//! on generated documents with the unusual parts of XML (comments, CDATA, processing
//! instructions, entities, quotes, `>` inside values, a byte-order mark, a DOCTYPE, tags split
//! across the scanner's blocks). Where quick-xml rejects a file, the fast path gives no figures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_evidence::coverage::xml_paths;
use readiness_evidence::tests::junit_paths;
use readiness_evidence::Format;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            xml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

fn all_xml() -> Vec<PathBuf> {
    let mut files = Vec::new();
    xml_files(&root().join("../../corpus"), &mut files);
    xml_files(&root().join("tests/fixtures"), &mut files);
    files.sort();
    assert!(files.len() >= 30, "found only {} XML files", files.len());
    files
}

/// Returns whether the fast path took the file.
fn junit_agrees(path: &Path) -> bool {
    let reference = junit_paths::quick_xml(path);
    let fast = junit_paths::fast(path);
    match (&reference, &fast) {
        (Ok(expected), Some(got)) => {
            assert_eq!(got, expected, "{}", path.display());
            true
        }
        (Ok(_), None) => false,
        (Err(_), None) => false,
        (Err(error), Some(got)) => {
            panic!(
                "{}: quick-xml says {error}, the fast path gave {got:?}",
                path.display()
            )
        }
    }
}

#[test]
fn junit_fast_path_agrees_on_corpus_and_fixtures() {
    let mut taken = Vec::new();
    for path in all_xml() {
        if junit_agrees(&path) {
            taken.push(path);
        }
    }
    // Every JUnit file of the corpus is read by the fast path, not left to quick-xml.
    let corpus_junit = taken
        .iter()
        .filter(|p| p.to_string_lossy().contains("corpus") && p.ends_with("junit.xml"))
        .count();
    assert_eq!(corpus_junit, 6, "{taken:?}");
}

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const CASES: &[&str] = &[
    r#"<?xml version="1.0"?><testsuites><testsuite name="s" time="1"><testcase name="a"/></testsuite></testsuites>"#,
    r#"<testsuite name='s' tests="2"><testcase name="a>b" classname='c"d' time="0.5"><failure message="x &amp; y&#10;z">text</failure></testcase><testcase name="b"/></testsuite>"#,
    r#"<!-- head --><testsuite><testcase name="a"><failure><![CDATA[at src/a.rs:12:3 <boom>]]></failure></testcase></testsuite>"#,
    "<testsuite>\n  <testcase name=\"a\">\n    <error message=\"Failed\">\n   line one &lt;x&gt;\n  tests/t.py:4: E\n</error>\n  </testcase>\n</testsuite>\n",
    r#"<testsuite><?pi data?><testcase name="a"><skipped/></testcase><!-- c --></testsuite>trailing"#,
    r#"<testsuite><testcase name="a"></testcase ></testsuite >"#,
    r#"<ns:testsuite xmlns:ns="u"><ns:testcase ns:name="a" ns:time="2"><ns:failure ns:message="m"/></ns:testcase></ns:testsuite>"#,
    "\u{FEFF}<testsuite><testcase name=\"a\"/></testsuite>",
    r#"<!DOCTYPE x><testsuite><testcase name="a"/></testsuite>"#,
    r#"<testsuite><testcase name="a"></testsuite>"#,
    r#"<testsuite><testcase name="a">"#,
    r#"<testsuite><testcase name="a"/"#,
    r#"</testsuite>"#,
    r#"<testsuite tests="x"></testsuite>"#,
    r#"<testsuite tests="3" failures="1"></testsuite>"#,
    r#"<other/>"#,
    r#"text only"#,
    r#""#,
    "   \n ",
    r#"<?xml version="1.0"?>"#,
    r#"<testsuite><testcase name="a" time="-1"/></testsuite>"#,
    r#"<testsuite><testcase name="&bogus;"><failure/></testcase></testsuite>"#,
    r#"<testsuite>< testcase/></testsuite>"#,
    r#"<testsuite><!--> x --><testcase/></testsuite>"#,
    r#"<testsuite><??><testcase/></testsuite>"#,
];

#[test]
fn junit_fast_path_agrees_on_unusual_documents() {
    let dir = std::env::temp_dir().join(format!("xml-fast-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (index, case) in CASES.iter().enumerate() {
        let path = write(&dir, &format!("case-{index}.xml"), case.as_bytes());
        junit_agrees(&path);
    }
    let mut bytes = b"<testsuite>".to_vec();
    bytes.extend_from_slice(b"<testcase name=\"x\xff\"><failure/></testcase>");
    let path = write(&dir, "not-utf8.xml", &bytes);
    junit_agrees(&path);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn junit_fast_path_agrees_across_block_boundaries() {
    // Tags and texts of every length around the scanner's 512 KiB block, and one of 3 MiB.
    let dir = std::env::temp_dir().join(format!("xml-fast-blocks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut xml = String::from("<testsuites><testsuite name=\"s\">");
    let mut index = 0;
    while xml.len() < 1_600_000 {
        let pad = "p".repeat(index % 97);
        xml.push_str(&format!(
            "<testcase name=\"c{index}{pad}\" time=\"0.1\"/>\n"
        ));
        if index % 7 == 0 {
            xml.push_str(&format!(
                "<testcase name='q{index}' file=\"a'b>c\"><failure message=\"m{index}\">at x.rs:{index}</failure></testcase>"
            ));
        }
        index += 1;
    }
    xml.push_str(&format!(
        "<testcase name=\"long\"><failure>{}</failure></testcase>",
        "y".repeat(3 << 20)
    ));
    xml.push_str("</testsuite></testsuites>");
    let path = write(&dir, "big.xml", xml.as_bytes());
    assert!(junit_agrees(&path));
    std::fs::remove_dir_all(&dir).unwrap();
}

const COVERAGE_XML: [Format; 3] = [Format::Cobertura, Format::Jacoco, Format::Clover];

/// Returns whether the fast path took the file (as `format`). Also checks that the normal
/// reading (fast path, then quick-xml from where it gave up) equals the reference.
fn coverage_agrees(format: Format, path: &PathBuf) -> bool {
    let reference = xml_paths::quick_xml(format, path);
    let normal = readiness_evidence::coverage::read(format, std::slice::from_ref(path))
        .map_err(|e| e.to_string());
    assert_eq!(normal, reference, "{format} {}", path.display());
    match xml_paths::fast(format, path) {
        Some(fast) => {
            assert_eq!(fast, reference, "{format} {}", path.display());
            true
        }
        None => false,
    }
}

#[test]
fn coverage_fast_path_agrees_on_corpus_and_fixtures() {
    let mut taken = Vec::new();
    for path in all_xml() {
        for format in COVERAGE_XML {
            if coverage_agrees(format, &path) {
                taken.push((format, path.clone()));
            }
        }
    }
    // Every Cobertura and Clover file of the corpus is read by the fast path as its own format.
    for name in [
        "coveragepy-cobertura-line-only/coverage.xml",
        "coveragepy-cobertura-branch/coverage.xml",
        "cargo-llvm-cov-cobertura-green/cobertura.xml",
        "jest-cobertura-mailflow/cobertura-coverage.xml",
    ] {
        assert!(
            taken
                .iter()
                .any(|(f, p)| *f == Format::Cobertura && p.ends_with(name)),
            "{name} left to quick-xml"
        );
    }
    assert!(taken
        .iter()
        .any(|(f, p)| *f == Format::Clover && p.ends_with("jest-clover-mailflow/clover.xml")));
    assert!(taken
        .iter()
        .any(|(f, p)| *f == Format::Jacoco && p.ends_with("jacoco-report.xml")));
}

const COVERAGE_CASES: &[&str] = &[
    r#"<?xml version="1.0" ?><!DOCTYPE coverage SYSTEM "x.dtd"><!-- Generated by coverage.py: https://coverage.readthedocs.io/en/7.6.1 --><coverage line-rate="0.5" lines-covered="1" lines-valid="2"><packages><package name="p"><classes><class filename="a.py" name='a'><lines><line number="1" hits="1"/><line number="2" hits="0" branch="true" condition-coverage="50% (1/2)"/></lines></class></classes></package></packages></coverage>"#,
    r#"<!DOCTYPE coverage [<!ENTITY x "y">]><coverage lines-covered="0" lines-valid="0"></coverage>"#,
    "\u{FEFF}<coverage lines-covered=\"0\" lines-valid=\"0\"/>",
    r#"<coverage><packages><package><classes><class filename="a.py"><lines><line number="1" hits="1"/></lines></class><!--> odd --></classes></package></packages></coverage>"#,
    r#"<coverage><packages><package><classes><class filename="a.py"><lines><line number="1" hits="x"/></lines></class></classes></package></packages></coverage>"#,
    r#"<coverage><packages></coverage>"#,
    r#"<coverage><packages>"#,
    r#"<coverage/>trailing"#,
    r#"<coverage/>\u{c}"#,
    r#"text<coverage/>"#,
    r#"<report name="r"><counter type="LINE" missed="1" covered="2"/><![CDATA[x]]></report>"#,
    r#"<coverage generated="1"><project timestamp="1"><file name="a.js" path="/a.js"><line num="1" count="0" type="stmt"/></file><metrics statements="1" coveredstatements="0"/></project></coverage>"#,
];

#[test]
fn coverage_fast_path_agrees_on_unusual_documents() {
    let dir = std::env::temp_dir().join(format!("xml-fast-cov-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (index, case) in COVERAGE_CASES.iter().enumerate() {
        let text = case
            .replace("\\u{FEFF}", "\u{FEFF}")
            .replace("\\u{c}", "\u{c}");
        let path = write(&dir, &format!("cov-{index}.xml"), text.as_bytes());
        for format in COVERAGE_XML {
            coverage_agrees(format, &path);
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
