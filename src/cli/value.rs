//! clap value parsers for the quantities of the capacity commands, on top of [`crate::units`]:
//! a bad value makes clap name the flag and the value, and the units error says what is
//! accepted (exit 2).

use crate::units::{self, Error};

/// A duration in seconds: `500ms`, `3m`, `1h30m`.
pub fn duration(s: &str) -> Result<f64, Error> {
    units::parse_duration(s)
}

/// A size in bytes: `4TB`, `500GiB`.
pub fn size(s: &str) -> Result<f64, Error> {
    units::parse_size(s)
}

/// A count: `1M`, `50k`, `14`.
pub fn count(s: &str) -> Result<f64, Error> {
    units::parse_count(s)
}

/// A rate per second: `5/s`, `100/30m`, `50k`.
pub fn rate(s: &str) -> Result<f64, Error> {
    units::parse_rate(s)
}

/// `--arrival` of `queue erlang-c`: a rate, or a CSV file of intervals.
#[derive(Debug, Clone, PartialEq)]
pub enum Arrival {
    /// Arrivals per second.
    Rate(f64),
    /// A file of intervals.
    File(std::path::PathBuf),
}

/// A rate (`100/30m`), or a path ending in `.csv` (any case) for a file of intervals.
pub fn arrival(s: &str) -> Result<Arrival, Error> {
    match units::parse_rate(s) {
        Ok(r) => Ok(Arrival::Rate(r)),
        Err(_) if s.to_ascii_lowercase().ends_with(".csv") => {
            Ok(Arrival::File(std::path::PathBuf::from(s)))
        }
        Err(e) => Err(Error {
            accepted: "a count per duration such as 120/s or 100/30m, or a CSV file of intervals such as day.csv",
            ..e
        }),
    }
}

/// Growth per year: `40%/y`.
pub fn growth(s: &str) -> Result<f64, Error> {
    units::parse_growth(s)
}

/// An availability: `0.9995`, `99.95`, `99.95%` (a bare number above 1 and below 50 is
/// refused; see [`units::parse_availability`]).
pub fn availability(s: &str) -> Result<f64, Error> {
    units::parse_availability(s)
}

/// A fraction: `0.7` or `70%`. The range is the model's to check, so the error can say what
/// that model accepts.
pub fn fraction(s: &str) -> Result<f64, Error> {
    units::parse_fraction(s)
}

/// A duration longer than zero: `30d`, `1h`, `5m`.
pub fn positive_duration(s: &str) -> Result<f64, Error> {
    let d = units::parse_duration(s)?;
    if d <= 0.0 {
        return Err(Error {
            input: s.to_string(),
            kind: "duration",
            reason: "it must be longer than zero".to_string(),
            accepted: "a duration such as 30d, 1h, 5m",
        });
    }
    Ok(d)
}

/// The year convention of downtime per year: `365d`, `365.25d`, `365.2425d`.
pub fn year(s: &str) -> Result<crate::capacity::slo::Year, Error> {
    use crate::capacity::slo::{YEAR_ACCEPTED, Year};
    let accepted = YEAR_ACCEPTED;
    let d = units::parse_duration(s).map_err(|e| Error { accepted, ..e })?;
    Year::from_seconds(d).ok_or_else(|| Error {
        input: s.to_string(),
        kind: "year convention",
        reason: format!("{} is not a year convention", units::format_duration(d)),
        accepted,
    })
}

/// A plain number (model coefficients): `0.02773`, `1.044e-4`.
pub fn number(s: &str) -> Result<f64, Error> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(Error {
            input: s.to_string(),
            kind: "number",
            reason: "expected a number".into(),
            accepted: "a decimal number such as 0.02773 or 1.044e-4",
        }),
    }
}

/// A whole number that fits 32 bits: `14`, `1k`.
pub fn whole(s: &str) -> Result<u32, Error> {
    let v = units::parse_count(s)?;
    if v.fract() != 0.0 || v > f64::from(u32::MAX) {
        return Err(Error {
            input: s.to_string(),
            kind: "whole number",
            reason: "expected a whole number".into(),
            accepted: "a whole number such as 3, 14 or 1k (up to 4294967295)",
        });
    }
    Ok(v as u32)
}

/// A whole number that fits 64 bits: `1M` keys, node lists.
pub fn whole64(s: &str) -> Result<u64, Error> {
    let v = units::parse_count(s)?;
    if v.fract() != 0.0 || v >= u64::MAX as f64 {
        return Err(Error {
            input: s.to_string(),
            kind: "whole number",
            reason: "expected a whole number".into(),
            accepted: "a whole number such as 8, 1024 or 1M",
        });
    }
    Ok(v as u64)
}

/// A random seed: any whole number that fits 64 bits, written in plain digits.
pub fn seed(s: &str) -> Result<u64, Error> {
    s.trim().parse::<u64>().map_err(|_| Error {
        input: s.to_string(),
        kind: "seed",
        reason: "expected a whole number from 0 to 18446744073709551615".into(),
        accepted: "a whole number such as 1 or 42",
    })
}

/// A whole number used as a length or position: `10`, `0`.
pub fn index(s: &str) -> Result<usize, Error> {
    let v = whole64(s)?;
    usize::try_from(v).map_err(|_| Error {
        input: s.to_string(),
        kind: "whole number",
        reason: "it is too large".into(),
        accepted: "a whole number such as 0, 10 or 1k",
    })
}

const ERROR_RATE: &str = "a fraction from 0 to 1 such as 0.1, or a percentage such as 10%";

/// `--error-rate`: `0.1` or `10%`. A bare number above 1 is refused: 10 could mean 10 %.
pub fn error_rate(s: &str) -> Result<f64, Error> {
    let err = |reason: &str| Error {
        input: s.to_string(),
        kind: "failure ratio",
        reason: reason.to_string(),
        accepted: ERROR_RATE,
    };
    let v = units::parse_fraction(s).map_err(|e| err(&e.reason))?;
    if !(0.0..=1.0).contains(&v) {
        return Err(err("it must be from 0 to 1 (0 % to 100 %)"));
    }
    Ok(v)
}

/// An SLO with a budget: below 100 %.
pub fn budgeted(s: &str) -> Result<f64, Error> {
    let v = availability(s)?;
    if v >= 1.0 {
        return Err(Error {
            input: s.to_string(),
            kind: "service level objective",
            reason: "an SLO of 100 % has no error budget to burn".to_string(),
            accepted: "a percentage below 100 such as 99.9 or 99.9%, or a fraction below 1 such as 0.999",
        });
    }
    Ok(v)
}
const CONFIDENCE: &str =
    "a level strictly between 0 and 1 such as 0.95, or a percentage such as 95% or 99.9";

pub fn confidence(s: &str) -> Result<f64, Error> {
    let err = |reason: &str| Error {
        input: s.to_string(),
        kind: "confidence level",
        reason: reason.to_string(),
        accepted: CONFIDENCE,
    };
    let v = availability(s).map_err(|e| err(&e.reason))?;
    if v >= 1.0 {
        return Err(err("a 100 % interval is the whole range"));
    }
    Ok(v)
}

const REL_ERROR: &str =
    "a fraction strictly between 0 and 1 such as 0.05, or a percentage such as 5%";

pub fn rel_error(s: &str) -> Result<f64, Error> {
    let err = |reason: &str| Error {
        input: s.to_string(),
        kind: "relative error",
        reason: reason.to_string(),
        accepted: REL_ERROR,
    };
    let v = fraction(s).map_err(|e| err(&e.reason))?;
    if !(v > 0.0 && v < 1.0) {
        return Err(err("it must be above 0 and below 1 (100 %)"));
    }
    Ok(v)
}

/// The CLI's own copy of a library enum: the library stays free of clap, and each variant
/// keeps its doc comment for `--help`.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident => $lib:path { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($(#[$vmeta])* $variant),*
        }

        impl From<$name> for $lib {
            fn from(v: $name) -> Self {
                match v {
                    $($name::$variant => <$lib>::$variant),*
                }
            }
        }
    };
}

choice! {
    /// `--flavour` of `render` and `adr`.
    Flavour => crate::render::Flavour {
        /// MADR 4: YAML front matter (status, date, decision-makers); folder docs/decisions.
        Madr,
        /// Michael Nygard's format as adr-tools writes it: `# N. Title`, `## Status`; folder doc/adr.
        Nygard,
        /// MADR 2 bullets under the title (`- Status: proposed`), as log4brains reads them.
        Log4brains,
    }
}

choice! {
    /// `--status` of `adr new`.
    Status => crate::render::adr::Status {
        /// Put forward, not yet agreed.
        Proposed,
        /// Agreed and in force.
        Accepted,
    }
}

choice! {
    /// `--jitter` of `retry`.
    Jitter => crate::capacity::retry::Jitter {
        /// No randomness: wait E.
        None,
        /// Full jitter: wait uniform(0, E).
        Full,
        /// Equal jitter: wait E/2 + uniform(0, E/2).
        Equal,
        /// Decorrelated jitter: wait min(cap, uniform(base, 3·previous)), previous starting at
        /// base; its upper end grows as min(cap, base·3^k).
        Decorrelated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_refuse_fractions() {
        assert_eq!(whole("14").unwrap(), 14);
        assert_eq!(whole("1k").unwrap(), 1000);
        assert!(whole("2.5").is_err());
        assert_eq!(whole64("1M").unwrap(), 1_000_000);
    }

    #[test]
    fn seeds_and_indexes_say_what_is_accepted() {
        assert_eq!(seed("42").unwrap(), 42);
        let e = seed("x").unwrap_err().to_string();
        assert!(e.contains("`x`") && e.contains("accepted"), "{e}");
        assert!(seed("99999999999999999999999").is_err());
        assert_eq!(index("10").unwrap(), 10);
        assert!(index("-1").is_err());
    }
}
