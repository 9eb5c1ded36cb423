//! The seeds as tests: the fixture workspaces in `tests/fixtures/code/` of the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use readiness_code::{code, compile, imports, CodeQuery, Language, Relation};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/code")
        .join(name)
}

fn files(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = walk(root, root);
    files.sort();
    files
}

fn walk(root: &Path, dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(root, &path));
        } else {
            found.push(
                path.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
    found
}

fn located(findings: &[readiness_code::Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{}:{}:{} {}", f.file, f.line, f.column, f.text))
        .collect()
}

#[test]
fn nextjs_missing_modules_found_from_source_alone() {
    let root = fixture("nextjs-app");
    let facts = imports(&root, &files(&root));
    assert!(facts.problems.is_empty(), "{:?}", facts.problems);
    assert_eq!(
        located(&facts.unresolved),
        [
            "src/app/api/send/route.ts:2:30 @/lib/email/emailService",
            "src/app/campaigns/page.tsx:2:29 @/lib/ai/personalization",
            "src/app/campaigns/page.tsx:4:23 @/lib/analytics/tracker",
        ]
    );
    assert_eq!(
        located(&facts.undeclared),
        ["src/app/campaigns/page.tsx:5:19 zod"]
    );
    assert!(facts.undeclared[0]
        .reason
        .contains("not declared in package.json"));
    // The type-only import of a missing module does not fail a runtime gate.
    assert_eq!(
        located(&facts.not_runtime),
        ["src/app/campaigns/page.tsx:1:31 @/lib/types/campaign"]
    );
    assert!(facts.not_installed.is_empty());
    assert_eq!(facts.files, 7);
    assert_eq!(facts.imports, 15);
}

#[test]
fn unwrapped_anthropic_calls_found_at_their_lines() {
    let root = fixture("nextjs-app");
    let query = CodeQuery {
        pattern: "$CLIENT.messages.create($$$)".to_string(),
        relations: vec![(
            Relation::NotInside,
            vec![
                "withRetry($$$)".to_string(),
                "callAnthropicWithRetry($$$)".to_string(),
            ],
        )],
    };
    let compiled = compile(
        &query,
        &[Language::TypeScript, Language::Tsx, Language::JavaScript],
    )
    .unwrap();
    let facts = code(&root, &files(&root), &compiled);
    assert!(facts.problems.is_empty(), "{:?}", facts.problems);
    assert_eq!(
        located(&facts.findings),
        [
            "src/lib/ai/subject-lines.ts:11:23 anthropic.messages.create({",
            "src/lib/ai/summarize.js:5:26 anthropic.messages.create({",
        ]
    );
}

#[test]
fn python_service_missing_module_found() {
    let root = fixture("python-service");
    let facts = imports(&root, &files(&root));
    assert!(facts.problems.is_empty(), "{:?}", facts.problems);
    assert_eq!(
        located(&facts.unresolved),
        ["app/routers/tenants.py:9:6 app.services.billing"]
    );
    assert_eq!(
        located(&facts.not_runtime),
        [
            "app/routers/tenants.py:13:10 app.models.tenant",
            "app/routers/tenants.py:16:12 orjson"
        ]
    );
    assert!(facts.unknown.is_empty(), "{:?}", facts.unknown);
    assert!(facts.undeclared.is_empty());
}

#[test]
fn python_httpx_calls_without_retry_and_raw_request_input() {
    let root = fixture("python-service");
    let retry = CodeQuery {
        pattern: "httpx.$METHOD($$$)".to_string(),
        relations: vec![(
            Relation::NotInside,
            vec!["retry($$$)".to_string(), "retry".to_string()],
        )],
    };
    let compiled = compile(&retry, &[Language::Python]).unwrap();
    let facts = code(&root, &files(&root), &compiled);
    assert_eq!(
        located(&facts.findings),
        [
            "app/clients/partners.py:15:16 httpx.get(f\"{PARTNER_API}/partners/{name}\", timeout=5)",
            "app/clients/partners.py:20:5 httpx.post(f\"{PARTNER_API}/events\", json={\"event\": event}, timeout=5)",
        ]
    );
    let injection = CodeQuery {
        pattern: "$DB.execute($$$)".to_string(),
        relations: vec![(Relation::Has, vec!["request.$FIELD".to_string()])],
    };
    let compiled = compile(&injection, &[Language::Python]).unwrap();
    let facts = code(&root, &files(&root), &compiled);
    assert_eq!(facts.findings.len(), 1, "{:?}", facts.findings);
    assert_eq!(facts.findings[0].file, "app/db/queries.py");
    assert_eq!(facts.findings[0].line, 9);
}

#[test]
fn bad_files_are_problems_not_passes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.ts"),
        "import { a } from './a';\nconst = ;\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("latin1.py"), b"x = '\xe9'\n").unwrap();
    std::fs::write(dir.path().join("broken.py"), "def f(:\n").unwrap();
    let big = "x".repeat(readiness_code::MAX_SOURCE_FILE as usize + 1);
    std::fs::write(dir.path().join("bundle.min.js"), big).unwrap();
    let files = files(dir.path());
    let facts = imports(dir.path(), &files);
    assert_eq!(facts.problems.len(), 4, "{:?}", facts.problems);
    let query = CodeQuery {
        pattern: "$X".to_string(),
        relations: Vec::new(),
    };
    let compiled = compile(
        &query,
        &[Language::TypeScript, Language::JavaScript, Language::Python],
    )
    .unwrap();
    let facts = code(dir.path(), &files, &compiled);
    assert_eq!(facts.problems.len(), 4, "{:?}", facts.problems);
}
