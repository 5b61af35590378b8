//! `tradeoff adr new|list|supersede`: decision records by hand, in any of the three flavours,
//! next to the ones `tradeoff render --adr` writes.
//!
//! Where records live when `--dir` is absent, as each flavour's own tool decides:
//! * madr: `docs/decisions`;
//! * nygard: the folder named in the nearest `.adr-dir`, else the nearest `doc/adr`, walking
//!   up from the current folder (as adr-tools does), else `doc/adr`;
//! * log4brains: `project.adrFolder` of the nearest `.log4brains.yml`, else `docs/adr`.
//!
//! Without `--flavour` either, the first of those folders that exists is used, and a new
//! record takes the flavour of the folder's newest record.

use super::render::parse_date;
use super::{emit, table, usage};
use crate::render::Flavour;
use crate::render::adr::{self, Blank, Link, Record, Status, record, view::Meta};
use serde::Deserialize;
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
        } => supersede(number, &title, dir, date, deciders, templates),
    }
}

/// The record files of a folder (name and text), sorted by name. Files that are not UTF-8
/// are left out: they are nobody's decision record.
pub fn read_records(dir: &Path) -> anyhow::Result<Vec<adr::Existing>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(anyhow::anyhow!("cannot read {}: {e}", dir.display())),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        if !record::is_record_file(&name) || !entry.path().is_file() {
            continue;
        }
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => out.push(adr::Existing { file: name, text }),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {}
            Err(e) => {
                return Err(anyhow::anyhow!(
                    "cannot read {}: {e}",
                    entry.path().display()
                ));
            }
        }
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(out)
}

fn parsed(existing: &[adr::Existing]) -> Vec<Record> {
    let mut rs: Vec<Record> = existing
        .iter()
        .map(|e| record::parse(&e.file, &e.text))
        .collect();
    // Numbered records by number, then the date-named ones by name.
    rs.sort_by(|a, b| {
        (a.number.is_none(), a.number, &a.file).cmp(&(b.number.is_none(), b.number, &b.file))
    });
    rs
}

/// The folders from `from` up to the root, as paths relative to `from` (`.`, `..`, ...),
/// paired with their absolute form.
fn ancestors(from: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut rel = PathBuf::new();
    let mut out = Vec::new();
    for abs in from.ancestors() {
        out.push((rel.clone(), abs.to_path_buf()));
        rel.push("..");
    }
    out
}

#[derive(Deserialize)]
struct Log4brainsConfig {
    project: Log4brainsProject,
}

#[derive(Deserialize)]
struct Log4brainsProject {
    #[serde(rename = "adrFolder")]
    adr_folder: Option<String>,
}

/// Where a flavour's own tool would put records, if its marker (config file or folder) is
/// found; `None` when nothing points there.
fn configured_dir(flavour: Flavour, cwd: &Path) -> anyhow::Result<Option<PathBuf>> {
    Ok(match flavour {
        Flavour::Madr => {
            Some(PathBuf::from(flavour.default_dir())).filter(|d| cwd.join(d).is_dir())
        }
        Flavour::Nygard => {
            let mut found = None;
            for (rel, abs) in ancestors(cwd) {
                let marker = abs.join(".adr-dir");
                if marker.is_file() {
                    let text = std::fs::read_to_string(&marker)
                        .map_err(|e| usage(format!("cannot read {}: {e}", marker.display())))?;
                    found = Some(rel.join(text.trim()));
                    break;
                }
                if abs.join("doc/adr").is_dir() {
                    found = Some(rel.join("doc/adr"));
                    break;
                }
            }
            found
        }
        Flavour::Log4brains => {
            let mut found = None;
            for (rel, abs) in ancestors(cwd) {
                let config = abs.join(".log4brains.yml");
                if config.is_file() {
                    let text = std::fs::read_to_string(&config)
                        .map_err(|e| usage(format!("cannot read {}: {e}", config.display())))?;
                    let c: Log4brainsConfig =
                        crate::yaml::from_str(&text, &config.display().to_string())?;
                    let folder = c
                        .project
                        .adr_folder
                        .unwrap_or_else(|| flavour.default_dir().to_string());
                    found = Some(rel.join(folder.trim_start_matches("./")));
                    break;
                }
            }
            found
        }
    }
    .map(|p| {
        // `./doc/adr` reads better as `doc/adr`.
        p.components().collect::<PathBuf>()
    }))
}

/// The records folder and the flavour that pointed to it (if any).
fn folder(
    dir: Option<&Path>,
    flavour: Option<Flavour>,
) -> anyhow::Result<(PathBuf, Option<Flavour>)> {
    if let Some(d) = dir {
        return Ok((d.to_path_buf(), flavour));
    }
    let cwd = std::env::current_dir()?;
    if let Some(f) = flavour {
        let d = configured_dir(f, &cwd)?.unwrap_or_else(|| f.default_dir().into());
        return Ok((d, Some(f)));
    }
    for f in [Flavour::Madr, Flavour::Nygard, Flavour::Log4brains] {
        if let Some(d) = configured_dir(f, &cwd)? {
            return Ok((d, Some(f)));
        }
    }
    Ok((Flavour::Madr.default_dir().into(), None))
}

fn require_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(usage(format!(
            "records folder {} does not exist; pass --dir DIR, or create the flavour's folder (madr: docs/decisions, nygard: doc/adr or the folder in .adr-dir, log4brains: adrFolder of .log4brains.yml)",
            dir.display()
        )))
    }
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil(i64::try_from(secs / 86_400).unwrap_or(0));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Creates record `NNNN-title.md` with the next free number, never reusing a number another
/// process takes at the same moment: the folder is locked while choosing (where the system
/// allows), the file is created with `create_new` (O_EXCL), and after creating it the folder
/// is scanned again; if another file took the same number meanwhile, this one steps back and
/// tries the next number. Of two racing files at most one keeps a number: whichever scans
/// last sees the other.
fn create(
    dir: &Path,
    title: &str,
    lock: bool,
    content: impl Fn(u32, &str) -> anyhow::Result<String>,
) -> anyhow::Result<(u32, PathBuf)> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    // Best effort: flock on the folder serialises tradeoff processes on one machine.
    let _lock = lock
        .then(|| {
            std::fs::File::open(dir)
                .and_then(|f| f.lock().map(|()| f))
                .ok()
        })
        .flatten();
    let numbers = |dir: &Path| -> anyhow::Result<Vec<(u32, String)>> {
        Ok(read_dir_names(dir)?
            .into_iter()
            .filter_map(|n| record::number_of(&n).map(|k| (k, n)))
            .collect())
    };
    for attempt in 0..100u32 {
        let taken = numbers(dir)?;
        let n = taken.iter().map(|(k, _)| *k).max().unwrap_or(0) + 1;
        let name = record::file_name(n, title);
        let path = dir.join(&name);
        let text = content(n, &name)?;
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(anyhow::anyhow!("cannot create {}: {e}", path.display())),
        };
        if numbers(dir)?
            .iter()
            .any(|(k, other)| *k == n && *other != name)
        {
            drop(file);
            std::fs::remove_file(&path)?;
            // Let the racing process finish its scan before trying again.
            std::thread::sleep(std::time::Duration::from_millis(
                u64::from(std::process::id() % 7 + attempt % 5) * 3,
            ));
            continue;
        }
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        return Ok((n, path));
    }
    Err(anyhow::anyhow!(
        "could not find a free record number in {} after 100 attempts",
        dir.display()
    ))
}

fn read_dir_names(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in
        std::fs::read_dir(dir).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?
    {
        out.push(entry?.file_name().to_string_lossy().to_string());
    }
    Ok(out)
}

fn blank_text(
    env: &minijinja::Environment,
    flavour: Flavour,
    meta: Meta,
    supersedes: Option<Link>,
) -> anyhow::Result<String> {
    adr::blank(
        env,
        flavour,
        &Blank {
            record: meta,
            supersedes,
        },
    )
    .map_err(usage)
}

fn meta(
    number: u32,
    file: &str,
    title: &str,
    status: &str,
    date: String,
    deciders: &[String],
) -> Meta {
    Meta::new(number, title, status, Some(date), deciders, file)
}

/// The flavour for a new record: the flag, else the newest record's, else the folder's.
fn flavour_for(
    dir: &Path,
    given: Option<Flavour>,
    by_folder: Option<Flavour>,
) -> anyhow::Result<Flavour> {
    if let Some(f) = given {
        return Ok(f);
    }
    // Sorted by number, date-named records last: prefer the highest-numbered record.
    let records = parsed(&read_records(dir)?);
    let newest = records
        .iter()
        .rev()
        .filter(|r| r.number.is_some())
        .chain(records.iter().rev())
        .find_map(|r| r.flavour);
    Ok(newest.or(by_folder).unwrap_or_default())
}

fn new(a: NewArgs, templates: Option<&Path>) -> anyhow::Result<()> {
    let given = a.flavour.map(Flavour::from);
    let (dir, by_folder) = folder(a.dir.dir.as_deref(), given)?;
    let flavour = flavour_for(&dir, given, by_folder)?;
    let env = crate::render::env::environment(templates).map_err(usage)?;
    let date = a.date.unwrap_or_else(today);
    let (_, path) = create(&dir, &a.title, true, |n, file| {
        blank_text(
            &env,
            flavour,
            meta(
                n,
                file,
                &a.title,
                Status::from(a.status).as_str(),
                date.clone(),
                &a.deciders,
            ),
            None,
        )
    })?;
    writeln!(std::io::stdout().lock(), "{}", path.display())?;
    Ok(())
}

fn supersede(
    number: u32,
    title: &str,
    dir: DirArg,
    date: Option<String>,
    deciders: Vec<String>,
    templates: Option<&Path>,
) -> anyhow::Result<()> {
    let (dir, _) = folder(dir.dir.as_deref(), None)?;
    require_dir(&dir)?;
    let existing = read_records(&dir)?;
    let records = parsed(&existing);
    let Some(old) = records.iter().find(|r| r.number == Some(number)) else {
        let have: Vec<String> = records
            .iter()
            .filter_map(|r| r.number.map(|n| n.to_string()))
            .collect();
        return Err(usage(format!(
            "no record {number} in {}; accepted: {}",
            dir.display(),
            if have.is_empty() {
                "none (the folder has no NNNN-title.md records)".to_string()
            } else {
                have.join(", ")
            }
        )));
    };
    let Some(flavour) = old.flavour else {
        return Err(usage(record::EditError::NoStatus {
            file: dir.join(&old.file).display().to_string(),
        }));
    };
    if let Some(by) = old.superseded_by {
        return Err(usage(format!(
            "record {number} ({}) is already superseded by record {by}; supersede {by} instead",
            old.file
        )));
    }
    let old_text = &existing
        .iter()
        .find(|e| e.file == old.file)
        .expect("parsed from existing")
        .text;
    // Check the old record can be edited before creating the new one.
    record::supersede(&old.file, old_text, "[probe](probe.md)").map_err(usage)?;
    let env = crate::render::env::environment(templates).map_err(usage)?;
    let date = date.unwrap_or_else(today);
    let back = Link {
        number,
        title: old.title.clone(),
        file: old.file.clone(),
        link: flavour.link(number, &old.title, &old.file),
    };
    let (n, path) = create(&dir, title, true, |n, file| {
        blank_text(
            &env,
            flavour,
            meta(
                n,
                file,
                title,
                Status::Accepted.as_str(),
                date.clone(),
                &deciders,
            ),
            Some(back.clone()),
        )
    })?;
    let new_file = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let edited = record::supersede(&old.file, old_text, &flavour.link(n, title, &new_file))
        .map_err(usage)?;
    let old_path = dir.join(&old.file);
    crate::render::write::atomic(&old_path, edited.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", old_path.display()))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", path.display())?;
    writeln!(
        out,
        "{} is now superseded by record {n}",
        old_path.display()
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
    let (dir, _) = folder(dir.dir.as_deref(), None)?;
    require_dir(&dir)?;
    let records = parsed(&read_records(&dir)?);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn racing_creators_never_share_a_number_even_without_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let numbers: Vec<u32> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let dir = dir.path();
                    s.spawn(move || {
                        create(dir, &format!("record {i}"), false, |n, _| {
                            Ok(format!("# {n}. record {i}\n"))
                        })
                        .unwrap()
                        .0
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut sorted = numbers.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 8, "{numbers:?}");
        let files = read_dir_names(dir.path()).unwrap();
        assert_eq!(files.len(), 8, "{files:?}");
        for f in files {
            let n = record::number_of(&f).unwrap();
            let text = std::fs::read_to_string(dir.path().join(&f)).unwrap();
            assert!(text.starts_with(&format!("# {n}. ")), "{f}: {text}");
        }
    }

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(11_016), (2000, 2, 29));
        assert_eq!(civil(20_454), (2026, 1, 1));
    }
}
