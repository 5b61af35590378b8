//! `tradeoff quorum`: overlap, write conflicts, tolerated failures and reachability of an
//! (N, W, R) configuration.

use super::figures::{Figures, flag, nines, pct, print, yes_no};
use super::{FormatArg, value};
use crate::capacity::quorum;

/// Quorum sizes N, W, R.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Replicas N.
    #[arg(long, value_parser = value::whole)]
    n: u32,
    /// Write quorum W (default: majority ⌊N/2⌋ + 1).
    #[arg(long, value_parser = value::whole)]
    w: Option<u32>,
    /// Read quorum R (default: majority ⌊N/2⌋ + 1).
    #[arg(long, value_parser = value::whole)]
    r: Option<u32>,
    /// Probability each replica is up, independently: 0.99, 99 or 99%.
    #[arg(long, value_parser = value::availability)]
    node_availability: Option<f64>,
    #[command(flatten)]
    format: FormatArg,
}

/// Runs `tradeoff quorum`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let m = quorum::majority(a.n.max(1));
    let q = quorum::analyse(a.n, a.w.unwrap_or(m), a.r.unwrap_or(m), a.node_availability)
        .map_err(flag)?;
    let mut f = Figures::default();
    let (n, w, r) = (q.n, q.w, q.r);
    f.add(
        "overlap",
        "reads see the latest write (R + W > N)",
        format!(
            "{}: {r} + {w} {} {n}",
            yes_no(q.overlap),
            if q.overlap { ">" } else { "<=" }
        ),
    )
    .add(
        "write_conflicts_prevented",
        "conflicting writes prevented (W > N/2)",
        format!(
            "{}: {w} {} {}",
            yes_no(q.write_conflicts_prevented),
            if q.write_conflicts_prevented {
                ">"
            } else {
                "<="
            },
            f64::from(n) / 2.0
        ),
    )
    .add(
        "majority",
        "majority quorum ⌊N/2⌋ + 1",
        q.majority.to_string(),
    )
    .add(
        "read_failures_tolerated",
        "replica failures reads survive (N - R)",
        format!("{} of {n}", q.read_failures_tolerated),
    )
    .add(
        "write_failures_tolerated",
        "replica failures writes survive (N - W)",
        format!("{} of {n}", q.write_failures_tolerated),
    );
    if let (Some(p), Some(read), Some(write), Some(maj)) = (
        q.node_availability,
        q.read,
        q.write,
        q.majority_reachability,
    ) {
        f.add("node_availability", "per-node availability p", nines(p))
            .add(
                "read.available",
                format!("read quorum ({r} of {n}) reachable"),
                nines(read.available),
            )
            .add(
                "read.unavailable",
                "read quorum unreachable",
                pct(read.unavailable),
            )
            .add(
                "write.available",
                format!("write quorum ({w} of {n}) reachable"),
                nines(write.available),
            )
            .add(
                "write.unavailable",
                "write quorum unreachable",
                pct(write.unavailable),
            )
            .add(
                "majority_reachability.unavailable",
                format!("majority ({} of {n}) unreachable", q.majority),
                pct(maj.unavailable),
            );
    }
    let consistency = if q.overlap {
        format!(
            "every read quorum of {r} meets every write quorum of {w}, so reads see the latest write"
        )
    } else {
        format!("a read of {r} can miss a write of {w} (R + W <= N): reads may be stale")
    };
    let interpretation = format!(
        "N={n}, W={w}, R={r}: {consistency}; reads survive {} and writes {} failed replicas.",
        q.read_failures_tolerated, q.write_failures_tolerated
    );
    let t = f.table(["quorum", "value"]);
    print(a.format.format, &q, &f, &[t], &interpretation)
}
