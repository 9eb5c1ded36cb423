//! The JSON Schema (draft 2020-12) of the JSON report, generated from the Rust types that
//! serialize it ([`Outcome`](crate::eval::Outcome) and what it holds), so it cannot drift from
//! them. Checked in as `docs/report.schema.json`; a test regenerates it and validates real
//! `gate check --format json` output against it.

use crate::eval::Outcome;

/// The `$id` the schema is published under.
pub const SCHEMA_ID: &str =
    "https://github.com/org/readiness-gate/blob/main/docs/report.schema.json";

/// The schema as a JSON value.
pub fn schema() -> serde_json::Value {
    // The serialize contract: fields the report leaves out when empty are not required.
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Outcome>()
        .to_value();
    if let Some(object) = schema.as_object_mut() {
        object.insert("$id".to_string(), serde_json::Value::from(SCHEMA_ID));
        object.insert(
            "title".to_string(),
            serde_json::Value::from("readiness-gate JSON report"),
        );
        object.insert(
            "description".to_string(),
            serde_json::Value::from(
                "The report of `gate check --format json` (schema_version 1), see docs/report-json.md. A policy that cannot be evaluated gives `{\"verdict\": \"invalid\", \"diagnostics\": [...]}` instead.",
            ),
        );
    }
    schema
}

/// The schema as pretty JSON with a final newline.
pub fn render() -> String {
    serde_json::to_string_pretty(&schema()).unwrap_or_default() + "\n"
}
