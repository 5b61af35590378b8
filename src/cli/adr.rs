//! `tradeoff adr new|list|supersede`: decision records by hand, in any of the three flavours,
//! next to the ones `tradeoff render --adr` writes. Parses arguments and prints; finding the
//! folder, numbering and superseding live in [`crate::render::adr::store`].

use super::{emit, table, usage};
use crate::render::Flavour;
use crate::render::adr::store::{self, parse_date};
use crate::render::adr::{Record, Status};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where records go without `--dir`, for `tradeoff adr --help`.
pub const FOLDERS: &str = "Without --dir, records live where each flavour's own tool keeps them:
  madr        docs/decisions
  nygard      the folder named in the nearest .adr-dir, else the nearest doc/adr (walking up, as adr-tools does), else doc/adr
  log4brains  project.adrFolder of the nearest .log4brains.yml, else docs/adr
Without --flavour either, the first of these that exists is used, and `new` takes the flavour of the folder's newest record.";

/// `tradeoff adr ...`
#[derive(Debug, clap::Subcommand)]
pub enum Args {
    /// Create a blank record with the next free number and print its path.
    New(NewArgs),
    /// List the records of a folder (number, title, status, date), whatever their flavour.
    List {
        #[command(flatten)]
        dir: DirArg,
        #[command(flatten)]
        format: super::FormatArg,
    },
    /// Create a record that replaces record N, and mark N as superseded by it.
    Supersede {
        /// The number of the record being replaced.
        number: u32,
        /// The new record's title.
        title: String,
        #[command(flatten)]
        dir: DirArg,
        /// Date written into the new record (YYYY-MM-DD); default: today (UTC).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<String>,
        /// Who made the decision (comma-separated).
        #[arg(long, value_name = "NAMES", value_delimiter = ',')]
        deciders: Vec<String>,
    },
}

/// The records folder flag.
#[derive(Debug, Clone, clap::Args)]
pub struct DirArg {
    /// The records folder (default: the flavour's usual folder, see `tradeoff adr --help`).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Arguments of `tradeoff adr new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The record's title.
    pub title: String,
    #[command(flatten)]
    pub dir: DirArg,
    /// Status of the new record.
    #[arg(long, value_enum, default_value_t = super::value::Status::Proposed)]
    pub status: super::value::Status,
    /// Flavour (default: that of the folder's newest record, else madr).
    #[arg(long, value_enum)]
    pub flavour: Option<super::value::Flavour>,
    /// Date written into the record (YYYY-MM-DD); default: today (UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<String>,
    /// Who made the decision (comma-separated).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub deciders: Vec<String>,
}

pub fn run(args: Args, templates: Option<&Path>) -> anyhow::Result<()> {
    match args {
        Args::New(a) => new(a, templates),
        Args::List { dir, format } => list(dir, format.format),
        Args::Supersede {
            number,
            title,
            dir,
            date,
            deciders,
        } => supersede(number, title, dir, date, deciders, templates),
    }
}

/// Maps a records-folder error to the exit code it deserves.
pub fn store_error(e: store::Error) -> anyhow::Error {
    match e {
        store::Error::Io(_) => anyhow::Error::new(e),
        other => usage(other),
    }
}

fn cwd() -> anyhow::Result<PathBuf> {
    Ok(std::env::current_dir()?)
}

fn new(a: NewArgs, templates: Option<&Path>) -> anyhow::Result<()> {
    let given = a.flavour.map(Flavour::from);
    let (dir, by_folder) =
        store::folder(a.dir.dir.as_deref(), given, &cwd()?).map_err(store_error)?;
    let flavour = store::flavour_for(&dir, given, by_folder).map_err(store_error)?;
    let env = crate::render::env::environment(templates).map_err(usage)?;
    let record = store::NewRecord {
        title: a.title,
        status: a.status.into(),
        date: a.date.unwrap_or_else(store::today),
        deciders: a.deciders,
    };
    let path = store::new_record(&env, &dir, flavour, &record).map_err(store_error)?;
    writeln!(std::io::stdout().lock(), "{}", path.display())?;
    Ok(())
}

fn supersede(
    number: u32,
    title: String,
    dir: DirArg,
    date: Option<String>,
    deciders: Vec<String>,
    templates: Option<&Path>,
) -> anyhow::Result<()> {
    let (dir, _) = store::folder(dir.dir.as_deref(), None, &cwd()?).map_err(store_error)?;
    let env = crate::render::env::environment(templates).map_err(usage)?;
    let record = store::NewRecord {
        title,
        status: Status::Accepted,
        date: date.unwrap_or_else(store::today),
        deciders,
    };
    let done = store::supersede(&env, &dir, number, &record).map_err(store_error)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", done.new.display())?;
    writeln!(
        out,
        "{} is now superseded by record {}",
        done.old.display(),
        done.number
    )?;
    Ok(())
}

fn status_cell(r: &Record) -> String {
    match (r.status.as_str(), r.superseded_by) {
        ("", _) => "-".into(),
        ("superseded", Some(n)) => format!("superseded by {n}"),
        (s, _) => s.to_string(),
    }
}

fn list(dir: DirArg, format: super::Format) -> anyhow::Result<()> {
    let (dir, _) = store::folder(dir.dir.as_deref(), None, &cwd()?).map_err(store_error)?;
    store::require_dir(&dir).map_err(store_error)?;
    let records = store::parsed(&store::read_records(&dir).map_err(store_error)?);
    emit(format, &records, |rs| {
        let mut t = table(["#", "title", "status", "date", "file"]);
        for r in rs {
            t.add_row([
                r.number.map_or_else(|| "-".into(), |n| n.to_string()),
                r.title.clone(),
                status_cell(r),
                r.date.clone().unwrap_or_else(|| "-".into()),
                r.file.clone(),
            ]);
        }
        let mut counts: Vec<(String, usize)> = Vec::new();
        for r in rs {
            let s = if r.status.is_empty() {
                "no status".to_string()
            } else {
                r.status.clone()
            };
            match counts.iter_mut().find(|(k, _)| *k == s) {
                Some((_, c)) => *c += 1,
                None => counts.push((s, 1)),
            }
        }
        let mut dup: Vec<u32> = rs
            .windows(2)
            .filter(|w| w[0].number.is_some() && w[0].number == w[1].number)
            .filter_map(|w| w[0].number)
            .collect();
        dup.dedup();
        let summary = counts
            .iter()
            .map(|(k, c)| format!("{c} {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut s = if rs.is_empty() {
            format!("No records in {}.", dir.display())
        } else {
            format!("{t}\n{} records in {}: {summary}.", rs.len(), dir.display())
        };
        if !dup.is_empty() {
            let d: Vec<String> = dup.iter().map(u32::to_string).collect();
            s.push_str(&format!(" Numbers used twice: {}.", d.join(", ")));
        }
        s
    })
}
