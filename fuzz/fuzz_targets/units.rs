//! Every `units::parse_*` on arbitrary text, and every formatter on what they return.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradeoff::units;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for line in text.lines().take(16) {
        let parsed = [
            units::parse_duration(line),
            units::parse_size(line),
            units::parse_count(line),
            units::parse_rate(line),
            units::parse_availability(line),
            units::parse_percent(line),
            units::parse_growth(line),
        ];
        for v in parsed.into_iter().flatten() {
            assert!(v.is_finite(), "{line:?} parsed to {v}");
            let _ = units::format_duration(v);
            let _ = units::format_bytes(v);
            let _ = units::format_count(v);
            let _ = units::format_percent(v);
            let _ = units::trim_float(v, 3);
        }
    }
    // The formatters also take any float the models may produce.
    if data.len() >= 8 {
        let v = f64::from_le_bytes(data[..8].try_into().unwrap_or([0; 8]));
        let _ = units::format_duration(v);
        let _ = units::format_bytes(v);
        let _ = units::format_count(v);
        let _ = units::format_percent(v);
    }
});
