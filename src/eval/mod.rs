//! The evaluator: a checked policy and evidence in, an [`Outcome`] out. Pure and synchronous: no
//! printing, no network, and no clock except the injected `today` (waiver expiry).
//!
//! Every expectation is pass, fail or unknown (missing, unreadable or incomplete evidence, or a
//! figure the artifact does not carry). Unknown never passes: it scores zero and fails a blocker.

pub mod baseline;
mod code;
mod config;
mod distance;
mod figures;
pub mod outcome;
pub mod patch;
mod score;

pub use outcome::*;

use crate::check::{CheckedPolicy, EvidenceItem, FilesQuery, GateDef, Typed};
use crate::diagnostic::Diagnostic;
use crate::evidence::{EvidenceSource, Scope};
use crate::syntax::ast::{BinaryOp, Severity};
use crate::syntax::span::LineIndex;
use crate::value::{Type, Value};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Zero;
use readiness_evidence::Evidence;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the evaluation needs besides the policy.
pub struct Context<'a> {
    pub evidence: &'a dyn EvidenceSource,
    /// The date waivers are judged against.
    pub today: time::Date,
    /// Changed files (workspace-relative), when known; `when changed` gates use it.
    pub changed_files: Option<Vec<String>>,
    /// The policy file's name and text, for locations in the outcome.
    pub policy_file: &'a str,
    pub policy_source: &'a str,
}

/// What a pull-request run knows besides the workspace: the base branch's results, the changed
/// lines, the commit. All optional; [`evaluate`] uses none of them.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The base branch's JSON report, for `base.<item>.<figure>`; without it those are unknown.
    pub baseline: Option<baseline::Baseline>,
    /// The changed lines, for `coverage.patch.lines` / `.branches`; without them those are unknown.
    pub changed_lines: Option<patch::ChangedLines>,
    /// A prefix to strip from coverage report paths instead of matching them to changed files by
    /// suffix (`/builds/x/`).
    pub coverage_path_strip: Option<String>,
    /// The commit the evidence was made at, written into the report (see
    /// [`crate::repo::git::current_commit`]).
    pub commit: Option<String>,
    /// The most text regular expressions may search in one evaluation, in bytes, across every
    /// file and pattern (`files(...).containing(...)`, `file(...).contains(...)`); `None` is
    /// [`REGEX_BUDGET`]. Searches past it are unknown, with the reason.
    pub regex_budget: Option<u64>,
}

/// The default total of text regular expressions may search in one evaluation: 2 GiB (each
/// pattern counts each byte it searches; one file is at most `MAX_TEXT_FILE`).
pub const REGEX_BUDGET: u64 = 2 << 30;

/// Why a value could not be computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown(pub String);

type Computed = Result<Value, Unknown>;

enum Loaded {
    Read(Evidence),
    Missing(String),
    Incomplete(String, Vec<String>),
    Unreadable(String, Vec<String>),
}

struct Evaluator<'a> {
    policy: &'a CheckedPolicy,
    context: &'a Context<'a>,
    inputs: &'a Inputs,
    loaded: RefCell<HashMap<String, std::rc::Rc<Loaded>>>,
    /// Patch coverage of coverage items, computed when they are read (with changed lines).
    patches: RefCell<HashMap<String, PatchOutcome>>,
    used: RefCell<BTreeSet<String>>,
    /// `imports(...)` / `code(...)` facts, computed once per request.
    code_facts: code::Cache,
    /// Bytes searched by regular expressions so far, against `Inputs::regex_budget`.
    regex_work: std::cell::Cell<u64>,
    /// Line starts of the policy, to locate thousands of gates in linear time.
    lines: LineIndex,
}

/// Evaluates a checked policy.
pub fn evaluate(policy: &CheckedPolicy, context: &Context<'_>) -> Outcome {
    evaluate_with(policy, context, &Inputs::default())
}

/// Evaluates a checked policy with a pull request's inputs: a baseline, changed lines, a commit.
pub fn evaluate_with(policy: &CheckedPolicy, context: &Context<'_>, inputs: &Inputs) -> Outcome {
    let evaluator = Evaluator {
        policy,
        context,
        inputs,
        loaded: RefCell::new(HashMap::new()),
        patches: RefCell::new(HashMap::new()),
        used: RefCell::new(BTreeSet::new()),
        code_facts: code::Cache::default(),
        regex_work: std::cell::Cell::new(0),
        lines: LineIndex::new(context.policy_source),
    };
    evaluator.run()
}

/// What judging one expectation gives.
struct Judged {
    status: Status,
    actual: Option<String>,
    required: Option<String>,
    actual_value: Option<f64>,
    /// The measured figure exactly (a decimal or a fraction, as in the evidence's `figures`).
    actual_exact: Option<String>,
    reason: Option<String>,
    to_pass: Option<String>,
}

/// Evidence names and files an expectation used, collected while evaluating it.
#[derive(Default)]
struct Trace {
    evidence: Vec<String>,
}

impl Trace {
    fn note(&mut self, what: String) {
        if !self.evidence.contains(&what) {
            self.evidence.push(what);
        }
    }
}

impl Evaluator<'_> {
    fn run(&self) -> Outcome {
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        let gate_names: Vec<&str> = self
            .policy
            .categories
            .iter()
            .flat_map(|category| category.gates.iter().map(|gate| gate.name.as_str()))
            .collect();
        let mut waiver_outcomes = Vec::new();
        let mut active_waivers: HashMap<&str, &crate::check::WaiverDef> = HashMap::new();
        for waiver in &self.policy.waivers {
            let status = if !gate_names.contains(&waiver.gate.as_str()) {
                let mut diagnostic = Diagnostic::warning(
                    "stale-waiver",
                    format!("the waiver of `{}` matches no gate", waiver.gate),
                )
                .label(waiver.gate_span, "no gate has this name");
                diagnostic = match crate::check::schema::did_you_mean(
                    &waiver.gate,
                    gate_names.iter().copied(),
                ) {
                    Some(suggestion) => diagnostic.help(format!(
                        "did you mean `{suggestion}`? otherwise remove the waiver"
                    )),
                    None => diagnostic.help("the gate was renamed or removed: remove the waiver"),
                };
                diagnostics.push(diagnostic);
                "stale"
            } else if self.context.today > waiver.until {
                diagnostics.push(
                    Diagnostic::warning(
                        "expired-waiver",
                        format!(
                            "the waiver of `{}` expired on {}",
                            waiver.gate, waiver.until
                        ),
                    )
                    .label(waiver.span, "expired: the gate is judged again")
                    .help(format!(
                        "fix the gate, or extend the waiver with {} ({})",
                        waiver.owner, waiver.reason
                    )),
                );
                "expired"
            } else {
                active_waivers.insert(waiver.gate.as_str(), waiver);
                "active"
            };
            waiver_outcomes.push(WaiverOutcome {
                gate: waiver.gate.clone(),
                until: waiver.until.to_string(),
                owner: waiver.owner.clone(),
                reason: waiver.reason.clone(),
                status: status.to_string(),
            });
        }

        let mut categories = Vec::new();
        for category in &self.policy.categories {
            let gates = category
                .gates
                .iter()
                .map(|gate| {
                    self.gate(
                        gate,
                        &category.name,
                        active_waivers.get(gate.name.as_str()).copied(),
                    )
                })
                .collect();
            categories.push(CategoryOutcome {
                name: category.name.clone(),
                weight: num_traits::ToPrimitive::to_f64(&category.weight).unwrap_or(0.0),
                points_passed: 0.0,
                points_counted: 0.0,
                share: None,
                contribution: None,
                gates,
            });
        }
        let evidence = self.evidence_outcomes();
        let scored = score::score(self.policy, &mut categories);
        distance::points_to_gain(self.policy, &mut categories, scored.score.as_ref());
        let diagnostics = diagnostics
            .iter()
            .map(|diagnostic| {
                diagnostic.located(self.context.policy_file, self.context.policy_source)
            })
            .collect();
        Outcome {
            schema_version: SCHEMA_VERSION,
            policy: PolicyInfo {
                name: self.policy.name.clone(),
                file: self.context.policy_file.to_string(),
                source: "workspace".to_string(),
                note: None,
                change: None,
            },
            verdict: if scored.ready {
                Verdict::Ready
            } else {
                Verdict::NotReady
            },
            ready: scored.ready,
            reason: scored.reason,
            score: scored.score.as_ref().map(score::figure),
            target: score::figure(&self.policy.target),
            level: scored.level,
            levels: scored.levels,
            categories,
            evidence,
            waivers: waiver_outcomes,
            diagnostics,
            commit: self.inputs.commit.clone(),
            baseline: self.inputs.baseline.as_ref().map(baseline::Baseline::info),
        }
    }

    fn line_column(&self, offset: usize) -> (usize, usize) {
        self.lines.line_column(self.context.policy_source, offset)
    }

    fn gate(
        &self,
        gate: &GateDef,
        category: &str,
        waiver: Option<&crate::check::WaiverDef>,
    ) -> GateOutcome {
        let not_applicable = match (&gate.when_changed, &self.context.changed_files) {
            (Some(globs), Some(changed)) => !changed
                .iter()
                .any(|path| globs.iter().any(|glob| glob.is_match(path))),
            _ => false,
        };
        let expectations: Vec<ExpectationOutcome> = gate
            .expectations
            .iter()
            .map(|expectation| {
                let (line, column) = self.line_column(expectation.span.start);
                if not_applicable {
                    return ExpectationOutcome {
                        text: expectation.text.clone(),
                        status: Status::NotApplicable,
                        actual: None,
                        required: None,
                        actual_value: None,
                        actual_exact: None,
                        evidence: Vec::new(),
                        reason: Some("the change touches no file this gate covers".to_string()),
                        help: expectation.help.clone(),
                        line,
                        column,
                        to_pass: None,
                    };
                }
                let mut trace = Trace::default();
                let judged = self.expectation(&expectation.expr, &mut trace);
                let reason = match (&judged.reason, &self.inputs.baseline) {
                    (None, Some(baseline))
                        if trace.evidence.iter().any(|e| e.starts_with("base.")) =>
                    {
                        Some(format!("compared with {}", baseline.describe()))
                    }
                    _ => judged.reason,
                };
                ExpectationOutcome {
                    text: expectation.text.clone(),
                    status: judged.status,
                    actual: judged.actual,
                    required: judged.required,
                    actual_value: judged.actual_value,
                    actual_exact: judged.actual_exact,
                    evidence: trace.evidence,
                    reason,
                    help: expectation.help.clone(),
                    line,
                    column,
                    to_pass: judged.to_pass,
                }
            })
            .collect();
        let result = if not_applicable {
            Status::NotApplicable
        } else if expectations.iter().any(|e| e.status == Status::Fail) {
            Status::Fail
        } else if expectations.iter().any(|e| e.status == Status::Unknown) {
            Status::Unknown
        } else {
            Status::Pass
        };
        let (status, note) = match waiver {
            Some(waiver) if result != Status::NotApplicable => (
                Status::Waived,
                Some(format!(
                    "waived until {} by {}: {}",
                    waiver.until, waiver.owner, waiver.reason
                )),
            ),
            _ if result == Status::NotApplicable => (
                Status::NotApplicable,
                Some("n/a: the change touches no file this gate covers".to_string()),
            ),
            _ => (result, None),
        };
        let counted = matches!(status, Status::Pass | Status::Fail | Status::Unknown)
            && gate.severity != Severity::Advisory;
        let (line, _) = self.line_column(gate.name_span.start);
        GateOutcome {
            name: gate.name.clone(),
            category: category.to_string(),
            severity: gate.severity,
            points: num_traits::ToPrimitive::to_f64(&gate.points).unwrap_or(0.0),
            status,
            result,
            counted,
            line,
            expectations,
            note,
            points_to_gain: None,
        }
    }

    /// Evaluates one expectation: status, actual, required, actual as a number, reason, and for a
    /// failure what it would take to pass.
    fn expectation(&self, expr: &Typed, trace: &mut Trace) -> Judged {
        let judged = |status, actual, required, actual_value, reason| Judged {
            status,
            actual,
            required,
            actual_value,
            actual_exact: None,
            reason,
            to_pass: None,
        };
        // A top-level comparison reports its two sides.
        if let Typed::Compare { op, lhs, rhs } = expr {
            let left = self.value(lhs, trace);
            let right = self.value(rhs, trace);
            return match (left, right) {
                (Ok(left), Ok(right)) => {
                    let actual_exact = baseline::exact_figure(&left).map(|figure| figure.exact);
                    let required = Some(format!("{} {}", op.symbol(), right));
                    let actual = Some(left.to_string());
                    let actual_value = left.to_f64();
                    let judged = |status, actual, required, actual_value, reason| Judged {
                        actual_exact: actual_exact.clone(),
                        ..judged(status, actual, required, actual_value, reason)
                    };
                    match compare(*op, &left, &right) {
                        Ok(true) => judged(Status::Pass, actual, required, actual_value, None),
                        Ok(false) => Judged {
                            to_pass: distance::to_pass(*op, lhs, rhs, &left, &right, self),
                            ..judged(Status::Fail, actual, required, actual_value, None)
                        },
                        Err(Unknown(reason)) => judged(
                            Status::Unknown,
                            actual,
                            required,
                            actual_value,
                            Some(reason),
                        ),
                    }
                }
                (Err(Unknown(reason)), right) => {
                    let required = right.ok().map(|right| format!("{} {}", op.symbol(), right));
                    judged(Status::Unknown, None, required, None, Some(reason))
                }
                (Ok(left), Err(Unknown(reason))) => judged(
                    Status::Unknown,
                    Some(left.to_string()),
                    None,
                    left.to_f64(),
                    Some(reason),
                ),
            };
        }
        match self.value(expr, trace) {
            Ok(Value::Bool(true)) => judged(
                Status::Pass,
                Some("true".into()),
                Some("true".into()),
                None,
                None,
            ),
            Ok(Value::Bool(false)) => {
                let (reason, to_pass) = match expr {
                    Typed::Exists(globs) => {
                        let names = globs
                            .iter()
                            .map(|g| format!("`{}`", g.text))
                            .collect::<Vec<_>>()
                            .join(" or ");
                        (
                            Some(format!("no file matches {names}")),
                            Some(format!("add a file matching {names}")),
                        )
                    }
                    Typed::FileContains { path, pattern } => (
                        None,
                        Some(format!(
                            "`{}` must contain `/{}/`",
                            path.text,
                            pattern.as_str()
                        )),
                    ),
                    Typed::Figure {
                        item,
                        field,
                        base: false,
                        ..
                    } => (None, Some(format!("`{item}.{field}` must be true"))),
                    _ => (None, None),
                };
                Judged {
                    to_pass,
                    ..judged(
                        Status::Fail,
                        Some("false".into()),
                        Some("true".into()),
                        None,
                        reason,
                    )
                }
            }
            Ok(other) => judged(
                Status::Unknown,
                Some(other.to_string()),
                Some("true".into()),
                None,
                Some("internal error: the expectation is not yes/no; please report".into()),
            ),
            Err(Unknown(reason)) => judged(
                Status::Unknown,
                None,
                Some("true".into()),
                None,
                Some(reason),
            ),
        }
    }

    fn value(&self, expr: &Typed, trace: &mut Trace) -> Computed {
        match expr {
            Typed::Const(value) => Ok(value.clone()),
            Typed::Figure {
                item,
                field,
                ty,
                base,
                ..
            } => {
                if *base {
                    trace.note(format!("base.{item}"));
                    let min_samples = self.item(item).and_then(|item| item.min_samples);
                    return match &self.inputs.baseline {
                        Some(baseline) => baseline.figure(item, field, *ty, min_samples),
                        None => Err(Unknown(format!(
                            "no baseline results were given (the base branch's `gate check --format json` report), so `base.{item}.{field}` is unknown"
                        ))),
                    };
                }
                self.used.borrow_mut().insert(item.clone());
                trace.note(item.clone());
                let loaded = self.load(item)?;
                match loaded.as_ref() {
                    Loaded::Read(evidence) => {
                        self.noise_gate(item, evidence)?;
                        if field.starts_with("patch.") {
                            return self.patch_figure(item, field);
                        }
                        figures::figure(item, evidence, field)
                    }
                    Loaded::Missing(why)
                    | Loaded::Incomplete(why, _)
                    | Loaded::Unreadable(why, _) => Err(Unknown(why.clone())),
                }
            }
            Typed::Exists(globs) => {
                let files = self.matching(
                    globs,
                    Scope::Facts {
                        include_ignored: false,
                    },
                )?;
                for file in files.iter().take(5) {
                    trace.note(file.clone());
                }
                Ok(Value::Bool(!files.is_empty()))
            }
            Typed::FilesCount(query) => {
                let files = self.query(query, trace)?;
                for file in files.iter().take(5) {
                    trace.note(file.clone());
                }
                if files.len() > 5 {
                    trace.note(format!("… and {} more", files.len() - 5));
                }
                Ok(Value::number(files.len() as u64))
            }
            Typed::Imports { globs, field } => {
                let files = self.matching(
                    globs,
                    crate::evidence::Scope::Facts {
                        include_ignored: false,
                    },
                )?;
                code::imports(
                    &self.code_facts,
                    self.context.evidence,
                    files,
                    globs,
                    field,
                    trace,
                )
            }
            Typed::CodeCount(check) => {
                let files = self.matching(
                    &check.globs,
                    crate::evidence::Scope::Facts {
                        include_ignored: false,
                    },
                )?;
                code::count(&self.code_facts, self.context.evidence, files, check, trace)
            }
            Typed::FileContains { path, pattern } => {
                // A path named explicitly is looked up wherever it is, ignored or not.
                let found = self.matching(
                    std::slice::from_ref(path),
                    Scope::Facts {
                        include_ignored: true,
                    },
                )?;
                if found.is_empty() {
                    return Err(Unknown(format!(
                        "`{}` does not exist in the workspace",
                        path.text
                    )));
                }
                trace.note(path.text.clone());
                let bytes = self.context.evidence.read(&path.text).map_err(Unknown)?;
                let text = String::from_utf8_lossy(&bytes);
                self.search(pattern, &text, &path.text).map(Value::Bool)
            }
            Typed::Arithmetic { op, ty, lhs, rhs } => {
                let left = self.value(lhs, trace);
                let right = self.value(rhs, trace);
                arithmetic(*op, *ty, left?, right?)
            }
            Typed::Compare { op, lhs, rhs } => {
                let left = self.value(lhs, trace);
                let right = self.value(rhs, trace);
                compare(*op, &left?, &right?).map(Value::Bool)
            }
            Typed::And(lhs, rhs) | Typed::Or(lhs, rhs) => {
                let is_and = matches!(expr, Typed::And(..));
                let left = self.value(lhs, trace);
                let right = self.value(rhs, trace);
                // Kleene logic: a known deciding side decides; otherwise unknown stays unknown.
                let decides =
                    |value: &Computed| matches!(value, Ok(Value::Bool(b)) if *b != is_and);
                if decides(&left) || decides(&right) {
                    return Ok(Value::Bool(!is_and));
                }
                match (left, right) {
                    (Ok(Value::Bool(_)), Ok(Value::Bool(_))) => Ok(Value::Bool(is_and)),
                    (Err(unknown), _) | (_, Err(unknown)) => Err(unknown),
                    _ => Err(Unknown(
                        "internal error: `and`/`or` of non-yes/no values; please report".into(),
                    )),
                }
            }
            Typed::Config(query) => self.config(query, trace),
            Typed::Not(inner) => match self.value(inner, trace)? {
                Value::Bool(value) => Ok(Value::Bool(!value)),
                _ => Err(Unknown(
                    "internal error: `not` of a non-yes/no value; please report".into(),
                )),
            },
        }
    }

    fn matching(
        &self,
        globs: &[crate::check::WorkspaceGlob],
        scope: Scope,
    ) -> Result<Vec<String>, Unknown> {
        self.context
            .evidence
            .matching(globs, scope)
            .map_err(Unknown)
    }

    fn query(&self, query: &FilesQuery, _trace: &mut Trace) -> Result<Vec<String>, Unknown> {
        let mut files = self.matching(
            &query.globs,
            Scope::Facts {
                include_ignored: query.include_ignored,
            },
        )?;
        if query.filters.is_empty() {
            return Ok(files);
        }
        if files.is_empty() {
            // Searching no file proves nothing: missing evidence never passes.
            return Err(Unknown(format!(
                "no file matches {}, so there is nothing to search",
                query
                    .globs
                    .iter()
                    .map(|g| format!("`{}`", g.text))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )));
        }
        let mut kept = Vec::new();
        for file in files.drain(..) {
            let bytes = self.context.evidence.read(&file).map_err(Unknown)?;
            let text = String::from_utf8_lossy(&bytes);
            let mut keep = true;
            for (must_contain, pattern) in &query.filters {
                if self.search(pattern, &text, &file)? != *must_contain {
                    keep = false;
                    break;
                }
            }
            if keep {
                kept.push(file);
            }
        }
        Ok(kept)
    }

    /// Whether `pattern` matches `text` (of `file`), counted against the evaluation's budget.
    fn search(&self, pattern: &regex::Regex, text: &str, file: &str) -> Result<bool, Unknown> {
        let budget = self.inputs.regex_budget.unwrap_or(REGEX_BUDGET);
        let work = self.regex_work.get().saturating_add(text.len() as u64);
        if work > budget {
            return Err(Unknown(format!(
                "searching `{file}` would pass the limit of {budget} bytes of text searched by regular expressions in one evaluation, so the search was not done; search fewer or smaller files"
            )));
        }
        self.regex_work.set(work);
        Ok(pattern.is_match(text))
    }

    /// `min_samples N`: a load item with fewer samples gives no figures.
    fn noise_gate(&self, name: &str, evidence: &Evidence) -> Result<(), Unknown> {
        let Some(required) = self.item(name).and_then(|item| item.min_samples) else {
            return Ok(());
        };
        let readiness_evidence::Figures::Load(load) = &evidence.figures else {
            return Ok(());
        };
        match load.requests {
            Some(samples) if samples >= required => Ok(()),
            Some(samples) => Err(Unknown(format!(
                "`{name}` has {samples} {}, fewer than the {required} required (`min_samples {required}`): too few to judge",
                if samples == 1 { "sample" } else { "samples" }
            ))),
            None => Err(Unknown(format!(
                "the {} report for `{name}` does not give its sample count, so `min_samples {required}` cannot be checked",
                evidence.format.name()
            ))),
        }
    }

    /// `coverage.patch.lines` / `.branches`.
    fn patch_figure(&self, item: &str, field: &str) -> Computed {
        if self.inputs.changed_lines.is_none() {
            return Err(Unknown(
                "patch coverage needs the changed lines (`--diff-base REF` or a patch), and none were given".to_string(),
            ));
        }
        let patches = self.patches.borrow();
        let Some(patch) = patches.get(item) else {
            return Err(Unknown(format!(
                "the line data of `{item}` could not be read, so its patch coverage is unknown"
            )));
        };
        if let Some(problem) = &patch.problem {
            return Err(Unknown(problem.clone()));
        }
        let ratio = if field == "patch.branches" {
            patch.branches
        } else {
            patch.lines
        };
        let Some(ratio) = ratio else {
            return Err(Unknown(format!("the coverage report for `{item}` has no branches per line, so `{item}.{field}` is unknown")));
        };
        Value::ratio(ratio.covered, ratio.total).ok_or_else(|| {
            Unknown(format!("the changed lines of `{item}` have no branches (0 of 0), so `{item}.{field}` is unknown"))
        })
    }

    fn item(&self, name: &str) -> Option<&EvidenceItem> {
        self.policy.evidence.iter().find(|item| item.name == name)
    }

    fn load(&self, name: &str) -> Result<std::rc::Rc<Loaded>, Unknown> {
        if let Some(loaded) = self.loaded.borrow().get(name) {
            return Ok(loaded.clone());
        }
        let item = self.item(name).ok_or_else(|| {
            Unknown(format!(
                "internal error: evidence item `{name}` is not declared; please report"
            ))
        })?;
        let loaded = std::rc::Rc::new(self.read_item(item));
        self.loaded
            .borrow_mut()
            .insert(name.to_string(), loaded.clone());
        Ok(loaded)
    }

    fn read_item(&self, item: &EvidenceItem) -> Loaded {
        let globs = item
            .globs
            .iter()
            .map(|g| format!("`{}`", g.text))
            .collect::<Vec<_>>()
            .join(" or ");
        let files = match self.matching(&item.globs, Scope::Evidence) {
            Ok(files) => files,
            Err(Unknown(why)) => return Loaded::Missing(why),
        };
        if files.is_empty() {
            return Loaded::Missing(format!(
                "no artifact for `{}`: no file matches {globs}",
                item.name
            ));
        }
        if let Some(shards) = item.shards {
            let present = files.len() as u64;
            if present < shards {
                return Loaded::Incomplete(
                    format!(
                        "`{}` is incomplete: {present} of {shards} shards present",
                        item.name
                    ),
                    files,
                );
            }
            if present > shards {
                return Loaded::Incomplete(
                    format!(
                        "`{}` expects {shards} shards but {present} files match {globs}",
                        item.name
                    ),
                    files,
                );
            }
        }
        let read = match (&self.inputs.changed_lines, item.kind) {
            (Some(changed), readiness_evidence::Kind::Coverage) => {
                let workspace_files = self.context.evidence.files().unwrap_or(&[]);
                let mapper = patch::PathMapper::new(
                    changed,
                    workspace_files,
                    self.inputs.coverage_path_strip.as_deref(),
                );
                let wanted = |path: &str| mapper.map(path).is_some();
                self.context
                    .evidence
                    .artifact_lines(&files, item.format, &wanted)
                    .map(|(evidence, lines)| {
                        if let readiness_evidence::Figures::Coverage(coverage) = &evidence.figures {
                            let computed = patch::compute(
                                changed,
                                &lines,
                                &mapper,
                                &item.name,
                                evidence.format.name(),
                                &coverage.per_file,
                            );
                            self.patches
                                .borrow_mut()
                                .insert(item.name.clone(), computed);
                        }
                        evidence
                    })
            }
            _ => self.context.evidence.artifact(&files, item.format),
        };
        match read {
            Ok(evidence) if evidence.kind != item.kind => Loaded::Unreadable(
                format!(
                    "`{}` is a {} report ({}), but `{}` needs {} evidence",
                    files.first().map(String::as_str).unwrap_or(""),
                    evidence.kind.name(),
                    evidence.format,
                    item.name,
                    item.kind.name()
                ),
                files,
            ),
            Ok(evidence) => Loaded::Read(evidence),
            Err(error) => {
                Loaded::Unreadable(format!("`{}` is unreadable: {error}", item.name), files)
            }
        }
    }

    fn evidence_outcomes(&self) -> Vec<EvidenceOutcome> {
        let used = self.used.borrow();
        self.policy
            .evidence
            .iter()
            .map(|item| {
                let loaded = self.loaded.borrow().get(&item.name).cloned();
                let globs = item.globs.iter().map(|g| g.text.clone()).collect();
                let mut outcome = EvidenceOutcome {
                    name: item.name.clone(),
                    kind: item.kind.name().to_string(),
                    globs,
                    status: "not read".to_string(),
                    format: None,
                    files: Vec::new(),
                    problem: None,
                    used: used.contains(&item.name),
                    findings: Vec::new(),
                    figures: BTreeMap::new(),
                    patch: self.patches.borrow().get(&item.name).cloned(),
                };
                let provenance_of = |files: &[String]| {
                    files
                        .iter()
                        .map(|path| FileProvenance {
                            path: path.clone(),
                            format: String::new(),
                            sha256: String::new(),
                            bytes: 0,
                        })
                        .collect()
                };
                match loaded.as_deref() {
                    None => {}
                    Some(Loaded::Read(evidence)) => {
                        outcome.status = "read".to_string();
                        outcome.format = Some(evidence.format.name().to_string());
                        outcome.files = evidence
                            .provenance
                            .iter()
                            .map(|p| FileProvenance {
                                path: p.path.to_string_lossy().replace('\\', "/"),
                                format: p.format.name().to_string(),
                                sha256: p.sha256.clone(),
                                bytes: p.bytes,
                            })
                            .collect();
                        outcome.findings = findings(evidence);
                        outcome.figures = self.exact_figures(item, evidence);
                    }
                    Some(Loaded::Missing(why)) => {
                        outcome.status = "missing".to_string();
                        outcome.problem = Some(why.clone());
                    }
                    Some(Loaded::Incomplete(why, files)) => {
                        outcome.status = "incomplete".to_string();
                        outcome.problem = Some(why.clone());
                        outcome.files = provenance_of(files);
                    }
                    Some(Loaded::Unreadable(why, files)) => {
                        outcome.status = "unreadable".to_string();
                        outcome.problem = Some(why.clone());
                        outcome.files = provenance_of(files);
                    }
                }
                outcome
            })
            .collect()
    }
}

impl Evaluator<'_> {
    /// Every figure of an item read, exactly, for the JSON report (a later run's baseline).
    fn exact_figures(
        &self,
        item: &EvidenceItem,
        evidence: &Evidence,
    ) -> BTreeMap<String, ExactFigure> {
        let mut exact = BTreeMap::new();
        for field in crate::check::schema::fields(item.kind) {
            if let Some(figure) = figures::figure(&item.name, evidence, field.name)
                .ok()
                .as_ref()
                .and_then(baseline::exact_figure)
            {
                exact.insert(field.name.to_string(), figure);
            }
        }
        if self.inputs.changed_lines.is_some() {
            for field in ["patch.lines", "patch.branches"] {
                if let Some(figure) = self
                    .patch_figure(&item.name, field)
                    .ok()
                    .as_ref()
                    .and_then(baseline::exact_figure)
                {
                    exact.insert(field.to_string(), figure);
                }
            }
        }
        exact
    }
}

impl distance::Counts for Evaluator<'_> {
    fn counts(&self, item: &str, field: &str) -> Option<readiness_evidence::Ratio> {
        if let Some(patch_field) = field.strip_prefix("patch.") {
            let patches = self.patches.borrow();
            let patch = patches.get(item)?;
            return if patch_field == "branches" {
                patch.branches
            } else {
                patch.lines
            };
        }
        let loaded = self.loaded.borrow().get(item).cloned()?;
        let Loaded::Read(evidence) = loaded.as_ref() else {
            return None;
        };
        let readiness_evidence::Figures::Coverage(coverage) = &evidence.figures else {
            return None;
        };
        match field {
            "lines" => coverage.lines,
            "branches" => coverage.branches,
            "functions" => coverage.functions,
            "statements" => coverage.statements,
            _ => None,
        }
    }
}

/// The findings of an artifact that have a file: unresolved imports, failing tests.
fn findings(evidence: &Evidence) -> Vec<Finding> {
    outcome::findings_of(&evidence.figures)
}

fn rational(value: &Value) -> Option<&BigRational> {
    match value {
        Value::Quantity(_, number) => Some(number),
        _ => None,
    }
}

/// Compares exactly.
fn compare(op: BinaryOp, left: &Value, right: &Value) -> Result<bool, Unknown> {
    use std::cmp::Ordering;
    let ordering = match (left, right) {
        (Value::Quantity(..), Value::Quantity(..)) => rational(left).cmp(&rational(right)),
        (Value::Date(a), Value::Date(b)) => a.cmp(b),
        (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
        (Value::String(a), Value::String(b)) => a.cmp(b),
        _ => {
            return Err(Unknown(
                "internal error: comparing values of different kinds; please report".into(),
            ))
        }
    };
    Ok(match op {
        BinaryOp::Eq => ordering == Ordering::Equal,
        BinaryOp::Ne => ordering != Ordering::Equal,
        BinaryOp::Lt => ordering == Ordering::Less,
        BinaryOp::Le => ordering != Ordering::Greater,
        BinaryOp::Gt => ordering == Ordering::Greater,
        BinaryOp::Ge => ordering != Ordering::Less,
        _ => {
            return Err(Unknown(
                "internal error: not a comparison; please report".into(),
            ))
        }
    })
}

/// Exact arithmetic; the result type was decided by the checker.
fn arithmetic(op: BinaryOp, ty: Type, left: Value, right: Value) -> Computed {
    let (Some(a), Some(b)) = (rational(&left), rational(&right)) else {
        return Err(Unknown(
            "internal error: arithmetic on non-quantities; please report".into(),
        ));
    };
    let result = match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div => {
            if b.is_zero() {
                return Err(Unknown(format!("division by zero ({left} / {right})")));
            }
            a / b
        }
        _ => {
            return Err(Unknown(
                "internal error: not arithmetic; please report".into(),
            ))
        }
    };
    let _ = BigInt::zero();
    Ok(Value::Quantity(ty, result))
}
