//! The store's estimates: shards sized for the chosen store family, and quorums in the terms
//! of the replication that stands.
//!
//! Shard sizes differ by an order of magnitude between store families, so the family of the
//! database decision picks the size ([`Family`]). The replication factor multiplies the
//! stored bytes; growth and horizon come from `data_growth` and `planning_horizon`, assumed
//! (and said so) when left at their defaults.

use super::{Input, Settings, assumptions, count, fig, set};
use crate::advisor::estimate::Command;
use crate::advisor::recommendation::Recommendation;
use crate::advisor::walk::Walk;
use crate::capacity::{quorum, shards};
use crate::design::{Estimate, Value};
use crate::units;
use std::collections::BTreeMap;

/// Copies of every byte a replicated store keeps: three, the default of Cassandra keyspaces,
/// Elasticsearch indexes with one replica per zone pair, and a primary with two replicas.
pub const REPLICATION_FACTOR: f64 = 3.0;
/// Node availability assumed for quorum reachability.
pub const NODE_AVAILABILITY: f64 = 0.999;

/// How a store family is sized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Family {
    /// For sentences: `relational primary`.
    pub name: &'static str,
    /// What one unit is called: `shard` or `node`.
    pub unit: &'static str,
    /// Bytes one unit should hold.
    pub size_bytes: f64,
    /// Fill of that size to plan for.
    pub max_fill: f64,
    /// Whether replicas count against a unit's size (nodes that store replicas of others'
    /// ranges) rather than living on their own copies of the shard.
    pub replicas_in_size: bool,
    /// Writes per second one unit sustains, when the constraint data states it.
    pub writes_per_second: Option<f64>,
    /// The guidance, for the summary.
    pub source: &'static str,
}

/// Relational primaries: Vitess keeps each shard's MySQL at about 250 GB so that backups,
/// restores and new replicas take minutes, not hours ("Sizing" in the Vitess docs); one
/// primary sustains on the order of 10-20k small writes/s (models/constraints.yaml,
/// `one-primary-write-rate`), of which the low end is planned for.
pub const RELATIONAL: Family = Family {
    name: "relational primary",
    unit: "shard",
    size_bytes: 250e9,
    max_fill: 1.0,
    replicas_in_size: false,
    writes_per_second: Some(10_000.0),
    source: "250 GB per primary (Vitess sizing guidance), 10k writes/s per primary",
};

/// Search engines: Elastic's "Size your shards" guidance aims at 10-50 GB per shard; the plan
/// fills 50 GB shards to 70 %, 35 GB, inside that range.
pub const SEARCH: Family = Family {
    name: "search index",
    unit: "shard",
    size_bytes: 50e9,
    max_fill: 0.7,
    replicas_in_size: false,
    writes_per_second: None,
    source: "10-50 GB per shard (Elastic, \"Size your shards\")",
};

/// Wide-column nodes: DataStax's planning guidance for Apache Cassandra keeps about 1-2 TB of
/// data per node, replicas included, and half the disk free for compaction; the plan counts
/// nodes of 2 TB filled to 50 %.
pub const WIDE_COLUMN: Family = Family {
    name: "wide-column node",
    unit: "node",
    size_bytes: 2e12,
    max_fill: 0.5,
    replicas_in_size: true,
    writes_per_second: None,
    source: "1-2 TB per node with half the disk free for compaction (DataStax planning guidance)",
};

/// Distributed SQL (CockroachDB, YugabyteDB, TiDB, Spanner): the store splits tables into
/// consensus-replicated ranges by itself, so what is planned is nodes, each holding replicas of
/// many ranges. Cockroach Labs' production checklist asks for 100-150 GiB of data per vCPU on
/// nodes of 8-16 vCPUs (about 1.2-2.4 TiB, at most 10 TiB); the plan counts 2 TB nodes filled
/// to 60 %, so the ranges of a lost node fit on the others.
pub const DISTRIBUTED_SQL: Family = Family {
    name: "distributed SQL node",
    unit: "node",
    size_bytes: 2e12,
    max_fill: 0.6,
    replicas_in_size: true,
    writes_per_second: None,
    source: "100-150 GiB per vCPU on 8-16 vCPU nodes, ranges split and replicated by the store (Cockroach Labs production checklist)",
};

/// Any other store: the shard model's documented default, 500 GB filled to 70 %.
pub const GENERIC: Family = Family {
    name: "no store-family guidance",
    unit: "shard",
    size_bytes: shards::DEFAULT_SHARD_SIZE,
    max_fill: shards::DEFAULT_MAX_FILL,
    replicas_in_size: false,
    writes_per_second: None,
    source: "the shard model's default of 500 GB filled to 70 % (no store-family guidance for the chosen store)",
};

/// The family of the database decision's outcome.
pub fn family(rec: &Recommendation) -> Family {
    let outcome = rec
        .decisions
        .iter()
        .find(|d| d.tree == "database")
        .map(|d| d.outcome.as_str());
    match outcome {
        // The database decision follows the resolution step, so its outcome names stores that
        // stand: a distributed SQL outcome's candidates all split data into consensus ranges.
        Some("single-primary-sql") => RELATIONAL,
        Some("distributed-postgresql" | "distributed-mysql" | "global-sql") => DISTRIBUTED_SQL,
        Some("search") => SEARCH,
        Some("ap-wide-column" | "cp-wide-column") => WIDE_COLUMN,
        _ => GENERIC,
    }
}

/// Members of a consensus group for an availability target: five ride out two failures, or
/// one failure during a rolling restart, which a four-nines target needs; three suffice below
/// it (etcd's FAQ: 3 or 5).
fn consensus_members(target: f64) -> u32 {
    if target >= 0.9999 { 5 } else { 3 }
}

/// Copies of the data the store keeps: a store that replicates its ranges by consensus
/// (distributed SQL) keeps as many as the consensus group has members where that group
/// stands; otherwise the usual three.
fn copies(walk: &Walk, rec: &Recommendation, fam: &Family) -> f64 {
    let consensus = rec.patterns.iter().any(|p| p.id == "consensus");
    if consensus && fam.replicas_in_size {
        let target = walk
            .answers
            .get("availability_target")
            .and_then(|a| a.number)
            .unwrap_or(0.999);
        f64::from(consensus_members(target))
    } else {
        REPLICATION_FACTOR
    }
}

/// Shards from the data and the write rate, when the data size is known.
pub(super) fn shards(
    walk: &Walk,
    rec: &Recommendation,
    peak: &Input,
    est: &mut BTreeMap<String, Estimate>,
    s: &mut Settings,
) {
    let Some(step) = walk.answers.get("data_size") else {
        return;
    };
    let data = Input::read(walk, "data_size", &step.answer, step.number.unwrap_or(0.0));
    if data.value <= 0.0 {
        return;
    }
    let chosen = rec
        .patterns
        .iter()
        .any(|p| p.id == "sharding" || p.id.ends_with("-sharding"));
    let fam = family(rec);
    let ratio = Input::read(walk, "read_write_ratio", "1", 1.0);
    let writes = peak.value / (1.0 + ratio.value.max(0.0));
    let copies = copies(walk, rec, &fam);
    let stored_factor = if fam.replicas_in_size { copies } else { 1.0 };
    let growth = Input::read(walk, "data_growth", "40%/y", shards::DEFAULT_GROWTH);
    let horizon = Input::read(walk, "planning_horizon", "3y", shards::DEFAULT_HORIZON);
    let mut inputs = shards::Inputs::with_defaults(data.value * stored_factor);
    inputs.growth_per_year = growth.value;
    inputs.horizon_seconds = horizon.value;
    inputs.shard_size_bytes = fam.size_bytes;
    inputs.max_fill = fam.max_fill;
    if let Some(w) = fam.writes_per_second {
        inputs.qps = Some(writes);
        inputs.shard_qps = Some(w);
    }
    let Ok(p) = shards::plan(inputs) else {
        return;
    };
    let (assumed, note) = assumptions(&[&data, peak, &ratio, &growth, &horizon]);
    let unit = |n: u64| units::plural(n, fam.unit, &format!("{}s", fam.unit));
    let stored = p.data_at_horizon_bytes * if fam.replicas_in_size { 1.0 } else { copies };
    let bound = match (p.bound_by, fam.writes_per_second) {
        ("throughput", Some(w)) => format!(
            ", bound by the write rate: {} of writes at peak over {} per {}",
            units::format_rate(writes),
            units::format_rate(w),
            fam.unit
        ),
        (_, Some(w)) => format!(
            "; the {} of writes at peak need {} at {} each",
            units::format_rate(writes),
            unit(p.for_throughput.unwrap_or(1)),
            units::format_rate(w)
        ),
        _ => String::new(),
    };
    let what_if = if chosen {
        String::new()
    } else {
        "What-if only, sharding is not recommended for this design: ".into()
    };
    let summary = format!(
        "{what_if}{} today ({}) grows to {} in {} at {}: {} of {}{bound}; with {} copies the cluster stores {}; sized by {}{note}",
        units::format_bytes(data.value),
        if fam.replicas_in_size {
            format!(
                "{} with {} replicas",
                units::format_bytes(data.value * stored_factor),
                copies
            )
        } else {
            "one copy".into()
        },
        units::format_bytes(units::round_significant(p.data_at_horizon_bytes, 3)),
        horizon.text,
        growth.text,
        unit(p.count),
        if fam.max_fill < 1.0 {
            format!(
                "{} filled to {}",
                units::format_bytes(fam.size_bytes),
                units::format_percent(fam.max_fill)
            )
        } else {
            format!("at most {}", units::format_bytes(fam.size_bytes))
        },
        copies,
        units::format_bytes(units::round_significant(stored, 3)),
        fam.source
    );
    let mut results = vec![
        fig(
            "data at horizon",
            p.data_at_horizon_bytes,
            units::format_bytes(p.data_at_horizon_bytes),
        ),
        fig("stored with replicas", stored, units::format_bytes(stored)),
        fig("shards", p.count as f64, count(p.count as f64)),
        fig(
            "shards (power of two)",
            p.power_of_two as f64,
            count(p.power_of_two as f64),
        ),
    ];
    if let Some(t) = p.for_throughput {
        results.push(fig("shards for the write rate", t as f64, count(t as f64)));
    }
    est.insert(
        "shards".into(),
        Estimate {
            title: if chosen {
                format!("Shard count ({})", fam.name)
            } else {
                format!("Shard count ({}; what-if, sharding not chosen)", fam.name)
            },
            command: Command::Shards {
                data: units::format_bytes(data.value * stored_factor).replace(' ', ""),
                growth: growth.text.replace(' ', ""),
                horizon: horizon.text.replace(' ', ""),
                shard_size: units::format_bytes(fam.size_bytes).replace(' ', ""),
                max_fill: fam.max_fill,
                writes: fam.writes_per_second.map(|w| {
                    (
                        units::format_rate(writes)
                            .trim_end_matches("/s")
                            .to_string(),
                        units::format_rate(w).trim_end_matches("/s").to_string(),
                    )
                }),
            }
            .to_string(),
            inputs: BTreeMap::from([
                ("data".into(), data.shown()),
                ("growth".into(), growth.shown()),
                ("horizon".into(), horizon.shown()),
                (
                    "replication factor".into(),
                    if fam.replicas_in_size && copies != REPLICATION_FACTOR {
                        format!("{copies} (the consensus group)")
                    } else {
                        format!("{copies} (assumed)")
                    },
                ),
                ("store family".into(), fam.name.into()),
            ]),
            results,
            summary,
            assumed,
        },
    );
    // The service is wired for shards only when the advisor chose sharding.
    if chosen {
        let src = format!(
            "estimate shards: {}, {}, {}, {}",
            data.source(),
            growth.source(),
            horizon.source(),
            fam.source
        );
        set(
            s,
            "sharding",
            "shard_count",
            Value::Int(p.count as i64),
            src.clone(),
        );
        set(
            s,
            "sharding",
            "shard_count_pow2",
            Value::Int(p.power_of_two as i64),
            format!("{src}, rounded up to a power of two"),
        );
    }
}

/// Quorum sizes in the terms of the replication that stands: N/W/R for leaderless stores, a
/// majority for consensus groups, nothing for a single primary.
pub(super) fn quorum(
    rec: &Recommendation,
    target: &Input,
    est: &mut BTreeMap<String, Estimate>,
    s: &mut Settings,
) {
    let chosen = |id: &str| rec.patterns.iter().any(|p| p.id == id);
    let availability = format!(
        "{} (assumed per node)",
        units::format_percent(NODE_AVAILABILITY)
    );
    if chosen("leaderless-replication") || (chosen("quorum") && !chosen("consensus")) {
        let Ok(q) = quorum::analyse(3, 2, 2, Some(NODE_AVAILABILITY)) else {
            return;
        };
        let unavailable = q.write.as_ref().map_or(0.0, |w| w.unavailable);
        est.insert(
            "quorum".into(),
            Estimate {
                title: "Quorum (N, W, R)".into(),
                command: Command::Quorum {
                    n: 3,
                    w: 2,
                    r: 2,
                    node_availability: NODE_AVAILABILITY,
                }
                .to_string(),
                inputs: BTreeMap::from([
                    ("n".into(), "3".into()),
                    ("w".into(), "2".into()),
                    ("r".into(), "2".into()),
                    ("node availability".into(), availability),
                ]),
                results: vec![
                    fig("read failures tolerated", f64::from(q.read_failures_tolerated), q.read_failures_tolerated.to_string()),
                    fig("write failures tolerated", f64::from(q.write_failures_tolerated), q.write_failures_tolerated.to_string()),
                    fig("write quorum unavailable", unavailable, units::format_percent(units::round_significant(unavailable, 3))),
                ],
                summary: "leaderless replication with N=3, W=2, R=2 (Dynamo's default): W + R > N, so a read overlaps the latest acknowledged write, and one replica may fail for reads and writes".into(),
                assumed: Vec::new(),
            },
        );
        for (k, v) in [("n", 3), ("w", 2), ("r", 2)] {
            set(
                s,
                "quorum",
                k,
                Value::Int(v),
                "estimate quorum: Dynamo's (3, 2, 2), W + R > N for read-your-writes",
            );
        }
    } else if chosen("consensus") {
        let n = consensus_members(target.value);
        let m = quorum::majority(n);
        let Ok(q) = quorum::analyse(n, m, m, Some(NODE_AVAILABILITY)) else {
            return;
        };
        let unavailable = q.write.as_ref().map_or(0.0, |w| w.unavailable);
        est.insert(
            "quorum".into(),
            Estimate {
                title: "Consensus group (majority quorum)".into(),
                command: Command::Quorum {
                    n,
                    w: m,
                    r: m,
                    node_availability: NODE_AVAILABILITY,
                }
                .to_string(),
                inputs: BTreeMap::from([
                    ("members".into(), n.to_string()),
                    ("availability".into(), target.shown()),
                    ("node availability".into(), availability),
                ]),
                results: vec![
                    fig("majority", f64::from(m), m.to_string()),
                    fig("failures tolerated", f64::from(n - m), (n - m).to_string()),
                    fig("majority unavailable", unavailable, units::format_percent(units::round_significant(unavailable, 3))),
                ],
                summary: format!(
                    "a Raft or Paxos group of {n} commits a write once {m} members (a majority) have it and survives {}; linearizable reads confirm leadership with a majority too (read index). {n} members for an availability target of {}",
                    units::plural(u64::from(n - m), "failure", "failures"),
                    target.shown()
                ),
                assumed: if target.assumed { vec![target.id.to_string()] } else { Vec::new() },
            },
        );
    }
}
