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
    match rules.node(node) {
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
        // A fallback outcome, or the `otherwise` of another outcome's premise, is the
        // resolution step's to give; an answer may lead to it too (`caching: none`), but need not.
        let needed: BTreeSet<&str> = tree
            .outcomes
            .iter()
            .filter(|o| !rules.resolution_given(&tree.id, o))
            .map(String::as_str)
            .collect();
        let all: BTreeSet<&str> = tree.outcomes.iter().map(String::as_str).collect();
        assert!(
            needed.is_subset(&reached) && reached.is_subset(&all),
            "tree {}: outcomes not reachable from its start: {:?}",
            tree.id,
            needed.difference(&reached).collect::<Vec<_>>()
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
            let Node::Question(q) = rules.node(node) else { continue };
            let AnswerKind::Number { min, max, .. } = q.answer else { continue };
            if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
                continue;
            }
            let hits = rules.branches(node).iter().filter(|(_, e, _)| e.branch.contains(v)).count();
            prop_assert_eq!(hits, 1, "question {} value {}", id, v);
        }
    }
}

/// Every answer a question accepts, one per branch (a value inside each numeric range).
fn branch_values(rules: &Rules, id: &str) -> Vec<String> {
    let node = rules.question_node(id).unwrap();
    let Node::Question(q) = rules.node(node) else {
        unreachable!()
    };
    rules
        .branches(node)
        .iter()
        .map(|(_, e, _)| match (&e.branch, &q.answer) {
            (Branch::Choice(v), _) => v.clone(),
            (b, AnswerKind::Number { kind, min, .. }) => inside(b, &q.answer, *kind, *min),
            (_, AnswerKind::Choice(_)) => unreachable!(),
        })
        .collect()
}

/// The recommendation for a full answer set, walked over every tree with guards.
fn recommend(answers: &BTreeMap<String, String>) -> tradeoff::design::Design {
    let catalog = Catalog::get().unwrap();
    let rules = load::load(None, catalog).unwrap();
    let packs: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
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
    let w = walk(&rules, &given, &[], &packs, &mut NoPrompt).unwrap();
    tradeoff::design::Design::build(&rules, &w, catalog)
}

/// The invariants of the resolution step on one design: no exclusive pair stands unflagged, no
/// dropped pattern stands, an unmet requirement is flagged, and every `q = v` a pattern's
/// `because` (or a finding) quotes is the answer the walk used.
fn check_invariants(d: &tradeoff::design::Design, what: &str) {
    let catalog = Catalog::get().unwrap();
    let c = catalog.constraints();
    let r = &d.recommendation;
    let standing: BTreeMap<&str, &Vec<String>> = r
        .patterns
        .iter()
        .map(|p| (p.id.as_str(), &p.flags))
        .collect();
    // A stores-only set rules out stores, never patterns: its patterns may stand together.
    for x in c.exclusive.iter().filter(|x| !x.stores_only) {
        let present: Vec<&str> = x
            .patterns
            .iter()
            .map(String::as_str)
            .filter(|p| standing.contains_key(p))
            .collect();
        if present.len() > 1 {
            for p in &present {
                assert!(
                    standing[p].contains(&x.id),
                    "{what}: exclusive {present:?} stand, {p} not flagged by {}",
                    x.id
                );
            }
        }
    }
    for dropped in &r.dropped {
        assert!(
            !standing.contains_key(dropped.id.as_str()),
            "{what}: {} dropped and standing",
            dropped.id
        );
    }
    for req in &c.requires {
        if standing.contains_key(req.pattern.as_str())
            && !req.needs.iter().any(|n| standing.contains_key(n.as_str()))
        {
            assert!(
                standing[req.pattern.as_str()].contains(&req.id),
                "{what}: {} stands without {:?} and is not flagged",
                req.pattern,
                req.needs
            );
        }
    }
    let quoted = regex_lite_pairs;
    for p in &r.patterns {
        for s in &p.path {
            let a = &d.answers[&s.question];
            assert_eq!(
                (&a.answer, a.source),
                (&s.answer, s.source),
                "{what}: {} path",
                p.id
            );
        }
        for (q, v) in quoted(&p.because) {
            if let Some(a) = d.answers.get(&q) {
                assert_eq!(a.answer, v, "{what}: {} because says {q} = {v}", p.id);
            }
        }
    }
    for f in r
        .contradictions
        .iter()
        .chain(&r.limits)
        .chain(&r.antipatterns)
    {
        for s in &f.answers {
            assert_eq!(d.answers[&s.question].answer, s.answer, "{what}: {}", f.id);
        }
    }
}

/// `question = value` pairs quoted in a reason, with ` (default)` marks removed.
fn regex_lite_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in text.split([',', ';', '(', ')']) {
        if let Some((q, v)) = part.split_once(" = ") {
            let q = q.trim().rsplit([' ', ':']).next().unwrap_or("").to_string();
            let v = v.trim().trim_end_matches(" (default)").to_string();
            if !q.is_empty() && !v.is_empty() && !v.contains(' ') {
                out.push((q, v));
            }
        }
    }
    out
}

#[test]
fn every_example_resolves_without_an_unflagged_exclusive_pair() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(root.join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let given = Answers::from_yaml(&text, "example").unwrap();
        let answers = given.given.into_iter().map(|(k, g)| (k, g.text)).collect();
        check_invariants(&recommend(&answers), &path.display().to_string());
        n += 1;
    }
    assert!(n >= 13, "{n} examples");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn random_complete_answer_sets_resolve_without_an_unflagged_exclusive_pair(
        picks in proptest::collection::vec(0usize..64, 64)
    ) {
        let rules = load::load(None, Catalog::get().unwrap()).unwrap();
        let ids: Vec<String> = rules.question_ids().map(str::to_string).collect();
        let answers: BTreeMap<String, String> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let values = branch_values(&rules, id);
                (id.clone(), values[picks[i % picks.len()] % values.len()].clone())
            })
            .collect();
        check_invariants(&recommend(&answers), &format!("{answers:?}"));
    }
}

/// The patterns one tree brings for `answers`: those of the choices and ranges taken, then
/// those of the outcome reached.
fn brings(rules: &Rules, tree: &str, answers: &[(&str, &str)]) -> BTreeSet<String> {
    let given = Answers {
        given: answers
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    Given {
                        text: v.to_string(),
                        origin: AnswerOrigin::Flag,
                    },
                )
            })
            .collect(),
    };
    let w = walk(rules, &given, &[tree.to_string()], &[], &mut NoPrompt).unwrap();
    let tw = w.trees.iter().find(|t| t.tree == tree).unwrap();
    let TreeStatus::Reached { outcome } = &tw.status else {
        panic!("{tree} {answers:?}: {:?}", tw.status)
    };
    let mut out: BTreeSet<String> = tw.steps.iter().flat_map(|s| s.patterns.clone()).collect();
    out.extend(
        rules
            .outcome(tree, outcome)
            .unwrap()
            .patterns
            .iter()
            .cloned(),
    );
    out
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn recovery_objectives_choose_the_aws_strategy_at_each_threshold() {
    let rules = rules();
    let cases: &[(&str, &str, &[&str])] = &[
        // RTO bands: real time < 1m, minutes < 10m, tens of minutes < 1h, hours.
        ("24h", "30s", &["active-active", "multi-region"]),
        ("24h", "59s", &["active-active", "multi-region"]),
        ("24h", "1m", &["warm-standby", "multi-region"]),
        ("24h", "9m", &["warm-standby", "multi-region"]),
        ("24h", "10m", &["pilot-light"]),
        ("24h", "59m", &["pilot-light"]),
        ("24h", "1h", &["backup-restore", "infrastructure-as-code"]),
        ("1h", "4h", &["backup-restore", "infrastructure-as-code"]),
        ("5m", "24h", &["backup-restore", "infrastructure-as-code"]),
        // An RPO under five minutes needs replicated data: at least a pilot light.
        (
            "4m",
            "4h",
            &["pilot-light", "backup-restore", "infrastructure-as-code"],
        ),
        ("15s", "30m", &["pilot-light"]),
        // Zero loss: a second site must hold each write before it is acknowledged.
        ("0s", "30m", &["pilot-light", "consensus"]),
        (
            "0s",
            "0s",
            &["pilot-light", "consensus", "active-active", "multi-region"],
        ),
    ];
    for (rpo, rto, want) in cases {
        assert_eq!(
            brings(&rules, "recovery", &[("rpo", rpo), ("rto", rto)]),
            set(want),
            "rpo {rpo}, rto {rto}"
        );
    }
}

#[test]
fn recovery_defaults_to_backups_and_refuses_a_duration_without_unit() {
    let rules = rules();
    assert_eq!(
        brings(&rules, "recovery", &[]),
        set(&["backup-restore", "infrastructure-as-code"])
    );
    let rto = rules.question("rto").unwrap();
    assert_eq!(rto.default.as_deref(), Some("24h"));
    assert!(check_value(&rto.answer, "4").is_err());
    assert!(check_value(&rto.answer, "4h").is_ok());
}

#[test]
fn realtime_picks_the_push_channel_and_pub_sub_for_shared_streams() {
    let rules = rules();
    let cases: &[(&str, &str, &[&str])] = &[
        ("none", "yes", &[]),
        ("server-push", "no", &["server-sent-events"]),
        ("server-push", "yes", &["server-sent-events", "pub-sub"]),
        ("bidirectional", "no", &["websockets"]),
        ("bidirectional", "yes", &["websockets", "pub-sub"]),
    ];
    for (realtime, shared, want) in cases {
        assert_eq!(
            brings(
                &rules,
                "realtime",
                &[("realtime", realtime), ("shared_stream", shared)]
            ),
            set(want),
            "realtime {realtime}, shared_stream {shared}"
        );
    }
}

#[test]
fn a_mesh_is_recommended_only_for_many_services_in_several_languages() {
    let rules = rules();
    let edge = |n: &str, policy: &str, langs: &str| {
        brings(
            &rules,
            "service-edge",
            &[
                ("edge_clients", "no"),
                ("service_count", n),
                ("uniform_policy", policy),
                ("languages", langs),
                ("sidecar_need", "no"),
            ],
        )
    };
    assert_eq!(edge("1", "yes", "5"), set(&[]));
    assert_eq!(edge("9", "yes", "5"), set(&["service-discovery"]));
    assert_eq!(edge("10", "yes", "1"), set(&["service-discovery"]));
    assert_eq!(
        edge("10", "yes", "2"),
        set(&["service-discovery", "service-mesh"])
    );
    assert_eq!(edge("300", "no", "4"), set(&["service-discovery"]));
}

#[test]
fn new_trees_with_only_defaults_add_no_requirement_beyond_the_baseline() {
    let rules = rules();
    for tree in [
        "realtime",
        "fan-out",
        "service-edge",
        "tenancy",
        "hot-keys",
        "overload",
    ] {
        assert_eq!(brings(&rules, tree, &[]), set(&[]), "{tree}");
    }
    assert_eq!(
        brings(&rules, "tracing", &[]),
        set(&["distributed-tracing"])
    );
    assert_eq!(
        brings(&rules, "release", &[]),
        set(&["rolling-deployment", "infrastructure-as-code"])
    );
}
