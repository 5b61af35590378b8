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
    #[error("cannot read templates from {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("template error: {0:#}")]
    Template(#[from] minijinja::Error),
}

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

fn user(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            user(root, &p, out)?;
        } else if let Ok(text) = std::fs::read_to_string(&p) {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, text));
        }
    }
    Ok(())
}

/// Builds the environment with the embedded templates and `override_dir`'s files on top.
pub fn environment(override_dir: Option<&Path>) -> Result<Environment<'static>, Error> {
    let mut files = Vec::new();
    embedded(&TEMPLATES, &mut files);
    if let Some(dir) = override_dir {
        let mut extra = Vec::new();
        user(dir, dir, &mut extra)?;
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
