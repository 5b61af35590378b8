//! `tradeoff scale`: Amdahl and Gustafson tables, USL fit and predict.

use super::figures::{Figures, flag, pct, print, sig};
use super::{FormatArg, table, usage, value};
use crate::capacity::scale::{self, Law};
use crate::capacity::usl;
use std::path::PathBuf;

/// Scaling laws: how throughput grows with nodes.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Scale,
}

#[derive(Debug, clap::Subcommand)]
enum Scale {
    /// Amdahl's law: speedup of a fixed job, 1 / (s + (1 - s)/N).
    Amdahl(LawArgs),
    /// Gustafson's law: scaled speedup, N - s (N - 1).
    Gustafson(LawArgs),
    /// The Universal Scalability Law: fit measurements or predict from coefficients.
    Usl {
        #[command(subcommand)]
        command: Usl,
    },
}

#[derive(Debug, clap::Args)]
struct LawArgs {
    /// Serial fraction of the work: 0.05 or 5%.
    #[arg(long, value_parser = value::fraction)]
    serial: f64,
    /// Node counts, comma separated: 8,64,1024.
    #[arg(long, value_parser = value::whole64, value_delimiter = ',', required = true)]
    nodes: Vec<u64>,
    #[command(flatten)]
    format: FormatArg,
}

#[derive(Debug, clap::Subcommand)]
enum Usl {
    /// Fit σ, κ, λ to CSV measurements (concurrency,throughput; header optional).
    Fit {
        /// The CSV file.
        data: PathBuf,
        /// Also draw the points, the fitted curve and N* to this SVG file.
        #[arg(long, value_name = "SVG")]
        plot: Option<PathBuf>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Predict throughput from known coefficients.
    Predict {
        /// Contention σ (R usl's alpha).
        #[arg(long, value_parser = value::number)]
        sigma: f64,
        /// Coherency κ (R usl's beta).
        #[arg(long, value_parser = value::number)]
        kappa: f64,
        /// Throughput at N = 1, λ (R usl's gamma).
        #[arg(long, value_parser = value::number)]
        lambda: f64,
        /// Concurrency levels, comma separated: 8,64,1024.
        #[arg(long, value_parser = value::count, value_delimiter = ',', required = true)]
        nodes: Vec<f64>,
        #[command(flatten)]
        format: FormatArg,
    },
}

/// Runs `tradeoff scale`.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Scale::Amdahl(a) => law(Law::Amdahl, a),
        Scale::Gustafson(a) => law(Law::Gustafson, a),
        Scale::Usl {
            command: Usl::Fit { data, plot, format },
        } => fit(&data, plot.as_deref(), format),
        Scale::Usl {
            command:
                Usl::Predict {
                    sigma,
                    kappa,
                    lambda,
                    nodes,
                    format,
                },
        } => {
            let model = usl::Model::new(sigma, kappa, lambda).map_err(flag)?;
            let f = usl::predict(model, &nodes).map_err(flag)?;
            predict(&f, format)
        }
    }
}

fn law(law: Law, a: LawArgs) -> anyhow::Result<()> {
    let t = scale::table(law, a.serial, &a.nodes).map_err(flag)?;
    let mut figures = Figures::default();
    let mut out = table(["nodes N", "speedup S(N)", "efficiency S(N)/N"]);
    for (i, r) in t.rows.iter().enumerate() {
        let (s, e) = (format!("{}x", sig(r.speedup, 4)), pct(r.efficiency));
        out.add_row([r.nodes.to_string(), s.clone(), e.clone()]);
        figures.note(format!("rows[{i}].speedup"), s);
        figures.note(format!("rows[{i}].efficiency"), e);
    }
    let last = t.rows.last().expect("nodes were checked to be non-empty");
    let serial = pct(t.serial);
    let interpretation = match (law, t.limit) {
        (Law::Amdahl, Some(limit)) => {
            figures.note("limit", format!("{}x", sig(limit, 4)));
            format!(
                "{}: with {serial} serial work no node count beats {}x; {} nodes reach {}x at {} efficiency.",
                t.formula,
                sig(limit, 4),
                last.nodes,
                sig(last.speedup, 4),
                pct(last.efficiency)
            )
        }
        (Law::Amdahl, None) => format!(
            "{}: with no serial work the speedup is N (linear).",
            t.formula
        ),
        (Law::Gustafson, _) => format!(
            "{}: when the job grows with the cluster, {} nodes with {serial} serial work do {}x the work of one.",
            t.formula,
            last.nodes,
            sig(last.speedup, 4)
        ),
    };
    print(a.format.format, &t, &figures, &[out], &interpretation)
}

fn model_rows(
    figures: &mut Figures,
    model: &usl::Model,
    peak: Option<usl::Peak>,
    ceiling: Option<f64>,
) {
    figures
        .add(
            "model.sigma",
            "contention σ (R usl alpha)",
            sig(model.sigma, 5),
        )
        .add(
            "model.kappa",
            "coherency κ (R usl beta)",
            format!("{:.4e}", model.kappa),
        )
        .add(
            "model.lambda",
            "throughput at N = 1, λ (R usl gamma)",
            sig(model.lambda, 6),
        );
    match (peak, ceiling) {
        (Some(p), _) => {
            figures
                .add(
                    "peak.concurrency",
                    "peak concurrency N* = sqrt((1 - σ)/κ)",
                    sig(p.concurrency, 5),
                )
                .add(
                    "peak.throughput",
                    "peak throughput X(N*)",
                    sig(p.throughput, 6),
                );
        }
        (None, Some(c)) => {
            figures.add(
                "ceiling",
                "throughput ceiling λ/σ (κ = 0: no peak)",
                sig(c, 6),
            );
        }
        (None, None) => {
            figures.add("ceiling", "throughput ceiling", "none (σ = κ = 0: linear)");
        }
    }
}

fn fit(
    path: &std::path::Path,
    plot: Option<&std::path::Path>,
    format: FormatArg,
) -> anyhow::Result<()> {
    let name = path.display().to_string();
    let text = crate::input::read(path).map_err(|e| usage(format!("measurements: {e}")))?;
    let wrap = |e: usl::Error| {
        if e.is_input() {
            usage(e)
        } else {
            anyhow::Error::new(e)
        }
    };
    let points = usl::parse_csv(&text, &name).map_err(wrap)?;
    let f = usl::fit(&points, &name).map_err(wrap)?;
    let mut figures = Figures::default();
    model_rows(&mut figures, &f.model, f.peak, f.ceiling);
    figures.add("r_squared", "R²", sig(f.r_squared, 5));
    if let Some(se) = f.residual_standard_error {
        figures.add(
            "residual_standard_error",
            "residual standard error",
            sig(se, 5),
        );
    }
    figures.add("estimator", "estimator", f.estimator);
    let mut points_table = table(["concurrency N", "measured X", "fitted X(N)", "residual"]);
    for p in &f.points {
        points_table.add_row([
            sig(p.concurrency, 6),
            sig(p.measured, 6),
            sig(p.fitted, 6),
            sig(p.residual, 4),
        ]);
    }
    if let Some(out) = plot {
        let svg = usl::plot_svg(&f).map_err(wrap)?;
        super::output::write_plot("--plot", out, &svg)?;
        figures.add("plot", "plot", out.display().to_string());
    }
    let interpretation = match f.peak {
        Some(p) => format!(
            "Throughput peaks at N* = {} with {} (R² = {}); past it, adding concurrency lowers throughput.",
            sig(p.concurrency, 4),
            sig(p.throughput, 5),
            sig(f.r_squared, 4)
        ),
        None => format!(
            "No coherency cost was found (κ = 0): throughput keeps rising towards λ/σ (R² = {}).",
            sig(f.r_squared, 4)
        ),
    };
    let summary = figures.table(["USL fit", "value"]);
    print(
        format.format,
        &f,
        &figures,
        &[summary, points_table],
        &interpretation,
    )
}

fn predict(f: &usl::Forecast, format: FormatArg) -> anyhow::Result<()> {
    let mut figures = Figures::default();
    model_rows(&mut figures, &f.model, f.peak, f.ceiling);
    let mut rows = table([
        "concurrency N",
        "throughput X(N)",
        "speedup X(N)/λ",
        "efficiency",
    ]);
    for (i, r) in f.rows.iter().enumerate() {
        let x = sig(r.throughput, 6);
        rows.add_row([
            sig(r.concurrency, 6),
            x.clone(),
            format!("{}x", sig(r.speedup, 4)),
            pct(r.efficiency),
        ]);
        figures.note(format!("rows[{i}].throughput"), x);
    }
    let interpretation = match f.peak {
        Some(p) => format!(
            "X(N) = λN / (1 + σ(N - 1) + κN(N - 1)) peaks at N* = {} with {}; beyond it throughput falls.",
            sig(p.concurrency, 4),
            sig(p.throughput, 5)
        ),
        None => "X(N) = λN / (1 + σ(N - 1) + κN(N - 1)) has no peak when κ = 0.".to_string(),
    };
    let summary = figures.table(["USL model", "value"]);
    print(
        format.format,
        f,
        &figures,
        &[summary, rows],
        &interpretation,
    )
}
