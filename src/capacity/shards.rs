//! Shard counts: how many shards hold the data at a planning horizon and carry the peak
//! queries, what adding a shard moves under hash-mod-N versus consistent hashing, and how far
//! a hot key must be salted.
//!
//! Units: bytes, seconds, fractions per year, queries per second. Invariants: the count is at
//! least 1 and never decreases when data, growth, horizon or queries grow.

use super::Invalid;
use super::invalid::{Shown, finite};
use crate::units::YEAR;
use serde::Serialize;

/// Default shard size for [`for_data`]: 500 GB (decimal).
pub const DEFAULT_SHARD_SIZE: f64 = 500e9;
/// Default largest fill of a shard for [`for_data`]: 70 % (headroom for compaction, indexes
/// and uneven keys).
pub const DEFAULT_MAX_FILL: f64 = 0.7;
/// Default yearly growth for [`for_data`]: 40 %.
pub const DEFAULT_GROWTH: f64 = 0.4;
/// Default planning horizon for [`for_data`]: 3 years of 365 days.
pub const DEFAULT_HORIZON: f64 = 3.0 * YEAR;

/// Most shards a plan may need; past it the inputs are surely mistyped (and the count,
/// its power of two and N + 1 stay exact in a u64).
pub const MAX_SHARDS: f64 = 1e9;

const SIZE: &str = "a size above 0, e.g. 500GB or 1TiB";
const FILL: &str = "a fraction above 0 and at most 1, e.g. 0.7 or 70%";

/// What to size shards for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Inputs {
    /// Data today (bytes).
    pub data_bytes: f64,
    /// Growth per year, a fraction (0.4 = 40 %/y).
    pub growth_per_year: f64,
    /// Planning horizon (seconds; a year is 365 d).
    pub horizon_seconds: f64,
    /// Capacity of one shard (bytes).
    pub shard_size_bytes: f64,
    /// Largest fraction of a shard to fill, in (0, 1].
    pub max_fill: f64,
    /// Peak queries per second at the horizon, when known.
    pub qps: Option<f64>,
    /// Queries per second one shard serves, when known.
    pub shard_qps: Option<f64>,
    /// Queries per second on the hottest single key, when known.
    pub hot_key_qps: Option<f64>,
}

impl Inputs {
    /// The documented defaults for `data_bytes`: [`DEFAULT_GROWTH`], [`DEFAULT_HORIZON`],
    /// [`DEFAULT_SHARD_SIZE`], [`DEFAULT_MAX_FILL`], no throughput figures.
    pub fn with_defaults(data_bytes: f64) -> Self {
        Self {
            data_bytes,
            growth_per_year: DEFAULT_GROWTH,
            horizon_seconds: DEFAULT_HORIZON,
            shard_size_bytes: DEFAULT_SHARD_SIZE,
            max_fill: DEFAULT_MAX_FILL,
            qps: None,
            shard_qps: None,
            hot_key_qps: None,
        }
    }
}

/// What adding one shard to a cluster of N moves.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rebalance {
    /// Shards before (N).
    pub from: u64,
    /// Shards after (N + 1).
    pub to: u64,
    /// Fraction of keys hash mod N moves: N / (N + 1).
    pub hash_mod_n_fraction: f64,
    /// Bytes hash mod N moves at the horizon.
    pub hash_mod_n_bytes: f64,
    /// Fraction of keys an ideal consistent hash moves: 1 / (N + 1).
    pub consistent_fraction: f64,
    /// Bytes consistent hashing moves at the horizon.
    pub consistent_bytes: f64,
}

/// A shard plan.
///
/// Data at the horizon D_h = D·(1 + g)^years. Shards for storage = ⌈D_h / (size × fill)⌉;
/// for throughput = ⌈qps / shard qps⌉; the count is the larger (at least 1), also given rounded
/// up to a power of two for systems that split shards in halves. Adding a shard to N moves
/// N/(N+1) of the keys under hash mod N (a key stays only if k mod N = k mod (N+1): 3 → 4 moves
/// 75 %) but 1/(N+1) under consistent hashing (Karger et al., STOC 1997). A hot key of Q qps on
/// shards of S qps needs a salting factor ⌈Q / S⌉ (that many sub-keys, reads fan out to all).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The inputs.
    pub inputs: Inputs,
    /// Horizon in years (365 d).
    pub horizon_years: f64,
    /// Data at the horizon (bytes).
    pub data_at_horizon_bytes: f64,
    /// Usable bytes per shard: size × fill.
    pub usable_per_shard_bytes: f64,
    /// Shards the data needs.
    pub for_storage: u64,
    /// Shards the queries need, when qps and shard qps are given.
    pub for_throughput: Option<u64>,
    /// The count: max of the two, at least 1.
    pub count: u64,
    /// The count rounded up to a power of two.
    pub power_of_two: u64,
    /// Which need decided the count: `storage` or `throughput`.
    pub bound_by: &'static str,
    /// Fill of each shard at the horizon with `count` shards, a fraction.
    pub fill_at_horizon: f64,
    /// What adding one shard to `count` moves.
    pub rebalance: Rebalance,
    /// Sub-keys a hot key needs, when its qps and the shard qps are given.
    pub hot_key_salting: Option<u64>,
}

fn positive(input: &'static str, v: f64, accepted: &str) -> Result<f64, Invalid> {
    finite(input, v, accepted)?;
    if v > 0.0 {
        Ok(v)
    } else {
        Err(Invalid::new(input, v, "it must be above 0", accepted))
    }
}

fn non_negative(input: &'static str, v: f64, accepted: &str) -> Result<f64, Invalid> {
    finite(input, v, accepted)?;
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(Invalid::new(input, v, "it cannot be negative", accepted))
    }
}

/// Plans shards for `inputs`.
pub fn plan(inputs: Inputs) -> Result<Plan, Invalid> {
    non_negative("data", inputs.data_bytes, SIZE)?;
    positive("shard-size", inputs.shard_size_bytes, SIZE)?;
    non_negative(
        "horizon",
        inputs.horizon_seconds,
        "a duration such as 3y or 18months",
    )?;
    finite("growth", inputs.growth_per_year, "a growth such as 40%/y")?;
    if inputs.growth_per_year <= -1.0 {
        return Err(Invalid::new(
            "growth",
            inputs.growth_per_year,
            "growth must be above -100 %",
            "a growth such as 40%/y or -10%/y",
        ));
    }
    finite("max-fill", inputs.max_fill, FILL)?;
    if !(inputs.max_fill > 0.0 && inputs.max_fill <= 1.0) {
        return Err(Invalid::new(
            "max-fill",
            inputs.max_fill,
            "the fill must be above 0 and at most 1",
            FILL,
        ));
    }
    let qps_pair = match (inputs.qps, inputs.shard_qps) {
        (Some(q), Some(s)) => Some((
            non_negative("qps", q, "a rate such as 50k")?,
            positive("shard-qps", s, "a rate above 0 such as 5k")?,
        )),
        (Some(q), None) => {
            return Err(Invalid::new(
                "shard-qps",
                "(missing)",
                format!("--qps {q} needs the throughput of one shard"),
                "a rate above 0 such as 5k, given with --qps",
            ));
        }
        (None, Some(s)) => {
            return Err(Invalid::new(
                "qps",
                "(missing)",
                format!("--shard-qps {s} needs the peak queries to divide"),
                "a rate such as 50k, given with --shard-qps",
            ));
        }
        (None, None) => None,
    };
    if let Some(h) = inputs.hot_key_qps {
        non_negative("hot-key-qps", h, "a rate such as 20k")?;
        if inputs.shard_qps.is_none() {
            return Err(Invalid::new(
                "shard-qps",
                "(missing)",
                "--hot-key-qps needs the throughput of one shard",
                "a rate above 0 such as 5k",
            ));
        }
    }

    let years = inputs.horizon_seconds / YEAR;
    let data_h = inputs.data_bytes * (1.0 + inputs.growth_per_year).powf(years);
    let usable = inputs.shard_size_bytes * inputs.max_fill;
    let storage_shards = data_h / usable;
    if storage_shards.is_nan() || storage_shards > MAX_SHARDS {
        return Err(Invalid::new(
            "data",
            crate::units::format_bytes(inputs.data_bytes),
            if data_h.is_finite() {
                format!(
                    "growing to {} at the horizon, it needs more than {MAX_SHARDS:e} shards of {}",
                    crate::units::format_bytes(data_h),
                    crate::units::format_bytes(usable)
                )
            } else {
                "compounded over the horizon, its growth is beyond any number of shards".to_string()
            },
            format!(
                "at most {MAX_SHARDS:e} shards: less data, growth or horizon, or larger shards"
            ),
        ));
    }
    if let Some((q, s)) = qps_pair
        && ((q / s).is_nan() || q / s > MAX_SHARDS)
    {
        return Err(Invalid::new(
            "qps",
            q,
            format!(
                "it needs more than {MAX_SHARDS:e} shards of {} queries per second",
                s.shown()
            ),
            format!("at most {MAX_SHARDS:e} shards: fewer queries or faster shards (--shard-qps)"),
        ));
    }
    if let Some(h) = inputs.hot_key_qps
        && let Some(s) = inputs.shard_qps
        && ((h / s).is_nan() || h / s > MAX_SHARDS)
    {
        return Err(Invalid::new(
            "hot-key-qps",
            h,
            format!(
                "it needs more than {MAX_SHARDS:e} sub-keys of {} queries per second",
                s.shown()
            ),
            format!("at most {MAX_SHARDS:e} sub-keys: a cooler key or faster shards (--shard-qps)"),
        ));
    }
    let for_storage = ceil_count(storage_shards);
    let for_throughput = qps_pair.map(|(q, s)| ceil_count(q / s));
    let count = for_storage.max(for_throughput.unwrap_or(0)).max(1);
    let bound_by = if for_throughput.is_some_and(|t| t > for_storage) {
        "throughput"
    } else {
        "storage"
    };
    let n = count as f64;
    Ok(Plan {
        inputs,
        horizon_years: years,
        data_at_horizon_bytes: data_h,
        usable_per_shard_bytes: usable,
        for_storage,
        for_throughput,
        count,
        power_of_two: count.next_power_of_two(),
        bound_by,
        fill_at_horizon: data_h / (n * inputs.shard_size_bytes),
        rebalance: Rebalance {
            from: count,
            to: count + 1,
            hash_mod_n_fraction: n / (n + 1.0),
            hash_mod_n_bytes: data_h * n / (n + 1.0),
            consistent_fraction: 1.0 / (n + 1.0),
            consistent_bytes: data_h / (n + 1.0),
        },
        hot_key_salting: inputs
            .hot_key_qps
            .zip(inputs.shard_qps)
            .map(|(h, s)| ceil_count(h / s).max(1)),
    })
}

/// ⌈x⌉ as a count, with a relative tolerance so 32.000000000001 from float noise stays 32.
fn ceil_count(x: f64) -> u64 {
    let r = x.round();
    let c = if (x - r).abs() <= 1e-9 * r.abs().max(1.0) {
        r
    } else {
        x.ceil()
    };
    c.max(0.0) as u64
}

/// The shard count for `data_bytes` today, growing at `growth_per_year` (default
/// [`DEFAULT_GROWTH`]) over [`DEFAULT_HORIZON`], on shards of [`DEFAULT_SHARD_SIZE`] filled to
/// [`DEFAULT_MAX_FILL`]. What the advisor uses to fill a design's shard estimate from
/// `data_size`.
pub fn for_data(data_bytes: f64, growth_per_year: Option<f64>) -> Result<Plan, Invalid> {
    let mut inputs = Inputs::with_defaults(data_bytes);
    if let Some(g) = growth_per_year {
        inputs.growth_per_year = g;
    }
    plan(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn example() -> Inputs {
        Inputs {
            data_bytes: 4e12,
            growth_per_year: 0.4,
            horizon_seconds: 3.0 * YEAR,
            shard_size_bytes: 500e9,
            max_fill: 0.7,
            qps: Some(50e3),
            shard_qps: Some(5e3),
            hot_key_qps: None,
        }
    }

    #[test]
    fn four_terabytes_at_forty_percent_for_three_years_need_thirty_two_shards() {
        let p = plan(example()).unwrap();
        assert!((p.data_at_horizon_bytes - 10.976e12).abs() < 1.0);
        assert_eq!(p.for_storage, 32);
        assert_eq!(p.for_throughput, Some(10));
        assert_eq!(p.count, 32);
        assert_eq!(p.power_of_two, 32);
        assert_eq!(p.bound_by, "storage");
    }

    #[test]
    fn hash_mod_n_moves_three_quarters_from_three_to_four() {
        let mut i = example();
        i.data_bytes = 1e12;
        i.growth_per_year = 0.0;
        i.qps = None;
        i.shard_qps = None;
        i.shard_size_bytes = 1e12 / 3.0 / 0.7;
        let p = plan(i).unwrap();
        assert_eq!(p.count, 3);
        assert!((p.rebalance.hash_mod_n_fraction - 0.75).abs() < 1e-12);
        assert!((p.rebalance.consistent_fraction - 0.25).abs() < 1e-12);
        // Check the mod-N claim on actual keys.
        let moved = (0u64..12_000).filter(|k| k % 3 != k % 4).count();
        assert_eq!(moved, 9_000);
    }

    #[test]
    fn throughput_can_decide_and_is_rounded_to_a_power_of_two() {
        let mut i = example();
        i.qps = Some(200e3);
        let p = plan(i).unwrap();
        assert_eq!(p.count, 40);
        assert_eq!(p.power_of_two, 64);
        assert_eq!(p.bound_by, "throughput");
    }

    #[test]
    fn a_hot_key_needs_its_qps_over_the_shard_qps_sub_keys() {
        let mut i = example();
        i.hot_key_qps = Some(12e3);
        assert_eq!(plan(i).unwrap().hot_key_salting, Some(3));
    }

    #[test]
    fn the_advisor_function_uses_the_documented_defaults() {
        let p = for_data(4e12, None).unwrap();
        assert_eq!(p.count, 32);
        assert_eq!(p.inputs.max_fill, 0.7);
        assert_eq!(for_data(0.0, None).unwrap().count, 1);
        assert_eq!(for_data(4e12, Some(0.0)).unwrap().count, 12);
    }

    #[test]
    fn refuses_plans_past_a_billion_shards_instead_of_overflowing() {
        // Found by the bad-input suite: 1e10 %/y over 100 years, or 1e18 qps on shards of
        // 1e-9 qps, overflowed the u64 count.
        let mut i = example();
        i.growth_per_year = 1e8;
        i.horizon_seconds = 100.0 * YEAR;
        assert_eq!(plan(i).unwrap_err().input, "data");
        let mut i = example();
        i.qps = Some(1e18);
        i.shard_qps = Some(1e-9);
        assert_eq!(plan(i).unwrap_err().input, "qps");
        let mut i = example();
        i.hot_key_qps = Some(1e18);
        i.qps = Some(1.0);
        i.shard_qps = Some(1e-9);
        assert_eq!(plan(i).unwrap_err().input, "hot-key-qps");
    }

    #[test]
    fn refuses_a_fill_outside_zero_to_one_and_half_given_throughput() {
        let mut i = example();
        i.max_fill = 1.5;
        let e = plan(i).unwrap_err();
        assert_eq!(e.input, "max-fill");
        assert!(e.to_string().contains("(0, 1]") || e.accepted.contains("at most 1"));
        i.max_fill = 0.0;
        assert_eq!(plan(i).unwrap_err().input, "max-fill");
        let mut i = example();
        i.shard_qps = None;
        assert_eq!(plan(i).unwrap_err().input, "shard-qps");
    }

    proptest! {
        #[test]
        fn shard_count_grows_with_data_and_growth(
            data in 0.0f64..1e15, extra in 0.0f64..1e15, g in 0.0f64..2.0, dg in 0.0f64..1.0,
        ) {
            let a = for_data(data, Some(g)).unwrap().count;
            prop_assert!(for_data(data + extra, Some(g)).unwrap().count >= a);
            prop_assert!(for_data(data, Some(g + dg)).unwrap().count >= a);
            prop_assert!(a >= 1);
        }
    }
}
