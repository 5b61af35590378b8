//! Designs for renderer tests, built exactly the way `tradeoff advise --out` builds them.

use crate::advisor::{Answers, load, walk};
use crate::catalog::Catalog;
use crate::design::Design;

/// The design for `examples/<name>.yaml`, answering every other question by its default.
pub fn design(name: &str) -> Design {
    let catalog = Catalog::get().unwrap();
    let rules = load::load(None, catalog).unwrap();
    let path = format!("{}/examples/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let answers = Answers::from_yaml(&text, &path).unwrap();
    let packs: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
    let walked = walk(
        &rules,
        &answers,
        &[],
        &packs,
        &mut crate::advisor::walk::NoPrompt,
    )
    .unwrap();
    Design::build(&rules, &walked, catalog)
}
