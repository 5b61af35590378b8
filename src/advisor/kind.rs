//! The kinds of numeric questions and how their answers are read and printed.

use crate::units;
use serde::{Deserialize, Serialize};

/// What a numeric answer measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A count of things: `200000`, `200k`, `1.5M`.
    Count,
    /// Bytes: `50GB`, `4TB`, `500GiB`.
    Size,
    /// Per second: `120/s`, `5k/s`, `100/30m`.
    Rate,
    /// Availability or another percentage: `99.95`, `99.95%`.
    Percent,
    /// A plain number such as reads per write: `10`, `2.5`.
    Ratio,
    /// Seconds: `500ms`, `30d`.
    Duration,
    /// Growth per year, a fraction: `40%/y`, `5%/month`, `-10%/y`.
    Growth,
}

impl Kind {
    /// Reads a typed answer into its base unit (items, bytes, per second, fraction, number,
    /// seconds).
    pub fn parse(self, text: &str) -> Result<f64, units::Error> {
        match self {
            Kind::Count => units::parse_count(text),
            Kind::Size => units::parse_size(text),
            Kind::Rate => units::parse_rate(text),
            Kind::Percent => units::parse_availability(text),
            Kind::Duration => units::parse_duration(text),
            Kind::Growth => units::parse_growth(text),
            Kind::Ratio => {
                let v: f64 = text.trim().parse().map_err(|_| units::Error {
                    input: text.to_string(),
                    kind: "ratio",
                    reason: "expected a plain number".into(),
                    accepted: "a number such as 10 or 2.5",
                })?;
                if v.is_finite() {
                    Ok(v)
                } else {
                    Err(units::Error {
                        input: text.to_string(),
                        kind: "ratio",
                        reason: "it is not finite".into(),
                        accepted: "a number such as 10 or 2.5",
                    })
                }
            }
        }
    }

    /// Prints a base-unit value the way people write it.
    pub fn format(self, v: f64) -> String {
        match self {
            Kind::Count => units::format_count(v),
            Kind::Size => units::format_bytes(v),
            Kind::Rate => format!("{}/s", units::format_count(v)),
            Kind::Percent => units::format_percent(v),
            Kind::Ratio => units::trim_float(v, 3),
            Kind::Duration => units::format_duration(v),
            Kind::Growth => format!("{}/y", units::format_percent(v)),
        }
    }

    /// What a user may type, for help lines.
    pub fn accepted(self) -> &'static str {
        match self {
            Kind::Count => "a count such as 200000, 200k or 1.5M",
            Kind::Size => "a size such as 50GB, 4TB or 500GiB",
            Kind::Rate => "a rate such as 120/s, 5k/s or 100/30m",
            Kind::Percent => "a percentage such as 99.95 or 99.95%, or a fraction such as 0.9995",
            Kind::Ratio => "a number such as 10 or 2.5",
            Kind::Duration => "a duration such as 500ms, 30s or 4h",
            Kind::Growth => "a growth such as 40%/y, 5%/month or -10%/y",
        }
    }

    /// A short example value for `--set` lines.
    pub fn example(self) -> &'static str {
        match self {
            Kind::Count => "200k",
            Kind::Size => "500GB",
            Kind::Rate => "1k/s",
            Kind::Percent => "99.9",
            Kind::Ratio => "10",
            Kind::Duration => "30s",
            Kind::Growth => "40%/y",
        }
    }
}
