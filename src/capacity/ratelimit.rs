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

/// What [`quotas`] sizes limits from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuotaInputs {
    /// The planned peak over all clients (per second).
    pub peak: f64,
    /// The rate one node admits (per second).
    pub admitted_per_node: f64,
    /// Nodes that share the guard: those left after the worst single failure.
    pub nodes: u32,
    /// How long a node's burst may take to clear at its admitted rate (seconds).
    pub node_burst_seconds: f64,
    /// Independent clients sending the peak (API keys, tenants...).
    pub clients: f64,
    /// The busiest client's share of the peak, a fraction; below 1/clients it counts as the
    /// even split.
    pub busiest_share: f64,
    /// A quota's factor over the busiest client's rate (1.2 = 20 % headroom).
    pub headroom: f64,
    /// A client's burst, in seconds of its quota.
    pub client_burst_seconds: f64,
}

/// One client's quota.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClientQuota {
    /// Sustained rate (per second), three significant digits.
    pub rate: f64,
    /// Burst (requests).
    pub burst: f64,
    /// The busiest client's share used: max(given share, 1 / clients), at most 1.
    pub busiest_share: f64,
    /// busiest_share x peak (per second).
    pub busiest_rate: f64,
    /// Whether the headroom would have passed the guard.
    pub capped_by_guard: bool,
}

/// A design's rate limits: the guard every node enforces its share of, and per-client quotas
/// when clients are many.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quotas {
    /// nodes x admitted per node (per second): what the fleet serves, not what a client may
    /// send.
    pub guard: f64,
    /// nodes x node burst.
    pub guard_burst: f64,
    /// max(1, floor(admitted x node burst seconds)): what one node clears within that time.
    pub node_burst: f64,
    /// With two clients or more.
    pub per_client: Option<ClientQuota>,
}

/// Sizes the guard and the per-client quotas.
///
/// * guard G = n x a, with a the rate one node admits and n the nodes left after the worst
///   single failure: a ceiling at what the fleet serves, which only an overload reaches;
/// * node burst b = max(1, ⌊a x t⌋), the requests a node clears within t at its admitted rate;
/// * with c ≥ 2 clients, quota q = min(h x s x λ, G), where s = max(busiest share, 1/c) of
///   the peak λ and h the headroom; burst max(1, ⌈q x t_c⌉), never above the guard's burst.
///
/// Invariants: q ≤ G; c x q ≥ min(λ, G), so the quotas together never refuse the planned
/// peak that the guard admits (with s ≥ 1/c, c x s x λ ≥ λ). Quotas are oversubscribed by
/// design: their sum passes G, and the guard sheds what no quota stopped (the per-client and
/// global limits of Stripe's "Scaling your API with rate limiters" and of API gateways' usage
/// plans).
pub fn quotas(i: QuotaInputs) -> Quotas {
    let nodes = f64::from(i.nodes.max(1));
    let node_burst = (i.admitted_per_node * i.node_burst_seconds)
        .floor()
        .max(1.0);
    let guard = nodes * i.admitted_per_node;
    let guard_burst = nodes * node_burst;
    let per_client = (i.clients >= 2.0).then(|| {
        let share = i.busiest_share.max(1.0 / i.clients).min(1.0);
        let busiest = share * i.peak;
        let wanted = i.headroom * busiest;
        let capped = wanted > guard;
        let rate = if capped {
            guard
        } else {
            crate::units::round_significant(wanted, 3)
                .max(busiest)
                .min(guard)
        };
        let burst = (rate * i.client_burst_seconds)
            .ceil()
            .max(1.0)
            .min(guard_burst.max(1.0));
        ClientQuota {
            rate,
            burst,
            busiest_share: share,
            busiest_rate: busiest,
            capped_by_guard: capped,
        }
    });
    Quotas {
        guard,
        guard_burst,
        node_burst,
        per_client,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn inputs(clients: f64, share: f64) -> QuotaInputs {
        QuotaInputs {
            peak: 5000.0,
            admitted_per_node: 800.0,
            nodes: 9,
            node_burst_seconds: 0.2,
            clients,
            busiest_share: share,
            headroom: 1.2,
            client_burst_seconds: 5.0,
        }
    }

    #[test]
    fn one_client_gets_only_the_guard() {
        let q = quotas(inputs(1.0, 0.1));
        assert_eq!(q.guard, 7200.0);
        assert_eq!(q.node_burst, 160.0);
        assert_eq!(q.guard_burst, 1440.0);
        assert!(q.per_client.is_none());
    }

    #[test]
    fn many_clients_get_the_busiest_share_plus_headroom() {
        // 10 % of 5k/s is 500/s; with 20 % headroom 600/s, and 5 s of it (3000) held to the
        // guard's burst of 1440.
        let c = quotas(inputs(3e6, 0.1)).per_client.unwrap();
        assert_eq!((c.rate, c.burst, c.capped_by_guard), (600.0, 1440.0, false));
        // Four clients: a 10 % share is below the even split, which counts instead.
        let c = quotas(inputs(4.0, 0.1)).per_client.unwrap();
        assert_eq!((c.busiest_share, c.rate), (0.25, 1500.0));
        // One client sending a 7k/s peak alone: 8.4k/s would pass the guard, so capped.
        let c = quotas(QuotaInputs {
            peak: 7000.0,
            ..inputs(2.0, 1.0)
        })
        .per_client
        .unwrap();
        assert!(c.capped_by_guard && c.rate == 7200.0);
    }

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

    proptest! {
        #[test]
        fn quotas_never_pass_the_guard_and_together_admit_the_peak(
            peak in 0.1f64..1e7,
            admitted in 0.1f64..1e5,
            nodes in 1u32..5000,
            clients in 2.0f64..1e8,
            share in 1e-6f64..1.0,
        ) {
            let q = quotas(QuotaInputs {
                peak,
                admitted_per_node: admitted,
                nodes,
                node_burst_seconds: 0.2,
                clients,
                busiest_share: share,
                headroom: 1.2,
                client_burst_seconds: 5.0,
            });
            let c = q.per_client.unwrap();
            prop_assert!(c.rate <= q.guard * (1.0 + 1e-12));
            prop_assert!(clients * c.rate >= peak.min(q.guard) * (1.0 - 1e-9));
            prop_assert!(c.burst >= 1.0 && c.burst <= q.guard_burst.max(1.0));
            // A larger share never lowers the quota.
            let more = quotas(QuotaInputs {
                peak,
                admitted_per_node: admitted,
                nodes,
                node_burst_seconds: 0.2,
                clients,
                busiest_share: (share * 2.0).min(1.0),
                headroom: 1.2,
                client_burst_seconds: 5.0,
            });
            prop_assert!(more.per_client.unwrap().rate >= c.rate);
        }
    }
}
