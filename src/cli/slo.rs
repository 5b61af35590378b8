//! `tradeoff slo`: downtime budgets, burn-rate alert tables and burn readings for an SLO.

use super::value::{
    availability, budgeted, count, error_rate, positive_duration as duration, rate, year,
};
use super::{FormatArg, emit, table, usage};
use crate::capacity::slo::{self, Year};
use crate::units::{self, format_duration, format_percent, trim_float};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::path::PathBuf;

/// The `slo` verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Allowed downtime per window (day, week, month = 30 d, quarter = 90 d, year).
    Budget(BudgetArgs),
    /// The multiwindow multi-burn-rate alert table (SRE workbook).
    Alerts(AlertsArgs),
    /// Burn rate, budget consumed and time to exhaustion of an observed error rate.
    Burn(BurnArgs),
}

/// `slo budget`.
#[derive(Debug, Args)]
pub struct BudgetArgs {
    /// The SLO: 99.95, 99.95% or 0.9995.
    #[arg(value_parser = availability)]
    pub slo: f64,
    /// A window to compute the budget for (repeatable), e.g. 30d, 28d, 1h. Default: day,
    /// week, month (30 d), quarter (90 d) and year.
    #[arg(long = "window", value_name = "DURATION", value_parser = duration)]
    pub windows: Vec<f64>,
    /// Length of a year: 365d (SRE book, AWS, Azure), 365.25d (Julian) or 365.2425d
    /// (Gregorian).
    #[arg(long, value_name = "DAYS", default_value = "365d", value_parser = year)]
    pub year: Year,
    /// A number of requests: also print how many of them may fail, e.g. 2.5M.
    #[arg(long, value_name = "N", value_parser = count)]
    pub requests: Option<f64>,
    /// A request rate: also print the failed requests allowed per window, e.g. 100/s.
    #[arg(long, value_name = "RATE", value_parser = rate)]
    pub request_rate: Option<f64>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `slo alerts`.
#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// The SLO: 99.9, 99.9% or 0.999 (below 100 %).
    #[arg(value_parser = budgeted)]
    pub slo: f64,
    /// The SLO period the budget covers.
    #[arg(long, value_name = "DURATION", default_value = "30d", value_parser = duration)]
    pub period: f64,
    /// A YAML file of tiers replacing the workbook's (see docs/slo.md).
    #[arg(long, value_name = "FILE")]
    pub tiers: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `slo burn`.
#[derive(Debug, Args)]
pub struct BurnArgs {
    /// The SLO: 99.9, 99.9% or 0.999 (below 100 %).
    #[arg(value_parser = budgeted)]
    pub slo: f64,
    /// Observed error rate: a fraction (0.1) or a percentage (10%).
    #[arg(long, value_name = "RATE", value_parser = error_rate, required_unless_present = "good", conflicts_with_all = ["good", "total"])]
    pub error_rate: Option<f64>,
    /// Good events observed (with --total, instead of --error-rate), e.g. 999.5k.
    #[arg(long, value_name = "N", value_parser = count, requires = "total")]
    pub good: Option<f64>,
    /// All events observed (with --good).
    #[arg(long, value_name = "N", value_parser = count, requires = "good")]
    pub total: Option<f64>,
    /// How long the error rate lasted. Default: the whole period.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub over: Option<f64>,
    /// The SLO period the budget covers.
    #[arg(long, value_name = "DURATION", default_value = "30d", value_parser = duration)]
    pub period: f64,
    #[command(flatten)]
    pub format: FormatArg,
}

/// Runs an `slo` verb.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Budget(a) => budget(a),
        Command::Alerts(a) => alerts(a),
        Command::Burn(a) => burn(a),
    }
}

/// The conventions a result used, printed with it.
#[derive(Debug, Serialize)]
struct Convention {
    year: &'static str,
    year_days: f64,
    month_days: f64,
    quarter_days: f64,
}

impl Convention {
    fn new(year: Year) -> Self {
        Convention {
            year: year.flag(),
            year_days: year.days(),
            month_days: 30.0,
            quarter_days: 90.0,
        }
    }

    fn describe(&self) -> String {
        format!(
            "year = {} d, month = 30 d, quarter = 90 d",
            trim_float(self.year_days, 4)
        )
    }
}

#[derive(Debug, Serialize)]
struct BudgetRow {
    name: String,
    seconds: f64,
    length: String,
    downtime_seconds: f64,
    downtime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_failed_requests: Option<f64>,
}

#[derive(Debug, Serialize)]
struct Requests {
    requests: f64,
    allowed_failures: f64,
}

#[derive(Debug, Serialize)]
struct Budget {
    slo: f64,
    slo_percent: String,
    error_budget: f64,
    convention: Convention,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_rate_per_second: Option<f64>,
    windows: Vec<BudgetRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    requests: Option<Requests>,
}

fn budget(a: BudgetArgs) -> anyhow::Result<()> {
    let windows = if a.windows.is_empty() {
        slo::standard_windows(a.year)
    } else {
        a.windows
            .iter()
            .map(|&s| slo::Window {
                name: format_duration(s),
                seconds: s,
            })
            .collect()
    };
    let rows = windows
        .iter()
        .map(|w| {
            let d = slo::downtime(a.slo, w.seconds);
            BudgetRow {
                name: w.name.clone(),
                seconds: w.seconds,
                length: format_duration(w.seconds),
                downtime_seconds: d,
                downtime: format_duration(d),
                allowed_failed_requests: a
                    .request_rate
                    .map(|r| slo::allowed_failures(a.slo, r * w.seconds)),
            }
        })
        .collect();
    let data = Budget {
        slo: a.slo,
        slo_percent: format_percent(a.slo),
        error_budget: 1.0 - a.slo,
        convention: Convention::new(a.year),
        request_rate_per_second: a.request_rate,
        windows: rows,
        requests: a.requests.map(|n| Requests {
            requests: n,
            allowed_failures: slo::allowed_failures(a.slo, n),
        }),
    };
    emit(a.format.format, &data, |d| {
        let mut header = vec!["window", "length", "allowed downtime"];
        if d.request_rate_per_second.is_some() {
            header.push("allowed failed requests");
        }
        let mut t = table(header);
        for r in &d.windows {
            let mut row = vec![r.name.clone(), r.length.clone(), r.downtime.clone()];
            if let Some(f) = r.allowed_failed_requests {
                row.push(units::format_count(f));
            }
            t.add_row(row);
        }
        let shown = d
            .windows
            .iter()
            .find(|w| w.name == "month")
            .unwrap_or(&d.windows[0]);
        let mut line = format!(
            "{} over {} allows {} of downtime",
            d.slo_percent,
            format_duration(shown.seconds),
            shown.downtime
        );
        if let Some(r) = &d.requests {
            line += &format!(
                "; {} requests allow {} failed",
                units::format_count(r.requests),
                units::format_count(r.allowed_failures)
            );
        }
        format!("{t}\n{line} ({}).", d.convention.describe())
    })
}

#[derive(Debug, Serialize)]
struct AlertRow {
    name: String,
    severity: &'static str,
    budget_fraction: f64,
    long_window_seconds: f64,
    long_window: String,
    short_window_seconds: f64,
    short_window: String,
    burn_factor: f64,
    error_rate_threshold: f64,
    error_rate_threshold_percent: String,
    budget_consumed: f64,
    time_to_exhaust_seconds: f64,
    time_to_exhaust: String,
}

#[derive(Debug, Serialize)]
struct Alerts {
    slo: f64,
    slo_percent: String,
    period_seconds: f64,
    period: String,
    tiers: String,
    alerts: Vec<AlertRow>,
}

fn alerts(a: AlertsArgs) -> anyhow::Result<()> {
    let (tiers, source) = match &a.tiers {
        Some(path) => {
            let shown = path.display().to_string();
            let text = crate::input::read(path).map_err(|e| usage(format!("--tiers: {e}")))?;
            (slo::parse_tiers(&text, &shown)?, shown)
        }
        None => (
            slo::default_tiers(),
            "SRE workbook (Alerting on SLOs)".to_string(),
        ),
    };
    let rows = slo::alert_table(a.slo, a.period, &tiers)
        .into_iter()
        .map(|r| AlertRow {
            name: r.tier.name.clone(),
            severity: r.tier.severity.as_str(),
            budget_fraction: r.tier.budget_fraction,
            long_window_seconds: r.tier.long_window,
            long_window: format_duration(r.tier.long_window),
            short_window_seconds: r.tier.short_window,
            short_window: format_duration(r.tier.short_window),
            burn_factor: r.burn_factor,
            error_rate_threshold: r.error_rate_threshold,
            error_rate_threshold_percent: format_percent(r.error_rate_threshold),
            budget_consumed: r.budget_consumed,
            time_to_exhaust_seconds: r.time_to_exhaust_seconds,
            time_to_exhaust: format_duration(r.time_to_exhaust_seconds),
        })
        .collect();
    let data = Alerts {
        slo: a.slo,
        slo_percent: format_percent(a.slo),
        period_seconds: a.period,
        period: format_duration(a.period),
        tiers: source,
        alerts: rows,
    };
    emit(a.format.format, &data, |d| {
        let mut t = table([
            "severity",
            "budget spent",
            "long window",
            "short window",
            "burn rate",
            "error rate above",
            "budget gone in",
        ]);
        for r in &d.alerts {
            t.add_row([
                r.severity.to_string(),
                format_percent(r.budget_fraction),
                r.long_window.clone(),
                r.short_window.clone(),
                trim_float(r.burn_factor, 3),
                r.error_rate_threshold_percent.clone(),
                r.time_to_exhaust.clone(),
            ]);
        }
        let line = match d.alerts.first() {
            Some(r) => format!(
                "{}: alert when the error rate exceeds {} over both {} and {} (burn rate {} against {} over {}); tiers from {}.",
                r.severity,
                r.error_rate_threshold_percent,
                r.long_window,
                r.short_window,
                trim_float(r.burn_factor, 3),
                d.slo_percent,
                d.period,
                d.tiers
            ),
            None => String::new(),
        };
        format!("{t}\n{line}")
    })
}

#[derive(Debug, Serialize)]
struct BurnReport {
    slo: f64,
    slo_percent: String,
    error_budget: f64,
    error_ratio: f64,
    error_ratio_percent: String,
    burn_rate: f64,
    over_seconds: f64,
    over: String,
    period_seconds: f64,
    period: String,
    budget_consumed: f64,
    budget_consumed_percent: String,
    time_to_exhaust_seconds: f64,
    time_to_exhaust: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    observed: Option<slo::Remaining>,
}

fn burn(a: BurnArgs) -> anyhow::Result<()> {
    let (ratio, observed) = match (a.error_rate, a.good, a.total) {
        (Some(r), _, _) => (r, None),
        (None, Some(good), Some(total)) => {
            if total <= 0.0 || good > total {
                return Err(usage(format!(
                    "--good {good} and --total {total}: accepted are a total above 0 and good events at most the total"
                )));
            }
            let r = slo::budget_remaining(a.slo, good, total);
            (r.error_ratio, Some(r))
        }
        _ => return Err(usage("give --error-rate, or --good and --total")),
    };
    let over = a.over.unwrap_or(a.period);
    let b = slo::burn(a.slo, ratio, over, a.period);
    let data = BurnReport {
        slo: a.slo,
        slo_percent: format_percent(a.slo),
        error_budget: 1.0 - a.slo,
        error_ratio: ratio,
        error_ratio_percent: format_percent(ratio),
        burn_rate: b.burn_rate,
        over_seconds: over,
        over: format_duration(over),
        period_seconds: a.period,
        period: format_duration(a.period),
        budget_consumed: b.consumed,
        budget_consumed_percent: format!("{}%", trim_float(b.consumed * 100.0, 1)),
        time_to_exhaust_seconds: b.time_to_exhaust_seconds,
        time_to_exhaust: format_duration(b.time_to_exhaust_seconds),
        observed,
    };
    emit(a.format.format, &data, |d| {
        let mut t = table(["figure", "value"]);
        t.add_row(["SLO".to_string(), d.slo_percent.clone()]);
        t.add_row(["error budget".to_string(), format_percent(d.error_budget)]);
        t.add_row(["error rate".to_string(), d.error_ratio_percent.clone()]);
        t.add_row(["burn rate".to_string(), trim_float(d.burn_rate, 3)]);
        t.add_row([
            format!("budget consumed in {}", d.over),
            d.budget_consumed_percent.clone(),
        ]);
        t.add_row([
            "whole budget gone in".to_string(),
            d.time_to_exhaust.clone(),
        ]);
        if let Some(o) = &d.observed {
            t.add_row([
                "budget remaining".to_string(),
                format!("{}%", trim_float(o.remaining * 100.0, 1)),
            ]);
        }
        format!(
            "{t}\nAn error rate of {} burns a {} budget {}x as fast as sustainable: {} uses {} of the {} budget.",
            d.error_ratio_percent,
            d.slo_percent,
            trim_float(d.burn_rate, 3),
            d.over,
            d.budget_consumed_percent,
            d.period
        )
    })
}
