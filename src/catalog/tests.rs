//! Tests of the embedded catalog and of the validation of broken catalogs.

use super::*;
use crate::embedded::{Origin, Source};

fn embedded() -> Catalog {
    match Catalog::embedded() {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

/// The contract with rules/ (PATTERN_IDS.md): every id here must exist, in this category.
const CONTRACT: &[(&str, &[&str])] = &[
    (
        "resilience",
        &[
            "circuit-breaker",
            "retry-backoff",
            "bulkhead",
            "timeout",
            "load-shedding",
            "health-check",
            "chaos-engineering",
            "cell-based",
            "multi-region",
        ],
    ),
    (
        "scaling",
        &[
            "rate-limiting",
            "caching",
            "sharding",
            "load-balancing",
            "auto-scaling",
            "distributed-queue",
            "edge-computing",
            "global-load-balancing",
            "custom-protocols",
            "consistent-hashing",
            "hash-sharding",
            "range-sharding",
            "geo-sharding",
            "hot-key-salting",
        ],
    ),
    (
        "data",
        &[
            "cdc",
            "saga",
            "event-sourcing",
            "cqrs",
            "event-streaming",
            "materialized-view",
            "transactional-outbox",
            "idempotency",
            "two-phase-commit",
            "saga-orchestration",
            "saga-choreography",
        ],
    ),
    (
        "consistency",
        &[
            "strong-consistency",
            "eventual-consistency",
            "crdt",
            "vector-clocks",
            "quorum",
            "consensus",
        ],
    ),
    (
        "replication",
        &["leader-follower", "multi-leader", "leaderless-replication"],
    ),
    (
        "caching",
        &["cache-aside", "read-through", "write-through", "write-back"],
    ),
    (
        "communication",
        &[
            "grpc",
            "rest",
            "kafka",
            "rabbitmq",
            "fire-and-forget",
            "pub-sub",
            "websockets",
            "ambassador",
            "api-gateway",
            "service-mesh",
        ],
    ),
    (
        "rate-limiting",
        &[
            "token-bucket",
            "leaky-bucket",
            "fixed-window",
            "sliding-window-log",
            "sliding-window-counter",
            "distributed-rate-limiting",
        ],
    ),
    (
        "coordination",
        &[
            "leader-election",
            "lease",
            "bully-algorithm",
            "fencing-token",
            "distributed-lock",
            "snowflake-ids",
        ],
    ),
    ("failure-detection", &["heartbeat", "phi-accrual", "gossip"]),
    (
        "operations",
        &[
            "distributed-tracing",
            "observability",
            "canary-release",
            "blue-green",
            "feature-flags",
            "strangler-fig",
        ],
    ),
];

#[test]
fn the_embedded_catalog_loads_without_problems() {
    let c = embedded();
    assert!(c.patterns().len() >= 70, "{}", c.patterns().len());
    assert_eq!(c.packs().len(), 4);
    assert_eq!(c.stacks().len(), 4);
    assert!(c.databases().len() >= 6);
    assert_eq!(c.antipatterns().len(), 5);
}

#[test]
fn every_contract_pattern_id_exists_in_its_category() {
    let c = embedded();
    for (category, ids) in CONTRACT {
        for id in *ids {
            let p = c
                .pattern(id)
                .unwrap_or_else(|| panic!("pattern `{id}` is missing"));
            assert_eq!(p.category.as_str(), *category, "category of `{id}`");
        }
    }
}

#[test]
fn packs_hold_the_seed_patterns_in_scale_order() {
    let c = embedded();
    let got: Vec<(&str, Vec<&str>)> = c
        .packs()
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.patterns.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let want = vec![
        (
            "foundation",
            vec![
                "circuit-breaker",
                "retry-backoff",
                "rate-limiting",
                "caching",
            ],
        ),
        (
            "scale",
            vec![
                "sharding",
                "load-balancing",
                "auto-scaling",
                "distributed-queue",
            ],
        ),
        (
            "resilience",
            vec!["multi-region", "cdc", "saga", "chaos-engineering"],
        ),
        (
            "elite",
            vec![
                "cell-based",
                "edge-computing",
                "global-load-balancing",
                "custom-protocols",
            ],
        ),
    ];
    assert_eq!(got, want);
    for pack in c.packs() {
        for id in &pack.patterns {
            assert_eq!(
                c.pattern(id).and_then(|p| p.pack.as_deref()),
                Some(pack.id.as_str())
            );
        }
    }
}

#[test]
fn every_database_id_the_rules_use_exists() {
    // The contract with rules/database.yaml (DATABASE_IDS.md).
    let c = embedded();
    for id in [
        "postgresql",
        "mysql",
        "spanner",
        "cockroachdb",
        "yugabytedb",
        "tidb",
        "mongodb",
        "hbase",
        "bigtable",
        "redis-cluster",
        "dynamodb",
        "cassandra",
        "cosmos-db",
        "couchdb",
        "timescaledb",
        "clickhouse",
        "opensearch",
        "amazon-s3",
    ] {
        assert!(c.database(id).is_some(), "database `{id}` is missing");
    }
    let cap = |id: &str| c.database(id).map(|d| (d.cap, d.pacelc));
    assert_eq!(cap("cassandra"), Some((Cap::Ap, Pacelc::PaEl)));
    assert_eq!(cap("spanner"), Some((Cap::Cp, Pacelc::PcEc)));
    assert_eq!(cap("postgresql"), Some((Cap::Ca, Pacelc::PcEc)));
    assert!(c.database("dynamodb").is_some_and(|d| d.tunable));
}

#[test]
fn every_stack_and_antipattern_reference_resolves() {
    let c = embedded();
    for s in c.stacks() {
        let steps = s.journey.iter().flat_map(|j| j.patterns.iter());
        for id in s.patterns.iter().chain(&s.combination).chain(steps) {
            assert!(c.pattern(id).is_some(), "stack {} uses unknown {id}", s.id);
        }
        assert_eq!(s.combination.len(), 4, "stack {}", s.id);
    }
    for a in c.antipatterns() {
        for id in &a.instead {
            assert!(c.pattern(id).is_some(), "anti-pattern {} names {id}", a.id);
        }
    }
    for p in c.patterns() {
        assert!(!p.related.contains(&p.id), "{} relates to itself", p.id);
    }
}

#[test]
fn checklist_steps_follow_the_seed() {
    let c = embedded();
    let step = |id: &str| c.pattern(id).and_then(|p| p.checklist);
    for id in [
        "circuit-breaker",
        "retry-backoff",
        "rate-limiting",
        "caching",
    ] {
        assert_eq!(step(id), Some(Checklist::Week1), "{id}");
    }
    for id in [
        "sharding",
        "load-balancing",
        "auto-scaling",
        "distributed-tracing",
    ] {
        assert_eq!(step(id), Some(Checklist::Month1), "{id}");
    }
    for id in ["multi-region", "saga", "chaos-engineering", "cdc"] {
        assert_eq!(step(id), Some(Checklist::Quarter1), "{id}");
    }
    assert_eq!(
        c.patterns()
            .iter()
            .filter(|p| p.checklist.is_some())
            .count(),
        12
    );
}

#[test]
fn the_seed_benchmark_figures_are_kept() {
    let c = embedded();
    let t = |id: &str| c.pattern(id).map(|p| p.tradeoffs.clone());
    let cb = t("circuit-breaker").unwrap();
    assert!(cb.latency.contains("< 1 ms"), "{}", cb.latency);
    let mesh = t("service-mesh").unwrap();
    assert!(mesh.latency.contains("1-2 ms") && mesh.throughput.contains("5-10 %"));
    assert!(t("sharding").unwrap().throughput.contains("10-100x"));
    assert!(t("caching").unwrap().latency.contains("10-100x faster"));
    assert_eq!(t("multi-region").unwrap().complexity, Complexity::VeryHigh);
    assert_eq!(t("saga").unwrap().complexity, Complexity::High);
    assert_eq!(t("cdc").unwrap().complexity, Complexity::Medium);
}

#[test]
fn every_category_has_patterns() {
    assert_eq!(embedded().categories(), Category::ALL.to_vec());
}

#[test]
fn users_pick_the_pack_band_with_exclusive_upper_bounds() {
    let c = embedded();
    let at = |n: f64| c.pack_for_users(n).map(|p| p.id.as_str());
    assert_eq!(at(0.0), Some("foundation"));
    assert_eq!(at(999_999.0), Some("foundation"));
    assert_eq!(at(1_000_000.0), Some("scale"));
    assert_eq!(at(9_999_999.0), Some("scale"));
    assert_eq!(at(10_000_000.0), Some("resilience"));
    assert_eq!(at(100_000_000.0), Some("elite"));
    assert_eq!(at(5e9), Some("elite"));
    let ids: Vec<&str> = c
        .cumulative("resilience")
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(ids, ["foundation", "scale", "resilience"]);
    assert!(c.cumulative("nope").is_empty());
}

#[test]
fn suggests_the_closest_pattern_id() {
    let c = embedded();
    assert_eq!(
        c.suggest("circuit-breakr").as_deref(),
        Some("circuit-breaker")
    );
    assert_eq!(c.suggest("retry").as_deref(), Some("retry-backoff"));
    assert_eq!(c.suggest("shardng").as_deref(), Some("sharding"));
    assert_eq!(c.suggest("Kafka").as_deref(), Some("kafka"));
    assert_eq!(c.suggest("zzzzqqq"), None);
    assert_eq!(c.suggest(""), None);
}

#[test]
fn the_cached_catalog_is_loaded_once() {
    let a = Catalog::get().unwrap();
    let b = Catalog::get().unwrap();
    assert!(std::ptr::eq(a, b));
}

#[test]
fn antipattern_conditions_round_trip_through_yaml() {
    let c = embedded();
    for a in c.antipatterns() {
        let text = crate::yaml::to_string(a);
        assert!(!text.contains('!'), "tagged enum form in:\n{text}");
        let back: Antipattern = crate::yaml::from_str(&text, "x.yaml").unwrap();
        assert_eq!(&back, a);
    }
    let sync = c.antipattern("synchronous-chains").unwrap();
    let json = serde_json::to_value(sync).unwrap();
    assert!(json["detect"]["all"].is_array(), "{json}");
}

// ---------------------------------------------------------------- broken catalogs

const PATTERNS: &str = "\
patterns:
  - id: alpha
    name: Alpha
    category: resilience
    pack: base
    summary: First.
    when: Always.
    avoid_when: Never.
    tradeoffs: { latency: none, throughput: none, cost: low, complexity: low }
    pros: [a]
    cons: [b]
    related: [beta]
  - id: beta
    name: Beta
    category: scaling
    summary: Second.
    when: Always.
    avoid_when: Never.
    tradeoffs: { latency: none, throughput: none, cost: low, complexity: low }
    pros: [a]
    cons: [b]
    related: [alpha]
    tunables: [max_things]
";

const PACKS: &str = "\
packs:
  - id: base
    name: Base
    order: 1
    users_from: \"0\"
    summary: Everything.
    patterns: [alpha]
";

const STACKS: &str = "\
stacks:
  - id: acme
    name: Acme
    summary: A stack.
    journey:
      - { step: Base, pack: base }
      - { step: Beta, patterns: [beta] }
    combination: [alpha]
    patterns: [alpha, beta]
    highlights: [big]
";

const DATABASES: &str = "\
databases:
  - id: somedb
    name: SomeDB
    cap: CP
    pacelc: PC/EC
    consistency: strong
    data_model: relational
    best_for: [things]
    notes: Fine.
";

const ANTIPATTERNS: &str = "\
antipatterns:
  - id: bad-habit
    name: Bad habit
    why: It hurts.
    instead: [alpha]
    detect:
      all:
        - pattern: beta
        - answer: { id: x, is: \"yes\" }
";

fn sources(replace: &[(&str, &str)]) -> Vec<Source> {
    [
        ("patterns", PATTERNS),
        ("packs", PACKS),
        ("stacks", STACKS),
        ("databases", DATABASES),
        ("antipatterns", ANTIPATTERNS),
    ]
    .iter()
    .map(|(stem, text)| {
        let text = replace
            .iter()
            .fold(text.to_string(), |t, (from, to)| t.replacen(from, to, 1));
        Source {
            path: format!("models/{stem}.yaml"),
            origin: Origin::Embedded,
            text: text.into(),
            compiled: None,
        }
    })
    .collect()
}

fn problems(replace: &[(&str, &str)]) -> Error {
    match Catalog::from_sources(&sources(replace)) {
        Ok(_) => panic!("the broken catalog was accepted"),
        Err(e) => e,
    }
}

fn only(e: &Error) -> &Diagnostic {
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    &e.diagnostics[0]
}

#[test]
fn the_small_fixture_catalog_is_valid() {
    let c = Catalog::from_sources(&sources(&[])).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.patterns().len(), 2);
    assert_eq!(
        c.pack("base").map(|p| p.band()).as_deref(),
        Some("0+ users")
    );
}

#[test]
fn rejects_an_unknown_related_pattern_with_its_line_and_a_suggestion() {
    let e = problems(&[("related: [beta]", "related: [betta]")]);
    let d = only(&e);
    assert_eq!(d.code, Code::UnknownPattern);
    assert_eq!(d.path, "models/patterns.yaml");
    assert_eq!((d.line, d.column), (Some(12), Some(15)));
    assert_eq!(d.help.as_deref(), Some("did you mean `beta`?"));
    assert!(
        e.to_string().contains(
            "error[unknown-pattern]: `related` of pattern `alpha` names unknown pattern `betta`\n  --> models/patterns.yaml:12:15"
        ),
        "{e}"
    );
}

#[test]
fn lists_the_known_ids_when_nothing_is_close() {
    let e = problems(&[("instead: [alpha]", "instead: [zzzz]")]);
    let d = only(&e);
    assert_eq!(d.code, Code::UnknownPattern);
    assert_eq!(d.line, Some(5));
    assert_eq!(d.help.as_deref(), Some("known pattern ids: alpha, beta"));
}

#[test]
fn rejects_a_duplicate_pattern_id_at_the_second_definition() {
    let e = problems(&[("id: beta", "id: alpha")]);
    let dup: Vec<_> = e
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DuplicateId)
        .collect();
    assert_eq!(dup.len(), 1, "{e}");
    assert_eq!(dup[0].line, Some(13));
    assert!(
        dup[0]
            .help
            .as_deref()
            .unwrap()
            .contains("models/patterns.yaml:2")
    );
}

#[test]
fn rejects_an_unknown_pack_and_a_pack_membership_mismatch() {
    let e = problems(&[("    pack: base\n", "    pack: bass\n")]);
    let codes: Vec<(Code, Option<usize>)> =
        e.diagnostics.iter().map(|d| (d.code, d.line)).collect();
    // The pattern names a missing pack, pack `base` lists a pattern that disowns it, and
    // the stack's journey step still names the real pack, which is fine.
    assert_eq!(
        codes,
        [(Code::UnknownPack, Some(5)), (Code::PackMismatch, Some(7))],
        "{e}"
    );
    assert_eq!(
        e.diagnostics[0].help.as_deref(),
        Some("did you mean `base`?")
    );
}

#[test]
fn rejects_a_pattern_that_claims_a_pack_which_does_not_list_it() {
    let e = problems(&[("patterns: [alpha]", "patterns: []")]);
    let d = only(&e);
    assert_eq!(d.code, Code::PackMismatch);
    assert_eq!((d.path.as_str(), d.line), ("models/patterns.yaml", Some(5)));
}

#[test]
fn collects_problems_from_every_file_at_once() {
    let e = problems(&[
        ("related: [alpha]", "related: [gamma]"),
        ("combination: [alpha]", "combination: [delta]"),
        ("- pattern: beta", "- pattern: epsilon"),
        ("id: somedb", "id: Some_DB"),
        ("{ step: Base, pack: base }", "{ step: Base }"),
    ]);
    let got: Vec<(&str, Code)> = e
        .diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.code))
        .collect();
    assert_eq!(
        got,
        [
            ("models/patterns.yaml", Code::UnknownPattern),
            ("models/stacks.yaml", Code::EmptyStep),
            ("models/stacks.yaml", Code::UnknownPattern),
            ("models/databases.yaml", Code::InvalidId),
            ("models/antipatterns.yaml", Code::UnknownPattern),
        ],
        "{e}"
    );
}

#[test]
fn reports_a_yaml_shape_error_with_its_line_and_still_checks_the_other_files() {
    let e = problems(&[
        (
            "    cons: [b]\n    related: [alpha]",
            "    cons: [b]\n    colour: red",
        ),
        ("instead: [alpha]", "instead: [nope]"),
        ("id: somedb", "id: some--db"),
    ]);
    assert_eq!(e.diagnostics.len(), 2, "{e}");
    let syntax = &e.diagnostics[0];
    assert_eq!(syntax.code, Code::Syntax);
    assert_eq!(syntax.line, Some(22));
    assert!(syntax.message.contains("colour"), "{}", syntax.message);
    // References into the broken file (`instead: [nope]`) are not checked; other files'
    // own problems still are.
    assert_eq!(e.diagnostics[1].code, Code::InvalidId);
    assert_eq!(e.diagnostics[1].path, "models/databases.yaml");
}

#[test]
fn rejects_a_missing_file() {
    let mut s = sources(&[]);
    s.retain(|s| !s.path.ends_with("stacks.yaml"));
    let e = Catalog::from_sources(&s).unwrap_err();
    let d = only(&e);
    assert_eq!(d.code, Code::MissingFile);
    assert_eq!(d.path, "models/stacks.yaml");
}

#[test]
fn rejects_badly_cased_tunables_and_malformed_conditions() {
    let e = problems(&[
        ("tunables: [max_things]", "tunables: [maxThings]"),
        (
            "{ id: x, is: \"yes\" }",
            "{ id: x, is: \"yes\", below: \"3\" }",
        ),
    ]);
    let got: Vec<(Code, Option<usize>)> = e.diagnostics.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        got,
        [
            (Code::InvalidId, Some(23)),
            (Code::InvalidCondition, Some(9))
        ],
        "{e}"
    );
}

#[test]
fn rejects_pack_bands_with_a_gap() {
    let packs = "\
packs:
  - id: base
    name: Base
    order: 1
    users_from: \"0\"
    users_below: 1M
    summary: Small.
    patterns: [alpha]
  - id: big
    name: Big
    order: 3
    users_from: 2M
    summary: Large.
    patterns: []
";
    let mut s = sources(&[]);
    s[1].text = packs.to_string().into();
    let e = Catalog::from_sources(&s).unwrap_err();
    let got: Vec<(Code, Option<usize>)> = e.diagnostics.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        got,
        [(Code::PackRange, Some(6)), (Code::PackRange, Some(11))],
        "{e}"
    );
}

#[test]
fn rejects_a_detector_naming_an_unknown_pack_or_a_bare_outcome() {
    let e = problems(&[
        ("- pattern: beta", "- pack: bsae"),
        ("- answer: { id: x, is: \"yes\" }", "- outcome: sharding"),
    ]);
    let got: Vec<(Code, Option<usize>)> = e.diagnostics.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        got,
        [
            (Code::UnknownPack, Some(8)),
            (Code::InvalidCondition, Some(9))
        ],
        "{e}"
    );
    assert_eq!(
        e.diagnostics[0].help.as_deref(),
        Some("did you mean `base`?")
    );
}
