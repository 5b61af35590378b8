//! The minijinja environment: every template of `templates/` (embedded) with files of a user
//! folder overriding them by relative path (first hit wins: `--templates DIR`, then the
//! embedded copy). Undefined values are errors, so a typo in a template fails with the
//! template name and line instead of leaving a blank in a user's document.

use crate::embedded::TEMPLATES;
use include_dir::Dir;
use minijinja::{Environment, UndefinedBehavior};
use std::path::Path;

/// A template problem: which template, which line, what.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "cannot read templates from {path}: {}",
        crate::input::describe(source)
    )]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A template file that cannot be read (refused, too large, not text).
    #[error(transparent)]
    Read(#[from] crate::input::Error),
    /// More files than a user folder may hold.
    #[error(
        "{path} holds more than {max} template files; accepted: at most {max} files in a templates folder"
    )]
    TooManyFiles { path: String, max: usize },
    /// Folders nested deeper than [`MAX_DEPTH`] (a symlink loop, say).
    #[error(
        "{path} is nested more than {MAX_DEPTH} folders deep; accepted: a templates folder at most {MAX_DEPTH} levels deep"
    )]
    TooDeep { path: String },
    #[error("template error: {0:#}")]
    Template(#[from] minijinja::Error),
}

/// Deepest folder of a templates folder (the shipped tree is two levels deep).
pub const MAX_DEPTH: usize = 16;

fn embedded(dir: &Dir<'static>, out: &mut Vec<(String, String)>) {
    for f in dir.files() {
        if let Some(text) = f.contents_utf8() {
            out.push((
                f.path().to_string_lossy().replace('\\', "/"),
                text.to_string(),
            ));
        }
    }
    for d in dir.dirs() {
        embedded(d, out);
    }
}

/// Reads every file under `dir` through [`crate::input::read`] (the size cap of every user
/// file), at most [`crate::input::MAX_FILES`] of them. Hidden files (`.DS_Store`, editor swap
/// files) are not templates and are left out; any other file that cannot be read is an error.
fn user(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<(String, String)>,
) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    if depth > MAX_DEPTH {
        return Err(Error::TooDeep {
            path: root.display().to_string(),
        });
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if p.is_dir() {
            user(root, &p, depth + 1, out)?;
            continue;
        }
        if out.len() == crate::input::MAX_FILES {
            return Err(Error::TooManyFiles {
                path: root.display().to_string(),
                max: crate::input::MAX_FILES,
            });
        }
        let text = crate::input::read(&p)?;
        let rel = p
            .strip_prefix(root)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        out.push((rel, text));
    }
    Ok(())
}

/// Builds the environment with the embedded templates and `override_dir`'s files on top.
pub fn environment(override_dir: Option<&Path>) -> Result<Environment<'static>, Error> {
    let mut files = Vec::new();
    embedded(&TEMPLATES, &mut files);
    if let Some(dir) = override_dir {
        let mut extra = Vec::new();
        user(dir, dir, 0, &mut extra)?;
        for (name, text) in extra {
            files.retain(|(n, _)| *n != name);
            files.push((name, text));
        }
    }
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    env.add_filter("duration", |s: f64| crate::units::format_duration(s));
    env.add_filter("bytes", |b: f64| crate::units::format_bytes(b));
    env.add_filter("percent", |f: f64| crate::units::format_percent(f));
    env.add_filter("count", |n: f64| crate::units::format_count(n));
    env.add_filter("kebab", |s: String| kebab(&s));
    for (name, text) in files {
        env.add_template_owned(name, text)?;
    }
    Ok(env)
}

/// `Use Kafka for ordered events!` → `use-kafka-for-ordered-events`.
pub fn kebab(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_templates_folder_is_read_with_the_caps_of_every_user_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("adr")).unwrap();
        std::fs::write(dir.path().join("adr/nygard.md"), "# {{ record.title }}\n").unwrap();
        std::fs::write(dir.path().join(".DS_Store"), [0xff, 0xfe]).unwrap();
        assert!(environment(Some(dir.path())).is_ok());
        // An unreadable template is an error naming it, not a silently kept default.
        std::fs::write(dir.path().join("adr/madr.md"), [b'#', 0xff]).unwrap();
        let e = environment(Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains("madr.md") && e.contains("not UTF-8"), "{e}");
        std::fs::remove_file(dir.path().join("adr/madr.md")).unwrap();
        let big = "x".repeat(crate::input::MAX_BYTES + 1);
        std::fs::write(dir.path().join("adr/log4brains.md"), big).unwrap();
        let e = environment(Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains("log4brains.md") && e.contains("at most"), "{e}");
    }

    #[test]
    fn a_templates_folder_with_too_many_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..=crate::input::MAX_FILES {
            std::fs::write(dir.path().join(format!("t{i}.md")), "x").unwrap();
        }
        let e = environment(Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains("more than 1000 template files"), "{e}");
    }

    #[test]
    fn kebab_cases_titles() {
        assert_eq!(
            kebab("Use Kafka for ordered events!"),
            "use-kafka-for-ordered-events"
        );
        assert_eq!(kebab("  CQRS / event sourcing "), "cqrs-event-sourcing");
    }

    #[test]
    fn a_user_template_overrides_the_embedded_one_and_undefined_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("t")).unwrap();
        std::fs::write(dir.path().join("t/x.txt"), "hello {{ name }}").unwrap();
        let env = environment(Some(dir.path())).unwrap();
        let t = env.get_template("t/x.txt").unwrap();
        assert_eq!(
            t.render(minijinja::context! { name => "you" }).unwrap(),
            "hello you"
        );
        let err = t.render(minijinja::context! {}).unwrap_err();
        assert!(format!("{err:#}").contains("t/x.txt"), "{err:#}");
    }
}
