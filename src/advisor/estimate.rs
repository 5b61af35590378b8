//! The estimates an outcome may ask for (`estimates:` in a rule file) and the one place their
//! command lines are written. An [`Estimate`] is an id; a [`Command`] is an estimate with the
//! inputs it runs on, and prints as the `tradeoff ...` line that reproduces it. Every other
//! module builds a `Command` and never writes command text itself, so a renamed flag breaks a
//! test here, not a user's copy-paste.

use std::fmt;

/// A capacity model an outcome may ask to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Estimate {
    SloBudget,
    SloAlerts,
    AvailCompose,
    ScaleUsl,
    Quorum,
    Shards,
    Ring,
    Queue,
    Retry,
    Ratelimit,
    Replicas,
}

/// Every estimate id as written in rule files, in display order.
pub const NAMES: &[&str] = &[
    "slo-budget",
    "slo-alerts",
    "avail-compose",
    "scale-usl",
    "quorum",
    "shards",
    "ring",
    "queue",
    "retry",
    "ratelimit",
    "replicas",
];

impl Estimate {
    /// Every estimate, in the order of [`NAMES`].
    pub const ALL: &'static [Estimate] = &[
        Estimate::SloBudget,
        Estimate::SloAlerts,
        Estimate::AvailCompose,
        Estimate::ScaleUsl,
        Estimate::Quorum,
        Estimate::Shards,
        Estimate::Ring,
        Estimate::Queue,
        Estimate::Retry,
        Estimate::Ratelimit,
        Estimate::Replicas,
    ];

    /// The id used in rule files and design files.
    pub fn as_str(self) -> &'static str {
        let i = Estimate::ALL.iter().position(|e| *e == self).unwrap_or(0);
        NAMES[i]
    }

    /// The estimate with this id.
    pub fn from_id(id: &str) -> Option<Estimate> {
        NAMES
            .iter()
            .position(|n| *n == id)
            .map(|i| Estimate::ALL[i])
    }
}

impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An estimate with its inputs, as people type them (`99.9`, `4TB`, `350/s`).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    SloBudget {
        target: String,
    },
    SloAlerts {
        target: String,
    },
    /// The topology is the user's to write.
    AvailCompose,
    /// The measurements are the user's to take.
    ScaleUsl,
    Quorum {
        n: u32,
        w: u32,
        r: u32,
        node_availability: f64,
    },
    Shards {
        data: String,
        growth: String,
        horizon: String,
        shard_size: String,
        max_fill: f64,
        /// Peak writes and what one shard takes, when the store family states a write limit.
        writes: Option<(String, String)>,
    },
    Ring {
        nodes: String,
        vnodes: u32,
        keys: String,
    },
    Queue {
        arrival: String,
        service_time: String,
        servers: u32,
    },
    Retry {
        attempts: u32,
        layers: u32,
        base: String,
        cap: String,
        per_try_timeout: String,
        budget: String,
    },
    Ratelimit {
        rate: String,
        burst: String,
        nodes: u32,
    },
    /// Replicas are sized by `advise` itself, from the targets tree's answers.
    Replicas {
        peak: String,
        per_replica: String,
        target: String,
        /// Regions serving traffic; 1 is left out of the command line.
        regions: u32,
    },
}

impl Command {
    /// The estimate this command runs.
    pub fn estimate(&self) -> Estimate {
        match self {
            Command::SloBudget { .. } => Estimate::SloBudget,
            Command::SloAlerts { .. } => Estimate::SloAlerts,
            Command::AvailCompose => Estimate::AvailCompose,
            Command::ScaleUsl => Estimate::ScaleUsl,
            Command::Quorum { .. } => Estimate::Quorum,
            Command::Shards { .. } => Estimate::Shards,
            Command::Ring { .. } => Estimate::Ring,
            Command::Queue { .. } => Estimate::Queue,
            Command::Retry { .. } => Estimate::Retry,
            Command::Ratelimit { .. } => Estimate::Ratelimit,
            Command::Replicas { .. } => Estimate::Replicas,
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::SloBudget { target } => write!(f, "tradeoff slo budget {target}"),
            Command::SloAlerts { target } => write!(f, "tradeoff slo alerts {target}"),
            Command::AvailCompose => f.write_str("tradeoff avail compose TOPOLOGY.yaml"),
            Command::ScaleUsl => f.write_str("tradeoff scale usl fit MEASUREMENTS.csv"),
            Command::Quorum {
                n,
                w,
                r,
                node_availability,
            } => write!(
                f,
                "tradeoff quorum --n {n} --w {w} --r {r} --node-availability {node_availability}"
            ),
            Command::Shards {
                data,
                growth,
                horizon,
                shard_size,
                max_fill,
                writes,
            } => {
                write!(
                    f,
                    "tradeoff shards --data {data} --growth {growth} --horizon {horizon} --shard-size {shard_size} --max-fill {max_fill}"
                )?;
                match writes {
                    Some((qps, shard_qps)) => write!(f, " --qps {qps} --shard-qps {shard_qps}"),
                    None => Ok(()),
                }
            }
            Command::Ring {
                nodes,
                vnodes,
                keys,
            } => write!(
                f,
                "tradeoff ring --nodes {nodes} --vnodes {vnodes} --keys {keys}"
            ),
            Command::Queue {
                arrival,
                service_time,
                servers,
            } => write!(
                f,
                "tradeoff queue mmc --arrival {arrival} --service-time {service_time} --servers {servers}"
            ),
            Command::Retry {
                attempts,
                layers,
                base,
                cap,
                per_try_timeout,
                budget,
            } => write!(
                f,
                "tradeoff retry --attempts {attempts} --layers {layers} --base {base} --cap {cap} --jitter full --per-try-timeout {per_try_timeout} --timeout {budget}"
            ),
            Command::Ratelimit { rate, burst, nodes } => write!(
                f,
                "tradeoff ratelimit --rate {rate} --burst {burst} --nodes {nodes}"
            ),
            Command::Replicas {
                peak,
                per_replica,
                target,
                regions,
            } => {
                write!(
                    f,
                    "tradeoff advise --tree targets --set peak_rps={peak} --set replica_rps={per_replica} --set availability_target={target}"
                )?;
                if *regions > 1 {
                    write!(f, " --set serving_regions={regions}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        assert_eq!(NAMES.len(), Estimate::ALL.len());
        for e in Estimate::ALL {
            assert_eq!(Estimate::from_id(e.as_str()), Some(*e));
        }
        let mut names = NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), NAMES.len());
    }

    #[test]
    fn every_command_names_its_estimates_verb_and_parses_with_the_cli() {
        let cmd = Command::Retry {
            attempts: 3,
            layers: 2,
            base: "100ms".into(),
            cap: "10s".into(),
            per_try_timeout: "500ms".into(),
            budget: "2s".into(),
        };
        assert_eq!(cmd.estimate(), Estimate::Retry);
        let text = cmd.to_string();
        let args: Vec<&str> = text.split(' ').collect();
        assert!(
            <crate::cli::Cli as clap::Parser>::try_parse_from(&args).is_ok(),
            "{text}"
        );
    }
}
