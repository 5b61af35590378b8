//! The estimates a design carries and the settings derived from them: the numbers the
//! scaffold's `config/service.yaml` and the alert rules are made of. Each setting records
//! where its value came from (an answer, an estimate, or a stated assumption), so a reader
//! can trace every number.
//!
//! Assumptions, used only where the questionnaire asks nothing (each is written into the
//! setting's source): a request handler takes 50 ms ([`SERVICE_TIME`]); one replica serves
//! 500 requests/s unless `replica_rps` says otherwise, and replicas are sized to run at no more
//! than 70 % of that at peak, never fewer than the availability target needs
//! ([`crate::advisor::figure::replicas`]); the circuit breaker opens after 5 consecutive failures and stays
//! open 60 s (the seeds' reference breaker); retries use 3 attempts from 100 ms capped at
//! 10 s with full jitter (AWS Architecture Blog); the rate limit leaves 20 % headroom over
//! the answered peak and a burst of 5 s of rate (seed 004's 10/s with capacity 50).

use super::{Estimate, Figure, Setting, Value};
use crate::advisor::estimate::Command;
use crate::advisor::figure;
use crate::advisor::recommendation::Recommendation;
use crate::advisor::walk::Walk;
use crate::capacity::{queue, quorum, ratelimit, retry, shards, slo};
use crate::units::{self, DAY, MONTH, YEAR};
use std::collections::BTreeMap;

/// Assumed service time of one request, seconds.
pub const SERVICE_TIME: f64 = 0.05;
/// Highest utilisation a worker pool is sized for: past it M/M/c waits grow steeply.
pub const POOL_UTILISATION: f64 = 0.7;
/// Timeout of one try of a retried call, seconds (the per-try share of the 2 s budget).
pub const PER_TRY_TIMEOUT: f64 = 0.5;
/// Default availability target when none was answered.
const DEFAULT_TARGET: f64 = 0.999;
/// Default peak when none was answered, per second.
const DEFAULT_PEAK: f64 = 100.0;

type Settings = BTreeMap<String, BTreeMap<String, Setting>>;

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

fn answer(walk: &Walk, id: &str) -> Option<(String, Option<f64>)> {
    walk.answers.get(id).map(|s| (s.answer.clone(), s.number))
}

/// Runs the estimates for a walked design and derives the settings.
pub fn estimates(walk: &Walk, rec: &Recommendation) -> (BTreeMap<String, Estimate>, Settings) {
    let mut est = BTreeMap::new();
    let mut s = Settings::new();
    let chosen = |id: &str| rec.patterns.iter().any(|p| p.id == id);

    // SLO budget and alerts.
    let (target_text, target) = match answer(walk, "availability_target") {
        Some((t, Some(v))) => (t, v),
        _ => ("99.9".to_string(), DEFAULT_TARGET),
    };
    let target_src = format!("answer availability_target = {target_text}");
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
            let d = slo::downtime(target, *w);
            fig(&format!("downtime per {n}"), d, units::format_duration(d))
        })
        .collect();
    let budget = slo::downtime(target, MONTH);
    est.insert(
        "slo-budget".into(),
        Estimate {
            title: "Downtime budget".into(),
            command: Command::SloBudget {
                target: target_text.clone(),
            }
            .to_string(),
            inputs: BTreeMap::from([("availability".into(), target_text.clone())]),
            results,
            summary: format!(
                "{} over 30d allows {} of downtime (year = 365 d)",
                units::format_percent(target),
                units::format_duration(budget)
            ),
        },
    );
    let alerts = slo::alert_table(target, MONTH, &slo::default_tiers());
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
                target: target_text.clone(),
            }
            .to_string(),
            inputs: BTreeMap::from([
                ("availability".into(), target_text.clone()),
                ("period".into(), "30d".into()),
            ]),
            results,
            summary: format!(
                "page when {} of requests fail over 1h and 5m; ticket at {} over 3d and 6h",
                units::format_percent(alerts[0].error_rate_threshold),
                units::format_percent(alerts[3].error_rate_threshold)
            ),
        },
    );
    set(
        &mut s,
        "slo",
        "availability_target",
        Value::Float(target),
        target_src.clone(),
    );
    set(
        &mut s,
        "slo",
        "window_s",
        Value::Int(MONTH as i64),
        "convention: 30 d SLO window (SRE workbook)",
    );
    set(
        &mut s,
        "slo",
        "error_budget_s",
        Value::Float(budget),
        format!("estimate slo-budget: downtime per 30 d at {target_text}"),
    );

    // Replicas from the peak, the per-replica capacity and the availability target.
    let (peak_text, peak) = match answer(walk, "peak_rps") {
        Some((t, Some(v))) => (t, v),
        _ => ("100/s".to_string(), DEFAULT_PEAK),
    };
    let peak_src = format!("answer peak_rps = {peak_text}");
    let (per_text, per_replica, per_given) = match answer(walk, "replica_rps") {
        Some((t, Some(v))) => {
            let given = walk
                .answers
                .get("replica_rps")
                .is_some_and(|s| s.source != crate::advisor::StepSource::Default);
            (t, v, given)
        }
        _ => ("500/s".to_string(), figure::DEFAULT_REPLICA_RPS, false),
    };
    let per_src = if per_given {
        format!("answer replica_rps = {per_text}")
    } else {
        format!(
            "assumption: one replica serves {per_text} (replica_rps default); measure and replace"
        )
    };
    let reps = figure::replicas(peak, per_replica, target);
    est.insert(
        "replicas".into(),
        Estimate {
            title: "Replica count".into(),
            command: Command::Replicas {
                peak: peak_text.clone(),
                per_replica: per_text.clone(),
                target: target_text.clone(),
            }
            .to_string(),
            inputs: BTreeMap::from([
                ("peak".into(), peak_text.clone()),
                ("per replica".into(), per_text.clone()),
                ("availability".into(), target_text.clone()),
            ]),
            results: vec![
                fig("replicas", f64::from(reps.count), reps.count.to_string()),
                fig("replicas for the rate", f64::from(reps.by_rate), reps.by_rate.to_string()),
                fig(
                    "replicas for availability",
                    f64::from(reps.by_availability),
                    reps.by_availability.to_string(),
                ),
                fig("utilisation at peak", reps.utilisation, load(reps.utilisation)),
            ],
            summary: format!(
                "{} replicas: {peak_text} over {per_text} each at no more than 70 % load needs {}, {} needs at least {}; each runs at {} at peak",
                reps.count,
                reps.by_rate,
                units::format_percent(target),
                reps.by_availability,
                load(reps.utilisation)
            ),
        },
    );
    let replicas = reps.count;
    set(
        &mut s,
        "service",
        "replicas",
        Value::Int(i64::from(replicas)),
        format!(
            "estimate replicas: max(ceil({peak_text} / (0.7 x {per_text})) = {}, {} for {target_text}); {per_src}",
            reps.by_rate, reps.by_availability
        ),
    );

    // Worker pool of one replica: the fewest M/M/c servers that keep 95 % of waits under
    // 20 ms and utilisation at or under 70 %.
    let arrival = peak / f64::from(replicas);
    let wait_target = 0.02;
    let goal = 0.95;
    let for_wait = queue::minimum_servers(arrival, SERVICE_TIME, wait_target, goal)
        .unwrap_or(1)
        .max(1);
    let for_load = (arrival * SERVICE_TIME / POOL_UTILISATION).ceil().max(1.0) as u32;
    let workers = for_wait.max(for_load);
    let arrival_text = format!("{}/s", units::trim_float(arrival, 3));
    let mut pool_capacity = f64::from(replicas) * f64::from(workers) / SERVICE_TIME;
    if let Ok(q) = queue::mmc(arrival, SERVICE_TIME, workers) {
        let f = q.figures();
        est.insert(
            "queue".into(),
            Estimate {
                title: "Worker pool per replica (M/M/c)".into(),
                command: Command::Queue {
                    arrival: arrival_text.clone(),
                    service_time: "50ms".into(),
                    servers: workers,
                }
                .to_string(),
                inputs: BTreeMap::from([
                    ("arrival".into(), format!("{arrival_text} ({peak_text} over {replicas} replicas)")),
                    ("service time".into(), "50ms (assumed)".into()),
                ]),
                results: vec![
                    fig("servers", f64::from(workers), workers.to_string()),
                    fig("utilisation", f.utilisation, load(f.utilisation)),
                    fig("P(wait)", f.p_wait, units::format_percent(f.p_wait)),
                    fig(
                        "mean wait",
                        f.wq_seconds,
                        units::format_duration(f.wq_seconds),
                    ),
                    fig("in flight (L)", f.l, units::trim_float(f.l, 2)),
                ],
                summary: format!(
                    "{workers} workers per replica keep 95 % of waits under 20ms and utilisation at {} (at most 70 %) at {arrival_text}",
                    load(f.utilisation)
                ),
            },
        );
        pool_capacity = f64::from(replicas) * f64::from(workers) / SERVICE_TIME;
        let in_flight = (2.0 * f.l).ceil() as i64;
        set(
            &mut s,
            "bulkhead",
            "max_concurrent",
            Value::Int(in_flight.max(i64::from(workers))),
            format!(
                "estimate queue: twice the mean in-flight requests per replica (Little's law L = λW = {}) at {arrival_text}",
                units::trim_float(f.l, 2)
            ),
        );
    }
    set(
        &mut s,
        "queue",
        "workers",
        Value::Int(i64::from(workers)),
        format!(
            "estimate queue: fewest M/M/c servers per replica with 95 % of waits under 20ms and utilisation at most 70 % at {arrival_text} ({peak_text} over {replicas} replicas), 50ms service time (assumed)"
        ),
    );
    set(
        &mut s,
        "queue",
        "service_time_s",
        Value::Float(SERVICE_TIME),
        "assumption: 50ms per request; measure and replace",
    );

    // Retries across the synchronous call depth.
    let layers = answer(walk, "call_depth")
        .and_then(|(_, n)| n)
        .map_or(2, |n| n.max(1.0) as u32);
    let policy = retry::Policy {
        attempts: 3,
        layers,
        base_seconds: 0.1,
        cap_seconds: 10.0,
        jitter: retry::Jitter::Full,
        per_try_timeout_seconds: Some(PER_TRY_TIMEOUT),
        budget_seconds: Some(2.0),
    };
    if let Ok(r) = retry::analyse(policy, None) {
        est.insert(
            "retry".into(),
            Estimate {
                title: "Retry amplification".into(),
                command: Command::Retry {
                    attempts: 3,
                    layers,
                    base: "100ms".into(),
                    cap: "10s".into(),
                    per_try_timeout: "500ms".into(),
                    budget: "2s".into(),
                }
                .to_string(),
                inputs: BTreeMap::from([
                    ("attempts".into(), "3".into()),
                    ("layers".into(), layers.to_string()),
                    ("per-try timeout".into(), "500ms".into()),
                    ("budget".into(), "2s".into()),
                ]),
                results: vec![
                    fig("worst-case amplification", r.amplification, format!("{}x", units::trim_float(r.amplification, 0))),
                    fig("worst-case latency", r.worst_case_latency_seconds, units::format_duration(r.worst_case_latency_seconds)),
                ],
                summary: format!(
                    "3 attempts at each of {layers} layers multiply load on the deepest dependency by {}x in the worst case; one caller's worst case takes {} with a 500ms per-try timeout",
                    units::trim_float(r.amplification, 0),
                    units::format_duration(r.worst_case_latency_seconds)
                ),
            },
        );
    }
    let depth_src = format!("answer call_depth = {layers}");
    set(
        &mut s,
        "retry",
        "max_attempts",
        Value::Int(3),
        format!("estimate retry: 3 attempts per layer, {depth_src}, amplification 3^{layers}"),
    );
    set(
        &mut s,
        "retry",
        "base_delay_s",
        Value::Float(0.1),
        "pattern retry-backoff: exponential from 100ms (AWS Architecture Blog)",
    );
    set(
        &mut s,
        "retry",
        "max_delay_s",
        Value::Float(10.0),
        "pattern retry-backoff: delays capped at 10s",
    );
    set(
        &mut s,
        "retry",
        "jitter",
        Value::Text("full".into()),
        "pattern retry-backoff: full jitter spreads retries best (AWS Architecture Blog)",
    );
    set(
        &mut s,
        "service",
        "request_timeout_s",
        Value::Float(2.0),
        "estimate retry: 2s end-to-end budget, 500ms per try",
    );
    set(
        &mut s,
        "circuit_breaker",
        "failure_threshold",
        Value::Int(5),
        "pattern circuit-breaker: open after 5 consecutive failures (the seeds' reference breaker)",
    );
    set(
        &mut s,
        "circuit_breaker",
        "open_timeout_s",
        Value::Float(60.0),
        "pattern circuit-breaker: stay open 60s before a trial call",
    );
    set(
        &mut s,
        "circuit_breaker",
        "half_open_max_calls",
        Value::Int(1),
        "pattern circuit-breaker: one trial call while half-open",
    );

    // Rate limit over the peak, split over the replicas, never above what the pools serve.
    let wanted = (peak * 1.2 * 1000.0).round() / 1000.0;
    let capped = wanted > pool_capacity;
    let rate = if capped {
        (pool_capacity * 1000.0).floor() / 1000.0
    } else {
        wanted
    };
    let algorithm = [
        ("token-bucket", "Token bucket"),
        ("leaky-bucket", "Leaky bucket"),
        ("fixed-window", "Fixed-window counter"),
        ("sliding-window-counter", "Sliding-window counter"),
        ("sliding-window-log", "Sliding-window log"),
    ]
    .into_iter()
    .find(|(id, _)| chosen(id));
    let title = match algorithm {
        None | Some(("token-bucket", _)) => "Rate limit (token bucket)".to_string(),
        Some((_, name)) => format!("Rate limit ({name}; rate and burst sized as a token bucket)"),
    };
    let rate_src = if capped {
        format!(
            "{peak_src} plus 20 % headroom would be {}/s, capped at what the worker pools serve ({replicas} replicas x {workers} workers / 50ms)",
            units::trim_float(wanted, 3)
        )
    } else {
        format!("{peak_src} plus 20 % headroom")
    };
    let burst = (rate * 5.0).ceil().max(1.0);
    if let Ok(b) = ratelimit::analyse(
        rate,
        burst,
        &ratelimit::DEFAULT_WINDOWS,
        None,
        Some(replicas),
    ) {
        let split = b.split.as_ref();
        let per_rate = split.map_or(rate, |x| x.rate_per_node);
        let per_burst = split.map_or(burst, |x| x.burst_per_node);
        est.insert(
            "ratelimit".into(),
            Estimate {
                title,
                command: Command::Ratelimit {
                    rate: format!("{}/s", units::trim_float(rate, 3)),
                    burst: burst.to_string(),
                    nodes: replicas,
                }
                .to_string(),
                inputs: BTreeMap::from([
                    ("rate".into(), format!("{}/s", units::trim_float(rate, 3))),
                    ("burst".into(), burst.to_string()),
                    ("nodes".into(), replicas.to_string()),
                ]),
                results: vec![
                    fig(
                        "refill time",
                        b.refill_seconds,
                        units::format_duration(b.refill_seconds),
                    ),
                    fig(
                        "per-node rate",
                        per_rate,
                        format!("{}/s", units::trim_float(per_rate, 3)),
                    ),
                    fig("per-node burst", per_burst, units::trim_float(per_burst, 0)),
                ],
                summary: format!(
                    "{}/s with bursts of {burst}, {}/s on each of {replicas} replicas",
                    units::trim_float(rate, 3),
                    units::trim_float(per_rate, 3)
                ),
            },
        );
        set(
            &mut s,
            "rate_limit",
            "rate_per_s",
            Value::Float(rate),
            rate_src,
        );
        set(
            &mut s,
            "rate_limit",
            "burst",
            Value::Int(burst as i64),
            "estimate ratelimit: 5s of rate (seed 004: 10/s with capacity 50)",
        );
        set(
            &mut s,
            "rate_limit",
            "nodes",
            Value::Int(i64::from(replicas)),
            "estimate replicas: the service.replicas replicas share the global limit",
        );
        set(
            &mut s,
            "rate_limit",
            "per_node_rate_per_s",
            Value::Float(per_rate),
            "estimate ratelimit: global rate / nodes",
        );
        set(
            &mut s,
            "rate_limit",
            "per_node_burst",
            Value::Int(per_burst as i64),
            "estimate ratelimit: global burst / nodes, rounded down",
        );
    }

    // Shards, when the data size is known.
    if let Some((size_text, Some(bytes))) = answer(walk, "data_size")
        && let Ok(p) = shards::for_data(bytes, None)
    {
        est.insert(
            "shards".into(),
            Estimate {
                title: "Shard count".into(),
                command: Command::Shards {
                    data: size_text.clone(),
                    growth: "40%/y".into(),
                    horizon: "3y".into(),
                    shard_size: "500GB".into(),
                    max_fill: 0.7,
                }
                .to_string(),
                inputs: BTreeMap::from([
                    ("data".into(), size_text.clone()),
                    ("growth".into(), "40%/y".into()),
                    ("horizon".into(), "3y".into()),
                ]),
                results: vec![
                    fig(
                        "data at horizon",
                        p.data_at_horizon_bytes,
                        units::format_bytes(p.data_at_horizon_bytes),
                    ),
                    fig("shards", p.count as f64, p.count.to_string()),
                    fig(
                        "shards (power of two)",
                        p.power_of_two as f64,
                        p.power_of_two.to_string(),
                    ),
                ],
                summary: format!(
                    "{} today grows to {} in 3 years: {} shard{} of 500 GB filled to 70 %",
                    units::format_bytes(bytes),
                    units::format_bytes(p.data_at_horizon_bytes),
                    p.count,
                    if p.count == 1 { "" } else { "s" }
                ),
            },
        );
        // The service is wired for shards only when the advisor chose sharding.
        if chosen("sharding") {
            let src = format!(
                "estimate shards: answer data_size = {size_text}, 40%/y growth over 3y, 500GB shards at 70 % fill"
            );
            set(
                &mut s,
                "sharding",
                "shard_count",
                Value::Int(p.count as i64),
                src.clone(),
            );
            set(
                &mut s,
                "sharding",
                "shard_count_pow2",
                Value::Int(p.power_of_two as i64),
                format!("{src}, rounded up to a power of two"),
            );
        }
    }

    // Quorum sizes, when replication is quorum-based.
    if (chosen("quorum") || chosen("leaderless-replication"))
        && let Ok(q) = quorum::analyse(3, 2, 2, Some(0.999))
    {
        est.insert(
            "quorum".into(),
            Estimate {
                title: "Quorum (N, W, R)".into(),
                command: Command::Quorum {
                    n: 3,
                    w: 2,
                    r: 2,
                    node_availability: 0.999,
                }
                .to_string(),
                inputs: BTreeMap::from([("n".into(), "3".into()), ("w".into(), "2".into()), ("r".into(), "2".into())]),
                results: vec![
                    fig("read failures tolerated", f64::from(q.read_failures_tolerated), q.read_failures_tolerated.to_string()),
                    fig("write failures tolerated", f64::from(q.write_failures_tolerated), q.write_failures_tolerated.to_string()),
                    fig("write quorum unavailable", q.write.as_ref().map_or(0.0, |w| w.unavailable), units::format_percent(q.write.as_ref().map_or(0.0, |w| w.unavailable))),
                ],
                summary: "N=3, W=2, R=2 (Dynamo's default): reads see the latest write and one replica may fail".into(),
            },
        );
        for (k, v) in [("n", 3), ("w", 2), ("r", 2)] {
            set(
                &mut s,
                "quorum",
                k,
                Value::Int(v),
                "estimate quorum: Dynamo's (3, 2, 2), W + R > N for read-your-writes",
            );
        }
    }

    // Cache TTL, when a cache is chosen.
    if rec.patterns.iter().any(|p| {
        p.id == "caching"
            || p.id.starts_with("cache-")
            || p.id.starts_with("write-")
            || p.id == "read-through"
    }) {
        let (ttl, src) = match answer(walk, "tolerates_lag") {
            Some((v, _)) if v == "no" => (
                5.0,
                "answer tolerates_lag = no: a short 5s TTL bounds staleness",
            ),
            Some(_) => (300.0, "answer tolerates_lag = yes: 5m TTL"),
            None => (60.0, "default: 1m TTL"),
        };
        set(&mut s, "cache", "ttl_s", Value::Float(ttl), src);
    }
    (est, s)
}
