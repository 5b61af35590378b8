//! A USL measurements CSV (arbitrary text): parse, fit, predict at the measured points and
//! draw the plot.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradeoff::capacity::usl;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(points) = usl::parse_csv(text, "data.csv") else {
        return;
    };
    if let Ok(fit) = usl::fit(&points, "data.csv") {
        let _ = usl::plot_svg(&fit);
    }
});
