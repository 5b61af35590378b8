//! Queueing: Little's law, M/M/1 and M/M/c (Erlang C) with service levels, average speed of
//! answer, occupancy and the fewest servers meeting a target.
//!
//! Units: rates per second, times in seconds, probabilities as fractions. Invariants: a queue
//! is only analysed when it is stable (arrival rate below c·μ); Erlang C is computed through
//! the Erlang B recurrence, never through factorials, so hundreds of servers are fine.

use super::Invalid;
use super::invalid::finite;
use crate::units::trim_float;
use serde::Serialize;

const RATE: &str = "a rate above 0, e.g. 5/s, 100/30m, 2k/min";
const TIME: &str = "a duration above 0, e.g. 100ms, 180s, 3m";
const SERVERS: &str = "a whole number of servers of at least 1, e.g. 14";
const LEVEL: &str = "a fraction above 0 and below 1, e.g. 0.8 or 80%";

/// Most servers a queue may have. Erlang B costs one step per server, so this bounds the
/// work of every figure and of the search for the fewest servers (an offered load of a
/// million Erlangs is far beyond any one queue people size this way).
pub const MAX_SERVERS: u32 = 1_000_000;

/// A figure for a message: up to `decimals` decimals, or `3.154e25` past 1e15.
fn short(v: f64, decimals: usize) -> String {
    if v.abs() >= 1e15 {
        format!("{v:.3e}")
    } else {
        trim_float(v, decimals)
    }
}

/// Little's law, L = λ W: items in the system from arrival rate and time in the system.
/// Source: J. D. C. Little, "A proof for the queuing formula L = λW", Operations Research
/// 9(3), 1961. 100 req/s × 0.5 s = 50 in flight.
pub fn little(arrival: f64, time_in_system: f64) -> f64 {
    arrival * time_in_system
}

/// Which quantity of Little's law to solve for, from the other two.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Little {
    /// Arrival rate λ (per second).
    pub arrival_per_second: f64,
    /// Time in the system W (seconds).
    pub time_in_system_seconds: f64,
    /// Items in the system L.
    pub in_system: f64,
    /// Which of the three was computed: `in-system`, `time-in-system` or `arrival`.
    pub solved_for: &'static str,
}

/// Solves L = λ W for whichever of the three is `None`; exactly one must be.
pub fn solve_little(
    arrival: Option<f64>,
    time: Option<f64>,
    in_system: Option<f64>,
) -> Result<Little, Invalid> {
    const TWO: &str = "exactly two of --arrival, --time and --in-system";
    for (name, v) in [
        ("arrival", arrival),
        ("time", time),
        ("in-system", in_system),
    ] {
        if let Some(v) = v
            && !(v.is_finite() && v >= 0.0)
        {
            return Err(Invalid::new(
                name,
                v,
                "it must be a number of at least 0",
                "a non-negative quantity",
            ));
        }
    }
    let positive = |name: &'static str, v: f64| {
        if v > 0.0 {
            Ok(v)
        } else {
            Err(Invalid::new(
                name,
                v,
                "it must be above 0 to divide by it",
                "a quantity above 0",
            ))
        }
    };
    let (arrival, time, in_system, solved_for) = match (arrival, time, in_system) {
        (Some(a), Some(w), None) => (a, w, little(a, w), "in-system"),
        (Some(a), None, Some(l)) => (a, l / positive("arrival", a)?, l, "time-in-system"),
        (None, Some(w), Some(l)) => (l / positive("time", w)?, w, l, "arrival"),
        _ => {
            let given = [arrival, time, in_system]
                .iter()
                .filter(|v| v.is_some())
                .count();
            return Err(Invalid::new(
                "little",
                format!("{given} given"),
                "Little's law needs two quantities to give the third",
                TWO,
            ));
        }
    };
    Ok(Little {
        arrival_per_second: arrival,
        time_in_system_seconds: time,
        in_system,
        solved_for,
    })
}

/// Erlang B, the blocking probability of `servers` servers offered `traffic` Erlangs, by the
/// recurrence B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)), which never overflows.
pub fn erlang_b(servers: u32, traffic: f64) -> f64 {
    (1..=servers).fold(1.0, |b, k| traffic * b / (f64::from(k) + traffic * b))
}

/// Erlang C, the probability an arrival waits, for `servers` servers and `traffic` Erlangs
/// (A < c): C = B / (1 − (A/c)(1 − B)) with B = Erlang B.
/// Source: A. K. Erlang (1917); the conversion from B is the standard one (e.g. Kleinrock,
/// "Queueing Systems" vol. 1, 1975, §3.5).
pub fn erlang_c(servers: u32, traffic: f64) -> f64 {
    let b = erlang_b(servers, traffic);
    let rho = traffic / f64::from(servers);
    b / (1.0 - rho * (1.0 - b))
}

/// An M/M/c queue: Poisson arrivals at rate λ, exponential service with mean 1/μ, c servers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mmc {
    /// Arrival rate λ (per second).
    pub arrival_per_second: f64,
    /// Mean service (handling) time 1/μ (seconds).
    pub service_time_seconds: f64,
    /// Servers (agents) c.
    pub servers: u32,
}

/// Steady-state figures of an M/M/c queue.
///
/// A = λ/μ Erlangs, ρ = A/c, P(wait) = C(c, A) (Erlang C), P0 = 1 / (Σₖ₌₀^{c−1} Aᵏ/k! +
/// Aᶜ/(c!(1−ρ))), Lq = C·ρ/(1−ρ), Wq = C/(cμ − λ) (the average speed of answer), W = Wq + 1/μ,
/// L = λW, and the service level P(Wq ≤ t) = 1 − C·e^{−(cμ−λ)t}. With c = 1 these are the
/// M/M/1 formulas (ρ = λ/μ, L = ρ/(1−ρ), W = 1/(μ−λ)).
/// Sources: Kleinrock, "Queueing Systems" vol. 1, §3.2 and §3.5; the R package ErlangC for
/// the call-centre names (service level, ASA, occupancy).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    /// The queue analysed.
    pub queue: Mmc,
    /// Offered traffic A = λ/μ (Erlangs).
    pub traffic_erlangs: f64,
    /// Utilisation ρ = A/c (the call-centre occupancy), a fraction.
    pub utilisation: f64,
    /// Probability the system is empty P0.
    pub p0: f64,
    /// Probability an arrival waits (Erlang C).
    pub p_wait: f64,
    /// Mean number waiting Lq.
    pub lq: f64,
    /// Mean wait in the queue Wq (seconds); the average speed of answer.
    pub wq_seconds: f64,
    /// Mean number in the system L.
    pub l: f64,
    /// Mean time in the system W (seconds).
    pub w_seconds: f64,
}

/// Checks an M/M/c queue and that it is stable (λ < cμ).
pub fn mmc(arrival: f64, service_time: f64, servers: u32) -> Result<Mmc, Invalid> {
    finite("arrival", arrival, RATE)?;
    finite("service-time", service_time, TIME)?;
    if arrival <= 0.0 {
        return Err(Invalid::new(
            "arrival",
            arrival,
            "the arrival rate must be above 0",
            RATE,
        ));
    }
    if service_time <= 0.0 {
        return Err(Invalid::new(
            "service-time",
            service_time,
            "the service time must be above 0",
            TIME,
        ));
    }
    if servers == 0 {
        return Err(Invalid::new(
            "servers",
            servers,
            "there must be at least one server",
            SERVERS,
        ));
    }
    if servers > MAX_SERVERS {
        return Err(Invalid::new(
            "servers",
            servers,
            format!("at most {MAX_SERVERS} servers are accepted"),
            format!("a whole number of servers from 1 to {MAX_SERVERS}"),
        ));
    }
    let traffic = arrival * service_time;
    if traffic >= f64::from(servers) {
        let needed = traffic.floor() + 1.0;
        let accepted = if needed <= f64::from(MAX_SERVERS) {
            format!("an arrival rate below servers ÷ service time, or at least {needed} servers")
        } else {
            format!(
                "an offered load (arrival rate × service time) below {MAX_SERVERS} Erlangs: at most {MAX_SERVERS} servers are accepted"
            )
        };
        return Err(Invalid::new(
            "arrival",
            format!("{}/s", short(arrival, 6)),
            format!(
                "it reaches the capacity of {servers} server(s) ({}/s): the offered load is {} Erlangs and the queue would grow without bound",
                short(f64::from(servers) / service_time, 6),
                short(traffic, 4)
            ),
            accepted,
        ));
    }
    Ok(Mmc {
        arrival_per_second: arrival,
        service_time_seconds: service_time,
        servers,
    })
}

impl Mmc {
    /// Offered traffic A = λ/μ in Erlangs.
    pub fn traffic(&self) -> f64 {
        self.arrival_per_second * self.service_time_seconds
    }

    /// The steady-state figures.
    pub fn figures(&self) -> Figures {
        let a = self.traffic();
        let c = f64::from(self.servers);
        let rho = a / c;
        let b = erlang_b(self.servers, a);
        let p_wait = erlang_c(self.servers, a);
        // Σₖ₌₀^{c} Aᵏ/k! = T / B with T = Aᶜ/c!, so the P0 sum is T (1/B − 1 + 1/(1 − ρ)),
        // evaluated in logs because T overflows past a few hundred servers.
        let ln_t = c * a.ln() - statrs::function::gamma::ln_gamma(c + 1.0);
        let p0 = (-ln_t - (1.0 / b - 1.0 + 1.0 / (1.0 - rho)).ln()).exp();
        let lq = p_wait * rho / (1.0 - rho);
        let wq = lq / self.arrival_per_second;
        let w = wq + self.service_time_seconds;
        Figures {
            queue: *self,
            traffic_erlangs: a,
            utilisation: rho,
            p0,
            p_wait,
            lq,
            wq_seconds: wq,
            l: self.arrival_per_second * w,
            w_seconds: w,
        }
    }

    /// Service level: the probability an arrival waits at most `t` seconds,
    /// 1 − C·e^{−(cμ − λ)t}.
    pub fn service_level(&self, t: f64) -> f64 {
        let c = f64::from(self.servers);
        let decay = (c - self.traffic()) / self.service_time_seconds;
        1.0 - erlang_c(self.servers, self.traffic()) * (-decay * t).exp()
    }

    /// The q-quantile of the wait in the queue: the t with P(Wq ≤ t) = q, which is
    /// ln(C / (1 − q)) / (cμ − λ), or 0 when at least q of arrivals do not wait at all.
    pub fn wait_quantile(&self, q: f64) -> f64 {
        let c = f64::from(self.servers);
        let decay = (c - self.traffic()) / self.service_time_seconds;
        let p_wait = erlang_c(self.servers, self.traffic());
        if p_wait <= 1.0 - q {
            0.0
        } else {
            (p_wait / (1.0 - q)).ln() / decay
        }
    }
}

/// An Erlang C staffing question: calls, handling time and, for the service level, an
/// answer-time target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Staffing {
    /// Offered traffic A (Erlangs).
    pub traffic_erlangs: f64,
    /// The answer-time target t (seconds), when given.
    pub target_seconds: Option<f64>,
    /// The service-level goal P(wait ≤ t), when given.
    pub service_level_goal: Option<f64>,
    /// Servers analysed (the given count, or the minimum meeting the goal).
    pub servers: u32,
    /// Whether `servers` was computed as the minimum meeting the goal.
    pub minimum: bool,
    /// The fewest servers meeting the goal, when a goal is given.
    pub minimum_servers: Option<u32>,
    /// The queue's figures at `servers`.
    pub figures: Figures,
    /// Service level at `servers`: P(wait ≤ target), when a target is given.
    pub service_level: Option<f64>,
    /// Whether the goal is met at `servers`; `None` without a goal.
    pub meets_goal: Option<bool>,
    /// Average speed of answer, Wq (seconds).
    pub asa_seconds: f64,
    /// Occupancy A/c, a fraction.
    pub occupancy: f64,
    /// The wait at the goal's quantile (e.g. the 80th percentile), when a goal is given.
    pub wait_at_goal_quantile_seconds: Option<f64>,
}

/// The fewest servers c > A whose service level P(wait ≤ `target`) reaches `goal`.
pub fn minimum_servers(
    arrival: f64,
    service_time: f64,
    target: f64,
    goal: f64,
) -> Result<u32, Invalid> {
    fewest_servers(arrival, service_time, target, goal).map(|(c, _)| c)
}

/// [`minimum_servers`], with Erlang B at that count (from which P(wait), the service level
/// and the average speed of answer follow without a second pass over the servers).
pub fn fewest_servers(
    arrival: f64,
    service_time: f64,
    target: f64,
    goal: f64,
) -> Result<(u32, f64), Invalid> {
    check_goal(goal)?;
    let a = arrival * service_time;
    // The first stable count; `mmc` also checks the rates and refuses a load past
    // MAX_SERVERS before anything is computed.
    let first = (a.floor() + 1.0).min(f64::from(MAX_SERVERS)) as u32;
    let q = mmc(arrival, service_time, first)?;
    // Erlang B by its recurrence, one step per extra server: the search costs O(servers).
    // Up to the first count it runs on 1/B, 1/B(k) = 1 + (k/A)·1/B(k−1): a multiply-add a
    // step instead of a division, which a day of large intervals spends most of its time on.
    let mut c = first;
    let per_a = 1.0 / a;
    // Two steps at a time, 1/B(k+1) = 1 + (k+1)/A + (k+1)k/A²·1/B(k−1), so each step of the
    // dependency chain is one multiply-add.
    let mut inverse = 1.0f64;
    let mut k = 1;
    while k < first {
        let (x, y) = (f64::from(k) * per_a, f64::from(k + 1) * per_a);
        inverse = inverse * (x * y) + (y + 1.0);
        k += 2;
    }
    if k == first {
        inverse = inverse * (f64::from(k) * per_a) + 1.0;
    }
    let mut b = 1.0 / inverse;
    loop {
        let rho = a / f64::from(c);
        let p_wait = b / (1.0 - rho * (1.0 - b));
        let decay = (f64::from(c) - a) / q.service_time_seconds;
        if 1.0 - p_wait * (-decay * target).exp() >= goal {
            return Ok((c, b));
        }
        if c >= MAX_SERVERS {
            return Err(Invalid::new(
                "service-level",
                goal,
                format!("no server count up to {MAX_SERVERS} reaches it"),
                LEVEL,
            ));
        }
        c += 1;
        b = a * b / (f64::from(c) + a * b);
    }
}

fn check_goal(goal: f64) -> Result<f64, Invalid> {
    if goal.is_finite() && goal > 0.0 && goal < 1.0 {
        Ok(goal)
    } else {
        Err(Invalid::new(
            "service-level",
            goal,
            "a service-level goal must be above 0 and below 1",
            LEVEL,
        ))
    }
}

/// Erlang C staffing: with `servers`, the figures at that count (and, with a `target`, the
/// service level and whether `goal` is met); without, the minimum count meeting `goal` (0.8
/// when not given, the common 80/20 rule), which needs a `target`. P(wait), the average speed
/// of answer and occupancy need no target.
pub fn staffing(
    arrival: f64,
    service_time: f64,
    target: Option<f64>,
    servers: Option<u32>,
    goal: Option<f64>,
) -> Result<Staffing, Invalid> {
    if let Some(t) = target
        && !(t.is_finite() && t >= 0.0)
    {
        return Err(Invalid::new(
            "target",
            t,
            "the answer-time target must be at least 0",
            "a duration such as 20s",
        ));
    }
    if let Some(g) = goal {
        check_goal(g)?;
    }
    // Validate the rates before looking for a minimum.
    mmc(arrival, service_time, servers.unwrap_or(MAX_SERVERS))?;
    let goal_used = goal.or(servers.is_none().then_some(DEFAULT_SERVICE_LEVEL));
    let Some(t) = target else {
        if goal_used.is_some() {
            let what = if servers.is_none() {
                "finding the fewest agents"
            } else {
                "a service-level goal"
            };
            return Err(Invalid::new(
                "target",
                "(none)",
                format!("{what} needs an answer-time target"),
                "a duration such as 20s",
            ));
        }
        let c = servers.unwrap_or(1);
        let figures = mmc(arrival, service_time, c)?.figures();
        return Ok(Staffing {
            traffic_erlangs: figures.traffic_erlangs,
            target_seconds: None,
            service_level_goal: None,
            servers: c,
            minimum: false,
            minimum_servers: None,
            figures,
            service_level: None,
            meets_goal: None,
            asa_seconds: figures.wq_seconds,
            occupancy: figures.utilisation,
            wait_at_goal_quantile_seconds: None,
        });
    };
    let fewest = goal_used
        .map(|g| minimum_servers(arrival, service_time, t, g))
        .transpose()?;
    let (c, minimum) = match (servers, fewest) {
        (Some(c), _) => (c, false),
        (None, Some(m)) => (m, true),
        (None, None) => (
            minimum_servers(arrival, service_time, t, DEFAULT_SERVICE_LEVEL)?,
            true,
        ),
    };
    let q = mmc(arrival, service_time, c)?;
    let figures = q.figures();
    let sl = q.service_level(t);
    Ok(Staffing {
        traffic_erlangs: figures.traffic_erlangs,
        target_seconds: Some(t),
        service_level_goal: goal_used,
        servers: c,
        minimum,
        minimum_servers: fewest,
        figures,
        service_level: Some(sl),
        meets_goal: goal_used.map(|g| sl >= g),
        asa_seconds: figures.wq_seconds,
        occupancy: figures.utilisation,
        wait_at_goal_quantile_seconds: goal_used.map(|g| q.wait_quantile(g)),
    })
}

/// The service-level goal used when none is given: 80 % answered within the target.
pub const DEFAULT_SERVICE_LEVEL: f64 = 0.8;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn erlang_c_matches_the_r_package_example() {
        // 100 calls per 30 minutes, 180 s handling time, 20 s target, 14 agents.
        let s = staffing(100.0 / 1800.0, 180.0, Some(20.0), Some(14), None).unwrap();
        assert!(close(s.traffic_erlangs, 10.0, 1e-12));
        assert!(close(s.figures.p_wait, 0.1741319, 1e-6), "{s:?}");
        assert!(close(s.service_level.unwrap(), 0.88835, 1e-5), "{s:?}");
        assert!(close(s.asa_seconds, 7.835937, 1e-6), "{s:?}");
        assert!(close(s.occupancy, 0.7142857, 1e-6), "{s:?}");
    }

    #[test]
    fn fourteen_agents_is_the_minimum_for_an_eighty_percent_goal() {
        let s = staffing(100.0 / 1800.0, 180.0, Some(20.0), None, Some(0.8)).unwrap();
        assert_eq!(s.servers, 14);
        assert!(s.minimum && s.meets_goal == Some(true));
        assert_eq!(
            minimum_servers(100.0 / 1800.0, 180.0, 20.0, 0.8).unwrap(),
            14
        );
    }

    #[test]
    fn one_server_gives_the_mm1_formulas() {
        let f = mmc(0.25, 3.0, 1).unwrap().figures();
        assert!(close(f.utilisation, 0.75, 1e-12));
        assert!(close(f.l, 3.0, 1e-12));
        assert!(close(f.lq, 2.25, 1e-12));
        assert!(close(f.w_seconds, 12.0, 1e-12));
        assert!(close(f.wq_seconds, 9.0, 1e-12));
        assert!(close(f.p0, 0.25, 1e-12));
    }

    #[test]
    fn p0_matches_the_direct_sum_and_survives_many_servers() {
        let f = mmc(5.0, 0.1, 2).unwrap().figures();
        // A = 0.5, c = 2: P0 = 1 / (1 + 0.5 + 0.125 / 0.75) = 0.6.
        assert!(close(f.p0, 0.6, 1e-12), "{f:?}");
        let big = mmc(950.0, 1.0, 1000).unwrap().figures();
        assert!(big.p0.is_finite() && big.p0 >= 0.0 && big.p_wait.is_finite());
    }

    #[test]
    fn littles_law_gives_fifty_in_flight() {
        assert_eq!(little(100.0, 0.5), 50.0);
        let l = solve_little(Some(100.0), Some(0.5), None).unwrap();
        assert_eq!(l.in_system, 50.0);
        let w = solve_little(Some(100.0), None, Some(50.0)).unwrap();
        assert_eq!(w.time_in_system_seconds, 0.5);
        let a = solve_little(None, Some(0.5), Some(50.0)).unwrap();
        assert_eq!(a.arrival_per_second, 100.0);
        assert!(solve_little(Some(1.0), None, None).is_err());
    }

    #[test]
    fn refuses_an_arrival_rate_at_or_above_capacity_and_zero_servers() {
        let e = mmc(20.0, 0.1, 2).unwrap_err();
        assert_eq!(e.input, "arrival");
        assert!(e.to_string().contains("grow without bound"), "{e}");
        assert!(e.to_string().contains("at least 3 servers"), "{e}");
        assert_eq!(mmc(1.0, 0.1, 0).unwrap_err().input, "servers");
        assert_eq!(mmc(1.0, 0.0, 1).unwrap_err().input, "service-time");
        assert_eq!(
            staffing(1.0, 1.0, Some(1.0), None, Some(1.0))
                .unwrap_err()
                .input,
            "service-level"
        );
    }

    #[test]
    fn wait_quantile_inverts_the_service_level() {
        let q = mmc(100.0 / 1800.0, 180.0, 12).unwrap();
        let t = q.wait_quantile(0.8);
        assert!(close(q.service_level(t), 0.8, 1e-9));
        assert_eq!(
            mmc(100.0 / 1800.0, 180.0, 20).unwrap().wait_quantile(0.5),
            0.0
        );
    }

    #[test]
    fn refuses_loads_and_server_counts_past_the_cap_without_overflow() {
        // Found by the bad-input suite: an offered load past u64 overflowed `floor + 1`.
        let e = mmc(1e18, 3e7, 4_000_000_000).unwrap_err();
        assert_eq!(e.input, "servers");
        let e = staffing(1e18, 3e7, Some(20.0), None, None).unwrap_err();
        assert!(e.to_string().contains("at most 1000000 servers"), "{e}");
        // A load of a million Erlangs cannot be staffed; one of half a million can, quickly.
        assert!(minimum_servers(1e9, 1.0, 1e-9, 0.99999).is_err());
        let c = minimum_servers(5e5, 1.0, 1e-9, 0.99999).unwrap();
        assert!(c > 500_000 && c < 510_000, "{c}");
    }

    #[test]
    fn the_search_starts_from_the_same_erlang_b_as_the_recurrence() {
        for (arrival, aht) in [
            (100.0 / 1800.0, 180.0),
            (5.0, 0.1),
            (250.0, 2.0),
            (900.0, 1.0),
        ] {
            let (c, b) = fewest_servers(arrival, aht, 20.0, 0.8).unwrap();
            let direct = erlang_b(c, arrival * aht);
            assert!((b - direct).abs() <= 1e-12 * direct, "{b} vs {direct}");
        }
    }

    #[test]
    fn the_incremental_search_finds_what_the_direct_formula_finds() {
        for (arrival, aht, target, goal) in [
            (100.0 / 1800.0, 180.0, 20.0, 0.8),
            (5.0, 0.1, 0.05, 0.95),
            (250.0, 2.0, 0.0, 0.5),
            (1000.0, 1.0, 0.01, 0.999),
        ] {
            let c = minimum_servers(arrival, aht, target, goal).unwrap();
            assert!(mmc(arrival, aht, c).unwrap().service_level(target) >= goal);
            if let Ok(below) = mmc(arrival, aht, c - 1) {
                assert!(below.service_level(target) < goal);
            }
        }
    }

    proptest! {
        #[test]
        fn more_agents_wait_less_and_answer_faster(
            a in 0.1f64..200.0, extra in 0u32..50, t in 0.0f64..100.0,
        ) {
            let c = a.floor() as u32 + 1 + extra;
            let lower = mmc(a, 1.0, c).unwrap();
            let upper = mmc(a, 1.0, c + 1).unwrap();
            prop_assert!(erlang_c(c + 1, a) <= erlang_c(c, a) + 1e-12);
            prop_assert!(upper.service_level(t) >= lower.service_level(t) - 1e-12);
            let p = erlang_c(c, a);
            prop_assert!((0.0..=1.0).contains(&p));
        }
    }
}
