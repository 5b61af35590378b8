//! The data and templates compiled into the binary: `rules/`, `models/` and `templates/`.
//!
//! A copied binary works anywhere because these folders are embedded at build time: the
//! templates as a folder, the rules and models as tables `build.rs` writes, each file with
//! its YAML and the same document as JSON, which parses ten times faster (start-up is
//! mostly reading these files).
//! `--rules DIR` / `--templates DIR` (or `TRADEOFF_RULES` / `TRADEOFF_TEMPLATES`) add files
//! or override embedded ones of the same name; the first hit wins: the user folder, then the
//! embedded copy.

use include_dir::{Dir, include_dir};

/// One embedded YAML file of `rules/` or `models/`.
#[derive(Debug)]
pub struct File {
    /// The file name (`scale.yaml`).
    pub name: &'static str,
    /// Its YAML text.
    pub text: &'static str,
    /// The same document as JSON, converted by `build.rs`; `None` when the YAML has something
    /// JSON cannot say, or does not parse (its diagnostics then come from the YAML).
    pub compiled: Option<&'static str>,
}

// `RULES` (decision trees, one file per tree) and `MODELS` (pattern catalog, packs, reference
// stacks, databases, anti-patterns, constraints), written by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/compiled.rs"));

/// The embedded file `name` of a table, e.g. `file(MODELS, "patterns.yaml")`.
pub fn file(table: &'static [File], name: &str) -> Option<&'static File> {
    table.iter().find(|f| f.name == name)
}

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
    /// The file's text (borrowed from the binary for embedded files).
    pub text: std::borrow::Cow<'static, str>,
    /// The same document as JSON, converted at build time (embedded files only; see
    /// `build.rs`): read instead of the YAML because it parses ten times faster.
    pub compiled: Option<&'static str>,
}

impl Source {
    /// A user's file, read from `path`.
    pub fn user(path: String, text: String) -> Source {
        Source {
            path,
            origin: Origin::User,
            text: text.into(),
            compiled: None,
        }
    }

    /// Parses the document into `T`: from its build-time JSON when there is one, else (or
    /// should the JSON not fit `T`) from the YAML, whose errors carry the line.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, crate::yaml::Error> {
        parse(self.compiled, &self.text, &self.path)
    }

    /// The same file without its build-time JSON, so that it is read as YAML.
    pub fn uncompiled(&self) -> Source {
        Source {
            compiled: None,
            ..self.clone()
        }
    }
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

/// Parses a document into `T` from `compiled` (its build-time JSON) when there is one and it
/// fits, else from the YAML `text` read from `path`.
pub fn parse<T: serde::de::DeserializeOwned>(
    compiled: Option<&str>,
    text: &str,
    path: &str,
) -> Result<T, crate::yaml::Error> {
    if let Some(parsed) = compiled.and_then(|j| serde_json::from_str(j).ok()) {
        return Ok(parsed);
    }
    crate::yaml::from_str(text, path)
}

/// The files of an embedded table as sources named `{prefix}/{name}`, sorted by name.
pub fn yaml_files(table: &'static [File], prefix: &str) -> Vec<Source> {
    table
        .iter()
        .map(|f| Source {
            path: format!("{prefix}/{}", f.name),
            origin: Origin::Embedded,
            text: f.text.into(),
            compiled: f.compiled,
        })
        .collect()
}
