//! A design file (arbitrary text): `Design::from_yaml`, and what it reads writes back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradeoff::design::Design;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = Design::from_yaml(text, "design.yaml") {
        let _ = d.to_yaml();
    }
});
