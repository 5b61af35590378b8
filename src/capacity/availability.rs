//! Availability of components combined in series, in parallel and k-of-n, and of one
//! component from its MTTF and MTTR.
//!
//! Precision: a highly available system has an availability like 0.999999999999, and
//! `1 − A` computed from it keeps only a few significant digits. So every model here works in
//! *unavailability* `u = 1 − A` where that keeps precision (parallel: a product of
//! unavailabilities; series: `1 − ∏(1 − u)` as `−expm1(Σ ln1p(−u))`; k-of-n: a sum of
//! positive terms) and reports both figures. Inputs are fractions in [0, 1].

use serde::Serialize;
use statrs::distribution::{Binomial, DiscreteCDF};

/// An availability and its complement, each computed without cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Availability {
    /// Probability the system is up.
    pub availability: f64,
    /// Probability the system is down, computed directly (not as `1 − availability`).
    pub unavailability: f64,
}

impl Availability {
    /// From an unavailability `u`.
    pub fn from_unavailability(u: f64) -> Self {
        Availability {
            availability: 1.0 - u,
            unavailability: u,
        }
    }

    /// "Nines": `−log10(u)` (3 for 99.9 %, infinite for a perfect component).
    pub fn nines(self) -> f64 {
        -self.unavailability.log10()
    }
}

/// Unavailabilities of availabilities: `1 − a` is exact in floating point for `a ≥ 0.5`.
pub fn unavailabilities(availabilities: &[f64]) -> Vec<f64> {
    availabilities.iter().map(|a| 1.0 - a).collect()
}

/// Series: every component must be up. `A = ∏ aᵢ`.
///
/// Source: AWS Well-Architected Reliability Pillar (hard dependencies multiply: three 99.99 %
/// → 0.999700029999); Azure composite SLA (99.95 % × 99.99 % → 0.99940005).
pub fn series(availabilities: &[f64]) -> Availability {
    Availability::from_unavailability(series_u(&unavailabilities(availabilities)))
}

/// Unavailability of a series: `1 − ∏(1 − uᵢ)`, computed as `−expm1(Σ ln1p(−uᵢ))` so that
/// tiny unavailabilities add up without being lost in `1 − ∏`.
pub fn series_u(u: &[f64]) -> f64 {
    if u.iter().any(|&x| x >= 1.0) {
        return 1.0;
    }
    -u.iter().map(|&x| (-x).ln_1p()).sum::<f64>().exp_m1()
}

/// Parallel (redundant): at least one component up. `A = 1 − ∏(1 − aᵢ)`, computed as the
/// product of unavailabilities. Source: AWS Reliability Pillar (two 99.9 % → 0.999999).
pub fn parallel(availabilities: &[f64]) -> Availability {
    Availability::from_unavailability(parallel_u(&unavailabilities(availabilities)))
}

/// Unavailability of a parallel group: `∏ uᵢ`.
pub fn parallel_u(u: &[f64]) -> f64 {
    u.iter().product()
}

/// k-of-n of identical components: at least `k` of `n` up, each with availability `a`.
/// `U = P(X ≥ n − k + 1)` with `X ~ Binomial(n, 1 − a)` the number down, from statrs's
/// survival function (the upper tail, computed directly).
///
/// Source: binomial reliability model; fiabilipy's doctest gives 2-out-of-3 of components with
/// `A = μ/(λ+μ)`, λ = 1e-4/h, μ = 3e-2/h → 0.999966961120940. `k = 0` is always up; `k > n`
/// never.
pub fn k_of_n(k: u64, n: u64, a: f64) -> Availability {
    if k == 0 {
        return Availability::from_unavailability(0.0);
    }
    if k > n {
        return Availability::from_unavailability(1.0);
    }
    let u = 1.0 - a;
    let down = Binomial::new(u.clamp(0.0, 1.0), n).map_or(f64::NAN, |b| b.sf(n - k));
    Availability::from_unavailability(down)
}

/// k-of-n of components with different availabilities: the number up follows a
/// Poisson-binomial distribution. See [`k_of_n_u`].
pub fn k_of_n_mixed(k: usize, availabilities: &[f64]) -> Availability {
    Availability::from_unavailability(k_of_n_u(k, &unavailabilities(availabilities)))
}

/// Unavailability of a k-of-n group with unavailabilities `u`: `P(fewer than k up)`, by exact
/// dynamic programming over the Poisson-binomial distribution (`dp[j]` = probability that `j`
/// of the components seen so far are up, for `j < k`; states at `k` or more are dropped as
/// "up"). A sum of positive terms, so tiny results keep their relative precision.
/// Cost `O(n·k)`.
pub fn k_of_n_u(k: usize, u: &[f64]) -> f64 {
    if k == 0 {
        return 0.0;
    }
    if k > u.len() {
        return 1.0;
    }
    up_count_distribution(u, k).iter().sum()
}

/// Probability that exactly `j` of the components with unavailabilities `u` are up, for
/// `j < limit`: the truncated Poisson-binomial distribution used by [`k_of_n_u`].
pub fn up_count_distribution(u: &[f64], limit: usize) -> Vec<f64> {
    if limit == 0 {
        return Vec::new();
    }
    let mut dp = vec![0.0; limit];
    dp[0] = 1.0;
    for (i, &ui) in u.iter().enumerate() {
        let p = 1.0 - ui;
        for j in (0..limit.min(i + 2)).rev() {
            let up_from_below = if j > 0 { dp[j - 1] * p } else { 0.0 };
            dp[j] = dp[j] * ui + up_from_below;
        }
    }
    dp
}

/// Steady-state availability of a repairable component: `A = MTTF / (MTTF + MTTR)`, and
/// `U = MTTR / (MTTF + MTTR)` directly. With rates, `A = μ / (λ + μ)`.
///
/// Source: the usual renewal-process result (e.g. the seed guide's "availability =
/// MTTF/(MTTF+MTTR)"); MTBF/MTTR series 50000 h / 5 h with 20000 h / 2 h → 0.99980003.
pub fn from_mttf(mttf: f64, mttr: f64) -> Availability {
    Availability {
        availability: mttf / (mttf + mttr),
        unavailability: mttr / (mttf + mttr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    #[test]
    fn series_and_parallel_match_aws_and_azure() {
        let three = series(&[0.9999, 0.9999, 0.9999]);
        assert!(rel(three.availability, 0.999700029999) < 1e-12, "{three:?}");
        let two = parallel(&[0.999, 0.999]);
        assert!(rel(two.availability, 0.999999) < 1e-12, "{two:?}");
        assert!(rel(two.unavailability, 1e-6) < 1e-9);
        let azure = series(&[0.9995, 0.9999]);
        assert!(rel(azure.availability, 0.99940005) < 1e-12, "{azure:?}");
    }

    #[test]
    fn k_of_n_matches_fiabilipy() {
        let a = from_mttf(1.0 / 1e-4, 1.0 / 3e-2);
        assert!(rel(a.availability, 0.996677740863787) < 1e-12, "{a:?}");
        let two_of_three = k_of_n(2, 3, a.availability);
        assert!(
            rel(two_of_three.availability, 0.999966961120940) < 1e-12,
            "{two_of_three:?}"
        );
        let mixed = k_of_n_mixed(2, &[a.availability; 3]);
        assert!(rel(mixed.availability, 0.999966961120940) < 1e-12);
    }

    #[test]
    fn mttf_mttr_series_matches_the_mtbf_example() {
        let a = from_mttf(50000.0, 5.0);
        let b = from_mttf(20000.0, 2.0);
        let s = series(&[a.availability, b.availability]);
        assert!(rel(s.availability, 0.99980003) < 1e-8, "{s:?}");
    }

    #[test]
    fn tiny_unavailabilities_survive() {
        let p = parallel_u(&[1e-6, 1e-6]);
        assert_eq!(p, 1e-12);
        let s = series_u(&[1e-12, 1e-12]);
        assert!(rel(s, 2e-12) < 1e-12, "{s}");
        let k = k_of_n_u(1, &[1e-6, 1e-6]);
        assert!(rel(k, 1e-12) < 1e-12, "{k}");
        let binom = k_of_n(1, 2, 1.0 - 1e-6).unavailability;
        assert!(rel(binom, 1e-12) < 1e-9, "{binom}");
    }

    #[test]
    fn k_of_n_edges_are_series_parallel_and_trivial() {
        let u = [0.1, 0.2, 0.3];
        assert!(rel(k_of_n_u(3, &u), series_u(&u)) < 1e-12);
        assert!(rel(k_of_n_u(1, &u), parallel_u(&u)) < 1e-12);
        assert_eq!(k_of_n_u(0, &u), 0.0);
        assert_eq!(k_of_n_u(4, &u), 1.0);
        assert_eq!(k_of_n(0, 3, 0.5).unavailability, 0.0);
        assert_eq!(k_of_n(4, 3, 0.5).unavailability, 1.0);
        let dist = up_count_distribution(&u, 4);
        assert!((dist.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        assert!(rel(dist[3], 0.9 * 0.8 * 0.7) < 1e-12);
    }

    fn avail() -> impl Strategy<Value = f64> {
        prop_oneof![0.5f64..1.0, 0.9f64..1.0, 0.999f64..1.0, 0.01f64..1.0]
    }

    proptest! {
        #[test]
        fn series_is_at_most_the_weakest_and_parallel_at_least_the_strongest(
            a in prop::collection::vec(avail(), 1..8)
        ) {
            let min = a.iter().cloned().fold(1.0, f64::min);
            let max = a.iter().cloned().fold(0.0, f64::max);
            prop_assert!(series(&a).availability <= min + 1e-15);
            prop_assert!(parallel(&a).availability >= max - 1e-15);
            let s = series(&a);
            prop_assert!((s.availability + s.unavailability - 1.0).abs() < 1e-12);
        }

        #[test]
        fn k_of_n_lies_between_series_and_parallel_and_falls_with_k(
            a in prop::collection::vec(avail(), 1..8)
        ) {
            let n = a.len();
            let s = series(&a).unavailability;
            let p = parallel(&a).unavailability;
            let mut last = 0.0;
            for k in 1..=n {
                let u = k_of_n_mixed(k, &a).unavailability;
                prop_assert!(u >= p * (1.0 - 1e-12) - 1e-300);
                prop_assert!(u <= s * (1.0 + 1e-12));
                prop_assert!(u >= last * (1.0 - 1e-12));
                last = u;
            }
        }

        #[test]
        fn k_of_n_improves_with_every_component(
            a in prop::collection::vec(avail(), 2..7),
            i in 0usize..7,
            k in 1usize..7,
            bump in 0.0f64..1.0,
        ) {
            let i = i % a.len();
            let k = 1 + (k - 1) % a.len();
            let mut better = a.clone();
            better[i] += (1.0 - better[i]) * bump;
            let before = k_of_n_mixed(k, &a).unavailability;
            let after = k_of_n_mixed(k, &better).unavailability;
            prop_assert!(after <= before * (1.0 + 1e-12), "{before} -> {after}");
        }

        #[test]
        fn binomial_and_dynamic_programming_agree(n in 1u64..40, k in 1u64..40, a in avail()) {
            let k = 1 + (k - 1) % n;
            let b = k_of_n(k, n, a).unavailability;
            let d = k_of_n_u(k as usize, &vec![1.0 - a; n as usize]);
            prop_assert!(b == d || rel(b, d) < 1e-9, "{b} vs {d}");
        }

        #[test]
        fn mttf_availability_rises_with_mttf_and_falls_with_mttr(
            f in 1.0f64..1e6, r in 0.01f64..1e3, more in 1.0f64..10.0
        ) {
            let base = from_mttf(f, r);
            prop_assert!(from_mttf(f * more, r).availability >= base.availability);
            prop_assert!(from_mttf(f, r * more).availability <= base.availability);
            prop_assert!((base.availability + base.unavailability - 1.0).abs() < 1e-15);
        }
    }
}
