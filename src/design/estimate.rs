//! The estimates a design carries and the settings derived from them: the numbers the
//! scaffold's `config/service.yaml` and the alert rules are made of. Each setting records
//! where its value came from (an answer, an estimate, or a stated assumption), so a reader
//! can trace every number.
//!
//! Every estimate is sized from the user's own answers (`peak_rps`, `replica_rps`,
//! `service_time`, `latency_budget`, `call_depth`, `data_size`...). An answer left at its
//! default is an assumption: each estimate built on one lists it in `assumed`, its inputs say
//! `(assumed: answer `id`)` and its summary ends with the questions that would replace them.
//!
//! Assumptions no question covers, each written into the setting's source: replicas run at no
//! more than 70 % of `replica_rps` at peak after the worst single failure, never fewer than the
//! availability target needs per region ([`crate::capacity::replicas`]); a worker pool waits
//! at most a tenth of the latency budget at p99; a client's quota is its share of the peak plus
//! 20 % ([`crate::capacity::ratelimit::quotas`]); the circuit breaker opens after 5 consecutive
//! failures and stays open 60 s (the seeds' reference breaker); backoff uses full jitter capped
//! at 10 s (AWS Architecture Blog); a client's burst is 5 s of its quota (seed 004's 10/s with
//! capacity 50); retries happen at the deepest layer only ([`chain`]).

mod store;

use super::{Estimate, Figure, Setting, Value};
use crate::advisor::estimate::Command;
use crate::advisor::figure;
use crate::advisor::recommendation::Recommendation;
use crate::advisor::walk::{StepSource, Walk};
use crate::capacity::{chain, queue, ratelimit, replicas, retry, slo};
use crate::units::{self, DAY, MONTH, YEAR};
use std::collections::BTreeMap;

/// Service time of one request when `service_time` is not answered, seconds.
pub const SERVICE_TIME: f64 = 0.05;
/// Latency budget when `latency_budget` is not answered, seconds.
pub const LATENCY_BUDGET: f64 = 2.0;
/// Highest utilisation a worker pool is sized for: past it M/M/c waits grow steeply.
pub const POOL_UTILISATION: f64 = 0.7;
/// The share of the latency budget a request may wait in one replica's worker pool.
///
/// The callers' budget is a p99 for the whole request: it pays for the service time of every
/// hop, the network and any retry ([`chain`]). Queueing is the part a pool size controls, and
/// it grows steeply near saturation; holding it to a tenth of the budget at the same
/// percentile leaves nine tenths to the work and a retry, whatever the budget's scale (a
/// 10 ms bid may wait 1 ms, a 2 s checkout 200 ms).
pub const POOL_WAIT_SHARE: f64 = 0.1;
/// The percentile the pool's wait target holds: the budget is a p99, so the wait is too.
pub const POOL_WAIT_GOAL: f64 = 0.99;
/// Most tries a layer is given when the budget allows (1 try + 2 retries, the usual default of
/// AWS SDKs and gRPC's retry policy examples).
pub const MAX_ATTEMPTS: u32 = 3;
/// Default availability target when none was answered.
const DEFAULT_TARGET: f64 = 0.999;
/// Default peak when none was answered, per second.
const DEFAULT_PEAK: f64 = 100.0;
/// Default synchronous call depth when none was answered.
const DEFAULT_DEPTH: f64 = 2.0;
/// Default share of the peak the busiest client sends when `busiest_client_share` is not
/// answered.
const DEFAULT_BUSIEST_SHARE: f64 = 0.1;

type Settings = BTreeMap<String, BTreeMap<String, Setting>>;

/// One input of an estimate: an answer, or its default (then an assumption).
#[derive(Debug, Clone)]
struct Input {
    id: &'static str,
    text: String,
    value: f64,
    assumed: bool,
}

impl Input {
    fn read(walk: &Walk, id: &'static str, default_text: &str, default: f64) -> Input {
        match walk.answers.get(id) {
            Some(step) if step.number.is_some() => Input {
                id,
                text: step.answer.clone(),
                value: step.number.unwrap_or(default),
                assumed: step.source == StepSource::Default,
            },
            _ => Input {
                id,
                text: default_text.to_string(),
                value: default,
                assumed: true,
            },
        }
    }

    /// The value as an input cell: `50ms (assumed: answer `service_time`)`.
    fn shown(&self) -> String {
        if self.assumed {
            format!("{} (assumed: answer `{}`)", self.text, self.id)
        } else {
            self.text.clone()
        }
    }

    /// Where a setting built on it came from.
    fn source(&self) -> String {
        if self.assumed {
            format!(
                "assumption {} = {} (default; answer `{}` to replace it)",
                self.id, self.text, self.id
            )
        } else {
            format!("answer {} = {}", self.id, self.text)
        }
    }
}

/// The assumed inputs among `inputs`: their ids, and the sentence a summary ends with.
fn assumptions(inputs: &[&Input]) -> (Vec<String>, String) {
    let assumed: Vec<&&Input> = inputs.iter().filter(|i| i.assumed).collect();
    if assumed.is_empty() {
        return (Vec::new(), String::new());
    }
    let ids = assumed.iter().map(|i| i.id.to_string()).collect();
    let text = assumed
        .iter()
        .map(|i| format!("{} = {} (answer `{}`)", i.id, i.text, i.id))
        .collect::<Vec<_>>()
        .join(", ");
    (ids, format!("; assumed: {text}"))
}

fn fig(name: &str, value: f64, display: String) -> Figure {
    Figure {
        name: name.into(),
        value,
        display,
    }
}

fn set(s: &mut Settings, section: &str, key: &str, value: Value, source: impl Into<String>) {
    s.entry(section.into()).or_default().insert(
        key.into(),
        Setting {
            value,
            source: source.into(),
        },
    );
}

/// A utilisation for people: one decimal, `69.9 %`.
fn load(u: f64) -> String {
    format!("{} %", units::trim_float(u * 100.0, 1))
}

/// A count for people: `2381`, `1.2M`.
fn count(n: f64) -> String {
    if n < 1e4 {
        units::trim_float(n, 0)
    } else {
        units::format_count(units::round_significant(n, 3))
    }
}

/// Workers one replica needs: the fewest M/M/c servers that keep [`POOL_WAIT_GOAL`] of waits
/// within `wait_target` and utilisation at or under [`POOL_UTILISATION`], at `arrival` per
/// second and a mean `service_time`. Non-decreasing in the service time: a longer service
/// time raises the offered load a = λS and, at a fixed wait target, the servers the tail
/// needs.
pub fn pool(arrival: f64, service_time: f64, wait_target: f64) -> u32 {
    let for_wait = queue::minimum_servers(arrival, service_time, wait_target, POOL_WAIT_GOAL)
        .unwrap_or(queue::MAX_SERVERS)
        .max(1);
    let for_load = (arrival * service_time / POOL_UTILISATION)
        .ceil()
        .clamp(1.0, f64::from(queue::MAX_SERVERS)) as u32;
    for_wait.max(for_load)
}

/// The inputs every estimate shares.
struct Inputs {
    target: Input,
    peak: Input,
    per_replica: Input,
    service: Input,
    budget: Input,
    depth: Input,
    regions: Input,
    clients: Input,
    busiest: Input,
}

/// The regions serving traffic: `serving_regions`, at least 2 when `write_regions` is `many`.
fn regions(walk: &Walk) -> Input {
    let mut r = Input::read(walk, "serving_regions", "1", 1.0);
    r.value = r.value.round().clamp(1.0, f64::from(figure::MAX_REGIONS));
    let writes_many = walk
        .answers
        .get("write_regions")
        .is_some_and(|a| a.answer == "many");
    if writes_many && r.value < 2.0 {
        // Several regions accept writes, so at least two serve: the answer is overruled, and
        // when it was a default the 2 is still an assumption.
        r.value = 2.0;
        r.text = "2".into();
    }
    r
}

/// Runs the estimates for a walked design and derives the settings.
pub fn estimates(walk: &Walk, rec: &Recommendation) -> (BTreeMap<String, Estimate>, Settings) {
    let mut est = BTreeMap::new();
    let mut s = Settings::new();
    let inputs = Inputs {
        target: Input::read(walk, "availability_target", "99.9", DEFAULT_TARGET),
        peak: Input::read(walk, "peak_rps", "100/s", DEFAULT_PEAK),
        per_replica: Input::read(walk, "replica_rps", "500/s", figure::DEFAULT_REPLICA_RPS),
        service: Input::read(walk, "service_time", "50ms", SERVICE_TIME),
        budget: Input::read(walk, "latency_budget", "2s", LATENCY_BUDGET),
        depth: Input::read(walk, "call_depth", "2", DEFAULT_DEPTH),
        regions: regions(walk),
        clients: Input::read(walk, "client_count", "1", 1.0),
        busiest: Input::read(walk, "busiest_client_share", "10%", DEFAULT_BUSIEST_SHARE),
    };
    slo_estimates(&inputs.target, &mut est, &mut s);
    let fleet = replica_estimate(&inputs, &mut est, &mut s);
    let pool_serves = pool_estimate(&inputs, &fleet, &mut est, &mut s);
    retry_estimate(&inputs, &mut est, &mut s);
    rate_estimate(&inputs, rec, &fleet, pool_serves, &mut est, &mut s);
    store::shards(walk, rec, &inputs.peak, &mut est, &mut s);
    store::quorum(rec, &inputs.target, &mut est, &mut s);
    cache(walk, rec, &mut s);
    (est, s)
}

fn slo_estimates(target: &Input, est: &mut BTreeMap<String, Estimate>, s: &mut Settings) {
    let (assumed, note) = assumptions(&[target]);
    let windows = [
        ("day", DAY),
        ("week", 7.0 * DAY),
        ("month (30 d)", MONTH),
        ("quarter (90 d)", 90.0 * DAY),
        ("year (365 d)", YEAR),
    ];
    let results = windows
        .iter()
        .map(|(n, w)| {
            let d = slo::downtime(target.value, *w);
            fig(&format!("downtime per {n}"), d, units::format_duration(d))
        })
        .collect();
    let budget = slo::downtime(target.value, MONTH);
    est.insert(
        "slo-budget".into(),
        Estimate {
            title: "Downtime budget".into(),
            command: Command::SloBudget {
                target: target.text.clone(),
            }
            .to_string(),
            inputs: BTreeMap::from([("availability".into(), target.shown())]),
            results,
            summary: format!(
                "{} over 30d allows {} of downtime (year = 365 d){note}",
                units::format_percent(target.value),
                units::format_duration(budget)
            ),
            assumed: assumed.clone(),
        },
    );
    let alerts = slo::alert_table(target.value, MONTH, &slo::default_tiers());
    let results = alerts
        .iter()
        .flat_map(|a| {
            [
                fig(
                    &format!("{}: burn rate", a.tier.name),
                    a.burn_factor,
                    units::trim_float(a.burn_factor, 2),
                ),
                fig(
                    &format!("{}: error-rate threshold", a.tier.name),
                    a.error_rate_threshold,
                    units::format_percent(a.error_rate_threshold),
                ),
            ]
        })
        .collect();
    est.insert(
        "slo-alerts".into(),
        Estimate {
            title: "Burn-rate alerts".into(),
            command: Command::SloAlerts {
                target: target.text.clone(),
            }
            .to_string(),
            inputs: BTreeMap::from([
                ("availability".into(), target.shown()),
                ("period".into(), "30d".into()),
            ]),
            results,
            summary: format!(
                "page when {} of requests fail over 1h and 5m; ticket at {} over 3d and 6h{note}",
                units::format_percent(alerts[0].error_rate_threshold),
                units::format_percent(alerts[3].error_rate_threshold)
            ),
            assumed,
        },
    );
    set(
        s,
        "slo",
        "availability_target",
        Value::Float(target.value),
        target.source(),
    );
    set(
        s,
        "slo",
        "window_s",
        Value::Int(MONTH as i64),
        "convention: 30 d SLO window (SRE workbook)",
    );
    set(
        s,
        "slo",
        "error_budget_s",
        Value::Float(budget),
        format!(
            "estimate slo-budget: downtime per 30 d at {}",
            target.shown()
        ),
    );
}

/// Replicas from the peak, the per-replica capacity, the availability target and the regions
/// serving traffic ([`replicas::size`]).
fn replica_estimate(
    i: &Inputs,
    est: &mut BTreeMap<String, Estimate>,
    s: &mut Settings,
) -> replicas::Fleet {
    let (assumed, note) = assumptions(&[&i.peak, &i.per_replica, &i.target, &i.regions]);
    let f = replicas::size(
        i.peak.value,
        i.per_replica.value,
        i.target.value,
        i.regions.value as u32,
    );
    let (peak, per) = (&i.peak.text, &i.per_replica.text);
    let n = |k: u32| units::plural(u64::from(k), "replica", "replicas");
    let target = units::format_percent(i.target.value);
    let sizing = if f.regions >= 2 {
        format!(
            "{}, {} in each of {} regions: with one region lost {} {}, which needs {} at no more than 70 % of {per}; a replica lost in a healthy region is absorbed too; {target} needs at least {} per region; all run at {} at peak, the survivors of a lost region at {}",
            n(f.count),
            f.per_region,
            f.regions,
            if f.regions == 2 {
                "the other region carries".to_string()
            } else {
                format!("each of the other {} carries", f.regions - 1)
            },
            if f.regions == 2 {
                format!("all of {peak}")
            } else {
                format!(
                    "{} ({peak} over {})",
                    units::format_rate(i.peak.value / f64::from(f.regions - 1)),
                    f.regions - 1
                )
            },
            n(f.by_failure),
            f.by_availability,
            load(f.utilisation),
            load(f.utilisation_after_loss),
        )
    } else if f.lost > 0 {
        format!(
            "{}: {peak} over {per} each at no more than 70 % load needs {}, plus one spare so that a lost replica or a rolling deploy leaves {} at {}; {target} needs at least {}; all {} run at {} at peak",
            n(f.count),
            f.by_rate,
            f.survivors(),
            load(f.utilisation_after_loss),
            f.by_availability,
            f.count,
            load(f.utilisation),
        )
    } else {
        format!(
            "{}: {peak} over {per} each at no more than 70 % load needs {}; {target} needs at least {} and accepts the outage of losing one until it restarts; each runs at {} at peak",
            n(f.count),
            f.by_rate,
            f.by_availability,
            load(f.utilisation),
        )
    };
    let mut results = vec![
        fig("replicas", f64::from(f.count), f.count.to_string()),
        fig(
            "replicas for the rate",
            f64::from(f.by_rate),
            f.by_rate.to_string(),
        ),
        fig(
            "replicas for availability",
            f64::from(f.by_availability),
            f.by_availability.to_string(),
        ),
        fig("utilisation at peak", f.utilisation, load(f.utilisation)),
        fig(
            "utilisation after the worst single failure",
            f.utilisation_after_loss,
            load(f.utilisation_after_loss),
        ),
    ];
    let mut inputs = BTreeMap::from([
        ("peak".into(), i.peak.shown()),
        ("per replica".into(), i.per_replica.shown()),
        ("availability".into(), i.target.shown()),
    ]);
    if f.regions >= 2 {
        results.insert(
            1,
            fig("regions", f64::from(f.regions), f.regions.to_string()),
        );
        results.insert(
            2,
            fig(
                "replicas per region",
                f64::from(f.per_region),
                f.per_region.to_string(),
            ),
        );
    }
    if f.regions >= 2 || i.regions.assumed {
        inputs.insert("serving regions".into(), i.regions.shown());
    }
    est.insert(
        "replicas".into(),
        Estimate {
            title: "Replica count".into(),
            command: Command::Replicas {
                peak: peak.clone(),
                per_replica: per.clone(),
                target: i.target.text.clone(),
                regions: f.regions,
            }
            .to_string(),
            inputs,
            results,
            summary: format!("{sizing}{note}"),
            assumed,
        },
    );
    let spare = if f.regions >= 2 {
        format!(
            "each region's share of {peak} with one of the {} regions lost, at no more than 70 % of {per}",
            f.regions
        )
    } else if f.lost > 0 {
        format!(
            "ceil({peak} / (0.7 x {per})) = {} plus one spare",
            f.by_rate
        )
    } else {
        format!("ceil({peak} / (0.7 x {per})) = {}", f.by_rate)
    };
    set(
        s,
        "service",
        "replicas",
        Value::Int(i64::from(f.per_region)),
        format!(
            "estimate replicas: {}max({spare}, {} for {}); {}",
            if f.regions >= 2 {
                format!("per region, in each of {} serving regions: ", f.regions)
            } else {
                String::new()
            },
            f.by_availability,
            i.target.text,
            i.per_replica.source()
        ),
    );
    if f.regions >= 2 {
        set(
            s,
            "service",
            "regions",
            Value::Int(i64::from(f.regions)),
            i.regions.source(),
        );
    }
    f
}

/// The worker pool of one replica, sized for what a replica receives after the worst single
/// failure the fleet is sized for; returns what one replica's pool serves per second.
fn pool_estimate(
    i: &Inputs,
    fleet: &replicas::Fleet,
    est: &mut BTreeMap<String, Estimate>,
    s: &mut Settings,
) -> f64 {
    let (assumed, note) =
        assumptions(&[&i.peak, &i.per_replica, &i.service, &i.budget, &i.regions]);
    let service = i.service.value;
    let survivors = fleet.survivors();
    let arrival = i.peak.value / f64::from(survivors);
    let wait_target = POOL_WAIT_SHARE * i.budget.value;
    // A measured replica_rps is served with L = mu x S requests in flight (Little's law): the
    // pool holds at least that, so it never caps the replica below its measured rate. An
    // assumed replica_rps sizes nothing here: with a long service time it would ask for
    // thousands of workers on the strength of a default.
    let in_flight_at_capacity = if i.per_replica.assumed {
        1
    } else {
        (i.per_replica.value * service)
            .ceil()
            .clamp(1.0, f64::from(queue::MAX_SERVERS)) as u32
    };
    let for_peak = pool(arrival, service, wait_target);
    let workers = for_peak.max(in_flight_at_capacity);
    let floor_text = if in_flight_at_capacity > for_peak {
        format!(
            "; {} rather than {for_peak}: one replica at replica_rps = {} holds that many in flight (Little's law, L = λS)",
            workers, i.per_replica.text
        )
    } else {
        String::new()
    };
    let arrival_text = units::format_rate(arrival);
    let wait_text = units::format_duration_3(wait_target);
    let over = if fleet.lost > 0 {
        format!(
            "{} over the {} left after the worst single failure",
            i.peak.text,
            units::plural(u64::from(survivors), "replica", "replicas")
        )
    } else {
        format!(
            "{} over {}",
            i.peak.text,
            units::plural(u64::from(survivors), "replica", "replicas")
        )
    };
    let capacity = f64::from(workers) / service;
    if let Ok(q) = queue::mmc(arrival, service, workers) {
        let f = q.figures();
        est.insert(
            "queue".into(),
            Estimate {
                title: "Worker pool per replica (M/M/c)".into(),
                command: Command::Queue {
                    arrival: arrival_text.clone(),
                    service_time: i.service.text.clone(),
                    servers: workers,
                }
                .to_string(),
                inputs: BTreeMap::from([
                    ("arrival".into(), format!("{arrival_text} ({over})")),
                    ("service time".into(), i.service.shown()),
                    (
                        "wait target".into(),
                        format!(
                            "{wait_text} at p99 (a tenth of latency_budget = {})",
                            i.budget.shown()
                        ),
                    ),
                ]),
                results: vec![
                    fig("servers", f64::from(workers), workers.to_string()),
                    fig("utilisation", f.utilisation, load(f.utilisation)),
                    fig("P(wait)", f.p_wait, units::format_percent(units::round_significant(f.p_wait, 3))),
                    fig(
                        "mean wait",
                        f.wq_seconds,
                        units::format_duration_3(f.wq_seconds),
                    ),
                    fig("in flight (L)", f.l, units::trim_float(units::round_significant(f.l, 3), 3)),
                ],
                summary: format!(
                    "{} per replica {} 99 % of waits under {wait_text} (a tenth of the {} latency budget) and utilisation at {} (at most 70 %) at {arrival_text} ({over}) with {} per request{floor_text}{note}",
                    units::plural(u64::from(workers), "worker", "workers"),
                    if workers == 1 { "keeps" } else { "keep" },
                    i.budget.text,
                    load(f.utilisation),
                    i.service.text
                ),
                assumed,
            },
        );
        let in_flight = (2.0 * f.l).ceil() as i64;
        set(
            s,
            "bulkhead",
            "max_concurrent",
            Value::Int(in_flight.max(i64::from(workers))),
            if in_flight >= i64::from(workers) {
                format!(
                    "estimate queue: twice the mean in-flight requests per replica (Little's law L = λW = {}) at {arrival_text}",
                    units::trim_float(units::round_significant(f.l, 3), 3)
                )
            } else {
                format!(
                    "estimate queue: the pool's {workers} workers, more than twice the mean in-flight requests per replica (Little's law L = λW = {}) at {arrival_text}",
                    units::trim_float(units::round_significant(f.l, 3), 3)
                )
            },
        );
    }
    set(
        s,
        "queue",
        "workers",
        Value::Int(i64::from(workers)),
        format!(
            "estimate queue: fewest M/M/c servers per replica with 99 % of waits under {wait_text} (a tenth of latency_budget) and utilisation at most 70 % at {arrival_text} ({over}), {} per request{floor_text}",
            i.service.text
        ),
    );
    set(
        s,
        "queue",
        "service_time_s",
        Value::Float(service),
        i.service.source(),
    );
    capacity
}

/// Per-try timeouts and attempts at each layer of the call chain, inside the latency budget.
fn retry_estimate(i: &Inputs, est: &mut BTreeMap<String, Estimate>, s: &mut Settings) {
    let (assumed, note) = assumptions(&[&i.service, &i.budget, &i.depth]);
    let layers = (i.depth.value.round() as u32).clamp(1, retry::MAX_LAYERS);
    let Ok(c) = chain::fit(i.budget.value, i.service.value, layers, MAX_ATTEMPTS) else {
        return;
    };
    let d = units::format_duration_3;
    let per_layer = c
        .layers
        .iter()
        .map(|l| {
            format!(
                "layer {}: {}, {} per try",
                l.layer,
                units::plural(u64::from(l.attempts), "attempt", "attempts"),
                d(l.per_try_timeout_seconds)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let hop_text = if layers == 1 {
        format!(
            "the hop is allowed {} (p99.9 of an exponential {} service time plus a 0.5ms round trip)",
            d(c.hop_seconds),
            i.service.text
        )
    } else {
        format!(
            "each hop is allowed {} (p99.9 of an exponential {}, an equal share of the {} service time over the {layers} layers, plus a 0.5ms round trip)",
            d(c.hop_seconds),
            d(c.layer_mean_seconds),
            i.service.text
        )
    };
    let chain_text = units::plural(u64::from(layers), "synchronous call", "synchronous calls");
    let summary = if !c.fits_one_try {
        format!(
            "the {} budget is shorter than one try per hop over {chain_text} ({hop_text}): recommend no retries at any layer; timeouts split the budget ({per_layer}). Shorten the chain or the service time, or give the callers a longer budget{note}",
            i.budget.text
        )
    } else if !c.retries() {
        // A second try at the deepest layer adds one hop and one backoff delay to every try
        // above it.
        let extra = c.hop_seconds + chain::base(c.hop_seconds);
        format!(
            "within the {} budget over {chain_text} not even one retry fits: one try per layer takes {} ({hop_text}) and a retry at the deepest layer would add {}; recommend no retries at any layer ({per_layer}){note}",
            i.budget.text,
            d(c.worst_case_seconds),
            d(extra)
        )
    } else {
        let outer_layers = if layers == 2 {
            "; layer 1 makes one try, so retries never multiply across layers".to_string()
        } else if layers > 2 {
            format!(
                "; layers 1-{} make one try each, so retries never multiply across layers",
                layers - 1
            )
        } else {
            String::new()
        };
        format!(
            "within the {} budget over {chain_text}: {per_layer}{outer_layers}. The worst case takes {} and sends up to {}x the calls to the deepest dependency; cap retries at {} of calls (a retry budget) so an outage adds at most that much load; {hop_text}{note}",
            i.budget.text,
            d(c.worst_case_seconds),
            units::trim_float(c.amplification, 0),
            units::format_percent(chain::RETRY_BUDGET)
        )
    };
    // The scaffolded service is the entry service: it serves layer 1's calls and makes layer
    // 2's (with no call below it, the callers' layer is the only one).
    let own = c.layers[usize::min(1, c.layers.len() - 1)];
    let outer = c.layers[0];
    let own_budget = if own.layer == 1 {
        c.budget_seconds
    } else {
        outer.per_try_timeout_seconds
    };
    let mut results = vec![
        fig(
            "worst-case amplification",
            c.amplification,
            format!("{}x", units::trim_float(c.amplification, 0)),
        ),
        fig(
            "worst-case latency",
            c.worst_case_seconds,
            d(c.worst_case_seconds),
        ),
        fig("hop allowance", c.hop_seconds, d(c.hop_seconds)),
    ];
    for l in &c.layers {
        results.push(fig(
            &format!("layer {}: attempts", l.layer),
            f64::from(l.attempts),
            l.attempts.to_string(),
        ));
        results.push(fig(
            &format!("layer {}: per-try timeout", l.layer),
            l.per_try_timeout_seconds,
            d(l.per_try_timeout_seconds),
        ));
    }
    est.insert(
        "retry".into(),
        Estimate {
            title: "Retries within the latency budget".into(),
            command: Command::Retry {
                attempts: own.attempts,
                layers: 1,
                base: d(own.base_seconds),
                cap: "10s".into(),
                per_try_timeout: d(own.per_try_timeout_seconds),
                budget: d(own_budget),
            }
            .to_string(),
            inputs: BTreeMap::from([
                ("layers".into(), i.depth.shown()),
                ("latency budget".into(), i.budget.shown()),
                ("service time".into(), i.service.shown()),
            ]),
            results,
            summary,
            assumed,
        },
    );
    let why = format!(
        "estimate retry: fitted inside {} over {chain_text}, {hop_text}",
        i.budget.shown()
    );
    set(
        s,
        "retry",
        "max_attempts",
        Value::Int(i64::from(own.attempts)),
        format!(
            "{why}; layer {} (this service's calls) gets {}",
            own.layer,
            units::plural(u64::from(own.attempts), "attempt", "attempts")
        ),
    );
    set(
        s,
        "retry",
        "per_try_timeout_s",
        Value::Float(units::round_significant(own.per_try_timeout_seconds, 3)),
        format!("{why}; layer {}'s per-try timeout", own.layer),
    );
    set(
        s,
        "retry",
        "base_delay_s",
        Value::Float(units::round_significant(own.base_seconds, 3)),
        "pattern retry-backoff: exponential from half the per-try timeout, at most 100ms (AWS Architecture Blog)",
    );
    set(
        s,
        "retry",
        "max_delay_s",
        Value::Float(chain::CAP),
        "pattern retry-backoff: delays capped at 10s",
    );
    set(
        s,
        "retry",
        "jitter",
        Value::Text("full".into()),
        "pattern retry-backoff: full jitter spreads retries best (AWS Architecture Blog)",
    );
    set(
        s,
        "service",
        "request_timeout_s",
        Value::Float(units::round_significant(outer.per_try_timeout_seconds, 3)),
        format!("{why}; the callers' per-try timeout for one request to this service"),
    );
    set(
        s,
        "circuit_breaker",
        "failure_threshold",
        Value::Int(5),
        "pattern circuit-breaker: open after 5 consecutive failures (the seeds' reference breaker)",
    );
    set(
        s,
        "circuit_breaker",
        "open_timeout_s",
        Value::Float(60.0),
        "pattern circuit-breaker: stay open 60s before a trial call",
    );
    set(
        s,
        "circuit_breaker",
        "half_open_max_calls",
        Value::Int(1),
        "pattern circuit-breaker: one trial call while half-open",
    );
}

/// Headroom of a client's quota over its share of the peak: 20 %, so a client at its planned
/// peak is not throttled by ordinary minute-to-minute variation.
pub const QUOTA_HEADROOM: f64 = 1.2;
/// Longest a replica's burst may take to clear at its admitted rate, seconds: a tenth of the
/// latency budget, but no more than one second of its rate.
pub const MAX_NODE_BURST_SECONDS: f64 = 1.0;
/// A client's burst: 5 s of its quota (seed 004's bucket: 10/s with capacity 50).
pub const QUOTA_BURST_SECONDS: f64 = 5.0;

/// The rate limits: one admitted rate per replica ([`replicas::admitted`]), the global
/// ceiling only as a guard over what the replicas left after the worst single failure serve,
/// and per-client quotas when several clients share the peak ([`ratelimit::quotas`]).
fn rate_estimate(
    i: &Inputs,
    rec: &Recommendation,
    fleet: &replicas::Fleet,
    pool_serves: f64,
    est: &mut BTreeMap<String, Estimate>,
    s: &mut Settings,
) {
    let chosen = |id: &str| rec.patterns.iter().any(|p| p.id == id);
    let many = i.clients.value >= 2.0;
    let mut inputs_used = vec![
        &i.peak,
        &i.per_replica,
        &i.service,
        &i.budget,
        &i.regions,
        &i.clients,
    ];
    if many {
        inputs_used.push(&i.busiest);
    }
    let (assumed, note) = assumptions(&inputs_used);
    let admitted = units::round_significant(
        replicas::admitted(i.per_replica.value, Some(pool_serves)),
        3,
    )
    .min(replicas::admitted(i.per_replica.value, Some(pool_serves)));
    let survivors = fleet.survivors();
    let wait_target = POOL_WAIT_SHARE * i.budget.value;
    let burst_window = if wait_target <= MAX_NODE_BURST_SECONDS {
        format!(
            "its wait target of {} (a tenth of latency_budget)",
            units::format_duration_3(wait_target)
        )
    } else {
        "one second, less than its wait target: a longer burst is a load, not a burst".to_string()
    };
    let q = ratelimit::quotas(ratelimit::QuotaInputs {
        peak: i.peak.value,
        admitted_per_node: admitted,
        nodes: survivors,
        node_burst_seconds: wait_target.min(MAX_NODE_BURST_SECONDS),
        clients: i.clients.value,
        busiest_share: i.busiest.value,
        headroom: QUOTA_HEADROOM,
        client_burst_seconds: QUOTA_BURST_SECONDS,
    });
    let algorithm = [
        ("token-bucket", "Token bucket"),
        ("leaky-bucket", "Leaky bucket"),
        ("fixed-window", "Fixed-window counter"),
        ("sliding-window-counter", "Sliding-window counter"),
        ("sliding-window-log", "Sliding-window log"),
    ]
    .into_iter()
    .find(|(id, _)| chosen(id));
    let what = if q.per_client.is_some() {
        "per-client quotas and a guard"
    } else {
        "a guard"
    };
    let title = match algorithm {
        None | Some(("token-bucket", _)) => format!("Rate limit ({what}, token bucket)"),
        Some((_, name)) => format!("Rate limit ({what}, {name} sized as a token bucket)"),
    };
    let r = units::format_rate;
    let pool_bound = pool_serves < i.per_replica.value;
    let admitted_why = if pool_bound {
        format!(
            "what its worker pool serves, {} ({} / {}), below replica_rps = {}",
            r(pool_serves),
            s.get("queue")
                .and_then(|q| q.get("workers"))
                .map_or(String::new(), |w| match w.value {
                    Value::Int(n) => units::plural(n as u64, "worker", "workers"),
                    _ => String::new(),
                }),
            i.service.text,
            i.per_replica.text
        )
    } else {
        format!(
            "what it serves at its latency target, replica_rps = {}",
            i.per_replica.shown()
        )
    };
    let survivors_text = units::plural(u64::from(survivors), "replica", "replicas");
    let admit = if survivors == 1 { "admits" } else { "admit" };
    let left = if fleet.lost > 0 {
        format!("the {survivors_text} left after the worst single failure")
    } else {
        format!("the {survivors_text}")
    };
    let guard_text = format!(
        "the global guard {} with bursts of {} is what {left} {admit} at {}{}, {} the {} peak",
        r(q.guard),
        count(q.guard_burst),
        r(admitted),
        if survivors == 1 { "" } else { " each" },
        if q.guard >= i.peak.value {
            "above"
        } else {
            "below"
        },
        i.peak.text,
    );
    let quota_text = match &q.per_client {
        Some(c) => format!(
            "each of {} clients gets a quota of {} with bursts of {} (the busiest sends {} of the peak, {}, plus 20 %{}); ",
            count(i.clients.value),
            r(c.rate),
            count(c.burst),
            units::format_percent(units::round_significant(c.busiest_share, 3)),
            r(c.busiest_rate),
            if c.capped_by_guard {
                ", capped at the guard"
            } else {
                ""
            },
        ),
        None => String::new(),
    };
    let Ok(b) = ratelimit::analyse(
        q.guard,
        q.guard_burst,
        &ratelimit::DEFAULT_WINDOWS,
        None,
        Some(survivors),
    ) else {
        return;
    };
    let mut results = vec![
        fig("per-replica rate", admitted, r(admitted)),
        fig("per-replica burst", q.node_burst, count(q.node_burst)),
        fig("guard rate", q.guard, r(q.guard)),
        fig("guard burst", q.guard_burst, count(q.guard_burst)),
        fig(
            "guard refill time",
            b.refill_seconds,
            units::format_duration_3(b.refill_seconds),
        ),
    ];
    if let Some(c) = &q.per_client {
        results.push(fig("per-client rate", c.rate, r(c.rate)));
        results.push(fig("per-client burst", c.burst, count(c.burst)));
    }
    let mut inputs = BTreeMap::from([
        ("per replica".into(), i.per_replica.shown()),
        ("nodes".into(), survivors.to_string()),
        ("peak".into(), i.peak.shown()),
        ("clients".into(), i.clients.shown()),
    ]);
    if many {
        inputs.insert("busiest client".into(), i.busiest.shown());
    }
    est.insert(
        "ratelimit".into(),
        Estimate {
            title,
            command: Command::Ratelimit {
                rate: r(q.guard),
                burst: count(q.guard_burst),
                nodes: survivors,
            }
            .to_string(),
            inputs,
            results,
            summary: format!(
                "{quota_text}each replica admits {} with bursts of {} ({admitted_why}; the burst is what it clears within {}); {guard_text}{note}",
                r(admitted),
                count(q.node_burst),
                burst_window,
            ),
            assumed,
        },
    );
    let guard_src = format!(
        "estimate ratelimit: a guard, not a quota: {} x rate_limit.per_node_rate_per_s, what {left} {admit}",
        survivors
    );
    set(
        s,
        "rate_limit",
        "rate_per_s",
        Value::Float(q.guard),
        guard_src,
    );
    set(
        s,
        "rate_limit",
        "burst",
        Value::Int(q.guard_burst as i64),
        format!("estimate ratelimit: {survivors} x rate_limit.per_node_burst"),
    );
    set(
        s,
        "rate_limit",
        "nodes",
        Value::Int(i64::from(fleet.per_region)),
        "estimate replicas: each of the service.replicas replicas enforces rate_limit.per_node_rate_per_s",
    );
    set(
        s,
        "rate_limit",
        "per_node_rate_per_s",
        Value::Float(admitted),
        format!(
            "estimate ratelimit: the rate one replica admits, {admitted_why}; {left} {admit} {} in all with the peak at {}",
            r(q.guard),
            i.peak.text
        ),
    );
    set(
        s,
        "rate_limit",
        "per_node_burst",
        Value::Int(q.node_burst as i64),
        format!(
            "estimate ratelimit: what one replica admitting {} clears within {}",
            r(admitted),
            burst_window
        ),
    );
    if let Some(c) = &q.per_client {
        set(
            s,
            "rate_limit",
            "clients",
            Value::Int(i.clients.value.round() as i64),
            i.clients.source(),
        );
        set(
            s,
            "rate_limit",
            "per_client_rate_per_s",
            Value::Float(c.rate),
            format!(
                "estimate ratelimit: the busiest client's {} of {} plus 20 %{}; {}",
                units::format_percent(units::round_significant(c.busiest_share, 3)),
                i.peak.text,
                if c.capped_by_guard {
                    ", capped at the guard"
                } else {
                    ""
                },
                i.busiest.source()
            ),
        );
        set(
            s,
            "rate_limit",
            "per_client_burst",
            Value::Int(c.burst as i64),
            "estimate ratelimit: 5s of the client's quota (seed 004: 10/s with capacity 50)",
        );
    }
}

/// Cache TTL, when a cache is chosen.
fn cache(walk: &Walk, rec: &Recommendation, s: &mut Settings) {
    if rec.patterns.iter().any(|p| {
        p.id == "caching"
            || p.id.starts_with("cache-")
            || p.id.starts_with("write-")
            || p.id == "read-through"
    }) {
        let (ttl, src) = match walk.answers.get("tolerates_lag").map(|a| a.answer.as_str()) {
            Some("no") => (
                5.0,
                "answer tolerates_lag = no: a short 5s TTL bounds staleness",
            ),
            Some(_) => (300.0, "answer tolerates_lag = yes: 5m TTL"),
            None => (60.0, "default: 1m TTL"),
        };
        set(s, "cache", "ttl_s", Value::Float(ttl), src);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_fast_handler_needs_few_workers() {
        // An order gateway: 300k/s over 100 replicas at 20 µs each is 0.06 Erlang per replica.
        assert!(pool(3000.0, 20e-6, 0.001) <= 2);
        // The same rate at the old hidden 50 ms needed hundreds.
        assert!(pool(3000.0, 0.05, 0.02) > 200);
    }

    /// The design built from a walk of the targets tree (and replication's first question)
    /// with these answers.
    fn targets_design(sets: &[String]) -> crate::design::Design {
        use crate::advisor::{Answers, load, walk};
        let catalog = crate::catalog::Catalog::get().unwrap();
        let rules = load::load(None, catalog).unwrap();
        let mut answers = Answers::default();
        answers.set(sets).unwrap();
        let packs: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
        let only = ["targets".to_string(), "replication".to_string()];
        let walked = walk::walk(&rules, &answers, &only, &packs, &mut walk::NoPrompt).unwrap();
        crate::design::Design::build(&rules, &walked, catalog)
    }

    fn number(d: &crate::design::Design, section: &str, key: &str) -> f64 {
        match &d.settings[section][key].value {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            Value::Text(t) => panic!("{section}.{key} = {t}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// One admitted rate: the guard is a whole number of replicas at it, above the peak;
        /// every region keeps its share after losing one; quotas never pass the guard and
        /// together admit the peak.
        #[test]
        fn the_designs_limits_and_replicas_agree_with_each_other(
            peak in 1.0f64..2e6,
            per in 10.0f64..2e4,
            service_ms in 0.01f64..500.0,
            regions in 1u32..8,
            clients in 1u32..100_000,
            share_pct in 0.001f64..100.0,
            writes_many in any::<bool>(),
        ) {
            let sets = vec![
                format!("peak_rps={peak}/s"),
                format!("replica_rps={per}/s"),
                format!("service_time={service_ms}ms"),
                format!("serving_regions={regions}"),
                format!("client_count={clients}"),
                format!("busiest_client_share={share_pct}%"),
                format!("write_regions={}", if writes_many { "many" } else { "one" }),
            ];
            let d = targets_design(&sets);
            let per_node = number(&d, "rate_limit", "per_node_rate_per_s");
            let guard = number(&d, "rate_limit", "rate_per_s");
            prop_assert!(per_node <= per * (1.0 + 1e-9));
            let survivors = (guard / per_node).round();
            prop_assert!((survivors * per_node - guard).abs() <= guard * 1e-9);
            prop_assert!(guard >= peak * (1.0 - 1e-9), "guard {guard} < peak {peak}");
            let per_region = number(&d, "service", "replicas");
            let r = if writes_many { regions.max(2) } else { regions };
            if r >= 2 {
                prop_assert_eq!(number(&d, "service", "regions"), f64::from(r));
                let share = peak / f64::from(r - 1);
                prop_assert!(share <= per_region * 0.7 * per * (1.0 + 1e-9));
            }
            if clients >= 2 {
                let quota = number(&d, "rate_limit", "per_client_rate_per_s");
                prop_assert!(quota <= guard * (1.0 + 1e-12));
                prop_assert!(f64::from(clients) * quota >= peak.min(guard) * (1.0 - 1e-9));
            } else {
                prop_assert!(!d.settings["rate_limit"].contains_key("per_client_rate_per_s"));
            }
        }

        #[test]
        fn pool_size_is_non_decreasing_in_the_service_time(
            arrival in 0.1f64..5e4,
            s1 in 1e-6f64..1.0,
            factor in 1.0f64..10.0,
            wait in 1e-4f64..10.0,
        ) {
            let s2 = s1 * factor;
            prop_assert!(pool(arrival, s1, wait) <= pool(arrival, s2, wait));
        }
    }
}
