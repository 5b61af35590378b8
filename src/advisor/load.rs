//! Loading the rules with the catalog's vocabulary: the one entry point the CLI uses. A rules
//! folder may also hold constraints files (`constraints.yaml`, `constraints-*.yaml`), which
//! add to the catalog's; every constraint's question and outcome ids are checked here, where
//! the rules are known.

use super::rules::{Rules, Vocabulary};
use super::source::rule_sources;
use super::{Diagnostic, Diagnostics, Error};
use crate::catalog::constraint::{Place, is_constraints_file};
use crate::catalog::{Catalog, Constraints};
use crate::embedded::Source;
use std::path::Path;

/// The vocabulary rule files may use, from the catalog.
pub fn vocabulary(catalog: &Catalog) -> Vocabulary {
    Vocabulary {
        patterns: catalog.patterns().iter().map(|p| p.id.clone()).collect(),
        packs: catalog.packs().iter().map(|p| p.id.clone()).collect(),
        databases: catalog.databases().iter().map(|d| d.id.clone()).collect(),
    }
}

/// Loads and validates the embedded rules plus `dir` (adding or overriding trees, adding
/// constraints), and checks the catalog's anti-pattern detectors and every constraint against
/// them. Every problem is reported.
pub fn load(dir: Option<&Path>, catalog: &Catalog) -> Result<Rules, Error> {
    let (constraint_sources, sources): (Vec<Source>, Vec<Source>) = rule_sources(dir)?
        .into_iter()
        .partition(|s| is_constraints_file(&s.path));
    let vocab = vocabulary(catalog);
    let rules = Rules::build(&sources, &vocab);
    let mut constraints = catalog.constraints().clone();
    let mut diags = Vec::new();
    let refs: Vec<&Source> = constraint_sources.iter().collect();
    match catalog.read_constraints(&refs) {
        Ok(c) => constraints.extend(c),
        Err(e) => diags.extend(e.diagnostics.into_iter().map(|d| Diagnostic {
            code: d.code.as_str(),
            message: d.message,
            path: d.path,
            line: d.line,
            column: d.column,
            help: d.help,
        })),
    }
    let mut rules = match rules {
        Ok(r) => r,
        Err(Diagnostics(mut more)) => {
            more.extend(diags);
            return Err(Error::Rules(Diagnostics(more)));
        }
    };
    for a in catalog.antipatterns() {
        for (bad, help) in rules.condition_problems(&a.detect, &vocab) {
            diags.push(Diagnostic {
                code: "unknown-guard-id",
                message: format!("detector `{}` names unknown id `{bad}`", a.id),
                path: "models/antipatterns.yaml".into(),
                line: None,
                column: None,
                help: Some(help),
            });
        }
    }
    check_constraints(&rules, &constraints, &vocab, &mut diags);
    if diags.is_empty() {
        rules.constraints = constraints;
        Ok(rules)
    } else {
        Err(Error::Rules(Diagnostics(diags)))
    }
}

fn at(place: &Place, keys: &[&str]) -> (String, Option<usize>, Option<usize>) {
    let (line, column) = place.locate(keys);
    (place.path.clone(), Some(line), column)
}

/// Question and outcome ids in constraints: conditions may also name the derived figures
/// (`write_rps`, ...), `revisit` only questions.
fn check_constraints(
    rules: &Rules,
    constraints: &Constraints,
    vocab: &Vocabulary,
    diags: &mut Vec<Diagnostic>,
) {
    for (owner, cond, place) in constraints.conditions() {
        for (bad, help) in rules.condition_problems(cond, vocab) {
            let (path, line, column) = at(place, &["when", &bad]);
            diags.push(Diagnostic {
                code: "unknown-constraint-id",
                message: format!("the `when` of constraint `{owner}` names unknown id `{bad}`"),
                path,
                line,
                column,
                help: Some(help),
            });
        }
    }
    for x in &constraints.exclusive {
        if let Some(tree) = &x.prefer
            && rules.tree(tree).is_none()
        {
            let ids: Vec<&str> = rules.trees.iter().map(|t| t.id.as_str()).collect();
            let help = super::diagnostic::did_you_mean(tree, ids.iter().copied())
                .unwrap_or_else(|| format!("tree ids: {}", super::diagnostic::list(&ids)));
            let (path, line, column) = at(&x.place, &["prefer", tree]);
            diags.push(Diagnostic {
                code: "unknown-constraint-id",
                message: format!(
                    "the `prefer` of constraint `{}` names unknown tree `{tree}`",
                    x.id
                ),
                path,
                line,
                column,
                help: Some(help),
            });
        }
    }
    for (owner, ids, place) in constraints.revisits() {
        for id in ids {
            if rules.question(id).is_some() {
                continue;
            }
            let help =
                super::diagnostic::did_you_mean(id, rules.question_ids()).unwrap_or_else(|| {
                    format!(
                        "question ids: {}",
                        super::diagnostic::list(rules.question_ids())
                    )
                });
            let (path, line, column) = at(place, &["revisit", id]);
            diags.push(Diagnostic {
                code: "unknown-question",
                message: format!(
                    "the `revisit` of constraint `{owner}` names unknown question `{id}`"
                ),
                path,
                line,
                column,
                help: Some(help),
            });
        }
    }
}
