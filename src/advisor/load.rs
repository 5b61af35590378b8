//! Loading the rules with the catalog's vocabulary: the one entry point the CLI uses. A rules
//! folder may also hold constraints files (`constraints.yaml`, `constraints-*.yaml`), which
//! add to the catalog's; every constraint's question and outcome ids are checked here, where
//! the rules are known.

use super::rules::{Rules, Vocabulary};
use super::source::rule_sources;
use super::{Diagnostic, Diagnostics, Error};
use crate::catalog::constraint::{Place, is_constraints_file};
use crate::catalog::{Catalog, Constraints};
use crate::diagnostic::Code;
use crate::embedded::Source;
use std::path::Path;

/// The vocabulary of the embedded catalog, known at build time (`build.rs`): rules can be
/// built against it before the catalog is loaded. Equal to [`vocabulary`] of the loaded
/// catalog (tested).
pub fn embedded_vocabulary() -> Vocabulary {
    use crate::embedded::{DATABASE_IDS, PACK_IDS, PATTERN_IDS};
    let owned = |ids: &'static [&'static str]| ids.iter().map(|s| s.to_string());
    Vocabulary {
        patterns: owned(PATTERN_IDS).collect(),
        packs: owned(PACK_IDS).collect(),
        databases: owned(DATABASE_IDS).collect(),
    }
}

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
    finish(read(dir)?, catalog)
}

/// The embedded rules plus `dir`'s files, read and parsed but not yet checked: the half of
/// [`load`] that does not need the catalog.
pub fn read(dir: Option<&Path>) -> Result<Sources, Error> {
    Ok(Sources::new(rule_sources(dir)?))
}

/// Rule and constraints files, the rule trees parsed.
#[derive(Debug)]
pub struct Sources {
    constraints: Vec<Source>,
    trees: super::rules::Read,
}

impl Sources {
    fn new(sources: Vec<Source>) -> Sources {
        let (constraints, trees): (Vec<Source>, Vec<Source>) = sources
            .into_iter()
            .partition(|s| is_constraints_file(&s.path));
        Sources {
            constraints,
            trees: super::rules::Read::new(trees),
        }
    }
}

/// [`load`], reading every embedded file from its YAML rather than its build-time JSON:
/// what `rules check` validates.
pub fn load_yaml(dir: Option<&Path>, catalog: &Catalog) -> Result<Rules, Error> {
    let sources = rule_sources(dir)?.iter().map(Source::uncompiled).collect();
    finish(Sources::new(sources), catalog)
}

/// Checks rule files read by [`read`] against the catalog, and adds their constraints to its.
pub fn finish(sources: Sources, catalog: &Catalog) -> Result<Rules, Error> {
    check(build(sources), catalog)
}

/// Rule trees built by [`build`], not yet checked against the catalog's detectors and
/// constraints.
#[derive(Debug)]
pub struct Built {
    constraints: Vec<Source>,
    rules: Result<Rules, Diagnostics>,
}

/// The first half of [`finish`]: builds the rule trees against the embedded catalog's
/// vocabulary, so it runs while the catalog loads (most of the start-up of `advise`).
pub fn build(sources: Sources) -> Built {
    let Sources { constraints, trees } = sources;
    Built {
        constraints,
        rules: Rules::build(trees, &embedded_vocabulary()),
    }
}

/// The second half of [`finish`]: adds the catalog's and the rule folder's constraints and
/// checks them and the anti-pattern detectors against the rules.
pub fn check(built: Built, catalog: &Catalog) -> Result<Rules, Error> {
    let Built {
        constraints: constraint_sources,
        rules,
    } = built;
    let vocab = vocabulary(catalog);
    let mut constraints = catalog.constraints().clone();
    let mut diags = Vec::new();
    let refs: Vec<&Source> = constraint_sources.iter().collect();
    match catalog.read_constraints(&refs) {
        Ok(c) => constraints.extend(c),
        Err(e) => diags.extend(e.diagnostics),
    }
    let mut rules = match rules {
        Ok(r) => r,
        Err(Diagnostics(mut more)) => {
            more.extend(diags);
            return Err(Error::Rules(Diagnostics(more)));
        }
    };
    let problems =
        rules.condition_problems(catalog.antipatterns().iter().map(|a| &a.detect), &vocab);
    for (a, problems) in catalog.antipatterns().iter().zip(problems) {
        for (bad, help) in problems {
            diags.push(Diagnostic {
                code: Code::UnknownGuardId,
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
    let conditions = constraints.conditions();
    let problems = rules.condition_problems(conditions.iter().map(|c| c.1), vocab);
    for ((owner, _, place), problems) in conditions.into_iter().zip(problems) {
        for (bad, help) in problems {
            let (path, line, column) = at(place, &["when", &bad]);
            diags.push(Diagnostic {
                code: Code::UnknownConstraintId,
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
                code: Code::UnknownConstraintId,
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
                code: Code::UnknownQuestion,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids `build.rs` lists are the loaded catalog's, in the same order.
    #[test]
    fn the_build_time_vocabulary_is_the_catalogs() {
        let catalog = Catalog::get().unwrap();
        let (early, late) = (embedded_vocabulary(), vocabulary(catalog));
        assert_eq!(early.patterns, late.patterns);
        assert_eq!(early.packs, late.packs);
        assert_eq!(early.databases, late.databases);
        assert!(
            early.patterns.len() > 20 && early.packs.len() == 4,
            "{early:?}"
        );
    }

    /// Every embedded rule file has build-time JSON, and it reads into a tree (no file
    /// silently falls back to the slow YAML path).
    #[test]
    fn every_rule_file_reads_from_its_build_time_json() {
        for f in crate::embedded::RULES {
            let json = f
                .compiled
                .unwrap_or_else(|| panic!("{} has no JSON", f.name));
            let read = if is_constraints_file(f.name) {
                serde_json::from_str::<Constraints>(json).err()
            } else {
                serde_json::from_str::<super::super::raw::Tree>(json).err()
            };
            assert!(
                read.is_none(),
                "{}: the JSON does not fit: {read:?}",
                f.name
            );
        }
    }

    /// The build-time JSON is only a faster reading of the YAML: both build the same catalog
    /// and the same rules, to the last field.
    #[test]
    fn the_build_time_json_builds_what_the_yaml_builds() {
        fn same(what: &str, json: String, yaml: String) {
            let differ = json.lines().zip(yaml.lines()).position(|(j, y)| j != y);
            assert!(
                differ.is_none() && json.len() == yaml.len(),
                "{what} differ at line {differ:?} of their debug form"
            );
        }
        let json = Catalog::embedded().unwrap();
        let yaml = Catalog::embedded_yaml().unwrap();
        let parts = |c: &Catalog| {
            format!(
                "{:#?}{:#?}{:#?}{:#?}{:#?}{:#?}",
                c.patterns(),
                c.packs(),
                c.stacks(),
                c.databases(),
                c.antipatterns(),
                c.constraints()
            )
        };
        same("the catalogs", parts(&json), parts(&yaml));
        let from_json = load(None, &json).unwrap();
        let from_yaml = load_yaml(None, &yaml).unwrap();
        same(
            "the rules",
            format!("{from_json:#?}"),
            format!("{from_yaml:#?}"),
        );
    }
}
