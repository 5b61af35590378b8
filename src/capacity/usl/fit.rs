//! Fitting the USL to measurements by bounded nonlinear least squares.
//!
//! The estimator is the one of the R package usl 3.x (`nls` with the `port` algorithm, or
//! `nlxb`): minimise Σ (Xᵢ − X(Nᵢ))² over all three coefficients with σ, κ in [0, 1] and
//! λ ≥ 0. The solver here is Levenberg–Marquardt with Marquardt's diagonal scaling; a
//! coefficient that sits on a bound and whose gradient points out of the box is held fixed for
//! that step (an active set), and every step is projected back into the box. It starts from R
//! usl's starting point (λ = max Xᵢ/Nᵢ, σ = 0.01, κ = 0.0001) and from a linearised estimate,
//! and keeps the better of the two answers, so a poor start on unusual data does not decide
//! the result.

use super::{Error, Model, Peak, Point};
use serde::Serialize;

/// How the coefficients are estimated, printed with every fit.
pub const ESTIMATOR: &str =
    "bounded nonlinear least squares, as R usl 3.x (Levenberg-Marquardt; σ, κ in [0, 1], λ ≥ 0)";

const LOWER: [f64; 3] = [0.0, 0.0, 0.0];
const UPPER: [f64; 3] = [f64::INFINITY, 1.0, 1.0];
const MAX_ITERATIONS: usize = 10_000;

/// Standard errors of the coefficients (from the Jacobian at the solution, as R's `nls`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StdErrors {
    /// Of σ.
    pub sigma: f64,
    /// Of κ.
    pub kappa: f64,
    /// Of λ.
    pub lambda: f64,
}

/// A measurement next to the fitted value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fitted {
    /// Concurrency N.
    pub concurrency: f64,
    /// Measured throughput.
    pub measured: f64,
    /// X(N) of the fitted model.
    pub fitted: f64,
    /// Measured − fitted.
    pub residual: f64,
}

/// The result of a fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// The fitted coefficients.
    pub model: Model,
    /// N* and X(N*) when κ > 0.
    pub peak: Option<Peak>,
    /// λ / σ when κ = 0 and σ > 0.
    pub ceiling: Option<f64>,
    /// Coefficient of determination 1 − SSres / SStot.
    pub r_squared: f64,
    /// sqrt(SSres / (n − 3)); `None` with exactly three points.
    pub residual_standard_error: Option<f64>,
    /// Standard errors; `None` with exactly three points or a singular Jacobian.
    pub std_errors: Option<StdErrors>,
    /// Solver iterations of the chosen start.
    pub iterations: usize,
    /// How the coefficients were estimated.
    pub estimator: &'static str,
    /// Each measurement with its fitted value, in input order.
    pub points: Vec<Fitted>,
}

/// Parameters in solver order: λ, σ, κ.
type Params = [f64; 3];

fn model_value(p: &Params, n: f64) -> f64 {
    p[0] * n / (1.0 + p[1] * (n - 1.0) + p[2] * n * (n - 1.0))
}

fn ssr(p: &Params, points: &[Point]) -> f64 {
    points
        .iter()
        .map(|pt| (pt.throughput - model_value(p, pt.concurrency)).powi(2))
        .sum()
}

/// Residuals yᵢ − f(Nᵢ) and the Jacobian ∂f/∂(λ, σ, κ).
fn jacobian(p: &Params, points: &[Point]) -> (Vec<f64>, Vec<Params>) {
    points
        .iter()
        .map(|pt| {
            let n = pt.concurrency;
            let d = 1.0 + p[1] * (n - 1.0) + p[2] * n * (n - 1.0);
            let f = p[0] * n / d;
            let row = [
                n / d,
                -p[0] * n * (n - 1.0) / (d * d),
                -p[0] * n * n * (n - 1.0) / (d * d),
            ];
            (pt.throughput - f, row)
        })
        .unzip()
}

/// Solves the square system `a x = b` by Gaussian elimination with partial pivoting after
/// scaling rows and columns by the diagonal (the USL columns differ by ten orders of
/// magnitude). `None` when singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let k = b.len();
    let scale: Vec<f64> = (0..k)
        .map(|i| {
            let d = a[i][i].abs().sqrt();
            if d > 0.0 { d } else { 1.0 }
        })
        .collect();
    for i in 0..k {
        for j in 0..k {
            a[i][j] /= scale[i] * scale[j];
        }
        b[i] /= scale[i];
    }
    for col in 0..k {
        let pivot = (col..k).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-14 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..k {
            let f = a[row][col] / a[col][col];
            let pivot_row = a[col].clone();
            for (x, p) in a[row].iter_mut().zip(&pivot_row).skip(col) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; k];
    for row in (0..k).rev() {
        let s: f64 = (row + 1..k).map(|j| a[row][j] * x[j]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some((0..k).map(|i| x[i] / scale[i]).collect())
}

struct Solution {
    params: Params,
    ssr: f64,
    iterations: usize,
}

/// Bounded Levenberg–Marquardt from `start`.
fn levenberg_marquardt(start: Params, points: &[Point]) -> Result<Solution, Error> {
    let clamp = |p: Params| -> Params { std::array::from_fn(|i| p[i].clamp(LOWER[i], UPPER[i])) };
    let mut p = clamp(start);
    let mut current = ssr(&p, points);
    let mut mu = 1e-3;
    for iteration in 1..=MAX_ITERATIONS {
        let (r, j) = jacobian(&p, points);
        let mut jtj = [[0.0; 3]; 3];
        let mut g = [0.0; 3];
        for (ri, row) in r.iter().zip(&j) {
            for a in 0..3 {
                g[a] += row[a] * ri;
                for b in 0..3 {
                    jtj[a][b] += row[a] * row[b];
                }
            }
        }
        // Hold a coefficient on its bound when the descent direction leaves the box.
        let free: Vec<usize> = (0..3)
            .filter(|&i| !((p[i] <= LOWER[i] && g[i] < 0.0) || (p[i] >= UPPER[i] && g[i] > 0.0)))
            .collect();
        if free.is_empty() {
            return Ok(Solution {
                params: p,
                ssr: current,
                iterations: iteration,
            });
        }
        loop {
            let a: Vec<Vec<f64>> = free
                .iter()
                .map(|&x| {
                    free.iter()
                        .map(|&y| {
                            let damp = if x == y {
                                mu * jtj[x][x].max(1e-300)
                            } else {
                                0.0
                            };
                            jtj[x][y] + damp
                        })
                        .collect()
                })
                .collect();
            let b: Vec<f64> = free.iter().map(|&i| g[i]).collect();
            let step = solve(a, b);
            if let Some(step) = step {
                let mut trial = p;
                for (&i, d) in free.iter().zip(&step) {
                    trial[i] += d;
                }
                let trial = clamp(trial);
                let s = ssr(&trial, points);
                if s.is_finite() && s < current {
                    let moved =
                        (0..3).all(|i| (trial[i] - p[i]).abs() <= 1e-13 * p[i].abs().max(1e-300));
                    let gain = current - s;
                    p = trial;
                    current = s;
                    mu = (mu / 10.0).max(1e-15);
                    if moved || gain <= 1e-15 * current {
                        return Ok(Solution {
                            params: p,
                            ssr: current,
                            iterations: iteration,
                        });
                    }
                    break;
                }
            }
            mu *= 10.0;
            if mu > 1e20 {
                // No step in any direction lowers the sum of squares: a minimum.
                return Ok(Solution {
                    params: p,
                    ssr: current,
                    iterations: iteration,
                });
            }
        }
    }
    Err(Error::NoConvergence {
        iterations: MAX_ITERATIONS,
    })
}

/// A start from the linearisation λ₀ N / X − 1 = σ (N − 1) + κ N (N − 1), solved by least
/// squares for σ and κ with λ₀ = max X / N.
fn linearised_start(points: &[Point], lambda: f64) -> Params {
    let (mut saa, mut sab, mut sbb, mut sza, mut szb) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for pt in points {
        let n = pt.concurrency;
        let z = lambda * n / pt.throughput - 1.0;
        let (a, b) = (n - 1.0, n * (n - 1.0));
        saa += a * a;
        sab += a * b;
        sbb += b * b;
        sza += z * a;
        szb += z * b;
    }
    let det = saa * sbb - sab * sab;
    let (sigma, kappa) = if det.abs() > 0.0 {
        ((sza * sbb - szb * sab) / det, (szb * saa - sza * sab) / det)
    } else {
        (0.01, 0.0001)
    };
    [lambda, sigma.clamp(0.0, 1.0), kappa.clamp(0.0, 1.0)]
}

/// Fits the USL to `points` (named `source` in errors). Needs at least three points at three
/// different concurrencies.
pub fn fit(points: &[Point], source: &str) -> Result<Fit, Error> {
    let mut levels: Vec<f64> = points.iter().map(|p| p.concurrency).collect();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    if points.len() < 3 || levels.len() < 3 {
        return Err(Error::TooFew {
            path: source.into(),
            found: format!(
                "{} point(s) at {} concurrency level(s)",
                points.len(),
                levels.len()
            ),
        });
    }
    let lambda0 = points
        .iter()
        .map(|p| p.throughput / p.concurrency)
        .fold(0.0, f64::max);
    let starts = [[lambda0, 0.01, 0.0001], linearised_start(points, lambda0)];
    let mut best: Option<Solution> = None;
    for start in starts {
        let s = levenberg_marquardt(start, points)?;
        if best.as_ref().is_none_or(|b| s.ssr < b.ssr) {
            best = Some(s);
        }
    }
    let best = best.ok_or(Error::NoConvergence { iterations: 0 })?;
    let [lambda, sigma, kappa] = best.params;
    let model = Model {
        sigma,
        kappa,
        lambda,
    };
    let n = points.len() as f64;
    let mean = points.iter().map(|p| p.throughput).sum::<f64>() / n;
    let sst: f64 = points.iter().map(|p| (p.throughput - mean).powi(2)).sum();
    let r_squared = if sst > 0.0 { 1.0 - best.ssr / sst } else { 1.0 };
    let dof = points.len() - 3;
    let variance = (dof > 0).then(|| best.ssr / dof as f64);
    let std_errors = variance.and_then(|v| std_errors(&best.params, points, v));
    Ok(Fit {
        model,
        peak: model.peak(),
        ceiling: model.ceiling(),
        r_squared,
        residual_standard_error: variance.map(f64::sqrt),
        std_errors,
        iterations: best.iterations,
        estimator: ESTIMATOR,
        points: points
            .iter()
            .map(|p| {
                let fitted = model.throughput(p.concurrency);
                Fitted {
                    concurrency: p.concurrency,
                    measured: p.throughput,
                    fitted,
                    residual: p.throughput - fitted,
                }
            })
            .collect(),
    })
}

/// sqrt(diag((JᵀJ)⁻¹) · variance), the usual asymptotic standard errors.
fn std_errors(p: &Params, points: &[Point], variance: f64) -> Option<StdErrors> {
    let (_, j) = jacobian(p, points);
    let jtj: Vec<Vec<f64>> = (0..3)
        .map(|a| {
            (0..3)
                .map(|b| j.iter().map(|r| r[a] * r[b]).sum())
                .collect()
        })
        .collect();
    let mut diag = [0.0; 3];
    for (i, d) in diag.iter_mut().enumerate() {
        let mut e = vec![0.0; 3];
        e[i] = 1.0;
        *d = solve(jtj.clone(), e)?[i];
    }
    let se = |d: f64| (d * variance).sqrt();
    Some(StdErrors {
        lambda: se(diag[0]),
        sigma: se(diag[1]),
        kappa: se(diag[2]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// specsdm91 from the R usl package (data/specsdm91.rda).
    fn specsdm91() -> Vec<Point> {
        [
            (1.0, 64.9),
            (18.0, 995.9),
            (36.0, 1652.4),
            (72.0, 1853.2),
            (108.0, 1828.9),
            (144.0, 1775.0),
            (216.0, 1702.2),
        ]
        .iter()
        .map(|&(concurrency, throughput)| Point {
            concurrency,
            throughput,
        })
        .collect()
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn reproduces_r_usl_on_specsdm91() {
        let f = fit(&specsdm91(), "specsdm91").unwrap();
        assert!(close(f.model.sigma, 0.02773, 1e-3), "{f:?}");
        assert!(close(f.model.kappa, 1.044e-4, 1e-3), "{f:?}");
        assert!(close(f.model.lambda, 89.995, 1e-3), "{f:?}");
        assert!(close(f.peak.unwrap().concurrency, 96.52, 1e-3), "{f:?}");
        assert!((f.r_squared - 0.98956).abs() < 1e-4, "{f:#?}");
    }

    #[test]
    fn recovers_exact_coefficients_from_noise_free_data() {
        let m = Model::new(0.05, 0.0002, 120.0).unwrap();
        let pts: Vec<Point> = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0]
            .iter()
            .map(|&n| Point {
                concurrency: n,
                throughput: m.throughput(n),
            })
            .collect();
        let f = fit(&pts, "synthetic").unwrap();
        assert!(close(f.model.sigma, 0.05, 1e-6), "{f:?}");
        assert!(close(f.model.kappa, 0.0002, 1e-6), "{f:?}");
        assert!(close(f.model.lambda, 120.0, 1e-6), "{f:?}");
    }

    #[test]
    fn linear_data_puts_both_coefficients_on_their_lower_bound() {
        let pts: Vec<Point> = [1.0, 2.0, 4.0, 8.0]
            .iter()
            .map(|&n| Point {
                concurrency: n,
                throughput: 10.0 * n,
            })
            .collect();
        let f = fit(&pts, "linear").unwrap();
        assert!(
            f.model.sigma.abs() < 1e-9 && f.model.kappa.abs() < 1e-9,
            "{f:?}"
        );
        assert!(close(f.model.lambda, 10.0, 1e-9));
        assert_eq!(f.peak, None);
    }

    #[test]
    fn needs_three_distinct_concurrency_levels() {
        let pts = vec![
            Point {
                concurrency: 1.0,
                throughput: 1.0,
            },
            Point {
                concurrency: 1.0,
                throughput: 1.1,
            },
            Point {
                concurrency: 2.0,
                throughput: 2.0,
            },
        ];
        let e = fit(&pts, "few.csv").unwrap_err();
        assert!(
            e.to_string()
                .contains("3 point(s) at 2 concurrency level(s)"),
            "{e}"
        );
        assert!(e.is_input());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn fitted_coefficients_stay_in_bounds_and_explain_noise_free_data(
            sigma in 0.0f64..0.3, kappa in 0.0f64..1e-3, lambda in 1.0f64..500.0,
        ) {
            let m = Model::new(sigma, kappa, lambda).unwrap();
            let pts: Vec<Point> = [1.0, 3.0, 9.0, 27.0, 81.0]
                .iter()
                .map(|&n| Point { concurrency: n, throughput: m.throughput(n) })
                .collect();
            let f = fit(&pts, "p").unwrap();
            prop_assert!((0.0..=1.0).contains(&f.model.sigma));
            prop_assert!((0.0..=1.0).contains(&f.model.kappa));
            prop_assert!(f.r_squared > 1.0 - 1e-6, "{:?}", f);
        }
    }
}
