//! The Universal Scalability Law: prediction from known coefficients ([`Model`]), fitting to
//! measurements ([`fit()`]), reading measurements from CSV ([`parse_csv`]) and drawing the
//! result ([`plot_svg`]).
//!
//! Conventions (REFERENCES.md): σ (contention) is R usl's α, κ (coherency) is its β and λ
//! (throughput at N = 1) is its γ. N* = sqrt((1 − σ) / κ) is reported unrounded, as R usl
//! does; some tools floor it.

pub(crate) mod csv;
mod fit;
mod plot;

pub use csv::parse_csv;
pub use fit::{ESTIMATOR, Fit, fit};
pub use plot::plot_svg;

use super::Invalid;
use super::invalid::finite;
use serde::Serialize;

/// One measurement: throughput at a concurrency (load, nodes, threads).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    /// Concurrency N.
    pub concurrency: f64,
    /// Throughput X(N), in the unit of the data (e.g. requests per second).
    pub throughput: f64,
}

/// A USL model with its three coefficients.
///
/// X(N) = λ N / (1 + σ (N − 1) + κ N (N − 1)).
/// Source: N. J. Gunther, "Guerrilla Capacity Planning", Springer 2007, ch. 4; the same
/// parametrisation as the R package usl 3.x (α = σ, β = κ, γ = λ).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Model {
    /// Contention σ (serialisation), a fraction in [0, 1].
    pub sigma: f64,
    /// Coherency κ (crosstalk), at least 0.
    pub kappa: f64,
    /// Throughput of one unit of concurrency λ, above 0.
    pub lambda: f64,
}

/// Where the throughput of a model peaks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Peak {
    /// N* = sqrt((1 − σ) / κ), unrounded.
    pub concurrency: f64,
    /// X(N*).
    pub throughput: f64,
}

impl Model {
    /// Checks the coefficients' domains: σ in [0, 1], κ ≥ 0, λ > 0.
    pub fn new(sigma: f64, kappa: f64, lambda: f64) -> Result<Self, Invalid> {
        const SIGMA: &str = "a contention coefficient from 0 to 1, e.g. 0.02773";
        const KAPPA: &str = "a coherency coefficient from 0 to 1, e.g. 0.0001044";
        const LAMBDA: &str = "the throughput at N = 1, above 0 and at most 1e18, e.g. 89.995";
        finite("sigma", sigma, SIGMA)?;
        finite("kappa", kappa, KAPPA)?;
        finite("lambda", lambda, LAMBDA)?;
        if !(0.0..=1.0).contains(&sigma) {
            return Err(Invalid::new("sigma", sigma, "σ must be from 0 to 1", SIGMA));
        }
        if kappa < 0.0 {
            return Err(Invalid::new("kappa", kappa, "κ cannot be negative", KAPPA));
        }
        // Past 1 the peak is below one unit of concurrency; bounding κ and λ also keeps
        // λN and κN² finite for every N the units accept (up to 1e18).
        if kappa > 1.0 {
            return Err(Invalid::new("kappa", kappa, "κ must be at most 1", KAPPA));
        }
        if lambda <= 0.0 {
            return Err(Invalid::new("lambda", lambda, "λ must be above 0", LAMBDA));
        }
        if lambda > crate::units::MAX {
            return Err(Invalid::new(
                "lambda",
                lambda,
                "λ must be at most 1e18",
                LAMBDA,
            ));
        }
        Ok(Self {
            sigma,
            kappa,
            lambda,
        })
    }

    /// X(N) = λ N / (1 + σ (N − 1) + κ N (N − 1)).
    pub fn throughput(&self, n: f64) -> f64 {
        self.lambda * n / (1.0 + self.sigma * (n - 1.0) + self.kappa * n * (n - 1.0))
    }

    /// The peak N* = sqrt((1 − σ) / κ) and X(N*); `None` when κ = 0 (throughput only rises,
    /// towards λ / σ).
    pub fn peak(&self) -> Option<Peak> {
        (self.kappa > 0.0).then(|| {
            let n = ((1.0 - self.sigma) / self.kappa).sqrt();
            Peak {
                concurrency: n,
                throughput: self.throughput(n),
            }
        })
    }

    /// The ceiling λ / σ that throughput approaches when κ = 0 and σ > 0.
    pub fn ceiling(&self) -> Option<f64> {
        (self.kappa == 0.0 && self.sigma > 0.0).then(|| self.lambda / self.sigma)
    }
}

/// One row of a prediction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prediction {
    /// Concurrency N.
    pub concurrency: f64,
    /// Predicted throughput X(N).
    pub throughput: f64,
    /// Speedup over one unit, X(N) / λ.
    pub speedup: f64,
    /// Efficiency X(N) / (λ N), a fraction.
    pub efficiency: f64,
}

/// A model's predictions at several concurrencies, with its peak.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// The model.
    pub model: Model,
    /// Its peak, when κ > 0.
    pub peak: Option<Peak>,
    /// λ / σ when κ = 0 and σ > 0.
    pub ceiling: Option<f64>,
    /// One row per concurrency, in the order given.
    pub rows: Vec<Prediction>,
}

/// Predicts throughput at each concurrency (each must be above 0).
pub fn predict(model: Model, concurrency: &[f64]) -> Result<Forecast, Invalid> {
    const NODES: &str = "concurrency levels above 0, e.g. 8,64,1024";
    if concurrency.is_empty() {
        return Err(Invalid::new("nodes", "", "no concurrency given", NODES));
    }
    if concurrency.len() > crate::capacity::scale::MAX_ROWS {
        return Err(Invalid::new(
            "nodes",
            format!("({} values)", concurrency.len()),
            format!(
                "at most {} concurrency levels are accepted",
                crate::capacity::scale::MAX_ROWS
            ),
            NODES,
        ));
    }
    if let Some(&n) = concurrency.iter().find(|n| !(n.is_finite() && **n > 0.0)) {
        return Err(Invalid::new(
            "nodes",
            n,
            "concurrency must be above 0",
            NODES,
        ));
    }
    let rows = concurrency
        .iter()
        .map(|&n| {
            let x = model.throughput(n);
            Prediction {
                concurrency: n,
                throughput: x,
                speedup: x / model.lambda,
                efficiency: x / (model.lambda * n),
            }
        })
        .collect();
    Ok(Forecast {
        model,
        peak: model.peak(),
        ceiling: model.ceiling(),
        rows,
    })
}

/// Most data points a CSV file may hold: every solver iteration visits each point.
pub const MAX_POINTS: usize = 10_000;

/// Why a fit could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The file holds no data rows.
    #[error("{path}: no data points; accepted: CSV rows `concurrency,throughput`, header optional")]
    Empty {
        /// The file.
        path: String,
    },
    /// A cell is not a number.
    #[error(
        "{path}:{line}:{column}: `{cell}` is not a number; accepted: numbers such as 16 or 1652.4"
    )]
    NotNumeric {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (character).
        column: usize,
        /// The cell's text.
        cell: String,
    },
    /// A row does not have two cells.
    #[error(
        "{path}:{line}: expected 2 columns (concurrency,throughput), found {found}; accepted: one `concurrency,throughput` pair per line"
    )]
    Columns {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// How many cells the row has.
        found: usize,
    },
    /// A value is zero or negative.
    #[error(
        "{path}:{line}:{column}: {what} {} is not above 0; accepted: positive numbers",
        crate::yaml::float_text(*value)
    )]
    NonPositive {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// `concurrency` or `throughput`.
        what: &'static str,
        /// The value.
        value: f64,
    },
    /// A value is beyond what the fit can square and sum without overflowing.
    #[error(
        "{path}:{line}:{column}: {what} {} is above 1e18; accepted: positive numbers up to 1e18",
        crate::yaml::float_text(*value)
    )]
    TooLarge {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// `concurrency` or `throughput`.
        what: &'static str,
        /// The value.
        value: f64,
    },
    /// More rows than the fit accepts.
    #[error(
        "{path}:{line}: more than {max} data points; accepted: at most {max} points (average repeated runs first)"
    )]
    TooMany {
        /// The file.
        path: String,
        /// 1-based line of the first point past the limit.
        line: usize,
        /// The limit, [`MAX_POINTS`].
        max: usize,
    },
    /// Too few points, or too few distinct concurrencies, to fit three coefficients.
    #[error(
        "{path}: {found}; accepted: at least 3 points at 3 different concurrency levels (6 or more give a steadier fit)"
    )]
    TooFew {
        /// The file.
        path: String,
        /// What was found.
        found: String,
    },
    /// The solver did not converge.
    #[error("the fit did not converge after {iterations} iterations")]
    NoConvergence {
        /// Iterations run.
        iterations: usize,
    },
    /// The chart could not be drawn.
    #[error("cannot draw the chart: {0}")]
    Plot(String),
}

impl Error {
    /// True when the error is about the input (exit 2), false for solver or drawing failures.
    pub fn is_input(&self) -> bool {
        !matches!(self, Error::NoConvergence { .. } | Error::Plot(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn peak_is_the_square_root_of_one_minus_sigma_over_kappa() {
        let m = Model::new(0.02773, 1.044e-4, 89.995).unwrap();
        let p = m.peak().unwrap();
        assert!((p.concurrency - ((1.0 - 0.02773) / 1.044e-4f64).sqrt()).abs() < 1e-12);
        assert!((p.concurrency - 96.52).abs() / 96.52 < 1e-3);
    }

    #[test]
    fn without_coherency_there_is_no_peak_but_a_ceiling() {
        let m = Model::new(0.05, 0.0, 100.0).unwrap();
        assert_eq!(m.peak(), None);
        assert_eq!(m.ceiling(), Some(2000.0));
    }

    #[test]
    fn refuses_coefficients_outside_their_domain() {
        assert_eq!(Model::new(1.5, 0.0, 1.0).unwrap_err().input, "sigma");
        assert_eq!(Model::new(0.1, -1.0, 1.0).unwrap_err().input, "kappa");
        assert_eq!(Model::new(0.1, 0.0, 0.0).unwrap_err().input, "lambda");
        assert_eq!(
            predict(Model::new(0.1, 0.0, 1.0).unwrap(), &[0.0])
                .unwrap_err()
                .input,
            "nodes"
        );
    }

    #[test]
    fn huge_coefficients_are_refused_so_predictions_stay_finite() {
        // Found by the bad-input suite: κ = λ = 1e308 at N = 1e18 predicted NaN.
        assert_eq!(Model::new(0.1, 1e308, 1.0).unwrap_err().input, "kappa");
        assert_eq!(Model::new(0.1, 0.5, 1e308).unwrap_err().input, "lambda");
        let m = Model::new(1.0, 1.0, 1e18).unwrap();
        let f = predict(m, &[1e18, 1.0]).unwrap();
        assert!(
            f.rows
                .iter()
                .all(|r| r.throughput.is_finite() && r.efficiency.is_finite())
        );
        let many = vec![2.0; 1001];
        assert!(
            predict(m, &many)
                .unwrap_err()
                .to_string()
                .contains("at most 1000")
        );
    }

    #[test]
    fn predict_gives_speedup_and_efficiency() {
        let m = Model::new(0.0, 0.0, 10.0).unwrap();
        let f = predict(m, &[4.0]).unwrap();
        assert_eq!(f.rows[0].throughput, 40.0);
        assert_eq!(f.rows[0].speedup, 4.0);
        assert_eq!(f.rows[0].efficiency, 1.0);
    }

    proptest! {
        #[test]
        fn predicted_throughput_peaks_at_n_star(
            sigma in 0.0f64..0.5, kappa in 1e-6f64..1e-2, lambda in 1.0f64..1000.0,
            factor in 0.05f64..20.0,
        ) {
            let m = Model::new(sigma, kappa, lambda).unwrap();
            let p = m.peak().unwrap();
            let other = p.concurrency * factor;
            prop_assert!(m.throughput(other) <= p.throughput * (1.0 + 1e-12));
        }
    }
}
