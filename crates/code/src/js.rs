//! The imports of one TypeScript/JavaScript file, parsed with `oxc_parser`: `import`, `export ...
//! from`, `require("x")`, `import("x")` with a string literal, and `import x = require("x")`.

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, CallExpression, ExportAllDeclaration, ExportNamedDeclaration, Expression,
    ImportDeclaration, ImportDeclarationSpecifier, ImportExpression, TSImportEqualsDeclaration,
    TSModuleReference,
};
use oxc_ast_visit::{walk, Visit};
use oxc_parser::Parser;
use oxc_span::SourceType;
use std::path::Path;

/// One import as written.
#[derive(Debug, Clone)]
pub struct RawImport {
    pub specifier: String,
    /// Byte offset of the specifier's string literal.
    pub offset: usize,
    /// `import type`, `export type ... from`, or every named specifier `type`: erased at runtime.
    pub type_only: bool,
}

/// The extensions parsed as TypeScript/JavaScript.
pub const EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

/// The imports of a file, or why it could not be parsed.
pub fn extract(path: &Path, text: &str) -> Result<Vec<RawImport>, String> {
    let source_type = SourceType::from_path(path)
        .map_err(|_| "its extension is not TypeScript or JavaScript".to_string())?;
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, text, source_type).parse();
    if parsed.panicked || !parsed.errors.is_empty() {
        let detail = parsed
            .errors
            .first()
            .map(|error| {
                let at = error
                    .labels
                    .as_ref()
                    .and_then(|labels| labels.first())
                    .map(|label| {
                        let (line, column) = crate::line_column(text, label.offset());
                        format!(" at {line}:{column}")
                    })
                    .unwrap_or_default();
                format!("{}{at}", error.message)
            })
            .unwrap_or_else(|| "the parser gave up".to_string());
        return Err(format!("syntax error: {}", crate::one_line(&detail)));
    }
    let mut collector = Collector::default();
    collector.visit_program(&parsed.program);
    Ok(collector.imports)
}

#[derive(Default)]
struct Collector {
    imports: Vec<RawImport>,
}

impl Collector {
    fn push(&mut self, specifier: &str, offset: u32, type_only: bool) {
        self.imports.push(RawImport {
            specifier: specifier.to_string(),
            offset: offset as usize,
            type_only,
        });
    }
}

impl<'a> Visit<'a> for Collector {
    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        let all_named_types = it.specifiers.as_ref().is_some_and(|specifiers| {
            !specifiers.is_empty()
                && specifiers.iter().all(|specifier| {
                    matches!(specifier, ImportDeclarationSpecifier::ImportSpecifier(named) if named.import_kind.is_type())
                })
        });
        self.push(
            &it.source.value,
            it.source.span.start,
            it.import_kind.is_type() || all_named_types,
        );
    }

    fn visit_export_named_declaration(&mut self, it: &ExportNamedDeclaration<'a>) {
        if let Some(source) = &it.source {
            let all_types = !it.specifiers.is_empty()
                && it
                    .specifiers
                    .iter()
                    .all(|specifier| specifier.export_kind.is_type());
            self.push(
                &source.value,
                source.span.start,
                it.export_kind.is_type() || all_types,
            );
        }
        walk::walk_export_named_declaration(self, it);
    }

    fn visit_export_all_declaration(&mut self, it: &ExportAllDeclaration<'a>) {
        self.push(
            &it.source.value,
            it.source.span.start,
            it.export_kind.is_type(),
        );
    }

    fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
        if let Expression::StringLiteral(literal) = &it.source {
            self.push(&literal.value, literal.span.start, false);
        }
        walk::walk_import_expression(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if it.callee.is_specific_id("require") {
            if let [Argument::StringLiteral(literal)] = it.arguments.as_slice() {
                self.push(&literal.value, literal.span.start, false);
            }
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_ts_import_equals_declaration(&mut self, it: &TSImportEqualsDeclaration<'a>) {
        if let TSModuleReference::ExternalModuleReference(reference) = &it.module_reference {
            self.push(
                &reference.expression.value,
                reference.expression.span.start,
                it.import_kind.is_type(),
            );
        }
    }
}
