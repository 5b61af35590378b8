//! `tradeoff shards`: shard count from data, growth, horizon and throughput; rebalancing cost.

use super::figures::{Figures, flag, pct, print};
use super::{FormatArg, value};
use crate::capacity::shards::{self, Inputs};
use crate::units::{format_bytes, format_count, trim_float};

/// Data and throughput to size shards for. Defaults: growth 40%/y, horizon 3y, shard size
/// 500GB, max fill 0.7.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data today: 4TB, 500GiB.
    #[arg(long, value_parser = value::size)]
    data: f64,
    /// Growth per year: 40%/y (default 40%/y).
    #[arg(long, value_parser = value::growth)]
    growth: Option<f64>,
    /// Planning horizon: 3y (default 3y).
    #[arg(long, value_parser = value::duration)]
    horizon: Option<f64>,
    /// Capacity of one shard: 500GB (default 500GB).
    #[arg(long, value_parser = value::size)]
    shard_size: Option<f64>,
    /// Largest fill of a shard, in (0, 1]: 0.7 or 70% (default 0.7).
    #[arg(long, value_parser = value::fraction)]
    max_fill: Option<f64>,
    /// Peak queries per second at the horizon: 50k.
    #[arg(long, value_parser = value::rate)]
    qps: Option<f64>,
    /// Queries per second one shard serves: 5k.
    #[arg(long, value_parser = value::rate)]
    shard_qps: Option<f64>,
    /// Queries per second on the hottest key, for its salting factor: 20k.
    #[arg(long, value_parser = value::rate)]
    hot_key_qps: Option<f64>,
    #[command(flatten)]
    format: FormatArg,
}

/// Runs `tradeoff shards`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let mut inputs = Inputs::with_defaults(a.data);
    inputs.growth_per_year = a.growth.unwrap_or(inputs.growth_per_year);
    inputs.horizon_seconds = a.horizon.unwrap_or(inputs.horizon_seconds);
    inputs.shard_size_bytes = a.shard_size.unwrap_or(inputs.shard_size_bytes);
    inputs.max_fill = a.max_fill.unwrap_or(inputs.max_fill);
    inputs.qps = a.qps;
    inputs.shard_qps = a.shard_qps;
    inputs.hot_key_qps = a.hot_key_qps;
    let p = shards::plan(inputs).map_err(flag)?;
    let years = trim_float(p.horizon_years, 2);
    let mut f = Figures::default();
    f.add(
        "data_at_horizon_bytes",
        format!(
            "data in {years} y at {}/y (D × (1 + g)^years)",
            pct(inputs.growth_per_year)
        ),
        format!(
            "{} (now {})",
            format_bytes(p.data_at_horizon_bytes),
            format_bytes(inputs.data_bytes)
        ),
    )
    .add(
        "usable_per_shard_bytes",
        format!(
            "usable per shard ({} × {})",
            format_bytes(inputs.shard_size_bytes),
            pct(inputs.max_fill)
        ),
        format_bytes(p.usable_per_shard_bytes),
    )
    .add(
        "for_storage",
        "shards for storage",
        p.for_storage.to_string(),
    );
    if let (Some(t), Some(q), Some(s)) = (p.for_throughput, inputs.qps, inputs.shard_qps) {
        f.add(
            "for_throughput",
            format!(
                "shards for throughput ({}/s ÷ {}/s)",
                format_count(q),
                format_count(s)
            ),
            t.to_string(),
        );
    }
    f.add(
        "count",
        format!("shard count (bound by {})", p.bound_by),
        p.count.to_string(),
    )
    .add(
        "power_of_two",
        "rounded up to a power of two",
        p.power_of_two.to_string(),
    )
    .add(
        "fill_at_horizon",
        "fill at the horizon",
        pct(p.fill_at_horizon),
    )
    .add(
        "rebalance.hash_mod_n_fraction",
        format!("adding shard {}: hash mod N moves N/(N+1)", p.rebalance.to),
        format!(
            "{} ({})",
            pct(p.rebalance.hash_mod_n_fraction),
            format_bytes(p.rebalance.hash_mod_n_bytes)
        ),
    )
    .add(
        "rebalance.consistent_fraction",
        "consistent hashing moves 1/(N+1)",
        format!(
            "{} ({})",
            pct(p.rebalance.consistent_fraction),
            format_bytes(p.rebalance.consistent_bytes)
        ),
    );
    if let Some(s) = p.hot_key_salting {
        f.add(
            "hot_key_salting",
            "hot-key salting factor (sub-keys; reads fan out)",
            s.to_string(),
        );
    }
    let interpretation = format!(
        "{} shards ({} as a power of two) hold {} at {} fill in {years} years; adding one more moves {} of the data with hash mod N but {} with consistent hashing.",
        p.count,
        p.power_of_two,
        format_bytes(p.data_at_horizon_bytes),
        pct(p.fill_at_horizon),
        pct(p.rebalance.hash_mod_n_fraction),
        pct(p.rebalance.consistent_fraction)
    );
    let t = f.table(["shards", "value"]);
    print(a.format.format, &p, &f, &[t], &interpretation)
}
