//! Where rule files come from: the embedded `rules/` plus an optional user folder whose files
//! add trees or override embedded ones with the same file name (first hit wins: the user
//! folder, then the embedded copy).

use super::Error;
use crate::embedded::{RULES, Source, yaml_files};
use std::path::Path;

/// Most rule files a user folder may hold (the cap of every user folder).
pub const MAX_FILES: usize = crate::input::MAX_FILES;

/// The rule sources: embedded files, with `dir`'s `.yaml`/`.yml` files added or overriding.
pub fn rule_sources(dir: Option<&Path>) -> Result<Vec<Source>, Error> {
    let mut out = yaml_files(RULES, "rules");
    let Some(dir) = dir else { return Ok(out) };
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut user = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !is_yaml || !path.is_file() {
            continue;
        }
        if user.len() == MAX_FILES {
            return Err(Error::TooManyFiles {
                path: dir.display().to_string(),
                max: MAX_FILES,
            });
        }
        let text = crate::input::read(&path)?;
        user.push(Source::user(path.display().to_string(), text));
    }
    user.sort_by(|a, b| a.path.cmp(&b.path));
    for u in user {
        let id = stem(&u.path);
        out.retain(|e| stem(&e.path) != id);
        out.push(u);
    }
    Ok(out)
}

fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}
