//! The records folder on disk: finding it (as each flavour's own tool would), reading its
//! records, creating a record under the next free number without ever reusing one, and
//! superseding a record. With [`crate::render::write`], the only ADR code that touches the
//! file system; the CLI parses arguments and prints what these functions return.
//!
//! Where records live when no folder is given:
//! * madr: `docs/decisions`;
//! * nygard: the folder named in the nearest `.adr-dir`, else the nearest `doc/adr`, walking
//!   up from the current folder (as adr-tools does), else `doc/adr`;
//! * log4brains: `project.adrFolder` of the nearest `.log4brains.yml`, else `docs/adr`.
//!
//! Without a flavour either, the first of those folders that exists is used, and a new
//! record takes the flavour of the folder's newest record.

use super::record::{self, Record};
use super::view::Meta;
use super::{Blank, Existing, Link, Status};
use crate::render::Flavour;
use minijinja::Environment;
use serde::Deserialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What can go wrong with a records folder. `Input` is the user's to fix (exit 2); `Io` is
/// the machine's (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Template(#[from] super::Error),
}

fn io(what: &str, path: &Path, e: &std::io::Error) -> Error {
    Error::Io(format!(
        "cannot {what} {}: {}",
        path.display(),
        crate::input::describe(e)
    ))
}

/// The record files of a folder (name and text), sorted by name. A missing folder has none.
/// Files that are not UTF-8 are left out: they are nobody's decision record.
pub fn read_records(dir: &Path) -> Result<Vec<Existing>, Error> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io("read", dir, &e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| io("read", dir, &e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if !record::is_record_file(&name) || !entry.path().is_file() {
            continue;
        }
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => out.push(Existing { file: name, text }),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {}
            Err(e) => return Err(io("read", &entry.path(), &e)),
        }
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(out)
}

/// Records parsed, numbered ones by number, then the date-named ones by name.
pub fn parsed(existing: &[Existing]) -> Vec<Record> {
    let mut rs: Vec<Record> = existing
        .iter()
        .map(|e| record::parse(&e.file, &e.text))
        .collect();
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

fn read_marker(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::Input(format!("cannot read {}: {e}", path.display())))
}

/// Where a flavour's own tool would put records, if its marker (config file or folder) is
/// found from `cwd`; `None` when nothing points there.
fn configured_dir(flavour: Flavour, cwd: &Path) -> Result<Option<PathBuf>, Error> {
    let found = match flavour {
        Flavour::Madr => {
            Some(PathBuf::from(flavour.default_dir())).filter(|d| cwd.join(d).is_dir())
        }
        Flavour::Nygard => {
            let mut found = None;
            for (rel, abs) in ancestors(cwd) {
                let marker = abs.join(".adr-dir");
                if marker.is_file() {
                    found = Some(rel.join(read_marker(&marker)?.trim()));
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
                    let text = read_marker(&config)?;
                    let c: Log4brainsConfig =
                        crate::yaml::from_str(&text, &config.display().to_string())
                            .map_err(|e| Error::Input(e.to_string()))?;
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
    };
    // `./doc/adr` reads better as `doc/adr`.
    Ok(found.map(|p| p.components().collect::<PathBuf>()))
}

/// The records folder and the flavour that pointed to it (if any): `dir` when given, else
/// the flavour's folder found from `cwd`, else the first flavour folder that exists.
pub fn folder(
    dir: Option<&Path>,
    flavour: Option<Flavour>,
    cwd: &Path,
) -> Result<(PathBuf, Option<Flavour>), Error> {
    if let Some(d) = dir {
        return Ok((d.to_path_buf(), flavour));
    }
    if let Some(f) = flavour {
        let d = configured_dir(f, cwd)?.unwrap_or_else(|| f.default_dir().into());
        return Ok((d, Some(f)));
    }
    for f in [Flavour::Madr, Flavour::Nygard, Flavour::Log4brains] {
        if let Some(d) = configured_dir(f, cwd)? {
            return Ok((d, Some(f)));
        }
    }
    Ok((Flavour::Madr.default_dir().into(), None))
}

/// Fails unless `dir` exists, saying where records are looked for.
pub fn require_dir(dir: &Path) -> Result<(), Error> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(Error::Input(format!(
            "records folder {} does not exist; pass --dir DIR, or create the flavour's folder (madr: docs/decisions, nygard: doc/adr or the folder in .adr-dir, log4brains: adrFolder of .log4brains.yml)",
            dir.display()
        )))
    }
}

/// A `YYYY-MM-DD` calendar date (leap years included).
pub fn parse_date(s: &str) -> Result<String, String> {
    let bad = || format!("`{s}` is not a date; accepted: YYYY-MM-DD, e.g. 2026-11-23");
    let shape = s.len() == 10
        && s.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return Err(bad());
    }
    let (y, m, d): (u32, u32, u32) = (
        s[..4].parse().map_err(|_| bad())?,
        s[5..7].parse().map_err(|_| bad())?,
        s[8..10].parse().map_err(|_| bad())?,
    );
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if (1..=days).contains(&d) {
        Ok(s.to_string())
    } else {
        Err(bad())
    }
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
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

fn read_dir_names(dir: &Path) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io("read", dir, &e))? {
        out.push(
            entry
                .map_err(|e| io("read", dir, &e))?
                .file_name()
                .to_string_lossy()
                .to_string(),
        );
    }
    Ok(out)
}

/// Creates record `NNNN-title.md` with the next free number, never reusing a number another
/// process takes at the same moment: the folder is locked while choosing (where the system
/// allows), the file is created with `create_new` (O_EXCL), and after creating it the folder
/// is scanned again; if another file took the same number meanwhile, this one steps back and
/// tries the next number. Of two racing files at most one keeps a number: whichever scans
/// last sees the other.
pub fn create(
    dir: &Path,
    title: &str,
    lock: bool,
    content: impl Fn(u32, &str) -> Result<String, Error>,
) -> Result<(u32, PathBuf), Error> {
    std::fs::create_dir_all(dir).map_err(|e| io("create", dir, &e))?;
    // Best effort: flock on the folder serialises tradeoff processes on one machine.
    let _lock = lock
        .then(|| {
            std::fs::File::open(dir)
                .and_then(|f| f.lock().map(|()| f))
                .ok()
        })
        .flatten();
    let numbers = |dir: &Path| -> Result<Vec<(u32, String)>, Error> {
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
            Err(e) => return Err(io("create", &path, &e)),
        };
        if numbers(dir)?
            .iter()
            .any(|(k, other)| *k == n && *other != name)
        {
            drop(file);
            std::fs::remove_file(&path).map_err(|e| io("remove", &path, &e))?;
            // Let the racing process finish its scan before trying again.
            std::thread::sleep(std::time::Duration::from_millis(
                u64::from(std::process::id() % 7 + attempt % 5) * 3,
            ));
            continue;
        }
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| io("write", &path, &e))?;
        return Ok((n, path));
    }
    Err(Error::Io(format!(
        "could not find a free record number in {} after 100 attempts",
        dir.display()
    )))
}

/// The flavour for a new record: the given one, else the newest record's, else the
/// folder's, else MADR.
pub fn flavour_for(
    dir: &Path,
    given: Option<Flavour>,
    by_folder: Option<Flavour>,
) -> Result<Flavour, Error> {
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

/// What a new record says about itself.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub title: String,
    pub status: Status,
    /// `YYYY-MM-DD`; a new record by hand always has a date.
    pub date: String,
    pub deciders: Vec<String>,
}

/// Creates a blank record with the next free number in `dir`; returns its path.
pub fn new_record(
    env: &Environment,
    dir: &Path,
    flavour: Flavour,
    r: &NewRecord,
) -> Result<PathBuf, Error> {
    let (_, path) = create(dir, &r.title, true, |n, file| {
        let meta = Meta::new(
            n,
            &r.title,
            r.status.as_str(),
            Some(r.date.clone()),
            &r.deciders,
            file,
        );
        Ok(super::blank(
            env,
            flavour,
            &Blank {
                record: meta,
                supersedes: None,
            },
        )?)
    })?;
    Ok(path)
}

/// What superseding did: the new record's path and number, and the old record's path.
#[derive(Debug, Clone)]
pub struct Superseded {
    pub new: PathBuf,
    pub number: u32,
    pub old: PathBuf,
}

/// The record numbered `number` in `dir`, or an error listing the numbers there are.
pub fn find(dir: &Path, existing: &[Existing], number: u32) -> Result<Record, Error> {
    let records = parsed(existing);
    records
        .iter()
        .find(|r| r.number == Some(number))
        .cloned()
        .ok_or_else(|| {
            let have: Vec<String> = records
                .iter()
                .filter_map(|r| r.number.map(|n| n.to_string()))
                .collect();
            Error::Input(format!(
                "no record {number} in {}; accepted: {}",
                dir.display(),
                if have.is_empty() {
                    "none (the folder has no NNNN-title.md records)".to_string()
                } else {
                    have.join(", ")
                }
            ))
        })
}

/// Replaces record `number` of `dir` by a new record whose text `content` makes (given its
/// number, file name, the link back and the old record's flavour), and marks the old one
/// "superseded by" it. The old record is checked to be editable before anything is written.
pub fn supersede_with(
    dir: &Path,
    number: u32,
    title: &str,
    content: impl Fn(u32, &str, &Link, Flavour) -> Result<String, Error>,
) -> Result<Superseded, Error> {
    require_dir(dir)?;
    let existing = read_records(dir)?;
    let old = find(dir, &existing, number)?;
    let Some(flavour) = old.flavour else {
        return Err(Error::Input(
            record::EditError::NoStatus {
                file: dir.join(&old.file).display().to_string(),
            }
            .to_string(),
        ));
    };
    if let Some(by) = old.superseded_by {
        return Err(Error::Input(format!(
            "record {number} ({}) is already superseded by record {by}; supersede {by} instead",
            old.file
        )));
    }
    let old_text = &existing
        .iter()
        .find(|e| e.file == old.file)
        .expect("found among the existing records")
        .text;
    record::supersede(&old.file, old_text, "[probe](probe.md)")
        .map_err(|e| Error::Input(e.to_string()))?;
    let back = Link {
        number,
        title: old.title.clone(),
        file: old.file.clone(),
        link: flavour.link(number, &old.title, &old.file),
    };
    let (n, path) = create(dir, title, true, |n, file| content(n, file, &back, flavour))?;
    let new_file = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let edited = record::supersede(&old.file, old_text, &flavour.link(n, title, &new_file))
        .map_err(|e| Error::Input(e.to_string()))?;
    let old_path = dir.join(&old.file);
    crate::render::write::atomic(&old_path, edited.as_bytes())
        .map_err(|e| io("write", &old_path, &e))?;
    Ok(Superseded {
        new: path,
        number: n,
        old: old_path,
    })
}

/// Replaces record `number` by a blank accepted record titled `title`.
pub fn supersede(
    env: &Environment,
    dir: &Path,
    number: u32,
    r: &NewRecord,
) -> Result<Superseded, Error> {
    supersede_with(dir, number, &r.title, |n, file, back, flavour| {
        let meta = Meta::new(
            n,
            &r.title,
            Status::Accepted.as_str(),
            Some(r.date.clone()),
            &r.deciders,
            file,
        );
        Ok(super::blank(
            env,
            flavour,
            &Blank {
                record: meta,
                supersedes: Some(back.clone()),
            },
        )?)
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

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("26-01-01").is_err());
    }
}
