//! `gate fmt`: canonical, idempotent formatting that keeps every comment.
//!
//! The formatter prints the AST in a fixed layout (two-space indent, aligned `=` in `evidence`,
//! one blank line kept where the source had one or more) and re-inserts comments by position:
//! a comment on its own line is printed before the next statement; a comment after code on the
//! same line stays a trailing comment.

use crate::syntax::ast::*;
use crate::syntax::span::Span;

const INDENT: &str = "  ";
const MAX_WIDTH: usize = 100;

/// Formats a parsed policy.
pub fn format_policy(policy: &Policy, source: &str) -> String {
    let mut printer = Printer {
        source,
        comments: &policy.comments,
        next_comment: 0,
        out: String::new(),
    };
    printer.policy(policy);
    printer.out
}

struct Printer<'a> {
    source: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    out: String,
}

impl Printer<'_> {
    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// Prints own-line comments that start before `offset`.
    fn comments_before(&mut self, offset: usize, depth: usize) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.start >= offset {
                break;
            }
            self.next_comment += 1;
            if self.had_blank_line_before(comment.span.start)
                && !self.out.ends_with("{\n")
                && !self.out.is_empty()
                && !self.out.ends_with("\n\n")
            {
                self.out.push('\n');
            }
            let text = comment.text.clone();
            self.line(depth, &text);
        }
    }

    /// Appends a trailing comment that sits on the same line right after `end`, if any.
    fn trailing_comment(&mut self, end: usize) {
        let Some(comment) = self.comments.get(self.next_comment) else {
            return;
        };
        let between = self.source.get(end..comment.span.start).unwrap_or("\n");
        // Only whitespace between: a comment after more code on the line belongs to that code.
        if comment.span.start >= end && between.trim().is_empty() && !between.contains('\n') {
            self.next_comment += 1;
            if self.out.ends_with('\n') {
                self.out.pop();
            }
            self.out.push_str("  ");
            self.out.push_str(&comment.text);
            self.out.push('\n');
        }
    }

    /// Whether the source has a blank line right before `offset`'s line.
    fn had_blank_line_before(&self, offset: usize) -> bool {
        let before = self.source.get(..offset).unwrap_or("");
        let Some(line_start) = before.rfind('\n') else {
            return false;
        };
        let previous = before.get(..line_start).unwrap_or("");
        let previous_line = previous.rsplit('\n').next().unwrap_or("");
        previous_line.trim().is_empty() && previous.contains('\n')
    }

    /// Starts a statement: its leading comments, and one blank line where the source had one.
    fn begin(&mut self, span: Span, depth: usize) {
        let first_comment = self.next_comment;
        self.comments_before(span.start, depth);
        let printed_comments = self.next_comment > first_comment;
        if !printed_comments
            && self.had_blank_line_before(span.start)
            && !self.out.ends_with("{\n")
            && !self.out.ends_with("\n\n")
        {
            self.out.push('\n');
        }
    }

    /// Prints comments left inside a block before its closing brace.
    fn end_block(&mut self, block_end: usize, depth: usize) {
        self.comments_before(block_end.saturating_sub(1), depth + 1);
    }

    fn policy(&mut self, policy: &Policy) {
        self.comments_before(policy.span.start, 0);
        if !self.out.is_empty() && self.had_blank_line_before(policy.span.start) {
            self.out.push('\n');
        }
        let header = format!("policy {} {{", string(&policy.name.node));
        self.line(0, &header);
        self.trailing_comment(policy.name.span.end + 2);
        for item in &policy.items {
            self.begin(item.span(), 1);
            match item {
                Item::Target(target) => {
                    self.line(1, &format!("target {}", target.value.text));
                    self.trailing_comment(target.span.end);
                }
                Item::Levels(levels) => self.levels(levels),
                Item::Evidence(block) => self.evidence(block),
                Item::Category(category) => self.category(category),
                Item::Waiver(waiver) => {
                    let mut text = format!("waive {}", string(&waiver.gate.node));
                    for until in &waiver.until {
                        if let Literal::Date(date) = &until.node {
                            text.push_str(&format!(" until {date}"));
                        }
                    }
                    for owner in &waiver.owner {
                        text.push_str(&format!(" owner {}", string(&owner.node)));
                    }
                    for because in &waiver.because {
                        text.push_str(&format!(" because {}", string(&because.node)));
                    }
                    self.line(1, &text);
                    self.trailing_comment(waiver.span.end);
                }
            }
        }
        self.end_block(policy.span.end, 0);
        self.line(0, "}");
        // Comments after the policy.
        self.comments_before(usize::MAX, 0);
    }

    fn block_has_comments(&self, span: Span) -> bool {
        self.comments
            .iter()
            .any(|comment| comment.span.start > span.start && comment.span.end < span.end)
    }

    fn levels(&mut self, levels: &Levels) {
        let entries: Vec<String> = levels
            .entries
            .iter()
            .map(|entry| format!("{} {}", entry.name.node, entry.threshold.text))
            .collect();
        if !self.block_has_comments(levels.span) {
            let text = if entries.is_empty() {
                "levels {}".to_string()
            } else {
                format!("levels {{ {} }}", entries.join("  "))
            };
            self.line(1, &text);
            self.trailing_comment(levels.span.end);
            return;
        }
        self.line(1, "levels {");
        for (entry, text) in levels.entries.iter().zip(&entries) {
            self.begin(entry.span, 2);
            self.line(2, text);
            self.trailing_comment(entry.span.end);
        }
        self.end_block(levels.span.end, 1);
        self.line(1, "}");
        self.trailing_comment(levels.span.end);
    }

    fn evidence(&mut self, block: &EvidenceBlock) {
        self.line(1, "evidence {");
        self.trailing_comment(block.span.start + "evidence {".len());
        let width = block
            .items
            .iter()
            .map(|item| item.name.node.chars().count())
            .max()
            .unwrap_or(0);
        for item in &block.items {
            self.begin(item.span, 2);
            let globs: Vec<String> = item.globs.iter().map(|glob| string(&glob.node)).collect();
            let mut text = format!(
                "{:width$} = {}({})",
                item.name.node,
                item.source.node,
                globs.join(", "),
                width = width
            );
            if let Some(shards) = &item.shards {
                text.push_str(&format!(" shards {}", shards.text));
            }
            if let Some(min_samples) = &item.min_samples {
                text.push_str(&format!(" min_samples {}", min_samples.text));
            }
            if let Some(format) = &item.format {
                text.push_str(&format!(" as {}", format.node));
            }
            self.line(2, &text);
            self.trailing_comment(item.span.end);
        }
        self.end_block(block.span.end, 1);
        self.line(1, "}");
        self.trailing_comment(block.span.end);
    }

    fn category(&mut self, category: &Category) {
        let header = format!(
            "category {} weight {} {{",
            category.name.node, category.weight.text
        );
        self.line(1, &header);
        self.trailing_comment(category.weight.span.end + 2);
        for gate in &category.gates {
            self.begin(gate.span, 2);
            self.gate(gate);
        }
        self.end_block(category.span.end, 1);
        self.line(1, "}");
        self.trailing_comment(category.span.end);
    }

    fn gate(&mut self, gate: &Gate) {
        let mut header = format!("gate {}", string(&gate.name.node));
        let mut header_end = gate.name.span.end;
        for modifier in &gate.modifiers {
            if let GateModifier::Severity(severity) = modifier {
                header.push_str(match severity.node {
                    Severity::Blocker => " blocker",
                    Severity::Advisory => " advisory",
                    Severity::Default => "",
                });
                header_end = header_end.max(severity.span.end);
            }
        }
        for modifier in &gate.modifiers {
            if let GateModifier::Points(points) = modifier {
                header.push_str(&format!(" points {}", points.text));
                header_end = header_end.max(points.span.end);
            }
        }
        for modifier in &gate.modifiers {
            if let GateModifier::WhenChanged(globs, span) = modifier {
                let globs: Vec<String> = globs.iter().map(|glob| string(&glob.node)).collect();
                header.push_str(&format!(" when changed({})", globs.join(", ")));
                header_end = header_end.max(span.end);
            }
        }
        header.push_str(" {");
        self.line(2, &header);
        let brace = self
            .source
            .get(header_end..)
            .and_then(|rest| rest.find('{'))
            .map(|at| header_end + at + 1)
            .unwrap_or(header_end);
        self.trailing_comment(brace);
        for expect in &gate.expectations {
            self.begin(expect.span, 3);
            let flat = format!("expect {}", expr(&expect.expr));
            if flat.len() + 3 * INDENT.len() <= MAX_WIDTH || !has_chain(&expect.expr) {
                self.line(3, &flat);
            } else {
                let mut lines = Vec::new();
                chain_lines(&expect.expr, &mut lines);
                let mut lines = lines.into_iter();
                if let Some(first) = lines.next() {
                    self.line(3, &format!("expect {first}"));
                }
                for rest in lines {
                    self.line(5, &rest);
                }
            }
            match &expect.help {
                Some(help) => {
                    self.trailing_comment(expect.expr.span.end);
                    self.line(4, &format!("help {}", string(&help.node)));
                    self.trailing_comment(help.span.end);
                }
                None => self.trailing_comment(expect.span.end),
            }
        }
        self.end_block(gate.span.end, 2);
        self.line(2, "}");
        self.trailing_comment(gate.span.end);
    }
}

/// A string literal with escapes.
pub fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn literal(literal: &Literal) -> String {
    match literal {
        Literal::Quantity(quantity) => quantity.text.clone(),
        Literal::String(text) => string(text),
        Literal::Regex { pattern, flags } => format!("/{pattern}/{flags}"),
        Literal::Bool(value) => value.to_string(),
        Literal::Date(date) => date.to_string(),
    }
}

/// An expression on one line.
pub fn expr(expr_node: &Expr) -> String {
    match &expr_node.kind {
        ExprKind::Literal(value) => literal(value),
        ExprKind::Name(name) => name.clone(),
        ExprKind::Member { receiver, name } => format!("{}.{}", expr(receiver), name.node),
        ExprKind::Call {
            receiver,
            name,
            args,
        } => {
            let args: Vec<String> = args.iter().map(expr).collect();
            match receiver {
                Some(receiver) => format!("{}.{}({})", expr(receiver), name.node, args.join(", ")),
                None => format!("{}({})", name.node, args.join(", ")),
            }
        }
        ExprKind::Binary { op, lhs, rhs } => {
            format!("{} {} {}", expr(lhs), op.node.symbol(), expr(rhs))
        }
        ExprKind::Not(inner) => format!("not {}", expr(inner)),
        ExprKind::Group(inner) => format!("({})", expr(inner)),
    }
}

fn has_chain(expr_node: &Expr) -> bool {
    match &expr_node.kind {
        ExprKind::Call {
            receiver: Some(_), ..
        } => true,
        ExprKind::Member { receiver, .. } => has_chain(receiver),
        ExprKind::Binary { lhs, .. } => has_chain(lhs),
        _ => false,
    }
}

/// Breaks a long method chain before each `.step`, keeping a comparison on the last line.
fn chain_lines(expr_node: &Expr, lines: &mut Vec<String>) {
    match &expr_node.kind {
        ExprKind::Binary { op, lhs, rhs } if has_chain(lhs) => {
            chain_lines(lhs, lines);
            if let Some(last) = lines.last_mut() {
                last.push_str(&format!(" {} {}", op.node.symbol(), expr(rhs)));
            }
        }
        ExprKind::Call {
            receiver: Some(receiver),
            name,
            args,
        } => {
            chain_lines(receiver, lines);
            let args: Vec<String> = args.iter().map(expr).collect();
            lines.push(format!(".{}({})", name.node, args.join(", ")));
        }
        ExprKind::Member { receiver, name } if has_chain(receiver) => {
            chain_lines(receiver, lines);
            lines.push(format!(".{}", name.node));
        }
        _ => lines.push(expr(expr_node)),
    }
}
