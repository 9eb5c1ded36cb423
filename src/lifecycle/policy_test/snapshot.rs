//! The snapshot of an outcome that a `gate test` case expects: what it records, and its plain
//! text file format (written by [`Snapshot::render`], read by [`Snapshot::parse`]).

use crate::eval::{self, Outcome};

/// The first line of every snapshot file.
const HEADER: &str =
    "# gate test snapshot: the outcome `gate test` expects; review changes, then `gate test --accept`";

/// What a snapshot records of an outcome.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub policy: String,
    /// The date the case is judged as of.
    pub today: Option<time::Date>,
    /// `ready` or `not ready`.
    pub verdict: String,
    /// The score as displayed, `-` when nothing could be scored.
    pub score: String,
    /// The level reached, `-` for none.
    pub level: String,
    pub categories: Vec<CategorySnapshot>,
    pub evidence: Vec<EvidenceSnapshot>,
    /// Waivers with their status (`active`, `expired`, `stale`).
    pub waivers: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategorySnapshot {
    pub name: String,
    /// `2/3 points`, or `no counted gate`.
    pub points: String,
    pub gates: Vec<GateSnapshot>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GateSnapshot {
    pub name: String,
    /// `pass`, `fail`, `unknown`, `n/a`, `waived`.
    pub status: String,
    /// `blocker`, `default` or `advisory`, and `N points` when not 1.
    pub traits: Vec<String>,
    /// For waived and n/a gates: what the expectations gave.
    pub result: Option<String>,
    pub expectations: Vec<ExpectationSnapshot>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpectationSnapshot {
    pub text: String,
    pub status: String,
    pub actual: Option<String>,
    pub need: Option<String>,
    /// Why an unknown expectation is unknown.
    pub why: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvidenceSnapshot {
    pub name: String,
    pub status: String,
    pub format: Option<String>,
    /// Workspace files read.
    pub files: Vec<String>,
}

fn status_word(status: eval::Status) -> &'static str {
    match status {
        eval::Status::Pass => "pass",
        eval::Status::Fail => "fail",
        eval::Status::Unknown => "unknown",
        eval::Status::NotApplicable => "n/a",
        eval::Status::Waived => "waived",
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

impl Snapshot {
    /// The snapshot of an outcome judged as of `today`.
    pub fn of(outcome: &Outcome, today: time::Date) -> Snapshot {
        let categories = outcome
            .categories
            .iter()
            .map(|category| CategorySnapshot {
                name: category.name.clone(),
                points: if category.points_counted > 0.0 {
                    format!(
                        "{}/{} points",
                        number(category.points_passed),
                        number(category.points_counted)
                    )
                } else {
                    "no counted gate".to_string()
                },
                gates: category
                    .gates
                    .iter()
                    .map(|gate| {
                        let mut traits = Vec::new();
                        match gate.severity {
                            crate::syntax::ast::Severity::Blocker => {
                                traits.push("blocker".to_string())
                            }
                            crate::syntax::ast::Severity::Advisory => {
                                traits.push("advisory".to_string())
                            }
                            crate::syntax::ast::Severity::Default => {}
                        }
                        if gate.points != 1.0 {
                            traits.push(format!("{} points", number(gate.points)));
                        }
                        GateSnapshot {
                            name: gate.name.clone(),
                            status: status_word(gate.status).to_string(),
                            traits,
                            result: (gate.status != gate.result)
                                .then(|| status_word(gate.result).to_string()),
                            expectations: gate
                                .expectations
                                .iter()
                                .map(|expectation| ExpectationSnapshot {
                                    text: expectation.text.clone(),
                                    status: status_word(expectation.status).to_string(),
                                    actual: expectation.actual.clone(),
                                    need: expectation.required.clone(),
                                    why: if expectation.status == eval::Status::Unknown {
                                        expectation.reason.clone()
                                    } else {
                                        None
                                    },
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect();
        Snapshot {
            policy: outcome.policy.name.clone(),
            today: Some(today),
            verdict: if outcome.ready { "ready" } else { "not ready" }.to_string(),
            score: outcome
                .score
                .as_ref()
                .map_or_else(|| "-".to_string(), |score| score.display.clone()),
            level: outcome.level.clone().unwrap_or_else(|| "-".to_string()),
            categories,
            evidence: outcome
                .evidence
                .iter()
                .map(|item| EvidenceSnapshot {
                    name: item.name.clone(),
                    status: item.status.clone(),
                    format: item.format.clone(),
                    files: item.files.iter().map(|file| file.path.clone()).collect(),
                })
                .collect(),
            waivers: outcome
                .waivers
                .iter()
                .map(|waiver| (waiver.gate.clone(), waiver.status.clone()))
                .collect(),
        }
    }

    /// `not ready, score 26.25%, level -`
    pub fn headline(&self) -> String {
        format!(
            "{}, score {}, level {}",
            self.verdict, self.score, self.level
        )
    }

    /// The snapshot as text (the `expected.outcome` format).
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(HEADER);
        out.push('\n');
        line(&mut out, 0, &[("policy", Some(&self.policy))]);
        if let Some(today) = self.today {
            line(&mut out, 0, &[("today", Some(&today.to_string()))]);
        }
        line(&mut out, 0, &[("verdict", Some(&self.verdict))]);
        line(&mut out, 0, &[("score", Some(&self.score))]);
        line(&mut out, 0, &[("level", Some(&self.level))]);
        for category in &self.categories {
            out.push('\n');
            line(
                &mut out,
                0,
                &[("category", Some(&category.name)), (&category.points, None)],
            );
            for gate in &category.gates {
                let mut fields: Vec<(&str, Option<&String>)> =
                    vec![("gate", Some(&gate.name)), (&gate.status, None)];
                for traitt in &gate.traits {
                    fields.push((traitt, None));
                }
                if let Some(result) = &gate.result {
                    fields.push(("result", Some(result)));
                }
                line(&mut out, 0, &fields);
                for expectation in &gate.expectations {
                    let mut fields: Vec<(&str, Option<&String>)> = vec![
                        ("expect", Some(&expectation.text)),
                        (&expectation.status, None),
                    ];
                    if let Some(actual) = &expectation.actual {
                        fields.push(("actual", Some(actual)));
                    }
                    if let Some(need) = &expectation.need {
                        fields.push(("need", Some(need)));
                    }
                    if let Some(why) = &expectation.why {
                        fields.push(("why", Some(why)));
                    }
                    line(&mut out, 1, &fields);
                }
            }
        }
        if !self.evidence.is_empty() {
            out.push('\n');
        }
        for item in &self.evidence {
            let mut fields: Vec<(&str, Option<&String>)> =
                vec![("evidence", Some(&item.name)), (&item.status, None)];
            if let Some(format) = &item.format {
                fields.push(("format", Some(format)));
            }
            for file in &item.files {
                fields.push(("file", Some(file)));
            }
            line(&mut out, 0, &fields);
        }
        if !self.waivers.is_empty() {
            out.push('\n');
        }
        for (gate, status) in &self.waivers {
            line(&mut out, 0, &[("waiver", Some(gate)), (status, None)]);
        }
        out
    }

    /// Reads a snapshot written by [`Snapshot::render`] (comments and blank lines ignored).
    pub fn parse(text: &str) -> Result<Snapshot, String> {
        let mut snapshot = Snapshot::default();
        for (number, raw) in text.lines().enumerate() {
            let at = |reason: String| format!("line {}: {reason}", number + 1);
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let fields = split_fields(trimmed).map_err(at)?;
            let Some((key, value)) = fields.first() else {
                continue;
            };
            let value = value.clone().unwrap_or_default();
            let rest = fields.get(1..).unwrap_or_default();
            match key.as_str() {
                "policy" => snapshot.policy = value,
                "today" => {
                    let format = time::macros::format_description!("[year]-[month]-[day]");
                    snapshot.today = Some(
                        time::Date::parse(&value, format)
                            .map_err(|_| at(format!("`{value}` is not a date like 2026-12-31")))?,
                    );
                }
                "verdict" => snapshot.verdict = value,
                "score" => snapshot.score = value,
                "level" => snapshot.level = value,
                "category" => snapshot.categories.push(CategorySnapshot {
                    name: value,
                    points: rest.first().map(joined).unwrap_or_default(),
                    gates: Vec::new(),
                }),
                "gate" => {
                    let Some(category) = snapshot.categories.last_mut() else {
                        return Err(at("a gate before any category".to_string()));
                    };
                    let mut gate = GateSnapshot {
                        name: value,
                        ..GateSnapshot::default()
                    };
                    for (index, (key, value)) in rest.iter().enumerate() {
                        match (index, key.as_str(), value) {
                            (0, status, None) => gate.status = status.to_string(),
                            (_, "result", Some(result)) => gate.result = Some(result.clone()),
                            (_, other, None) => gate.traits.push(other.to_string()),
                            (_, other, Some(value)) => gate.traits.push(format!("{other} {value}")),
                        }
                    }
                    category.gates.push(gate);
                }
                "expect" => {
                    let Some(gate) = snapshot
                        .categories
                        .last_mut()
                        .and_then(|category| category.gates.last_mut())
                    else {
                        return Err(at("an expectation before any gate".to_string()));
                    };
                    let mut expectation = ExpectationSnapshot {
                        text: value,
                        ..ExpectationSnapshot::default()
                    };
                    for (index, (key, value)) in rest.iter().enumerate() {
                        match (index, key.as_str(), value) {
                            (0, status, None) => expectation.status = status.to_string(),
                            (_, "actual", value) => {
                                expectation.actual = Some(value.clone().unwrap_or_default())
                            }
                            (_, "need", value) => {
                                expectation.need = Some(value.clone().unwrap_or_default())
                            }
                            (_, "why", value) => {
                                expectation.why = Some(value.clone().unwrap_or_default())
                            }
                            (_, other, _) => {
                                return Err(at(format!("unexpected `{other}` in an expectation")))
                            }
                        }
                    }
                    gate.expectations.push(expectation);
                }
                "evidence" => {
                    let mut item = EvidenceSnapshot {
                        name: value,
                        ..EvidenceSnapshot::default()
                    };
                    for (index, (key, value)) in rest.iter().enumerate() {
                        match (index, key.as_str(), value) {
                            (0, status, None) => item.status = status.to_string(),
                            (_, "format", Some(format)) => item.format = Some(format.clone()),
                            (_, "file", Some(file)) => item.files.push(file.clone()),
                            (_, other, _) => {
                                return Err(at(format!("unexpected `{other}` in an evidence line")))
                            }
                        }
                    }
                    snapshot.evidence.push(item);
                }
                "waiver" => snapshot
                    .waivers
                    .push((value, rest.first().map(joined).unwrap_or_default())),
                other => return Err(at(format!("unknown line `{other}`"))),
            }
        }
        if snapshot.verdict.is_empty() {
            return Err("has no `verdict` line: is it a gate test snapshot?".to_string());
        }
        Ok(snapshot)
    }
}

/// A field read back as the words it was written as (`0/3 points`).
fn joined((key, value): &(String, Option<String>)) -> String {
    match value {
        Some(value) => format!("{key} {value}"),
        None => key.clone(),
    }
}

/// Appends one line of fields: `key value` pairs, or a bare `key` when the value is `None`.
fn line(out: &mut String, depth: usize, fields: &[(&str, Option<&String>)]) {
    for _ in 0..depth {
        out.push_str("  ");
    }
    let rendered: Vec<String> = fields
        .iter()
        .map(|(key, value)| match value {
            Some(value) => format!("{key} {}", encode(value)),
            None => encode(key),
        })
        .collect();
    out.push_str(&rendered.join("  "));
    out.push('\n');
}

/// A value as written in a snapshot: bare when it reads back unchanged, quoted otherwise.
fn encode(value: &str) -> String {
    let bare = !value.is_empty()
        && !value.starts_with([' ', '"'])
        && !value.ends_with(' ')
        && !value.contains("  ")
        && !value.chars().any(char::is_control);
    if bare {
        value.to_string()
    } else {
        crate::format::string(value)
    }
}

/// Splits a snapshot line into `(key, value)` fields (see [`encode`]).
fn split_fields(line: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut fields = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        // The key: up to a space.
        let key_end = rest.find(' ').unwrap_or(rest.len());
        let (key, after) = rest.split_at(key_end);
        let (key, after) = if key.starts_with('"') {
            let (key, after) = quoted(rest)?;
            (key, after)
        } else {
            (key.to_string(), after)
        };
        if after.is_empty() || after.starts_with("  ") {
            fields.push((key, None));
            rest = after.trim_start();
            continue;
        }
        let after = after.get(1..).unwrap_or_default();
        let (value, after) = if after.starts_with('"') {
            quoted(after)?
        } else {
            let end = after.find("  ").unwrap_or(after.len());
            let (value, after) = after.split_at(end);
            (value.to_string(), after)
        };
        fields.push((key, Some(value)));
        rest = after.trim_start();
    }
    Ok(fields)
}

/// Reads a quoted string with escapes at the start of `text`; returns it and what follows.
fn quoted(text: &str) -> Result<(String, &str), String> {
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return Ok((value, text.get(index + 1..).unwrap_or_default())),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some('r') => value.push('\r'),
                Some('u') => {
                    let mut hex = String::new();
                    for (_, c) in chars.by_ref() {
                        match c {
                            '{' => {}
                            '}' => break,
                            c => hex.push(c),
                        }
                    }
                    let c = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or("a bad `\\u{...}` escape")?;
                    value.push(c);
                }
                Some(c) => value.push(c),
                None => break,
            },
            c => value.push(c),
        }
    }
    Err("a quoted value is not closed".to_string())
}
