//! An SLO alert tiers file (arbitrary text): parse, then build the alert table for a few SLOs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradeoff::capacity::slo;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tiers) = slo::parse_tiers(text, "tiers.yaml") else {
        return;
    };
    for target in [0.9, 0.999, 0.99999] {
        let _ = slo::alert_table(target, 30.0 * 86_400.0, &tiers);
    }
});
