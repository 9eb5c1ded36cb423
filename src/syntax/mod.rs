//! The syntax stage: policy text -> pest pairs -> owned, spanned AST, with syntax errors as
//! diagnostics written in words ("expected a percentage like `70%`"), several per file where the
//! recovering parser can skip a bad statement.

pub mod ast;
pub mod limits;
mod lower;
mod parser;
pub mod span;
mod syntax_error;

pub use lower::parse_decimal;

use crate::diagnostic::Diagnostic;
use pest::Parser as _;
use span::Span;

/// The result of parsing: the AST when the text could be read, and every syntax problem found.
pub struct Parsed {
    pub policy: Option<ast::Policy>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a policy. `policy` is `Some` only when there is no syntax error.
pub fn parse(source: &str) -> Parsed {
    // Bounds first: pest recurses on nesting, so deep text must not reach it.
    if let Some(diagnostic) =
        limits::too_large(source.len()).or_else(|| limits::scan_nesting(source))
    {
        return Parsed {
            policy: None,
            diagnostics: vec![diagnostic],
        };
    }
    let recovered =
        parser::recovering::RecoveringParser::parse(parser::recovering::Rule::file, source);
    let lowered = match recovered {
        Ok(mut pairs) => match pairs.next().map(lower::lower_file) {
            Some(Ok(lowered)) => Some(lowered),
            Some(Err(diagnostic)) => {
                return Parsed {
                    policy: None,
                    diagnostics: vec![diagnostic],
                }
            }
            None => None,
        },
        Err(_) => None,
    };
    let clean = lowered
        .as_ref()
        .is_some_and(|lowered| lowered.bad_items.is_empty());
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut first_error_at = None;
    if !clean {
        if let Err(error) = parser::StrictParser::parse(parser::Rule::file, source) {
            let diagnostic = syntax_error::from_pest(&error, source, 0);
            first_error_at = diagnostic.primary_span();
            diagnostics.push(diagnostic);
        }
    }
    let Some(lowered) = lowered else {
        if diagnostics.is_empty() {
            diagnostics.push(Diagnostic::error(
                "syntax-error",
                "the policy could not be read",
            ));
        }
        return Parsed {
            policy: None,
            diagnostics,
        };
    };
    for bad in &lowered.bad_items {
        // The strict parser's first error lies in this bad item, or just after it (pest skips
        // whitespace and comments before failing): the same problem, reported once.
        let inside =
            first_error_at.is_some_and(|at: Span| at.start >= bad.start && at.start <= bad.end);
        let just_after = first_error_at.is_some_and(|at: Span| {
            at.start > bad.end
                && source.get(bad.end..at.start).is_some_and(|gap| {
                    gap.lines()
                        .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'))
                })
        });
        let diagnostic = syntax_error::for_bad_item(source, *bad);
        if inside || just_after {
            // A well-formed statement in the wrong block: say where it belongs rather than list
            // what the grammar expected there.
            if inside && diagnostic.code == "misplaced-statement" {
                if let Some(first) = diagnostics.first_mut() {
                    *first = diagnostic;
                }
            }
            continue;
        }
        diagnostics.push(diagnostic);
    }
    diagnostics.extend(lowered.diagnostics);
    diagnostics.sort_by_key(|diagnostic| diagnostic.primary_span().map(|span| span.start));
    Parsed {
        policy: diagnostics.is_empty().then_some(lowered.policy),
        diagnostics,
    }
}
