//! Evaluating configuration facts: a JSONPath query over the documents of configuration files
//! (`crate::check::config`). No file, an unreadable file or a syntax error makes the fact
//! unknown, never false; a single-value query (`.number`, `.string`, `.bool`) that selects no
//! value, several values or a value of another type is unknown too, with the reason.

use super::{Computed, Evaluator, Loaded, Trace, Unknown};
use crate::check::config::{ConfigQuery, ConfigResult, ConfigSource};
use crate::value::{Type, Value};
use num_bigint::BigInt;
use num_rational::BigRational;
use readiness_evidence::config::{ConfigFigures, Found};
use readiness_evidence::Figures;

impl Evaluator<'_> {
    pub(super) fn config(&self, query: &ConfigQuery, trace: &mut Trace) -> Computed {
        self.with_documents(&query.source, trace, |config, relatives| {
            let found: Vec<Found<'_>> = config
                .query(&query.path)
                .into_iter()
                .filter(|found| {
                    let text = match found.value {
                        serde_json::Value::String(text) => {
                            std::borrow::Cow::Borrowed(text.as_str())
                        }
                        other => std::borrow::Cow::Owned(other.to_string()),
                    };
                    query
                        .filters
                        .iter()
                        .all(|(must_contain, pattern)| pattern.is_match(&text) == *must_contain)
                })
                .collect();
            match &query.result {
                ConfigResult::Count => Ok(Value::number(found.len() as u64)),
                ConfigResult::Exists => Ok(Value::Bool(!found.is_empty())),
                result => single(query, config, relatives, &found, result),
            }
        })
    }

    /// Runs `judge` on the documents of a config source (an item is read once, through the
    /// evidence cache).
    fn with_documents(
        &self,
        source: &ConfigSource,
        trace: &mut Trace,
        judge: impl FnOnce(&ConfigFigures, &[String]) -> Computed,
    ) -> Computed {
        let not_config = || {
            Unknown(
                "internal error: configuration evidence read as another kind; please report"
                    .to_string(),
            )
        };
        match source {
            ConfigSource::Item(name) => {
                self.used.borrow_mut().insert(name.clone());
                trace.note(name.clone());
                match self.load(name)?.as_ref() {
                    Loaded::Read(evidence) => match &evidence.figures {
                        Figures::Config(config) => {
                            let relatives: Vec<String> = evidence
                                .provenance
                                .iter()
                                .map(|p| p.path.to_string_lossy().replace('\\', "/"))
                                .collect();
                            judge(config, &relatives)
                        }
                        _ => Err(not_config()),
                    },
                    Loaded::Missing(why)
                    | Loaded::Incomplete(why, _)
                    | Loaded::Unreadable(why, _) => Err(Unknown(why.clone())),
                }
            }
            ConfigSource::Files { globs, format } => {
                let files = self.matching(globs, crate::evidence::Scope::Evidence)?;
                if files.is_empty() {
                    return Err(Unknown(format!(
                        "no configuration file matches {}",
                        globs
                            .iter()
                            .map(|glob| format!("`{}`", glob.text))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )));
                }
                for file in files.iter().take(5) {
                    trace.note(file.clone());
                }
                let evidence = self
                    .context
                    .evidence
                    .artifact(&files, Some(*format))
                    .map_err(|error| {
                        let text = error.to_string();
                        let text = match error.path() {
                            Some(path) => relative_of(path, &files)
                                .map(|relative| text.replace(&*path.to_string_lossy(), &relative))
                                .unwrap_or(text),
                            None => text,
                        };
                        Unknown(text)
                    })?;
                match &evidence.figures {
                    Figures::Config(config) => judge(config, &files),
                    _ => Err(not_config()),
                }
            }
        }
    }
}

/// How a file is named in messages: workspace-relative.
fn shown(path: &std::path::Path, relatives: &[String]) -> String {
    relative_of(path, relatives).unwrap_or_else(|| path.to_string_lossy().replace('\\', "/"))
}

fn where_found(found: &Found<'_>, config: &ConfigFigures, relatives: &[String]) -> String {
    let file = shown(found.file, relatives);
    let documents = config
        .documents
        .iter()
        .filter(|document| document.file == found.file)
        .count();
    if documents > 1 {
        format!("`{file}` (document {})", found.index + 1)
    } else {
        format!("`{file}`")
    }
}

/// The one value a `.number` / `.string` / `.bool` query selects.
fn single(
    query: &ConfigQuery,
    config: &ConfigFigures,
    relatives: &[String],
    found: &[Found<'_>],
    result: &ConfigResult,
) -> Computed {
    let path = &query.path_text;
    let value = match found {
        [one] => one,
        [] => {
            return Err(Unknown(format!(
                "`{path}` selects no value in {}",
                files_of(config, relatives)
            )))
        }
        several => {
            return Err(Unknown(format!(
                "`{path}` selects {} values (in {}), but `{}` needs exactly one: narrow the path",
                several.len(),
                several
                    .iter()
                    .take(3)
                    .map(|found| where_found(found, config, relatives))
                    .collect::<Vec<_>>()
                    .join(", "),
                query.describe()
            )))
        }
    };
    let wrong = |expected: &str| {
        let mut shown: String = value.value.to_string().chars().take(60).collect();
        if shown.len() < value.value.to_string().len() {
            shown.push('…');
        }
        Unknown(format!(
            "`{path}` in {} is `{shown}`, not {expected}",
            where_found(value, config, relatives)
        ))
    };
    match (result, value.value) {
        (ConfigResult::String, serde_json::Value::String(text)) => Ok(Value::String(text.clone())),
        (ConfigResult::String, _) => Err(wrong("a string")),
        (ConfigResult::Bool, serde_json::Value::Bool(flag)) => Ok(Value::Bool(*flag)),
        (ConfigResult::Bool, _) => Err(wrong("true or false")),
        (ConfigResult::Number { ty, scale, .. }, serde_json::Value::Number(number)) => {
            number_value(number, *ty, scale).ok_or_else(|| wrong("a finite number"))
        }
        (ConfigResult::Number { .. }, _) => Err(wrong("a number")),
        _ => Err(Unknown(
            "internal error: a count read as a single value; please report".to_string(),
        )),
    }
}

/// A JSON number exactly: integers as they are, floats at their shortest decimal.
fn number_value(number: &serde_json::Number, ty: Type, scale: &BigRational) -> Option<Value> {
    if let Some(integer) = number.as_i64() {
        return Some(Value::Quantity(
            ty,
            BigRational::from_integer(BigInt::from(integer)) * scale,
        ));
    }
    if let Some(integer) = number.as_u64() {
        return Some(Value::Quantity(
            ty,
            BigRational::from_integer(BigInt::from(integer)) * scale,
        ));
    }
    Value::from_float(ty, number.as_f64()?, scale.clone())
}

fn files_of(config: &ConfigFigures, relatives: &[String]) -> String {
    let mut files: Vec<String> = config
        .documents
        .iter()
        .map(|document| format!("`{}`", shown(&document.file, relatives)))
        .collect();
    files.dedup();
    let more = files.len().saturating_sub(3);
    files.truncate(3);
    if more > 0 {
        files.push(format!("{more} more"));
    }
    files.join(", ")
}

/// The workspace-relative name of an artifact path (the readers are given full paths).
fn relative_of(path: &std::path::Path, relatives: &[String]) -> Option<String> {
    relatives
        .iter()
        .find(|relative| path.ends_with(relative.as_str()))
        .cloned()
}
