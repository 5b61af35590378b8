//! The pattern catalog, packs, reference stacks, databases and anti-patterns (typed views of
//! `models/`).
//!
//! Five files make up the catalog: `models/patterns.yaml`, `packs.yaml`, `stacks.yaml`,
//! `databases.yaml` and `antipatterns.yaml` (formats in docs/patterns.md), plus the
//! constraints the advisor's resolution step applies (`constraints.yaml` and any
//! `constraints-*.yaml`, format in docs/rules.md). Loading parses
//! them all and then cross-checks every reference, collecting every problem before failing,
//! so a [`Catalog`] that exists is internally consistent: every id it mentions resolves,
//! pack membership agrees in both directions, and pack user bands are gap-free.

/// Defines a fieldless enum written in YAML and on the command line by fixed names, with
/// `ALL`, `as_str`, `Display` and a `FromStr` whose error lists every accepted name.
macro_rules! kebab_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in the model file and on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::catalog::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::catalog::UnknownValue {
                        what: $what,
                        value: s.to_string(),
                        accepted: $name::ALL.iter().map(|v| v.as_str()).collect(),
                    })
            }
        }
    };
}
pub(crate) use kebab_enum;

mod antipattern;
pub mod constraint;
mod database;
mod error;
mod load;
mod pack;
mod pattern;
mod stack;

pub use antipattern::Antipattern;
pub use constraint::Constraints;
pub use database::{Cap, DataModel, Database, Pacelc};
pub use error::{Code, Diagnostic, Error, UnknownValue};
pub use pack::Pack;
pub use pattern::{Category, Checklist, Complexity, Pattern, Tradeoffs};
pub use stack::{Stack, Step};

use crate::embedded::Source;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The whole catalog, validated: every reference between its files resolves.
#[derive(Debug, Clone)]
pub struct Catalog {
    patterns: Vec<Pattern>,
    packs: Vec<Pack>,
    stacks: Vec<Stack>,
    databases: Vec<Database>,
    antipatterns: Vec<Antipattern>,
    constraints: Constraints,
    index: HashMap<String, usize>,
}

impl Catalog {
    /// Loads and validates the catalog compiled into the binary.
    pub fn embedded() -> Result<Catalog, Error> {
        Catalog::from_sources(&crate::embedded::yaml_files(
            crate::embedded::MODELS,
            "models",
        ))
    }

    /// [`Catalog::embedded`], read from the YAML sources rather than their build-time JSON:
    /// what `rules check` validates.
    pub fn embedded_yaml() -> Result<Catalog, Error> {
        let sources: Vec<Source> = crate::embedded::yaml_files(crate::embedded::MODELS, "models")
            .iter()
            .map(Source::uncompiled)
            .collect();
        Catalog::from_sources(&sources)
    }

    /// The embedded catalog, loaded once per process. A broken embedded catalog gives the
    /// same error on every call.
    pub fn get() -> Result<&'static Catalog, Error> {
        static CELL: OnceLock<Result<Catalog, Error>> = OnceLock::new();
        CELL.get_or_init(Catalog::embedded)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Loads and validates a catalog from its five files, found among `sources` by file stem
    /// (`patterns`, `packs`, `stacks`, `databases`, `antipatterns`). Every problem in every
    /// file is reported at once.
    pub fn from_sources(sources: &[Source]) -> Result<Catalog, Error> {
        let parts = load::load(sources)?;
        let index = parts
            .patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Ok(Catalog {
            patterns: parts.patterns,
            packs: parts.packs,
            stacks: parts.stacks,
            databases: parts.databases,
            antipatterns: parts.antipatterns,
            constraints: parts.constraints,
            index,
        })
    }

    /// Every pattern, in file order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// The pattern with this id.
    pub fn pattern(&self, id: &str) -> Option<&Pattern> {
        self.index.get(id).map(|&i| &self.patterns[i])
    }

    /// The closest known pattern id to `id`, for "did you mean" hints.
    pub fn suggest(&self, id: &str) -> Option<String> {
        closest(id, self.patterns.iter().map(|p| p.id.as_str())).map(str::to_string)
    }

    /// The categories that have at least one pattern, in [`Category::ALL`] order.
    pub fn categories(&self) -> Vec<Category> {
        Category::ALL
            .iter()
            .copied()
            .filter(|c| self.patterns.iter().any(|p| p.category == *c))
            .collect()
    }

    /// Every pack, smallest scale first.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// The pack with this id.
    pub fn pack(&self, id: &str) -> Option<&Pack> {
        self.packs.iter().find(|p| p.id == id)
    }

    /// The pack whose user band holds `users` monthly active users.
    pub fn pack_for_users(&self, users: f64) -> Option<&Pack> {
        self.packs.iter().find(|p| p.contains(users))
    }

    /// The packs a system at pack `id` needs: that pack and every smaller one, smallest first.
    /// Empty if the id is unknown.
    pub fn cumulative(&self, id: &str) -> Vec<&Pack> {
        match self.pack(id) {
            Some(top) => self.packs.iter().filter(|p| p.order <= top.order).collect(),
            None => Vec::new(),
        }
    }

    /// Every reference stack, in file order.
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }

    /// The reference stack with this id.
    pub fn stack(&self, id: &str) -> Option<&Stack> {
        self.stacks.iter().find(|s| s.id == id)
    }

    /// Every database, in file order.
    pub fn databases(&self) -> &[Database] {
        &self.databases
    }

    /// The database with this id.
    pub fn database(&self, id: &str) -> Option<&Database> {
        self.databases.iter().find(|d| d.id == id)
    }

    /// Every anti-pattern, in file order.
    pub fn antipatterns(&self) -> &[Antipattern] {
        &self.antipatterns
    }

    /// The constraints of `models/constraints*.yaml`, checked against the catalog.
    pub fn constraints(&self) -> &Constraints {
        &self.constraints
    }

    /// Reads further constraints files (a team's, from `--rules DIR`), checked against this
    /// catalog's pattern and pack ids; every problem is reported.
    pub fn read_constraints(&self, sources: &[&Source]) -> Result<Constraints, Error> {
        let patterns = self.patterns.iter().map(|p| p.id.clone()).collect();
        let packs = self.packs.iter().map(|p| p.id.clone()).collect();
        let (c, diagnostics) = load::constraints(sources, Some(patterns), Some(packs));
        if diagnostics.is_empty() {
            Ok(c)
        } else {
            Err(Error { diagnostics })
        }
    }

    /// The anti-pattern with this id.
    pub fn antipattern(&self, id: &str) -> Option<&Antipattern> {
        self.antipatterns.iter().find(|a| a.id == id)
    }
}

pub use crate::suggest::closest;

#[cfg(test)]
mod tests;
