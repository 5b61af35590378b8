//! Loading the rules with the catalog's vocabulary: the one entry point the CLI uses.

use super::rules::{Rules, Vocabulary};
use super::source::rule_sources;
use super::{Diagnostic, Diagnostics, Error};
use crate::catalog::Catalog;
use std::path::Path;

/// The vocabulary rule files may use, from the catalog.
pub fn vocabulary(catalog: &Catalog) -> Vocabulary {
    Vocabulary {
        patterns: catalog.patterns().iter().map(|p| p.id.clone()).collect(),
        packs: catalog.packs().iter().map(|p| p.id.clone()).collect(),
        databases: catalog.databases().iter().map(|d| d.id.clone()).collect(),
    }
}

/// Loads and validates the embedded rules plus `dir` (adding or overriding trees), and checks
/// the catalog's anti-pattern and contradiction detectors against them.
pub fn load(dir: Option<&Path>, catalog: &Catalog) -> Result<Rules, Error> {
    let sources = rule_sources(dir)?;
    let vocab = vocabulary(catalog);
    let rules = Rules::build(&sources, &vocab)?;
    let mut diags = Vec::new();
    let contradictions = super::contradiction::embedded(catalog).map_err(|m| {
        Error::Rules(Diagnostics(vec![Diagnostic {
            code: "parse-error",
            message: m,
            path: "models/contradictions.yaml".into(),
            line: None,
            column: None,
            help: None,
        }]))
    })?;
    let detectors = catalog
        .antipatterns()
        .iter()
        .map(|a| ("antipatterns", &a.id, &a.detect))
        .chain(
            contradictions
                .iter()
                .map(|c| ("contradictions", &c.id, &c.detect)),
        );
    for (file, id, cond) in detectors {
        for (bad, help) in rules.condition_problems(cond, &vocab) {
            diags.push(Diagnostic {
                code: "unknown-guard-id",
                message: format!("detector `{id}` names unknown id `{bad}`"),
                path: format!("models/{file}.yaml"),
                line: None,
                column: None,
                help: Some(help),
            });
        }
    }
    if diags.is_empty() {
        Ok(rules)
    } else {
        Err(Error::Rules(Diagnostics(diags)))
    }
}
