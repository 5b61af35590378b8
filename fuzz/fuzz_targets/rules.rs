//! A user rule file (arbitrary text) added to the embedded rules: `Rules::build` must return
//! rules or diagnostics, never panic or hang. When it builds, `rules graph` output for every
//! tree is drawn too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradeoff::advisor::rules::{Read, Rules};
use tradeoff::advisor::{diagram, load};
use tradeoff::catalog::Catalog;
use tradeoff::embedded::{RULES, Source, yaml_files};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(catalog) = Catalog::get() else {
        return;
    };
    let vocab = load::vocabulary(catalog);
    // The input both as a new tree and as an override of an embedded one (same stem).
    for path in ["user/fuzz.yaml", "user/scale.yaml"] {
        let stem = path.trim_start_matches("user/");
        let mut sources: Vec<Source> = yaml_files(&RULES, "rules")
            .into_iter()
            .filter(|s| !s.path.ends_with(stem))
            .collect();
        sources.push(Source::user(path.into(), text.to_string()));
        match Rules::build(Read::new(sources), &vocab) {
            Ok(rules) => {
                for t in &rules.trees {
                    let _ = diagram::mermaid(&rules, &t.id);
                    let _ = diagram::dot(&rules, &t.id);
                }
            }
            Err(diags) => {
                let _ = diags.to_string();
            }
        }
    }
});
