//! The starter service (`render --scaffold DIR`): a standalone Rust crate whose
//! `config/service.yaml` holds every setting of the design, each with the answer or estimate
//! it came from, and whose code wires the patterns those settings tune. Its front follows the
//! communication decision ([`Shape`]): an axum or tonic server, or a broker consumer; it
//! exports the SLI series ([`Sli`]) the design's alert rules select, and ships deploy files.
//!
//! Every template under `templates/scaffold/` whose name ends in `.jinja` becomes one file:
//! the path without the `scaffold/` prefix and the `.jinja` suffix (`scaffold/src/lib.rs.jinja`
//! → `src/lib.rs`). Templates whose file name starts with `_` are partials; a template that
//! renders to blank text is not written (that is how optional modules drop out). The suffix
//! keeps a nested `Cargo.toml` from making `templates/scaffold` a package of its own.
//!
//! The settings are checked here only for shape (a whole number where the code needs one, a
//! known jitter mode, a usable key name); their ranges are checked by the generated crate's
//! `config.rs` when it loads the file, which its tests do.

pub use super::service::{BUCKETS, Shape, Sli, latency_sensitive, latency_target};
use super::service::{one_line, package};
use super::write::{Artifact, Comment, stamp};
use crate::design::{Design, Setting, Value};
use minijinja::Environment;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The prefix of scaffold templates in the environment.
const PREFIX: &str = "scaffold/";
/// The suffix every rendered scaffold template carries.
const SUFFIX: &str = ".jinja";

/// Why the scaffold could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Settings missing or of the wrong shape; every problem is listed.
    #[error(
        "{design}: cannot scaffold from these settings:\n{}\nhelp: `tradeoff advise --out {design}` writes every setting the scaffold needs",
        problems.iter().map(|p| format!("  settings.{p}")).collect::<Vec<_>>().join("\n")
    )]
    Settings {
        design: String,
        problems: Vec<String>,
    },
    /// A template failed (names the template and line).
    #[error("scaffold template error: {0:#}")]
    Template(#[from] minijinja::Error),
    /// The alert rules the scaffold ships could not be rendered.
    #[error("cannot render the scaffold's alert rules: {0}")]
    Alerts(String),
}

/// How the generated code types and checks a known setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A whole number of at least 1 (`u32`).
    Count,
    /// Bytes, a whole number of at least 1 (`u64`).
    Bytes,
    /// Seconds above 0.
    Seconds,
    /// Seconds, 0 allowed.
    SecondsOrZero,
    /// Per second, above 0.
    Rate,
    /// Strictly between 0 and 1.
    Fraction,
    /// `none`, `full`, `equal` or `decorrelated`.
    Jitter,
    /// From 0 to 1, both included (a probability).
    Probability,
    /// A socket address, `host:port`.
    Address,
    /// Free text.
    Text,
    /// `json` or `text`.
    LogFormat,
    /// Empty (off), or an `http://` or `https://` URL.
    HttpUrlOrOff,
    /// `memory`, or `redis` where the scaffold has the Redis backend.
    CacheBackend,
    /// A URL the `redis` crate accepts (`redis://host:port`).
    RedisUrl,
    /// A `postgres://` or `postgresql://` URL (sqlx).
    PostgresUrl,
}

impl Kind {
    /// The Rust type and the `Checks` method of the generated `config.rs` ("" for none).
    fn rust(self) -> (&'static str, &'static str) {
        match self {
            Kind::Count => ("u32", "at_least_one"),
            Kind::Bytes => ("u64", "at_least_one"),
            Kind::Seconds => ("f64", "seconds"),
            Kind::Rate => ("f64", "rate"),
            Kind::SecondsOrZero => ("f64", "seconds_or_zero"),
            Kind::Fraction => ("f64", "fraction"),
            Kind::Jitter => ("Jitter", ""),
            Kind::Probability => ("f64", "probability"),
            Kind::Address => ("String", "address"),
            Kind::Text => ("String", ""),
            Kind::LogFormat => ("String", "log_format"),
            Kind::HttpUrlOrOff => ("String", "http_url_or_off"),
            Kind::CacheBackend => ("String", "cache_backend"),
            Kind::RedisUrl => ("String", "redis_url"),
            Kind::PostgresUrl => ("String", "postgres_url"),
        }
    }
}

/// The jitter modes the generated retry code implements.
const JITTERS: &[&str] = &["none", "full", "equal", "decorrelated"];

/// A section the generated code knows.
struct KnownSection {
    name: &'static str,
    /// Every design has it (SETTINGS.md's core sections).
    core: bool,
    /// The pattern it tunes, for the README.
    pattern: Option<&'static str>,
    doc: &'static str,
    keys: &'static [(&'static str, Kind, &'static str)],
}

/// The settings the scaffold wires, in the order `config/service.yaml` lists them.
const KNOWN: &[KnownSection] = &[
    KnownSection {
        name: "slo",
        core: true,
        pattern: None,
        doc: "The availability objective the error budget is measured against.",
        keys: &[
            (
                "availability_target",
                Kind::Fraction,
                "Share of requests that must succeed (0.999 = 99.9 %).",
            ),
            (
                "latency_target_s",
                Kind::Seconds,
                "A request slower than this counts against the latency objective, seconds.",
            ),
        ],
    },
    KnownSection {
        name: "service",
        core: true,
        pattern: Some("timeout"),
        doc: "The request path and the process.",
        keys: &[
            (
                "request_timeout_s",
                Kind::Seconds,
                "Deadline of a whole request, retries included, seconds.",
            ),
            (
                "replicas",
                Kind::Count,
                "Replicas of the service at least (the HPA's floor), in one region; one fewer still carries the peak under the per-replica rate limit.",
            ),
            (
                "listen",
                Kind::Address,
                "Address the service front listens on (host:port).",
            ),
            (
                "admin_listen",
                Kind::Address,
                "Address of /healthz, /readyz and /metrics (host:port).",
            ),
            (
                "drain_delay_s",
                Kind::SecondsOrZero,
                "Time /readyz answers 503 after SIGTERM before the listener closes, seconds.",
            ),
            (
                "shutdown_grace_s",
                Kind::Seconds,
                "Time allowed to drain in-flight work once the listener closed, seconds.",
            ),
        ],
    },
    KnownSection {
        name: "chaos",
        core: false,
        pattern: Some("chaos-engineering"),
        doc: "Fault injection in front of the dependency (off at 0).",
        keys: &[
            (
                "error_rate",
                Kind::Probability,
                "Share of dependency calls that fail on purpose (0 to 1).",
            ),
            (
                "added_latency_s",
                Kind::SecondsOrZero,
                "Delay added to every dependency call, seconds.",
            ),
        ],
    },
    KnownSection {
        name: "telemetry",
        core: false,
        pattern: None,
        doc: "Logs and traces.",
        keys: &[
            (
                "log_format",
                Kind::LogFormat,
                "`json` (one object a line) or `text`.",
            ),
            (
                "otlp_endpoint",
                Kind::HttpUrlOrOff,
                "An OpenTelemetry collector's OTLP/HTTP base URL that spans are exported to; empty for none.",
            ),
        ],
    },
    KnownSection {
        name: "broker",
        core: false,
        pattern: None,
        doc: "The message broker the consumer reads from.",
        keys: &[
            ("url", Kind::Text, "Where the broker listens."),
            (
                "source",
                Kind::Text,
                "The queue, topic or subject consumed (and published to by `publish`).",
            ),
        ],
    },
    KnownSection {
        name: "database",
        core: false,
        pattern: None,
        doc: "The store the design chose, which the items live in.",
        keys: &[
            (
                "url",
                Kind::PostgresUrl,
                "Where the database listens (`postgres://USER:PASSWORD@HOST:5432/DATABASE`); set APP__DATABASE__URL rather than writing a password here.",
            ),
            (
                "max_connections",
                Kind::Count,
                "Connections one replica keeps open to the database at most.",
            ),
        ],
    },
    KnownSection {
        name: "idempotency",
        core: false,
        pattern: Some("idempotency"),
        doc: "The idempotency-key store.",
        keys: &[
            (
                "key_ttl_s",
                Kind::Seconds,
                "How long a key's result is remembered, seconds.",
            ),
            (
                "max_bytes",
                Kind::Bytes,
                "Memory the keys and results may take in this replica, bytes; the oldest go first past it.",
            ),
        ],
    },
    KnownSection {
        name: "retry",
        core: true,
        pattern: Some("retry-backoff"),
        doc: "Retries of the dependency call.",
        keys: &[
            (
                "max_attempts",
                Kind::Count,
                "Tries in all, the first included.",
            ),
            (
                "base_delay_s",
                Kind::SecondsOrZero,
                "Delay before the first retry, seconds.",
            ),
            (
                "max_delay_s",
                Kind::SecondsOrZero,
                "Cap on any one delay, seconds.",
            ),
            ("jitter", Kind::Jitter, "How each delay is randomised."),
            (
                "per_try_timeout_s",
                Kind::Seconds,
                "Deadline of one attempt, seconds: a hung attempt is cut and retried.",
            ),
            (
                "budget_ratio",
                Kind::Probability,
                "Retries allowed per request, on average (0.1: one retry per ten requests, plus a reserve of ten).",
            ),
        ],
    },
    KnownSection {
        name: "circuit_breaker",
        core: true,
        pattern: Some("circuit-breaker"),
        doc: "The breaker in front of the dependency.",
        keys: &[
            (
                "failure_threshold",
                Kind::Count,
                "Consecutive failures that open the breaker.",
            ),
            (
                "open_timeout_s",
                Kind::Seconds,
                "How long the breaker stays open before trial calls, seconds.",
            ),
            (
                "half_open_max_calls",
                Kind::Count,
                "Trial calls let through while half-open.",
            ),
        ],
    },
    KnownSection {
        name: "rate_limit",
        core: true,
        pattern: Some("rate-limiting"),
        doc: "Token-bucket admission.",
        keys: &[
            (
                "per_node_rate_per_s",
                Kind::Rate,
                "One replica's sustained rate, per second.",
            ),
            (
                "per_node_burst",
                Kind::Count,
                "One replica's burst, requests.",
            ),
        ],
    },
    KnownSection {
        name: "bulkhead",
        core: true,
        pattern: Some("bulkhead"),
        doc: "The cap on requests in flight in this replica.",
        keys: &[
            (
                "max_concurrent",
                Kind::Count,
                "Requests in flight in one replica at once.",
            ),
            (
                "max_wait_s",
                Kind::SecondsOrZero,
                "Longest a request waits for a free slot before it is shed (503), seconds; 0 sheds at once.",
            ),
        ],
    },
    KnownSection {
        name: "queue",
        core: true,
        pattern: None,
        doc: "The worker pool.",
        keys: &[
            (
                "workers",
                Kind::Count,
                "Messages one replica handles at once (and its prefetch).",
            ),
            (
                "service_time_s",
                Kind::Seconds,
                "Expected time to serve one request, seconds.",
            ),
        ],
    },
    KnownSection {
        name: "sharding",
        core: false,
        pattern: Some("sharding"),
        doc: "How keys are spread over shards.",
        keys: &[(
            "shard_count",
            Kind::Count,
            "Shards the keys are spread over.",
        )],
    },
    KnownSection {
        name: "quorum",
        core: false,
        pattern: Some("quorum"),
        doc: "Replica quorums.",
        keys: &[
            ("n", Kind::Count, "Replicas of each item."),
            ("w", Kind::Count, "Acknowledgements a write waits for."),
            ("r", Kind::Count, "Replies a read waits for."),
        ],
    },
    KnownSection {
        name: "cache",
        core: false,
        pattern: Some("caching"),
        doc: "The read cache.",
        keys: &[
            (
                "ttl_s",
                Kind::Seconds,
                "How long a cached value is served, seconds.",
            ),
            (
                "backend",
                Kind::CacheBackend,
                "Where entries live: `memory` (this process) or `redis` (shared by every replica).",
            ),
            ("url", Kind::RedisUrl, "The Redis the `redis` backend uses."),
            (
                "max_bytes",
                Kind::Bytes,
                "Memory the `memory` backend may take in this replica, bytes; the oldest entries go first past it.",
            ),
        ],
    },
];

/// Keys the scaffold adds only for some shapes or patterns: absent is not a problem.
const OPTIONAL: &[&str] = &[
    "service.listen",
    "service.admin_listen",
    "cache.url",
    "queue.workers",
    "service.drain_delay_s",
    "idempotency.max_bytes",
];

/// Caching patterns whose cache is one layer every replica shares (rules/caching.yaml): the
/// scaffold's cache then has a Redis backend. Cache-aside is filled by each process itself,
/// so memory is enough for it.
const SHARED_CACHE: &[&str] = &["read-through", "write-through", "write-back"];

/// The shared-cache pattern a design chose, if any.
fn shared_cache(design: &Design) -> Option<&str> {
    design
        .recommendation
        .patterns
        .iter()
        .map(|p| p.id.as_str())
        .find(|id| SHARED_CACHE.contains(id))
}

/// The store a design chose as the scaffold sees it: the first of the recommendation's
/// databases.
#[derive(Debug, Clone, Serialize)]
struct Store {
    /// The database's id in models/databases.yaml, and its name.
    id: String,
    name: String,
    /// `postgres` when the scaffold has the store's code (sqlx, migrations, the items table);
    /// empty when it names the driver and keeps the stand-in.
    code: &'static str,
    /// The Rust client to build on, in words; empty when no maintained one fits.
    driver: &'static str,
}

/// The Rust client of each store the database tree can choose, and whether the scaffold
/// ships its code. PostgreSQL-compatible stores (the wire protocol and SQL dialect) share
/// the sqlx code; the others are named so a team knows which crate to reach for.
const DRIVERS: &[(&str, &str, &str)] = &[
    (
        "postgresql",
        "postgres",
        "`sqlx` (async, pure Rust) with its `postgres` feature",
    ),
    (
        "cockroachdb",
        "postgres",
        "`sqlx` with its `postgres` feature, over the PostgreSQL wire protocol CockroachDB speaks",
    ),
    (
        "yugabytedb",
        "postgres",
        "`sqlx` with its `postgres` feature, over YSQL, YugabyteDB's PostgreSQL-compatible API",
    ),
    (
        "timescaledb",
        "postgres",
        "`sqlx` with its `postgres` feature: TimescaleDB is a PostgreSQL extension",
    ),
    ("mysql", "", "`sqlx` with its `mysql` feature"),
    (
        "tidb",
        "",
        "`sqlx` with its `mysql` feature: TiDB speaks the MySQL protocol",
    ),
    (
        "cassandra",
        "",
        "`scylla`, the ScyllaDB driver, which speaks Cassandra's CQL protocol",
    ),
    ("mongodb", "", "`mongodb`, MongoDB's official driver"),
    (
        "cosmos-db",
        "",
        "`azure_data_cosmos`, the Azure SDK's Cosmos DB client",
    ),
    (
        "dynamodb",
        "",
        "`aws-sdk-dynamodb`, from AWS's official SDK",
    ),
    (
        "redis-cluster",
        "",
        "`redis` with its `cluster-async` feature",
    ),
    ("redis-enterprise", "", "`redis`"),
    ("etcd", "", "`etcd-client`"),
    ("zookeeper", "", "`zookeeper-client`"),
    (
        "clickhouse",
        "",
        "`clickhouse`, ClickHouse's official client",
    ),
    (
        "elasticsearch",
        "",
        "`elasticsearch`, Elastic's official client",
    ),
    (
        "opensearch",
        "",
        "`opensearch`, the OpenSearch project's client",
    ),
    ("amazon-s3", "", "`aws-sdk-s3`, from AWS's official SDK"),
    (
        "google-cloud-storage",
        "",
        "`google-cloud-storage`, from Google's Rust client libraries",
    ),
];

/// The store of `design`, if its recommendation names a database.
fn store(design: &Design) -> Option<Store> {
    let id = design.recommendation.databases.first()?;
    let (code, driver) = DRIVERS
        .iter()
        .find(|(d, _, _)| d == id)
        .map_or(("", ""), |(_, code, driver)| (*code, *driver));
    let name = crate::catalog::Catalog::get()
        .ok()
        .and_then(|c| c.database(id))
        .map_or_else(|| id.clone(), |d| d.name.clone());
    Some(Store {
        id: id.clone(),
        name,
        code,
        driver,
    })
}

/// Type names the generated `config.rs` uses itself: a section may not take them.
const RESERVED_TYPES: &[&str] = &["Config", "Error", "Problem", "Checks", "Jitter"];

/// Rust keywords, which cannot name a field.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// One setting as the templates see it.
#[derive(Debug, Clone, Serialize)]
struct Key {
    name: String,
    /// `section.key`.
    dotted: String,
    /// The field's Rust type.
    rust: &'static str,
    /// The `Checks` method that range-checks it ("" for none).
    check: &'static str,
    doc: String,
    /// The value as written in `config/service.yaml`.
    yaml: String,
    /// The value for people (`259.2 (4m 19s)`).
    display: String,
    /// Where the value came from, on one line.
    source: String,
}

/// One section as the templates see it.
#[derive(Debug, Clone, Serialize)]
struct Section {
    name: String,
    /// The struct name in `config.rs`.
    type_name: String,
    doc: String,
    /// The pattern it tunes, when one does: id, name, chosen, and why it was chosen.
    pattern: Option<PatternRef>,
    /// Whether any key has a range check (so `config.rs` binds the section).
    checked: bool,
    keys: Vec<Key>,
}

#[derive(Debug, Clone, Serialize)]
struct PatternRef {
    id: String,
    name: String,
    chosen: bool,
    because: String,
}

#[derive(Debug, Serialize)]
struct Context<'a> {
    /// The package name of the generated crate.
    package: String,
    /// The same as a Rust identifier.
    krate: String,
    /// The design file's path, as given.
    design: &'a str,
    /// `tradeoff X.Y.Z`, this build.
    generator: String,
    /// Pack names, lowest first.
    packs: Vec<String>,
    /// Chosen pattern ids, for `"x" in patterns` tests.
    patterns: Vec<String>,
    /// Section name → key → setting, for `"x" in settings` tests.
    settings: &'a BTreeMap<String, BTreeMap<String, Setting>>,
    /// The settings in file order, typed.
    sections: Vec<Section>,
    /// Settings whose source is an assumption: the first things to measure and replace.
    assumptions: Vec<Key>,
    /// The `Checks` methods some key uses (so `config.rs` defines no unused one).
    checks: Vec<&'static str>,
    /// The front the service serves.
    shape: Shape,
    /// The shared cache layer the design chose (`read-through`, ...), when it chose one: the
    /// cache then has a Redis backend.
    shared_cache: Option<String>,
    /// The SLI series it exports (the alert rules select the same).
    sli: Sli,
    /// Histogram buckets, seconds, as Rust float literals.
    buckets: Vec<String>,
    /// The Prometheus rules for this design, unstamped (compose and Kubernetes load them).
    rules: String,
    /// The same from `groups:` on, indented to sit under a PrometheusRule's `spec:`.
    rules_spec: String,
    /// Kubernetes figures, each with its reason.
    deploy: Deploy,
    /// Chosen patterns the scaffold has no code for, with what to build.
    unbuilt: Vec<Unbuilt>,
    /// The traffic of `prometheus/alerts.test.yaml`.
    alert_test: AlertTest,
    /// The store the design chose, when it chose one.
    store: Option<Store>,
}

#[derive(Debug, Serialize)]
struct Deploy {
    replicas: u64,
    /// Pods a voluntary disruption must leave running, and why.
    min_available: u64,
    min_available_source: String,
    /// Pod termination grace: the drain delay, the shutdown grace and 5 s, whole seconds.
    grace_period_s: u64,
    /// Seconds readiness is 503 before the listener closes (`service.drain_delay_s`).
    pre_stop_s: u64,
    /// The per-pod request rate metric the HPA scales on (the SLI counter as a rate, as
    /// prometheus-adapter names it), its target as a Kubernetes quantity, and why.
    hpa_metric: String,
    hpa_target: String,
    /// The same for people (`12.5/s`).
    hpa_target_display: String,
    /// The same as a plain number a second (`12.5`): the load generator's `--rate`.
    hpa_rate: String,
    hpa_source: String,
    /// The image tag: the crate's version.
    image_tag: String,
    /// The Prometheus job (the package).
    job: String,
    /// The HPA's ceiling: twice the replicas.
    hpa_max: u64,
    /// The addresses and credentials the Deployment reads from the Secret named after the
    /// package.
    secrets: Vec<SecretRef>,
}

/// One `APP__*` variable the Deployment takes from the Secret.
#[derive(Debug, Serialize)]
struct SecretRef {
    /// `APP__BROKER__URL`.
    variable: String,
    /// The Secret's key: `broker-url`.
    key: String,
    /// What a value looks like, for the `kubectl create secret` line.
    example: String,
}

/// The Secret's entries for the settings that hold an address: `section.url` of each section
/// present, with an example value for the shape.
fn secrets(settings: &BTreeMap<String, BTreeMap<String, Setting>>, shape: Shape) -> Vec<SecretRef> {
    let broker = match shape {
        Shape::Rabbitmq => "amqp://USER:PASSWORD@rabbitmq:5672/%2f",
        Shape::Kafka => "kafka-0.kafka:9092,kafka-1.kafka:9092",
        Shape::Nats => "nats://USER:PASSWORD@nats:4222",
        Shape::Rest | Shape::Grpc => "",
    };
    let url_of = |section: &str| settings.get(section).and_then(|s| s.get("url")).is_some();
    [
        (
            "database",
            "postgres://USER:PASSWORD@postgres:5432/DATABASE",
        ),
        ("broker", broker),
        ("cache", "redis://:PASSWORD@redis:6379"),
    ]
    .into_iter()
    .filter(|(section, _)| url_of(section))
    .map(|(section, example)| SecretRef {
        variable: format!("APP__{}__URL", section.to_ascii_uppercase()),
        key: format!("{section}-url"),
        example: example.to_string(),
    })
    .collect()
}

/// The series of the generated `promtool test rules` file: 10,000 requests a minute, with a
/// healthy share of failures (half the error budget), a slow burn (4x: both tickets, no
/// page) and a fast burn (20x, at most every request: pages), as failures a minute.
#[derive(Debug, Serialize)]
struct AlertTest {
    /// The label of a success and of a failure of the shape's SLI counter.
    ok: &'static str,
    failed: &'static str,
    healthy: String,
    slow: String,
    fast: String,
    healthy_ok: String,
    slow_ok: String,
    fast_ok: String,
}

impl AlertTest {
    fn new(shape: Shape, target: f64) -> AlertTest {
        const PER_MINUTE: f64 = 10_000.0;
        let budget = (1.0 - target).clamp(1e-9, 1.0);
        let failed = |burn: f64| (budget * burn).min(1.0) * PER_MINUTE;
        let shown = |v: f64| {
            let s = format!("{:.6}", v);
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        let (ok, failed_label) = match shape {
            Shape::Rest => (r#"code="200""#, r#"code="500""#),
            Shape::Grpc => (r#"grpc_code="OK""#, r#"grpc_code="Unavailable""#),
            Shape::Rabbitmq | Shape::Kafka | Shape::Nats => {
                (r#"outcome="ok""#, r#"outcome="failed""#)
            }
        };
        AlertTest {
            ok,
            failed: failed_label,
            healthy: shown(failed(0.5)),
            slow: shown(failed(4.0)),
            fast: shown(failed(20.0)),
            healthy_ok: shown(PER_MINUTE - failed(0.5)),
            slow_ok: shown(PER_MINUTE - failed(4.0)),
            fast_ok: shown(PER_MINUTE - failed(20.0)),
        }
    }
}

#[derive(Debug, Serialize)]
struct Unbuilt {
    id: String,
    name: String,
    build: String,
}

/// Chosen patterns the scaffold wires in code.
const BUILT: &[&str] = &[
    "circuit-breaker",
    "retry-backoff",
    "rate-limiting",
    "token-bucket",
    "timeout",
    "bulkhead",
    "caching",
    "cache-aside",
    "sharding",
    "hash-sharding",
    "consistent-hashing",
    "quorum",
    "load-shedding",
    "health-check",
    "idempotency",
    "chaos-engineering",
    "rest",
    "grpc",
    "rabbitmq",
    "kafka",
    "fire-and-forget",
    "distributed-queue",
    "transactional-outbox",
    "saga-orchestration",
    "saga-choreography",
    "cqrs",
    "materialized-view",
];

/// What to build for a chosen pattern the scaffold has no code for: the catalog's summary
/// names the idea; this says where it goes in this crate.
fn unbuilt(design: &Design) -> Vec<Unbuilt> {
    let catalog = crate::catalog::Catalog::get().ok();
    let chosen = |id: &str| design.recommendation.patterns.iter().any(|p| p.id == id);
    design
        .recommendation
        .patterns
        .iter()
        .filter(|p| !BUILT.contains(&p.id.as_str()))
        // A saga with its style chosen is built as that style (`src/saga.rs`).
        .filter(|p| p.id != "saga" || !(chosen("saga-orchestration") || chosen("saga-choreography")))
        .map(|p| {
            let build = match p.id.as_str() {
                "saga" => "a saga style: answer the transactions tree's orchestration question, and the scaffold writes `src/saga.rs` for it",
                "event-sourcing" => "an append-only event store as the dependency; state is a fold over the events",
                "graceful-degradation" => "a fallback answer in `Handler::handle` when the breaker is open",
                _ => "not in this scaffold; `tradeoff explain ID` says what it takes",
            };
            Unbuilt {
                build: build.replace("ID", &p.id),
                id: p.id.clone(),
                name: catalog
                    .and_then(|c| c.pattern(&p.id))
                    .map_or_else(|| p.id.clone(), |c| c.name.clone()),
            }
        })
        .collect()
}

/// A setting's number, 0 when it is text.
fn number_of(
    settings: &BTreeMap<String, BTreeMap<String, Setting>>,
    section: &str,
    key: &str,
) -> f64 {
    match settings
        .get(section)
        .and_then(|s| s.get(key))
        .map(|s| &s.value)
    {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        _ => 0.0,
    }
}

fn deploy(
    design: &Design,
    settings: &BTreeMap<String, BTreeMap<String, Setting>>,
    shape: Shape,
    package: &str,
) -> Deploy {
    let replicas = number_of(settings, "service", "replicas").max(1.0) as u64;
    let grace = number_of(settings, "service", "shutdown_grace_s");
    let counter = shape.sli().counter;
    let hpa_metric = counter
        .strip_suffix("_total")
        .unwrap_or(&counter)
        .to_string();
    let peak = design.answers.get("peak_rps").and_then(|a| {
        let rate = crate::units::parse_rate(&a.answer).ok()?;
        (rate > 0.0).then(|| (rate, a.answer.clone()))
    });
    // service.replicas is one region's Deployment; with several serving regions each carries
    // its share of the peak.
    let regions = number_of(settings, "service", "regions").max(1.0);
    let (per_pod, hpa_source) = match peak {
        Some((peak, shown)) if regions > 1.0 => (
            peak / regions / replicas as f64,
            format!(
                "answer peak_rps = {shown} over service.regions ({regions}) and service.replicas ({replicas}) in each: each pod's share of the peak the design was sized for"
            ),
        ),
        Some((peak, shown)) => (
            peak / replicas as f64,
            format!(
                "answer peak_rps = {shown} over service.replicas ({replicas}): each pod's share of the peak the design was sized for"
            ),
        ),
        None => {
            let rate = number_of(settings, "rate_limit", "per_node_rate_per_s");
            (
                rate * 0.7,
                "derived: 70 % of rate_limit.per_node_rate_per_s; the design has no peak_rps answer".to_string(),
            )
        }
    };
    // A Kubernetes quantity in thousandths, so 12.5 requests a second stays exact: 12500m.
    let milli = (per_pod * 1000.0).round().max(1.0) as u64;
    let hpa_target = if milli.is_multiple_of(1000) {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    };
    let hpa_target_display = format!("{}/s", crate::units::format_count(milli as f64 / 1000.0));
    let (min_available, min_available_source) = disruption_floor(design, replicas);
    // Readiness turns 503 at SIGTERM; the listener closes after the endpoints have had time
    // to drop the pod, then the work drains.
    let pre_stop_s = number_of(settings, "service", "drain_delay_s").ceil() as u64;
    Deploy {
        replicas,
        min_available,
        min_available_source,
        grace_period_s: pre_stop_s + grace.ceil() as u64 + 5,
        pre_stop_s,
        hpa_metric,
        hpa_target,
        hpa_target_display,
        hpa_rate: (milli as f64 / 1000.0).to_string(),
        hpa_source,
        hpa_max: replicas * 2,
        image_tag: IMAGE_TAG.to_string(),
        job: package.to_string(),
        secrets: secrets(settings, shape),
    }
}

/// The generated crate's version, which tags its image.
const IMAGE_TAG: &str = "0.1.0";

/// The PodDisruptionBudget's `minAvailable`, and the reason in words.
///
/// A voluntary disruption (a node drain, a cluster upgrade) may take pods away as long as
/// those left can (1) carry the peak, ceil(utilisation at peak x replicas) pods at full load,
/// from the replica estimate (peak / per-replica capacity), and (2) still lose one more pod to
/// an unplanned failure at the availability target: the target's replica floor minus one.
/// The floor stays below the replica count, so a drain is never blocked for good; where that
/// cap binds, the reason says the fleet has no spare pod at peak.
fn disruption_floor(design: &Design, replicas: u64) -> (u64, String) {
    let result = |name: &str| {
        design
            .estimates
            .get("replicas")
            .and_then(|e| e.result(name))
            .map(|f| f.value)
    };
    let (Some(utilisation), Some(for_target)) = (
        result("utilisation at peak"),
        result("replicas for availability"),
    ) else {
        return (
            replicas.saturating_sub(1).max(1),
            "assumption: one pod at a time; the design has no replica estimate".to_string(),
        );
    };
    // The small subtraction keeps an exact product (80.000000001) from rounding up a pod.
    let for_peak = ((utilisation * replicas as f64) - 1e-9).ceil().max(1.0) as u64;
    let for_target = (for_target as u64).saturating_sub(1).max(1);
    let wanted = for_peak.max(for_target);
    let floor = wanted.min(replicas.saturating_sub(1));
    let mut why = format!(
        "estimate replicas: {for_peak} carry the peak at full load (utilisation {} at peak x {replicas} replicas), and {for_target} keep the availability target through one more failure",
        crate::units::format_percent(utilisation)
    );
    if floor < wanted {
        why.push_str(&format!(
            "; capped at {floor} so a drain can proceed: at peak this fleet has no spare pod for a disruption (add a replica)"
        ));
    }
    (floor, why)
}

/// What a caller may change about the scaffold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// The latency objective, seconds (`--latency-target`); without it the design's.
    pub latency_target: Option<f64>,
}

/// The settings the service needs to run that a design does not hold (addresses, the
/// shutdown grace, fault injection, logs and traces, the broker, where the cache lives), each
/// with its source; a design that has one keeps its own. `service.replicas` falls back to
/// `rate_limit.nodes` here, the one place that knows the design may not estimate replicas.
fn runtime(
    design: &Design,
    shape: Shape,
    package: &str,
    options: &Options,
) -> BTreeMap<String, BTreeMap<String, Setting>> {
    let mut settings = design.settings.clone();
    let mut add = |section: &str, key: &str, value: Value, source: String| {
        settings
            .entry(section.to_string())
            .or_default()
            .entry(key.to_string())
            .or_insert(Setting { value, source });
    };
    let text = |t: &str| Value::Text(t.to_string());
    let get = |section: &str, key: &str| design.settings.get(section).and_then(|s| s.get(key));
    if let Some(nodes) = get("rate_limit", "nodes") {
        add(
            "service",
            "replicas",
            nodes.value.clone(),
            format!(
                "rate_limit.nodes ({}): the design has no replica estimate, so the replicas sharing the rate limit are the fleet",
                one_line(&nodes.source)
            ),
        );
    }
    let default = |what: &str| format!("scaffold default: {what}");
    match shape {
        Shape::Rest => add(
            "service",
            "listen",
            text("0.0.0.0:8080"),
            default("HTTP on port 8080, with /healthz, /readyz and /metrics"),
        ),
        Shape::Grpc => add(
            "service",
            "listen",
            text("0.0.0.0:50051"),
            default("gRPC's usual port"),
        ),
        _ => {}
    }
    if shape != Shape::Rest {
        add(
            "service",
            "admin_listen",
            text("0.0.0.0:9090"),
            default("health and metrics on their own port"),
        );
    }
    if let Some(timeout) = get("service", "request_timeout_s") {
        let seconds = match timeout.value {
            Value::Int(i) => i as f64,
            Value::Float(f) => f,
            Value::Text(_) => 0.0,
        };
        add(
            "service",
            "shutdown_grace_s",
            Value::Float(seconds + 5.0),
            "derived: service.request_timeout_s + 5 s, so a request admitted just before SIGTERM can finish".into(),
        );
    }
    if !shape.is_consumer() {
        add(
            "service",
            "drain_delay_s",
            Value::Float(10.0),
            default(
                "/readyz answers 503 this long after SIGTERM before the listener closes: two readiness periods (5 s), so every endpoint list drops the pod before it stops taking connections",
            ),
        );
    }
    match options.latency_target {
        Some(t) => add(
            "slo",
            "latency_target_s",
            Value::Float(t),
            "option --latency-target".into(),
        ),
        None => {
            if let Some((t, source)) = latency_target(design) {
                add("slo", "latency_target_s", Value::Float(t), source);
            }
        }
    }
    let off = default(
        "off; raise it to see the alerts fire (the chaos-engineering pattern's first tool)",
    );
    add("chaos", "error_rate", Value::Float(0.0), off.clone());
    add("chaos", "added_latency_s", Value::Float(0.0), off);
    add(
        "telemetry",
        "log_format",
        text("json"),
        default("one JSON object a line, for a log shipper"),
    );
    add(
        "telemetry",
        "otlp_endpoint",
        text(""),
        default(
            "off; an OpenTelemetry collector's OTLP/HTTP base URL such as http://127.0.0.1:4318 exports traces",
        ),
    );
    if design.settings.contains_key("cache") {
        add(
            "cache",
            "max_bytes",
            Value::Int(MEMORY_STORE_BYTES),
            memory_store_source(),
        );
        match shared_cache(design) {
            Some(id) => {
                add(
                    "cache",
                    "backend",
                    text("redis"),
                    format!(
                        "derived: the design chose {id}, a cache layer every replica shares, so it lives in Redis rather than in each process"
                    ),
                );
                add(
                    "cache",
                    "url",
                    text("redis://127.0.0.1:6379"),
                    default("a Redis on this machine; compose.yaml points it at its redis service"),
                );
            }
            None => add(
                "cache",
                "backend",
                text("memory"),
                "derived: the design chose no shared cache layer (read-through, write-through or write-back), so each replica fills a cache in its own memory".into(),
            ),
        }
    }
    if let Some(store) = store(design).filter(|s| s.code == "postgres") {
        add(
            "database",
            "url",
            text("postgres://app@127.0.0.1:5432/app"),
            default(&format!(
                "a {} on this machine, no password in this file: set APP__DATABASE__URL (compose sets it; Kubernetes takes it from the Secret)",
                store.name
            )),
        );
        let (slots, of) = if shape.is_consumer() {
            (get("queue", "workers"), "queue.workers")
        } else {
            (get("bulkhead", "max_concurrent"), "bulkhead.max_concurrent")
        };
        let outbox = design
            .recommendation
            .patterns
            .iter()
            .any(|p| p.id == "transactional-outbox");
        let relay = if outbox { 1 } else { 0 };
        let (connections, source) = match slots.and_then(|s| number(&s.value)) {
            Some(slots) => {
                let why = if outbox {
                    format!(
                        "{of} + 1: one connection for each piece of work in flight, and one for the outbox relay"
                    )
                } else {
                    format!("{of}: one connection for each piece of work in flight")
                };
                (
                    slots.max(1.0) as i64 + relay,
                    format!(
                        "derived: {why}; service.replicas x this must stay under the server's max_connections"
                    ),
                )
            }
            None => (
                10 + relay,
                format!(
                    "assumption: 10{}, sqlx's default pool; service.replicas x this must stay under the server's max_connections; measure and replace",
                    if outbox {
                        " + 1 for the outbox relay"
                    } else {
                        ""
                    }
                ),
            ),
        };
        add(
            "database",
            "max_connections",
            Value::Int(connections),
            source,
        );
    }
    let broker = match shape {
        Shape::Rabbitmq => Some("amqp://127.0.0.1:5672/%2f"),
        Shape::Kafka => Some("127.0.0.1:9092"),
        Shape::Nats => Some("nats://127.0.0.1:4222"),
        Shape::Rest | Shape::Grpc => None,
    };
    if let Some(url) = broker {
        add(
            "broker",
            "url",
            text(url),
            default(
                "a broker on this machine, no credentials in this file: set APP__BROKER__URL (Kubernetes: from the Secret)",
            ),
        );
        add(
            "broker",
            "source",
            text(package),
            default("named after the service"),
        );
    }
    if design
        .recommendation
        .patterns
        .iter()
        .any(|p| p.id == "idempotency")
    {
        add(
            "idempotency",
            "key_ttl_s",
            Value::Float(86_400.0),
            "assumption: a key is remembered a day, longer than any client retries; measure and replace".into(),
        );
        // Where the design's store has code here, the keys live in its database instead.
        if store(design).is_none_or(|s| s.code != "postgres") {
            add(
                "idempotency",
                "max_bytes",
                Value::Int(MEMORY_STORE_BYTES),
                memory_store_source(),
            );
        }
    }
    let seconds = |section: &str, key: &str| get(section, key).and_then(|s| number(&s.value));
    if let Some(timeout) = seconds("service", "request_timeout_s") {
        let (per_try, source) = match per_try_timeout(design) {
            Some((t, shown)) => (
                t,
                format!(
                    "estimate retry: {shown} per try ({})",
                    design.estimates["retry"].command
                ),
            ),
            None => {
                let attempts = seconds("retry", "max_attempts").unwrap_or(1.0).max(1.0);
                (
                    timeout / attempts,
                    "derived: service.request_timeout_s / retry.max_attempts, so every attempt fits the request's deadline".into(),
                )
            }
        };
        if design.settings.contains_key("retry") {
            add("retry", "per_try_timeout_s", Value::Float(per_try), source);
        }
    }
    if design.settings.contains_key("retry") {
        add(
        "retry",
        "budget_ratio",
        Value::Float(0.1),
        "assumption: retries at most 10 % of requests on top of a reserve of ten (gRPC's retry throttling, Finagle's RetryBudget), so retries cannot multiply an outage; measure and replace".into(),
    );
    }
    if get("bulkhead", "max_concurrent").is_some() {
        let shed = design
            .recommendation
            .patterns
            .iter()
            .any(|p| p.id == "load-shedding");
        match (shed, seconds("queue", "service_time_s")) {
            (true, _) => add(
                "bulkhead",
                "max_wait_s",
                Value::Float(0.0),
                "pattern load-shedding: a request that finds every slot taken is refused at once (503)".into(),
            ),
            (false, Some(service)) => add(
                "bulkhead",
                "max_wait_s",
                Value::Float(service),
                "derived: queue.service_time_s, the time a slot takes to free up; a request that waited longer is shed (503) rather than queued".into(),
            ),
            (false, None) => {}
        }
    }
    // Figures the design keeps that no code of the service reads: the alert rules carry the
    // SLO window and budget; each replica enforces the design's per-replica rate and burst
    // (estimate ratelimit), whose sum over the replicas is the global guard; per-client quotas
    // belong to the gateway or the shared limiter in front of the service.
    for (section, key) in [
        ("slo", "window_s"),
        ("slo", "error_budget_s"),
        ("rate_limit", "rate_per_s"),
        ("rate_limit", "burst"),
        ("rate_limit", "nodes"),
        ("rate_limit", "clients"),
        ("rate_limit", "per_client_rate_per_s"),
        ("rate_limit", "per_client_burst"),
        ("sharding", "shard_count_pow2"),
    ] {
        if let Some(s) = settings.get_mut(section) {
            s.remove(key);
        }
    }
    if !shape.is_consumer()
        && let Some(queue) = settings.get_mut("queue")
    {
        // A server's concurrency is the bulkhead's; workers are the consumer's.
        queue.remove("workers");
    }
    settings
}

/// The byte budget of each in-memory store (the cache, the idempotency keys): 32 MiB.
const MEMORY_STORE_BYTES: i64 = 32 * 1024 * 1024;

fn memory_store_source() -> String {
    "assumption: 32 MiB, an eighth of the Deployment's 256 Mi memory limit, so the stores together stay well inside it under any number of unique keys; measure and replace".into()
}

/// A setting's number, `None` for text.
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Text(_) => None,
    }
}

/// The per-try timeout of the design's retry estimate, seconds, as shown there.
fn per_try_timeout(design: &Design) -> Option<(f64, String)> {
    let shown = design
        .estimates
        .get("retry")?
        .inputs
        .get("per-try timeout")?;
    let seconds = crate::units::parse_duration(shown).ok()?;
    (seconds > 0.0).then(|| (seconds, shown.clone()))
}

/// `rate_limit` → `RateLimit`.
fn camel(s: &str) -> String {
    s.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn is_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// A float as YAML: at most 13 significant digits (drops the noise of `2592.0000000000023`),
/// always with a decimal point so it reads as a float.
fn float(v: f64) -> String {
    let rounded: f64 = format!("{v:.12e}").parse().unwrap_or(v);
    let s = format!("{rounded}");
    if s.contains(['.', 'e', 'i', 'N']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// Types a known setting; `Err` says what is wrong with it.
fn typed(name: &str, kind: Kind, value: &Value) -> Result<(String, String), String> {
    let whole = |max: f64| -> Result<u64, String> {
        let n = match value {
            Value::Int(i) => *i as f64,
            Value::Float(f) if f.fract() == 0.0 => *f,
            other => return Err(format!("must be a whole number, got {}", shown(other))),
        };
        if (0.0..=max).contains(&n) {
            Ok(n as u64)
        } else {
            Err(format!("must be a whole number from 0 to {max}, got {n}"))
        }
    };
    let number = || -> Result<f64, String> {
        match value {
            Value::Int(i) => Ok(*i as f64),
            Value::Float(f) if f.is_finite() => Ok(*f),
            other => Err(format!("must be a number, got {}", shown(other))),
        }
    };
    Ok(match kind {
        Kind::Count => {
            let n = whole(f64::from(u32::MAX))?;
            (n.to_string(), n.to_string())
        }
        Kind::Bytes => {
            let n = whole(2f64.powi(50))?;
            let shown = if n > 0 && n.is_multiple_of(1 << 20) {
                format!("{} MiB", n >> 20)
            } else {
                crate::units::format_bytes(n as f64)
            };
            (n.to_string(), shown)
        }
        Kind::Seconds | Kind::SecondsOrZero => {
            let v = number()?;
            (
                float(v),
                format!("{} ({})", float(v), crate::units::format_duration(v)),
            )
        }
        Kind::Rate => {
            let v = number()?;
            (float(v), format!("{}/s", float(v)))
        }
        Kind::Fraction => {
            let v = number()?;
            (
                float(v),
                format!("{} ({})", float(v), crate::units::format_percent(v)),
            )
        }
        Kind::Probability => {
            let v = number()?;
            (
                float(v),
                format!("{} ({})", float(v), crate::units::format_percent(v)),
            )
        }
        Kind::Address
        | Kind::Text
        | Kind::LogFormat
        | Kind::HttpUrlOrOff
        | Kind::CacheBackend
        | Kind::RedisUrl
        | Kind::PostgresUrl => match value {
            Value::Text(t) => {
                let quoted = serde_json::to_string(t).unwrap_or_else(|_| format!("{t:?}"));
                (quoted, t.clone())
            }
            other => return Err(format!("must be text, got {}", shown(other))),
        },
        Kind::Jitter => match value {
            Value::Text(t) if JITTERS.contains(&t.as_str()) => (t.clone(), t.clone()),
            other => {
                return Err(format!(
                    "{name} must be one of {}, got {}",
                    JITTERS.join(", "),
                    shown(other)
                ));
            }
        },
    })
}

fn shown(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Text(t) => format!("{t:?}"),
    }
}

/// A setting the scaffold does not wire: typed by its value, kept in the config.
fn untyped(name: &str, section: &str, setting: &Setting) -> Key {
    let (rust, check, yaml) = match &setting.value {
        Value::Int(i) => ("i64", "", i.to_string()),
        Value::Float(f) => ("f64", "finite", float(*f)),
        Value::Text(t) => (
            "String",
            "",
            serde_json::to_string(t).unwrap_or_else(|_| format!("{t:?}")),
        ),
    };
    Key {
        name: name.to_string(),
        dotted: format!("{section}.{name}"),
        rust,
        check,
        doc: "Carried from the design; nothing in this scaffold reads it yet.".to_string(),
        display: yaml.clone(),
        yaml,
        source: one_line(&setting.source),
    }
}

/// The design's settings as typed sections, known ones first in their fixed order.
fn sections(
    design: &Design,
    settings: &BTreeMap<String, BTreeMap<String, Setting>>,
    problems: &mut Vec<String>,
) -> Vec<Section> {
    let chosen = |id: &str| design.recommendation.patterns.iter().find(|p| p.id == id);
    let catalog = crate::catalog::Catalog::get().ok();
    let pattern_ref = |id: &str| {
        let c = chosen(id);
        PatternRef {
            id: id.to_string(),
            name: c
                .map(|p| p.name.clone())
                .or_else(|| catalog.and_then(|k| k.pattern(id)).map(|p| p.name.clone()))
                .unwrap_or_else(|| id.to_string()),
            chosen: c.is_some(),
            because: c.map(|p| one_line(&p.because)).unwrap_or_default(),
        }
    };
    let mut out = Vec::new();
    for known in KNOWN {
        let Some(given) = settings.get(known.name) else {
            if known.core {
                problems.push(format!("{}: missing (every design has it)", known.name));
            }
            continue;
        };
        let mut keys = Vec::new();
        for (name, kind, doc) in known.keys {
            let dotted = format!("{}.{name}", known.name);
            let Some(setting) = given.get(*name) else {
                if !OPTIONAL.contains(&dotted.as_str()) {
                    problems.push(format!("{dotted}: missing"));
                }
                continue;
            };
            match typed(&dotted, *kind, &setting.value) {
                Ok((yaml, display)) => {
                    let (rust, check) = kind.rust();
                    keys.push(Key {
                        name: (*name).to_string(),
                        dotted,
                        rust,
                        check,
                        doc: (*doc).to_string(),
                        yaml,
                        display,
                        source: one_line(&setting.source),
                    });
                }
                Err(e) => problems.push(format!("{dotted}: {e}")),
            }
        }
        for (name, setting) in given {
            if known.keys.iter().any(|(k, _, _)| k == name) {
                continue;
            }
            if !is_ident(name) {
                problems.push(format!(
                    "{}.{name}: not usable as a field name (lower-case letters, digits and _, not a Rust keyword)",
                    known.name
                ));
                continue;
            }
            keys.push(untyped(name, known.name, setting));
        }
        out.push(Section {
            name: known.name.to_string(),
            type_name: camel(known.name),
            doc: known.doc.to_string(),
            pattern: known.pattern.map(pattern_ref),
            checked: keys.iter().any(|k| !k.check.is_empty()),
            keys,
        });
    }
    for (name, given) in settings {
        if KNOWN.iter().any(|k| k.name == name) {
            continue;
        }
        let type_name = camel(name);
        if !is_ident(name) || RESERVED_TYPES.contains(&type_name.as_str()) {
            problems.push(format!(
                "{name}: not usable as a section name (lower-case letters, digits and _, not a Rust keyword, not {})",
                RESERVED_TYPES.join(", ")
            ));
            continue;
        }
        let mut keys = Vec::new();
        for (key, setting) in given {
            if is_ident(key) {
                keys.push(untyped(key, name, setting));
            } else {
                problems.push(format!(
                    "{name}.{key}: not usable as a field name (lower-case letters, digits and _, not a Rust keyword)"
                ));
            }
        }
        out.push(Section {
            name: name.clone(),
            type_name,
            doc: "Carried from the design; nothing in this scaffold reads it yet.".to_string(),
            pattern: None,
            checked: keys.iter().any(|k| !k.check.is_empty()),
            keys,
        });
    }
    out
}

/// Renders the scaffold for `design`. `source` names the design file in every marker and
/// in the README. Files are returned sorted by path, each stamped with the marker.
pub fn artifacts(design: &Design, env: &Environment, source: &str) -> Result<Vec<Artifact>, Error> {
    artifacts_with(design, env, source, &Options::default())
}

/// [`artifacts`] with options.
pub fn artifacts_with(
    design: &Design,
    env: &Environment,
    source: &str,
    options: &Options,
) -> Result<Vec<Artifact>, Error> {
    let shape = Shape::of(design);
    let package = package(design, source);
    let settings = runtime(design, shape, &package, options);
    let mut problems = Vec::new();
    let sections = sections(design, &settings, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Settings {
            design: source.to_string(),
            problems,
        });
    }
    let catalog = crate::catalog::Catalog::get().ok();
    let assumptions = sections
        .iter()
        .flat_map(|s| s.keys.iter())
        .filter(|k| k.source.starts_with("assumption"))
        .cloned()
        .collect();
    let mut checks: Vec<&'static str> = sections
        .iter()
        .flat_map(|s| s.keys.iter().map(|k| k.check))
        .filter(|c| !c.is_empty())
        .collect();
    checks.sort_unstable();
    checks.dedup();
    let latency = number_of(&settings, "slo", "latency_target_s");
    let mut buckets: Vec<f64> = BUCKETS.to_vec();
    if latency > 0.0 && !buckets.contains(&latency) {
        buckets.push(latency);
        buckets.sort_by(f64::total_cmp);
    }
    let mut alert_options = super::alerts::Options::for_design(design, source);
    if let Some(t) = options.latency_target {
        alert_options.latency_target = Some(t);
    }
    let rules = super::alerts::Slo::from_design(design)
        .and_then(|slo| super::alerts::rules(env, slo, &alert_options))
        .map_err(|e| Error::Alerts(e.to_string()))?;
    let ctx = Context {
        checks,
        krate: package.replace('-', "_"),
        design: source,
        generator: crate::design::generator(),
        packs: design
            .recommendation
            .packs
            .iter()
            .map(|id| {
                catalog
                    .and_then(|c| c.pack(id))
                    .map_or_else(|| id.clone(), |p| p.name.clone())
            })
            .collect(),
        patterns: design
            .recommendation
            .patterns
            .iter()
            .map(|p| p.id.clone())
            .collect(),
        deploy: deploy(design, &settings, shape, &package),
        settings: &settings,
        sections,
        assumptions,
        shape,
        shared_cache: shared_cache(design).map(str::to_string),
        sli: shape.sli(),
        buckets: buckets.into_iter().map(float).collect(),
        rules_spec: rules
            .lines()
            .skip_while(|l| !l.starts_with("groups:"))
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("  {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        rules,
        unbuilt: unbuilt(design),
        alert_test: AlertTest::new(shape, number_of(&settings, "slo", "availability_target")),
        store: store(design),
        package,
    };
    let mut names: Vec<&str> = env
        .templates()
        .map(|(name, _)| name)
        .filter(|name| name.starts_with(PREFIX) && name.ends_with(SUFFIX))
        .filter(|name| !name.rsplit('/').next().unwrap_or(name).starts_with('_'))
        .collect();
    names.sort_unstable();
    let ctx = minijinja::Value::from(minijinja::value::Serde(&ctx));
    let mut out = Vec::new();
    for name in names {
        let text = env.get_template(name)?.render(&ctx)?;
        if text.trim().is_empty() {
            continue;
        }
        let path = PathBuf::from(&name[PREFIX.len()..name.len() - SUFFIX.len()]);
        let content = stamp(&text, Comment::for_path(&path), source);
        out.push(Artifact { path, content });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_lose_their_rounding_noise_but_keep_a_decimal_point() {
        assert_eq!(float(2592.0000000000023), "2592.0");
        assert_eq!(float(259.19999999997145), "259.2");
        assert_eq!(float(0.9999999), "0.9999999");
        assert_eq!(float(2.0), "2.0");
        assert_eq!(float(0.05), "0.05");
    }

    #[test]
    fn counts_must_be_whole_and_fit_the_field() {
        assert_eq!(typed("k", Kind::Count, &Value::Float(5.0)).unwrap().0, "5");
        assert!(typed("k", Kind::Count, &Value::Float(5.5)).is_err());
        assert!(typed("k", Kind::Count, &Value::Int(-1)).is_err());
        assert!(typed("k", Kind::Count, &Value::Text("5".into())).is_err());
        assert!(typed("k", Kind::Jitter, &Value::Text("random".into())).is_err());
        assert_eq!(typed("k", Kind::Seconds, &Value::Int(2)).unwrap().0, "2.0");
    }

    #[test]
    fn names_become_rust_types_and_fields() {
        assert_eq!(camel("circuit_breaker"), "CircuitBreaker");
        assert!(is_ident("shard_count_pow2"));
        assert!(!is_ident("type"));
        assert!(!is_ident("Max"));
        assert!(!is_ident("max-delay"));
    }

    #[test]
    fn the_disruption_budget_keeps_the_peak_and_the_target_covered() {
        // uber: a fleet sized by its rate; the floor is the pods that carry the peak.
        let uber = super::super::fixture::design("uber");
        let replicas = uber.settings["service"]["replicas"].value.clone();
        let Value::Int(replicas) = replicas else {
            panic!("replicas is {replicas:?}")
        };
        let replicas = replicas as u64;
        let (floor, why) = disruption_floor(&uber, replicas);
        let u = uber.estimates["replicas"]
            .result("utilisation at peak")
            .unwrap()
            .value;
        assert_eq!(floor, (u * replicas as f64 - 1e-9).ceil() as u64, "{why}");
        assert!(
            floor > 1 && floor < replicas,
            "{floor} of {replicas}: {why}"
        );
        assert!(why.contains("carry the peak"), "{why}");

        // startup: a small fleet sized by its target; one pod always stays.
        let startup = super::super::fixture::design("startup");
        let (floor, why) = disruption_floor(&startup, 2);
        assert_eq!(floor, 1, "{why}");
        // One replica: the budget cannot help and must not block a drain.
        let (floor, why) = disruption_floor(&startup, 1);
        assert_eq!(floor, 0, "{why}");
        assert!(why.contains("add a replica"), "{why}");
    }
}
