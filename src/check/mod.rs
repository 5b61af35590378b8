//! `tradeoff check`: whether a design is still true of the repository. It reads the design
//! file and the artifacts rendered from it, writes nothing, and reports findings:
//!
//! * the recommendation the rules in use give for the recorded answers differs from the
//!   file's ([`crate::design::Design::refresh`], what `render` refuses on);
//! * each file a render would write ([`crate::render::job::Job::plan`], rendered in memory)
//!   is missing, current, out of date or edited by hand ([`files`]);
//! * the design's numbers in those files, even edited ones, read as YAML at declared key
//!   paths ([`keys`], [`numbers`]);
//! * decision records against the decisions ([`records`]).
//!
//! Findings of kinds that are [`Kind::is_drift`] fail the check; edited files and kept
//! numbers are notes.

pub mod files;
pub mod finding;
pub mod keys;
pub mod numbers;
pub mod records;

pub use finding::{File, Finding, Kind, State};

use crate::advisor::Rules;
use crate::catalog::Catalog;
use crate::design::Design;
use crate::design::rendered::Rendered;
use crate::render::job::{self, Job};
use minijinja::Environment;
use serde::Serialize;
use std::path::Path;

/// What to check.
pub struct Input<'a> {
    pub design: &'a Design,
    /// The design file's text and name as the user gave it.
    pub text: &'a str,
    pub source: &'a str,
    pub env: &'a Environment<'static>,
    pub rules: &'a Rules,
    pub catalog: &'a Catalog,
    /// Where the artifacts are, as this process reaches them (the design's `rendered:` paths
    /// joined to its folder, or flags).
    pub outputs: &'a Rendered,
}

/// Everything `check` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The design file.
    pub design: String,
    /// Whether any finding is drift (the check fails).
    pub drift: bool,
    pub findings: Vec<Finding>,
    /// Every file a render would write, with its state.
    pub files: Vec<File>,
}

/// What stops a check before it finds anything.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The design or its recorded options are not usable (exit 2).
    #[error("{0}")]
    Input(String),
    /// Rendering in memory failed.
    #[error(transparent)]
    Render(#[from] job::Error),
    /// A file could not be read (exit 1).
    #[error("cannot read {path}: {message}")]
    Io { path: String, message: String },
}

/// Runs every check.
pub fn check(input: &Input) -> Result<Report, Error> {
    let tolerance = numbers::Tolerance::of(input.design, input.source).map_err(Error::Input)?;
    let mut report = Report {
        design: input.source.to_string(),
        ..Report::default()
    };
    report.findings.extend(recommendation(input));
    let out = input.outputs;
    let nothing =
        out.docs.is_none() && out.adr.is_none() && out.scaffold.is_none() && out.alerts.is_none();
    if !nothing {
        artifacts(input, &tolerance, &mut report)?;
    }
    report.drift = report.findings.iter().any(|f| f.drift);
    Ok(report)
}

/// The stale-recommendation finding, if the answers and rules in use now give another one.
fn recommendation(input: &Input) -> Option<Finding> {
    let d = input.design;
    let line = crate::yaml::locate(input.text, &["recommendation"]).map(|(l, _)| l);
    let finding = |message: String, changes: Option<String>| Finding {
        line,
        expected: changes,
        source: Some("the recorded answers and the rules in use".into()),
        ..Finding::file(Kind::StaleRecommendation, input.source, message)
    };
    match d.refresh(input.rules, input.catalog, input.text, input.source) {
        Err(e) => Some(finding(
            format!("its answers no longer walk the rules: {e}"),
            None,
        )),
        Ok(fresh) => {
            let changes = fresh.changes_from(d);
            (!changes.is_empty()).then(|| {
                let src = input.source;
                let all = changes.join("; ");
                finding(
                    format!(
                        "the answers and the rules in use give a different recommendation: {all}; update it with `tradeoff advise --answers {src} --out {src}`, review, then render"
                    ),
                    Some(all),
                )
            })
        }
    }
}

/// Generated files, their numbers, and the decision records.
fn artifacts(
    input: &Input,
    tolerance: &numbers::Tolerance,
    report: &mut Report,
) -> Result<(), Error> {
    let job = Job {
        design: input.design,
        env: input.env,
        rules: input.rules,
        catalog: input.catalog,
        outputs: input.outputs,
        force: false,
    };
    let plan = job.plan()?;
    let keys = keys::all();
    for (artifact, root, planned) in &plan.files {
        for p in planned {
            let path = root.join(&p.path);
            let shown = path.display().to_string();
            let on_disk = files::read(&path).map_err(|e| Error::Io {
                path: shown.clone(),
                message: crate::input::describe(&e),
            })?;
            let (file, finding) = files::judge(*artifact, &shown, p, &on_disk);
            report.files.push(file);
            report.findings.extend(finding);
            // Numbers are compared in every file that is there but not exactly as rendered.
            if let files::OnDisk::Text(text) = &on_disk
                && *text != p.content
            {
                for fk in keys.iter().filter(|k| k.artifact == *artifact) {
                    let matches = match &fk.file {
                        Some(f) => Path::new(f) == p.path,
                        None => true,
                    };
                    if matches {
                        report.findings.extend(numbers::compare(
                            &shown,
                            &p.content,
                            text,
                            &fk.keys,
                            input.design,
                            tolerance,
                        ));
                    }
                }
            }
        }
    }
    if let Some(adr) = &input.outputs.adr {
        let dir = Path::new(&adr.path);
        let existing = crate::render::adr::store::read_records(dir).map_err(|e| Error::Io {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        report
            .findings
            .extend(records::check(input.design, dir, &existing, &plan.records));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::render::job::Kind as Artifact;

    /// Every declared key is found in the files rendered for some example: a template that
    /// renames or moves a key breaks this test instead of silently checking nothing.
    #[test]
    fn every_declared_key_is_in_some_rendered_file() {
        let env = crate::render::env::environment(None).unwrap();
        let examples = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
            .unwrap()
            .filter_map(|e| {
                let p = e.unwrap().path();
                (p.extension()? == "yaml")
                    .then(|| p.file_stem().unwrap().to_string_lossy().to_string())
            });
        let mut rendered: Vec<(Artifact, std::path::PathBuf, String)> = Vec::new();
        for name in examples {
            let design = crate::render::fixture::design(&name);
            for a in crate::render::scaffold::artifacts(&design, &env, "design.yaml").unwrap() {
                rendered.push((Artifact::Scaffold, a.path, a.content));
            }
            let options = crate::render::alerts::Options::for_design(&design, "design.yaml");
            let file = std::path::Path::new("slo.yaml");
            for a in crate::render::alerts::artifacts(&design, &env, "design.yaml", file, &options)
                .unwrap()
            {
                rendered.push((Artifact::Alerts, a.path, a.content));
            }
        }
        let mut unused = Vec::new();
        for fk in super::keys::all() {
            for key in &fk.keys {
                let found = rendered.iter().any(|(artifact, path, text)| {
                    *artifact == fk.artifact
                        && fk
                            .file
                            .as_ref()
                            .is_none_or(|f| std::path::Path::new(f) == path)
                        && super::numbers::present(text, key)
                });
                if !found {
                    unused.push(format!("{:?} {:?} {}", fk.artifact, fk.file, key.id));
                }
            }
        }
        assert_eq!(unused, Vec::<String>::new());
    }
}
