//! Retries: how much load nested retries can multiply, the backoff schedule with jitter, and
//! the worst-case latency a caller sees against its timeout budget.
//!
//! Conventions: `attempts` counts every try including the first (3 attempts = 1 try + 2
//! retries); the k-th retry (k = 1, 2, ...) waits on a capped exponential
//! min(cap, base·2^(k−1)), so the first retry waits about `base`. Times are seconds.

use super::Invalid;
use super::invalid::finite;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

const ATTEMPTS: &str = "a whole number of tries of at least 1 (the first try counts), e.g. 3";
const LAYERS: &str = "a whole number of layers of at least 1, e.g. 3";
const TIME: &str = "a duration, e.g. 100ms or 10s";

/// Most tries per call: the schedule has one row per retry, and the budget search is
/// quadratic in it.
pub const MAX_ATTEMPTS: u32 = 1_000;
/// Most layers: the amplification `attempts^layers` stays a finite number (1000^100 = 1e300).
pub const MAX_LAYERS: u32 = 100;

/// How the delay before a retry is randomised. Definitions from Marc Brooker, "Exponential
/// Backoff And Jitter", AWS Architecture Blog, 2015, with E = min(cap, base·2^(k−1)):
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Jitter {
    /// No randomness: wait E.
    None,
    /// Full jitter: wait uniform(0, E).
    Full,
    /// Equal jitter: wait E/2 + uniform(0, E/2).
    Equal,
    /// Decorrelated jitter: wait min(cap, uniform(base, 3·previous)), previous starting at
    /// base; its upper end grows as min(cap, base·3^k).
    Decorrelated,
}

impl Jitter {
    /// The formula, as printed.
    pub fn formula(self) -> &'static str {
        match self {
            Jitter::None => "delay = min(cap, base * 2^(k-1))",
            Jitter::Full => "delay = uniform(0, min(cap, base * 2^(k-1)))",
            Jitter::Equal => "delay = E/2 + uniform(0, E/2), E = min(cap, base * 2^(k-1))",
            Jitter::Decorrelated => "delay = min(cap, uniform(base, 3 * previous delay))",
        }
    }
}

/// The inputs of a retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Policy {
    /// Tries per call at each layer, the first included.
    pub attempts: u32,
    /// Layers of callers that each retry (client → gateway → service ...).
    pub layers: u32,
    /// Base delay (seconds).
    pub base_seconds: f64,
    /// Largest delay (seconds).
    pub cap_seconds: f64,
    /// The jitter.
    pub jitter: Jitter,
    /// Timeout of one try (seconds), when known.
    pub per_try_timeout_seconds: Option<f64>,
    /// The caller's overall budget (seconds), when known.
    pub budget_seconds: Option<f64>,
}

/// Load multiplication at one layer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Layer {
    /// Depth, 1 = the outermost caller's callee.
    pub layer: u32,
    /// Worst-case calls reaching this layer per original request: attempts^layer.
    pub calls: f64,
}

/// The delay before one retry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Delay {
    /// Retry number k (1 = the first retry, after the first try failed).
    pub retry: u32,
    /// The capped exponential E = min(cap, base·2^(k−1)) (seconds).
    pub exponential_seconds: f64,
    /// The shortest possible delay under the jitter (seconds).
    pub min_seconds: f64,
    /// The longest possible delay under the jitter (seconds).
    pub max_seconds: f64,
    /// A seeded draw, when a seed was given (seconds).
    pub sample_seconds: Option<f64>,
}

/// What a retry policy costs.
///
/// Worst-case amplification = attempts^layers: when every layer retries every failure, the
/// bottom of the stack receives that many calls per original request (3 attempts over 3
/// layers → 27; retry amplification is discussed in the Google SRE book, ch. 22 "Addressing
/// Cascading Failures"). Worst-case latency at the
/// top = attempts × per-try timeout + Σ max delays, compared with the budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The policy.
    pub policy: Policy,
    /// The jitter's formula.
    pub formula: &'static str,
    /// attempts^layers.
    pub amplification: f64,
    /// Calls per original request at each layer.
    pub layers: Vec<Layer>,
    /// One row per retry (attempts − 1 rows).
    pub schedule: Vec<Delay>,
    /// Σ of the shortest delays (seconds).
    pub total_min_delay_seconds: f64,
    /// Σ of the longest delays (seconds).
    pub total_max_delay_seconds: f64,
    /// attempts × per-try timeout + Σ max delays, when the per-try timeout is known; otherwise
    /// the delays alone (seconds).
    pub worst_case_latency_seconds: f64,
    /// Whether the worst case fits the budget, when one is given.
    pub fits_budget: Option<bool>,
    /// The most tries whose worst case fits the budget, when both the budget and the per-try
    /// timeout are given.
    pub attempts_within_budget: Option<u32>,
    /// The seed of the sampled delays, when given.
    pub seed: Option<u64>,
}

fn duration(input: &'static str, v: f64, positive: bool) -> Result<f64, Invalid> {
    finite(input, v, TIME)?;
    if v < 0.0 || (positive && v == 0.0) {
        let reason = if positive {
            "it must be longer than zero"
        } else {
            "it cannot be negative"
        };
        return Err(Invalid::new(input, format!("{v}s"), reason, TIME));
    }
    Ok(v)
}

/// The longest delay before retry k under `jitter`, from the previous longest delay.
fn bounds(policy: &Policy, k: u32, previous_max: f64) -> (f64, f64, f64) {
    let e = (policy.base_seconds * 2f64.powi(k as i32 - 1)).min(policy.cap_seconds);
    let (lo, hi) = match policy.jitter {
        Jitter::None => (e, e),
        Jitter::Full => (0.0, e),
        Jitter::Equal => (e / 2.0, e),
        Jitter::Decorrelated => (
            policy.base_seconds.min(policy.cap_seconds),
            (3.0 * previous_max).min(policy.cap_seconds),
        ),
    };
    (e, lo, hi)
}

fn worst_case(policy: &Policy, attempts: u32) -> f64 {
    let mut previous = policy.base_seconds;
    let mut delays = 0.0;
    for k in 1..attempts {
        let (_, _, hi) = bounds(policy, k, previous);
        delays += hi;
        previous = hi;
    }
    delays + policy.per_try_timeout_seconds.unwrap_or(0.0) * f64::from(attempts)
}

/// Analyses a retry policy; `seed` adds one deterministic sampled schedule.
pub fn analyse(policy: Policy, seed: Option<u64>) -> Result<Report, Invalid> {
    if policy.attempts == 0 {
        return Err(Invalid::new(
            "attempts",
            0,
            "there is always a first try",
            ATTEMPTS,
        ));
    }
    if policy.layers == 0 {
        return Err(Invalid::new(
            "layers",
            0,
            "at least one layer makes calls",
            LAYERS,
        ));
    }
    if policy.attempts > MAX_ATTEMPTS {
        return Err(Invalid::new(
            "attempts",
            policy.attempts,
            format!("at most {MAX_ATTEMPTS} tries per call are accepted"),
            format!(
                "a whole number of tries from 1 to {MAX_ATTEMPTS} (the first try counts), e.g. 3"
            ),
        ));
    }
    if policy.layers > MAX_LAYERS {
        return Err(Invalid::new(
            "layers",
            policy.layers,
            format!("at most {MAX_LAYERS} layers are accepted"),
            format!("a whole number of layers from 1 to {MAX_LAYERS}, e.g. 3"),
        ));
    }
    duration("base", policy.base_seconds, true)?;
    duration("cap", policy.cap_seconds, true)?;
    if policy.cap_seconds < policy.base_seconds {
        return Err(Invalid::new(
            "cap",
            format!("{}s", policy.cap_seconds),
            format!("the cap is below the base delay {}s", policy.base_seconds),
            "a cap at least as long as --base",
        ));
    }
    if let Some(t) = policy.per_try_timeout_seconds {
        duration("per-try-timeout", t, true)?;
    }
    if let Some(t) = policy.budget_seconds {
        duration("timeout", t, true)?;
    }

    let mut rng = seed.map(Xoshiro256PlusPlus::seed_from_u64);
    let mut schedule = Vec::new();
    let mut previous_max = policy.base_seconds;
    let mut previous_sample = policy.base_seconds;
    for k in 1..policy.attempts {
        let (e, lo, hi) = bounds(&policy, k, previous_max);
        let sample = rng.as_mut().map(|rng| {
            let u: f64 = rng.random();
            let s = match policy.jitter {
                Jitter::None => e,
                Jitter::Full => u * e,
                Jitter::Equal => e / 2.0 + u * e / 2.0,
                Jitter::Decorrelated => {
                    let low = policy.base_seconds;
                    let high = 3.0 * previous_sample;
                    (low + u * (high - low)).min(policy.cap_seconds)
                }
            };
            previous_sample = s;
            s
        });
        schedule.push(Delay {
            retry: k,
            exponential_seconds: e,
            min_seconds: lo,
            max_seconds: hi,
            sample_seconds: sample,
        });
        previous_max = hi;
    }
    let worst = worst_case(&policy, policy.attempts);
    let attempts_within_budget = match (policy.budget_seconds, policy.per_try_timeout_seconds) {
        (Some(budget), Some(_)) => (1..=policy.attempts.max(1_000))
            .take_while(|&a| worst_case(&policy, a) <= budget)
            .last(),
        _ => None,
    };
    Ok(Report {
        policy,
        formula: policy.jitter.formula(),
        amplification: f64::from(policy.attempts).powi(policy.layers as i32),
        layers: (1..=policy.layers)
            .map(|layer| Layer {
                layer,
                calls: f64::from(policy.attempts).powi(layer as i32),
            })
            .collect(),
        total_min_delay_seconds: schedule.iter().map(|d| d.min_seconds).sum(),
        total_max_delay_seconds: schedule.iter().map(|d| d.max_seconds).sum(),
        schedule,
        worst_case_latency_seconds: worst,
        fits_budget: policy.budget_seconds.map(|b| worst <= b),
        attempts_within_budget,
        seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(jitter: Jitter) -> Policy {
        Policy {
            attempts: 3,
            layers: 3,
            base_seconds: 0.1,
            cap_seconds: 10.0,
            jitter,
            per_try_timeout_seconds: None,
            budget_seconds: None,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn three_attempts_over_three_layers_amplify_twenty_seven_times() {
        let r = analyse(policy(Jitter::Full), None).unwrap();
        assert_eq!(r.amplification, 27.0);
        let calls: Vec<f64> = r.layers.iter().map(|l| l.calls).collect();
        assert_eq!(calls, vec![3.0, 9.0, 27.0]);
    }

    #[test]
    fn schedule_follows_each_jitter_definition() {
        let full = analyse(policy(Jitter::Full), None).unwrap().schedule;
        assert_eq!(full.len(), 2);
        assert!(close(full[0].max_seconds, 0.1) && full[0].min_seconds == 0.0);
        assert!(close(full[1].max_seconds, 0.2));
        let equal = analyse(policy(Jitter::Equal), None).unwrap().schedule;
        assert!(close(equal[1].min_seconds, 0.1) && close(equal[1].max_seconds, 0.2));
        let dec = analyse(policy(Jitter::Decorrelated), None)
            .unwrap()
            .schedule;
        assert!(close(dec[0].min_seconds, 0.1) && close(dec[0].max_seconds, 0.3));
        assert!(close(dec[1].max_seconds, 0.9));
    }

    #[test]
    fn delays_stop_growing_at_the_cap() {
        let mut p = policy(Jitter::None);
        p.attempts = 10;
        p.cap_seconds = 1.0;
        let r = analyse(p, None).unwrap();
        assert_eq!(r.schedule.last().unwrap().max_seconds, 1.0);
        assert!(close(r.schedule[3].max_seconds, 0.8));
    }

    #[test]
    fn refuses_attempts_and_layers_past_the_caps() {
        // Found by the bad-input suite: u32::MAX tries looped for ever and attempts^layers
        // with a u32 layer count wrapped to a negative exponent.
        let mut p = policy(Jitter::Full);
        p.attempts = u32::MAX;
        assert!(
            analyse(p, None)
                .unwrap_err()
                .to_string()
                .contains("at most 1000 tries")
        );
        p.attempts = MAX_ATTEMPTS;
        p.layers = u32::MAX;
        assert!(
            analyse(p, None)
                .unwrap_err()
                .to_string()
                .contains("at most 100 layers")
        );
        p.layers = MAX_LAYERS;
        p.per_try_timeout_seconds = Some(1.0);
        p.budget_seconds = Some(10.0);
        let r = analyse(p, None).unwrap();
        assert!(r.amplification.is_finite() && r.amplification >= 1e299);
    }

    #[test]
    fn worst_case_latency_is_tries_times_timeout_plus_delays() {
        let mut p = policy(Jitter::Full);
        p.per_try_timeout_seconds = Some(0.5);
        p.budget_seconds = Some(2.0);
        let r = analyse(p, None).unwrap();
        assert!(close(r.worst_case_latency_seconds, 3.0 * 0.5 + 0.1 + 0.2));
        assert_eq!(r.fits_budget, Some(true));
        p.budget_seconds = Some(1.5);
        let r = analyse(p, None).unwrap();
        assert_eq!(r.fits_budget, Some(false));
        assert_eq!(r.attempts_within_budget, Some(2));
    }

    #[test]
    fn samples_are_deterministic_for_a_seed_and_within_bounds() {
        for jitter in [Jitter::Full, Jitter::Equal, Jitter::Decorrelated] {
            let mut p = policy(jitter);
            p.attempts = 8;
            let a = analyse(p, Some(7)).unwrap();
            assert_eq!(a, analyse(p, Some(7)).unwrap());
            for d in &a.schedule {
                let s = d.sample_seconds.unwrap();
                assert!(
                    s >= d.min_seconds - 1e-12 && s <= d.max_seconds + 1e-12,
                    "{d:?}"
                );
            }
        }
    }

    #[test]
    fn refuses_zero_attempts_and_a_cap_below_the_base() {
        let mut p = policy(Jitter::Full);
        p.attempts = 0;
        assert_eq!(analyse(p, None).unwrap_err().input, "attempts");
        let mut p = policy(Jitter::Full);
        p.cap_seconds = 0.05;
        assert_eq!(analyse(p, None).unwrap_err().input, "cap");
    }
}
