use super::*;
use crate::advisor::recommendation::{recommend, used_answers};
use crate::advisor::walk::NoPrompt;
use crate::advisor::{Answers, load, walk};
use crate::design::{SCHEMA, generator};

fn rules_and_catalog() -> (Rules, &'static Catalog) {
    let catalog = Catalog::get().unwrap();
    (load::load(None, catalog).unwrap(), catalog)
}

/// The design `tradeoff advise --answers examples/NAME.yaml` writes.
fn design(name: &str) -> Design {
    let (rules, catalog) = rules_and_catalog();
    let path = format!("{}/examples/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let answers = Answers::from_yaml(&text, &path).unwrap();
    let packs: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
    let w = walk(&rules, &answers, &[], &packs, &mut NoPrompt).unwrap();
    Design {
        schema: SCHEMA,
        generator: generator(),
        answers: used_answers(&w),
        recommendation: recommend(&rules, &w, catalog),
        estimates: Default::default(),
        settings: Default::default(),
        rendered: None,
        check: None,
    }
}

fn opts(flavour: Flavour) -> Options {
    Options {
        flavour,
        status: Status::Proposed,
        date: None,
        deciders: Vec::new(),
        source: "design.yaml".into(),
    }
}

fn plan_for(d: &Design, flavour: Flavour, existing: &[Existing]) -> Plan {
    let (rules, catalog) = rules_and_catalog();
    let env = crate::render::env::environment(None).unwrap();
    plan(d, &rules, catalog, &env, &opts(flavour), existing).unwrap()
}

fn existing(plan: &Plan) -> Vec<Existing> {
    plan.artifacts
        .iter()
        .map(|a| Existing {
            file: a.path.display().to_string(),
            text: a.content.clone(),
        })
        .collect()
}

#[test]
fn one_record_per_decision_numbered_after_the_folder() {
    let d = design("startup");
    let folder = vec![
        Existing {
            file: "0003-ours.md".into(),
            text: "# 3. Ours\n\n## Status\n\nAccepted\n".into(),
        },
        Existing {
            file: "0001-first.md".into(),
            text: "# 1. First\n".into(),
        },
    ];
    let p = plan_for(&d, Flavour::Nygard, &folder);
    assert_eq!(p.artifacts.len(), d.recommendation.decisions.len());
    let names: Vec<String> = p
        .artifacts
        .iter()
        .map(|a| a.path.display().to_string())
        .collect();
    assert_eq!(names[0], "0004-service-level-targets.md");
    assert_eq!(names[1], "0005-scale-and-pattern-pack.md");
    let numbers: Vec<u32> = names.iter().filter_map(|n| record::number_of(n)).collect();
    assert_eq!(numbers, (4..4 + names.len() as u32).collect::<Vec<_>>());
    for a in &p.artifacts {
        let r = record::parse(&a.path.display().to_string(), &a.content);
        assert_eq!(r.flavour, Some(Flavour::Nygard));
        assert_eq!(r.status, "proposed");
        assert!(
            a.content.starts_with(&format!("# {}. ", r.number.unwrap())),
            "{}",
            a.content
        );
        assert!(r.decision.is_some());
    }
}

#[test]
fn planning_again_over_its_own_output_keeps_every_file_and_byte() {
    let d = design("uber");
    for flavour in [Flavour::Madr, Flavour::Nygard, Flavour::Log4brains] {
        let first = plan_for(&d, flavour, &[]);
        let mut folder = existing(&first);
        // A record someone else added later must not shift ours.
        folder.push(Existing {
            file: "0099-manual.md".into(),
            text: "# Manual\n\n- Status: accepted\n".into(),
        });
        let second = plan_for(&d, flavour, &folder);
        assert_eq!(first.artifacts, second.artifacts, "{flavour:?}");
        assert!(second.notes.is_empty());
    }
}

#[test]
fn a_changed_outcome_keeps_the_number_and_a_kept_record_is_superseded() {
    let d = design("startup");
    let first = plan_for(&d, Flavour::Madr, &[]);
    let mut changed = d.clone();
    let c = changed
        .recommendation
        .decisions
        .iter_mut()
        .find(|x| x.tree == "consistency")
        .unwrap();
    c.outcome = "eventual".into();
    c.outcome_title = "Eventual consistency".into();
    let mut folder = existing(&first);
    let paths = |p: &Plan| {
        p.artifacts
            .iter()
            .map(|a| a.path.clone())
            .collect::<Vec<_>>()
    };
    // Untouched, the record is rewritten in place: nothing to say.
    let second = plan_for(&changed, Flavour::Madr, &folder);
    assert_eq!(paths(&first), paths(&second));
    assert!(second.notes.is_empty(), "{:?}", second.notes);
    // Accepted (and so edited), it now records an old outcome: a new record supersedes it.
    assert_eq!(folder[3].file, "0004-consistency-model.md");
    folder[3].text = folder[3]
        .text
        .replace("status: proposed", "status: accepted");
    let third = plan_for(&changed, Flavour::Madr, &folder);
    let next = format!("{:04}-consistency-model.md", first.artifacts.len() + 1);
    let mut expected = paths(&first);
    expected[3] = next.clone().into();
    assert_eq!(expected, paths(&third));
    assert_eq!(third.notes.len(), 1, "{:?}", third.notes);
    assert!(
        third.notes[0].contains("supersedes it"),
        "{}",
        third.notes[0]
    );
    assert_eq!(third.edits.len(), 1);
    assert_eq!(
        third.edits[0].path,
        std::path::Path::new("0004-consistency-model.md")
    );
    assert!(third.edits[0].content.contains("status: \"superseded by ["));
    assert!(third.edits[0].content.contains(&format!("({next})")));
    assert!(
        third.artifacts[3]
            .content
            .contains("Supersedes [4. Consistency model")
    );
}

#[test]
fn without_a_date_no_date_is_written_and_with_one_it_is() {
    let d = design("startup");
    let (rules, catalog) = rules_and_catalog();
    let env = crate::render::env::environment(None).unwrap();
    for flavour in [Flavour::Madr, Flavour::Nygard, Flavour::Log4brains] {
        let p = plan(&d, &rules, catalog, &env, &opts(flavour), &[]).unwrap();
        for a in &p.artifacts {
            let dated = a.content.lines().any(|l| {
                let l = l.trim_start_matches("- ").to_lowercase();
                l.starts_with("date:")
            });
            assert!(!dated, "{}", a.content);
            assert_eq!(record::parse("0001-x.md", &a.content).date, None);
        }
        let mut o = opts(flavour);
        o.date = Some("2026-02-03".into());
        o.status = Status::Accepted;
        let p = plan(&d, &rules, catalog, &env, &o, &[]).unwrap();
        let r = record::parse("0001-x.md", &p.artifacts[0].content);
        assert_eq!(r.date.as_deref(), Some("2026-02-03"), "{flavour:?}");
        assert_eq!(r.status, "accepted");
    }
}

#[test]
fn records_start_with_the_line_adr_tools_takes_as_title() {
    let d = design("uber");
    let p = plan_for(&d, Flavour::Nygard, &[]);
    for (a, dec) in p.artifacts.iter().zip(&d.recommendation.decisions) {
        let first = a.content.lines().next().unwrap();
        let n = record::number_of(&a.path.display().to_string()).unwrap();
        assert_eq!(
            first,
            format!("# {n}. {}: {}", dec.title, dec.outcome_title)
        );
        assert_eq!(
            crate::render::write::state(&a.content),
            crate::render::write::State::Pristine
        );
    }
}

#[test]
fn blank_records_carry_title_status_and_links_in_each_flavour() {
    let env = crate::render::env::environment(None).unwrap();
    for flavour in [Flavour::Madr, Flavour::Nygard, Flavour::Log4brains] {
        let b = Blank {
            record: view::Meta::new(
                8,
                "Use sagas: really",
                "accepted",
                Some("2026-02-03".into()),
                &["Ann: lead".into()],
                "0008-use-sagas-really.md",
            ),
            supersedes: Some(Link {
                number: 3,
                title: "Old".into(),
                file: "0003-old.md".into(),
                link: flavour.link(3, "Old", "0003-old.md"),
            }),
        };
        let text = blank(&env, flavour, &b).unwrap();
        let r = record::parse("0008-use-sagas-really.md", &text);
        assert_eq!(r.title, "Use sagas: really", "{text}");
        assert_eq!(r.status, "accepted", "{text}");
        assert_eq!(r.date.as_deref(), Some("2026-02-03"));
        assert_eq!(r.supersedes, vec![3], "{text}");
        assert_eq!(r.flavour, Some(flavour));
        assert!(!text.contains(crate::render::write::MARKER));
        if flavour == Flavour::Madr {
            assert!(
                text.contains("decision-makers:\n  - \"Ann: lead\"\n"),
                "{text}"
            );
        }
    }
}

#[test]
fn every_record_weighs_every_outcome_of_its_tree_and_quotes_its_numbers() {
    let (rules, catalog) = rules_and_catalog();
    let env = crate::render::env::environment(None).unwrap();
    let mut names: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
            .unwrap()
            .filter_map(|e| {
                let p = e.unwrap().path();
                (p.extension()? == "yaml").then(|| p.file_stem()?.to_str().map(String::from))?
            })
            .collect();
    names.sort();
    assert!(names.len() >= 13, "{names:?}");
    for name in names {
        let d = crate::render::fixture::design(&name);
        let p = plan(&d, &rules, catalog, &env, &opts(Flavour::Madr), &[]).unwrap();
        for dec in &d.recommendation.decisions {
            let file = &p.records[&dec.tree];
            let text = &p
                .artifacts
                .iter()
                .find(|a| a.path == std::path::Path::new(file))
                .unwrap()
                .content;
            let tree = rules.tree(&dec.tree).unwrap();
            for id in &tree.outcomes {
                let o = rules.outcome(&dec.tree, id).unwrap();
                // No answer leads to a fallback or a premise's replacement: it is an option
                // only where it stands.
                if rules.resolution_given(&dec.tree, id) && dec.outcome != o.id {
                    continue;
                }
                let title = &o.title;
                assert!(
                    text.contains(title.as_str()),
                    "{name} {}: no option {title}",
                    dec.tree
                );
            }
            for e in crate::render::numbers::estimates_for(&d, &dec.tree) {
                for (_, value) in &e.results {
                    assert!(
                        text.contains(value.as_str()),
                        "{name} {}: {value}",
                        dec.tree
                    );
                }
            }
            let ids = dec.patterns.clone();
            for s in crate::render::numbers::settings_for_decision(&d, dec, &ids) {
                assert!(
                    text.contains(&format!("`{}` | {} |", s.key, s.value)),
                    "{name} {}: {}",
                    dec.tree,
                    s.key
                );
            }
        }
    }
}
