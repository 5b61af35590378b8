//! A synchronous call chain's timeouts and retries, fitted inside the latency budget its
//! callers give one request.
//!
//! A request crosses `layers` calls in a chain (the caller's call to the entry service, the
//! entry service's call to the next, ...). A layer that retries makes up to some number of
//! attempts, each cut off by a per-try timeout, with capped exponential backoff and full
//! jitter between tries ([`super::retry`]). The worst case of one layer is the model's
//! `attempts x per-try timeout + the longest delays`.
//!
//! The service time S the user gives is the entry service's, and it includes the calls it
//! waits on, so the whole chain takes S on average. With no per-layer figures, each layer's
//! own work is taken as an equal share, S / layers. One hop is allowed the 99.9th percentile
//! of an exponential time of that mean, `ln(1000) x S / layers` (≈ 6.9 times the mean, the
//! timeout percentile the Builders' Library article "Timeouts, retries, and backoff with
//! jitter" recommends for a downstream call: one try in a thousand times out spuriously), plus
//! one round trip inside a datacentre, 0.5 ms (Jeff Dean's "latency numbers every programmer
//! should know"). For exponential times the 99.9th percentile is linear in the mean, so a call
//! covering the layers below gets the sum of their allowances.
//!
//! Retries happen at one layer only, the deepest: retries at several layers multiply (three
//! tries at each of three layers send 27 calls to the last one; Google SRE book, ch. 22
//! "Addressing Cascading Failures": "avoid amplifying retries by issuing retries at multiple
//! levels"), and a retry next to the failure repeats the fewest hops. Every other layer makes
//! one try whose timeout holds its own hop plus the worst case of the layer below, so an outer
//! timeout never gives up while the inner layer is still retrying (Brooker, same article:
//! inner timeouts must fit inside outer ones). The deepest layer gets the most attempts, up to
//! `max_attempts`, for which the outermost worst case still fits the budget; none when not
//! even one retry fits. A retry budget (retries at most 10 % of calls, as gRPC's retry
//! throttling and Finagle's RetryBudget do) then bounds the extra load an outage causes at
//! 10 %, whatever the attempts.

use super::Invalid;
use super::retry::{self, Jitter, Policy};
use serde::Serialize;

/// One round trip inside a datacentre, seconds (Dean's latency numbers: 500 µs).
pub const ROUND_TRIP: f64 = 0.000_5;
/// The hop percentile a per-try timeout is set at: 99.9 %, so one try in a thousand times out
/// spuriously when nothing is wrong.
pub const HOP_QUANTILE: f64 = 0.999;
/// Longest backoff delay, seconds (the retry model's usual cap).
pub const CAP: f64 = 10.0;
/// Largest base delay, seconds: 100 ms, the usual start of an exponential backoff (AWS
/// Architecture Blog, "Exponential Backoff And Jitter").
pub const MAX_BASE: f64 = 0.1;

/// Share of calls a retry budget lets be retries: 10 % (the SRE book's per-client retry
/// budget; gRPC retry throttling and Finagle's RetryBudget default to about that).
pub const RETRY_BUDGET: f64 = 0.1;

/// The time one hop is allowed when a chain of `layers` calls takes `service_time` on average
/// in all: the [`HOP_QUANTILE`] of an exponential time of mean `service_time / layers`, plus a
/// datacentre round trip.
pub fn hop(service_time: f64, layers: u32) -> f64 {
    -(1.0 - HOP_QUANTILE).ln() * service_time / f64::from(layers.max(1)) + ROUND_TRIP
}

/// The backoff base of a layer: half its per-try timeout, at most [`MAX_BASE`], so that a
/// retry waits about as long as the try it repeats and a tight budget is not spent waiting.
pub fn base(per_try_timeout: f64) -> f64 {
    (per_try_timeout / 2.0).min(MAX_BASE)
}

/// The retry policy of one layer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Layer {
    /// 1 = the outermost call (the callers' call to the entry service).
    pub layer: u32,
    /// Tries per call, the first included; 1 means no retries.
    pub attempts: u32,
    /// Timeout of one try, seconds.
    pub per_try_timeout_seconds: f64,
    /// Backoff base, seconds.
    pub base_seconds: f64,
    /// attempts x per-try timeout + the longest delays, seconds.
    pub worst_case_seconds: f64,
}

/// A chain's fitted policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chain {
    /// Outermost first.
    pub layers: Vec<Layer>,
    /// The time one hop is allowed, seconds ([`hop`]).
    pub hop_seconds: f64,
    /// Mean own work of one layer, seconds: the service time over the layers.
    pub layer_mean_seconds: f64,
    /// The budget, seconds.
    pub budget_seconds: f64,
    /// Worst case of the outermost layer, seconds: at most the budget.
    pub worst_case_seconds: f64,
    /// Product of the attempts: calls reaching the deepest layer per request in the worst case.
    pub amplification: f64,
    /// False when even one try per layer, each allowed a hop, exceeds the budget; the
    /// timeouts are then the budget split evenly over the hops, and no layer retries.
    pub fits_one_try: bool,
}

impl Chain {
    /// Whether any layer retries.
    pub fn retries(&self) -> bool {
        self.layers.iter().any(|l| l.attempts > 1)
    }
}

fn policy(attempts: u32, timeout: f64) -> Policy {
    Policy {
        attempts,
        layers: 1,
        base_seconds: base(timeout),
        cap_seconds: CAP,
        jitter: Jitter::Full,
        per_try_timeout_seconds: Some(timeout),
        budget_seconds: None,
    }
}

/// The layers for these attempts (outermost first), each try allowed `hop` plus the layer
/// below's worst case.
fn nest(attempts: &[u32], hop: f64) -> Result<Vec<Layer>, Invalid> {
    let mut out = Vec::with_capacity(attempts.len());
    let mut below = 0.0;
    for (i, &a) in attempts.iter().enumerate().rev() {
        let timeout = hop + below;
        let worst = retry::analyse(policy(a, timeout), None)?.worst_case_latency_seconds;
        out.push(Layer {
            layer: i as u32 + 1,
            attempts: a,
            per_try_timeout_seconds: timeout,
            base_seconds: base(timeout),
            worst_case_seconds: worst,
        });
        below = worst;
    }
    out.reverse();
    Ok(out)
}

fn check(name: &'static str, v: f64) -> Result<f64, Invalid> {
    if !v.is_finite() || v <= 0.0 {
        return Err(Invalid::new(
            name,
            format!("{v}s"),
            "it must be a finite duration longer than zero",
            "a duration, e.g. 5ms or 2s",
        ));
    }
    Ok(v)
}

/// Fits per-try timeouts and attempts to a chain of `layers` calls whose hops take
/// `service_time` each (mean, seconds), so the outermost worst case stays within `budget`
/// seconds; no layer tries more than `max_attempts` times.
pub fn fit(
    budget: f64,
    service_time: f64,
    layers: u32,
    max_attempts: u32,
) -> Result<Chain, Invalid> {
    let budget = check("latency budget", budget)?;
    let service_time = check("service time", service_time)?;
    if layers == 0 || layers > retry::MAX_LAYERS {
        return Err(Invalid::new(
            "layers",
            layers,
            format!("from 1 to {} layers are accepted", retry::MAX_LAYERS),
            "a whole number of layers, e.g. 3",
        ));
    }
    let max_attempts = max_attempts.clamp(1, retry::MAX_ATTEMPTS);
    let hop = hop(service_time, layers);
    let layer_mean_seconds = service_time / f64::from(layers);
    let mut attempts = vec![1; layers as usize];
    let mut nested = nest(&attempts, hop)?;
    let fits_one_try = nested[0].worst_case_seconds <= budget;
    if !fits_one_try {
        // Not even one try per hop fits: no retries, and the budget split evenly over the
        // hops so the outer timeouts still contain the inner ones.
        let share = budget / f64::from(layers);
        let layers: Vec<Layer> = (1..=layers)
            .map(|k| {
                // A try at layer k covers its own hop and every hop below it.
                let timeout = share * f64::from(layers - k + 1);
                Layer {
                    layer: k,
                    attempts: 1,
                    per_try_timeout_seconds: timeout,
                    base_seconds: base(timeout),
                    worst_case_seconds: timeout,
                }
            })
            .collect();
        return Ok(Chain {
            worst_case_seconds: layers[0].worst_case_seconds,
            layers,
            hop_seconds: hop,
            layer_mean_seconds,
            budget_seconds: budget,
            amplification: 1.0,
            fits_one_try,
        });
    }
    // Retries at the deepest layer only: the most attempts that still fit.
    let deepest = attempts.len() - 1;
    for a in (2..=max_attempts).rev() {
        attempts[deepest] = a;
        let tried = nest(&attempts, hop)?;
        if tried[0].worst_case_seconds <= budget {
            nested = tried;
            break;
        }
        attempts[deepest] = 1;
    }
    Ok(Chain {
        worst_case_seconds: nested[0].worst_case_seconds,
        amplification: attempts.iter().map(|&a| f64::from(a)).product(),
        layers: nested,
        hop_seconds: hop,
        layer_mean_seconds,
        budget_seconds: budget,
        fits_one_try,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_hop_is_the_p999_of_an_exponential_share_of_the_service_time_plus_a_round_trip() {
        // ln(1000) = 6.907755...; 30 ms over three layers is 10 ms each.
        assert!((hop(0.03, 3) - (0.069_077_552_789_821_37 + 0.0005)).abs() < 1e-12);
        assert!((hop(0.01, 1) - hop(0.03, 3)).abs() < 1e-15);
    }

    #[test]
    fn a_generous_budget_retries_three_times_at_the_deepest_layer_only() {
        let c = fit(10.0, 0.010, 2, 3).unwrap();
        assert!(c.fits_one_try);
        assert_eq!(
            c.layers.iter().map(|l| l.attempts).collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(c.amplification, 3.0);
        // The outer try holds the inner layer's worst case plus its own hop.
        let inner = c.layers[1];
        assert!((inner.per_try_timeout_seconds - c.hop_seconds).abs() < 1e-12);
        assert!(
            (c.layers[0].per_try_timeout_seconds - (c.hop_seconds + inner.worst_case_seconds))
                .abs()
                < 1e-12
        );
        // 3 tries + delays of base and 2 x base (full jitter's upper ends).
        let t = inner.per_try_timeout_seconds;
        assert!((inner.worst_case_seconds - (3.0 * t + 1.5 * t)).abs() < 1e-12);
    }

    #[test]
    fn a_tight_budget_retries_only_as_often_as_fits() {
        // An ad bidder: 200 µs handler, 10 ms budget, one layer. hop = 1.88 ms; three tries
        // with delays of 0.94 and 1.88 ms take 8.46 ms.
        let c = fit(0.010, 0.000_2, 1, 3).unwrap();
        assert_eq!(c.layers[0].attempts, 3);
        assert!(c.worst_case_seconds <= 0.010);
        // A page's API call: 60 ms over two layers in 1 s. hop = 6.9 x 30 ms + 0.5 ms =
        // 207.7 ms; three tries at layer 2 would take 923 ms under a 1.13 s outer try, two
        // take 515 ms under 723 ms.
        let c = fit(1.0, 0.060, 2, 3).unwrap();
        assert_eq!(
            c.layers.iter().map(|l| l.attempts).collect::<Vec<_>>(),
            [1, 2]
        );
        assert!((c.worst_case_seconds - 0.7231).abs() < 1e-3, "{c:?}");
        // 300 ms over four layers of 32 ms: four single tries take 223 ms, a retry at the
        // deepest layer would add 84 ms.
        let c = fit(0.3, 0.032, 4, 3).unwrap();
        assert!(c.fits_one_try && !c.retries(), "{c:?}");
        assert!((c.worst_case_seconds - 4.0 * c.hop_seconds).abs() < 1e-12);
    }

    #[test]
    fn a_budget_below_one_try_per_hop_recommends_no_retries_and_splits_it() {
        let c = fit(0.010, 0.160, 2, 3).unwrap();
        assert!(!c.fits_one_try && !c.retries());
        assert!((c.layers[0].per_try_timeout_seconds - 0.010).abs() < 1e-12);
        assert!((c.layers[1].per_try_timeout_seconds - 0.005).abs() < 1e-12);
        assert_eq!(c.amplification, 1.0);
    }

    #[test]
    fn refuses_a_zero_budget_and_zero_layers() {
        assert_eq!(fit(0.0, 0.01, 1, 3).unwrap_err().input, "latency budget");
        assert_eq!(fit(1.0, 0.01, 0, 3).unwrap_err().input, "layers");
    }

    proptest! {
        #[test]
        fn whenever_retries_are_recommended_their_worst_case_fits_the_budget(
            budget in 1e-4f64..3600.0,
            service in 1e-6f64..60.0,
            layers in 1u32..8,
        ) {
            let c = fit(budget, service, layers, 3).unwrap();
            if c.retries() || c.fits_one_try {
                prop_assert!(c.worst_case_seconds <= budget * (1.0 + 1e-12), "{c:?}");
            }
            prop_assert!(c.layers[0].worst_case_seconds <= budget * (1.0 + 1e-9), "{c:?}");
            // Inner worst cases fit inside the outer per-try timeouts.
            for w in c.layers.windows(2) {
                prop_assert!(w[1].worst_case_seconds <= w[0].per_try_timeout_seconds * (1.0 + 1e-12));
            }
            prop_assert!(c.layers.iter().all(|l| (1..=3).contains(&l.attempts)));
            // At most one layer retries, the deepest.
            prop_assert!(c.layers[..c.layers.len() - 1].iter().all(|l| l.attempts == 1));
            // A longer budget never takes a retry away.
            let more = fit(budget * 2.0, service, layers, 3).unwrap();
            prop_assert!(more.amplification >= c.amplification);
        }
    }
}
