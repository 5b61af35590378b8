//! Replicas of a stateless service: how many run in each region that serves traffic so that
//! the peak is still served, under the utilisation target, after the worst single failure the
//! fleet is sized for; and the one rate each replica admits.
//!
//! Units: requests per second, fractions. Invariants: the count per region is at least the
//! availability floor; after losing one region (several regions) or one replica (one region,
//! a target of 99 % or more) the survivors run at no more than [`TARGET_UTILISATION`] of
//! `per_replica` at peak; the count never decreases when the peak grows.
//!
//! Formulas, with λ the peak, μ what one replica serves at its latency target, ρ = 0.7 and R
//! the regions serving traffic:
//!
//! * rate alone: `ceil(λ / (ρ μ))`;
//! * one region, N + 1: `ceil(λ / (ρ μ)) + 1` from a 99 % target (a lost replica or a rolling
//!   deploy leaves N that still carry the peak at ρ; the "N+1 redundancy" rule of the Google
//!   SRE book, ch. 10/26, and of AWS's Reliability Pillar, "static stability");
//! * several regions: each region carries `λ / (R − 1)` when one region is lost and its traffic
//!   spread over the rest, so `ceil(λ / ((R − 1) ρ μ))` per region, never fewer than
//!   `ceil(λ / (R ρ μ)) + 1` so that a replica lost in a healthy region is absorbed too;
//! * the availability floor, per region: 2 from 99 %, 3 from 99.99 % (a replica lost during a
//!   deploy), 1 below.
//!
//! The admitted rate of one replica is μ itself: the rate the replica was measured to serve at
//! its latency target, less when its worker pool serves less. A per-replica limiter at that
//! rate never bites at the planned peak (each replica runs at ρ or less after any single
//! failure) and sheds exactly what the replica could not serve in time.

/// Highest utilisation a replica is sized for at peak after the worst single failure: headroom
/// for bursts and for the queueing delay that grows steeply past it (M/M/c waits explode as
/// load nears 1).
pub const TARGET_UTILISATION: f64 = 0.7;

/// A fleet's size and what decided it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fleet {
    /// Regions serving traffic (R).
    pub regions: u32,
    /// Replicas in each region.
    pub per_region: u32,
    /// regions × per_region.
    pub count: u32,
    /// Replicas the peak needs at ρ in one place, with no failure: ceil(λ / (ρ μ)).
    pub by_rate: u32,
    /// Replicas per region the worst single failure needs (N + 1, or a region's loss).
    pub by_failure: u32,
    /// The availability floor per region.
    pub by_availability: u32,
    /// Replicas one failure takes away: a region's when R ≥ 2, one when N + 1 applies, none
    /// otherwise.
    pub lost: u32,
    /// Utilisation of each replica at peak with every replica up.
    pub utilisation: f64,
    /// Utilisation of the survivors at peak after the worst single failure.
    pub utilisation_after_loss: f64,
}

impl Fleet {
    /// Replicas left after the worst single failure the fleet is sized for.
    pub fn survivors(&self) -> u32 {
        self.count - self.lost
    }
}

/// Replicas each region needs for any target: 1 below 99 %, 2 from 99 %, 3 from 99.99 %.
pub fn floor(target: f64) -> u32 {
    if target >= 0.9999 {
        3
    } else if target >= 0.99 {
        2
    } else {
        1
    }
}

fn ceil_count(v: f64) -> u32 {
    v.ceil().clamp(1.0, f64::from(u32::MAX / 1024)) as u32
}

/// Sizes the fleet for a peak `peak` (per second), `per_replica` served by one replica (per
/// second), an availability target (a fraction) and the regions serving traffic (at least 1).
pub fn size(peak: f64, per_replica: f64, target: f64, regions: u32) -> Fleet {
    let per = per_replica.max(f64::MIN_POSITIVE);
    let peak = peak.max(0.0);
    let regions = regions.max(1);
    let usable = TARGET_UTILISATION * per;
    let by_rate = ceil_count(peak / usable);
    let by_availability = floor(target);
    // A replica's loss is planned for wherever the target needs more than one replica.
    let spare = u32::from(by_availability >= 2);
    let by_failure = if regions == 1 {
        by_rate + spare
    } else {
        let r = f64::from(regions);
        let region_loss = ceil_count(peak / ((r - 1.0) * usable));
        let replica_loss = ceil_count(peak / (r * usable)) + spare;
        region_loss.max(replica_loss)
    };
    let per_region = by_failure.max(by_availability);
    let count = per_region.saturating_mul(regions);
    let lost = if regions >= 2 {
        per_region
    } else {
        spare.min(count - 1)
    };
    let utilisation = peak / (f64::from(count) * per);
    let utilisation_after_loss = peak / (f64::from(count - lost) * per);
    Fleet {
        regions,
        per_region,
        count,
        by_rate,
        by_failure,
        by_availability,
        lost,
        utilisation,
        utilisation_after_loss,
    }
}

/// The rate one replica admits, per second: what it serves at its latency target
/// (`per_replica`), or what its worker pool serves (`workers / service_time`) when that is
/// less. Every limit of the design derives from it: the per-replica limiter, the global guard
/// (survivors × admitted) and the scaffold's configuration.
pub fn admitted(per_replica: f64, pool_serves: Option<f64>) -> f64 {
    match pool_serves {
        Some(p) if p > 0.0 => per_replica.min(p),
        _ => per_replica,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_region_adds_a_spare_replica_to_the_rate() {
        // The payments ledger: 5k/s over 800/s at 70 %: ceil(5000 / 560) = 9, plus one spare.
        let f = size(5000.0, 800.0, 0.9999, 1);
        assert_eq!((f.by_rate, f.count, f.lost), (9, 10, 1));
        // Nine survivors at 5000 / 7200 = 69.4 %.
        assert!((f.utilisation_after_loss - 5000.0 / 7200.0).abs() < 1e-12);
        assert!((f.utilisation - 0.625).abs() < 1e-12);
    }

    #[test]
    fn a_small_service_keeps_its_availability_floor() {
        let f = size(50.0, 500.0, 0.999, 1);
        assert_eq!((f.by_rate, f.count), (1, 2));
        let f = size(50.0, 500.0, 0.9999, 1);
        assert_eq!(f.count, 3);
        // Below 99 % one replica is accepted, and its loss is an outage the budget absorbs.
        let f = size(50.0, 500.0, 0.95, 1);
        assert_eq!((f.count, f.lost), (1, 0));
    }

    #[test]
    fn several_regions_each_carry_their_share_after_losing_one() {
        // 58 replicas' worth of rate over 30 regions at 99.99 %: the floor decides, 3 per
        // region, 90 in all, not 58 spread thinly.
        let f = size(58.0 * 0.7 * 500.0, 500.0, 0.9999, 30);
        assert_eq!((f.per_region, f.count), (3, 90));
        // Two regions: each must carry the whole peak alone. 10k/s over 1k/s at 70 %:
        // ceil(10000 / 700) = 15 per region.
        let f = size(10_000.0, 1000.0, 0.999, 2);
        assert_eq!((f.per_region, f.count, f.lost), (15, 30, 15));
        assert!(f.utilisation_after_loss <= TARGET_UTILISATION + 1e-12);
        // Three regions: ceil(10000 / (2 x 700)) = 8 per region.
        let f = size(10_000.0, 1000.0, 0.999, 3);
        assert_eq!(f.per_region, 8);
    }

    #[test]
    fn the_admitted_rate_is_the_lesser_of_the_replica_and_its_pool() {
        assert_eq!(admitted(800.0, Some(1200.0)), 800.0);
        assert_eq!(admitted(800.0, Some(600.0)), 600.0);
        assert_eq!(admitted(800.0, None), 800.0);
    }

    proptest! {
        #[test]
        fn the_survivors_of_any_single_failure_carry_the_peak_under_the_target(
            peak in 0.0f64..1e7,
            per in 1.0f64..1e5,
            target in 0.9f64..0.99999,
            regions in 1u32..40,
        ) {
            let f = size(peak, per, target, regions);
            prop_assert_eq!(f.count, f.per_region * f.regions);
            prop_assert!(f.per_region >= floor(target));
            if regions >= 2 {
                // A region's share with one region lost.
                let share = peak / f64::from(regions - 1);
                prop_assert!(share <= f64::from(f.per_region) * TARGET_UTILISATION * per * (1.0 + 1e-9));
            }
            if f.lost > 0 {
                prop_assert!(peak <= f64::from(f.survivors()) * TARGET_UTILISATION * per * (1.0 + 1e-9));
                prop_assert!(f.utilisation_after_loss <= TARGET_UTILISATION * (1.0 + 1e-9));
            }
            // A replica lost in a healthy region of several is absorbed too.
            if regions >= 2 && floor(target) >= 2 {
                let region = peak / f64::from(regions);
                prop_assert!(region <= f64::from(f.per_region - 1) * TARGET_UTILISATION * per * (1.0 + 1e-9));
            }
        }

        #[test]
        fn replicas_never_decrease_when_the_peak_grows(
            peak in 0.0f64..1e7,
            factor in 1.0f64..10.0,
            per in 1.0f64..1e5,
            target in 0.9f64..0.99999,
            regions in 1u32..40,
        ) {
            let a = size(peak, per, target, regions);
            let b = size(peak * factor, per, target, regions);
            prop_assert!(a.count <= b.count);
        }
    }
}
