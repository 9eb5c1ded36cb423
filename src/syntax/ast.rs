//! The policy's abstract syntax tree: owned, spanned, in source order. Built by `lower` from pest
//! pairs; read by the checker and the formatter. Nothing here is checked yet.

use super::span::{Span, Spanned};
use num_rational::BigRational;

/// A whole policy file.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: Spanned<String>,
    pub items: Vec<Item>,
    pub span: Span,
    /// Comments, in source order, for the formatter.
    pub comments: Vec<Comment>,
}

/// A `# ...` comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

/// A statement at the policy's top level.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Target(Target),
    Levels(Levels),
    Evidence(EvidenceBlock),
    Category(Category),
    Waiver(Waiver),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Target(item) => item.span,
            Item::Levels(item) => item.span,
            Item::Evidence(item) => item.span,
            Item::Category(item) => item.span,
            Item::Waiver(item) => item.span,
        }
    }
}

/// `target 95%`
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub value: Spanned<Quantity>,
    pub span: Span,
}

/// `levels { bronze 70% silver 85% }`
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    pub entries: Vec<Level>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub name: Spanned<String>,
    pub threshold: Spanned<Quantity>,
    pub span: Span,
}

/// `evidence { name = source("glob") shards 4 as lcov }`
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceBlock {
    pub items: Vec<EvidenceDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceDecl {
    pub name: Spanned<String>,
    pub source: Spanned<String>,
    pub globs: Vec<Spanned<String>>,
    pub shards: Option<Spanned<Quantity>>,
    /// `min_samples N` (load evidence): fewer samples make every figure unknown.
    pub min_samples: Option<Spanned<Quantity>>,
    pub format: Option<Spanned<String>>,
    pub span: Span,
}

/// `category reliability weight 30 { gate ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub name: Spanned<String>,
    pub weight: Spanned<Quantity>,
    pub gates: Vec<Gate>,
    pub span: Span,
}

/// `gate "unit tests pass" blocker points 2 when changed("src/**") { expect ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub name: Spanned<String>,
    pub modifiers: Vec<GateModifier>,
    pub expectations: Vec<Expect>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum GateModifier {
    Severity(Spanned<Severity>),
    Points(Spanned<Quantity>),
    WhenChanged(Vec<Spanned<String>>, Span),
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Blocker,
    Default,
    Advisory,
}

/// `expect <expr> help "..."`
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    pub expr: Expr,
    pub help: Option<Spanned<String>>,
    pub span: Span,
}

/// `waive "gate" until 2026-12-31 owner "@team" because "reason"`. Clauses are optional in the
/// grammar so that the checker can say which one is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    pub gate: Spanned<String>,
    pub until: Vec<Spanned<Literal>>,
    pub owner: Vec<Spanned<String>>,
    pub because: Vec<Spanned<String>>,
    pub span: Span,
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// A bare name: an evidence item or `base`.
    Name(String),
    /// `receiver.name`
    Member {
        receiver: Box<Expr>,
        name: Spanned<String>,
    },
    /// `name(args)` or `receiver.name(args)`
    Call {
        receiver: Option<Box<Expr>>,
        name: Spanned<String>,
        args: Vec<Expr>,
    },
    Binary {
        op: Spanned<BinaryOp>,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Not(Box<Expr>),
    Group(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }
}

/// A number with its unit, exactly as written (`70%`, `0.5%`, `500ms`, `5MB`, `3`).
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The digits as written.
    pub number: BigRational,
    pub unit: Unit,
    /// The literal's source text, kept for formatting.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    None,
    Percent,
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
    Bytes,
    Kilobytes,
    Megabytes,
    Gigabytes,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Quantity(Quantity),
    String(String),
    Regex { pattern: String, flags: String },
    Bool(bool),
    Date(time::Date),
}
