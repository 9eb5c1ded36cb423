//! Typing expectations: every expression gets a type, units must agree, names must resolve, and
//! the result of an `expect` must be yes/no.

use super::config::{self, ConfigQuery, ConfigResult, ConfigSource};
use super::glob::{self, WorkspaceGlob};
use super::schema;
use super::{quantity_type, quantity_value, Checker, EvidenceItem};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Literal};
use crate::syntax::span::{Span, Spanned};
use crate::value::{Type, Value};
use std::collections::HashMap;

/// A typed expression, ready to evaluate.
#[derive(Debug, Clone)]
pub enum Typed {
    Const(Value),
    /// A figure of an evidence item: `coverage.lines`, `base.coverage.lines`,
    /// `coverage.patch.lines` (field `patch.lines`).
    Figure {
        item: String,
        field: String,
        ty: Type,
        base: bool,
        span: Span,
    },
    /// `exists("glob", ...)`: some workspace file matches.
    Exists(Vec<WorkspaceGlob>),
    /// `files(...)...count`
    FilesCount(FilesQuery),
    /// `imports("glob", ...).<field>`: a figure of the imports resolved from source.
    Imports {
        globs: Vec<WorkspaceGlob>,
        field: &'static str,
    },
    /// `code("glob", ..., "pattern").<relations>.count`: matches of a structural search.
    CodeCount(super::code::CodeCheck),
    /// `file("path").contains(/re/)`
    FileContains {
        path: WorkspaceGlob,
        pattern: regex::Regex,
    },
    Arithmetic {
        op: BinaryOp,
        ty: Type,
        lhs: Box<Typed>,
        rhs: Box<Typed>,
    },
    Compare {
        op: BinaryOp,
        lhs: Box<Typed>,
        rhs: Box<Typed>,
    },
    And(Box<Typed>, Box<Typed>),
    Or(Box<Typed>, Box<Typed>),
    Not(Box<Typed>),
    /// A JSONPath query over configuration files: `wf.values("$..run").count`.
    Config(Box<ConfigQuery>),
}

/// `files(glob).containing(/a/).not_containing(/b/)`
#[derive(Debug, Clone)]
pub struct FilesQuery {
    pub globs: Vec<WorkspaceGlob>,
    /// (must contain?, pattern)
    pub filters: Vec<(bool, regex::Regex)>,
    /// `.including_ignored()`: files `.gitignore` ignores count too (by default they do not).
    pub include_ignored: bool,
}

/// An expression during typing: its type and, when it is not yet a value, what it denotes.
enum Partial {
    Value(Typed, Type),
    EvidenceRef(String, bool),
    Base,
    FieldGroup {
        item: String,
        group: String,
        base: bool,
    },
    Files(FilesQuery),
    File(WorkspaceGlob),
    Config(ConfigSource),
    ConfigValues(ConfigQuery),
    Imports(Vec<WorkspaceGlob>),
    Code(super::code::CodeCheck),
}

impl Partial {
    fn ty(&self) -> Type {
        match self {
            Partial::Value(_, ty) => *ty,
            Partial::EvidenceRef(..) | Partial::Base | Partial::FieldGroup { .. } => Type::Evidence,
            Partial::Files(_) => Type::Files,
            Partial::File(_) => Type::File,
            Partial::Config(_) => Type::Evidence,
            Partial::ConfigValues(_) => Type::Values,
            Partial::Imports(_) | Partial::Code(_) => Type::Evidence,
        }
    }
}

struct Typer<'c, 'e> {
    checker: &'c mut Checker,
    evidence: &'e [&'e EvidenceItem],
    declared: &'e HashMap<String, Span>,
}

/// Types an `expect` expression; `None` when it has errors (already reported).
pub(crate) fn type_expectation(
    checker: &mut Checker,
    expr: &Expr,
    evidence: &[&EvidenceItem],
    declared: &HashMap<String, Span>,
) -> Option<Typed> {
    let mut typer = Typer {
        checker,
        evidence,
        declared,
    };
    let partial = typer.expr(expr)?;
    match partial {
        Partial::Value(typed, Type::Bool) => Some(typed),
        other => {
            let ty = other.ty();
            let help = if ty.is_quantity() {
                format!("compare it with a threshold such as {}", ty.example())
            } else if ty == Type::Files {
                "count the files: `.count == 0`, or use `exists(\"glob\")`".to_string()
            } else {
                "an expectation is a yes/no question, e.g. `coverage.lines >= 70%`".to_string()
            };
            typer.checker.error(
                Diagnostic::error(
                    "expect-not-boolean",
                    format!(
                        "an expectation must be true or false, but this is {}",
                        ty.describe()
                    ),
                )
                .label(expr.span, ty.describe())
                .help(help),
            );
            None
        }
    }
}

impl Typer<'_, '_> {
    fn error(&mut self, diagnostic: Diagnostic) -> Option<Partial> {
        self.checker.error(diagnostic);
        None
    }

    fn item(&self, name: &str) -> Option<&EvidenceItem> {
        self.evidence.iter().copied().find(|item| item.name == name)
    }

    fn expr(&mut self, expr: &Expr) -> Option<Partial> {
        match &expr.kind {
            ExprKind::Group(inner) => self.expr(inner),
            ExprKind::Literal(literal) => self.literal(literal, expr.span),
            ExprKind::Name(name) => self.name(name, expr.span),
            ExprKind::Member { receiver, name } => {
                let receiver_value = self.expr(receiver)?;
                self.member(receiver_value, name, receiver.span, expr.span)
            }
            ExprKind::Call {
                receiver: None,
                name,
                args,
            } => self.function(name, args, expr.span),
            ExprKind::Call {
                receiver: Some(receiver),
                name,
                args,
            } => {
                let receiver_value = self.expr(receiver)?;
                self.method(receiver_value, name, args, expr.span)
            }
            ExprKind::Not(inner) => {
                let operand = self.expr(inner)?;
                match operand {
                    Partial::Value(typed, Type::Bool) => {
                        Some(Partial::Value(Typed::Not(Box::new(typed)), Type::Bool))
                    }
                    other => self.error(
                        Diagnostic::error(
                            "type-mismatch",
                            format!(
                                "`not` needs a yes/no value, found {}",
                                other.ty().describe()
                            ),
                        )
                        .label(inner.span, other.ty().describe())
                        .help("`not` negates a condition, e.g. `not exists(\"debug.log\")`"),
                    ),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let left = self.expr(lhs);
                let right = self.expr(rhs);
                let (left, right) = (left?, right?);
                self.binary(op, left, right, lhs.span, rhs.span)
            }
        }
    }

    fn literal(&mut self, literal: &Literal, span: Span) -> Option<Partial> {
        let (value, ty) = match literal {
            Literal::Quantity(quantity) => {
                let ty = quantity_type(quantity.unit);
                (Value::Quantity(ty, quantity_value(quantity)), ty)
            }
            Literal::String(text) => (Value::String(text.clone()), Type::String),
            Literal::Bool(value) => (Value::Bool(*value), Type::Bool),
            Literal::Date(date) => (Value::Date(*date), Type::Date),
            Literal::Regex { .. } => {
                return self.error(
                    Diagnostic::error("misplaced-regex", "a regular expression cannot stand on its own")
                        .label(span, "regular expression")
                        .help("use it in `.contains(/.../)`, `.containing(/.../)` or `.not_containing(/.../)`"),
                )
            }
        };
        Some(Partial::Value(Typed::Const(value), ty))
    }

    fn name(&mut self, name: &str, span: Span) -> Option<Partial> {
        if name == "base" {
            return Some(Partial::Base);
        }
        if self.item(name).is_some() {
            return Some(Partial::EvidenceRef(name.to_string(), false));
        }
        if self.declared.contains_key(name) {
            // Declared, but its declaration had an error (already reported).
            return None;
        }
        let mut candidates: Vec<&str> = self
            .evidence
            .iter()
            .map(|item| item.name.as_str())
            .collect();
        candidates.extend(["exists", "files", "file", "base"]);
        let help = match schema::did_you_mean(name, candidates) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None if self.evidence.is_empty() => {
                "declare it in `evidence { ... }`, e.g. `coverage = coverage(\"coverage/lcov.info\")`".to_string()
            }
            None => format!(
                "the evidence items are {}; declare others in `evidence {{ ... }}`",
                self.evidence.iter().map(|item| format!("`{}`", item.name)).collect::<Vec<_>>().join(", ")
            ),
        };
        self.error(
            Diagnostic::error(
                "unknown-evidence",
                format!("`{name}` is not a declared evidence item"),
            )
            .label(span, "unknown name")
            .help(help),
        )
    }

    fn member(
        &mut self,
        receiver: Partial,
        name: &Spanned<String>,
        receiver_span: Span,
        span: Span,
    ) -> Option<Partial> {
        match receiver {
            Partial::Base => {
                if self.item(&name.node).is_some() {
                    Some(Partial::EvidenceRef(name.node.clone(), true))
                } else {
                    let candidates = self.evidence.iter().map(|item| item.name.as_str());
                    let help = match schema::did_you_mean(&name.node, candidates) {
                        Some(suggestion) => format!("did you mean `base.{suggestion}`?"),
                        None => {
                            "`base.` is followed by an evidence item, as in `base.coverage.lines`"
                                .to_string()
                        }
                    };
                    self.error(
                        Diagnostic::error(
                            "unknown-evidence",
                            format!("`{}` is not a declared evidence item", name.node),
                        )
                        .label(name.span, "unknown name")
                        .help(help),
                    )
                }
            }
            Partial::EvidenceRef(item_name, false)
                if self.item(&item_name)?.kind == readiness_evidence::Kind::Config =>
            {
                self.member(
                    Partial::Config(ConfigSource::Item(item_name)),
                    name,
                    receiver_span,
                    span,
                )
            }
            Partial::EvidenceRef(item_name, base) => {
                let kind = self.item(&item_name)?.kind;
                if let Some(field) = schema::fields(kind)
                    .iter()
                    .find(|field| field.name == name.node)
                {
                    return Some(Partial::Value(
                        Typed::Figure {
                            item: item_name,
                            field: field.name.to_string(),
                            ty: field.ty,
                            base,
                            span,
                        },
                        field.ty,
                    ));
                }
                if schema::group(kind, &name.node).is_some() {
                    return Some(Partial::FieldGroup {
                        item: item_name,
                        group: name.node.clone(),
                        base,
                    });
                }
                self.unknown_field(
                    &item_name,
                    kind.name(),
                    &name.node,
                    name.span,
                    schema::fields(kind)
                        .iter()
                        .map(|f| f.name)
                        .chain(schema::groups(kind).iter().copied()),
                )
            }
            Partial::FieldGroup { item, group, base } => {
                let kind = self.item(&item)?.kind;
                let fields = schema::group(kind, &group).unwrap_or(&[]);
                if let Some(field) = fields.iter().find(|field| field.name == name.node) {
                    return Some(Partial::Value(
                        Typed::Figure {
                            item,
                            field: format!("{group}.{}", field.name),
                            ty: field.ty,
                            base,
                            span,
                        },
                        field.ty,
                    ));
                }
                let owner = format!("{item}.{group}");
                self.unknown_field(
                    &owner,
                    kind.name(),
                    &name.node,
                    name.span,
                    fields.iter().map(|f| f.name),
                )
            }
            Partial::ConfigValues(mut query) if matches!(name.node.as_str(), "count" | "exists") => {
                let (result, ty) = if name.node == "count" {
                    (ConfigResult::Count, Type::Number)
                } else {
                    (ConfigResult::Exists, Type::Bool)
                };
                query.result = result;
                Some(Partial::Value(Typed::Config(Box::new(query)), ty))
            }
            Partial::ConfigValues(_) => self.error(
                Diagnostic::error(
                    "unknown-field",
                    format!("configuration values have no `{}`", name.node),
                )
                .label(name.span, "unknown")
                .help("configuration values have `.count`, `.exists`, `.containing(/re/)` and `.not_containing(/re/)`"),
            ),
            Partial::Config(_) => self.error(
                Diagnostic::error(
                    "unknown-field",
                    format!("configuration files have no field `{}`", name.node),
                )
                .label(name.span, "unknown")
                .help("query them with JSONPath: `.values(\"$.path\").count`, `.query(\"$.path\").exists`, `.number(\"$.path\")`, `.string(...)`, `.bool(...)`"),
            ),
            Partial::Imports(globs) => {
                let field = super::code::imports_field(self.checker, name)?;
                Some(Partial::Value(
                    Typed::Imports {
                        globs,
                        field: field.name,
                    },
                    field.ty,
                ))
            }
            Partial::Code(check) if name.node == "count" => {
                Some(Partial::Value(Typed::CodeCount(check), Type::Number))
            }
            Partial::Code(_) => self.error(
                Diagnostic::error(
                    "unknown-field",
                    format!("`code(...)` has no field `{}`", name.node),
                )
                .label(name.span, "unknown")
                .help("`code(...)` has `.count`, and the relations `.inside(...)`, `.not_inside(...)`, `.has(...)`, `.not_has(...)`"),
            ),
            Partial::Files(query) if name.node == "count" => {
                Some(Partial::Value(Typed::FilesCount(query), Type::Number))
            }
            Partial::Files(_) => self.error(
                Diagnostic::error(
                    "unknown-field",
                    format!("a set of files has no `{}`", name.node),
                )
                .label(name.span, "unknown")
                .help("file sets have `.count`, `.containing(/re/)` and `.not_containing(/re/)`"),
            ),
            Partial::File(_) => self.error(
                Diagnostic::error("unknown-field", format!("a file has no `{}`", name.node))
                    .label(name.span, "unknown")
                    .help("a file has `.contains(/re/)`; use `exists(\"path\")` to require it"),
            ),
            Partial::Value(_, ty) => self.error(
                Diagnostic::error(
                    "unknown-field",
                    format!("{} has no field `{}`", ty.describe(), name.node),
                )
                .label(name.span, "no such field")
                .label(receiver_span, ty.describe())
                .help("fields belong to evidence items, as in `coverage.lines`"),
            ),
        }
    }

    fn unknown_field<'a>(
        &mut self,
        owner: &str,
        kind: &str,
        name: &str,
        span: Span,
        candidates: impl Iterator<Item = &'a str> + Clone,
    ) -> Option<Partial> {
        let help = match schema::did_you_mean(name, candidates.clone()) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!(
                "{kind} evidence has {}",
                candidates
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.error(
            Diagnostic::error("unknown-field", format!("`{owner}` has no field `{name}`"))
                .label(span, "unknown field")
                .help(help),
        )
    }

    fn string_arg(&mut self, function: &str, arg: &Expr) -> Option<Spanned<String>> {
        match &arg.kind {
            ExprKind::Literal(Literal::String(text)) => Some(Spanned::new(text.clone(), arg.span)),
            _ => {
                self.checker.error(
                    Diagnostic::error(
                        "wrong-argument-type",
                        format!("`{function}` takes a path or glob in double quotes"),
                    )
                    .label(arg.span, "not a string")
                    .help(format!("e.g. `{function}(\"src/**/*.ts\")`")),
                );
                None
            }
        }
    }

    fn regex_arg(&mut self, function: &str, args: &[Expr], span: Span) -> Option<regex::Regex> {
        let [arg] = args else {
            self.checker.error(
                Diagnostic::error(
                    "wrong-argument-count",
                    format!(
                        "`{function}` takes one regular expression, given {}",
                        args.len()
                    ),
                )
                .label(span, "here")
                .help(format!("e.g. `.{function}(/Content-Security-Policy/)`")),
            );
            return None;
        };
        let ExprKind::Literal(Literal::Regex { pattern, flags }) = &arg.kind else {
            let help = match &arg.kind {
                ExprKind::Literal(Literal::String(text)) => {
                    format!("write it between slashes: `/{}/`", regex::escape(text))
                }
                _ => format!("e.g. `.{function}(/pattern/)`"),
            };
            self.checker.error(
                Diagnostic::error(
                    "wrong-argument-type",
                    format!("`{function}` takes a regular expression"),
                )
                .label(arg.span, "not a regular expression")
                .help(help),
            );
            return None;
        };
        let mut builder = regex::RegexBuilder::new(pattern);
        builder
            .case_insensitive(flags.contains('i'))
            .multi_line(flags.contains('m'))
            .dot_matches_new_line(flags.contains('s'))
            .ignore_whitespace(flags.contains('x'))
            .size_limit(1 << 22);
        match builder.build() {
            Ok(regex) => Some(regex),
            Err(error) => {
                let detail = match &error {
                    regex::Error::Syntax(text) => text
                        .lines()
                        .last()
                        .unwrap_or("")
                        .trim()
                        .trim_start_matches("error: ")
                        .to_string(),
                    regex::Error::CompiledTooBig(_) => "it is too large".to_string(),
                    _ => "it cannot be compiled".to_string(),
                };
                self.checker.error(
                    Diagnostic::error("invalid-regex", format!("`/{pattern}/` is not a valid regular expression: {detail}"))
                        .label(arg.span, "this regular expression")
                        .help("the syntax is Rust's `regex` crate (no look-around or backreferences); escape `/` as `\\/`"),
                );
                None
            }
        }
    }

    fn globs(&mut self, function: &str, args: &[Expr], span: Span) -> Option<Vec<WorkspaceGlob>> {
        if args.is_empty() {
            self.checker.error(
                Diagnostic::error(
                    "wrong-argument-count",
                    format!("`{function}` needs at least one path or glob"),
                )
                .label(span, "no argument")
                .help(format!(
                    "e.g. `{function}(\"src/app/api/health/route.ts\")`"
                )),
            );
            return None;
        }
        let mut globs = Vec::new();
        let mut ok = true;
        for arg in args {
            let Some(text) = self.string_arg(function, arg) else {
                ok = false;
                continue;
            };
            match glob::compile(&text) {
                Ok(glob) => globs.push(glob),
                Err(diagnostic) => {
                    self.checker.error(diagnostic);
                    ok = false;
                }
            }
        }
        ok.then_some(globs)
    }

    fn function(&mut self, name: &Spanned<String>, args: &[Expr], span: Span) -> Option<Partial> {
        match name.node.as_str() {
            "exists" => {
                let globs = self.globs("exists", args, span)?;
                Some(Partial::Value(Typed::Exists(globs), Type::Bool))
            }
            "files" => {
                let globs = self.globs("files", args, span)?;
                Some(Partial::Files(FilesQuery {
                    globs,
                    filters: Vec::new(),
                    include_ignored: false,
                }))
            }
            "file" => {
                let [arg] = args else {
                    return self.error(
                        Diagnostic::error(
                            "wrong-argument-count",
                            format!("`file` takes one path, given {}", args.len()),
                        )
                        .label(span, "here")
                        .help(
                            "e.g. `file(\"next.config.mjs\")`; for several files use `files(...)`",
                        ),
                    );
                };
                let text = self.string_arg("file", arg)?;
                let glob = match glob::compile(&text) {
                    Ok(glob) => glob,
                    Err(diagnostic) => return self.error(diagnostic),
                };
                if !glob.is_literal() {
                    return self.error(
                        Diagnostic::error(
                            "wrong-argument-type",
                            "`file` takes one path, not a pattern",
                        )
                        .label(arg.span, "a pattern")
                        .help("use `files(\"...\").containing(/re/).count >= 1` for patterns"),
                    );
                }
                Some(Partial::File(glob))
            }
            function if config::inline_format(function).is_some() => {
                let globs = self.globs(function, args, span)?;
                let format = config::inline_format(function)?;
                Some(Partial::Config(ConfigSource::Files { globs, format }))
            }
            "imports" => {
                let globs = self.globs("imports", args, span)?;
                Some(Partial::Imports(globs))
            }
            "code" => {
                let Some((pattern, glob_args)) =
                    args.split_last().filter(|(_, globs)| !globs.is_empty())
                else {
                    return self.error(
                        Diagnostic::error(
                            "wrong-argument-count",
                            "`code` takes one or more globs, then a pattern",
                        )
                        .label(span, "here")
                        .help("e.g. `code(\"src/**/*.ts\", \"$CLIENT.messages.create($$$)\")`"),
                    );
                };
                let globs = self.globs("code", glob_args, span);
                let pattern = self.string_arg("code", pattern);
                let check = super::code::code_query(self.checker, globs?, pattern?, span)?;
                Some(Partial::Code(check))
            }
            other => {
                let mut candidates = vec!["exists", "files", "file", "imports", "code"];
                let is_source = schema::source(other).is_some();
                candidates.extend(self.evidence.iter().map(|item| item.name.as_str()));
                let help = if is_source {
                    format!("evidence sources are declared in `evidence {{ name = {other}(\"...\") }}` and used by name")
                } else {
                    match schema::did_you_mean(other, candidates) {
                        Some(suggestion) => format!("did you mean `{suggestion}`?"),
                        None => "the functions are `exists(glob)`, `files(glob)`, `file(path)`, `imports(glob)` and `code(glob, pattern)`"
                            .to_string(),
                    }
                };
                self.error(
                    Diagnostic::error("unknown-function", format!("`{other}` is not a function"))
                        .label(name.span, "unknown function")
                        .help(help),
                )
            }
        }
    }

    fn method(
        &mut self,
        receiver: Partial,
        name: &Spanned<String>,
        args: &[Expr],
        span: Span,
    ) -> Option<Partial> {
        match (receiver, name.node.as_str()) {
            (Partial::EvidenceRef(item, false), _)
                if self.item(&item)?.kind == readiness_evidence::Kind::Config =>
            {
                self.method(Partial::Config(ConfigSource::Item(item)), name, args, span)
            }
            (Partial::Config(source), method) => {
                self.config_method(source, method, name.span, args, span)
            }
            (Partial::ConfigValues(mut query), method @ ("containing" | "not_containing")) => {
                let regex = self.regex_arg(method, args, span)?;
                query.filters.push((method == "containing", regex));
                Some(Partial::ConfigValues(query))
            }
            (Partial::Files(mut query), "including_ignored") => {
                if !args.is_empty() {
                    self.checker.error(
                        Diagnostic::error(
                            "wrong-argument-count",
                            format!(
                                "`including_ignored` takes no arguments, given {}",
                                args.len()
                            ),
                        )
                        .label(span, "here")
                        .help("write `files(\"dist/**\").including_ignored()`"),
                    );
                    return None;
                }
                query.include_ignored = true;
                Some(Partial::Files(query))
            }
            (Partial::Files(mut query), method @ ("containing" | "not_containing")) => {
                let regex = self.regex_arg(method, args, span)?;
                query.filters.push((method == "containing", regex));
                Some(Partial::Files(query))
            }
            (Partial::Code(check), method)
                if readiness_code::Relation::from_name(method).is_some() =>
            {
                let relation = readiness_code::Relation::from_name(method)?;
                let mut patterns = Vec::new();
                for arg in args {
                    patterns.push(self.string_arg(method, arg)?);
                }
                let check = super::code::relation(self.checker, check, relation, patterns, span)?;
                Some(Partial::Code(check))
            }
            (Partial::File(path), "contains") => {
                let pattern = self.regex_arg("contains", args, span)?;
                Some(Partial::Value(
                    Typed::FileContains { path, pattern },
                    Type::Bool,
                ))
            }
            (receiver, method) => {
                let ty = receiver.ty();
                let help = match ty {
                    Type::Files => {
                        "file sets have `.containing(/re/)`, `.not_containing(/re/)`, `.including_ignored()` and `.count`"
                    }
                    Type::File => "a file has `.contains(/re/)`",
                    _ => "methods belong to `files(...)` and `file(...)`",
                };
                let mut candidates = match ty {
                    Type::Files => {
                        vec!["containing", "not_containing", "including_ignored", "count"]
                    }
                    Type::File => vec!["contains"],
                    _ => Vec::new(),
                };
                candidates.retain(|c| *c != method);
                let help = match schema::did_you_mean(method, candidates) {
                    Some(suggestion) => format!("did you mean `{suggestion}`? {help}"),
                    None => help.to_string(),
                };
                self.error(
                    Diagnostic::error(
                        "unknown-method",
                        format!("{} has no method `{method}`", ty.describe()),
                    )
                    .label(name.span, "unknown method")
                    .help(help),
                )
            }
        }
    }

    /// `.query(path)` / `.values(path)`, `.number(path[, unit])`, `.string(path)`, `.bool(path)`.
    fn config_method(
        &mut self,
        source: ConfigSource,
        method: &str,
        method_span: Span,
        args: &[Expr],
        span: Span,
    ) -> Option<Partial> {
        const METHODS: [&str; 5] = ["query", "values", "number", "string", "bool"];
        if !METHODS.contains(&method) {
            let help = match schema::did_you_mean(method, METHODS) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => "configuration files have `.query(path)`, `.values(path)`, `.number(path)`, `.string(path)` and `.bool(path)`".to_string(),
            };
            return self.error(
                Diagnostic::error(
                    "unknown-method",
                    format!("configuration files have no method `{method}`"),
                )
                .label(method_span, "unknown method")
                .help(help),
            );
        }
        let max_args = if method == "number" { 2 } else { 1 };
        let (Some(path_arg), true) = (args.first(), args.len() <= max_args) else {
            return self.error(
                Diagnostic::error(
                    "wrong-argument-count",
                    format!(
                        "`{method}` takes a JSONPath{}, given {} arguments",
                        if method == "number" {
                            " and an optional unit"
                        } else {
                            ""
                        },
                        args.len()
                    ),
                )
                .label(span, "here")
                .help(format!("e.g. `.{method}(\"$.jobs.*.steps[*].run\")`")),
            );
        };
        let path_text = self.string_arg(method, path_arg)?;
        let path = match config::parse_path(&path_text.node, path_text.span) {
            Ok(path) => path,
            Err(diagnostic) => return self.error(diagnostic),
        };
        let (result, ty) = match method {
            "number" => {
                let (ty, scale, unit_given) = match args.get(1) {
                    Some(unit_arg) => {
                        let unit = self.string_arg("number", unit_arg)?;
                        match config::unit(&unit.node, unit.span) {
                            Ok((ty, scale)) => (ty, scale, true),
                            Err(diagnostic) => return self.error(diagnostic),
                        }
                    }
                    None => (
                        Type::Number,
                        num_rational::BigRational::from_integer(1.into()),
                        false,
                    ),
                };
                (
                    ConfigResult::Number {
                        ty,
                        scale,
                        unit_given,
                    },
                    ty,
                )
            }
            "string" => (ConfigResult::String, Type::String),
            "bool" => (ConfigResult::Bool, Type::Bool),
            _ => {
                return Some(Partial::ConfigValues(ConfigQuery {
                    source,
                    path,
                    path_text: path_text.node,
                    filters: Vec::new(),
                    result: ConfigResult::Count,
                }))
            }
        };
        let query = ConfigQuery {
            source,
            path,
            path_text: path_text.node,
            filters: Vec::new(),
            result,
        };
        Some(Partial::Value(Typed::Config(Box::new(query)), ty))
    }

    fn binary(
        &mut self,
        op: &Spanned<BinaryOp>,
        left: Partial,
        right: Partial,
        left_span: Span,
        right_span: Span,
    ) -> Option<Partial> {
        let (Partial::Value(lhs, lt), Partial::Value(rhs, rt)) = (left, right) else {
            return self.error(
                Diagnostic::error(
                    "type-mismatch",
                    format!("`{}` needs values on both sides", op.node.symbol()),
                )
                .label(left_span.to(right_span), "here")
                .help("use a figure such as `coverage.lines`, or `.count` of a file set"),
            );
        };
        let (mut lhs, mut lt, mut rhs, mut rt) = (lhs, lt, rhs, rt);
        if let Typed::Config(query) = &mut lhs {
            lt = config::adopt_unit(query, rt).unwrap_or(lt);
        }
        if let Typed::Config(query) = &mut rhs {
            rt = config::adopt_unit(query, lt).unwrap_or(rt);
        }
        let op_node = op.node;
        match op_node {
            BinaryOp::And | BinaryOp::Or => {
                if lt != Type::Bool || rt != Type::Bool {
                    let (bad_span, bad_ty) = if lt != Type::Bool {
                        (left_span, lt)
                    } else {
                        (right_span, rt)
                    };
                    return self.error(
                        Diagnostic::error(
                            "type-mismatch",
                            format!(
                                "`{}` joins yes/no conditions, found {}",
                                op_node.symbol(),
                                bad_ty.describe()
                            ),
                        )
                        .label(bad_span, bad_ty.describe())
                        .help(
                            "compare it first, e.g. `basic.p95 < 500ms and basic.error_rate < 1%`",
                        ),
                    );
                }
                let typed = if op_node == BinaryOp::And {
                    Typed::And(Box::new(lhs), Box::new(rhs))
                } else {
                    Typed::Or(Box::new(lhs), Box::new(rhs))
                };
                Some(Partial::Value(typed, Type::Bool))
            }
            op_node if op_node.is_comparison() => {
                let ordered = !matches!(op_node, BinaryOp::Eq | BinaryOp::Ne);
                let comparable = lt == rt
                    && (lt.is_quantity()
                        || lt == Type::Date
                        || (!ordered && matches!(lt, Type::Bool | Type::String)));
                if !comparable {
                    return self.unit_mismatch(op, lt, rt, left_span, right_span);
                }
                Some(Partial::Value(
                    Typed::Compare {
                        op: op_node,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    Type::Bool,
                ))
            }
            _ => {
                let result = arithmetic_type(op_node, lt, rt);
                match result {
                    Some(ty) => Some(Partial::Value(
                        Typed::Arithmetic {
                            op: op_node,
                            ty,
                            lhs: Box::new(lhs),
                            rhs: Box::new(rhs),
                        },
                        ty,
                    )),
                    None => self.unit_mismatch(op, lt, rt, left_span, right_span),
                }
            }
        }
    }

    fn unit_mismatch(
        &mut self,
        op: &Spanned<BinaryOp>,
        lt: Type,
        rt: Type,
        left_span: Span,
        right_span: Span,
    ) -> Option<Partial> {
        let help = match (lt, rt) {
            (Type::Percent, Type::Number) => "write the threshold as a percentage, e.g. `70%`".to_string(),
            (Type::Number, Type::Percent) => "a count is compared with a count; for a share, divide: `tests.passed / tests.total >= 99%`".to_string(),
            (Type::Duration, Type::Number) => "give the threshold a unit, e.g. `500ms` or `2s`".to_string(),
            (Type::Size, Type::Number) => "give the threshold a unit, e.g. `5MB`".to_string(),
            (left, right) if left.is_quantity() && right.is_quantity() => {
                format!("{} cannot be compared with or added to {}: use {} on both sides", left.describe(), right.describe(), left.example())
            }
            _ => format!("both sides of `{}` must be of the same kind", op.node.symbol()),
        };
        self.error(
            Diagnostic::error(
                "unit-mismatch",
                match op.node {
                    BinaryOp::Add => format!("cannot add {} to {}", rt.describe(), lt.describe()),
                    BinaryOp::Sub => {
                        format!("cannot subtract {} from {}", rt.describe(), lt.describe())
                    }
                    BinaryOp::Mul => {
                        format!("cannot multiply {} by {}", lt.describe(), rt.describe())
                    }
                    BinaryOp::Div => {
                        format!("cannot divide {} by {}", lt.describe(), rt.describe())
                    }
                    _ => format!("cannot compare {} with {}", lt.describe(), rt.describe()),
                },
            )
            .label(left_span, lt.describe())
            .label(right_span, rt.describe())
            .help(help),
        )
    }
}

/// The type of `lhs op rhs` for arithmetic, when it makes sense.
fn arithmetic_type(op: BinaryOp, lt: Type, rt: Type) -> Option<Type> {
    use Type::*;
    if !lt.is_quantity() || !rt.is_quantity() {
        return None;
    }
    match op {
        BinaryOp::Add | BinaryOp::Sub => (lt == rt).then_some(lt),
        BinaryOp::Mul => match (lt, rt) {
            (q, Number | Percent) => Some(q),
            (Number | Percent, q) => Some(q),
            _ => None,
        },
        BinaryOp::Div => match (lt, rt) {
            (a, b) if a == b => Some(Percent),
            (q, Number | Percent) => Some(q),
            _ => None,
        },
        _ => None,
    }
}
