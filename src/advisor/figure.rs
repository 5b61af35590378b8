//! Figures derived from the answers (`write_rps`, `replicas`...): conditions in rules and
//! constraints test them like numeric answers, and the estimates size from them.

use super::kind::Kind;
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
        id: "replicas",
        kind: Kind::Count,
        formula: "max(instances, the availability minimum)",
        inputs: &["peak_rps", "replica_rps", "availability_target"],
    },
];

/// The derived figure with this id.
pub fn figure(id: &str) -> Option<&'static Figure> {
    FIGURES.iter().find(|f| f.id == id)
}

/// Highest utilisation a replica is sized for at peak: headroom for bursts, a lost replica and
/// the queueing delay that grows steeply past it (M/M/c waits explode as load nears 1).
pub const TARGET_UTILISATION: f64 = 0.7;
/// Assumed throughput of one instance when `replica_rps` is not answered, per second.
pub const DEFAULT_REPLICA_RPS: f64 = 500.0;

/// A replica count and what decided it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Replicas {
    /// max(by_rate, by_availability).
    pub count: u32,
    /// ceil(peak / (TARGET_UTILISATION x per_replica)).
    pub by_rate: u32,
    /// 1 below 99 %, 2 from 99 %, 3 from 99.99 %: enough to lose one replica (2) or one
    /// during a deploy (3) without an outage.
    pub by_availability: u32,
    /// Utilisation of each replica at peak with `count` replicas.
    pub utilisation: f64,
}

/// Replicas for a peak rate, a per-replica capacity and an availability target (a fraction).
/// Formula: n = max(ceil(λ / (ρ_max μ)), n_avail) with ρ_max = 0.7, the utilisation bound.
pub fn replicas(peak: f64, per_replica: f64, target: f64) -> Replicas {
    let per = per_replica.max(f64::MIN_POSITIVE);
    let by_rate = (peak / (TARGET_UTILISATION * per))
        .ceil()
        .clamp(1.0, f64::from(u32::MAX)) as u32;
    let by_availability = if target >= 0.9999 {
        3
    } else if target >= 0.99 {
        2
    } else {
        1
    };
    let count = by_rate.max(by_availability);
    Replicas {
        count,
        by_rate,
        by_availability,
        utilisation: peak / (f64::from(count) * per),
    }
}

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
        let r = replicas(peak, per, target);
        out.insert("instances", f64::from(r.by_rate));
        out.insert("replicas", f64::from(r.count));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_follow_the_rate_at_seventy_percent_and_never_drop_below_availability() {
        // 2M/s at 500/s per replica and 70 %: ceil(2e6 / 350) = 5715.
        let r = replicas(2e6, 500.0, 0.9999);
        assert_eq!((r.by_rate, r.by_availability, r.count), (5715, 3, 5715));
        assert!(r.utilisation <= TARGET_UTILISATION + 1e-12);
        // 50/s needs one replica by rate, but 99.9 % needs two.
        let r = replicas(50.0, 500.0, 0.999);
        assert_eq!((r.by_rate, r.count), (1, 2));
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
