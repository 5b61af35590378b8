//! `tradeoff ratelimit`: token-bucket behaviour and the per-node share of a global limit.

use super::figures::{Figures, flag, print, sig};
use super::{FormatArg, value};
use crate::capacity::ratelimit;
use crate::units::format_duration;

/// A token bucket (rate, burst).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Refill rate: 10/s, 5000/h.
    #[arg(long, value_parser = value::rate)]
    rate: f64,
    /// Bucket capacity in tokens (requests).
    #[arg(long, value_parser = value::count)]
    burst: f64,
    /// Nodes that share one global limit, each enforcing its own bucket.
    #[arg(long, value_parser = value::whole)]
    nodes: Option<u32>,
    /// Windows to report admissions for (default 1s,1m,1h).
    #[arg(long, value_parser = value::duration, value_delimiter = ',')]
    window: Vec<f64>,
    /// An offered steady rate, to see how long a full bucket absorbs it: 50/s.
    #[arg(long, value_parser = value::rate)]
    offered: Option<f64>,
    #[command(flatten)]
    format: FormatArg,
}

fn per_second(r: f64) -> String {
    format!("{}/s", sig(r, 6))
}

/// Runs `tradeoff ratelimit`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let windows = if a.window.is_empty() {
        ratelimit::DEFAULT_WINDOWS.to_vec()
    } else {
        a.window.clone()
    };
    let b = ratelimit::analyse(a.rate, a.burst, &windows, a.offered, a.nodes).map_err(flag)?;
    let mut f = Figures::default();
    f.add(
        "max_burst",
        "largest burst admitted at once",
        format!("{} requests", sig(b.max_burst, 6)),
    )
    .add(
        "refill_seconds",
        "refill from empty (burst / rate)",
        format_duration(b.refill_seconds),
    )
    .add(
        "sustained_rate_per_second",
        "sustained rate",
        per_second(b.sustained_rate_per_second),
    )
    .add(
        "token_interval_seconds",
        "one token every",
        format_duration(b.token_interval_seconds),
    );
    for (i, w) in b.windows.iter().enumerate() {
        f.add(
            format!("windows[{i}].admitted"),
            format!(
                "most admitted in {} (burst + rate × T)",
                format_duration(w.seconds)
            ),
            format!(
                "{} ({} average)",
                sig(w.admitted, 8),
                per_second(w.average_rate)
            ),
        );
    }
    if let Some(r) = b.offered_rate_per_second {
        f.add(
            "absorbs_offered_for_seconds",
            format!("a full bucket absorbs {} for", per_second(r)),
            b.absorbs_offered_for_seconds
                .map_or("ever (offered ≤ rate)".into(), format_duration),
        );
    }
    if let Some(s) = b.split {
        f.add(
            "split.rate_per_node",
            format!("rate per node (÷ {})", s.nodes),
            per_second(s.rate_per_node),
        )
        .add(
            "split.burst_per_node",
            "burst per node (rounded down to whole tokens)",
            format!(
                "{} (exact {})",
                sig(s.burst_per_node, 6),
                sig(s.burst_per_node_exact, 6)
            ),
        )
        .add(
            "split.burst_lost_to_rounding",
            "burst tokens lost to rounding",
            sig(s.burst_lost_to_rounding, 6),
        )
        .add(
            "split.unsplit_rate",
            "cluster rate if every node kept the full limit",
            per_second(s.unsplit_rate),
        );
    }
    let split = match b.split {
        Some(s) => format!(
            "; split over {} nodes each bucket gets {} with {} tokens, so a client pinned to one node gets only its share",
            s.nodes,
            per_second(s.rate_per_node),
            sig(s.burst_per_node, 6)
        ),
        None => String::new(),
    };
    let interpretation = format!(
        "A bucket of {} tokens refilled at {} admits a burst of {} and then {}; empty, it refills in {}{split}.",
        sig(b.burst, 6),
        per_second(b.rate_per_second),
        sig(b.max_burst, 6),
        per_second(b.sustained_rate_per_second),
        format_duration(b.refill_seconds)
    );
    let t = f.table(["token bucket", "value"]);
    print(a.format.format, &b, &f, &[t], &interpretation)
}
