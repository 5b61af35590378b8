//! Token buckets: what a (rate, burst) limit admits, how fast it refills, and how a global
//! limit splits across nodes that each enforce a share locally.
//!
//! Units: rates per second, times in seconds, tokens = requests.

use super::Invalid;
use super::invalid::finite;
use serde::Serialize;

const RATE: &str = "a rate above 0, e.g. 10/s, 5000/h";
const BURST: &str = "a bucket capacity of at least 1 token, e.g. 50";
const NODES: &str = "a whole number of nodes of at least 1, e.g. 10";

/// Requests admitted in one window starting from a full bucket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Window {
    /// Window length T (seconds).
    pub seconds: f64,
    /// burst + rate·T (requests).
    pub admitted: f64,
    /// admitted / T (requests per second).
    pub average_rate: f64,
}

/// How a global limit splits across nodes that each run their own bucket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Split {
    /// Nodes n.
    pub nodes: u32,
    /// rate / n per node (per second).
    pub rate_per_node: f64,
    /// burst / n per node before rounding.
    pub burst_per_node_exact: f64,
    /// ⌊burst / n⌋ per node: whole tokens, so the nodes together never exceed the global
    /// burst.
    pub burst_per_node: f64,
    /// Tokens the rounding gives up across all nodes: burst − n·⌊burst/n⌋.
    pub burst_lost_to_rounding: f64,
    /// What one client gets when all its traffic lands on one node: the node's share only.
    pub single_node_rate: f64,
    /// What the cluster admits if every node enforces the full global limit instead of a
    /// share: n × rate (the mistake the split avoids).
    pub unsplit_rate: f64,
}

/// What a token bucket admits.
///
/// A bucket of capacity b (burst) refilled at r tokens per second admits at most b requests at
/// once, then r per second; empty, it refills in b / r; over any window T it admits at most
/// b + r·T. Offered a steady rate R > r, a full bucket lasts b / (R − r) before throttling.
/// Source: the token-bucket definition (RFC 2697 and RFC 4115 use it for traffic policing);
/// seed 004's example: 10 tokens/s, capacity 50.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    /// Refill rate r (tokens per second).
    pub rate_per_second: f64,
    /// Capacity b (tokens).
    pub burst: f64,
    /// Largest burst admitted at once: b.
    pub max_burst: f64,
    /// Time to refill from empty: b / r (seconds).
    pub refill_seconds: f64,
    /// Long-run admitted rate: r.
    pub sustained_rate_per_second: f64,
    /// Time between tokens: 1 / r (seconds).
    pub token_interval_seconds: f64,
    /// Admissions over a few windows.
    pub windows: Vec<Window>,
    /// Offered rate R, when given (per second).
    pub offered_rate_per_second: Option<f64>,
    /// How long a full bucket absorbs the offered rate: b / (R − r); `None` when R ≤ r (never
    /// throttled) or no offered rate is given (seconds).
    pub absorbs_offered_for_seconds: Option<f64>,
    /// The per-node split, when nodes are given.
    pub split: Option<Split>,
}

/// Windows reported when none are asked for: a second, a minute, an hour.
pub const DEFAULT_WINDOWS: [f64; 3] = [1.0, 60.0, 3600.0];

/// Analyses a token bucket of `rate` tokens per second and capacity `burst`.
pub fn analyse(
    rate: f64,
    burst: f64,
    windows: &[f64],
    offered: Option<f64>,
    nodes: Option<u32>,
) -> Result<Bucket, Invalid> {
    finite("rate", rate, RATE)?;
    finite("burst", burst, BURST)?;
    if rate <= 0.0 {
        return Err(Invalid::new(
            "rate",
            rate,
            "the refill rate must be above 0",
            RATE,
        ));
    }
    if burst < 1.0 {
        return Err(Invalid::new(
            "burst",
            burst,
            "the bucket must hold at least one token",
            BURST,
        ));
    }
    if let Some(w) = windows.iter().find(|w| !(w.is_finite() && **w > 0.0)) {
        return Err(Invalid::new(
            "window",
            format!("{w}s"),
            "a window must be longer than zero",
            "a duration such as 1s, 1m or 1h",
        ));
    }
    if let Some(r) = offered
        && !(r.is_finite() && r >= 0.0)
    {
        return Err(Invalid::new(
            "offered",
            r,
            "the offered rate cannot be negative",
            RATE,
        ));
    }
    if nodes == Some(0) {
        return Err(Invalid::new(
            "nodes",
            0,
            "at least one node enforces the limit",
            NODES,
        ));
    }
    let split = nodes.map(|n| {
        let nf = f64::from(n);
        let floor = (burst / nf).floor();
        Split {
            nodes: n,
            rate_per_node: rate / nf,
            burst_per_node_exact: burst / nf,
            burst_per_node: floor,
            burst_lost_to_rounding: burst - nf * floor,
            single_node_rate: rate / nf,
            unsplit_rate: rate * nf,
        }
    });
    Ok(Bucket {
        rate_per_second: rate,
        burst,
        max_burst: burst,
        refill_seconds: burst / rate,
        sustained_rate_per_second: rate,
        token_interval_seconds: 1.0 / rate,
        windows: windows
            .iter()
            .map(|&t| Window {
                seconds: t,
                admitted: burst + rate * t,
                average_rate: (burst + rate * t) / t,
            })
            .collect(),
        offered_rate_per_second: offered,
        absorbs_offered_for_seconds: offered.filter(|&r| r > rate).map(|r| burst / (r - rate)),
        split,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_per_second_with_fifty_tokens_bursts_fifty_and_refills_in_five_seconds() {
        let b = analyse(10.0, 50.0, &DEFAULT_WINDOWS, None, None).unwrap();
        assert_eq!(b.max_burst, 50.0);
        assert_eq!(b.refill_seconds, 5.0);
        assert_eq!(b.sustained_rate_per_second, 10.0);
        assert_eq!(b.windows[0].admitted, 60.0);
        assert_eq!(b.windows[1].admitted, 650.0);
    }

    #[test]
    fn an_offered_rate_above_the_refill_drains_a_full_bucket() {
        let b = analyse(10.0, 50.0, &[], Some(35.0), None).unwrap();
        assert_eq!(b.absorbs_offered_for_seconds, Some(2.0));
        let b = analyse(10.0, 50.0, &[], Some(5.0), None).unwrap();
        assert_eq!(b.absorbs_offered_for_seconds, None);
    }

    #[test]
    fn splits_a_global_limit_and_rounds_the_burst_down() {
        let s = analyse(10.0, 50.0, &[], None, Some(10))
            .unwrap()
            .split
            .unwrap();
        assert_eq!(s.rate_per_node, 1.0);
        assert_eq!(s.burst_per_node, 5.0);
        assert_eq!(s.burst_lost_to_rounding, 0.0);
        assert_eq!(s.unsplit_rate, 100.0);
        let s = analyse(10.0, 50.0, &[], None, Some(7))
            .unwrap()
            .split
            .unwrap();
        assert_eq!(s.burst_per_node, 7.0);
        assert_eq!(s.burst_lost_to_rounding, 1.0);
    }

    #[test]
    fn refuses_a_zero_rate_an_empty_bucket_and_zero_nodes() {
        assert_eq!(
            analyse(0.0, 50.0, &[], None, None).unwrap_err().input,
            "rate"
        );
        assert_eq!(
            analyse(1.0, 0.5, &[], None, None).unwrap_err().input,
            "burst"
        );
        assert_eq!(
            analyse(1.0, 5.0, &[], None, Some(0)).unwrap_err().input,
            "nodes"
        );
    }
}
