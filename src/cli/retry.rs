//! `tradeoff retry`: load amplification, backoff schedule and worst-case latency.

use super::figures::{Figures, flag, print, sig, yes_no};
use super::value::Jitter;
use super::{FormatArg, table, value};
use crate::capacity::retry::{self, Policy};
use crate::units::format_duration;

/// A retry policy across layers.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Tries per call at each layer, the first included.
    #[arg(long, value_parser = value::whole)]
    attempts: u32,
    /// Layers that each retry (client, gateway, service, ...).
    #[arg(long, value_parser = value::whole, default_value = "1")]
    layers: u32,
    /// Base delay of the exponential backoff.
    #[arg(long, value_parser = value::duration, default_value = "100ms")]
    base: f64,
    /// Largest delay.
    #[arg(long, value_parser = value::duration, default_value = "10s")]
    cap: f64,
    /// Jitter (AWS Architecture Blog definitions).
    #[arg(long, value_enum, default_value_t = Jitter::Full)]
    jitter: Jitter,
    /// Timeout of one try; with it the worst case counts every try timing out.
    #[arg(long, value_parser = value::duration)]
    per_try_timeout: Option<f64>,
    /// The caller's overall time budget to compare the worst case with.
    #[arg(long, value_parser = value::duration)]
    timeout: Option<f64>,
    /// Also draw one random schedule with this seed (deterministic).
    #[arg(long, value_parser = super::value::seed)]
    seed: Option<u64>,
    #[command(flatten)]
    format: FormatArg,
}

/// Runs `tradeoff retry`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let policy = Policy {
        attempts: a.attempts,
        layers: a.layers,
        base_seconds: a.base,
        cap_seconds: a.cap,
        jitter: a.jitter.into(),
        per_try_timeout_seconds: a.per_try_timeout,
        budget_seconds: a.timeout,
    };
    let r = retry::analyse(policy, a.seed).map_err(flag)?;
    let mut f = Figures::default();
    f.add(
        "amplification",
        format!(
            "worst-case amplification (attempts^layers = {}^{})",
            a.attempts, a.layers
        ),
        format!("{}x", sig(r.amplification, 6)),
    );
    for (i, l) in r.layers.iter().enumerate() {
        f.add(
            format!("layers[{i}].calls"),
            format!("calls reaching layer {} per request", l.layer),
            sig(l.calls, 6),
        );
    }
    f.add(
        "formula",
        "jitter",
        format!("{:?}: {}", a.jitter, r.formula).to_lowercase(),
    )
    .add(
        "total_max_delay_seconds",
        "sum of delays (min to max)",
        format!(
            "{} to {}",
            format_duration(r.total_min_delay_seconds),
            format_duration(r.total_max_delay_seconds)
        ),
    )
    .add(
        "worst_case_latency_seconds",
        match a.per_try_timeout {
            Some(_) => "worst-case latency (attempts × per-try timeout + max delays)",
            None => "worst-case latency (max delays only: no --per-try-timeout)",
        },
        format_duration(r.worst_case_latency_seconds),
    );
    if let (Some(budget), Some(fits)) = (a.timeout, r.fits_budget) {
        f.add(
            "fits_budget",
            format!("fits the {} budget", format_duration(budget)),
            yes_no(fits),
        );
    }
    if let Some(n) = r.attempts_within_budget {
        f.add(
            "attempts_within_budget",
            "most attempts whose worst case fits the budget",
            n.to_string(),
        );
    }
    let mut header = vec!["retry", "capped exponential", "min delay", "max delay"];
    if a.seed.is_some() {
        header.push("sampled");
    }
    let mut schedule = table(header);
    for (i, d) in r.schedule.iter().enumerate() {
        let mut row = vec![
            d.retry.to_string(),
            format_duration(d.exponential_seconds),
            format_duration(d.min_seconds),
            format_duration(d.max_seconds),
        ];
        f.note(
            format!("schedule[{i}].min_seconds"),
            format_duration(d.min_seconds),
        );
        f.note(
            format!("schedule[{i}].max_seconds"),
            format_duration(d.max_seconds),
        );
        if let Some(s) = d.sample_seconds {
            row.push(format_duration(s));
            f.note(format!("schedule[{i}].sample_seconds"), format_duration(s));
        }
        schedule.add_row(row);
    }
    let budget = match (a.timeout, r.fits_budget) {
        (Some(b), Some(true)) => format!("; that fits the {} budget", format_duration(b)),
        (Some(b), Some(false)) => format!(
            "; that overruns the {} budget: use fewer attempts, shorter per-try timeouts or a retry budget",
            format_duration(b)
        ),
        _ => String::new(),
    };
    let spread = if a.layers == 1 {
        format!(
            "{} attempts make up to {} calls per request",
            a.attempts, a.attempts
        )
    } else {
        format!(
            "{} attempts at each of {} layers can turn one failing request into {} calls at the bottom",
            a.attempts,
            a.layers,
            sig(r.amplification, 6)
        )
    };
    let interpretation = format!(
        "{spread}; the worst case takes {}{budget}.",
        format_duration(r.worst_case_latency_seconds)
    );
    let summary = f.table(["retry policy", "value"]);
    let tables = if r.schedule.is_empty() {
        vec![summary]
    } else {
        vec![summary, schedule]
    };
    print(a.format.format, &r, &f, &tables, &interpretation)
}
