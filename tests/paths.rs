//! Every path of every tree: each outcome is reachable, each answer set walks to exactly the
//! outcome its path predicts, and numeric ranges partition the number line.

use petgraph::graph::NodeIndex;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use tradeoff::advisor::answers::{AnswerOrigin, check_value};
use tradeoff::advisor::walk::NoPrompt;
use tradeoff::advisor::{
    AnswerKind, Answers, Branch, Given, Kind, Node, Rules, TreeStatus, load, walk,
};
use tradeoff::catalog::Catalog;

fn rules() -> Rules {
    let mut rules = load::load(None, Catalog::get().unwrap()).unwrap();
    // Guards depend on other trees; each tree is walked alone here.
    for t in &mut rules.trees {
        t.when = None;
    }
    rules
}

/// Text a user could type for a base-unit value of `kind`.
fn text(kind: Kind, v: f64) -> String {
    match kind {
        Kind::Duration => format!("{v}s"),
        _ => format!("{v}"),
    }
}

/// A value inside a range branch that the question accepts.
fn inside(b: &Branch, answer: &AnswerKind, kind: Kind, min: Option<f64>) -> String {
    let Branch::Range { lower, upper, .. } = b else {
        unreachable!()
    };
    let eps = |v: f64| (v.abs() * 1e-6).max(1e-9);
    let mut candidates = Vec::new();
    if let Some(l) = lower {
        candidates.push(if l.inclusive {
            l.value
        } else {
            l.value + eps(l.value)
        });
    }
    if let Some(u) = upper {
        candidates.push(if u.inclusive {
            u.value
        } else {
            u.value - eps(u.value)
        });
    }
    candidates.extend([min.unwrap_or(0.0), 1.0, 0.5, 0.999]);
    candidates
        .into_iter()
        .filter(|v| b.contains(*v))
        .map(|v| text(kind, v))
        .find(|t| check_value(answer, t).is_ok())
        .expect("a value inside the range")
}

fn enumerate(
    rules: &Rules,
    node: NodeIndex,
    answers: BTreeMap<String, String>,
    out: &mut Vec<(BTreeMap<String, String>, String)>,
) {
    match &rules.graph[node] {
        Node::Outcome(o) => out.push((answers, o.id.clone())),
        Node::Question(q) => {
            for (_, edge, to) in rules.branches(node) {
                let mut a = answers.clone();
                let value = match (&edge.branch, &q.answer) {
                    (Branch::Choice(v), _) => v.clone(),
                    (b, AnswerKind::Number { kind, min, .. }) => inside(b, &q.answer, *kind, *min),
                    (_, AnswerKind::Choice(_)) => unreachable!(),
                };
                a.insert(q.id.clone(), value);
                enumerate(rules, to, a, out);
            }
        }
    }
}

#[test]
fn every_path_of_every_tree_reaches_its_outcome() {
    let rules = rules();
    let packs: Vec<String> = Catalog::get()
        .unwrap()
        .packs()
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let mut total = 0;
    for tree in &rules.trees {
        let mut paths = Vec::new();
        enumerate(&rules, tree.start, BTreeMap::new(), &mut paths);
        let reached: BTreeSet<&str> = paths
            .iter()
            .filter(|(_, o)| tree.outcomes.contains(o))
            .map(|(_, o)| o.as_str())
            .collect();
        let all: BTreeSet<&str> = tree.outcomes.iter().map(String::as_str).collect();
        assert_eq!(
            reached, all,
            "tree {}: outcomes not reachable from its start",
            tree.id
        );
        for (answers, expected) in &paths {
            let given = Answers {
                given: answers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            Given {
                                text: v.clone(),
                                origin: AnswerOrigin::Flag,
                            },
                        )
                    })
                    .collect(),
            };
            let w = walk(
                &rules,
                &given,
                std::slice::from_ref(&tree.id),
                &packs,
                &mut NoPrompt,
            )
            .unwrap();
            let tw = w.trees.iter().find(|t| t.tree == tree.id).unwrap();
            // A path may cross into another tree's questions; its outcome is then that tree's.
            if tree.outcomes.contains(expected) {
                assert_eq!(
                    tw.status,
                    TreeStatus::Reached {
                        outcome: expected.clone()
                    },
                    "tree {} answers {answers:?}",
                    tree.id
                );
            }
            total += 1;
        }
    }
    assert!(total >= 40, "only {total} paths enumerated");
}

proptest! {
    #[test]
    fn numeric_ranges_partition_every_value(v in 0.0f64..1e13) {
        let rules = rules();
        for id in rules.question_ids() {
            let node = rules.question_node(id).unwrap();
            let Node::Question(q) = &rules.graph[node] else { continue };
            let AnswerKind::Number { min, max, .. } = q.answer else { continue };
            if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
                continue;
            }
            let hits = rules.branches(node).iter().filter(|(_, e, _)| e.branch.contains(v)).count();
            prop_assert_eq!(hits, 1, "question {} value {}", id, v);
        }
    }
}
