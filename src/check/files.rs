//! Every file a render would write, against the file on disk: missing, current, out of date
//! (untouched since render wrote it, but a render would change it) or edited by hand. The
//! marker and its fingerprint are [`crate::render::write`]'s: one way to tell an edit.

use super::finding::{File, Finding, Kind, State};
use crate::render::job::Kind as Artifact;
use crate::render::write::{self, Artifact as Planned};
use std::path::Path;

/// What is on disk where a planned file goes.
pub enum OnDisk {
    Missing,
    Text(String),
    /// There, but not UTF-8 text: nobody's generated file any more.
    Binary,
}

/// Reads the file at `path`. Errors other than "not there" and "not text" are the machine's.
pub fn read(path: &Path) -> std::io::Result<OnDisk> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(String::from_utf8(bytes).map_or(OnDisk::Binary, OnDisk::Text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(OnDisk::Missing),
        Err(e) => Err(e),
    }
}

/// The state of one planned file and the finding it makes, if any. A missing record is left
/// to the decision-record check, which says which decision lacks it.
pub fn judge(
    artifact: Artifact,
    shown: &str,
    planned: &Planned,
    on_disk: &OnDisk,
) -> (File, Option<Finding>) {
    let file = |state| File {
        path: shown.to_string(),
        artifact,
        state,
    };
    match on_disk {
        OnDisk::Missing => {
            let finding = (artifact != Artifact::Adr).then(|| {
                Finding::file(
                    Kind::MissingFile,
                    shown,
                    "missing: render writes it (run `tradeoff render` with the recorded paths)",
                )
            });
            (file(State::Missing), finding)
        }
        OnDisk::Text(text) if *text == planned.content => (file(State::Current), None),
        OnDisk::Text(text) if write::state(text) == write::State::Pristine => (
            file(State::OutOfDate),
            Some(Finding::file(
                Kind::OutOfDateFile,
                shown,
                "out of date: unchanged since render wrote it, and a render would change it",
            )),
        ),
        OnDisk::Text(text) => {
            let why = match write::state(text) {
                write::State::Foreign => "has no tradeoff marker: kept as your file",
                _ => "edited by hand since render wrote it: kept as yours",
            };
            (
                file(State::Edited),
                Some(Finding::file(Kind::EditedFile, shown, why)),
            )
        }
        OnDisk::Binary => (
            file(State::Edited),
            Some(Finding::file(
                Kind::EditedFile,
                shown,
                "is not text any more: kept as your file",
            )),
        ),
    }
}
