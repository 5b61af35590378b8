//! Confidence intervals on a binomial proportion (failures out of trials): Wilson's score
//! interval and the Clopper–Pearson interval, both usable at the extremes of rare-event
//! simulation (a thousand failures in 1e11 trials).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;

/// How the interval on unavailability is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interval {
    /// Wilson score interval ([`wilson`]).
    Wilson,
    /// Clopper–Pearson "exact" interval ([`clopper_pearson`]).
    ClopperPearson,
}

impl Interval {
    /// Its name in flags and output: `wilson`, `clopper-pearson`.
    pub fn name(self) -> &'static str {
        match self {
            Interval::Wilson => "wilson",
            Interval::ClopperPearson => "clopper-pearson",
        }
    }

    /// `(low, high)` for `failures` of `trials` at `confidence`.
    pub fn bounds(self, failures: u64, trials: u64, confidence: f64) -> (f64, f64) {
        match self {
            Interval::Wilson => wilson(failures, trials, confidence),
            Interval::ClopperPearson => clopper_pearson(failures, trials, confidence),
        }
    }
}

/// Two-sided standard normal quantile for `confidence`: `z` with `P(|Z| ≤ z) = confidence`.
pub fn z(confidence: f64) -> f64 {
    Normal::standard().inverse_cdf(1.0 - (1.0 - confidence) / 2.0)
}

/// Wilson score interval for a binomial proportion `failures / trials` at `confidence`
/// (two-sided): centre `(p̂ + z²/2n) / (1 + z²/n)`, half-width
/// `z / (1 + z²/n) × sqrt(p̂(1 − p̂)/n + z²/4n²)`, with `z` the normal quantile of
/// `1 − (1 − confidence)/2`. Source: E. B. Wilson (1927), "Probable inference, the law of
/// succession, and statistical inference", JASA 22. Unlike the normal approximation it stays
/// inside [0, 1] and gives a useful upper bound when no failure was seen.
pub fn wilson(failures: u64, trials: u64, confidence: f64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let z = z(confidence);
    let n = trials as f64;
    let p = failures as f64 / n;
    let z2n = z * z / n;
    let centre = (p + z2n / 2.0) / (1.0 + z2n);
    let half = z / (1.0 + z2n) * (p * (1.0 - p) / n + z2n / (4.0 * n)).sqrt();
    let low = if failures == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if failures == trials {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

/// Clopper–Pearson interval for `failures / trials` at `confidence`: the lower end is the
/// `p` at which `P(X ≥ x) = α/2`, the upper end the `p` at which `P(X ≤ x) = α/2`, for
/// `X ~ Binomial(n, p)` and `α = 1 − confidence` (0 when `x = 0`, 1 when `x = n`). These are
/// the `α/2` quantile of Beta(x, n − x + 1) and the `1 − α/2` quantile of Beta(x + 1, n − x).
/// Source: C. J. Clopper and E. S. Pearson (1934), "The use of confidence or fiducial limits
/// illustrated in the case of the binomial", Biometrika 26. It inverts the binomial test
/// exactly, so its coverage is never below the level (it is conservative).
///
/// Computation: bisection on `p` of the binomial tail, summed term by term from the
/// probability of `x` itself, which comes from Loader's saddle-point form (C. Loader 2000,
/// "Fast and accurate computation of binomial probabilities", the method of R's `dbinom`).
/// Incomplete-beta routines that subtract `ln Γ(n)` values lose about `1e-16 × n` in the
/// log, i.e. most digits at `n = 1e11`; this does not.
pub fn clopper_pearson(failures: u64, trials: u64, confidence: f64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let target = (1.0 - confidence) / 2.0;
    let (x, n) = (failures, trials);
    let estimate = x as f64 / n as f64;
    let low = if x == 0 {
        0.0
    } else {
        // P(X ≥ x) grows with p: find where it reaches α/2, below the estimate.
        solve(|p| upper_tail(x, n, p) - target, 0.0, estimate)
    };
    let high = if x == n {
        1.0
    } else {
        // P(X ≤ x) falls with p: find where it drops to α/2, above the estimate.
        solve(|p| target - lower_tail(x, n, p), estimate, 1.0)
    };
    (low, high)
}

/// The root of an increasing `f` on `(lo, hi)`, by bisection: geometric while the bracket
/// spans orders of magnitude (the bounds of rare events are tiny), arithmetic after.
fn solve(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..400 {
        let mid = if lo > 0.0 && hi / lo > 4.0 {
            (lo * hi).sqrt()
        } else if lo == 0.0 && hi > 1e-300 {
            hi * 1e-3
        } else {
            (lo + hi) / 2.0
        };
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-14 * hi {
            break;
        }
    }
    (lo + hi) / 2.0
}

/// `P(X ≥ x)` for `X ~ Binomial(n, p)`.
fn upper_tail(x: u64, n: u64, p: f64) -> f64 {
    if x == 0 {
        return 1.0;
    }
    if (x as f64) > n as f64 * p {
        // Terms fall from x upwards: sum them.
        sum_from(x, n, p, true)
    } else {
        1.0 - sum_from(x - 1, n, p, false)
    }
}

/// `P(X ≤ x)` for `X ~ Binomial(n, p)`.
fn lower_tail(x: u64, n: u64, p: f64) -> f64 {
    if x >= n {
        return 1.0;
    }
    if (x as f64) < n as f64 * p {
        // Terms fall from x downwards: sum them.
        sum_from(x, n, p, false)
    } else {
        1.0 - sum_from(x + 1, n, p, true)
    }
}

/// `Σ P(X = k)` for `k` from `start` upwards (`up`) or downwards, until the terms stop
/// mattering; each term is the previous one times the ratio of consecutive probabilities.
fn sum_from(start: u64, n: u64, p: f64, up: bool) -> f64 {
    let q = 1.0 - p;
    let mut term = pmf(start, n, p);
    let mut sum = term;
    let mut k = start;
    loop {
        if up {
            if k >= n {
                break;
            }
            term *= (n - k) as f64 / (k + 1) as f64 * (p / q);
            k += 1;
        } else {
            if k == 0 {
                break;
            }
            term *= k as f64 / (n - k + 1) as f64 * (q / p);
            k -= 1;
        }
        sum += term;
        if term <= sum * 1e-17 || term == 0.0 {
            break;
        }
    }
    sum.min(1.0)
}

/// `P(X = x)` for `X ~ Binomial(n, p)`, by Loader's saddle-point expansion.
fn pmf(x: u64, n: u64, p: f64) -> f64 {
    let q = 1.0 - p;
    let nf = n as f64;
    if p == 0.0 {
        return if x == 0 { 1.0 } else { 0.0 };
    }
    if q == 0.0 {
        return if x == n { 1.0 } else { 0.0 };
    }
    if x == 0 {
        let lc = if p < 0.1 {
            -bd0(nf, nf * q) - nf * p
        } else {
            nf * q.ln()
        };
        return lc.exp();
    }
    if x == n {
        let lc = if q < 0.1 {
            -bd0(nf, nf * p) - nf * q
        } else {
            nf * p.ln()
        };
        return lc.exp();
    }
    let xf = x as f64;
    let lc =
        stirlerr(nf) - stirlerr(xf) - stirlerr(nf - xf) - bd0(xf, nf * p) - bd0(nf - xf, nf * q);
    let lf = (2.0 * std::f64::consts::PI).ln() + xf.ln() + (-xf / nf).ln_1p();
    (lc - 0.5 * lf).exp()
}

/// `ln Γ(n + 1) − (n + ½) ln n + n − ln √(2π)`, the error of Stirling's formula.
fn stirlerr(n: f64) -> f64 {
    if n <= 15.0 {
        return ln_gamma(n + 1.0) - (n + 0.5) * n.ln() + n
            - (2.0 * std::f64::consts::PI).sqrt().ln();
    }
    let nn = n * n;
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// `x ln(x / m) + m − x`, the deviance term, without cancellation when `x ≈ m`.
fn bd0(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        let v = (x - m) / (x + m);
        let mut s = (x - m) * v;
        let mut ej = 2.0 * x * v;
        let v2 = v * v;
        for j in 1..1000 {
            ej *= v2;
            let s1 = s + ej / f64::from(2 * j + 1);
            if s1 == s {
                return s1;
            }
            s = s1;
        }
        s
    } else {
        x * (x / m).ln() + m - x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{Beta, Binomial, Discrete};

    #[test]
    fn wilson_matches_a_published_interval() {
        // 0 of 10 at 95 %: [0, 0.2775] (Wilson 1927; e.g. Brown, Cai & DasGupta 2001).
        let (lo, hi) = wilson(0, 10, 0.95);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.27753).abs() < 1e-4, "{hi}");
        // 5 of 10 at 95 %: [0.2366, 0.7634].
        let (lo, hi) = wilson(5, 10, 0.95);
        assert!(
            (lo - 0.2366).abs() < 1e-4 && (hi - 0.7634).abs() < 1e-4,
            "{lo} {hi}"
        );
        assert_eq!(wilson(10, 10, 0.95).1, 1.0);
    }

    #[test]
    fn clopper_pearson_matches_published_intervals() {
        // 0 of 10 at 95 %: upper 1 − 0.025^(1/10) = 0.30850 (closed form for x = 0).
        let (lo, hi) = clopper_pearson(0, 10, 0.95);
        assert_eq!(lo, 0.0);
        assert!((hi - (1.0 - 0.025f64.powf(0.1))).abs() < 1e-12, "{hi}");
        // 5 of 10 at 95 %: [0.187086, 0.812914] (R: binom.test(5, 10)$conf.int).
        let (lo, hi) = clopper_pearson(5, 10, 0.95);
        assert!(
            (lo - 0.187086).abs() < 1e-6 && (hi - 0.812914).abs() < 1e-6,
            "{lo} {hi}"
        );
        // x = n: lower = (α/2)^(1/n).
        let (lo, hi) = clopper_pearson(20, 20, 0.99);
        assert!((lo - 0.005f64.powf(1.0 / 20.0)).abs() < 1e-12, "{lo}");
        assert_eq!(hi, 1.0);
    }

    #[test]
    fn clopper_pearson_agrees_with_statrs_beta_quantiles_where_those_are_accurate() {
        for (x, n) in [(1, 50), (7, 300), (120, 1000), (999, 1000), (40, 100_000)] {
            let (lo, hi) = clopper_pearson(x, n, 0.95);
            let (xf, nf) = (x as f64, n as f64);
            let beta_lo = Beta::new(xf, nf - xf + 1.0).unwrap().inverse_cdf(0.025);
            let beta_hi = Beta::new(xf + 1.0, nf - xf).unwrap().inverse_cdf(0.975);
            assert!(
                (lo - beta_lo).abs() <= 1e-9 * beta_lo,
                "{x}/{n}: {lo} vs {beta_lo}"
            );
            assert!(
                (hi - beta_hi).abs() <= 1e-9 * beta_hi,
                "{x}/{n}: {hi} vs {beta_hi}"
            );
        }
    }

    #[test]
    fn the_binomial_probabilities_match_statrs() {
        for (x, n, p) in [(0, 10, 0.3), (3, 10, 0.3), (10, 10, 0.3), (40, 1000, 0.05)] {
            let ours = pmf(x, n, p);
            let theirs = Binomial::new(p, n).unwrap().pmf(x);
            assert!(
                (ours - theirs).abs() <= 1e-11 * theirs,
                "{x} {n} {p}: {ours} vs {theirs}"
            );
        }
    }

    #[test]
    fn clopper_pearson_stays_accurate_for_rare_events() {
        // 1537 failures in 1e11 trials: at the bounds the binomial tails are α/2. For so
        // large an n the binomial is Poisson to about 1e-8, and the Poisson tails follow from
        // the chi-square (Gamma) distribution: P(Poisson(λ) ≥ x) = P(Gamma(x, 1) ≤ λ).
        let (x, n) = (1537u64, 100_000_000_000u64);
        let (lo, hi) = clopper_pearson(x, n, 0.95);
        let gamma = |shape: f64, at: f64| {
            statrs::distribution::Gamma::new(shape, 1.0)
                .unwrap()
                .cdf(at)
        };
        let below = gamma(x as f64, lo * n as f64);
        let above = 1.0 - gamma(x as f64 + 1.0, hi * n as f64);
        assert!((below - 0.025).abs() < 1e-6, "{below}");
        assert!((above - 0.025).abs() < 1e-6, "{above}");
        // Conservative: it contains the Wilson interval for the same counts.
        let (wl, wh) = wilson(x, n, 0.95);
        assert!(lo <= wl && wh <= hi, "{lo} {hi} vs {wl} {wh}");
        assert!((hi - lo) / 2.0 / (x as f64 / n as f64) < 0.052);
    }
}
