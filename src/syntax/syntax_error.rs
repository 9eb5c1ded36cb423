//! Syntax errors in words. pest reports the rules it tried at the furthest position; this module
//! turns them into what a person would call them, and names what was found instead.

use super::parser::{Rule, StrictParser};
use super::span::Span;
use crate::diagnostic::Diagnostic;
use pest::error::{ErrorVariant, InputLocation};
use pest::Parser as _;

/// What a grammar rule is called in an error message, or `None` to leave it out.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::file | Rule::policy | Rule::kw_policy => "`policy \"name\" { ... }`",
        Rule::kw_target => "`target`",
        Rule::kw_levels => "`levels`",
        Rule::kw_evidence => "`evidence`",
        Rule::kw_category => "`category`",
        Rule::kw_waive => "`waive`",
        Rule::kw_shards => "`shards`",
        Rule::kw_min_samples => "`min_samples`",
        Rule::kw_as => "`as`",
        Rule::kw_weight => "`weight` and a number, like `weight 25`",
        Rule::kw_gate => "`gate`",
        Rule::kw_blocker => "`blocker`",
        Rule::kw_advisory => "`advisory`",
        Rule::kw_points => "`points`",
        Rule::kw_when => "`when changed(\"glob\")`",
        Rule::kw_changed => "`changed(\"glob\")`",
        Rule::kw_expect => "`expect`",
        Rule::kw_help => "`help \"...\"`",
        Rule::kw_until => "`until YYYY-MM-DD`",
        Rule::kw_owner => "`owner \"...\"`",
        Rule::kw_because => "`because \"...\"`",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_not => "`not`",
        Rule::target_decl => "`target 95%`",
        Rule::levels_decl => "`levels { ... }`",
        Rule::level_entry => "a level like `gold 95%`",
        Rule::evidence_block => "`evidence { ... }`",
        Rule::evidence_decl => "an evidence item like `coverage = coverage(\"lcov.info\")`",
        Rule::source_call => "an evidence source like `coverage(\"coverage/lcov.info\")`",
        Rule::shards_modifier => "`shards N`",
        Rule::min_samples_modifier => "`min_samples N`",
        Rule::as_modifier => "`as FORMAT`",
        Rule::format_name => "a format name like `lcov`",
        Rule::category_decl => "`category NAME weight N { ... }`",
        Rule::gate_decl => "`gate \"name\" { ... }`",
        Rule::severity => "a severity (`blocker` or `advisory`)",
        Rule::points_modifier => "`points N`",
        Rule::when_modifier => "`when changed(\"glob\")`",
        Rule::expect_stmt => "`expect ...`",
        Rule::help_clause => "`help \"...\"`",
        Rule::waiver_decl => "`waive \"gate\" until ... owner ... because ...`",
        Rule::until_clause => "`until YYYY-MM-DD`",
        Rule::owner_clause => "`owner \"...\"`",
        Rule::because_clause => "`because \"...\"`",
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::comparison
        | Rule::sum
        | Rule::product
        | Rule::postfix
        | Rule::group
        | Rule::call => "an expression",
        Rule::compare_op => "a comparison like `>=`",
        Rule::add_op | Rule::multiply_op => "an operator",
        Rule::member => "`.field`",
        Rule::call_args => "`(...)`",
        Rule::ident | Rule::reserved => "a name",
        Rule::number | Rule::quantity => "a number like `70%`, `500ms` or `3`",
        Rule::unit => "a unit like `%`, `ms`, `s` or `MB`",
        Rule::date => "a date like `2026-12-31`",
        Rule::boolean => "`true` or `false`",
        Rule::string | Rule::string_inner => "a string in double quotes",
        Rule::string_escape => "an escape like `\\n`, `\\\"`, `\\\\` or `\\u{2713}`",
        Rule::regex | Rule::regex_body => "a regular expression like `/pattern/`",
        Rule::regex_flags => "regular expression flags (`i`, `m`, `s`, `x`)",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::open_paren => "`(`",
        Rule::close_paren => "`)`",
        Rule::equals => "`=`",
        Rule::comma => "`,`",
        Rule::dot => "`.`",
        Rule::any_statement => "a statement",
        _ => return None,
    })
}

/// The token found at `offset`, for "found ..." (a word, a symbol, or the end of the file).
fn found_at(source: &str, offset: usize) -> (String, Span) {
    let rest = source.get(offset..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("the end of the file".to_string(), Span::new(offset, offset));
    };
    let length = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len())
    } else if first == '"' {
        rest.get(1..)
            .and_then(|tail| tail.find(['"', '\n']))
            .map(|end| end + 2)
            .unwrap_or(rest.len())
            .min(rest.find('\n').unwrap_or(rest.len()).max(1))
    } else {
        first.len_utf8()
    };
    let token = rest.get(..length).unwrap_or("");
    let shown = if token.trim().is_empty() {
        match first {
            '\n' => "the end of the line".to_string(),
            _ => format!("`{}`", first.escape_default()),
        }
    } else {
        format!("`{token}`")
    };
    (shown, Span::new(offset, offset + length))
}

/// Joins descriptions as "a, b or c".
fn one_of(items: &[&str]) -> String {
    match items {
        [] => "something else".to_string(),
        [only] => (*only).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Turns a pest error into a diagnostic; `offset` is where the parsed text starts in the file.
pub fn from_pest(error: &pest::error::Error<Rule>, source: &str, offset: usize) -> Diagnostic {
    let at = offset
        + match error.location {
            InputLocation::Pos(pos) => pos,
            InputLocation::Span((start, _)) => start,
        };
    let (found, span) = found_at(source, at);
    let expected: Vec<&str> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut words: Vec<&str> = Vec::new();
            for rule in positives {
                if let Some(word) = describe(*rule) {
                    if !words.contains(&word) {
                        words.push(word);
                    }
                }
            }
            words
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let message = if expected.is_empty() {
        format!("unexpected {found}")
    } else {
        format!("expected {}, found {found}", one_of(&expected))
    };
    let mut diagnostic = Diagnostic::error("syntax-error", message).label(span, "here");
    if let Some(help) = help_for(source, at) {
        diagnostic = diagnostic.help(help);
    }
    diagnostic
}

/// Advice for common slips, from the text at the error.
fn help_for(source: &str, at: usize) -> Option<String> {
    let rest = source.get(at..).unwrap_or("");
    let before = source.get(..at).unwrap_or("").trim_end();
    if rest.starts_with('\\') {
        return Some(
            "inside strings, write `\\\\` for a backslash; regexes go between slashes: `/a\\.b/`"
                .into(),
        );
    }
    if rest.starts_with('\'') {
        return Some("strings use double quotes: `\"...\"`".into());
    }
    if rest.starts_with("//") {
        return Some("comments start with `#`".into());
    }
    if rest.starts_with('=') && !rest.starts_with("==") && before.ends_with(['<', '>', '!']) {
        return None;
    }
    if rest.starts_with('=') && !rest.starts_with("==") {
        return Some("compare with `==`; `=` only names evidence items".into());
    }
    if let Some(string) = rest.strip_prefix('"') {
        let line = string.split('\n').next().unwrap_or("");
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return None,
                '\\' => match chars.next() {
                    Some('"' | '\\' | 'n' | 't' | 'r' | 'u') => {}
                    Some(other) => {
                        return Some(format!(
                            "`\\{other}` is not an escape: write `\\\\` for a backslash (strings accept `\\\\`, `\\\"`, `\\n`, `\\t`, `\\r` and `\\u{{2713}}`)"
                        ))
                    }
                    None => break,
                },
                _ => {}
            }
        }
        return Some("this string is not closed: add `\"` before the end of the line".into());
    }
    if rest.starts_with('/')
        && !rest
            .get(1..)
            .unwrap_or("")
            .split('\n')
            .next()
            .unwrap_or("")
            .contains('/')
    {
        return Some(
            "this regular expression is not closed: end it with `/` before the end of the line"
                .into(),
        );
    }
    if rest.starts_with("&&") || rest.starts_with("||") {
        return Some(
            "combine expectations with `and` / `or`, or write one `expect` per line".into(),
        );
    }
    None
}

/// A statement the recovering parser could not read: re-read it strictly for a precise message.
pub fn for_bad_item(source: &str, bad: Span) -> Diagnostic {
    let text = source.get(bad.start..bad.end).unwrap_or("");
    let keyword: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match StrictParser::parse(Rule::any_statement, text) {
        Err(error) => from_pest(&error, source, bad.start),
        Ok(_) => {
            let place = match keyword.as_str() {
                "expect" => "`expect` belongs inside a `gate { ... }` block",
                "gate" => "`gate` belongs inside a `category NAME weight N { ... }` block",
                "target" | "levels" | "evidence" | "category" | "waive" => {
                    "this statement belongs directly inside `policy \"name\" { ... }`"
                }
                _ => "evidence items like `name = coverage(\"...\")` belong inside `evidence { ... }`",
            };
            Diagnostic::error(
                "misplaced-statement",
                format!("`{keyword}` is not allowed here"),
            )
            .label(
                Span::new(bad.start, bad.start + keyword.len().max(1)),
                "misplaced",
            )
            .help(place)
        }
    }
}
