//! The checker: AST -> checked policy. Resolves names (evidence items, categories, gates,
//! waivers), types every expectation (units must agree), compiles globs and regexes, and checks
//! weights, points, levels, target and waivers. It reports every error of a file in one run; a
//! `CheckedPolicy` exists only when there is none.

pub mod code;
pub mod config;
mod expr;
pub mod glob;
pub mod schema;

pub use expr::{FilesQuery, Typed};
pub use glob::WorkspaceGlob;

use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{self, GateModifier, Item, Quantity, Severity, Unit};
use crate::syntax::span::{Span, Spanned};
use crate::value::Type;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};
use readiness_evidence::{Format, Kind};
use std::collections::HashMap;

/// A policy that passed every check: what the evaluator runs.
#[derive(Debug, Clone)]
pub struct CheckedPolicy {
    pub name: String,
    /// The readiness score needed, as a fraction (95% is 19/20).
    pub target: BigRational,
    pub target_span: Span,
    /// Levels, lowest threshold first.
    pub levels: Vec<LevelDef>,
    pub evidence: Vec<EvidenceItem>,
    pub categories: Vec<CategoryDef>,
    pub waivers: Vec<WaiverDef>,
}

#[derive(Debug, Clone)]
pub struct LevelDef {
    pub name: String,
    pub threshold: BigRational,
    pub span: Span,
}

/// A named evidence item: where its artifacts are and how to read them.
#[derive(Debug, Clone)]
pub struct EvidenceItem {
    pub name: String,
    pub kind: Kind,
    pub globs: Vec<WorkspaceGlob>,
    pub shards: Option<u64>,
    /// `min_samples N` on load evidence: fewer samples make every figure of the item unknown.
    pub min_samples: Option<u64>,
    pub format: Option<Format>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct CategoryDef {
    pub name: String,
    pub weight: BigRational,
    pub gates: Vec<GateDef>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct GateDef {
    pub name: String,
    pub name_span: Span,
    pub severity: Severity,
    pub points: BigRational,
    /// `when changed(...)`: the gate is n/a when no changed file matches.
    pub when_changed: Option<Vec<WorkspaceGlob>>,
    pub expectations: Vec<Expectation>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Expectation {
    pub expr: Typed,
    /// The expectation as written, for reports.
    pub text: String,
    pub help: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct WaiverDef {
    pub gate: String,
    pub gate_span: Span,
    pub until: time::Date,
    pub owner: String,
    pub reason: String,
    pub span: Span,
}

/// Checks a parsed policy. Returns every error found.
pub fn check(policy: &ast::Policy) -> Result<CheckedPolicy, Vec<Diagnostic>> {
    let mut checker = Checker {
        diagnostics: Vec::new(),
    };
    let checked = checker.check_policy(policy);
    if checker.diagnostics.is_empty() {
        checked.ok_or_else(Vec::new)
    } else {
        checker
            .diagnostics
            .sort_by_key(|diagnostic| diagnostic.primary_span().map(|span| span.start));
        Err(checker.diagnostics)
    }
}

pub(crate) struct Checker {
    pub(crate) diagnostics: Vec<Diagnostic>,
}

fn hundred() -> BigRational {
    BigRational::from_integer(BigInt::from(100))
}

/// A percentage quantity as a fraction.
fn percent_fraction(quantity: &Quantity) -> BigRational {
    &quantity.number / hundred()
}

impl Checker {
    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn check_policy(&mut self, policy: &ast::Policy) -> Option<CheckedPolicy> {
        if policy.name.trim().is_empty() {
            self.error(
                Diagnostic::error("empty-name", "the policy's name is empty")
                    .label(policy.name.span, "name it")
                    .help("e.g. `policy \"web app production readiness\" { ... }`"),
            );
        }
        let mut target: Option<(BigRational, Span)> = None;
        let mut levels: Vec<LevelDef> = Vec::new();
        let mut levels_seen: Option<Span> = None;
        let mut evidence: Vec<EvidenceItem> = Vec::new();
        let mut evidence_names: HashMap<String, Span> = HashMap::new();
        for item in &policy.items {
            match item {
                Item::Target(decl) => {
                    if let Some((_, first)) = &target {
                        self.error(
                            Diagnostic::error("duplicate-target", "the target is set twice")
                                .label(decl.span, "set again here")
                                .label(*first, "first set here")
                                .help("keep one `target`"),
                        );
                        continue;
                    }
                    if let Some(value) =
                        self.check_percentage(&decl.value, "target", "target-not-percentage")
                    {
                        if value <= BigRational::zero() || value > BigRational::one() {
                            self.error(
                                Diagnostic::error(
                                    "target-out-of-range",
                                    format!(
                                        "a target of `{}` can never be met sensibly",
                                        decl.value.text
                                    ),
                                )
                                .label(decl.value.span, "out of range")
                                .help("the target is a readiness score above 0% and at most 100%"),
                            );
                        }
                        target = Some((value, decl.value.span));
                    }
                }
                Item::Levels(decl) => {
                    if let Some(first) = levels_seen {
                        self.error(
                            Diagnostic::error("duplicate-levels", "levels are declared twice")
                                .label(decl.span, "declared again here")
                                .label(first, "first declared here")
                                .help("list every level in one `levels { ... }` block"),
                        );
                        continue;
                    }
                    levels_seen = Some(decl.span);
                    levels = self.check_levels(decl);
                }
                Item::Evidence(block) => {
                    for decl in &block.items {
                        if let Some(first) = evidence_names.get(&decl.name.node) {
                            self.error(
                                Diagnostic::error(
                                    "duplicate-evidence",
                                    format!("evidence item `{}` is declared twice", decl.name.node),
                                )
                                .label(decl.name.span, "declared again here")
                                .label(*first, "first declared here")
                                .help("give each evidence item its own name"),
                            );
                            continue;
                        }
                        evidence_names.insert(decl.name.node.clone(), decl.name.span);
                        if let Some(item) = self.check_evidence(decl) {
                            evidence.push(item);
                        }
                    }
                }
                Item::Category(_) | Item::Waiver(_) => {}
            }
        }
        if !policy
            .items
            .iter()
            .any(|item| matches!(item, Item::Target(_)))
        {
            self.error(
                Diagnostic::error("missing-target", "the policy has no `target`")
                    .label(
                        Span::new(policy.name.span.start, policy.name.span.end),
                        "in this policy",
                    )
                    .help("say what readiness score counts as ready, e.g. `target 90%`"),
            );
        }
        let mut categories = Vec::new();
        let mut category_names: HashMap<&str, Span> = HashMap::new();
        let mut gate_names: HashMap<&str, Span> = HashMap::new();
        let known_evidence: Vec<&EvidenceItem> = evidence.iter().collect();
        for item in &policy.items {
            let Item::Category(category) = item else {
                continue;
            };
            if let Some(first) = category_names.get(category.name.node.as_str()) {
                self.error(
                    Diagnostic::error(
                        "duplicate-category",
                        format!("category `{}` is declared twice", category.name.node),
                    )
                    .label(category.name.span, "declared again here")
                    .label(*first, "first declared here")
                    .help("put all of a category's gates in one block"),
                );
            } else {
                category_names.insert(category.name.node.as_str(), category.name.span);
            }
            for gate in &category.gates {
                if let Some(first) = gate_names.get(gate.name.node.as_str()) {
                    self.error(
                        Diagnostic::error(
                            "duplicate-gate",
                            format!("gate `{}` is declared twice", gate.name.node),
                        )
                        .label(gate.name.span, "declared again here")
                        .label(*first, "first declared here")
                        .help("gate names are unique across the policy: waivers and reports refer to gates by name"),
                    );
                } else {
                    gate_names.insert(gate.name.node.as_str(), gate.name.span);
                }
            }
            if let Some(checked) = self.check_category(category, &known_evidence, &evidence_names) {
                categories.push(checked);
            }
        }
        if categories.is_empty()
            && !policy
                .items
                .iter()
                .any(|item| matches!(item, Item::Category(_)))
        {
            self.error(
                Diagnostic::error(
                    "no-categories",
                    "the policy has no categories, so nothing is judged",
                )
                .label(policy.name.span, "in this policy")
                .help("add `category NAME weight N { gate \"...\" { expect ... } }`"),
            );
        }
        let mut waivers = Vec::new();
        let mut waived: HashMap<&str, Span> = HashMap::new();
        for item in &policy.items {
            let Item::Waiver(waiver) = item else { continue };
            if let Some(first) = waived.get(waiver.gate.node.as_str()) {
                self.error(
                    Diagnostic::error(
                        "duplicate-waiver",
                        format!("gate `{}` is waived twice", waiver.gate.node),
                    )
                    .label(waiver.gate.span, "waived again here")
                    .label(*first, "first waived here")
                    .help("keep one waiver per gate"),
                );
                continue;
            }
            waived.insert(waiver.gate.node.as_str(), waiver.gate.span);
            if let Some(checked) = self.check_waiver(waiver) {
                waivers.push(checked);
            }
        }
        let (target, target_span) = target?;
        Some(CheckedPolicy {
            name: policy.name.node.clone(),
            target,
            target_span,
            levels,
            evidence,
            categories,
            waivers,
        })
    }

    /// A quantity that must be a percentage, as a fraction.
    fn check_percentage(
        &mut self,
        quantity: &Spanned<Quantity>,
        what: &str,
        code: &'static str,
    ) -> Option<BigRational> {
        if quantity.unit != Unit::Percent {
            self.error(
                Diagnostic::error(
                    code,
                    format!("the {what} must be a percentage, found `{}`", quantity.text),
                )
                .label(quantity.span, "not a percentage")
                .help(format!(
                    "write it with `%`, e.g. `{}%`",
                    quantity.number_text()
                )),
            );
            return None;
        }
        Some(percent_fraction(quantity))
    }

    fn check_levels(&mut self, decl: &ast::Levels) -> Vec<LevelDef> {
        let mut levels: Vec<LevelDef> = Vec::new();
        for entry in &decl.entries {
            if let Some(first) = levels.iter().find(|level| level.name == entry.name.node) {
                let first_span = first.span;
                self.error(
                    Diagnostic::error(
                        "duplicate-level",
                        format!("level `{}` is declared twice", entry.name.node),
                    )
                    .label(entry.name.span, "declared again here")
                    .label(first_span, "first declared here")
                    .help("give each level its own name"),
                );
                continue;
            }
            let Some(threshold) =
                self.check_percentage(&entry.threshold, "level threshold", "level-not-percentage")
            else {
                continue;
            };
            if threshold < BigRational::zero() || threshold > BigRational::one() {
                self.error(
                    Diagnostic::error(
                        "level-out-of-range",
                        format!(
                            "level `{}` at `{}` is out of range",
                            entry.name.node, entry.threshold.text
                        ),
                    )
                    .label(entry.threshold.span, "out of range")
                    .help("levels are readiness scores from 0% to 100%"),
                );
                continue;
            }
            if let Some(previous) = levels.last() {
                if previous.threshold >= threshold {
                    self.error(
                        Diagnostic::error(
                            "levels-not-increasing",
                            format!("level `{}` is not above level `{}`", entry.name.node, previous.name),
                        )
                        .label(entry.threshold.span, "not above the previous level")
                        .help("list levels from the lowest score to the highest, each strictly above the last"),
                    );
                    continue;
                }
            }
            levels.push(LevelDef {
                name: entry.name.node.clone(),
                threshold,
                span: entry.name.span,
            });
        }
        levels
    }

    fn check_evidence(&mut self, decl: &ast::EvidenceDecl) -> Option<EvidenceItem> {
        if matches!(
            decl.name.node.as_str(),
            "base" | "exists" | "files" | "file" | "changed"
        ) {
            self.error(
                Diagnostic::error(
                    "reserved-name",
                    format!("`{}` is a reserved name", decl.name.node),
                )
                .label(decl.name.span, "reserved")
                .help("choose another name for this evidence item"),
            );
            return None;
        }
        let Some(source) = schema::source(&decl.source.node) else {
            let names = schema::SOURCES.iter().map(|source| source.name);
            let mut diagnostic = Diagnostic::error(
                "unknown-source",
                format!("`{}` is not an evidence source", decl.source.node),
            )
            .label(decl.source.span, "unknown source");
            diagnostic = match schema::did_you_mean(&decl.source.node, names) {
                Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")),
                None => diagnostic.help(format!(
                    "the sources are {}",
                    schema::SOURCES
                        .iter()
                        .map(|s| format!("`{}`", s.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            self.error(diagnostic);
            return None;
        };
        let mut globs = Vec::new();
        for literal in &decl.globs {
            match glob::compile(literal) {
                Ok(glob) => globs.push(glob),
                Err(diagnostic) => self.error(diagnostic),
            }
        }
        let shards = match &decl.shards {
            None => None,
            Some(quantity) => match integer(quantity) {
                Some(n) if n >= 1 && quantity.unit == Unit::None => Some(n),
                _ => {
                    self.error(
                        Diagnostic::error(
                            "invalid-shards",
                            format!("`shards {}` is not a number of files", quantity.text),
                        )
                        .label(quantity.span, "expected a whole number of at least 1")
                        .help("e.g. `shards 4` when four CI jobs each upload one report"),
                    );
                    None
                }
            },
        };
        let min_samples = match &decl.min_samples {
            None => None,
            Some(quantity) if source.kind != Kind::Load => {
                self.error(
                    Diagnostic::error(
                        "invalid-min-samples",
                        format!("`min_samples` applies to load evidence, but `{}` reads {} evidence", source.name, source.kind.name()),
                    )
                    .label(quantity.span, "not a load test")
                    .help("use it on `load(...)`, e.g. `basic = load(\"reports/basic.json\") min_samples 1000`"),
                );
                None
            }
            Some(quantity) => {
                match integer(quantity) {
                    Some(n) if n >= 1 && quantity.unit == Unit::None => Some(n),
                    _ => {
                        self.error(
                        Diagnostic::error("invalid-min-samples", format!("`min_samples {}` is not a number of samples", quantity.text))
                            .label(quantity.span, "expected a whole number of at least 1")
                            .help("e.g. `min_samples 1000`: fewer requests make the load figures unknown"),
                    );
                        None
                    }
                }
            }
        };
        let format = match &decl.format {
            None => None,
            Some(name) => match Format::from_name(&name.node) {
                None => {
                    let names = Format::ALL.iter().map(|format| format.name());
                    let help = match schema::did_you_mean(&name.node, names) {
                        Some(suggestion) => format!("did you mean `{suggestion}`?"),
                        None => format!(
                            "the {} formats are {}",
                            source.kind.name(),
                            Format::ALL
                                .iter()
                                .filter(|format| format.kind() == source.kind)
                                .map(|format| format!("`{format}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    self.error(
                        Diagnostic::error(
                            "unknown-format",
                            format!("`{}` is not a known artifact format", name.node),
                        )
                        .label(name.span, "unknown format")
                        .help(help),
                    );
                    None
                }
                Some(format) if format.kind() != source.kind => {
                    self.error(
                        Diagnostic::error(
                            "format-kind-mismatch",
                            format!(
                                "`{}` is a {} format, but `{}` reads {} evidence",
                                format,
                                format.kind().name(),
                                source.name,
                                source.kind.name()
                            ),
                        )
                        .label(name.span, "wrong kind of format")
                        .label(decl.source.span, "this source")
                        .help(format!(
                            "use a {} format here: {}",
                            source.kind.name(),
                            Format::ALL
                                .iter()
                                .filter(|f| f.kind() == source.kind)
                                .map(|f| format!("`{f}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                    None
                }
                Some(format) => Some(format),
            },
        };
        if decl.globs.is_empty() {
            self.error(
                Diagnostic::error(
                    "missing-glob",
                    format!("evidence item `{}` names no file", decl.name.node),
                )
                .label(decl.source.span, "no path given")
                .help(format!("e.g. `{}(\"reports/*.xml\")`", source.name)),
            );
            return None;
        }
        // Returned even when a glob had an error (already reported), so that expectations using
        // the item are still type-checked in this run.
        let format = format.or_else(|| schema::default_format(source.name));
        Some(EvidenceItem {
            name: decl.name.node.clone(),
            kind: source.kind,
            globs,
            shards,
            min_samples,
            format,
            span: decl.span,
        })
    }

    fn check_category(
        &mut self,
        category: &ast::Category,
        evidence: &[&EvidenceItem],
        declared: &HashMap<String, Span>,
    ) -> Option<CategoryDef> {
        let weight = &category.weight;
        let weight_ok = weight.unit == Unit::None && weight.number > BigRational::zero();
        if !weight_ok {
            let help = if weight.unit == Unit::Percent {
                "weights are plain numbers (`weight 25`); they are relative to each other and need not add up to 100"
            } else {
                "a weight is a plain number above 0, e.g. `weight 25`"
            };
            self.error(
                Diagnostic::error(
                    "invalid-weight",
                    format!("`weight {}` is not a valid weight", weight.text),
                )
                .label(weight.span, "invalid weight")
                .help(help),
            );
        }
        if category.gates.is_empty() {
            self.error(
                Diagnostic::error(
                    "empty-category",
                    format!("category `{}` has no gates", category.name.node),
                )
                .label(category.name.span, "empty")
                .help("add a gate, or remove the category: an empty category would judge nothing"),
            );
        }
        let mut gates = Vec::new();
        for gate in &category.gates {
            if let Some(checked) = self.check_gate(gate, evidence, declared) {
                gates.push(checked);
            }
        }
        (weight_ok && gates.len() == category.gates.len() && !gates.is_empty()).then(|| {
            CategoryDef {
                name: category.name.node.clone(),
                weight: weight.number.clone(),
                gates,
                span: category.span,
            }
        })
    }

    fn check_gate(
        &mut self,
        gate: &ast::Gate,
        evidence: &[&EvidenceItem],
        declared: &HashMap<String, Span>,
    ) -> Option<GateDef> {
        let mut ok = true;
        if gate.name.trim().is_empty() {
            self.error(
                Diagnostic::error("empty-name", "a gate's name is empty")
                    .label(gate.name.span, "name it")
                    .help(
                        "gate names appear in reports and waivers: make them say what is checked",
                    ),
            );
            ok = false;
        }
        let mut severity: Option<Spanned<Severity>> = None;
        let mut points: Option<BigRational> = None;
        let mut when_changed = None;
        for modifier in &gate.modifiers {
            match modifier {
                GateModifier::Severity(value) => {
                    if let Some(first) = &severity {
                        let message =
                            format!("gate `{}` has more than one severity", gate.name.node);
                        let diagnostic = if first.node == value.node {
                            Diagnostic::error("duplicate-modifier", message)
                        } else {
                            Diagnostic::error("conflicting-severity", message)
                        };
                        self.error(
                            diagnostic
                                .label(value.span, "again here")
                                .label(first.span, "first here")
                                .help(
                                    "a gate is either `blocker`, `advisory`, or neither (scored)",
                                ),
                        );
                        ok = false;
                    } else {
                        severity = Some(value.clone());
                    }
                }
                GateModifier::Points(value) => {
                    if points.is_some() {
                        self.error(
                            Diagnostic::error(
                                "duplicate-modifier",
                                "`points` is given more than once",
                            )
                            .label(value.span, "given again here")
                            .help("keep one"),
                        );
                        ok = false;
                    } else if value.unit != Unit::None || value.number <= BigRational::zero() {
                        self.error(
                            Diagnostic::error(
                                "invalid-points",
                                format!("`points {}` is not a valid number of points", value.text),
                            )
                            .label(value.span, "expected a plain number above 0")
                            .help("points weigh a gate within its category; the default is 1"),
                        );
                        ok = false;
                    } else {
                        points = Some(value.number.clone());
                    }
                }
                GateModifier::WhenChanged(globs, span) => {
                    if when_changed.is_some() {
                        self.error(
                            Diagnostic::error(
                                "duplicate-modifier",
                                "`when changed` is given more than once",
                            )
                            .label(*span, "given again here")
                            .help("list every glob in one `when changed(\"a\", \"b\")`"),
                        );
                        ok = false;
                        continue;
                    }
                    let mut compiled = Vec::new();
                    for literal in globs {
                        match glob::compile(literal) {
                            Ok(glob) => compiled.push(glob),
                            Err(diagnostic) => {
                                self.error(diagnostic);
                                ok = false;
                            }
                        }
                    }
                    when_changed = Some(compiled);
                }
            }
        }
        if gate.expectations.is_empty() {
            self.error(
                Diagnostic::error(
                    "empty-gate",
                    format!("gate `{}` has no expectations", gate.name.node),
                )
                .label(gate.name.span, "nothing to check")
                .help("add `expect ...`: a gate with nothing to check would pass without evidence"),
            );
            ok = false;
        }
        let mut expectations = Vec::new();
        for expect in &gate.expectations {
            let typed = expr::type_expectation(self, &expect.expr, evidence, declared);
            match typed {
                Some(expr) => expectations.push(Expectation {
                    expr,
                    text: crate::format::expr(&expect.expr),
                    help: expect.help.as_ref().map(|help| help.node.clone()),
                    span: expect.expr.span,
                }),
                None => ok = false,
            }
        }
        ok.then(|| GateDef {
            name: gate.name.node.clone(),
            name_span: gate.name.span,
            severity: severity.map(|s| s.node).unwrap_or(Severity::Default),
            points: points.unwrap_or_else(BigRational::one),
            when_changed,
            expectations,
            span: gate.span,
        })
    }

    fn check_waiver(&mut self, waiver: &ast::Waiver) -> Option<WaiverDef> {
        let mut ok = true;
        let mut one =
            |checker: &mut Self, count: usize, clause: &str, code: &'static str, example: &str| {
                if count == 0 {
                    checker.error(
                        Diagnostic::error(
                            code,
                            format!("the waiver of `{}` has no `{clause}`", waiver.gate.node),
                        )
                        .label(waiver.gate.span, "incomplete waiver")
                        .help(format!(
                            "a waiver needs a reason, an owner and an expiry date: add `{example}`"
                        )),
                    );
                    ok = false;
                } else if count > 1 {
                    checker.error(
                        Diagnostic::error(
                            "duplicate-waiver-clause",
                            format!(
                                "the waiver of `{}` has `{clause}` more than once",
                                waiver.gate.node
                            ),
                        )
                        .label(waiver.span, "in this waiver")
                        .help("keep one"),
                    );
                    ok = false;
                }
            };
        one(
            self,
            waiver.until.len(),
            "until",
            "waiver-missing-expiry",
            "until 2026-12-31",
        );
        one(
            self,
            waiver.owner.len(),
            "owner",
            "waiver-missing-owner",
            "owner \"@team\"",
        );
        one(
            self,
            waiver.because.len(),
            "because",
            "waiver-missing-reason",
            "because \"why it is acceptable for now\"",
        );
        for text in waiver.owner.iter().chain(&waiver.because) {
            if text.trim().is_empty() {
                self.error(
                    Diagnostic::error(
                        "empty-waiver-field",
                        "a waiver's owner and reason cannot be empty",
                    )
                    .label(text.span, "empty")
                    .help("say who owns the waiver and why it is acceptable for now"),
                );
                ok = false;
            }
        }
        let until = match waiver.until.first().map(|until| &until.node) {
            Some(ast::Literal::Date(date)) => *date,
            _ => return None,
        };
        ok.then(|| WaiverDef {
            gate: waiver.gate.node.clone(),
            gate_span: waiver.gate.span,
            until,
            owner: waiver
                .owner
                .first()
                .map(|s| s.node.clone())
                .unwrap_or_default(),
            reason: waiver
                .because
                .first()
                .map(|s| s.node.clone())
                .unwrap_or_default(),
            span: waiver.span,
        })
    }
}

impl Quantity {
    /// The digits of the literal without its unit.
    pub fn number_text(&self) -> &str {
        self.text
            .trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%')
    }
}

/// A quantity that is a whole number, as u64.
fn integer(quantity: &Quantity) -> Option<u64> {
    use num_traits::ToPrimitive;
    quantity
        .number
        .is_integer()
        .then(|| quantity.number.to_integer().to_u64())
        .flatten()
}

/// The type a quantity literal has.
pub fn quantity_type(unit: Unit) -> Type {
    match unit {
        Unit::None => Type::Number,
        Unit::Percent => Type::Percent,
        Unit::Milliseconds | Unit::Seconds | Unit::Minutes | Unit::Hours => Type::Duration,
        Unit::Bytes | Unit::Kilobytes | Unit::Megabytes | Unit::Gigabytes => Type::Size,
    }
}

/// A quantity literal's value in its type's base unit (fraction, milliseconds, bytes).
pub fn quantity_value(quantity: &Quantity) -> BigRational {
    let factor: u64 = match quantity.unit {
        Unit::None | Unit::Milliseconds | Unit::Bytes => 1,
        Unit::Percent => return percent_fraction(quantity),
        Unit::Seconds => 1_000,
        Unit::Minutes => 60_000,
        Unit::Hours => 3_600_000,
        Unit::Kilobytes => 1 << 10,
        Unit::Megabytes => 1 << 20,
        Unit::Gigabytes => 1 << 30,
    };
    &quantity.number * BigRational::from_integer(BigInt::from(factor))
}
