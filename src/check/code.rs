//! Typing the facts computed from source (crate `readiness-code`):
//!
//! - `imports("src/**/*.{ts,tsx}", ...)` and its fields ([`schema::IMPORTS`]):
//!   `imports("src/**/*.ts").unresolved == 0`;
//! - `code("glob", ..., "pattern")` with relations `.inside(...)`, `.not_inside(...)`,
//!   `.has(...)`, `.not_has(...)` (each one or more alternative patterns) and `.count`:
//!   `code("src/**/*.ts", "$C.messages.create($$$)").not_inside("withRetry($$$)").count == 0`.
//!
//! The language of a `code` query comes from the extensions its globs name (`*.ts`, `*.{py,pyi}`);
//! every pattern is compiled for each of them here, so a pattern that does not parse is a policy
//! error at its span (`gate validate`), not a silent zero at evaluation.

use super::glob::WorkspaceGlob;
use super::schema;
use super::Checker;
use crate::diagnostic::Diagnostic;
use crate::syntax::span::{Span, Spanned};
use readiness_code::{CodeQuery, Language, Relation};

/// `code(...)` as checked: where to look, the query, and the languages it was compiled for.
#[derive(Debug, Clone)]
pub struct CodeCheck {
    pub globs: Vec<WorkspaceGlob>,
    pub query: CodeQuery,
    pub languages: Vec<Language>,
}

impl CodeCheck {
    /// As written, for reports and `gate diff`.
    pub fn canonical(&self) -> String {
        let quoted = |text: &str| format!("{text:?}");
        let mut text = format!(
            "code({}, {})",
            self.globs
                .iter()
                .map(|glob| quoted(&glob.text))
                .collect::<Vec<_>>()
                .join(", "),
            quoted(&self.query.pattern)
        );
        for (relation, alternatives) in &self.query.relations {
            let name = match relation {
                Relation::Inside => "inside",
                Relation::NotInside => "not_inside",
                Relation::Has => "has",
                Relation::NotHas => "not_has",
            };
            let alternatives: Vec<String> = alternatives.iter().map(|a| quoted(a)).collect();
            text.push_str(&format!(".{name}({})", alternatives.join(", ")));
        }
        text
    }
}

/// The languages the globs name by their extensions (`src/**/*.{ts,tsx}` → TypeScript, TSX).
pub fn languages(globs: &[WorkspaceGlob]) -> Vec<Language> {
    let mut found = Vec::new();
    for glob in globs {
        let name = glob.text.rsplit('/').next().unwrap_or(&glob.text);
        let Some((_, extension)) = name.rsplit_once('.') else {
            continue;
        };
        let extensions: Vec<&str> = match extension
            .strip_prefix('{')
            .and_then(|e| e.strip_suffix('}'))
        {
            Some(list) => list.split(',').collect(),
            None => vec![extension],
        };
        for extension in extensions {
            if let Some(language) = Language::from_extension(extension.trim()) {
                if !found.contains(&language) {
                    found.push(language);
                }
            }
        }
    }
    found
}

fn compile_error(checker: &mut Checker, error: readiness_code::PatternError, span: Span) {
    checker.error(
        Diagnostic::error(
            "invalid-code-pattern",
            format!(
                "`{}` is not valid {}: {}",
                error.pattern, error.language, error.reason
            ),
        )
        .label(span, format!("not {} code", error.language))
        .help("a pattern is code of the files' language with `$NAME` for one node and `$$$` for any number, e.g. `$CLIENT.messages.create($$$)`"),
    );
}

/// `code(globs..., pattern)`: the languages of the globs, and the pattern compiled for each.
pub(crate) fn code_query(
    checker: &mut Checker,
    globs: Vec<WorkspaceGlob>,
    pattern: Spanned<String>,
    span: Span,
) -> Option<CodeCheck> {
    let languages = languages(&globs);
    if languages.is_empty() {
        checker.error(
            Diagnostic::error(
                "code-language-unknown",
                "the globs of `code(...)` do not say which language the pattern is in",
            )
            .label(span, "no language")
            .help(format!(
                "end a glob with the files' extension, e.g. `src/**/*.{{ts,tsx}}` or `app/**/*.py`; the extensions are {}",
                "ts, tsx, mts, cts, js, jsx, mjs, cjs, py, pyi, rs, go"
            )),
        );
        return None;
    }
    let query = CodeQuery {
        pattern: pattern.node,
        relations: Vec::new(),
    };
    if let Err(error) = readiness_code::compile(&query, &languages) {
        compile_error(checker, error, pattern.span);
        return None;
    }
    Some(CodeCheck {
        globs,
        query,
        languages,
    })
}

/// `.inside(...)`, `.not_inside(...)`, `.has(...)`, `.not_has(...)` on a `code(...)` query.
pub(crate) fn relation(
    checker: &mut Checker,
    mut check: CodeCheck,
    relation: Relation,
    patterns: Vec<Spanned<String>>,
    span: Span,
) -> Option<CodeCheck> {
    if patterns.is_empty() {
        checker.error(
            Diagnostic::error(
                "wrong-argument-count",
                "a relation needs at least one pattern",
            )
            .label(span, "no pattern")
            .help("e.g. `.not_inside(\"withRetry($$$)\", \"callAnthropicWithRetry($$$)\")`"),
        );
        return None;
    }
    let relation_index = check.query.relations.len();
    check.query.relations.push((
        relation,
        patterns
            .iter()
            .map(|pattern| pattern.node.clone())
            .collect(),
    ));
    match readiness_code::compile(&check.query, &check.languages) {
        Ok(_) => Some(check),
        Err(error) => {
            let at = match error.which {
                Some((index, alternative)) if index == relation_index => patterns
                    .get(alternative)
                    .map_or(span, |pattern| pattern.span),
                _ => span,
            };
            compile_error(checker, error, at);
            None
        }
    }
}

/// A field of `imports(...)`.
pub(crate) fn imports_field(
    checker: &mut Checker,
    name: &Spanned<String>,
) -> Option<&'static schema::Field> {
    if let Some(field) = schema::IMPORTS.iter().find(|field| field.name == name.node) {
        return Some(field);
    }
    let names = schema::IMPORTS.iter().map(|field| field.name);
    let help = match schema::did_you_mean(&name.node, names.clone()) {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => format!(
            "`imports(...)` has {}",
            names
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    checker.error(
        Diagnostic::error(
            "unknown-field",
            format!("`imports(...)` has no field `{}`", name.node),
        )
        .label(name.span, "unknown field")
        .help(help),
    );
    None
}
