//! `gate init`'s gates from source (crate `readiness-code`): an import gate when the workspace has
//! TypeScript/JavaScript or Python sources, and a per-call retry rule where it finds an AI or HTTP
//! client, so a team with no build log yet learns about missing modules on its first run.
//!
//! Detection reads at most [`MAX_SCANNED`] source files and looks for the client calls by text;
//! the gates it writes then judge by syntax (`code(...)` with ast-grep).

use crate::evidence::EvidenceSource;

/// The most source files read to find clients and retry wrappers.
const MAX_SCANNED: usize = 2000;

/// Folders that hold generated or vendored code, never searched.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "dist",
    "build",
    "out",
    ".next",
    "coverage",
    "target",
    "vendor",
    "venv",
    ".venv",
    "reports",
    "logs",
    "public",
    "__pycache__",
];

/// What the sources of a workspace call for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodeSources {
    /// `src/**/*.{ts,tsx}`-style globs of the TypeScript/JavaScript sources.
    pub js_globs: Vec<String>,
    /// `app/**/*.py`-style globs of the Python sources.
    pub py_globs: Vec<String>,
    /// Retry rules: (what, glob list, pattern, not-inside alternatives).
    pub rules: Vec<(String, Vec<String>, String, Vec<String>)>,
}

/// Globs `top/**/*.{extensions}` for the top-level folders holding files with `extensions`.
fn globs(files: &[String], extensions: &[&str]) -> Vec<String> {
    let mut tops: Vec<&str> = Vec::new();
    let mut found: Vec<&str> = Vec::new();
    for file in files {
        let Some((top, _)) = file.split_once('/') else {
            continue;
        };
        if top.starts_with('.') || SKIPPED_DIRS.contains(&top) || file.ends_with(".d.ts") {
            continue;
        }
        let Some(extension) = extensions.iter().find(|e| file.ends_with(&format!(".{e}"))) else {
            continue;
        };
        if file.split('/').any(|part| SKIPPED_DIRS.contains(&part)) {
            continue;
        }
        if !tops.contains(&top) {
            tops.push(top);
        }
        if !found.contains(extension) {
            found.push(extension);
        }
    }
    found.sort_unstable();
    let pattern = match found.as_slice() {
        [] => return Vec::new(),
        [one] => (*one).to_string(),
        many => format!("{{{}}}", many.join(",")),
    };
    tops.sort_unstable();
    tops.iter()
        .take(6)
        .map(|top| format!("{top}/**/*.{pattern}"))
        .collect()
}

/// Names of retry wrappers defined in the sources: `function callAnthropicWithRetry(`.
fn wrappers(text: &str, found: &mut Vec<String>) {
    for (index, _) in text.match_indices("function ") {
        let rest = text.get(index + "function ".len()..).unwrap_or("");
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.to_lowercase().contains("retry") && !found.contains(&name) {
            found.push(name);
        }
    }
}

/// Looks at the workspace's sources.
pub fn detect_code(source: &dyn EvidenceSource, files: &[String]) -> CodeSources {
    let js_extensions = ["ts", "tsx", "js", "jsx", "mjs", "cjs"];
    let mut code = CodeSources {
        js_globs: globs(files, &js_extensions),
        py_globs: globs(files, &["py"]),
        rules: Vec::new(),
    };
    let (mut anthropic_js, mut openai_js, mut httpx, mut requests, mut anthropic_py) =
        (false, false, false, false, false);
    let mut retry_names = Vec::new();
    let scanned = files
        .iter()
        .filter(|file| {
            code.js_globs.iter().chain(&code.py_globs).any(|glob| {
                glob.split_once('/')
                    .is_some_and(|(top, _)| file.starts_with(&format!("{top}/")))
            })
        })
        .take(MAX_SCANNED);
    for file in scanned {
        let Ok(bytes) = source.read(file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        if file.ends_with(".py") {
            httpx |= text.contains("httpx.");
            requests |= text.contains("import requests") && text.contains("requests.");
            anthropic_py |= text.contains(".messages.create(");
        } else if js_extensions
            .iter()
            .any(|e| file.ends_with(&format!(".{e}")))
        {
            anthropic_js |= text.contains(".messages.create(");
            openai_js |= text.contains(".chat.completions.create(");
            wrappers(&text, &mut retry_names);
        }
    }
    let mut js_wrappers: Vec<String> = vec!["withRetry($$$)".to_string()];
    for name in &retry_names {
        js_wrappers.push(format!("{name}($$$)"));
        js_wrappers.push(format!("function {name}($$$) {{ $$$ }}"));
    }
    js_wrappers.dedup();
    let py_wrappers = vec!["retry($$$)".to_string(), "retry".to_string()];
    let mut rule = |what: &str, globs: &[String], pattern: &str, wrappers: &[String]| {
        code.rules.push((
            what.to_string(),
            globs.to_vec(),
            pattern.to_string(),
            wrappers.to_vec(),
        ));
    };
    if anthropic_js {
        rule(
            "Anthropic",
            &code.js_globs,
            "$CLIENT.messages.create($$$)",
            &js_wrappers,
        );
    }
    if openai_js {
        rule(
            "OpenAI",
            &code.js_globs,
            "$CLIENT.chat.completions.create($$$)",
            &js_wrappers,
        );
    }
    if anthropic_py {
        rule(
            "Anthropic",
            &code.py_globs,
            "$CLIENT.messages.create($$$)",
            &py_wrappers,
        );
    }
    if httpx {
        rule("httpx", &code.py_globs, "httpx.$METHOD($$$)", &py_wrappers);
    }
    if requests {
        rule(
            "requests",
            &code.py_globs,
            "requests.$METHOD($$$)",
            &py_wrappers,
        );
    }
    code
}

/// The gates: (comment, header, expectations).
pub fn code_gates(code: &CodeSources) -> Vec<(String, String, Vec<String>)> {
    let quote = crate::format::string;
    let list = |items: &[String]| {
        items
            .iter()
            .map(|item| quote(item))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut gates = Vec::new();
    let mut imports = Vec::new();
    for globs in [&code.js_globs, &code.py_globs] {
        if !globs.is_empty() {
            imports.push(format!("imports({}).unresolved == 0", list(globs)));
        }
    }
    if !imports.is_empty() {
        gates.push((
            "every import resolves, found from the source alone (no build log needed): a dev server resolves modules lazily, a production build does not".to_string(),
            format!("gate {} blocker", quote("imports resolve from source")),
            imports,
        ));
    }
    for (what, globs, pattern, wrappers) in &code.rules {
        gates.push((
            format!("each {what} call is inside a retry (per call, not per file); add your own wrapper to `not_inside`"),
            format!("gate {}", quote(&format!("every {what} call retries"))),
            vec![format!(
                "code({}, {}).not_inside({}).count == 0",
                list(globs),
                quote(pattern),
                list(wrappers)
            )],
        ));
    }
    gates
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn globs_by_top_folder_and_extension() {
        let files: Vec<String> = [
            "src/app/page.tsx",
            "src/lib/a.ts",
            "next.config.mjs",
            "node_modules/x/i.js",
            "lib/b.ts",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            globs(&files, &["ts", "tsx", "js"]),
            ["lib/**/*.{ts,tsx}", "src/**/*.{ts,tsx}"]
        );
        let mut names = Vec::new();
        wrappers(
            "export async function callAnthropicWithRetry(p) {}",
            &mut names,
        );
        assert_eq!(names, ["callAnthropicWithRetry"]);
    }
}
