//! Contradictions (`models/contradictions.yaml`): combinations of packs, outcomes and
//! patterns that pull in different directions, e.g. the Scale pack's sharding against a data
//! size that does not need it yet. Same shape as an anti-pattern: a detector condition, why it
//! matters, and the patterns that resolve it.

use crate::catalog::{Antipattern, Catalog};
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    contradictions: Vec<Antipattern>,
}

/// The embedded contradictions, parsed once; `instead` ids are checked against the catalog.
pub fn embedded(catalog: &Catalog) -> Result<&'static [Antipattern], String> {
    static CELL: OnceLock<Result<Vec<Antipattern>, String>> = OnceLock::new();
    let all = CELL.get_or_init(|| {
        let file = crate::embedded::MODELS
            .get_file("contradictions.yaml")
            .and_then(|f| f.contents_utf8())
            .ok_or("models/contradictions.yaml is missing")?;
        let parsed: File =
            crate::yaml::from_str(file, "models/contradictions.yaml").map_err(|e| e.to_string())?;
        Ok(parsed.contradictions)
    });
    let all = all.as_ref().map_err(Clone::clone)?;
    for c in all {
        for id in &c.instead {
            if catalog.pattern(id).is_none() {
                return Err(format!(
                    "models/contradictions.yaml: `{}` names unknown pattern `{id}`",
                    c.id
                ));
            }
        }
    }
    Ok(all)
}
