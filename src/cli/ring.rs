//! `tradeoff ring`: simulate a consistent-hash ring. Runs longer than a second show a progress
//! bar on a terminal (never when stderr is redirected).

use super::figures::{Figures, flag, pct, print, sig};
use super::{FormatArg, table, value};
use crate::capacity::ring::{self, Params};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A ring of nodes × virtual nodes and keys.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Physical nodes.
    #[arg(long, value_parser = value::whole)]
    nodes: u32,
    /// Virtual nodes per physical node.
    #[arg(long, value_parser = value::whole, default_value = "100")]
    vnodes: u32,
    /// Keys to place: 1M.
    #[arg(long, value_parser = value::whole64, default_value = "1M")]
    keys: u64,
    /// Hash seed (the same seed gives the same answer).
    #[arg(long, default_value_t = 1, value_parser = value::seed)]
    seed: u64,
    /// Nodes to add for the keys-moved figure (0 to skip).
    #[arg(long, value_parser = value::whole, default_value = "1")]
    add: u32,
    /// Nodes to remove for the keys-moved figure (default 1 when there are at least 2 nodes;
    /// 0 to skip).
    #[arg(long, value_parser = value::whole)]
    remove: Option<u32>,
    /// Bounded loads: cap each node at ⌈bound × keys / nodes⌉ (1 + ε, e.g. 1.25).
    #[arg(long, value_parser = value::number)]
    bound: Option<f64>,
    /// Draw the per-node load as a bar chart to this SVG file.
    #[arg(long, value_name = "SVG")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg,
}

/// Runs `tradeoff ring`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let params = Params {
        nodes: a.nodes,
        vnodes: a.vnodes,
        keys: a.keys,
        seed: a.seed,
        add: a.add,
        remove: a.remove.unwrap_or(u32::from(a.nodes >= 2)),
        bound: a.bound,
    };
    let r =
        with_progress(ring::work(&params), |tick| ring::simulate(params, tick)).map_err(flag)?;

    let mut f = Figures::default();
    let mut load = table(["per-node load", "keys", "ring share", "theory"]);
    load.add_row([
        "max / mean".to_string(),
        sig(r.load.max_over_mean, 4),
        sig(r.share.max_over_mean, 4),
        String::new(),
    ]);
    load.add_row([
        "min / mean".to_string(),
        sig(r.load.min_over_mean, 4),
        sig(r.share.min_over_mean, 4),
        String::new(),
    ]);
    load.add_row([
        "std dev / mean".to_string(),
        pct(r.load.stddev_over_mean),
        pct(r.share.stddev_over_mean),
        format!(
            "{} share, {} with key noise",
            pct(r.theory_stddev_over_mean),
            pct(r.theory_with_keys_stddev_over_mean)
        ),
    ]);
    f.note("load.max_over_mean", sig(r.load.max_over_mean, 4))
        .note("load.stddev_over_mean", pct(r.load.stddev_over_mean))
        .note("share.stddev_over_mean", pct(r.share.stddev_over_mean))
        .note("theory_stddev_over_mean", pct(r.theory_stddev_over_mean));

    let mut moves = table(["change", "keys moved", "ideal", "hash mod N"]);
    for (what, m, n_after) in [
        ("add", r.added, a.nodes + params.add),
        ("remove", r.removed, a.nodes - params.remove.min(a.nodes)),
    ] {
        if let Some(m) = m {
            let label = format!("{what} {} ({} → {n_after} nodes)", m.nodes, a.nodes);
            moves.add_row([
                label,
                format!("{} ({})", pct(m.fraction), m.keys_moved),
                pct(m.ideal_fraction),
                pct(m.hash_mod_n_fraction),
            ]);
            let key = if what == "add" { "added" } else { "removed" };
            f.note(format!("{key}.fraction"), pct(m.fraction))
                .note(format!("{key}.ideal_fraction"), pct(m.ideal_fraction))
                .note(
                    format!("{key}.hash_mod_n_fraction"),
                    pct(m.hash_mod_n_fraction),
                );
        }
    }
    let mut tables = vec![load];
    if r.added.is_some() || r.removed.is_some() {
        tables.push(moves);
    }
    if let Some(b) = &r.bounded {
        let mut t = table(["bounded loads", "value"]);
        t.add_row([
            format!("capacity ⌈{} × keys / nodes⌉", sig(b.bound, 4)),
            b.capacity.to_string(),
        ]);
        t.add_row(["max / mean".to_string(), sig(b.load.max_over_mean, 4)]);
        t.add_row(["std dev / mean".to_string(), pct(b.load.stddev_over_mean)]);
        t.add_row([
            "keys forwarded past a full node".to_string(),
            pct(b.forwarded_fraction),
        ]);
        f.note("bounded.max_over_mean", sig(b.load.max_over_mean, 4))
            .note("bounded.forwarded_fraction", pct(b.forwarded_fraction));
        tables.push(t);
    }
    if let Some(path) = &a.plot {
        let svg = ring::plot_svg(&r).map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
        super::output::write_plot("--plot", path, &svg)?;
        f.note("plot", path.display().to_string());
    }
    let moved = r.added.map_or(String::new(), |m| {
        format!(
            "; adding {} node(s) moves {} of keys (ideal {}, hash mod N {})",
            m.nodes,
            pct(m.fraction),
            pct(m.ideal_fraction),
            pct(m.hash_mod_n_fraction)
        )
    });
    let interpretation = format!(
        "{} nodes × {} vnodes: the busiest node holds {}x the mean, spread {} (theory {}){moved}.",
        a.nodes,
        a.vnodes,
        sig(r.load.max_over_mean, 4),
        pct(r.load.stddev_over_mean),
        pct(r.theory_with_keys_stddev_over_mean)
    );
    print(a.format.format, &r, &f, &tables, &interpretation)
}

/// Runs `work` with a progress bar that appears on a terminal once a second has passed.
fn with_progress<T>(total: u64, work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T) -> T {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {bar:40} {percent}% {msg} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("simulating the ring");
    let terminal = std::io::stderr().is_terminal();
    let started = Instant::now();
    let shown = AtomicBool::new(false);
    let tick = |n: u64| {
        bar.inc(n);
        if terminal
            && started.elapsed() > Duration::from_secs(1)
            && !shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    };
    let out = work(&tick);
    bar.finish_and_clear();
    out
}
