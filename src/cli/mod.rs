//! The command line: clap definitions, one module per verb, and the only code that prints,
//! prompts or exits. Errors become exit codes here: 0 ok, 1 runtime failure, 2 usage or
//! input error.

mod adr;
mod advise;
mod avail;
mod check;
mod explain;
mod figures;
mod output;
mod patterns;
mod prompt;
mod queue;
mod quorum;
mod ratelimit;
mod render;
mod retry;
mod ring;
mod rules;
mod scale;
mod shards;
mod slo;
mod value;

pub use output::{Format, FormatArg, emit, table};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// tradeoff: decide, estimate, record and start distributed-system designs.
#[derive(Debug, Parser)]
#[command(name = "tradeoff", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// `--rules DIR`, taken only by the commands that read rules (advise, explain, rules,
/// render). Global so that `rules --rules DIR check` and `rules check --rules DIR` both work.
#[derive(Debug, Clone, clap::Args)]
pub struct RulesDir {
    /// Folder of extra or overriding rule files (first hit wins, then the embedded rules).
    #[arg(long, global = true, env = "TRADEOFF_RULES", value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// `--templates DIR`, taken only by the commands that fill templates (render, adr).
#[derive(Debug, Clone, clap::Args)]
pub struct TemplatesDir {
    /// Folder of extra or overriding templates (first hit wins, then the embedded ones).
    #[arg(long, global = true, env = "TRADEOFF_TEMPLATES", value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk the decision trees and recommend packs and patterns.
    Advise {
        #[command(flatten)]
        args: advise::Args,
        #[command(flatten)]
        rules: RulesDir,
    },
    /// Explain a pattern, pack, tree, question, database, stack or anti-pattern id.
    Explain {
        #[command(flatten)]
        args: explain::Args,
        #[command(flatten)]
        rules: RulesDir,
    },
    /// Check the rule files or draw a tree.
    Rules {
        #[command(subcommand)]
        command: rules::Args,
        #[command(flatten)]
        rules: RulesDir,
    },
    /// List the pattern catalog, optionally only one pack or category.
    Patterns(patterns::Args),
    /// Error budgets, downtime per window, burn rates and burn-rate alert tables for an SLO.
    Slo {
        /// What to compute.
        #[command(subcommand)]
        command: slo::Command,
    },
    /// Availability of components in series, parallel and k-of-n, and of a topology file.
    Avail {
        /// What to compute.
        #[command(subcommand)]
        command: avail::Command,
    },
    /// Scaling laws: Amdahl, Gustafson, the Universal Scalability Law (fit and predict).
    Scale(scale::Args),
    /// Quorum N/W/R: overlap, write conflicts, tolerated failures, reachability.
    Quorum(quorum::Args),
    /// Shard count from data, growth, horizon and throughput; rebalancing cost.
    Shards(shards::Args),
    /// Simulate a consistent-hash ring: load spread, keys moved, bounded loads.
    Ring(ring::Args),
    /// Queueing: Erlang C staffing, M/M/c, Little's law.
    Queue(queue::Args),
    /// Retries: load amplification, backoff schedule with jitter, worst-case latency.
    Retry(retry::Args),
    /// Token-bucket rate limits and the per-node share of a global limit.
    Ratelimit(ratelimit::Args),
    /// Render artifacts from a design file: ADRs (--adr), docs, scaffold, alerts.
    Render {
        #[command(flatten)]
        args: render::Args,
        #[command(flatten)]
        rules: RulesDir,
        #[command(flatten)]
        templates: TemplatesDir,
    },
    /// Whether the design, the rules, the rendered files and the decision records still agree
    /// (exit 1 on drift). Writes nothing.
    Check {
        #[command(flatten)]
        args: check::Args,
        #[command(flatten)]
        rules: RulesDir,
        #[command(flatten)]
        templates: TemplatesDir,
    },
    /// Architecture decision records: new, list, supersede.
    #[command(after_help = adr::FOLDERS)]
    Adr {
        #[command(subcommand)]
        command: adr::Args,
        #[command(flatten)]
        templates: TemplatesDir,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// An error in what the user gave us (flags, files, values): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// Wraps any displayable error as a [`Usage`] error.
pub fn usage(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(Usage(e.to_string()))
}

/// The clap command, with values that start with `-` accepted everywhere a value is
/// expected: negative numbers as arguments (`slo budget -5`) and any value of an option
/// (`--growth -10%/y`), so they reach our parsers, which say what is accepted, rather than
/// clap's "unexpected argument" guess.
pub fn command() -> clap::Command {
    fn allow(cmd: clap::Command) -> clap::Command {
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        let cmd = cmd.allow_negative_numbers(true).mut_args(|a| {
            if a.get_long().is_some() && a.get_action().takes_values() {
                a.allow_hyphen_values(true)
            } else {
                a
            }
        });
        names
            .into_iter()
            .fold(cmd, |c, name| c.mut_subcommand(name, allow))
    }
    allow(Cli::command())
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(()) => 0,
        // Drift is the check's answer, already printed: no error line.
        Err(e) if e.is::<check::Drift>() => 1,
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let text = format!("{e:#}");
            // Rule diagnostics carry their own `error[code]:` prefix.
            if text.starts_with("error[") {
                let _ = writeln!(err, "{text}");
            } else {
                let _ = writeln!(err, "error: {text}");
            }
            exit_code(&e)
        }
    }
}

/// Exit code for an error: 2 when the chain holds an input error, else 1.
pub fn exit_code(e: &anyhow::Error) -> i32 {
    let input = e.chain().any(|c| {
        c.is::<Usage>()
            || c.is::<crate::units::Error>()
            || c.is::<crate::yaml::Error>()
            || c.is::<crate::capacity::topology::Error>()
            || c.is::<crate::capacity::slo::TiersError>()
            || c.is::<crate::capacity::Invalid>()
    });
    if input { 2 } else { 1 }
}

/// Dispatches a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Advise { args, rules } => advise::run(args, rules.rules.as_deref()),
        Command::Explain { args, rules } => explain::run(args, rules.rules.as_deref()),
        Command::Rules { command, rules } => rules::run(command, rules.rules.as_deref()),
        Command::Patterns(args) => patterns::run(args),
        Command::Slo { command } => slo::run(command),
        Command::Avail { command } => avail::run(command),
        Command::Scale(a) => scale::run(a),
        Command::Quorum(a) => quorum::run(a),
        Command::Shards(a) => shards::run(a),
        Command::Ring(a) => ring::run(a),
        Command::Queue(a) => queue::run(a),
        Command::Retry(a) => retry::run(a),
        Command::Ratelimit(a) => ratelimit::run(a),
        Command::Render {
            args,
            rules,
            templates,
        } => render::run(args, templates.templates.as_deref(), rules.rules.as_deref()),
        Command::Check {
            args,
            rules,
            templates,
        } => check::run(args, templates.templates.as_deref(), rules.rules.as_deref()),
        Command::Adr { command, templates } => adr::run(command, templates.templates.as_deref()),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "tradeoff", &mut std::io::stdout());
            Ok(())
        }
    }
}
