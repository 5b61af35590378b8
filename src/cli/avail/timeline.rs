//! `tradeoff avail simulate`: a topology through time (components failing and being
//! repaired at random), summarised over many runs.

use super::super::value::positive_duration as duration;
use super::{Bar, YearArg, confidence, read_topology, sci};
use crate::capacity::topology::{self, Failure, Timeline, TimelinePlan};
use crate::cli::{FormatArg, emit, table};
use crate::units::{self, format_duration, format_percent, trim_float};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;

/// `avail simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The topology file (format: docs/topology.md).
    pub topology: PathBuf,
    /// Length of each simulated run, e.g. 1y, 90d.
    #[arg(long, value_name = "DURATION", default_value = "1y", value_parser = duration)]
    pub horizon: f64,
    /// Number of independent runs, e.g. 1000, 10k.
    #[arg(long, value_name = "N", default_value = "1000", value_parser = runs)]
    pub runs: u64,
    /// Seed of the random streams (same seed, same result on any number of cores).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Distribution of times to failure (repairs are exponential).
    #[arg(long, value_enum, default_value_t = FailureArg::Exponential)]
    pub failure: FailureArg,
    /// Weibull shape k (with --failure weibull): above 1 wear-out, below 1 early failures.
    #[arg(long, value_name = "K", value_parser = shape, required_if_eq("failure", "weibull"))]
    pub shape: Option<f64>,
    /// MTTR assumed for components given only as an availability (their MTTF then keeps
    /// that availability: MTTF = MTTR x A / (1 - A)).
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = duration)]
    pub default_mttr: f64,
    /// Confidence level of the interval on mean availability: 0.95 or 95%.
    #[arg(long, value_name = "LEVEL", default_value = "0.95", value_parser = confidence)]
    pub confidence: f64,
    #[command(flatten)]
    pub year: YearArg,
    #[command(flatten)]
    pub format: FormatArg,
}

/// The `--failure` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailureArg {
    /// Constant failure rate 1/MTTF.
    Exponential,
    /// Weibull with shape --shape and mean MTTF.
    Weibull,
}

#[derive(Debug, Serialize)]
struct Report {
    file: String,
    #[serde(flatten)]
    timeline: Timeline,
    horizon_text: String,
    availability_percent: String,
    /// The static availability (exact solver) the long-run mean should approach.
    #[serde(skip_serializing_if = "Option::is_none")]
    exact_availability: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval_covers_exact: Option<bool>,
    assumed_mttr: Vec<String>,
    year_days: f64,
}

/// Runs `avail simulate`.
pub fn run(a: SimulateArgs) -> anyhow::Result<()> {
    let shown = a.topology.display().to_string();
    let t = read_topology(&a.topology, &shown)?;
    if a.shape.is_some() && a.failure != FailureArg::Weibull {
        return Err(super::usage(
            "--shape: only used with --failure weibull; accepted: --failure weibull --shape K",
        ));
    }
    // Simulated time is what costs: cap runs × horizon so a typo cannot run for hours.
    let run_years = a.runs as f64 * a.horizon / units::YEAR;
    if run_years > MAX_RUN_YEARS {
        return Err(super::usage(format!(
            "--runs {} × --horizon {} is {} simulated years; at most {} are accepted (e.g. 10k runs of 1y, or 100 runs of 100y)",
            a.runs,
            format_duration(a.horizon),
            units::format_count(run_years),
            units::format_count(MAX_RUN_YEARS)
        )));
    }
    let failure = match (a.failure, a.shape) {
        (FailureArg::Weibull, Some(shape)) => Failure::Weibull { shape },
        _ => Failure::Exponential,
    };
    let plan = TimelinePlan {
        horizon: a.horizon,
        runs: a.runs,
        seed: a.seed,
        failure,
        default_mttr: a.default_mttr,
        confidence: a.confidence,
        year: a.year.year.seconds(),
    };
    let mut bar = Bar::new("{spinner} simulating {pos}/{len} runs [{bar:30}] {percent}% eta {eta}");
    let timeline = topology::timeline(&t, &plan, &mut |p| bar.update(p.done, p.runs, String::new));
    bar.finish();
    let exact = topology::solve(&t).ok().map(|s| s.availability);
    let report = Report {
        file: shown,
        horizon_text: format_duration(a.horizon),
        availability_percent: format_percent(timeline.availability),
        exact_availability: exact,
        interval_covers_exact: match (exact, timeline.availability_low, timeline.availability_high)
        {
            (Some(x), Some(lo), Some(hi)) => Some(lo <= x && x <= hi),
            _ => None,
        },
        assumed_mttr: timeline
            .components
            .iter()
            .filter(|c| c.assumed && c.mttf.is_some())
            .map(|c| c.name.clone())
            .collect(),
        year_days: a.year.year.days(),
        timeline,
    };
    emit(a.format.format, &report, human)
}

fn human(r: &Report) -> String {
    let t = &r.timeline;
    let mut table = table(["figure", "value"]);
    let failure = match t.failure {
        Failure::Exponential => "exponential".to_string(),
        Failure::Weibull { shape } => format!("Weibull, shape {}", trim_float(shape, 3)),
    };
    table.add_row([
        "runs".to_string(),
        format!("{} runs of {} (seed {})", t.runs, r.horizon_text, t.seed),
    ]);
    table.add_row([
        "times".to_string(),
        format!("{failure} failures with mean MTTF, exponential repairs with mean MTTR"),
    ]);
    table.add_row([
        "mean availability".to_string(),
        r.availability_percent.clone(),
    ]);
    if let (Some(lo), Some(hi)) = (t.availability_low, t.availability_high) {
        table.add_row([
            format!(
                "{}% interval (student t)",
                trim_float(t.confidence * 100.0, 2)
            ),
            format!("{} to {}", format_percent(lo), format_percent(hi)),
        ]);
    }
    if let Some(x) = r.exact_availability {
        let covers = match r.interval_covers_exact {
            Some(true) => " (inside the interval)",
            Some(false) => " (outside the interval)",
            None => "",
        };
        table.add_row([
            "static availability (exact)".to_string(),
            format!("{}{covers}", format_percent(x)),
        ]);
    }
    table.add_row(["mean unavailability".to_string(), sci(t.unavailability)]);
    let d = &t.downtime_per_year;
    table.add_row(["downtime/year mean".to_string(), format_duration(d.mean)]);
    table.add_row([
        "downtime/year p50 / p95 / p99".to_string(),
        format!(
            "{} / {} / {}",
            format_duration(d.p50),
            format_duration(d.p95),
            format_duration(d.p99)
        ),
    ]);
    table.add_row([
        "outages/year mean / p95".to_string(),
        format!(
            "{} / {}",
            trim_float(t.outages_per_year.mean, 3),
            trim_float(t.outages_per_year.p95, 3)
        ),
    ]);
    table.add_row([
        "mean outage".to_string(),
        t.mean_outage
            .map_or("no outage seen".to_string(), format_duration),
    ]);
    table.add_row([
        "component events".to_string(),
        units::format_count(t.events as f64),
    ]);
    let mut out = table.to_string();
    out += &format!(
        "\n{}: {} available over {} runs of {}; down {} a year on average, {} in the worst 5% of years (year = {} d).",
        r.file,
        r.availability_percent,
        t.runs,
        r.horizon_text,
        format_duration(d.mean),
        format_duration(d.p95),
        trim_float(r.year_days, 4)
    );
    if let Failure::Weibull { .. } = t.failure {
        out += "\nnote: with Weibull failures every component starts as new, so over a horizon of a few MTTFs or less the mean differs from the long-run (static) availability by design.";
    }
    if !r.assumed_mttr.is_empty() {
        out += &format!(
            "\nnote: {} component{} given only as an availability got MTTR {} (--default-mttr) and MTTF = MTTR x A / (1 - A): {}",
            r.assumed_mttr.len(),
            if r.assumed_mttr.len() == 1 { "" } else { "s" },
            format_duration(t.default_mttr),
            r.assumed_mttr.join(", ")
        );
    }
    out
}

const RUNS: &str = "a whole number of runs from 1 to 1e9, e.g. 1000, 10k";

/// Most simulated years (runs × horizon) one `avail simulate` may cover: about a minute of
/// work for a topology of ten components on two cores.
const MAX_RUN_YEARS: f64 = 1e7;

fn runs(s: &str) -> Result<u64, units::Error> {
    let err = |reason: &str| units::Error {
        input: s.to_string(),
        kind: "run count",
        reason: reason.to_string(),
        accepted: RUNS,
    };
    let n = units::parse_count(s).map_err(|e| err(&e.reason))?;
    if n < 1.0 || n.fract() != 0.0 || n > 1e9 {
        return Err(err("it must be a whole number from 1 to 1e9"));
    }
    Ok(n as u64)
}

const SHAPE: &str = "a Weibull shape above 0 and at most 20, e.g. 0.7 or 2";

fn shape(s: &str) -> Result<f64, units::Error> {
    let err = |reason: &str| units::Error {
        input: s.to_string(),
        kind: "Weibull shape",
        reason: reason.to_string(),
        accepted: SHAPE,
    };
    let v: f64 = s.trim().parse().map_err(|_| err("expected a number"))?;
    if !(v > 0.0 && v <= 20.0) {
        return Err(err("it must be above 0 and at most 20"));
    }
    Ok(v)
}
