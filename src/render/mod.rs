//! Rendering artifacts from a design: the minijinja environment ([`env`]), safe file
//! writing ([`write`]), and the renderers: architecture docs ([`docs`]) and Prometheus
//! alerts ([`alerts`]). Renderers build [`write::Artifact`]s; only `write` touches the disk.

pub mod adr;
pub mod alerts;
pub mod docs;
pub mod env;
pub mod job;
pub mod numbers;
pub mod risks;
pub mod scaffold;
pub mod service;
pub mod write;

#[cfg(test)]
pub(crate) mod fixture;

/// The ADR flavours tradeoff writes and reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flavour {
    /// MADR 4: YAML front matter (status, date, decision-makers); folder docs/decisions.
    #[default]
    Madr,
    /// Michael Nygard's format as adr-tools writes it: `# N. Title`, `## Status`; folder doc/adr.
    Nygard,
    /// MADR 2 bullets under the title (`- Status: proposed`), as log4brains reads them.
    Log4brains,
}
