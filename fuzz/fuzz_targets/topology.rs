//! A topology file (arbitrary text): parse, solve exactly when it is small enough, and run a
//! short Monte Carlo simulation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradeoff::capacity::topology;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(t) = topology::parse(text, "topology.yaml") else {
        return;
    };
    if let Ok(s) = topology::solve(&t) {
        assert!(
            (0.0..=1.0).contains(&s.unavailability),
            "unavailability {} out of range",
            s.unavailability
        );
    }
    if t.components.len() <= 10_000 {
        let e = topology::simulate(&t, 64, 1, 0.95);
        assert!(e.low <= e.high);
    }
});
