//! Quorum systems over N replicas with write quorum W and read quorum R: whether reads see the
//! latest write, whether concurrent writes can conflict, how many replica failures each
//! operation survives and how likely a quorum is reachable when replicas fail independently.
//!
//! Invariants: 1 ≤ W ≤ N, 1 ≤ R ≤ N, per-node availability in [0, 1].

use super::Invalid;
use serde::Serialize;
use statrs::distribution::{Binomial, DiscreteCDF};

const N: &str = "a replica count of at least 1, e.g. 3 or 5";
/// Most replicas a quorum may have: far past any replicated store, and small enough that
/// `r + w` and `2w` never overflow.
pub const MAX_REPLICAS: u32 = 1_000;

const AVAILABILITY: &str = "a per-node availability from 0 to 1, e.g. 0.99 or 99%";

/// The majority quorum ⌊N/2⌋ + 1 (Cassandra's QUORUM for replication factor N: RF 3 → 2,
/// RF 6 → 4).
pub fn majority(n: u32) -> u32 {
    n / 2 + 1
}

/// Probability that at least `k` of `n` independent nodes, each up with probability `p`, are
/// up: P(X ≥ k) for X ~ Binomial(n, p).
pub fn at_least(k: u32, n: u32, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    // Computed as 1 − P(down ≥ n − k + 1) from the other tail would lose the small
    // unavailability; the survival function keeps both ends accurate.
    let b = Binomial::new(p, u64::from(n)).expect("p was checked to be in [0, 1]");
    b.sf(u64::from(k - 1))
}

/// Probability that fewer than `k` of `n` nodes are up, computed directly from the failure
/// side so 1e-12 is not lost in 1 − A.
pub fn below(k: u32, n: u32, p: f64) -> f64 {
    if k == 0 {
        return 0.0;
    }
    if k > n {
        return 1.0;
    }
    // Fewer than k up ⇔ at least n − k + 1 down, each down with probability 1 − p.
    at_least(n - k + 1, n, 1.0 - p)
}

/// How likely a quorum of a given size is reachable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reachability {
    /// P(at least the quorum of nodes is up).
    pub available: f64,
    /// P(fewer than the quorum are up), computed directly.
    pub unavailable: f64,
}

/// The properties of an (N, W, R) configuration.
///
/// Reads see the latest acknowledged write iff R + W > N (every read quorum meets every write
/// quorum); two writes cannot both succeed on disjoint sets iff W > N/2. Reads survive N − R
/// failed replicas and writes N − W. With each node up independently with probability p,
/// a quorum of size q is reachable with probability P(X ≥ q), X ~ Binomial(N, p).
/// Sources: Gifford, "Weighted voting for replicated data", SOSP 1979; DeCandia et al.,
/// "Dynamo", SOSP 2007 (N, R, W) = (3, 2, 2); Cassandra's QUORUM = ⌊RF/2⌋ + 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quorum {
    /// Replicas N.
    pub n: u32,
    /// Write quorum W.
    pub w: u32,
    /// Read quorum R.
    pub r: u32,
    /// R + W > N: every read overlaps the latest write.
    pub overlap: bool,
    /// W > N/2: two writes always share a replica, so conflicting writes are detected.
    pub write_conflicts_prevented: bool,
    /// Majority quorum ⌊N/2⌋ + 1.
    pub majority: u32,
    /// Replica failures a read survives: N − R.
    pub read_failures_tolerated: u32,
    /// Replica failures a write survives: N − W.
    pub write_failures_tolerated: u32,
    /// Per-node availability p, when given.
    pub node_availability: Option<f64>,
    /// Read quorum reachability, when p is given.
    pub read: Option<Reachability>,
    /// Write quorum reachability, when p is given.
    pub write: Option<Reachability>,
    /// Majority quorum reachability, when p is given.
    pub majority_reachability: Option<Reachability>,
}

fn reach(q: u32, n: u32, p: f64) -> Reachability {
    Reachability {
        available: at_least(q, n, p),
        unavailable: below(q, n, p),
    }
}

/// Analyses the configuration (N, W, R), optionally with per-node availability `p`.
pub fn analyse(n: u32, w: u32, r: u32, p: Option<f64>) -> Result<Quorum, Invalid> {
    if n == 0 {
        return Err(Invalid::new(
            "n",
            n,
            "there must be at least one replica",
            N,
        ));
    }
    if n > MAX_REPLICAS {
        return Err(Invalid::new(
            "n",
            n,
            format!("at most {MAX_REPLICAS} replicas are accepted"),
            format!("a replica count from 1 to {MAX_REPLICAS}, e.g. 3 or 5"),
        ));
    }
    let within = format!("from 1 to N = {n}");
    if w == 0 || w > n {
        return Err(Invalid::new(
            "w",
            w,
            format!("the write quorum must be {within}"),
            format!("a write quorum {within}, e.g. {}", majority(n)),
        ));
    }
    if r == 0 || r > n {
        return Err(Invalid::new(
            "r",
            r,
            format!("the read quorum must be {within}"),
            format!("a read quorum {within}, e.g. {}", majority(n)),
        ));
    }
    if let Some(p) = p
        && !(0.0..=1.0).contains(&p)
    {
        return Err(Invalid::new(
            "node-availability",
            p,
            "availability must be from 0 to 1",
            AVAILABILITY,
        ));
    }
    let m = majority(n);
    Ok(Quorum {
        n,
        w,
        r,
        overlap: r + w > n,
        write_conflicts_prevented: 2 * w > n,
        majority: m,
        read_failures_tolerated: n - r,
        write_failures_tolerated: n - w,
        node_availability: p,
        read: p.map(|p| reach(r, n, p)),
        write: p.map(|p| reach(w, n, p)),
        majority_reachability: p.map(|p| reach(m, n, p)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dynamo_three_two_two_overlaps_and_survives_one_failure() {
        let q = analyse(3, 2, 2, None).unwrap();
        assert!(q.overlap && q.write_conflicts_prevented);
        assert_eq!(q.read_failures_tolerated, 1);
        assert_eq!(q.write_failures_tolerated, 1);
    }

    #[test]
    fn cassandra_quorum_is_a_majority_of_the_replication_factor() {
        assert_eq!(majority(3), 2);
        assert_eq!(majority(6), 4);
    }

    #[test]
    fn majority_of_three_at_five_percent_failure_is_unavailable_0_00725() {
        let q = analyse(3, 2, 2, Some(0.95)).unwrap();
        let u = q.majority_reachability.unwrap().unavailable;
        assert!((u - 0.00725).abs() <= 1e-12 * 0.00725, "{u}");
        assert!((q.read.unwrap().available - 0.99275).abs() < 1e-12);
    }

    #[test]
    fn keeps_tiny_unavailability_exact() {
        // All five of five must be down for R = 1: 1e-3^5.
        let q = analyse(5, 5, 1, Some(0.999)).unwrap();
        let u = q.read.unwrap().unavailable;
        assert!((u - 1e-15).abs() <= 1e-9 * 1e-15, "{u}");
    }

    #[test]
    fn refuses_more_replicas_than_the_cap_instead_of_overflowing() {
        // Found by the bad-input suite: N = W = R = u32::MAX overflowed `r + w`.
        let e = analyse(u32::MAX, u32::MAX, u32::MAX, Some(0.9)).unwrap_err();
        assert_eq!(e.input, "n");
        assert!(e.to_string().contains("at most 1000 replicas"), "{e}");
        assert!(analyse(MAX_REPLICAS, MAX_REPLICAS, MAX_REPLICAS, Some(0.9)).is_ok());
    }

    #[test]
    fn weak_configurations_are_flagged() {
        let q = analyse(5, 1, 1, None).unwrap();
        assert!(!q.overlap && !q.write_conflicts_prevented);
    }

    #[test]
    fn refuses_quorums_larger_than_n_and_bad_availability() {
        let e = analyse(3, 4, 2, None).unwrap_err();
        assert_eq!(e.input, "w");
        assert!(e.to_string().contains("from 1 to N = 3"), "{e}");
        assert_eq!(analyse(3, 2, 0, None).unwrap_err().input, "r");
        assert_eq!(analyse(0, 1, 1, None).unwrap_err().input, "n");
        assert_eq!(
            analyse(3, 2, 2, Some(1.5)).unwrap_err().input,
            "node-availability"
        );
    }

    proptest! {
        #[test]
        fn quorum_availability_grows_with_node_availability(
            n in 1u32..30, k in 1u32..30, p in 0.0f64..1.0, dp in 0.0f64..0.5,
        ) {
            let k = k.min(n);
            let q = (p + dp).min(1.0);
            prop_assert!(at_least(k, n, q) >= at_least(k, n, p) - 1e-12);
            prop_assert!((at_least(k, n, p) + below(k, n, p) - 1.0).abs() < 1e-9);
        }

        #[test]
        fn smaller_quorums_are_easier_to_reach(n in 2u32..30, k in 2u32..30, p in 0.0f64..1.0) {
            let k = k.min(n);
            prop_assert!(at_least(k - 1, n, p) >= at_least(k, n, p) - 1e-12);
        }
    }
}
