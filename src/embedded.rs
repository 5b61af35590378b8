//! The data and templates compiled into the binary: `rules/`, `models/` and `templates/`.
//!
//! A copied binary works anywhere because these folders are embedded at build time.
//! `--rules DIR` / `--templates DIR` (or `TRADEOFF_RULES` / `TRADEOFF_TEMPLATES`) add files
//! or override embedded ones of the same name; the first hit wins: the user folder, then the
//! embedded copy.

use include_dir::{Dir, include_dir};

/// Decision trees, one YAML file per tree.
pub static RULES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");
/// Pattern catalog, packs, reference stacks, databases, anti-patterns.
pub static MODELS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/models");
/// minijinja templates for docs, ADRs, scaffold and alerts.
pub static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// One embedded or user-supplied text file with the name it is reported under.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path shown in messages: `rules/scale.yaml` for embedded files (with an
    /// `(embedded)` origin), or the real path for user files.
    pub path: String,
    /// Where it came from, for `rules check`.
    pub origin: Origin,
    /// The file's text.
    pub text: String,
}

/// Where a [`Source`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Compiled into the binary.
    Embedded,
    /// Read from a user folder (`--rules DIR` and friends).
    User,
}

/// The `.yaml`/`.yml` files of an embedded folder, sorted by name.
pub fn yaml_files(dir: &Dir<'static>, prefix: &str) -> Vec<Source> {
    let mut out: Vec<Source> = dir
        .files()
        .filter(|f| {
            f.path()
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml")
        })
        .map(|f| Source {
            path: format!("{prefix}/{}", f.path().display()),
            origin: Origin::Embedded,
            text: f.contents_utf8().unwrap_or_default().to_string(),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
