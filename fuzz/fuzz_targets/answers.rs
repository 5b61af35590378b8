//! An answers file (arbitrary text): read, check against the embedded rules, walk without a
//! terminal, recommend, run the design's estimates and write the design file back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradeoff::advisor::recommendation::{recommend, used_answers};
use tradeoff::advisor::walk::NoPrompt;
use tradeoff::advisor::{Answers, load, walk};
use tradeoff::catalog::Catalog;
use tradeoff::design::{Design, SCHEMA, estimate, generator};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(catalog) = Catalog::get() else {
        return;
    };
    let Ok(rules) = load::load(None, catalog) else {
        return;
    };
    let Ok(answers) = Answers::from_yaml(text, "answers.yaml") else {
        return;
    };
    if answers.check(&rules).is_err() {
        return;
    }
    let packs: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
    let Ok(walked) = walk(&rules, &answers, &[], &packs, &mut NoPrompt) else {
        return;
    };
    let rec = recommend(&rules, &walked, catalog);
    let (estimates, settings) = estimate::estimates(&walked, &rec);
    let design = Design {
        schema: SCHEMA,
        generator: generator(),
        answers: used_answers(&walked),
        recommendation: rec,
        estimates,
        settings,
    };
    let yaml = design.to_yaml();
    let back = Design::from_yaml(&yaml, "design.yaml");
    assert!(back.is_ok(), "a written design does not read back: {back:?}\n{yaml}");
});
