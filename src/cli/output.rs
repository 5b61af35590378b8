//! Output of read-only commands: a comfy-table table plus interpretation lines for people,
//! or the same data as JSON or YAML for scripts.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;
use std::io::Write;

/// How a read-only command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// A table and a line of interpretation.
    #[default]
    Table,
    /// The same data as JSON (numbers in base units: seconds, bytes, fractions).
    Json,
    /// The same data as YAML.
    Yaml,
}

/// The `--format` flag, flattened into every read-only command.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Writes a chart to `path` safely: atomically (never half-written), and never over a file
/// that is not an SVG (a mistyped `--plot README.md` must not destroy it). A refused path
/// is an input error (exit 2); a failed write is a runtime error (exit 1).
pub fn write_plot(flag: &str, path: &std::path::Path, svg: &str) -> anyhow::Result<()> {
    let shown = path.display();
    if path.is_dir() {
        return Err(super::usage(format!(
            "{flag} {shown} is a folder; accepted: a file path such as chart.svg"
        )));
    }
    if std::fs::symlink_metadata(path).is_ok() {
        let is_svg = crate::input::read(path).is_ok_and(|t| {
            let t = t.trim_start();
            t.starts_with("<svg") || t.starts_with("<?xml")
        });
        if !is_svg {
            return Err(super::usage(format!(
                "{flag} {shown}: the file exists and is not an SVG; not overwriting it (remove it or choose another path)"
            )));
        }
    }
    crate::render::write::atomic(path, svg.as_bytes()).map_err(|e| {
        anyhow::anyhow!(
            "cannot write the chart to {shown}: {}; nothing was written",
            crate::input::describe(&e)
        )
    })
}

/// A table with the house style: condensed UTF-8 borders, wrapped to the terminal.
pub fn table<I, S>(header: I) -> Table
where
    I: IntoIterator<Item = S>,
    S: Into<comfy_table::Cell>,
{
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    // Off a terminal (pipes, CI logs) wrap to a fixed width so output is the same everywhere.
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        t.set_width(140);
    }
    t
}

/// Prints `data` as JSON or YAML, or calls `human` for the table form.
pub fn emit<T: Serialize>(
    format: Format,
    data: &T,
    human: impl FnOnce(&T) -> String,
) -> anyhow::Result<()> {
    let text = match format {
        Format::Table => {
            let mut s = human(data);
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
        Format::Json => serde_json::to_string_pretty(data)? + "\n",
        Format::Yaml => crate::yaml::to_string(data),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    Ok(())
}
