//! `code(...)`: structural search with ast-grep. A query is a pattern in the files' language
//! (`$CLIENT.messages.create($$$)`) and relations, each a list of alternative patterns:
//!
//! - `inside`: some enclosing node matches one of them, or a decorator of an enclosing
//!   definition does (so `retry($$$)` covers `@retry(stop=...)` above a Python function);
//! - `not_inside`: neither;
//! - `has`: some node within the match matches one of them;
//! - `not_has`: none does.
//!
//! Patterns are compiled once per language the query covers; a pattern that does not parse in a
//! language is a [`PatternError`] naming which pattern. New relations go in [`Relation`] and
//! [`CompiledQuery::keeps`]; a new language in [`Language`].

use ast_grep_core::matcher::Pattern;
use ast_grep_core::tree_sitter::{LanguageExt, StrDoc};
use ast_grep_core::{Language as _, Node};
use ast_grep_language::SupportLang;
use rayon::prelude::*;
use std::path::Path;

/// The languages `code(...)` searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    TypeScript,
    Tsx,
    JavaScript,
    Python,
    Rust,
    Go,
}

impl Language {
    pub const ALL: &'static [Language] = &[
        Language::TypeScript,
        Language::Tsx,
        Language::JavaScript,
        Language::Python,
        Language::Rust,
        Language::Go,
    ];

    /// The language of a file extension (without the dot).
    pub fn from_extension(extension: &str) -> Option<Language> {
        Some(match extension {
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "js" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
            "py" | "pyi" => Language::Python,
            "rs" => Language::Rust,
            "go" => Language::Go,
            _ => return None,
        })
    }

    /// The language of a workspace path, by its extension.
    pub fn of_path(path: &str) -> Option<Language> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (_, extension) = name.rsplit_once('.')?;
        Language::from_extension(extension)
    }

    pub fn name(self) -> &'static str {
        match self {
            Language::TypeScript => "TypeScript",
            Language::Tsx => "TSX",
            Language::JavaScript => "JavaScript",
            Language::Python => "Python",
            Language::Rust => "Rust",
            Language::Go => "Go",
        }
    }

    fn support(self) -> SupportLang {
        match self {
            Language::TypeScript => SupportLang::TypeScript,
            Language::Tsx => SupportLang::Tsx,
            Language::JavaScript => SupportLang::JavaScript,
            Language::Python => SupportLang::Python,
            Language::Rust => SupportLang::Rust,
            Language::Go => SupportLang::Go,
        }
    }
}

/// How a relation filters matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Inside,
    NotInside,
    Has,
    NotHas,
}

impl Relation {
    pub fn from_name(name: &str) -> Option<Relation> {
        Some(match name {
            "inside" => Relation::Inside,
            "not_inside" => Relation::NotInside,
            "has" => Relation::Has,
            "not_has" => Relation::NotHas,
            _ => return None,
        })
    }
    pub const NAMES: &'static [&'static str] = &["inside", "not_inside", "has", "not_has"];
}

/// A query as written: the pattern and the relations, each with its alternative patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeQuery {
    pub pattern: String,
    pub relations: Vec<(Relation, Vec<String>)>,
}

/// A pattern that does not compile in a language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{pattern}` is not valid {language}: {reason}")]
pub struct PatternError {
    /// `None` for the main pattern; `Some((relation, alternative))` for a relation's pattern.
    pub which: Option<(usize, usize)>,
    pub pattern: String,
    pub language: &'static str,
    pub reason: String,
}

struct Compiled {
    language: Language,
    pattern: Pattern,
    relations: Vec<(Relation, Vec<Pattern>)>,
}

/// A query compiled for each of its languages.
pub struct CompiledQuery {
    compiled: Vec<Compiled>,
}

impl CompiledQuery {
    pub fn languages(&self) -> Vec<Language> {
        self.compiled
            .iter()
            .map(|compiled| compiled.language)
            .collect()
    }
}

/// Compiles one pattern, rejecting any text tree-sitter does not parse cleanly.
fn pattern(text: &str, language: Language) -> Result<Pattern, String> {
    let support = language.support();
    if text.trim().is_empty() {
        return Err("the pattern is empty".to_string());
    }
    let processed = support.pre_process_pattern(text);
    let tree = support.ast_grep(processed.as_ref());
    let top = tree.root();
    // A top-level Rust expression needs its `;` to be a statement; ast-grep accepts it without.
    let parses_as_statement = || {
        !support
            .ast_grep(format!("{processed};"))
            .root()
            .get_inner_node()
            .has_error()
    };
    if top.get_inner_node().has_error() && !parses_as_statement() {
        let at = top
            .dfs()
            .find(|node| node.is_error() || node.is_missing())
            .map(|node| {
                let (line, column) = crate::line_column(processed.as_ref(), node.range().start);
                format!("a syntax error at {line}:{column}")
            })
            .unwrap_or_else(|| "a syntax error".to_string());
        return Err(at);
    }
    Pattern::try_new(text, support)
        .map_err(|error| crate::one_line(&error.to_string()).to_lowercase())
}

/// Compiles a query for `languages`.
pub fn compile(query: &CodeQuery, languages: &[Language]) -> Result<CompiledQuery, PatternError> {
    let mut compiled = Vec::new();
    for &language in languages {
        let main = pattern(&query.pattern, language).map_err(|reason| PatternError {
            which: None,
            pattern: query.pattern.clone(),
            language: language.name(),
            reason,
        })?;
        let mut relations = Vec::new();
        for (relation_index, (relation, alternatives)) in query.relations.iter().enumerate() {
            let mut patterns = Vec::new();
            for (alternative_index, text) in alternatives.iter().enumerate() {
                patterns.push(pattern(text, language).map_err(|reason| PatternError {
                    which: Some((relation_index, alternative_index)),
                    pattern: text.clone(),
                    language: language.name(),
                    reason,
                })?);
            }
            relations.push((*relation, patterns));
        }
        compiled.push(Compiled {
            language,
            pattern: main,
            relations,
        });
    }
    Ok(CompiledQuery { compiled })
}

/// The matches of a query.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CodeFacts {
    /// Files searched.
    pub files: u64,
    /// Files skipped because the query has no pattern for their language.
    pub skipped: u64,
    pub findings: Vec<crate::Finding>,
    pub problems: Vec<crate::Problem>,
}

type AstNode<'r> = Node<'r, StrDoc<SupportLang>>;

fn matches_any(node: &AstNode<'_>, patterns: &[Pattern]) -> bool {
    patterns.iter().any(|pattern| node.matches(pattern))
}

fn is_inside(node: &AstNode<'_>, patterns: &[Pattern]) -> bool {
    node.ancestors().any(|ancestor| {
        matches_any(&ancestor, patterns)
            || ancestor.children().any(|child| {
                child.kind() == "decorator"
                    && child.dfs().any(|inner| matches_any(&inner, patterns))
            })
    })
}

fn has(node: &AstNode<'_>, patterns: &[Pattern]) -> bool {
    node.dfs()
        .skip(1)
        .any(|inner| matches_any(&inner, patterns))
}

impl Compiled {
    fn keeps(&self, node: &AstNode<'_>) -> bool {
        self.relations
            .iter()
            .all(|(relation, patterns)| match relation {
                Relation::Inside => is_inside(node, patterns),
                Relation::NotInside => !is_inside(node, patterns),
                Relation::Has => has(node, patterns),
                Relation::NotHas => !has(node, patterns),
            })
    }
}

enum FileResult {
    Skipped,
    Searched(Vec<crate::Finding>),
    Problem(crate::Problem),
}

fn search_file(root: &Path, file: &str, query: &CompiledQuery) -> FileResult {
    let Some(language) = Language::of_path(file) else {
        return FileResult::Skipped;
    };
    let Some(compiled) = query.compiled.iter().find(|c| c.language == language) else {
        return FileResult::Skipped;
    };
    let text = match crate::read_source(root, file) {
        Ok(text) => text,
        Err(problem) => return FileResult::Problem(problem),
    };
    let tree = language.support().ast_grep(&text);
    let top = tree.root();
    if top.get_inner_node().has_error() {
        let at = top
            .dfs()
            .find(|node| node.is_error() || node.is_missing())
            .map(|node| {
                let (line, column) = crate::line_column(&text, node.range().start);
                format!(" at {line}:{column}")
            })
            .unwrap_or_default();
        return FileResult::Problem(crate::Problem {
            file: file.to_string(),
            reason: format!(
                "{} syntax error{at}: a match could be missed",
                language.name()
            ),
        });
    }
    let findings = top
        .find_all(&compiled.pattern)
        .filter(|found| compiled.keeps(found))
        .map(|found| {
            let (line, column) = crate::line_column(&text, found.range().start);
            crate::Finding {
                file: file.to_string(),
                line,
                column,
                text: crate::one_line(&found.text()),
                reason: String::new(),
            }
        })
        .collect();
    FileResult::Searched(findings)
}

/// Searches `files` (workspace-relative) under `root`.
pub fn code(root: &Path, files: &[String], query: &CompiledQuery) -> CodeFacts {
    let results: Vec<FileResult> = files
        .par_iter()
        .map(|file| search_file(root, file, query))
        .collect();
    let mut facts = CodeFacts::default();
    for result in results {
        match result {
            FileResult::Skipped => facts.skipped += 1,
            FileResult::Searched(findings) => {
                facts.files += 1;
                facts.findings.extend(findings);
            }
            FileResult::Problem(problem) => facts.problems.push(problem),
        }
    }
    facts.findings.sort();
    facts.problems.sort();
    facts
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn query(pattern: &str, relations: &[(Relation, &[&str])]) -> CodeQuery {
        CodeQuery {
            pattern: pattern.to_string(),
            relations: relations
                .iter()
                .map(|(relation, alternatives)| {
                    (
                        *relation,
                        alternatives.iter().map(|a| a.to_string()).collect(),
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn bad_patterns_are_errors() {
        let error = compile(&query("foo(", &[]), &[Language::TypeScript])
            .err()
            .unwrap();
        assert_eq!(error.which, None);
        let error = compile(
            &query("foo($$$)", &[(Relation::NotInside, &["ok()", "def ("])]),
            &[Language::Python],
        )
        .err()
        .unwrap();
        assert_eq!(error.which, Some((0, 1)));
        for (language, text) in [
            (Language::TypeScript, "$C.messages.create($$$)"),
            (Language::Tsx, "<$T $$$A />"),
            (Language::JavaScript, "require($X)"),
            (Language::Python, "httpx.$M($$$)"),
            (Language::Rust, "$A.unwrap()"),
            (Language::Go, "http.Get($$$)"),
        ] {
            let result = compile(&query(text, &[]), &[language]);
            assert!(result.is_ok(), "{language:?}: {:?}", result.err());
        }
    }
}
