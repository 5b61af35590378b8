//! `tradeoff avail`: availability of components in series, in parallel, k-of-n, from MTTF and
//! MTTR, and of a topology file (exact, or Monte Carlo with `--simulate`).

use super::value::{availability, confidence, positive_duration as duration, rel_error, year};
use super::{FormatArg, emit, table, usage};
use crate::capacity::availability::{self as model, Availability};
use crate::capacity::slo::Year;
use crate::capacity::topology::{
    self, Bounds, Estimate, FaultTree, Interval, Plan, Solution, Stop, Topology,
};
use crate::units::{self, format_duration, format_percent, trim_float};
use clap::{Args, Subcommand};

mod timeline;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The `avail` verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every component must be up: A = ∏ a.
    Series(ListArgs),
    /// Any component up is enough: A = 1 − ∏(1 − a).
    Parallel(ListArgs),
    /// At least K components up (binomial for identical components, exact otherwise).
    #[command(name = "k-of-n")]
    KOfN(KOfNArgs),
    /// One repairable component: A = MTTF / (MTTF + MTTR).
    Mttr(MttrArgs),
    /// A topology file: exact availability, the components that dominate unavailability,
    /// and with --simulate or --rel-error a Monte Carlo estimate with its interval.
    Compose(ComposeArgs),
    /// A topology file through time: components fail and are repaired at random; downtime
    /// per year, outages per year and their length over many simulated runs.
    Simulate(timeline::SimulateArgs),
}

/// The `--year` flag of the availability verbs.
#[derive(Debug, Clone, Copy, Args)]
pub struct YearArg {
    /// Length of a year for downtime per year: 365d, 365.25d or 365.2425d.
    #[arg(long, value_name = "DAYS", default_value = "365d", value_parser = year)]
    pub year: Year,
}

/// `avail series` and `avail parallel`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Availabilities: 99.95, 99.95% or 0.9995.
    #[arg(required = true, value_name = "A", value_parser = availability)]
    pub availabilities: Vec<f64>,
    #[command(flatten)]
    pub year: YearArg,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `avail k-of-n`.
#[derive(Debug, Args)]
pub struct KOfNArgs {
    /// How many components must be up.
    #[arg(value_parser = super::value::whole64)]
    pub k: u64,
    /// Availabilities of the components, or one availability with --n.
    #[arg(required = true, value_name = "A", value_parser = availability)]
    pub availabilities: Vec<f64>,
    /// Number of identical components (with a single A).
    #[arg(long, value_name = "N", value_parser = super::value::whole64)]
    pub n: Option<u64>,
    #[command(flatten)]
    pub year: YearArg,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `avail mttr`.
#[derive(Debug, Args)]
pub struct MttrArgs {
    /// Mean time to failure, e.g. 50000h.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub mttf: f64,
    /// Mean time to repair, e.g. 5h.
    #[arg(long, value_name = "DURATION", value_parser = units::parse_duration)]
    pub mttr: f64,
    #[command(flatten)]
    pub year: YearArg,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `avail compose`.
#[derive(Debug, Args)]
pub struct ComposeArgs {
    /// The topology file (YAML, format: docs/topology.md), or an Open-PSA MEF fault tree
    /// (XML, read when the file starts with `<`).
    pub topology: PathBuf,
    /// Write the system as an Open-PSA MEF fault tree on standard output instead of
    /// solving it (SCRAM and other fault-tree tools read it).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub export: Option<ExportArg>,
    /// Node budget of the exact solver's decision diagram, for each of its attempts (one
    /// per core at once; past it the exact answer is refused; use --simulate).
    #[arg(long, value_name = "N", default_value_t = topology::DEFAULT_BUDGET, value_parser = super::value::index)]
    pub max_nodes: usize,
    /// When the exact diagram passes --max-nodes: bound the unavailability from diagrams
    /// cut where a walk from a gate reaches them with probability below P; a smaller P gives
    /// tighter bounds and larger diagrams.
    #[arg(long, value_name = "P", default_value_t = topology::DEFAULT_CUTOFF, value_parser = cutoff)]
    pub cutoff: f64,
    /// Also estimate by Monte Carlo with this many trials, e.g. 1M or 1e9.
    #[arg(long, value_name = "TRIALS", value_parser = trials, conflicts_with = "rel_error")]
    pub simulate: Option<u64>,
    /// Estimate by Monte Carlo until the interval's half-width is at most this fraction of
    /// the estimate: 0.05 or 5%.
    #[arg(long, value_name = "FRACTION", value_parser = rel_error)]
    pub rel_error: Option<f64>,
    /// Trial cap of --rel-error [default: 1e11].
    #[arg(long, value_name = "TRIALS", value_parser = trials, requires = "rel_error")]
    pub max_trials: Option<u64>,
    /// Seed of the Monte Carlo streams (same seed, same result on any number of cores).
    #[arg(long, value_name = "S", default_value_t = 1, value_parser = super::value::seed)]
    pub seed: u64,
    /// Confidence level of the Monte Carlo interval: 0.95 or 95%.
    #[arg(long, value_name = "LEVEL", default_value = "0.95", value_parser = confidence)]
    pub confidence: f64,
    /// Interval on the Monte Carlo unavailability.
    #[arg(long, value_enum, default_value_t = IntervalArg::Wilson)]
    pub interval: IntervalArg,
    /// Also report the simulation's wall time and throughput (component-trials per
    /// second); these figures change from run to run.
    #[arg(long)]
    pub timing: bool,
    /// How many components to list in the ranking (0 for all).
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = super::value::index)]
    pub top: usize,
    #[command(flatten)]
    pub year: YearArg,
    #[command(flatten)]
    pub format: FormatArg,
}

/// The `--export` formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportArg {
    /// Open-PSA Model Exchange Format (XML fault tree).
    Mef,
}

/// The `--interval` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IntervalArg {
    /// Wilson score interval.
    Wilson,
    /// Clopper-Pearson (exact binomial, conservative).
    ClopperPearson,
}

impl From<IntervalArg> for Interval {
    fn from(a: IntervalArg) -> Self {
        match a {
            IntervalArg::Wilson => Interval::Wilson,
            IntervalArg::ClopperPearson => Interval::ClopperPearson,
        }
    }
}

/// Runs an `avail` verb.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Series(a) => list(a, "series"),
        Command::Parallel(a) => list(a, "parallel"),
        Command::KOfN(a) => k_of_n(a),
        Command::Mttr(a) => mttr(a),
        Command::Compose(a) => compose(a),
        Command::Simulate(a) => timeline::run(a),
    }
}

/// The figures every availability result prints.
#[derive(Debug, Serialize)]
struct Figures {
    availability: f64,
    availability_percent: String,
    unavailability: f64,
    nines: f64,
    downtime_per_year_seconds: f64,
    downtime_per_year: String,
    year_days: f64,
}

impl Figures {
    fn new(a: Availability, year: Year) -> Self {
        let down = a.unavailability * year.seconds();
        Figures {
            availability: a.availability,
            availability_percent: format_percent(a.availability),
            unavailability: a.unavailability,
            nines: a.nines(),
            downtime_per_year_seconds: down,
            downtime_per_year: format_duration(down),
            year_days: year.days(),
        }
    }

    fn row(&self, name: &str) -> Vec<String> {
        vec![
            name.to_string(),
            self.availability_percent.clone(),
            sci(self.unavailability),
            trim_float(self.nines, 2),
            self.downtime_per_year.clone(),
        ]
    }

    fn year(&self) -> String {
        format!("year = {} d", trim_float(self.year_days, 4))
    }
}

/// An unavailability for people: `1.026e-4`, or `0` for a perfect component.
fn sci(u: f64) -> String {
    if u == 0.0 {
        "0".into()
    } else {
        let s = format!("{u:.3e}");
        match s.split_once('e') {
            Some((m, e)) => format!("{}e{e}", trim_float(m.parse().unwrap_or(0.0), 3)),
            None => s,
        }
    }
}

const HEADER: [&str; 5] = [
    "component",
    "availability",
    "unavailability",
    "nines",
    "downtime/year",
];

#[derive(Debug, Serialize)]
struct Combined {
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    k: Option<u64>,
    n: u64,
    components: Vec<Figures>,
    #[serde(flatten)]
    result: Figures,
}

fn print_combined(data: &Combined, format: FormatArg, summary: String) -> anyhow::Result<()> {
    emit(format.format, data, |d| {
        let mut t = table(HEADER);
        for (i, c) in d.components.iter().enumerate() {
            t.add_row(c.row(&format!("#{}", i + 1)));
        }
        t.add_row(d.result.row(&d.kind));
        format!(
            "{t}\n{summary}: {} available, down {} a year ({}).",
            d.result.availability_percent,
            d.result.downtime_per_year,
            d.result.year()
        )
    })
}

fn list(a: ListArgs, kind: &str) -> anyhow::Result<()> {
    let result = if kind == "series" {
        model::series(&a.availabilities)
    } else {
        model::parallel(&a.availabilities)
    };
    let n = a.availabilities.len();
    let data = Combined {
        kind: kind.to_string(),
        k: None,
        n: n as u64,
        components: a
            .availabilities
            .iter()
            .map(|&x| Figures::new(model::series(&[x]), a.year.year))
            .collect(),
        result: Figures::new(result, a.year.year),
    };
    let summary = format!("{n} component{} in {kind}", if n == 1 { "" } else { "s" });
    print_combined(&data, a.format, summary)
}

fn k_of_n(a: KOfNArgs) -> anyhow::Result<()> {
    let given = a.availabilities.len() as u64;
    let (n, list) = match a.n {
        Some(n) if given == 1 => (n, vec![a.availabilities[0]; n.min(1_000_000) as usize]),
        Some(n) if n != given => {
            return Err(usage(format!(
                "--n {n}: {given} availabilities were given; accepted: one availability with --n N, or N availabilities without --n"
            )));
        }
        _ => (given, a.availabilities.clone()),
    };
    if n == 0 || n > 1_000_000 {
        return Err(usage(format!(
            "--n {n}: accepted are 1 to 1000000 components"
        )));
    }
    if a.k == 0 || a.k > n {
        let hint = if a.n.is_none() && given == 1 {
            "; one availability was given: add --n N for N identical components"
        } else {
            ""
        };
        return Err(usage(format!(
            "K = {}: accepted are 1 to {n} (the number of components){hint}",
            a.k
        )));
    }
    let identical = list.iter().all(|&x| x == list[0]);
    let result = if identical {
        model::k_of_n(a.k, n, list[0])
    } else {
        model::k_of_n_mixed(a.k as usize, &list)
    };
    let shown: Vec<f64> = if identical && a.n.is_some() {
        vec![list[0]]
    } else {
        list
    };
    let data = Combined {
        kind: format!("{}-of-{n}", a.k),
        k: Some(a.k),
        n,
        components: shown
            .iter()
            .map(|&x| Figures::new(model::series(&[x]), a.year.year))
            .collect(),
        result: Figures::new(result, a.year.year),
    };
    let how = if identical {
        "identical, binomial"
    } else {
        "Poisson-binomial, exact"
    };
    let summary = format!("At least {} of {n} up ({how})", a.k);
    print_combined(&data, a.format, summary)
}

#[derive(Debug, Serialize)]
struct Mttr {
    mttf_seconds: f64,
    mttf: String,
    mttr_seconds: f64,
    mttr: String,
    #[serde(flatten)]
    result: Figures,
}

fn mttr(a: MttrArgs) -> anyhow::Result<()> {
    let result = model::from_mttf(a.mttf, a.mttr);
    let data = Mttr {
        mttf_seconds: a.mttf,
        mttf: format_duration(a.mttf),
        mttr_seconds: a.mttr,
        mttr: format_duration(a.mttr),
        result: Figures::new(result, a.year.year),
    };
    emit(a.format.format, &data, |d| {
        let mut t = table([
            "MTTF",
            "MTTR",
            "availability",
            "unavailability",
            "nines",
            "downtime/year",
        ]);
        let mut row = vec![d.mttf.clone(), d.mttr.clone()];
        row.extend(d.result.row("").into_iter().skip(1));
        t.add_row(row);
        format!(
            "{t}\nFailing every {} on average and repaired in {}: {} available, down {} a year ({}).",
            d.mttf,
            d.mttr,
            d.result.availability_percent,
            d.result.downtime_per_year,
            d.result.year()
        )
    })
}

#[derive(Debug, Serialize)]
struct Ranked {
    rank: usize,
    name: String,
    shared: bool,
    unavailability: f64,
    birnbaum: f64,
    contribution: f64,
    share: f64,
    share_percent: String,
}

#[derive(Debug, Serialize)]
struct Simulated {
    #[serde(flatten)]
    estimate: Estimate,
    availability_percent: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    covers_exact: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timing: Option<Timing>,
}

/// Wall time and throughput of a simulation (with --timing).
#[derive(Debug, Serialize)]
struct Timing {
    elapsed_seconds: f64,
    component_trials_per_second: f64,
    threads: usize,
}

#[derive(Debug, Serialize)]
struct Compose {
    file: String,
    components: usize,
    groups: usize,
    shared: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    shared_subsystems: Vec<String>,
    unused: Vec<String>,
    coherent: bool,
    method: &'static str,
    year_days: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    exact: Option<Figures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exact_refused: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bounds: Option<BoundFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bdd_nodes: Option<usize>,
    ranking_measure: &'static str,
    ranking: Vec<Ranked>,
    #[serde(skip_serializing_if = "Option::is_none")]
    simulation: Option<Simulated>,
}

/// Bounds on the unavailability when the exact diagram does not fit.
#[derive(Debug, Serialize)]
struct BoundFigures {
    method: &'static str,
    cutoff: f64,
    unavailability_lower: f64,
    unavailability_upper: f64,
    availability_lower: f64,
    availability_upper: f64,
    availability_lower_percent: String,
    availability_upper_percent: String,
    downtime_per_year_lower: String,
    downtime_per_year_upper: String,
    /// When the bounds hold.
    holds: &'static str,
    bdd_nodes: usize,
}

const BOUNDS_HOLD: &str = "always: for coherent and non-coherent trees alike, the lower diagram implies the system's failure and the system's failure implies the upper diagram";

impl BoundFigures {
    fn new(b: &Bounds, year: Year) -> Self {
        BoundFigures {
            method: topology::BOUNDS_METHOD,
            cutoff: b.cutoff,
            unavailability_lower: b.lower,
            unavailability_upper: b.upper,
            availability_lower: b.availability_lower,
            availability_upper: b.availability_upper,
            availability_lower_percent: format_percent(b.availability_lower),
            availability_upper_percent: format_percent(b.availability_upper),
            downtime_per_year_lower: format_duration(b.lower * year.seconds()),
            downtime_per_year_upper: format_duration(b.upper * year.seconds()),
            holds: BOUNDS_HOLD,
            bdd_nodes: b.nodes,
        }
    }
}

const RANKING_MEASURE: &str = "contribution = drop in system unavailability if the component never failed = its unavailability x Birnbaum importance; share = contribution / system unavailability";

/// A system read from a file: its fault tree, and the topology Monte Carlo runs on (absent
/// for a non-coherent fault tree).
struct System {
    tree: FaultTree,
    topology: Option<Topology>,
    unused: Vec<String>,
}

fn compose(a: ComposeArgs) -> anyhow::Result<()> {
    let shown = a.topology.display().to_string();
    let system = read_system(&a.topology, &shown)?;
    if a.export.is_some() {
        let xml = topology::mef::write(&system.tree, &shown);
        std::io::Write::write_all(&mut std::io::stdout().lock(), xml.as_bytes())?;
        return Ok(());
    }
    let stop = match (a.simulate, a.rel_error) {
        (Some(trials), _) => Some(Stop::Trials(trials)),
        (None, Some(target)) => Some(Stop::RelError {
            target,
            max_trials: a.max_trials.unwrap_or(MAX_TRIALS),
        }),
        (None, None) => None,
    };
    let sampled = match (&stop, &system.topology) {
        (Some(_), None) => {
            return Err(usage(format!(
                "{shown}: the fault tree is non-coherent (it uses not, xor, nand, nor or constants); the Monte Carlo engine reads coherent trees only (and, or, atleast): drop --simulate and --rel-error for the exact answer"
            )));
        }
        (Some(stop), Some(t)) => Some((*stop, t)),
        (None, _) => None,
    };
    let mut bounded = None;
    let exact = match topology::solve_tree(&system.tree, a.max_nodes) {
        Ok(s) => Ok(s),
        Err(e) => {
            match topology::bounds(&system.tree, a.max_nodes, a.cutoff) {
                Ok(b) => bounded = Some(b),
                Err(_) if stop.is_some() => {}
                Err(_) => {
                    let next = if system.topology.is_some() {
                        "raise --cutoff or --max-nodes, or use --simulate TRIALS (or --rel-error 1%) for a Monte Carlo estimate"
                    } else {
                        "raise --cutoff or --max-nodes (the tree is non-coherent, so Monte Carlo cannot stand in)"
                    };
                    return Err(usage(format!(
                        "{shown}: {e}, and its diagrams cut at --cutoff {} need more too; {next}",
                        a.cutoff
                    )));
                }
            }
            Err(e.to_string())
        }
    };
    let simulation = sampled.map(|(stop, t)| {
        let plan = Plan {
            stop,
            seed: a.seed,
            confidence: a.confidence,
            interval: a.interval.into(),
        };
        simulate(t, &plan)
    });
    let data = report(&system, shown, exact, bounded.as_ref(), simulation, &a);
    emit(a.format.format, &data, human_compose)
}

/// Reads a YAML topology (the time-based simulation takes only those).
fn read_topology(path: &std::path::Path, shown: &str) -> anyhow::Result<Topology> {
    let text = crate::input::read(path).map_err(|e| usage(format!("topology: {e}")))?;
    Ok(topology::parse(&text, shown)?)
}

fn read_system(path: &std::path::Path, shown: &str) -> anyhow::Result<System> {
    let text = crate::input::read(path).map_err(|e| usage(format!("topology: {e}")))?;
    if text.trim_start().starts_with('<') {
        let tree = topology::mef::read(&text, shown)?;
        let topology = tree.to_topology();
        return Ok(System {
            tree,
            topology,
            unused: Vec::new(),
        });
    }
    let t = topology::parse(&text, shown)?;
    let name = path
        .file_stem()
        .map_or("system".to_string(), |s| s.to_string_lossy().into_owned());
    Ok(System {
        tree: FaultTree::from_topology(&t, &name),
        unused: t.unused.clone(),
        topology: Some(t),
    })
}

/// A progress bar on standard error, drawn only on a terminal and only once the work has
/// taken a second.
struct Bar {
    start: Instant,
    terminal: bool,
    template: &'static str,
    bar: Option<indicatif::ProgressBar>,
}

impl Bar {
    fn new(template: &'static str) -> Self {
        Bar {
            start: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            template,
            bar: None,
        }
    }

    fn update(&mut self, position: u64, length: u64, message: impl FnOnce() -> String) {
        if !self.terminal {
            return;
        }
        if self.bar.is_none() && self.start.elapsed() > Duration::from_secs(1) {
            let b = indicatif::ProgressBar::new(length);
            b.set_style(
                indicatif::ProgressStyle::with_template(self.template)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            self.bar = Some(b);
        }
        if let Some(b) = &self.bar {
            b.set_length(length);
            b.set_position(position);
            b.set_message(message());
        }
    }

    fn finish(self) -> Duration {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
        self.start.elapsed()
    }
}

/// Runs the Monte Carlo on every core with a progress bar on a terminal.
fn simulate(t: &Topology, plan: &Plan) -> (Estimate, Timing) {
    let mut bar =
        Bar::new("{spinner} simulating {pos}/{len} trials [{bar:30}] {percent}% eta {eta} {msg}");
    let estimate = topology::estimate(t, plan, &mut |p| {
        bar.update(p.trials, p.goal, || format!("{} failures", p.failures));
    });
    let elapsed = bar.finish().as_secs_f64();
    let timing = Timing {
        elapsed_seconds: elapsed,
        component_trials_per_second: estimate.component_trials as f64 / elapsed.max(1e-9),
        threads: rayon::current_num_threads(),
    };
    (estimate, timing)
}

fn report(
    system: &System,
    file: String,
    exact: Result<Solution, String>,
    bounded: Option<&Bounds>,
    simulation: Option<(Estimate, Timing)>,
    a: &ComposeArgs,
) -> Compose {
    let year = a.year.year;
    let (figures, refused, bdd_nodes, ranking) = match &exact {
        Ok(s) => {
            let take = if a.top == 0 { usize::MAX } else { a.top };
            let ranking = s
                .importance
                .iter()
                .take(take)
                .enumerate()
                .map(|(i, r)| Ranked {
                    rank: i + 1,
                    name: r.name.clone(),
                    shared: r.shared,
                    unavailability: r.unavailability,
                    birnbaum: r.birnbaum,
                    contribution: r.contribution,
                    share: r.share,
                    share_percent: share(r.share),
                })
                .collect();
            (
                Some(Figures::new(
                    Availability {
                        availability: s.availability,
                        unavailability: s.unavailability,
                    },
                    year,
                )),
                None,
                Some(s.nodes),
                ranking,
            )
        }
        Err(e) => (None, Some(e.clone()), None, Vec::new()),
    };
    let simulation = simulation.map(|(e, timing)| Simulated {
        availability_percent: format_percent(e.availability),
        covers_exact: exact
            .as_ref()
            .ok()
            .map(|s| e.low <= s.unavailability && s.unavailability <= e.high),
        estimate: e,
        timing: a.timing.then_some(timing),
    });
    let tree = &system.tree;
    Compose {
        file,
        components: tree.events.len(),
        groups: tree.gates.len(),
        shared: tree
            .events
            .iter()
            .filter(|e| e.uses > 1)
            .map(|e| e.name.clone())
            .collect(),
        shared_subsystems: tree.shared_gates(),
        unused: system.unused.clone(),
        coherent: tree.is_coherent(),
        method: match (&figures, bounded, &simulation) {
            (Some(_), _, Some(_)) => "exact and monte carlo",
            (Some(_), _, None) => "exact",
            (None, Some(_), Some(_)) => "bounds and monte carlo",
            (None, Some(_), None) => "bounds",
            _ => "monte carlo",
        },
        year_days: year.days(),
        exact: figures,
        exact_refused: refused,
        bounds: bounded.map(|b| BoundFigures::new(b, year)),
        bdd_nodes,
        ranking_measure: RANKING_MEASURE,
        ranking,
        simulation,
    }
}

fn human_compose(d: &Compose) -> String {
    let mut out = String::new();
    let mut t = table(["figure", "value"]);
    let shared = if d.shared.is_empty() {
        String::new()
    } else {
        format!(", {} shared ({})", d.shared.len(), d.shared.join(", "))
    };
    let subsystems = if d.shared_subsystems.is_empty() {
        String::new()
    } else {
        let n = d.shared_subsystems.len();
        format!(
            ", {n} shared subsystem{} ({})",
            if n == 1 { "" } else { "s" },
            d.shared_subsystems.join(", ")
        )
    };
    t.add_row([
        "components".to_string(),
        format!(
            "{} in {} groups{shared}{subsystems}",
            d.components, d.groups
        ),
    ]);
    if let Some(f) = &d.exact {
        t.add_row([
            "availability (exact)".to_string(),
            f.availability_percent.clone(),
        ]);
        t.add_row(["unavailability (exact)".to_string(), sci(f.unavailability)]);
        t.add_row(["nines".to_string(), trim_float(f.nines, 2)]);
        t.add_row(["downtime/year".to_string(), f.downtime_per_year.clone()]);
    }
    if let Some(b) = &d.bounds {
        t.add_row([
            "availability (bounds)".to_string(),
            format!(
                "{} to {}",
                b.availability_lower_percent, b.availability_upper_percent
            ),
        ]);
        t.add_row([
            "unavailability (bounds)".to_string(),
            format!(
                "[{}, {}]",
                sci(b.unavailability_lower),
                sci(b.unavailability_upper)
            ),
        ]);
        t.add_row([
            "method".to_string(),
            format!("{} at cutoff {}", b.method, sci(b.cutoff)),
        ]);
        t.add_row([
            "downtime/year (bounds)".to_string(),
            format!(
                "{} to {}",
                b.downtime_per_year_lower, b.downtime_per_year_upper
            ),
        ]);
    }
    if let Some(s) = &d.simulation {
        let e = &s.estimate;
        t.add_row([
            "unavailability (monte carlo)".to_string(),
            format!(
                "{} ({} of {} trials, seed {})",
                sci(e.unavailability),
                e.failures,
                units::format_count(e.trials as f64),
                e.seed
            ),
        ]);
        t.add_row([
            format!(
                "{}% interval ({})",
                trim_float(e.confidence * 100.0, 2),
                e.interval
            ),
            format!("{} to {}", sci(e.low), sci(e.high)),
        ]);
        if let Some(target) = e.target_relative_half_width {
            let reached = match e.relative_half_width {
                Some(r) => format!("±{}", share(r)),
                None => "no failure seen".to_string(),
            };
            t.add_row([
                "relative half-width".to_string(),
                format!("{reached} (target ±{})", share(target)),
            ]);
        }
        if let Some(timing) = &s.timing {
            t.add_row([
                "simulation time".to_string(),
                format!(
                    "{:.3} s on {} threads, {:.3e} component-trials/s",
                    timing.elapsed_seconds, timing.threads, timing.component_trials_per_second
                ),
            ]);
        }
        if let Some(c) = s.covers_exact {
            t.add_row([
                "interval covers exact".to_string(),
                if c { "yes" } else { "no" }.to_string(),
            ]);
        }
        if d.exact.is_none() {
            let down = e.unavailability * d.year_days * units::DAY;
            t.add_row([
                "downtime/year (monte carlo)".to_string(),
                format_duration(down),
            ]);
        }
    }
    out += &t.to_string();
    if !d.ranking.is_empty() {
        let mut r = table([
            "rank",
            "component",
            "unavailability",
            "contribution",
            "share",
        ]);
        for c in &d.ranking {
            let name = if c.shared {
                format!("{} (shared)", c.name)
            } else {
                c.name.clone()
            };
            r.add_row([
                c.rank.to_string(),
                name,
                sci(c.unavailability),
                sci(c.contribution),
                c.share_percent.clone(),
            ]);
        }
        out += "\n";
        out += &r.to_string();
    }
    out += "\n";
    out += &match (&d.exact, d.ranking.first()) {
        (Some(f), Some(top)) => format!(
            "{}: {} available, down {} a year ({}); making `{}` perfect would remove {} of the unavailability.",
            d.file,
            f.availability_percent,
            f.downtime_per_year,
            f.year(),
            top.name,
            top.share_percent
        ),
        _ => match (&d.simulation, &d.bounds) {
            (None, Some(b)) => format!(
                "{}: between {} and {} available ({} at cutoff {}; {}; lower --cutoff to tighten).",
                d.file,
                b.availability_lower_percent,
                b.availability_upper_percent,
                b.method,
                sci(b.cutoff),
                d.exact_refused.as_deref().unwrap_or("")
            ),
            (Some(s), _) => format!(
                "{}: about {} available by Monte Carlo ({}% interval on unavailability {} to {}); no exact answer: {}.",
                d.file,
                s.availability_percent,
                trim_float(s.estimate.confidence * 100.0, 2),
                sci(s.estimate.low),
                sci(s.estimate.high),
                d.exact_refused.as_deref().unwrap_or("")
            ),
            (None, None) => d.file.clone(),
        },
    };
    if let Some(s) = &d.simulation
        && s.estimate.stopped_by == "max-trials"
    {
        out += &format!(
            "\nnote: the trial cap ({} trials, --max-trials) stopped the simulation before the interval reached ±{} of the estimate; raise --max-trials or accept a wider interval.",
            units::format_count(s.estimate.trials as f64),
            share(s.estimate.target_relative_half_width.unwrap_or(0.0))
        );
    }
    if !d.coherent {
        out += "\nnote: the fault tree is non-coherent (not, xor, nand or nor): a component's failure can also repair the system, so a Birnbaum importance or contribution can be negative and the ranking is by contribution, not by risk.";
    }
    if !d.unused.is_empty() {
        out += &format!(
            "\nnote: unused components (no ref points at them): {}",
            d.unused.join(", ")
        );
    }
    out
}

/// A share of the unavailability for people: `97.57%`, `<0.01%` for a sliver, `0%` for none.
fn share(fraction: f64) -> String {
    if fraction > 0.0 && fraction < 1e-4 {
        "<0.01%".to_string()
    } else {
        format!("{}%", trim_float(fraction * 100.0, 2))
    }
}

/// Default trial cap of `--rel-error` (three-tier: about 17 s on the two development cores).
const CUTOFF: &str = "a probability above 0 and below 1, e.g. 1e-12";

fn cutoff(s: &str) -> Result<f64, units::Error> {
    let err = |reason: &str| units::Error {
        input: s.to_string(),
        kind: "cutoff",
        reason: reason.to_string(),
        accepted: CUTOFF,
    };
    let v: f64 = s.trim().parse().map_err(|_| err("it is not a number"))?;
    if !(v > 0.0 && v < 1.0) {
        return Err(err("it must be above 0 and below 1"));
    }
    Ok(v)
}

const MAX_TRIALS: u64 = 100_000_000_000;

const TRIALS: &str = "a whole number of trials from 1 to 1e13, e.g. 100000, 1M, 1e9";

fn trials(s: &str) -> Result<u64, units::Error> {
    let err = |reason: &str| units::Error {
        input: s.to_string(),
        kind: "trial count",
        reason: reason.to_string(),
        accepted: TRIALS,
    };
    let n = units::parse_count(s).map_err(|e| err(&e.reason))?;
    // 1e13 trials of a small topology take about half an hour on two cores; more is a typo.
    if n < 1.0 || n.fract() != 0.0 || n > 1e13 {
        return Err(err("it must be a whole number from 1 to 1e13"));
    }
    Ok(n as u64)
}
