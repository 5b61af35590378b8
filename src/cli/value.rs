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

/// An availability: `0.99`, `99`, `99%`.
pub fn availability(s: &str) -> Result<f64, Error> {
    units::parse_availability(s)
}

/// A fraction: `0.7` or `70%`. The range is the model's to check, so the error can say what
/// that model accepts.
pub fn fraction(s: &str) -> Result<f64, Error> {
    let t = s.trim();
    let (text, percent) = match t.strip_suffix('%') {
        Some(rest) => (rest.trim(), true),
        None => (t, false),
    };
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(if percent { v / 100.0 } else { v }),
        _ => Err(Error {
            input: s.to_string(),
            kind: "fraction",
            reason: "expected a number".into(),
            accepted: "a fraction such as 0.7 or a percentage such as 70%",
        }),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_take_percent_signs() {
        assert_eq!(fraction("0.7").unwrap(), 0.7);
        assert_eq!(fraction("70%").unwrap(), 0.7);
        assert_eq!(fraction("1.5").unwrap(), 1.5);
        assert!(fraction("seventy").is_err());
    }

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
