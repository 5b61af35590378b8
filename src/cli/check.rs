//! `tradeoff check [DESIGN] [--docs DIR] [--adr DIR] [--scaffold DIR] [--alerts FILE]`:
//! whether the design, the rules, the rendered files, hand edits and the decision records
//! still agree. Writes nothing. Exit 0 clean, 1 drift, 2 bad input.

use super::{FormatArg, usage};
use crate::check::{self, Finding, Report, State};
use crate::design::Design;
use crate::design::rendered::{self, Rendered};
use std::path::{Path, PathBuf};

/// Arguments of `tradeoff check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The design file; its `rendered:` section says where `render` wrote the artifacts.
    #[arg(default_value = "design.yaml")]
    pub design: PathBuf,
    /// Check the docs in DIR instead of where the design file says.
    #[arg(long, value_name = "DIR")]
    pub docs: Option<PathBuf>,
    /// Check the records in DIR instead of where the design file says.
    #[arg(long, value_name = "DIR")]
    pub adr: Option<PathBuf>,
    /// Check the scaffold in DIR instead of where the design file says.
    #[arg(long, value_name = "DIR")]
    pub scaffold: Option<PathBuf>,
    /// Check the rule file FILE instead of the one the design file names.
    #[arg(long, value_name = "FILE")]
    pub alerts: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// The check found drift: exit 1, the findings already printed.
#[derive(Debug, thiserror::Error)]
#[error("the design and its artifacts disagree")]
pub struct Drift;

pub fn run(args: Args, templates: Option<&Path>, rules_dir: Option<&Path>) -> anyhow::Result<()> {
    let text = crate::input::read(&args.design).map_err(|e| {
        usage(format!(
            "{e}\n  help: the design file is written by `tradeoff advise --answers FILE --out design.yaml`"
        ))
    })?;
    let source = args.design.display().to_string();
    let design = Design::from_yaml(&text, &source).map_err(usage)?;
    let env = crate::render::env::environment(templates).map_err(usage)?;
    let (catalog, rules) = super::advise::catalog_and_rules(rules_dir)?;
    let outputs = outputs(&args, &design, &source);
    let report = check::check(&check::Input {
        design: &design,
        text: &text,
        source: &source,
        env: &env,
        rules: &rules,
        catalog,
        outputs: &outputs,
    })
    .map_err(|e| match e {
        check::Error::Input(m) => usage(m),
        check::Error::Render(e) => super::render::render_error(e, templates),
        io @ check::Error::Io { .. } => anyhow::Error::new(io),
    })?;
    super::emit(args.format.format, &report, human)?;
    if report.drift {
        return Err(anyhow::Error::new(Drift));
    }
    Ok(())
}

/// Where the artifacts are: the design's recorded paths (relative to the design file's folder),
/// each replaced by its flag when given.
fn outputs(args: &Args, design: &Design, source: &str) -> Rendered {
    let base = args.design.parent().unwrap_or(Path::new(""));
    let at = |p: &str| base.join(p).display().to_string();
    let recorded = design.rendered.clone().unwrap_or_default();
    let flag = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    let source = source.to_string();
    Rendered {
        docs: match (flag(&args.docs), recorded.docs) {
            (Some(path), Some(r)) => Some(rendered::Output { path, ..r }),
            (Some(path), None) => Some(rendered::Output {
                path,
                source: source.clone(),
                links_records: args.adr.is_some() || recorded.adr.is_some(),
            }),
            (None, r) => r.map(|r| rendered::Output {
                path: at(&r.path),
                ..r
            }),
        },
        adr: match (flag(&args.adr), recorded.adr) {
            (Some(path), Some(r)) => Some(rendered::Records { path, ..r }),
            (Some(path), None) => Some(rendered::Records {
                path,
                source: source.clone(),
                flavour: crate::render::Flavour::default().id().to_string(),
                status: crate::render::adr::Status::default().as_str().to_string(),
                date: None,
                deciders: Vec::new(),
            }),
            (None, r) => r.map(|r| rendered::Records {
                path: at(&r.path),
                ..r
            }),
        },
        scaffold: match (flag(&args.scaffold), recorded.scaffold) {
            (Some(path), Some(r)) => Some(rendered::Scaffold { path, ..r }),
            (Some(path), None) => Some(rendered::Scaffold {
                path,
                source: source.clone(),
                latency_target_s: None,
            }),
            (None, r) => r.map(|r| rendered::Scaffold {
                path: at(&r.path),
                ..r
            }),
        },
        alerts: match (flag(&args.alerts), recorded.alerts) {
            (Some(path), Some(r)) => Some(rendered::Alerts { path, ..r }),
            (Some(path), None) => Some(rendered::Alerts {
                path,
                source,
                service: None,
                metric: None,
                error_selector: None,
                selector: None,
                latency_target_s: None,
            }),
            (None, r) => r.map(|r| rendered::Alerts {
                path: at(&r.path),
                ..r
            }),
        },
    }
}

/// One line per finding, then a summary.
fn human(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&line(f));
        out.push('\n');
    }
    let count = |s: State| report.files.iter().filter(|f| f.state == s).count();
    let drift = report.findings.iter().filter(|f| f.drift).count();
    let notes = report.findings.len() - drift;
    if report.files.is_empty() {
        out.push_str(&format!(
            "{}: no rendered artifacts recorded (render with --docs/--adr/--scaffold/--alerts, or pass those flags here): only the recommendation was checked\n",
            report.design
        ));
    }
    out.push_str(&format!(
        "{}: {} finding(s) of drift, {} note(s); {} file(s): {} current, {} out of date, {} missing, {} edited by hand\n",
        report.design,
        drift,
        notes,
        report.files.len(),
        count(State::Current),
        count(State::OutOfDate),
        count(State::Missing),
        count(State::Edited),
    ));
    out
}

/// `file:line: kind: message [design: expected, from source]`.
fn line(f: &Finding) -> String {
    let level = if f.drift { "" } else { "note: " };
    let mut s = format!("{}: {level}{}: {}", f.location(), f.kind.id(), f.message);
    if let Some(source) = &f.source {
        s.push_str(&format!(" (from {source})"));
    }
    s
}
