//! From pest pairs to the owned, spanned AST: one `lower_<rule>` function per grammar rule, and a
//! small cursor over children that turns a shape the grammar should have guaranteed into an
//! "internal error, please report" diagnostic instead of a panic.

use super::ast::*;
use super::limits;
use super::parser::recovering::Rule;
use super::span::{Span, Spanned};
use crate::diagnostic::Diagnostic;
use num_bigint::BigInt;
use num_rational::BigRational;
use pest::iterators::{Pair, Pairs};

type Lowered<T> = Result<T, Diagnostic>;

/// What lowering found: the policy, statements it could not read (spans of `bad_item`s), and
/// problems with well-formed tokens (an impossible date, say).
pub struct LoweredPolicy {
    pub policy: Policy,
    pub bad_items: Vec<Span>,
    pub diagnostics: Vec<Diagnostic>,
}

fn internal(span: Span, what: &str) -> Diagnostic {
    Diagnostic::error(
        "internal-error",
        format!("internal error while reading the policy: {what}"),
    )
    .label(span, "here")
    .help("this is a bug in readiness-gate; please report it with the policy that caused it")
}

/// Children of a pair, without comments.
struct Cursor<'i> {
    pairs: std::iter::Peekable<Pairs<'i, Rule>>,
    parent: Span,
}

impl<'i> Cursor<'i> {
    fn new(pair: Pair<'i, Rule>) -> Cursor<'i> {
        Cursor {
            parent: pair.as_span().into(),
            pairs: pair.into_inner().peekable(),
        }
    }

    fn skip_comments(&mut self) {
        while self
            .pairs
            .peek()
            .is_some_and(|pair| pair.as_rule() == Rule::COMMENT)
        {
            self.pairs.next();
        }
    }

    fn next(&mut self) -> Option<Pair<'i, Rule>> {
        self.skip_comments();
        self.pairs.next()
    }

    fn peek_rule(&mut self) -> Option<Rule> {
        self.skip_comments();
        self.pairs.peek().map(|pair| pair.as_rule())
    }

    fn expect(&mut self, rule: Rule) -> Lowered<Pair<'i, Rule>> {
        match self.next() {
            Some(pair) if pair.as_rule() == rule => Ok(pair),
            Some(pair) => Err(internal(
                pair.as_span().into(),
                &format!("expected {rule:?}, found {:?}", pair.as_rule()),
            )),
            None => Err(internal(self.parent, &format!("expected {rule:?}"))),
        }
    }

    fn optional(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        if self.peek_rule() == Some(rule) {
            self.next()
        } else {
            None
        }
    }
}

/// Lowers the `file` pair of the recovering parser.
pub fn lower_file(file: Pair<'_, Rule>) -> Lowered<LoweredPolicy> {
    let comments = file
        .clone()
        .into_inner()
        .flatten()
        .filter(|pair| pair.as_rule() == Rule::COMMENT)
        .map(|pair| Comment {
            text: pair.as_str().trim_end().to_string(),
            span: pair.as_span().into(),
        })
        .collect();
    let mut lowering = Lowering {
        bad_items: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut cursor = Cursor::new(file);
    let policy_pair = cursor.expect(Rule::policy)?;
    let mut policy = lowering.lower_policy(policy_pair)?;
    policy.comments = comments;
    Ok(LoweredPolicy {
        policy,
        bad_items: lowering.bad_items,
        diagnostics: lowering.diagnostics,
    })
}

struct Lowering {
    bad_items: Vec<Span>,
    diagnostics: Vec<Diagnostic>,
}

impl Lowering {
    fn lower_policy(&mut self, pair: Pair<'_, Rule>) -> Lowered<Policy> {
        let span = span_of(&pair);
        let mut cursor = Cursor::new(pair);
        cursor.expect(Rule::kw_policy)?;
        let name = lower_string(cursor.expect(Rule::string)?)?;
        cursor.expect(Rule::open_brace)?;
        let mut items = Vec::new();
        while let Some(pair) = cursor.next() {
            let item = match pair.as_rule() {
                Rule::target_decl => Item::Target(self.lower_target(pair)?),
                Rule::levels_decl => Item::Levels(self.lower_levels(pair)?),
                Rule::evidence_block => Item::Evidence(self.lower_evidence_block(pair)?),
                Rule::category_decl => Item::Category(self.lower_category(pair)?),
                Rule::waiver_decl => Item::Waiver(self.lower_waiver(pair)?),
                Rule::bad_item => {
                    self.bad_items.push(pair.as_span().into());
                    continue;
                }
                Rule::close_brace => break,
                other => {
                    return Err(internal(
                        pair.as_span().into(),
                        &format!("unexpected {other:?} in a policy"),
                    ))
                }
            };
            items.push(item);
        }
        Ok(Policy {
            name,
            items,
            span,
            comments: Vec::new(),
        })
    }

    fn lower_target(&mut self, pair: Pair<'_, Rule>) -> Lowered<Target> {
        let span = span_of(&pair);
        let mut cursor = Cursor::new(pair);
        cursor.expect(Rule::kw_target)?;
        let value = lower_quantity(cursor.expect(Rule::quantity)?)?;
        Ok(Target { value, span })
    }

    /// Reads the statements of a `{ ... }` block up to its `}`: each `rule` pair is lowered by
    /// `lower`; a statement the recovering parser could not read is recorded as a bad item.
    fn block<'i, T>(
        &mut self,
        cursor: &mut Cursor<'i>,
        rule: Rule,
        what: &str,
        mut lower: impl FnMut(&mut Self, Pair<'i, Rule>) -> Lowered<T>,
    ) -> Lowered<Vec<T>> {
        let mut items = Vec::new();
        while let Some(pair) = cursor.next() {
            match pair.as_rule() {
                found if found == rule => items.push(lower(self, pair)?),
                Rule::bad_item => self.bad_items.push(pair.as_span().into()),
                Rule::close_brace => break,
                other => {
                    return Err(internal(
                        pair.as_span().into(),
                        &format!("unexpected {other:?} in {what}"),
                    ))
                }
            }
        }
        Ok(items)
    }

    fn lower_levels(&mut self, pair: Pair<'_, Rule>) -> Lowered<Levels> {
        let span = span_of(&pair);
        let mut cursor = Cursor::new(pair);
        cursor.expect(Rule::kw_levels)?;
        cursor.expect(Rule::open_brace)?;
        let entries = self.block(&mut cursor, Rule::level_entry, "levels", |_, pair| {
            let span = span_of(&pair);
            let mut entry = Cursor::new(pair);
            let name = lower_ident(entry.expect(Rule::ident)?);
            let threshold = lower_quantity(entry.expect(Rule::quantity)?)?;
            Ok(Level {
                name,
                threshold,
                span,
            })
        })?;
        Ok(Levels { entries, span })
    }

    fn lower_evidence_block(&mut self, pair: Pair<'_, Rule>) -> Lowered<EvidenceBlock> {
        let span = span_of(&pair);
        let mut cursor = Cursor::new(pair);
        cursor.expect(Rule::kw_evidence)?;
        cursor.expect(Rule::open_brace)?;
        let items = self.block(
            &mut cursor,
            Rule::evidence_decl,
            "evidence",
            Self::lower_evidence_decl,
        )?;
        Ok(EvidenceBlock { items, span })
    }

    fn lower_evidence_decl(&mut self, pair: Pair<'_, Rule>) -> Lowered<EvidenceDecl> {
        let span = span_of(&pair);
        let mut cursor = Cursor::new(pair);
        let name = lower_ident(cursor.expect(Rule::ident)?);
        cursor.expect(Rule::equals)?;
        let call = cursor.expect(Rule::source_call)?;
        let mut call_cursor = Cursor::new(call);
        let source = lower_ident(call_cursor.expect(Rule::ident)?);
        call_cursor.expect(Rule::open_paren)?;
        let globs = lower_string_list(&mut call_cursor, "a source")?;
        let mut shards = None;
        let mut min_samples = None;
        let mut format = None;
        while let Some(pair) = cursor.next() {
            let modifier_span: Span = pair.as_span().into();
            let mut modifier = Cursor::new(pair.clone());
            match pair.as_rule() {
                Rule::shards_modifier => {
                    modifier.expect(Rule::kw_shards)?;
                    let value = lower_quantity(modifier.expect(Rule::quantity)?)?;
                    if shards.replace(value).is_some() {
                        self.diagnostics
                            .push(duplicate_modifier("shards", modifier_span));
                    }
                }
                Rule::min_samples_modifier => {
                    modifier.expect(Rule::kw_min_samples)?;
                    let value = lower_quantity(modifier.expect(Rule::quantity)?)?;
                    if min_samples.replace(value).is_some() {
                        self.diagnostics
                            .push(duplicate_modifier("min_samples", modifier_span));
                    }
                }
                Rule::as_modifier => {
                    modifier.expect(Rule::kw_as)?;
                    let value = lower_ident(modifier.expect(Rule::format_name)?);
                    if format.replace(value).is_some() {
                        self.diagnostics
                            .push(duplicate_modifier("as", modifier_span));
                    }
                }
                other => {
                    return Err(internal(
                        modifier_span,
                        &format!("unexpected {other:?} after an evidence source"),
                    ))
                }
            }
        }
        Ok(EvidenceDecl {
            name,
            source,
            globs,
            shards,
            min_samples,
            format,
            span,
        })
    }

    fn lower_category(&mut self, pair: Pair<'_, Rule>) -> Lowered<Category> {
        let span = span_of(&pair);
        let mut cursor = Cursor::new(pair);
        cursor.expect(Rule::kw_category)?;
        let name = lower_ident(cursor.expect(Rule::ident)?);
        cursor.expect(Rule::kw_weight)?;
        let weight = lower_quantity(cursor.expect(Rule::quantity)?)?;
        cursor.expect(Rule::open_brace)?;
        let gates = self.block(&mut cursor, Rule::gate_decl, "a category", Self::lower_gate)?;
        Ok(Category {
            name,
            weight,
            gates,
            span,
        })
    }

    fn lower_gate(&mut self, pair: Pair<'_, Rule>) -> Lowered<Gate> {
        let span = span_of(&pair);
        let mut cursor = Cursor::new(pair);
        cursor.expect(Rule::kw_gate)?;
        let name = lower_string(cursor.expect(Rule::string)?)?;
        let mut modifiers = Vec::new();
        let mut expectations = Vec::new();
        let mut in_body = false;
        while let Some(pair) = cursor.next() {
            let pair_span: Span = pair.as_span().into();
            match pair.as_rule() {
                Rule::severity => {
                    let severity = match Cursor::new(pair).next().map(|p| p.as_rule()) {
                        Some(Rule::kw_blocker) => Severity::Blocker,
                        Some(Rule::kw_advisory) => Severity::Advisory,
                        _ => return Err(internal(pair_span, "unknown severity")),
                    };
                    modifiers.push(GateModifier::Severity(Spanned::new(severity, pair_span)));
                }
                Rule::points_modifier => {
                    let mut modifier = Cursor::new(pair);
                    modifier.expect(Rule::kw_points)?;
                    modifiers.push(GateModifier::Points(lower_quantity(
                        modifier.expect(Rule::quantity)?,
                    )?));
                }
                Rule::when_modifier => {
                    let mut modifier = Cursor::new(pair);
                    modifier.expect(Rule::kw_when)?;
                    modifier.expect(Rule::kw_changed)?;
                    modifier.expect(Rule::open_paren)?;
                    let globs = lower_string_list(&mut modifier, "`when changed`")?;
                    modifiers.push(GateModifier::WhenChanged(globs, pair_span));
                }
                Rule::open_brace => in_body = true,
                Rule::expect_stmt if in_body => expectations.push(self.lower_expect(pair)?),
                Rule::bad_item => self.bad_items.push(pair_span),
                Rule::close_brace => break,
                other => {
                    return Err(internal(
                        pair_span,
                        &format!("unexpected {other:?} in a gate"),
                    ))
                }
            }
        }
        Ok(Gate {
            name,
            modifiers,
            expectations,
            span,
        })
    }

    fn lower_expect(&mut self, pair: Pair<'_, Rule>) -> Lowered<Expect> {
        let span = span_of(&pair);
        let mut cursor = Cursor::new(pair);
        cursor.expect(Rule::kw_expect)?;
        let expr = lower_expr(cursor.expect(Rule::expr)?)?;
        let help = match cursor.optional(Rule::help_clause) {
            Some(clause) => {
                let mut clause = Cursor::new(clause);
                clause.expect(Rule::kw_help)?;
                Some(lower_string(clause.expect(Rule::string)?)?)
            }
            None => None,
        };
        Ok(Expect { expr, help, span })
    }

    fn lower_waiver(&mut self, pair: Pair<'_, Rule>) -> Lowered<Waiver> {
        let span = span_of(&pair);
        let mut cursor = Cursor::new(pair);
        cursor.expect(Rule::kw_waive)?;
        let gate = lower_string(cursor.expect(Rule::string)?)?;
        let mut waiver = Waiver {
            gate,
            until: Vec::new(),
            owner: Vec::new(),
            because: Vec::new(),
            span,
        };
        while let Some(pair) = cursor.next() {
            let rule = pair.as_rule();
            let mut clause = Cursor::new(pair);
            match rule {
                Rule::until_clause => {
                    clause.expect(Rule::kw_until)?;
                    let date = clause.expect(Rule::date)?;
                    match lower_date(&date) {
                        Ok(literal) => waiver.until.push(literal),
                        Err(diagnostic) => self.diagnostics.push(diagnostic),
                    }
                }
                Rule::owner_clause => {
                    clause.expect(Rule::kw_owner)?;
                    waiver
                        .owner
                        .push(lower_string(clause.expect(Rule::string)?)?);
                }
                Rule::because_clause => {
                    clause.expect(Rule::kw_because)?;
                    waiver
                        .because
                        .push(lower_string(clause.expect(Rule::string)?)?);
                }
                other => return Err(internal(span, &format!("unexpected {other:?} in a waiver"))),
            }
        }
        Ok(waiver)
    }
}

/// A pair's span without the whitespace and comments pest includes after its last token.
fn span_of(pair: &Pair<'_, Rule>) -> Span {
    // Tokens with inner pairs (a string's `string_inner` ends before its closing quote) are
    // whole: their own span is exact.
    let is_token = |rule: Rule| matches!(rule, Rule::string | Rule::regex | Rule::quantity);
    if is_token(pair.as_rule()) {
        return pair.as_span().into();
    }
    let start = pair.as_span().start();
    // The end of the last token: compound pairs may end after trailing whitespace themselves.
    let end = pair
        .clone()
        .into_inner()
        .flatten()
        .filter(|child| {
            child.as_rule() != Rule::COMMENT
                && (is_token(child.as_rule()) || child.clone().into_inner().next().is_none())
        })
        .map(|child| child.as_span().end())
        .max()
        .unwrap_or_else(|| pair.as_span().end());
    Span::new(start, end)
}

fn duplicate_modifier(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "duplicate-modifier",
        format!("`{name}` is given more than once"),
    )
    .label(span, "given again here")
    .help("keep one")
}

/// Reads `"a", "b", ...)` after an opening parenthesis: the strings, up to the `)`.
fn lower_string_list(cursor: &mut Cursor<'_>, what: &str) -> Lowered<Vec<Spanned<String>>> {
    let mut strings = Vec::new();
    while let Some(pair) = cursor.next() {
        match pair.as_rule() {
            Rule::string => strings.push(lower_string(pair)?),
            Rule::comma => {}
            Rule::close_paren => break,
            other => {
                return Err(internal(
                    pair.as_span().into(),
                    &format!("unexpected {other:?} in {what}"),
                ))
            }
        }
    }
    Ok(strings)
}

fn lower_ident(pair: Pair<'_, Rule>) -> Spanned<String> {
    Spanned::new(pair.as_str().to_string(), pair.as_span().into())
}

/// Decodes a string literal's escapes.
fn lower_string(pair: Pair<'_, Rule>) -> Lowered<Spanned<String>> {
    let span: Span = pair.as_span().into();
    let raw = pair.as_str();
    let inner = raw
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .ok_or_else(|| internal(span, "a string without its quotes"))?;
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => value.push('\n'),
            Some('t') => value.push('\t'),
            Some('r') => value.push('\r'),
            Some('"') => value.push('"'),
            Some('\\') => value.push('\\'),
            Some('u') => {
                let hex: String = chars
                    .by_ref()
                    .skip_while(|c| *c == '{')
                    .take_while(|c| *c != '}')
                    .collect();
                let decoded = u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| {
                        Diagnostic::error(
                            "invalid-escape",
                            format!("`\\u{{{hex}}}` is not a unicode character"),
                        )
                        .label(span, "in this string")
                        .help("use a unicode scalar value such as `\\u{2713}`")
                    })?;
                value.push(decoded);
            }
            _ => return Err(internal(span, "an escape the grammar should have refused")),
        }
    }
    Ok(Spanned::new(value, span))
}

/// Parses a decimal like `12.50` exactly.
///
/// Text longer than 1,000 characters is refused (`None`): decimal parsing grows faster than
/// linearly, and no figure or threshold has that many digits.
pub fn parse_decimal(text: &str) -> Option<BigRational> {
    if text.len() > 1000 {
        return None;
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{whole}{fraction}");
    let numerator: BigInt = digits.parse().ok()?;
    let denominator = num_traits::pow(BigInt::from(10), fraction.len());
    Some(BigRational::new(numerator, denominator))
}

fn lower_quantity(pair: Pair<'_, Rule>) -> Lowered<Spanned<Quantity>> {
    let span: Span = pair.as_span().into();
    let text = pair.as_str().to_string();
    let mut cursor = Cursor::new(pair);
    let number_pair = cursor.expect(Rule::number)?;
    if let Some(diagnostic) = super::limits::number_too_long(number_pair.as_str(), span) {
        return Err(diagnostic);
    }
    let number = parse_decimal(number_pair.as_str())
        .ok_or_else(|| internal(span, "a number that is not a decimal"))?;
    let unit = match cursor.optional(Rule::unit).as_ref().map(|u| u.as_str()) {
        None => Unit::None,
        Some("%") => Unit::Percent,
        Some("ms") => Unit::Milliseconds,
        Some("s") => Unit::Seconds,
        Some("m") => Unit::Minutes,
        Some("h") => Unit::Hours,
        Some("B") => Unit::Bytes,
        Some("KB") => Unit::Kilobytes,
        Some("MB") => Unit::Megabytes,
        Some("GB") => Unit::Gigabytes,
        Some(other) => return Err(internal(span, &format!("unknown unit `{other}`"))),
    };
    Ok(Spanned::new(Quantity { number, unit, text }, span))
}

fn lower_date(pair: &Pair<'_, Rule>) -> Lowered<Spanned<Literal>> {
    let span: Span = pair.as_span().into();
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(pair.as_str(), &format)
        .map(|date| Spanned::new(Literal::Date(date), span))
        .map_err(|_| {
            Diagnostic::error(
                "invalid-date",
                format!("`{}` is not a date in the calendar", pair.as_str()),
            )
            .label(span, "no such day")
            .help("write dates as YYYY-MM-DD, e.g. `2026-12-31`")
        })
}

fn lower_regex(pair: Pair<'_, Rule>) -> Lowered<Literal> {
    let mut cursor = Cursor::new(pair);
    let pattern = cursor.expect(Rule::regex_body)?.as_str().to_string();
    let flags = cursor
        .optional(Rule::regex_flags)
        .map(|flags| flags.as_str().to_string())
        .unwrap_or_default();
    Ok(Literal::Regex { pattern, flags })
}

fn lower_expr(pair: Pair<'_, Rule>) -> Lowered<Expr> {
    lower_nested(pair).map(|(expr, _)| expr)
}

/// The precedence rules (`expr` → `or_expr` → … → `postfix`) wrap every operand: one with a
/// single child (no operator, no `not`, no `.member`) stands for that child. Walking down them in
/// a loop keeps the recursion of lowering to one call per level of the expression.
fn skip_single_child_rules(mut pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    loop {
        if !matches!(
            pair.as_rule(),
            Rule::expr
                | Rule::or_expr
                | Rule::and_expr
                | Rule::not_expr
                | Rule::comparison
                | Rule::sum
                | Rule::product
                | Rule::postfix
        ) {
            return pair;
        }
        let mut children = pair
            .clone()
            .into_inner()
            .filter(|child| child.as_rule() != Rule::COMMENT);
        match (children.next(), children.next()) {
            (Some(only), None) if only.as_rule() != Rule::kw_not => pair = only,
            _ => return pair,
        }
    }
}

/// A node one level above children of depth `depth`, refused past [`limits::MAX_NESTING`].
fn deeper(depth: usize, span: Span) -> Lowered<usize> {
    let depth = depth + 1;
    if depth > limits::MAX_NESTING {
        return Err(limits::too_deep(span));
    }
    Ok(depth)
}

/// Lowers an expression and measures its depth (a leaf is 1). Chains are read in loops, and the
/// depth is checked as each link is added, so no tree deeper than the limit is ever built.
fn lower_nested(pair: Pair<'_, Rule>) -> Lowered<(Expr, usize)> {
    let pair = skip_single_child_rules(pair);
    let span: Span = span_of(&pair);
    match pair.as_rule() {
        Rule::expr | Rule::group => {
            let is_group = pair.as_rule() == Rule::group;
            let mut cursor = Cursor::new(pair);
            if is_group {
                cursor.expect(Rule::open_paren)?;
            }
            let inner = cursor
                .next()
                .ok_or_else(|| internal(span, "an empty expression"))?;
            let (inner, depth) = lower_nested(inner)?;
            Ok(if is_group {
                let depth = deeper(depth, span)?;
                (
                    Expr {
                        kind: ExprKind::Group(Box::new(inner)),
                        span,
                    },
                    depth,
                )
            } else {
                (inner, depth)
            })
        }
        Rule::or_expr | Rule::and_expr | Rule::comparison | Rule::sum | Rule::product => {
            let mut cursor = Cursor::new(pair);
            let first = cursor
                .next()
                .ok_or_else(|| internal(span, "an empty expression"))?;
            let (mut lhs, mut depth) = lower_nested(first)?;
            while let Some(op_pair) = cursor.next() {
                let op_span: Span = op_pair.as_span().into();
                let op = match op_pair.as_str() {
                    "or" => BinaryOp::Or,
                    "and" => BinaryOp::And,
                    "==" => BinaryOp::Eq,
                    "!=" => BinaryOp::Ne,
                    "<" => BinaryOp::Lt,
                    "<=" => BinaryOp::Le,
                    ">" => BinaryOp::Gt,
                    ">=" => BinaryOp::Ge,
                    "+" => BinaryOp::Add,
                    "-" => BinaryOp::Sub,
                    "*" => BinaryOp::Mul,
                    "/" => BinaryOp::Div,
                    other => return Err(internal(op_span, &format!("unknown operator `{other}`"))),
                };
                let rhs_pair = cursor
                    .next()
                    .ok_or_else(|| internal(span, "an operator without its right side"))?;
                let (rhs, rhs_depth) = lower_nested(rhs_pair)?;
                let whole = lhs.span.to(rhs.span);
                depth = deeper(depth.max(rhs_depth), op_span)?;
                lhs = Expr {
                    kind: ExprKind::Binary {
                        op: Spanned::new(op, op_span),
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span: whole,
                };
            }
            Ok((lhs, depth))
        }
        Rule::not_expr => {
            let mut cursor = Cursor::new(pair);
            if cursor.optional(Rule::kw_not).is_some() {
                let operand = cursor
                    .next()
                    .ok_or_else(|| internal(span, "`not` without an operand"))?;
                let (operand, depth) = lower_nested(operand)?;
                let depth = deeper(depth, span)?;
                Ok((
                    Expr {
                        kind: ExprKind::Not(Box::new(operand)),
                        span,
                    },
                    depth,
                ))
            } else {
                let inner = cursor
                    .next()
                    .ok_or_else(|| internal(span, "an empty expression"))?;
                lower_nested(inner)
            }
        }
        Rule::postfix => {
            let mut cursor = Cursor::new(pair);
            let primary = cursor
                .next()
                .ok_or_else(|| internal(span, "an empty expression"))?;
            let (mut receiver, mut depth) = lower_nested(primary)?;
            while let Some(member) = cursor.next() {
                let member_span: Span = span_of(&member);
                let mut member_cursor = Cursor::new(member);
                member_cursor.expect(Rule::dot)?;
                let name = lower_ident(member_cursor.expect(Rule::ident)?);
                let whole = receiver.span.to(member_span);
                receiver = match member_cursor.optional(Rule::call_args) {
                    Some(args) => {
                        let (args, args_depth) = lower_args(args)?;
                        depth = deeper(depth.max(args_depth), member_span)?;
                        Expr {
                            kind: ExprKind::Call {
                                receiver: Some(Box::new(receiver)),
                                name,
                                args,
                            },
                            span: whole,
                        }
                    }
                    None => {
                        depth = deeper(depth, member_span)?;
                        Expr {
                            kind: ExprKind::Member {
                                receiver: Box::new(receiver),
                                name,
                            },
                            span: whole,
                        }
                    }
                };
            }
            Ok((receiver, depth))
        }
        Rule::call => {
            let mut cursor = Cursor::new(pair);
            let name = lower_ident(cursor.expect(Rule::ident)?);
            let (args, args_depth) = lower_args(cursor.expect(Rule::call_args)?)?;
            let depth = deeper(args_depth, span)?;
            Ok((
                Expr {
                    kind: ExprKind::Call {
                        receiver: None,
                        name,
                        args,
                    },
                    span,
                },
                depth,
            ))
        }
        Rule::ident => Ok((
            Expr {
                kind: ExprKind::Name(pair.as_str().to_string()),
                span,
            },
            1,
        )),
        Rule::quantity => Ok((
            Expr {
                kind: ExprKind::Literal(Literal::Quantity(lower_quantity(pair)?.node)),
                span,
            },
            1,
        )),
        Rule::string => Ok((
            Expr {
                kind: ExprKind::Literal(Literal::String(lower_string(pair)?.node)),
                span,
            },
            1,
        )),
        Rule::regex => Ok((
            Expr {
                kind: ExprKind::Literal(lower_regex(pair)?),
                span,
            },
            1,
        )),
        Rule::boolean => Ok((
            Expr {
                kind: ExprKind::Literal(Literal::Bool(pair.as_str() == "true")),
                span,
            },
            1,
        )),
        Rule::date => Ok((
            Expr {
                kind: ExprKind::Literal(lower_date(&pair)?.node),
                span,
            },
            1,
        )),
        other => Err(internal(
            span,
            &format!("unexpected {other:?} in an expression"),
        )),
    }
}

/// The arguments and the depth of the deepest one (0 without arguments).
fn lower_args(pair: Pair<'_, Rule>) -> Lowered<(Vec<Expr>, usize)> {
    let mut cursor = Cursor::new(pair);
    cursor.expect(Rule::open_paren)?;
    let mut args = Vec::new();
    let mut depth = 0;
    while let Some(pair) = cursor.next() {
        match pair.as_rule() {
            Rule::comma => {}
            Rule::close_paren => break,
            _ => {
                let (arg, arg_depth) = lower_nested(pair)?;
                depth = depth.max(arg_depth);
                args.push(arg);
            }
        }
    }
    Ok((args, depth))
}
