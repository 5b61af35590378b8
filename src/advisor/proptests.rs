//! Properties of the advice over random complete answer sets: every question of the loaded
//! rules answered with one of its choices, or for a number with a value near one of its range
//! bounds (where the trees and constraints change their minds).

use super::rules::{AnswerKind, Branch, Rules};
use super::{Answers, load, walk};
use crate::catalog::Catalog;
use crate::design::Design;
use proptest::prelude::*;

/// Every answer each question may take: its choices, or for a number its minimum and values
/// around each range bound and threshold, in the question's kind.
fn values(rules: &Rules) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for id in rules.question_ids() {
        let Some(q) = rules.question(id) else {
            continue;
        };
        let texts = match &q.answer {
            AnswerKind::Choice(cs) => cs.iter().map(|c| c.value.clone()).collect(),
            AnswerKind::Number { kind, min, max } => {
                let mut vs: Vec<f64> = vec![min.unwrap_or(0.0)];
                if let Some(n) = rules.question_node(id) {
                    for (_, e, _) in rules.branches(n) {
                        if let Branch::Range { lower, upper, .. } = &e.branch {
                            for b in lower.iter().chain(upper.iter()) {
                                vs.extend([b.value * 0.5, b.value, b.value * 1.5, b.value * 20.0]);
                            }
                        }
                    }
                }
                // Bounds the constraints test (rates, counts) lie between these.
                vs.extend([10.0, 1e3, 5e4, 3e5, 2e6]);
                vs.retain(|v| v.is_finite() && *v >= min.unwrap_or(0.0));
                if let Some(m) = max {
                    vs.retain(|v| v <= m);
                }
                let mut texts: Vec<String> = Vec::new();
                for v in vs {
                    let t = kind.format(v);
                    if super::answers::check_value(&q.answer, &t).is_ok() && !texts.contains(&t) {
                        texts.push(t);
                    }
                }
                texts
            }
        };
        if !texts.is_empty() {
            out.push((id.to_string(), texts));
        }
    }
    out
}

fn design(rules: &Rules, catalog: &Catalog, picks: &[(String, String)]) -> Design {
    walked_design(rules, catalog, picks).1
}

fn walked_design(
    rules: &Rules,
    catalog: &Catalog,
    picks: &[(String, String)],
) -> (super::walk::Walk, Design) {
    let mut answers = Answers::default();
    let sets: Vec<String> = picks.iter().map(|(q, v)| format!("{q}={v}")).collect();
    answers.set(&sets).unwrap();
    let packs: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
    let walked = walk(rules, &answers, &[], &packs, &mut super::walk::NoPrompt).unwrap();
    let d = Design::build(rules, &walked, catalog);
    (walked, d)
}

/// The state the resolution step ends in, rebuilt from a finished design: the walk's answers
/// with the derived figures, the decisions' (resolved) outcomes, the packs and the patterns
/// that stand.
fn final_state<'r>(rules: &'r Rules, w: &super::walk::Walk, d: &Design) -> super::walk::State<'r> {
    let mut answers: std::collections::BTreeMap<String, (String, Option<f64>)> = w
        .answers
        .iter()
        .map(|(id, s)| (id.clone(), (s.answer.clone(), s.number)))
        .collect();
    for (id, v) in super::figure::figures(&answers) {
        answers.insert(id.to_string(), (v.to_string(), Some(v)));
    }
    let rec = &d.recommendation;
    super::walk::State {
        answers,
        outcomes: rec
            .decisions
            .iter()
            .map(|x| format!("{}.{}", x.tree, x.outcome))
            .collect(),
        packs: rec.packs.iter().cloned().collect(),
        patterns: rec.patterns.iter().map(|p| p.id.clone()).collect(),
        rules: Some(rules),
    }
}

fn answer_sets() -> impl Strategy<Value = Vec<(String, String)>> {
    let catalog = Catalog::get().unwrap();
    let rules = load::load(None, catalog).unwrap();
    let choices = values(&rules);
    let n = choices.len();
    proptest::collection::vec(any::<prop::sample::Index>(), n).prop_map(move |idx| {
        choices
            .iter()
            .zip(idx)
            .map(|((q, vs), i)| (q.clone(), i.get(vs).clone()))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// No decision names a pattern or store that does not stand, the ADR's chosen option is
    /// the decision's (resolved) outcome, and no finding offers an alternative the same
    /// answers exclude.
    #[test]
    fn decisions_and_records_show_what_stands(picks in answer_sets()) {
        let catalog = Catalog::get().unwrap();
        let rules = load::load(None, catalog).unwrap();
        let d = design(&rules, catalog, &picks);
        let rec = &d.recommendation;
        let standing: Vec<&str> = rec.patterns.iter().map(|p| p.id.as_str()).collect();
        for dec in &rec.decisions {
            for p in &dec.patterns {
                prop_assert!(standing.contains(&p.as_str()), "{}: {p} does not stand", dec.tree);
                prop_assert!(!rec.dropped.iter().any(|x| &x.id == p), "{}: {p} dropped", dec.tree);
            }
            for db in &dec.databases {
                prop_assert!(rec.databases.contains(db), "{}: store {db} is no candidate", dec.tree);
            }
            let meta = crate::render::adr::view::Meta::new(1, &dec.title, "proposed", None, &[], "0001-x.md");
            let v = crate::render::adr::view::view(&d, dec, &rules, catalog, meta, "design.yaml");
            prop_assert_eq!(&v.chosen.title, &dec.outcome_title, "{}", dec.tree);
            prop_assert_eq!(v.options.iter().filter(|o| o.chosen).count(), 1);
            if let Some(r) = dec.resolution.as_ref().filter(|_| dec.replaced()) {
                prop_assert!(v.options.iter().any(|o| !o.chosen && o.title == r.walked_title));
            }
        }
        // No alternative a finding offers is one the resolution drops, or one that excludes
        // a standing pattern the finding does not set out to replace.
        let dropped: Vec<&str> = rec.dropped.iter().map(|x| x.id.as_str()).collect();
        for f in rec.contradictions.iter().chain(&rec.limits).chain(&rec.antipatterns) {
            let flagged: Vec<&str> = rules
                .constraints
                .contradictions
                .iter()
                .chain(&rules.constraints.limits)
                .filter(|k| k.id == f.id)
                .flat_map(|k| k.flags.iter().map(String::as_str))
                .chain(f.patterns.iter().map(String::as_str))
                .collect();
            for p in &f.instead {
                prop_assert!(!dropped.contains(&p.as_str()), "{}: instead {p} is dropped", f.id);
                for x in &rules.constraints.exclusive {
                    if !x.patterns.contains(p) {
                        continue;
                    }
                    for other in &x.patterns {
                        prop_assert!(
                            other == p
                                || !standing.contains(&other.as_str())
                                || flagged.contains(&other.as_str()),
                            "{}: instead {p} excludes {other}, which stands", f.id
                        );
                    }
                }
            }
        }
        for c in &rec.database_candidates {
            prop_assert!(!rec.dropped_databases.iter().any(|x| x.id == c.id), "{}", c.id);
        }
    }

    /// The recommendation is sized to the system and every outcome faces the whole answer
    /// set: the packs are those of the higher of the user band and the load band; no decision
    /// stands on an outcome whose premise the answers deny; a note shows only where its
    /// condition holds; no alternative a finding offers stands flagged by another finding; a
    /// quorum is estimated only for a quorum- or consensus-replicated store; no database
    /// candidate settles concurrent writes or replicates another way than a pattern that
    /// stands on given answers.
    #[test]
    fn the_recommendation_faces_every_answer(picks in answer_sets()) {
        let catalog = Catalog::get().unwrap();
        let rules = load::load(None, catalog).unwrap();
        let (w, d) = walked_design(&rules, catalog, &picks);
        let rec = &d.recommendation;
        let state = final_state(&rules, &w, &d);
        let band = |by: &dyn Fn(&crate::catalog::Pack) -> bool| {
            catalog.packs().iter().filter(|p| by(p)).map(|p| p.order).max()
        };
        let users = w.answers.get("users").and_then(|s| s.number);
        let peak = w.answers.get("peak_rps").and_then(|s| s.number);
        let top = band(&|p| users.is_some_and(|u| p.contains(u)))
            .max(band(&|p| peak.is_some_and(|r| p.contains_rps(r))));
        let want: Vec<String> = catalog
            .packs()
            .iter()
            .filter(|p| top.is_some_and(|t| p.order <= t))
            .map(|p| p.id.clone())
            .collect();
        prop_assert_eq!(&rec.packs, &want);
        for dec in &rec.decisions {
            let Some(o) = rules.outcome(&dec.tree, &dec.outcome) else { continue };
            if let Some(premise) = &o.requires {
                prop_assert!(state.eval(&premise.when), "{}.{}: premise denied", dec.tree, dec.outcome);
            }
            if let (Some(_), Some(c)) = (&dec.note, &o.note_when) {
                prop_assert!(state.eval(c), "{}.{}: note shown against its condition", dec.tree, dec.outcome);
            }
        }
        let flagged: Vec<&str> = rec
            .patterns
            .iter()
            .filter(|p| !p.flags.is_empty())
            .map(|p| p.id.as_str())
            .collect();
        for f in rec.contradictions.iter().chain(&rec.limits).chain(&rec.antipatterns) {
            for p in &f.instead {
                let own = f.patterns.contains(p);
                prop_assert!(own || !flagged.contains(&p.as_str()), "{}: instead {p} stands flagged", f.id);
            }
        }
        let standing = |id: &str| rec.patterns.iter().any(|p| p.id == id);
        if d.estimates.contains_key("quorum") {
            prop_assert!(
                standing("leaderless-replication") || standing("quorum") || standing("consensus"),
                "a quorum estimate without a quorum-replicated store"
            );
        }
        let given: Vec<&str> = rec
            .patterns
            .iter()
            .filter(|p| !p.path.is_empty() && p.path.iter().all(|s| s.source != super::path::StepSource::Default))
            .filter(|p| !p.trees.iter().all(|t| t.starts_with("constraint ")))
            .map(|p| p.id.as_str())
            .collect();
        for db in &rec.databases {
            let Some(store) = catalog.database(db) else { continue };
            for x in &rules.constraints.exclusive {
                for mine in store.implements.iter().filter(|p| x.patterns.contains(p)) {
                    for other in x.patterns.iter().filter(|p| *p != mine && !store.implements.contains(p)) {
                        prop_assert!(
                            !given.contains(&other.as_str()),
                            "{db} implements {mine}, yet {other} stands on given answers"
                        );
                    }
                }
            }
        }
    }
}
