//! The exact availability of a topology, and how much each component contributes to its
//! unavailability.
//!
//! Method. Without shared components a topology is a series-parallel (and k-of-n) tree of
//! independent components, reduced bottom-up in unavailability space:
//! series `U = −expm1(Σ ln1p(−uᵢ))`, parallel `U = ∏ uᵢ`, k-of-n `U = P(fewer than k up)` by
//! exact dynamic programming over the Poisson-binomial distribution. Every step multiplies or
//! adds positive numbers, so an unavailability of 1e-12 keeps its digits.
//!
//! A shared component makes branches dependent. We condition on it (total probability):
//! for each of the `2^s` up/down states of the `s` shared components, fix them at
//! unavailability 0 or 1, reduce the tree, and weight the result by the probability of the
//! state. Only groups that contain a shared component are re-reduced per state. At most
//! [`MAX_SHARED`] shared components are accepted.
//!
//! Importance. A component's *contribution* is the drop in system unavailability if it were
//! made perfect: `U − U(uᵢ = 0)`. The system unavailability is linear in each `uᵢ`, so this
//! equals `uᵢ × I_B(i)` where `I_B(i) = ∂U/∂uᵢ = U(uᵢ = 1) − U(uᵢ = 0)` is the Birnbaum
//! importance. Both are reported. The Birnbaum importance of a non-shared component is
//! computed by the chain rule down the tree (products of the siblings' terms, no
//! subtraction); that of a shared component from its two conditional sums.

use super::{Kind, Node, Topology};
use crate::capacity::availability::{k_of_n_u, series_u, up_count_distribution};
use serde::Serialize;
use std::collections::HashMap;

/// Most shared components the exact solver conditions on (2^20 ≈ 1 M states).
pub const MAX_SHARED: usize = 20;
/// Most elementary steps the exact solver will take before refusing (a few seconds).
pub const MAX_WORK: f64 = 2e9;

/// The exact answer for a topology.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    /// Probability the system is up.
    pub availability: f64,
    /// Probability the system is down, computed directly.
    pub unavailability: f64,
    /// Shared components conditioned on.
    pub shared: usize,
    /// States enumerated (`2^shared`).
    pub states: u64,
    /// Every component, largest contribution first (ties in file order).
    pub importance: Vec<Importance>,
}

/// How much one component contributes to the system's unavailability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Importance {
    /// Index in [`Topology::components`].
    pub component: usize,
    /// Its name.
    pub name: String,
    /// Its own unavailability.
    pub unavailability: f64,
    /// Birnbaum importance `∂U/∂uᵢ`: how much system unavailability one unit of this
    /// component's unavailability causes.
    pub birnbaum: f64,
    /// Drop in system unavailability if this component never failed: `uᵢ × I_B(i)`.
    pub contribution: f64,
    /// `contribution / U`: the share of the system's unavailability this component removes
    /// when made perfect. Shares need not add up to 1 (redundant components fail together).
    pub share: f64,
    /// Whether several places use this component.
    pub shared: bool,
}

/// Why the exact solver refused a topology.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SolveError {
    /// Conditioning on this many shared components would take too many states.
    #[error(
        "the topology has {count} shared components ({names}); the exact solver conditions on at most {MAX_SHARED} (2^{MAX_SHARED} states); use --simulate TRIALS for a Monte Carlo estimate"
    )]
    TooManyShared {
        /// How many there are.
        count: usize,
        /// Their names, comma-separated (first few).
        names: String,
    },
    /// The k-of-n groups are too large to enumerate exactly.
    #[error(
        "solving this topology exactly would take about {work:.1e} steps (limit {MAX_WORK:.0e}); large k-of-n groups cost n × k each; use --simulate TRIALS for a Monte Carlo estimate"
    )]
    TooLarge {
        /// Estimated steps.
        work: f64,
    },
}

/// Solves a topology exactly. See the module documentation for the method.
pub fn solve(t: &Topology) -> Result<Solution, SolveError> {
    let shared = t.shared();
    if shared.len() > MAX_SHARED {
        let names: Vec<&str> = shared
            .iter()
            .take(5)
            .map(|&i| t.components[i].name.as_str())
            .collect();
        let more = if shared.len() > 5 { ", ..." } else { "" };
        return Err(SolveError::TooManyShared {
            count: shared.len(),
            names: names.join(", ") + more,
        });
    }
    // A group is dynamic when a shared component sits somewhere below it.
    let mut dynamic = vec![false; t.groups.len()];
    for (g, group) in t.groups.iter().enumerate() {
        dynamic[g] = group.children.iter().any(|c| match *c {
            Node::Component(i) => t.components[i].is_shared(),
            Node::Group(j) => dynamic[j],
        });
    }
    let states = 1u64 << shared.len();
    let cost = |g: usize| -> f64 {
        let group = &t.groups[g];
        let n = group.children.len() as f64;
        match group.kind {
            // Value plus the leave-one-out DP for each child (one per distinct value).
            Kind::KOfN { k } => 2.0 * n * n.min(1.0 + distinct(t, g) as f64) * k as f64,
            _ => 3.0 * n,
        }
    };
    let static_work: f64 = (0..t.groups.len()).filter(|&g| !dynamic[g]).map(cost).sum();
    let dynamic_work: f64 = (0..t.groups.len()).filter(|&g| dynamic[g]).map(cost).sum();
    let work = static_work + states as f64 * (dynamic_work + shared.len() as f64);
    if work > MAX_WORK {
        return Err(SolveError::TooLarge { work });
    }

    let mut cu: Vec<f64> = t.components.iter().map(|c| c.unavailability).collect();
    let mut gu = vec![0.0; t.groups.len()];
    let mut scratch = Vec::new();
    for g in 0..t.groups.len() {
        if !dynamic[g] {
            gu[g] = reduce(t, g, &cu, &gu, &mut scratch);
        }
    }
    // Expected ∂U/∂(node unavailability), accumulated over states, for static nodes that
    // hang under a dynamic group (and, later, for everything below them).
    let mut dc = vec![0.0; t.components.len()];
    let mut dg = vec![0.0; t.groups.len()];
    let mut total = 0.0;
    // Σ over states with shared component j down (resp. up) of weight × U.
    let mut when_down = vec![0.0; shared.len()];
    let mut when_up = vec![0.0; shared.len()];
    let mut d_state = vec![0.0; t.groups.len()];
    let mut partials = Vec::new();
    let mut cache = HashMap::new();
    for state in 0..states {
        let mut weight = 1.0;
        for (bit, &j) in shared.iter().enumerate() {
            let down = state >> bit & 1 == 1;
            let c = &t.components[j];
            weight *= if down {
                c.unavailability
            } else {
                c.availability
            };
            cu[j] = if down { 1.0 } else { 0.0 };
        }
        if weight == 0.0 {
            continue;
        }
        for g in 0..t.groups.len() {
            if dynamic[g] {
                gu[g] = reduce(t, g, &cu, &gu, &mut scratch);
            }
        }
        let u = match t.root {
            Node::Component(i) => cu[i],
            Node::Group(g) => gu[g],
        };
        total += weight * u;
        for (bit, _) in shared.iter().enumerate() {
            if state >> bit & 1 == 1 {
                when_down[bit] += weight * u;
            } else {
                when_up[bit] += weight * u;
            }
        }
        match t.root {
            Node::Group(root) if dynamic[root] => {
                d_state.iter_mut().for_each(|d| *d = 0.0);
                d_state[root] = 1.0;
                for g in (0..t.groups.len()).rev() {
                    if !dynamic[g] || d_state[g] == 0.0 {
                        continue;
                    }
                    group_partials(t, g, &cu, &gu, &mut scratch, &mut partials, &mut cache);
                    for (c, p) in t.groups[g].children.iter().zip(&partials) {
                        let d = d_state[g] * p;
                        match *c {
                            Node::Component(i) if !t.components[i].is_shared() => {
                                dc[i] += weight * d;
                            }
                            Node::Component(_) => {}
                            Node::Group(j) if dynamic[j] => d_state[j] += d,
                            Node::Group(j) => dg[j] += weight * d,
                        }
                    }
                }
            }
            Node::Group(root) => dg[root] = 1.0,
            Node::Component(i) => dc[i] = 1.0,
        }
    }
    // Push the accumulated derivatives down through the static groups.
    for g in (0..t.groups.len()).rev() {
        if dynamic[g] || dg[g] == 0.0 {
            continue;
        }
        group_partials(t, g, &cu, &gu, &mut scratch, &mut partials, &mut cache);
        for (c, p) in t.groups[g].children.iter().zip(&partials) {
            match *c {
                Node::Component(i) => dc[i] += dg[g] * p,
                Node::Group(j) => dg[j] += dg[g] * p,
            }
        }
    }
    let mut importance: Vec<Importance> = t
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (birnbaum, contribution) = match shared.iter().position(|&j| j == i) {
                Some(bit) => {
                    // U − E[U | up] = Σ_down w·U − (u / a) Σ_up w·U.
                    let drop = when_down[bit] - c.unavailability / c.availability * when_up[bit];
                    let drop = drop.max(0.0);
                    let b = if c.unavailability > 0.0 {
                        drop / c.unavailability
                    } else {
                        0.0
                    };
                    (b, drop)
                }
                None => (dc[i], c.unavailability * dc[i]),
            };
            Importance {
                component: i,
                name: c.name.clone(),
                unavailability: c.unavailability,
                birnbaum,
                contribution,
                share: if total > 0.0 {
                    contribution / total
                } else {
                    0.0
                },
                shared: c.is_shared(),
            }
        })
        .collect();
    // Equal components (copies from `count`) get contributions that differ in the last bits
    // from the order of the products; compare on 12 significant digits so they tie and keep
    // file order.
    let key = |c: f64| format!("{c:.11e}").parse::<f64>().unwrap_or(c);
    importance.sort_by(|a, b| {
        key(b.contribution)
            .total_cmp(&key(a.contribution))
            .then(a.component.cmp(&b.component))
    });
    Ok(Solution {
        availability: 1.0 - total,
        unavailability: total,
        shared: shared.len(),
        states,
        importance,
    })
}

/// Number of distinct child unavailabilities of group `g` (static values only; a bound used
/// for the cost estimate).
fn distinct(t: &Topology, g: usize) -> usize {
    let mut seen: Vec<u64> = t.groups[g]
        .children
        .iter()
        .map(|c| match *c {
            Node::Component(i) => t.components[i].unavailability.to_bits(),
            Node::Group(j) => u64::MAX - j as u64,
        })
        .collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

fn child_values(t: &Topology, g: usize, cu: &[f64], gu: &[f64], out: &mut Vec<f64>) {
    out.clear();
    out.extend(t.groups[g].children.iter().map(|c| match *c {
        Node::Component(i) => cu[i],
        Node::Group(j) => gu[j],
    }));
}

/// Unavailability of group `g` from its children's current values.
fn reduce(t: &Topology, g: usize, cu: &[f64], gu: &[f64], scratch: &mut Vec<f64>) -> f64 {
    child_values(t, g, cu, gu, scratch);
    match t.groups[g].kind {
        Kind::Series => series_u(scratch),
        Kind::Parallel => scratch.iter().product(),
        Kind::KOfN { k } => k_of_n_u(k, scratch),
    }
}

/// `∂U_g/∂U_c` for every child `c` of group `g`, into `out`:
/// series `∏_{c'≠c} (1 − U_c')`, parallel `∏_{c'≠c} U_c'`, k-of-n `P(exactly k − 1 of the
/// others up)`. Products use prefix and suffix products so no division (by a zero) occurs.
fn group_partials(
    t: &Topology,
    g: usize,
    cu: &[f64],
    gu: &[f64],
    scratch: &mut Vec<f64>,
    out: &mut Vec<f64>,
    cache: &mut HashMap<u64, f64>,
) {
    child_values(t, g, cu, gu, scratch);
    let n = scratch.len();
    out.clear();
    match t.groups[g].kind {
        Kind::Series | Kind::Parallel => {
            let term = |u: f64| {
                if t.groups[g].kind == Kind::Series {
                    1.0 - u
                } else {
                    u
                }
            };
            let mut suffix = vec![1.0; n + 1];
            for i in (0..n).rev() {
                suffix[i] = suffix[i + 1] * term(scratch[i]);
            }
            let mut prefix = 1.0;
            for i in 0..n {
                out.push(prefix * suffix[i + 1]);
                prefix *= term(scratch[i]);
            }
        }
        Kind::KOfN { k } => {
            // Children with the same unavailability have the same partial: compute once per
            // value (a `count: N` leaf gives N equal children). The cache holds one group's
            // children at their current values, so it starts empty on every call.
            cache.clear();
            let mut others = Vec::with_capacity(n.saturating_sub(1));
            for i in 0..n {
                let key = scratch[i].to_bits();
                let p = *cache.entry(key).or_insert_with(|| {
                    others.clear();
                    others.extend(
                        scratch
                            .iter()
                            .enumerate()
                            .filter(|&(j, _)| j != i)
                            .map(|(_, &u)| u),
                    );
                    up_count_distribution(&others, k)[k - 1]
                });
                out.push(p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::availability::{k_of_n, parallel, series};
    use crate::capacity::topology::parse;
    use proptest::prelude::*;

    fn rel(a: f64, b: f64) -> f64 {
        if a == b { 0.0 } else { ((a - b) / b).abs() }
    }

    /// Unavailability by enumerating every up/down combination of every component.
    fn brute_force(t: &Topology, perfect: Option<usize>) -> f64 {
        let n = t.components.len();
        assert!(n <= 22, "too many components to enumerate");
        let mut up = vec![false; n];
        let mut scratch = Vec::new();
        let mut total = 0.0;
        for state in 0u64..1 << n {
            let mut w = 1.0;
            for (i, c) in t.components.iter().enumerate() {
                let down = state >> i & 1 == 1;
                let (a, u) = if Some(i) == perfect {
                    (1.0, 0.0)
                } else {
                    (c.availability, c.unavailability)
                };
                w *= if down { u } else { a };
                up[i] = !down;
            }
            if w > 0.0 && !t.is_up(&up, &mut scratch) {
                total += w;
            }
        }
        total
    }

    const THREE_TIER: &str = "components:\n  dns: { availability: 0.9999 }\nsystem:\n  series:\n    - ref: dns\n    - parallel:\n        - { name: lb-a, availability: 0.999 }\n        - { name: lb-b, availability: 0.999 }\n    - k_of_n: { k: 3, of: [ { name: app, availability: 0.995, count: 5 } ] }\n    - parallel:\n        - { name: db-primary, mttf: 2000h, mttr: 1h }\n        - { name: db-replica, mttf: 2000h, mttr: 1h }\n";

    #[test]
    fn three_tier_is_the_product_of_its_tiers() {
        let t = parse(THREE_TIER, "t.yaml").unwrap();
        let s = solve(&t).unwrap();
        let db = 2000.0 / 2001.0;
        let expected = series(&[
            0.9999,
            parallel(&[0.999, 0.999]).availability,
            k_of_n(3, 5, 0.995).availability,
            parallel(&[db, db]).availability,
        ]);
        assert!(
            rel(s.unavailability, expected.unavailability) < 1e-12,
            "{s:?}"
        );
        assert!(rel(s.unavailability, brute_force(&t, None)) < 1e-10);
        assert_eq!(s.importance[0].name, "dns");
        assert_eq!(s.states, 1);
    }

    #[test]
    fn shared_components_match_brute_force_enumeration() {
        let text = "components:\n  power: { availability: 0.99 }\n  auth: { availability: 0.995 }\nsystem:\n  parallel:\n    - series: [ { ref: power }, { ref: auth }, { name: a, availability: 0.9 } ]\n    - series: [ { ref: power }, { name: b, availability: 0.95 } ]\n    - k_of_n: { k: 2, of: [ { ref: auth }, { name: c, availability: 0.8, count: 3 } ] }\n";
        let t = parse(text, "s.yaml").unwrap();
        assert_eq!(t.shared().len(), 2);
        let s = solve(&t).unwrap();
        assert_eq!(s.states, 4);
        let brute = brute_force(&t, None);
        assert!(
            rel(s.unavailability, brute) < 1e-12,
            "{} vs {brute}",
            s.unavailability
        );
        for imp in &s.importance {
            let drop = brute - brute_force(&t, Some(imp.component));
            assert!(
                (imp.contribution - drop).abs() < 1e-12 * brute.max(1e-300) + 1e-15,
                "{}: {} vs {drop}",
                imp.name,
                imp.contribution
            );
        }
    }

    #[test]
    fn shipped_shared_example_matches_brute_force_enumeration() {
        let text = include_str!("../../../examples/topologies/shared.yaml");
        let t = parse(text, "shared.yaml").unwrap();
        let names: Vec<&str> = t
            .shared()
            .iter()
            .map(|&i| t.components[i].name.as_str())
            .collect();
        assert_eq!(names, ["power", "auth"]);
        let s = solve(&t).unwrap();
        let brute = brute_force(&t, None);
        assert!(
            rel(s.unavailability, brute) < 1e-12,
            "{} vs {brute}",
            s.unavailability
        );
        for imp in s.importance.iter().take(4) {
            let drop = brute - brute_force(&t, Some(imp.component));
            assert!(
                rel(imp.contribution, drop) < 1e-9,
                "{}: {} vs {drop}",
                imp.name,
                imp.contribution
            );
        }
    }

    #[test]
    fn importance_of_independent_components_matches_making_each_perfect() {
        let t = parse(THREE_TIER, "t.yaml").unwrap();
        let s = solve(&t).unwrap();
        let brute = brute_force(&t, None);
        for imp in &s.importance {
            let drop = brute - brute_force(&t, Some(imp.component));
            assert!(
                rel(imp.contribution, drop) < 1e-6,
                "{}: {} vs {drop}",
                imp.name,
                imp.contribution
            );
        }
    }

    #[test]
    fn keeps_unavailabilities_of_1e_minus_12_exact() {
        let text = "system:\n  series:\n    - parallel: [ { availability: 0.999999 }, { availability: 0.999999 } ]\n    - parallel: [ { availability: 0.999999 }, { availability: 0.999999 } ]\n";
        let t = parse(text, "p.yaml").unwrap();
        let s = solve(&t).unwrap();
        let u = 1.0 - 0.999999;
        let expected = 1.0 - (1.0 - u * u) * (1.0 - u * u);
        assert!(
            rel(s.unavailability, 2.0 * u * u) < 1e-11,
            "{s:?} {expected}"
        );
    }

    #[test]
    fn a_single_leaf_is_its_own_system() {
        let t = parse("system: { name: only, availability: 0.9 }\n", "x.yaml").unwrap();
        let s = solve(&t).unwrap();
        assert!(rel(s.unavailability, 0.1) < 1e-12);
        assert_eq!(s.importance[0].birnbaum, 1.0);
    }

    /// A random node as YAML flow text: leaves with random availabilities, refs to three
    /// possibly shared components, and nested groups of every kind.
    fn node() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            (0.5f64..0.999).prop_map(|a| format!("{{ availability: {a} }}")),
            (0usize..3).prop_map(|i| format!("{{ ref: s{i} }}")),
        ];
        leaf.prop_recursive(3, 12, 4, |inner| {
            (0usize..3, prop::collection::vec(inner, 1..4), 0usize..4).prop_map(
                |(kind, children, k)| {
                    let list = children.join(", ");
                    match kind {
                        0 => format!("{{ series: [ {list} ] }}"),
                        1 => format!("{{ parallel: [ {list} ] }}"),
                        _ => format!(
                            "{{ k_of_n: {{ k: {}, of: [ {list} ] }} }}",
                            1 + k % children.len()
                        ),
                    }
                },
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn exact_answer_and_contributions_match_brute_force_on_random_topologies(
            system in node(), shared in prop::collection::vec(0.5f64..0.999, 3)
        ) {
            let text = format!(
                "components: {{ s0: {{ availability: {} }}, s1: {{ availability: {} }}, s2: {{ availability: {} }} }}\nsystem: {system}\n",
                shared[0], shared[1], shared[2]
            );
            let t = parse(&text, "random.yaml").unwrap();
            prop_assume!(t.components.len() <= 14);
            let s = solve(&t).unwrap();
            let brute = brute_force(&t, None);
            prop_assert!((s.unavailability - brute).abs() <= 1e-12 + 1e-9 * brute, "{} vs {brute}\n{text}", s.unavailability);
            for imp in &s.importance {
                let drop = brute - brute_force(&t, Some(imp.component));
                prop_assert!((imp.contribution - drop).abs() <= 1e-12 + 1e-9 * drop.abs(), "{}: {} vs {drop}\n{text}", imp.name, imp.contribution);
            }
        }
    }

    #[test]
    fn refuses_more_than_twenty_shared_components_and_says_so() {
        let mut text = String::from("components:\n");
        for i in 0..21 {
            text += &format!("  s{i}: {{ availability: 0.99 }}\n");
        }
        text += "system:\n  parallel:\n";
        for _ in 0..2 {
            text += "    - series:\n";
            for i in 0..21 {
                text += &format!("        - ref: s{i}\n");
            }
        }
        let t = parse(&text, "x.yaml").unwrap();
        let e = solve(&t).unwrap_err().to_string();
        assert!(
            e.contains("21 shared components") && e.contains("at most 20"),
            "{e}"
        );
        assert!(e.contains("--simulate"), "{e}");
    }
}
