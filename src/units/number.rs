//! Counts (`50k`, `1.5M`), rates (`120/s`, `100/30m`), percentages, availabilities and growth.

use super::{Error, YEAR, parse_duration, split_number, too_large, trim_float};

const COUNT: &str = "a number, optionally with k (thousand), M (million), B or G (billion), T (trillion), e.g. 200000, 200k, 1.5M";
const RATE: &str =
    "a count per duration, e.g. 120/s, 5k/s, 100/30m, 2M/d; a bare count means per second";
const PERCENT: &str =
    "a percentage such as 99.95 or 99.95%, or a fraction in (0, 1] such as 0.9995";
const GROWTH: &str =
    "a percentage per period, e.g. 40%/y, 5%/month, 3%/30d; a bare 40% means per year";

fn suffix_factor(suffix: &str) -> Option<f64> {
    Some(match suffix {
        "" => 1.0,
        "k" | "K" => 1e3,
        "M" | "m" => 1e6,
        "B" | "G" | "b" => 1e9,
        "T" => 1e12,
        _ => return None,
    })
}

/// Parses a count: `200000`, `200k`, `1.5M`, `2B`.
pub fn parse_count(input: &str) -> Result<f64, Error> {
    let err = |reason: String| Error::new(input, "count", reason, COUNT);
    let cleaned: String = input.trim().replace(',', "");
    let (value, suffix) = split_number(&cleaned).ok_or_else(|| err("expected a number".into()))?;
    if value < 0.0 {
        return Err(err("counts cannot be negative".into()));
    }
    let f = suffix_factor(suffix).ok_or_else(|| err(format!("unknown suffix `{suffix}`")))?;
    let n = value * f;
    match too_large(n, "items") {
        Some(reason) => Err(err(reason)),
        None => Ok(n),
    }
}

/// Parses a rate into items per second: `120/s`, `100/30m` (100 per 30 minutes), `5k`.
pub fn parse_rate(input: &str) -> Result<f64, Error> {
    let err = |reason: String| Error::new(input, "rate", reason, RATE);
    let (count, per) = match input.split_once('/') {
        Some((c, p)) => (c, Some(p.trim())),
        None => (input, None),
    };
    let n = parse_count(count).map_err(|e| err(e.reason))?;
    let secs = match per {
        None => 1.0,
        Some(p) => {
            // `/s` and `/min` carry no number: read them as one unit.
            let p = if p.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
                p.to_string()
            } else {
                format!("1{p}")
            };
            let p = match p.as_str() {
                "1sec" | "1second" => "1s".to_string(),
                "1minute" => "1m".to_string(),
                "1hour" => "1h".to_string(),
                "1month" => "30d".to_string(),
                _ => p,
            };
            parse_duration(&p).map_err(|_| {
                err(format!(
                    "cannot read the period `{}`",
                    per.unwrap_or_default()
                ))
            })?
        }
    };
    if secs <= 0.0 {
        return Err(err("the period must be longer than zero".into()));
    }
    let rate = n / secs;
    match too_large(rate, "per second") {
        Some(reason) => Err(err(reason)),
        None => Ok(rate),
    }
}

/// Below this, a bare number above 1 is refused as an availability (see
/// [`parse_availability`]).
pub const BARE_PERCENT_FROM: f64 = 50.0;

/// Parses an availability into a fraction, by one rule for the command line and every file:
///
/// - with `%`, a percentage: `99.95%` → 0.9995, `1.2%` → 0.012;
/// - a bare number in (0, 1] is a fraction: `0.9995`;
/// - a bare number from [`BARE_PERCENT_FROM`] (50) to 100 is a percentage: `99.95`;
/// - a bare number above 1 and below 50 is refused: `1.2` is far more likely a typo than
///   1.2 % available, and `avail parallel 0.99 1.01` would otherwise mix a fraction and a
///   percentage. Written `1.2%`, it is read.
///
/// Percentages are read by rounding once: `99.99` is the double nearest 0.9999, not
/// 99.99 / 100 = 0.9998999999999999, so unavailabilities keep every digit.
pub fn parse_availability(input: &str) -> Result<f64, Error> {
    let err = |reason: String| Error::new(input, "availability", reason, PERCENT);
    let (v, percent) = percent_or_fraction(input).ok_or_else(|| {
        err(match split_number(input.trim().trim_end_matches('%')) {
            Some((_, rest)) if !rest.is_empty() => format!("unexpected `{rest}` after the number"),
            _ => "expected a number".into(),
        })
    })?;
    if !percent && v > 1.0 && v < BARE_PERCENT_FROM {
        return Err(err(format!(
            "a bare number above 1 and below {BARE_PERCENT_FROM} is ambiguous (a fraction or a percentage?); write `{}%` if a percentage is meant",
            input.trim()
        )));
    }
    let fraction = if percent || v > 1.0 {
        hundredth(input.trim().trim_end_matches('%')).unwrap_or(v / 100.0)
    } else {
        v
    };
    if !(0.0..=1.0).contains(&fraction) || (fraction == 0.0) {
        return Err(err("it must be above 0 % and at most 100 %".into()));
    }
    Ok(fraction)
}

/// Parses a ratio written as a fraction (`0.7`) or a percentage (`70%`) into a fraction,
/// without a range: each model says which range it accepts. Percentages round once, as in
/// [`parse_availability`].
pub fn parse_fraction(input: &str) -> Result<f64, Error> {
    match percent_or_fraction(input) {
        Some((_, true)) => hundredth(input.trim().trim_end_matches('%'))
            .ok_or_else(|| Error::new(input, "fraction", "expected a number", FRACTION)),
        Some((v, false)) => Ok(v),
        None => Err(Error::new(input, "fraction", "expected a number", FRACTION)),
    }
}

const FRACTION: &str = "a fraction such as 0.7 or a percentage such as 70%";

/// The number of `99.95` or `99.95%`, and whether it had a `%`.
fn percent_or_fraction(input: &str) -> Option<(f64, bool)> {
    let t = input.trim();
    let (text, percent) = match t.strip_suffix('%') {
        Some(s) => (s.trim(), true),
        None => (t, false),
    };
    match split_number(text)? {
        (v, "") => Some((v, percent)),
        _ => None,
    }
}

/// `number` / 100, rounded once: `99.9` → the double nearest 0.999 (dividing by 100 gives
/// 0.9990000000000001, an unavailability off in its 13th digit).
fn hundredth(number: &str) -> Option<f64> {
    let digits = number.trim().replace('_', "");
    digits.parse::<f64>().ok()?;
    format!("{digits}e-2").parse::<f64>().ok()
}

/// Parses a plain percentage (`40`, `40%`, `0.4` is 0.4 %) into a fraction, 0 to 100 %.
pub fn parse_percent(input: &str) -> Result<f64, Error> {
    let err = |reason: String| {
        Error::new(
            input,
            "percentage",
            reason,
            "a percentage from 0 to 100, e.g. 70 or 70%",
        )
    };
    let t = input.trim();
    let t = t.strip_suffix('%').unwrap_or(t);
    let (v, rest) = split_number(t).ok_or_else(|| err("expected a number".into()))?;
    if !rest.is_empty() {
        return Err(err(format!("unexpected `{rest}` after the number")));
    }
    if !(0.0..=100.0).contains(&v) {
        return Err(err("it must be from 0 to 100".into()));
    }
    Ok(v / 100.0)
}

/// Parses growth into a fraction per year: `40%/y` → 0.4; `5%/month` compounds to a year.
pub fn parse_growth(input: &str) -> Result<f64, Error> {
    let err = |reason: String| Error::new(input, "growth", reason, GROWTH);
    let (pct, per) = match input.split_once('/') {
        Some((p, per)) => (p, Some(per.trim())),
        None => (input, None),
    };
    let pct = pct.trim();
    let pct = pct.strip_suffix('%').unwrap_or(pct);
    let (v, rest) = split_number(pct).ok_or_else(|| err("expected a percentage".into()))?;
    if !rest.is_empty() {
        return Err(err(format!("unexpected `{rest}`")));
    }
    if v <= -100.0 {
        return Err(err("growth must be above -100 %".into()));
    }
    let period = match per {
        None => YEAR,
        Some(p) => {
            let p = if p.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
                p.to_string()
            } else {
                format!("1{p}")
            };
            let p = if p == "1month" || p == "1mo" {
                "30d".to_string()
            } else {
                p
            };
            parse_duration(&p).map_err(|_| err("cannot read the period".into()))?
        }
    };
    if period <= 0.0 {
        return Err(err("the period must be longer than zero".into()));
    }
    // A yearly rate is taken as written (0.4, not 0.3999... from the power).
    let yearly = if period == YEAR {
        v / 100.0
    } else {
        (1.0 + v / 100.0).powf(YEAR / period) - 1.0
    };
    if yearly.is_nan() || yearly.abs() > super::MAX {
        return Err(err(
            "it compounds to more than 1e20 % a year; at most 1e20 % a year is accepted".into(),
        ));
    }
    Ok(yearly)
}

/// Prints a count with a suffix: `1.5M`, `200k`, `950`.
pub fn format_count(n: f64) -> String {
    let units = [("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)];
    for (name, size) in units {
        if n.abs() >= size {
            return format!("{}{name}", trim_float(n / size, 2));
        }
    }
    trim_float(n, 2)
}

/// Prints a fraction as a percentage with enough decimals to show the nines:
/// 0.9995 → `99.95%`, 0.999700029999 → `99.970003%`.
pub fn format_percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    for decimals in 2..=10 {
        let s = trim_float(p, decimals);
        if (s.parse::<f64>().unwrap_or(p) - p).abs() <= p.abs() * 1e-9 || decimals == 10 {
            return format!("{s}%");
        }
    }
    format!("{p}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_suffixes() {
        assert_eq!(parse_count("200000").unwrap(), 200000.0);
        assert_eq!(parse_count("200k").unwrap(), 200000.0);
        assert_eq!(parse_count("1.5M").unwrap(), 1.5e6);
        assert_eq!(parse_count("1,000,000").unwrap(), 1e6);
        assert!(parse_count("lots").is_err());
        assert!(
            parse_count("5x")
                .unwrap_err()
                .to_string()
                .contains("unknown suffix")
        );
    }

    #[test]
    fn rates_divide_by_their_period() {
        assert_eq!(parse_rate("120/s").unwrap(), 120.0);
        assert!((parse_rate("100/30m").unwrap() - 100.0 / 1800.0).abs() < 1e-15);
        assert_eq!(parse_rate("5k").unwrap(), 5000.0);
        assert_eq!(parse_rate("50k/s").unwrap(), 50000.0);
        assert_eq!(parse_rate("60/min").unwrap(), 1.0);
        assert!(parse_rate("5/fortnight").is_err());
    }

    #[test]
    fn availability_reads_percent_and_fractions() {
        assert!((parse_availability("99.95").unwrap() - 0.9995).abs() < 1e-15);
        assert!((parse_availability("99.95%").unwrap() - 0.9995).abs() < 1e-15);
        assert_eq!(parse_availability("0.9995").unwrap(), 0.9995);
        assert_eq!(parse_availability("100").unwrap(), 1.0);
        assert_eq!(parse_availability("99.99").unwrap(), 0.9999, "rounded once");
        assert_eq!(parse_availability("50").unwrap(), 0.5);
        assert!(parse_availability("101").is_err());
        assert!(parse_availability("-5").is_err());
        assert!(parse_availability("0").is_err());
        assert!(parse_availability("99.9 percent").is_err());
    }

    #[test]
    fn a_bare_number_between_1_and_50_is_refused_unless_written_with_percent() {
        for typo in ["1.2", "1.01", "49.9", "2"] {
            let e = parse_availability(typo).unwrap_err().to_string();
            assert!(e.contains(&format!("`{typo}`")), "{e}");
            assert!(e.contains("99.95%") && e.contains("0.9995"), "{e}");
            assert!(e.contains(&format!("`{typo}%`")), "{e}");
        }
        assert!((parse_availability("1.2%").unwrap() - 0.012).abs() < 1e-15);
        assert_eq!(parse_availability("1").unwrap(), 1.0);
    }

    #[test]
    fn fractions_take_percent_signs_and_no_range() {
        assert_eq!(parse_fraction("0.7").unwrap(), 0.7);
        assert_eq!(parse_fraction("70%").unwrap(), 0.7);
        assert_eq!(parse_fraction("1.5").unwrap(), 1.5);
        assert_eq!(parse_fraction(" 2 % ").unwrap(), 0.02);
        assert!(parse_fraction("seventy").is_err());
        assert!(parse_fraction("70%%").is_err());
    }

    #[test]
    fn growth_compounds_to_a_year() {
        assert!((parse_growth("40%/y").unwrap() - 0.4).abs() < 1e-12);
        assert!((parse_growth("40%").unwrap() - 0.4).abs() < 1e-12);
        let monthly = parse_growth("1%/month").unwrap();
        assert!((monthly - (1.01f64.powf(365.0 / 30.0) - 1.0)).abs() < 1e-12);
    }

    #[test]
    fn prints_percentages_with_their_nines() {
        assert_eq!(format_percent(0.9995), "99.95%");
        assert_eq!(format_percent(0.999700029999), "99.970003%");
        assert_eq!(format_count(1.5e6), "1.5M");
        assert_eq!(format_count(950.0), "950");
    }
}
