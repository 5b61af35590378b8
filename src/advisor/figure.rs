//! Figures derived from the answers (`write_rps`, `replicas`...): conditions in rules and
//! constraints test them like numeric answers, and the estimates size from them.

use super::kind::Kind;
use crate::capacity::replicas;
use std::collections::BTreeMap;

/// A figure the resolution step derives from the answers; constraints test it like a numeric
/// answer.
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    pub id: &'static str,
    pub kind: Kind,
    /// How it is computed, for docs and messages.
    pub formula: &'static str,
    /// The answers it is computed from.
    pub inputs: &'static [&'static str],
}

/// Every derived figure.
pub const FIGURES: &[Figure] = &[
    Figure {
        id: "write_rps",
        kind: Kind::Rate,
        formula: "peak_rps / (1 + read_write_ratio)",
        inputs: &["peak_rps", "read_write_ratio"],
    },
    Figure {
        id: "read_rps",
        kind: Kind::Rate,
        formula: "peak_rps - write_rps",
        inputs: &["peak_rps", "read_write_ratio"],
    },
    Figure {
        id: "instances",
        kind: Kind::Count,
        formula: "ceil(peak_rps / (0.7 x replica_rps))",
        inputs: &["peak_rps", "replica_rps"],
    },
    Figure {
        id: "rto_budget_share",
        kind: Kind::Ratio,
        formula: "rto / ((1 - availability_target) x 30 d), for a stated rto",
        inputs: &["rto", "availability_target"],
    },
    Figure {
        id: "budget_per_hop",
        kind: Kind::Ratio,
        formula: "latency_budget / (call_depth x service_time)",
        inputs: &["latency_budget", "call_depth", "service_time"],
    },
    Figure {
        id: "replicas",
        kind: Kind::Count,
        formula: "serving regions x max(the region's share after losing one region (or instances + 1 in one region), the availability minimum per region)",
        inputs: &[
            "peak_rps",
            "replica_rps",
            "availability_target",
            "serving_regions",
        ],
    },
];

/// The derived figure with this id.
pub fn figure(id: &str) -> Option<&'static Figure> {
    FIGURES.iter().find(|f| f.id == id)
}

/// Assumed throughput of one instance when `replica_rps` is not answered, per second.
pub const DEFAULT_REPLICA_RPS: f64 = 500.0;

/// The regions serving traffic the answers say: `serving_regions`, and at least two when
/// `write_regions` is `many` (several regions accept writes, so several serve).
pub fn serving_regions(answers: &BTreeMap<String, (String, Option<f64>)>) -> u32 {
    let given = answers
        .get("serving_regions")
        .and_then(|a| a.1)
        .map_or(1, |v| v.round().clamp(1.0, f64::from(MAX_REGIONS)) as u32);
    let writes_many = answers.get("write_regions").is_some_and(|a| a.0 == "many");
    if writes_many { given.max(2) } else { given }
}

/// Most regions the estimates size for.
pub const MAX_REGIONS: u32 = 1000;

/// The share of a 30-day month's downtime budget that one recovery within `rto` seconds
/// spends, at availability `target` (a fraction): rto / ((1 - target) x 30 d). Above 1, a
/// single disaster breaks the target for its month.
pub fn rto_budget_share(rto: f64, target: f64) -> f64 {
    let budget = (1.0 - target).max(0.0) * 30.0 * 86_400.0;
    if budget > 0.0 {
        rto / budget
    } else {
        f64::INFINITY
    }
}

/// The derived figures the answers allow, by id, in base units.
pub fn figures(answers: &BTreeMap<String, (String, Option<f64>)>) -> BTreeMap<&'static str, f64> {
    let num = |id: &str| answers.get(id).and_then(|a| a.1);
    let mut out = BTreeMap::new();
    if let Some(peak) = num("peak_rps") {
        if let Some(ratio) = num("read_write_ratio") {
            let writes = peak / (1.0 + ratio.max(0.0));
            out.insert("write_rps", writes);
            out.insert("read_rps", peak - writes);
        }
        let per = num("replica_rps").unwrap_or(DEFAULT_REPLICA_RPS);
        let target = num("availability_target").unwrap_or(0.999);
        let r = replicas::size(peak, per, target, serving_regions(answers));
        out.insert("instances", f64::from(r.by_rate));
        out.insert("replicas", f64::from(r.count));
    }
    if let (Some(budget), Some(depth), Some(service)) = (
        num("latency_budget"),
        num("call_depth"),
        num("service_time"),
    ) && depth * service > 0.0
    {
        out.insert("budget_per_hop", budget / (depth * service));
    }
    out
}

/// Below this many mean service times of budget per hop, the callers' latency budget is
/// tight for the chain. With service times near exponential a hop's p99 is about 4.6 mean
/// service times (ln 100), so under 10 a hop's budget holds at most two p99 tries: one
/// retry at one hop can spend the time the hops below it need, and fixed per-hop timeouts
/// either cut healthy slow calls or outlive the caller. Deadlines must then travel with the
/// request, and the tail is cut by hedging rather than by waiting.
pub const TIGHT_BUDGET_PER_HOP: f64 = 10.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_regions_follow_write_regions_many_even_unanswered() {
        let mut answers = BTreeMap::from([
            ("peak_rps".to_string(), ("10k/s".to_string(), Some(1e4))),
            ("replica_rps".to_string(), ("1k/s".to_string(), Some(1e3))),
        ]);
        assert_eq!(serving_regions(&answers), 1);
        assert_eq!(figures(&answers)["replicas"], 16.0);
        answers.insert("write_regions".into(), ("many".into(), None));
        assert_eq!(serving_regions(&answers), 2);
        // Each of two regions carries the whole peak: ceil(10000 / 700) = 15.
        assert_eq!(figures(&answers)["replicas"], 30.0);
        // The rate alone still reads as instances.
        assert_eq!(figures(&answers)["instances"], 15.0);
    }

    #[test]
    fn an_rto_is_compared_with_one_month_of_downtime_budget() {
        // 99.9 % over 30 d allows 43 m 12 s = 2592 s.
        assert!((rto_budget_share(2592.0, 0.999) - 1.0).abs() < 1e-9);
        assert!((rto_budget_share(4.0 * 3600.0, 0.999) - 14400.0 / 2592.0).abs() < 1e-9);
        assert!(rto_budget_share(30.0, 0.9999) < 1.0);
        assert!(rto_budget_share(1.0, 1.0).is_infinite());
    }

    #[test]
    fn the_budget_per_hop_counts_mean_service_times_per_service_on_the_chain() {
        let answers = BTreeMap::from([
            (
                "latency_budget".to_string(),
                ("300ms".to_string(), Some(0.3)),
            ),
            ("call_depth".to_string(), ("3".to_string(), Some(3.0))),
            ("service_time".to_string(), ("20ms".to_string(), Some(0.02))),
        ]);
        // 300 ms over 3 hops of 20 ms: 5 service times per hop, tight.
        let f = figures(&answers);
        assert!((f["budget_per_hop"] - 5.0).abs() < 1e-9, "{f:?}");
        assert!(f["budget_per_hop"] < TIGHT_BUDGET_PER_HOP);
        // The defaults (2 s, 2 hops, 50 ms) leave 20: ample.
        let defaults = BTreeMap::from([
            ("latency_budget".to_string(), ("2s".to_string(), Some(2.0))),
            ("call_depth".to_string(), ("2".to_string(), Some(2.0))),
            ("service_time".to_string(), ("50ms".to_string(), Some(0.05))),
        ]);
        assert!(figures(&defaults)["budget_per_hop"] >= TIGHT_BUDGET_PER_HOP);
    }

    #[test]
    fn write_rate_splits_the_peak_by_the_read_ratio() {
        let answers = BTreeMap::from([
            ("peak_rps".to_string(), ("500k/s".to_string(), Some(5e5))),
            (
                "read_write_ratio".to_string(),
                ("0.111".to_string(), Some(1.0 / 9.0)),
            ),
        ]);
        let f = figures(&answers);
        assert!((f["write_rps"] - 450_000.0).abs() < 1e-6, "{f:?}");
        assert!((f["read_rps"] - 50_000.0).abs() < 1e-6, "{f:?}");
    }
}
