//! `tradeoff queue`: Erlang C staffing, M/M/c figures and Little's law.

use super::figures::{Figures, flag, pct, print, sig, yes_no};
use super::{FormatArg, table, usage, value};
use crate::capacity::{intervals, queue};
use crate::units::format_duration;
use std::path::Path;

/// Queueing models.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Queue,
}

#[derive(Debug, clap::Subcommand)]
enum Queue {
    /// Erlang C: probability of waiting, average speed of answer, occupancy and, with
    /// --target, the service level; without --agents, the fewest agents meeting it. With
    /// --arrival FILE.csv, the fewest agents for every interval of a day.
    #[command(name = "erlang-c")]
    ErlangC {
        /// Arrival rate (100/30m, 5/s), or a CSV file of intervals (one a line:
        /// start,arrivals[,aht]) to staff each of them.
        #[arg(long, value_parser = value::arrival, value_name = "RATE|FILE.csv")]
        arrival: value::Arrival,
        /// Average handling time: 180s, 3m (with a file, for rows without their own).
        #[arg(long, value_parser = value::duration)]
        aht: Option<f64>,
        /// Answer-time target of the service level: 20s (needed for the service level and
        /// for staffing, not for P(wait), ASA and occupancy).
        #[arg(long, value_parser = value::duration)]
        target: Option<f64>,
        /// Agents (servers); without it, the minimum meeting --service-level.
        #[arg(long, value_parser = value::whole)]
        agents: Option<u32>,
        /// Length of one interval of an --arrival file: 30m, 15m.
        #[arg(long, value_parser = value::duration, default_value = "30m")]
        interval: f64,
        /// Service-level goal, the share answered within --target: 0.8 or 80% (default 0.8
        /// when --agents is not given).
        #[arg(long, value_parser = value::fraction)]
        service_level: Option<f64>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// M/M/c (M/M/1 with one server): utilisation, P0, Lq, Wq, L, W.
    Mmc {
        /// Arrival rate λ: 5/s.
        #[arg(long, value_parser = value::rate)]
        arrival: f64,
        /// Mean service time 1/μ: 100ms.
        #[arg(long, value_parser = value::duration, required_unless_present = "service_rate")]
        service_time: Option<f64>,
        /// Service rate μ of one server instead of --service-time: 10/s.
        #[arg(long, value_parser = value::rate, conflicts_with = "service_time")]
        service_rate: Option<f64>,
        /// Servers c.
        #[arg(long, value_parser = value::whole, default_value = "1")]
        servers: u32,
        /// Also give the share of arrivals waiting at most this long: 50ms.
        #[arg(long, value_parser = value::duration)]
        target: Option<f64>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Little's law L = λW: give two of --arrival, --time, --in-system.
    Little {
        /// Arrival (throughput) rate λ: 100/s.
        #[arg(long, value_parser = value::rate)]
        arrival: Option<f64>,
        /// Time in the system W: 500ms.
        #[arg(long, value_parser = value::duration)]
        time: Option<f64>,
        /// Items in the system (in flight) L: 50.
        #[arg(long, value_parser = value::count)]
        in_system: Option<f64>,
        #[command(flatten)]
        format: FormatArg,
    },
}

/// Runs `tradeoff queue`.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Queue::ErlangC {
            arrival,
            aht,
            target,
            agents,
            interval,
            service_level,
            format,
        } => match arrival {
            value::Arrival::Rate(rate) => {
                let aht = aht.ok_or_else(|| {
                    usage("--aht is missing; accepted: an average handling time such as --aht 180s")
                })?;
                erlang_c(rate, aht, target, agents, service_level, format)
            }
            value::Arrival::File(path) => {
                if let Some(n) = agents {
                    return Err(usage(format!(
                        "--agents {n}: a day of intervals is staffed interval by interval; accepted: --arrival RATE with --agents, or --arrival FILE.csv without"
                    )));
                }
                let target = target.ok_or_else(|| {
                    usage(format!(
                        "--arrival {}: staffing the intervals needs --target; accepted: an answer-time target such as --target 20s",
                        path.display()
                    ))
                })?;
                let plan = intervals::Plan {
                    interval_seconds: interval,
                    aht_seconds: aht,
                    target_seconds: target,
                    goal: service_level.unwrap_or(queue::DEFAULT_SERVICE_LEVEL),
                };
                day(&path, &plan, format)
            }
        },
        Queue::Mmc {
            arrival,
            service_time,
            service_rate,
            servers,
            target,
            format,
        } => {
            let service_time = match (service_time, service_rate) {
                (Some(t), _) => t,
                (None, Some(r)) if r > 0.0 => 1.0 / r,
                (None, r) => {
                    return Err(usage(format!(
                        "--service-rate {}: the service rate must be above 0; accepted: a rate such as 10/s",
                        r.unwrap_or(0.0)
                    )));
                }
            };
            mmc(arrival, service_time, servers, target, format)
        }
        Queue::Little {
            arrival,
            time,
            in_system,
            format,
        } => little(arrival, time, in_system, format),
    }
}

fn figures_rows(f: &mut Figures, q: &queue::Figures, prefix: &str) {
    f.add(
        format!("{prefix}traffic_erlangs"),
        "offered traffic A = λ/μ",
        format!("{} Erlangs", sig(q.traffic_erlangs, 6)),
    )
    .add(
        format!("{prefix}utilisation"),
        "utilisation (occupancy) ρ = A/c",
        pct(q.utilisation),
    )
    .add(
        format!("{prefix}p_wait"),
        "P(wait) (Erlang C)",
        pct(q.p_wait),
    )
    .add(format!("{prefix}p0"), "P0 (system empty)", sig(q.p0, 6))
    .add(format!("{prefix}lq"), "Lq (mean waiting)", sig(q.lq, 6))
    .add(
        format!("{prefix}wq_seconds"),
        "Wq (mean wait in queue)",
        format_duration(q.wq_seconds),
    )
    .add(format!("{prefix}l"), "L (mean in system)", sig(q.l, 6))
    .add(
        format!("{prefix}w_seconds"),
        "W (mean time in system)",
        format_duration(q.w_seconds),
    );
}

/// The library calls them servers and service time; this command says agents and AHT.
fn agents_flag(mut e: crate::capacity::Invalid) -> anyhow::Error {
    e.input = match e.input {
        "servers" => "agents",
        "service-time" => "aht",
        other => other,
    };
    flag(e)
}

fn erlang_c(
    arrival: f64,
    aht: f64,
    target: Option<f64>,
    agents: Option<u32>,
    goal: Option<f64>,
    format: FormatArg,
) -> anyhow::Result<()> {
    if target.is_none() {
        let need = match (agents, goal) {
            (None, _) => Some("finding the fewest agents needs --target"),
            (Some(_), Some(_)) => Some("a --service-level goal needs --target"),
            (Some(_), None) => None,
        };
        if let Some(need) = need {
            return Err(usage(format!(
                "{need}; accepted: an answer-time target such as --target 20s (P(wait), ASA and occupancy need only --agents)"
            )));
        }
    }
    let s = queue::staffing(arrival, aht, target, agents, goal).map_err(agents_flag)?;
    let mut f = Figures::default();
    f.add(
        "servers",
        if s.minimum {
            "agents (minimum meeting the goal)"
        } else {
            "agents"
        },
        s.servers.to_string(),
    )
    .add(
        "traffic_erlangs",
        "traffic intensity A = λ × AHT",
        format!("{} Erlangs", sig(s.traffic_erlangs, 6)),
    )
    .add(
        "figures.p_wait",
        "probability of waiting (Erlang C)",
        pct(s.figures.p_wait),
    );
    if let (Some(t), Some(sl)) = (target, s.service_level) {
        f.add(
            "service_level",
            format!("service level: answered within {}", format_duration(t)),
            pct(sl),
        );
    }
    if let (Some(g), Some(met)) = (s.service_level_goal, s.meets_goal) {
        f.add(
            "meets_goal",
            format!("meets the {} goal", pct(g)),
            yes_no(met),
        );
    }
    if let (Some(m), false) = (s.minimum_servers, s.minimum) {
        f.add(
            "minimum_servers",
            "minimum agents for the goal",
            m.to_string(),
        );
    }
    f.add(
        "asa_seconds",
        "average speed of answer (ASA)",
        format_duration(s.asa_seconds),
    )
    .add("occupancy", "occupancy A/c", pct(s.occupancy));
    if let (Some(g), Some(w)) = (s.service_level_goal, s.wait_at_goal_quantile_seconds) {
        f.add(
            "wait_at_goal_quantile_seconds",
            format!("{}th percentile of the wait", sig(g * 100.0, 4)),
            format_duration(w),
        );
    }
    let interpretation = match (target, s.service_level) {
        (Some(t), Some(sl)) => format!(
            "{} agents answer {} of calls within {} (average wait {}) at {} occupancy{}.",
            s.servers,
            pct(sl),
            format_duration(t),
            format_duration(s.asa_seconds),
            pct(s.occupancy),
            match (s.minimum, s.service_level_goal) {
                (true, Some(g)) => format!("; fewer miss the {} goal", pct(g)),
                _ => String::new(),
            }
        ),
        _ => format!(
            "{} agents: {} of calls wait, on average {}, at {} occupancy (--target gives the service level).",
            s.servers,
            pct(s.figures.p_wait),
            format_duration(s.asa_seconds),
            pct(s.occupancy),
        ),
    };
    let t = f.table(["Erlang C", "value"]);
    print(format.format, &s, &f, &[t], &interpretation)
}

#[derive(serde::Serialize)]
struct MmcOut {
    #[serde(flatten)]
    figures: queue::Figures,
    target_seconds: Option<f64>,
    service_level: Option<f64>,
}

fn mmc(
    arrival: f64,
    service_time: f64,
    servers: u32,
    target: Option<f64>,
    format: FormatArg,
) -> anyhow::Result<()> {
    let q = queue::mmc(arrival, service_time, servers).map_err(flag)?;
    let figures = q.figures();
    let mut f = Figures::default();
    f.add("queue.servers", "servers c", servers.to_string());
    figures_rows(&mut f, &figures, "");
    let service_level = target.map(|t| q.service_level(t));
    if let (Some(t), Some(sl)) = (target, service_level) {
        f.add(
            "service_level",
            format!("share waiting at most {}", format_duration(t)),
            pct(sl),
        );
    }
    let kind = if servers == 1 { "M/M/1" } else { "M/M/c" };
    let interpretation = format!(
        "{kind}: at {} utilisation a request spends {} in the system, {} of it queued; {} requests are in the system on average.",
        pct(figures.utilisation),
        format_duration(figures.w_seconds),
        format_duration(figures.wq_seconds),
        sig(figures.l, 4)
    );
    let out = MmcOut {
        figures,
        target_seconds: target,
        service_level,
    };
    let t = f.table([kind, "value"]);
    print(format.format, &out, &f, &[t], &interpretation)
}

fn little(
    arrival: Option<f64>,
    time: Option<f64>,
    in_system: Option<f64>,
    format: FormatArg,
) -> anyhow::Result<()> {
    let given = [arrival, time, in_system]
        .iter()
        .filter(|v| v.is_some())
        .count();
    if given != 2 {
        return Err(usage(format!(
            "Little's law got {given} of --arrival, --time, --in-system; accepted: exactly two of them, e.g. --arrival 100/s --time 500ms"
        )));
    }
    let l = queue::solve_little(arrival, time, in_system).map_err(flag)?;
    let mut f = Figures::default();
    f.add(
        "arrival_per_second",
        "arrival rate λ",
        format!("{}/s", sig(l.arrival_per_second, 6)),
    )
    .add(
        "time_in_system_seconds",
        "time in system W",
        format_duration(l.time_in_system_seconds),
    )
    .add("in_system", "in system L = λW", sig(l.in_system, 6));
    let interpretation = format!(
        "L = λW: {}/s for {} each keeps {} in flight.",
        sig(l.arrival_per_second, 6),
        format_duration(l.time_in_system_seconds),
        sig(l.in_system, 6)
    );
    let t = f.table(["Little's law", "value"]);
    print(format.format, &l, &f, &[t], &interpretation)
}

/// Staffs every interval of `path`.
fn day(path: &Path, plan: &intervals::Plan, format: FormatArg) -> anyhow::Result<()> {
    let shown = path.display().to_string();
    let text = crate::input::read(path).map_err(usage)?;
    let rows = intervals::parse_csv(&text, &shown).map_err(usage)?;
    let day = intervals::staff(&rows, plan, &shown).map_err(|e| match e {
        intervals::Error::Model { source, .. } if source.input == "interval" => agents_flag(source),
        e => usage(e),
    })?;
    // Ten thousand rows are formatted only when a table is printed.
    let mut tables = Vec::new();
    if format.format == super::Format::Table {
        let mut t = table([
            "start",
            "arrivals",
            "AHT",
            "Erlangs",
            "agents",
            "service level",
            "ASA",
            "occupancy",
        ]);
        for r in &day.intervals {
            t.add_row([
                r.start.clone(),
                sig(r.arrivals, 6),
                format_duration(r.aht_seconds),
                sig(r.traffic_erlangs, 4),
                r.agents.to_string(),
                pct(r.service_level),
                format_duration(r.asa_seconds),
                pct(r.occupancy),
            ]);
        }
        tables.push(t);
    }
    let mut f = Figures::default();
    f.add("peak_agents", "peak agents", day.peak_agents.to_string())
        .add("agent_hours", "agent-hours", sig(day.agent_hours, 6));
    let interpretation = format!(
        "{} intervals of {}: at most {} agents (first at {}), {} agent-hours in all, to answer {} within {} in every interval.",
        day.intervals.len(),
        format_duration(plan.interval_seconds),
        day.peak_agents,
        day.peak_start,
        sig(day.agent_hours, 6),
        pct(plan.goal),
        format_duration(plan.target_seconds)
    );
    print(format.format, &day, &f, &tables, &interpretation)
}
