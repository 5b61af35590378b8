//! Fixed-size and scaled-size speedup: Amdahl's and Gustafson's laws, and their efficiency
//! tables. The Universal Scalability Law, which adds coherency costs, is in
//! [`super::usl`].
//!
//! Invariants: the serial fraction is in [0, 1]; node counts are at least 1; speedup is never
//! above N and efficiency is speedup / N.

use super::Invalid;
use super::invalid::finite;
use serde::Serialize;

const SERIAL: &str = "a fraction from 0 to 1, e.g. 0.05 (5 % of the work is serial)";
const NODES: &str = "node counts of at least 1, e.g. 8,64,1024";

/// Most node counts one table may list (one row each).
pub const MAX_ROWS: usize = 1_000;

/// Amdahl's law: the speedup of a fixed-size job on `n` nodes when a fraction `serial` of it
/// cannot run in parallel.
///
/// S(N) = 1 / (s + (1 − s) / N), bounded by the limit 1 / s as N → ∞.
/// Source: G. Amdahl, "Validity of the single processor approach to achieving large scale
/// computing capabilities", AFIPS 1967. With s = 0.05: S(8) = 5.926, limit 20.
pub fn amdahl(serial: f64, n: f64) -> f64 {
    1.0 / (serial + (1.0 - serial) / n)
}

/// The speedup Amdahl's law never exceeds: 1 / s (infinite when nothing is serial).
pub fn amdahl_limit(serial: f64) -> f64 {
    1.0 / serial
}

/// Gustafson's law: the scaled speedup when the parallel part of the job grows with the
/// number of nodes and the serial part stays fixed.
///
/// S(N) = N − s (N − 1), where s is the serial fraction measured on the N-node run.
/// Source: J. Gustafson, "Reevaluating Amdahl's law", CACM 31(5), 1988.
pub fn gustafson(serial: f64, n: f64) -> f64 {
    n - serial * (n - 1.0)
}

/// Which law a table follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Law {
    /// Fixed problem size ([`amdahl`]).
    Amdahl,
    /// Problem size grows with the nodes ([`gustafson`]).
    Gustafson,
}

impl Law {
    /// The speedup on `n` nodes.
    pub fn speedup(self, serial: f64, n: f64) -> f64 {
        match self {
            Law::Amdahl => amdahl(serial, n),
            Law::Gustafson => gustafson(serial, n),
        }
    }

    /// The formula, as printed next to the table.
    pub fn formula(self) -> &'static str {
        match self {
            Law::Amdahl => "S(N) = 1 / (s + (1 - s) / N)",
            Law::Gustafson => "S(N) = N - s (N - 1)",
        }
    }
}

/// One row of an efficiency table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Number of nodes N.
    pub nodes: u64,
    /// Speedup S(N) over one node.
    pub speedup: f64,
    /// Efficiency S(N) / N, a fraction.
    pub efficiency: f64,
}

/// The speedup and efficiency of a law at several node counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// The law used.
    pub law: Law,
    /// Its formula.
    pub formula: &'static str,
    /// Serial fraction s.
    pub serial: f64,
    /// Amdahl's limit 1 / s; `None` for Gustafson (unbounded) or when s = 0.
    pub limit: Option<f64>,
    /// One row per node count, in the order given.
    pub rows: Vec<Row>,
}

/// Checks a serial fraction.
pub fn check_serial(serial: f64) -> Result<f64, Invalid> {
    finite("serial", serial, SERIAL)?;
    if !(0.0..=1.0).contains(&serial) {
        return Err(Invalid::new(
            "serial",
            serial,
            "the serial fraction must be from 0 to 1",
            SERIAL,
        ));
    }
    Ok(serial)
}

/// Checks node counts: at least one, each at least 1.
pub fn check_nodes(nodes: &[u64]) -> Result<(), Invalid> {
    if nodes.is_empty() {
        return Err(Invalid::new("nodes", "", "no node count given", NODES));
    }
    if nodes.len() > MAX_ROWS {
        return Err(Invalid::new(
            "nodes",
            format!("({} values)", nodes.len()),
            format!("at most {MAX_ROWS} node counts are accepted"),
            NODES,
        ));
    }
    if let Some(&n) = nodes.iter().find(|&&n| n == 0) {
        return Err(Invalid::new(
            "nodes",
            n,
            "a node count must be at least 1",
            NODES,
        ));
    }
    Ok(())
}

/// The efficiency table of `law` for serial fraction `serial` at each node count.
pub fn table(law: Law, serial: f64, nodes: &[u64]) -> Result<Table, Invalid> {
    check_serial(serial)?;
    check_nodes(nodes)?;
    let rows = nodes
        .iter()
        .map(|&n| {
            let speedup = law.speedup(serial, n as f64);
            Row {
                nodes: n,
                speedup,
                efficiency: speedup / n as f64,
            }
        })
        .collect();
    let limit = match law {
        Law::Amdahl if serial > 0.0 => Some(amdahl_limit(serial)),
        _ => None,
    };
    Ok(Table {
        law,
        formula: law.formula(),
        serial,
        limit,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn amdahl_matches_the_published_example() {
        assert!(close(amdahl(0.05, 8.0), 5.925_925_925_925_926, 1e-12));
        assert!(close(amdahl_limit(0.05), 20.0, 1e-12));
        assert!(close(amdahl(0.05, 1e12), 20.0, 1e-9));
    }

    #[test]
    fn gustafson_grows_linearly() {
        assert!(close(gustafson(0.05, 8.0), 7.65, 1e-12));
        assert_eq!(gustafson(0.0, 64.0), 64.0);
        assert_eq!(gustafson(1.0, 64.0), 1.0);
    }

    #[test]
    fn table_has_one_row_per_node_count_and_the_limit() {
        let t = table(Law::Amdahl, 0.05, &[8, 64, 1024]).unwrap();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.limit, Some(20.0));
        assert!(close(
            t.rows[0].efficiency,
            5.925_925_925_925_926 / 8.0,
            1e-12
        ));
        assert_eq!(table(Law::Gustafson, 0.05, &[8]).unwrap().limit, None);
    }

    #[test]
    fn refuses_serial_fractions_outside_zero_to_one_and_zero_nodes() {
        let e = table(Law::Amdahl, 1.5, &[8]).unwrap_err();
        assert_eq!(e.input, "serial");
        let e = table(Law::Amdahl, 0.1, &[8, 0]).unwrap_err();
        assert_eq!(e.input, "nodes");
        assert!(table(Law::Amdahl, f64::NAN, &[8]).is_err());
        assert!(table(Law::Amdahl, 0.1, &[]).is_err());
    }

    proptest! {
        #[test]
        fn amdahl_is_at_most_n_and_the_limit_and_grows_with_n(
            s in 0.0001f64..1.0, n in 1u64..100_000
        ) {
            let a = amdahl(s, n as f64);
            prop_assert!(a <= n as f64 * (1.0 + 1e-12));
            prop_assert!(a <= amdahl_limit(s) * (1.0 + 1e-12));
            prop_assert!(amdahl(s, (n + 1) as f64) >= a);
        }

        #[test]
        fn gustafson_is_between_one_and_n(s in 0.0f64..=1.0, n in 1u64..100_000) {
            let g = gustafson(s, n as f64);
            prop_assert!(g >= 1.0 - 1e-9 && g <= n as f64 + 1e-9);
        }
    }
}
