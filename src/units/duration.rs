//! Durations: `500ms`, `30s`, `4h30m`, `1.5h`, `30d`, `2w`, `1y`.

use super::{DAY, Error, YEAR, split_number, too_large, trim_float};

const ACCEPTED: &str = "a number with a unit: ns, us, ms, s, m (or min), h, d, w, y (365 d); parts may be chained, e.g. 500ms, 30s, 4h30m, 1.5h, 30d, 1y";

fn unit_seconds(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" => 1e-9,
        "us" | "µs" => 1e-6,
        "ms" => 1e-3,
        "s" | "sec" | "secs" => 1.0,
        "m" | "min" | "mins" => 60.0,
        "h" | "hr" | "hrs" => 3600.0,
        "d" | "day" | "days" => DAY,
        "w" | "wk" => 7.0 * DAY,
        "y" | "yr" => YEAR,
        _ => return None,
    })
}

/// Parses a duration into seconds. Parts add up (`1h30m` = 5400 s). A bare number is refused:
/// its unit would be a guess.
pub fn parse_duration(input: &str) -> Result<f64, Error> {
    let err = |reason: &str| Error::new(input, "duration", reason, ACCEPTED);
    let mut rest = input.trim();
    if rest.is_empty() {
        return Err(err("it is empty"));
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let (value, tail) = split_number(rest).ok_or_else(|| err("expected a number"))?;
        if value < 0.0 {
            return Err(err("durations cannot be negative"));
        }
        let unit_len = tail
            .char_indices()
            .find(|&(_, c)| c.is_ascii_digit() || c == '.')
            .map_or(tail.len(), |(i, _)| i);
        let unit = tail[..unit_len].trim();
        if unit.is_empty() {
            return Err(err("the number has no unit"));
        }
        let secs = unit_seconds(unit).ok_or_else(|| err(&format!("unknown unit `{unit}`")))?;
        total += value * secs;
        if let Some(reason) = too_large(total, "seconds") {
            return Err(err(&reason));
        }
        rest = tail[unit_len..].trim_start();
    }
    Ok(total)
}

/// Prints a duration for people: `21m 36s`, `8h 45m 36s`, `1d 5h 6m`, `43.2s`, `250ms`,
/// `365d`. Shows at most three consecutive units from the largest, the last one rounded
/// (seconds to two decimals), and leaves out zero units.
pub fn format_duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return if seconds > 0.0 {
            "∞".into()
        } else {
            "-".into()
        };
    }
    if seconds < 0.0 {
        return format!("-{}", format_duration(-seconds));
    }
    if seconds == 0.0 {
        return "0s".into();
    }
    if seconds < 1e-3 {
        let us = trim_float(seconds * 1e6, 2);
        if us != "1000" {
            return format!("{us}µs");
        }
    }
    if seconds < 1.0 {
        let ms = trim_float(seconds * 1e3, 2);
        if ms != "1000" {
            return format!("{ms}ms");
        }
    }
    // Past a million years the day count stops being readable; say it in years.
    if seconds >= 1e6 * YEAR {
        return format!("{:.3e}y", seconds / YEAR);
    }
    // Whole hundredths of a second, so rounding carries into minutes, hours and days
    // exactly (59.999 s is `1m`, never `60s`). Below 1e6 years this fits a u64.
    const SIZES: [(&str, u64); 4] = [("d", 8_640_000), ("h", 360_000), ("m", 6_000), ("s", 100)];
    let exact = (seconds * 100.0).round() as u64;
    let top = |c: u64| SIZES.iter().position(|&(_, size)| c >= size).unwrap_or(3);
    let round = |first: usize| {
        let last = (first + 2).min(3);
        let step = if last == 3 { 1 } else { SIZES[last].1 };
        (exact + step / 2) / step * step
    };
    let mut first = top(exact);
    let mut c = round(first);
    // Rounding may carry into a larger unit (23h 59m 59.999s is 1d); round again for it.
    if top(c) != first {
        first = top(c);
        c = round(first);
    }
    let last = (first + 2).min(3);
    let mut parts = Vec::new();
    for (i, &(name, size)) in SIZES.iter().enumerate().take(last + 1).skip(first) {
        if i == 3 {
            if c > 0 || parts.is_empty() {
                parts.push(format!("{}s", trim_float(c as f64 / 100.0, 2)));
            }
        } else {
            let n = c / size;
            c %= size;
            if n > 0 {
                parts.push(format!("{n}{name}"));
            }
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_chained_parts_and_units() {
        assert_eq!(parse_duration("30d").unwrap(), 30.0 * 86400.0);
        assert_eq!(parse_duration("4h30m").unwrap(), 16200.0);
        assert_eq!(parse_duration("1h 30m").unwrap(), 5400.0);
        assert!((parse_duration("500ms").unwrap() - 0.5).abs() < 1e-15);
        assert_eq!(parse_duration("1.5h").unwrap(), 5400.0);
        assert_eq!(parse_duration("1y").unwrap(), 365.0 * 86400.0);
    }

    #[test]
    fn refuses_bare_numbers_and_unknown_units() {
        let e = parse_duration("30").unwrap_err();
        assert!(e.to_string().contains("no unit"), "{e}");
        let e = parse_duration("3 fortnights").unwrap_err();
        assert!(e.to_string().contains("unknown unit `fortnights`"), "{e}");
        assert!(parse_duration("").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn prints_like_people_write() {
        assert_eq!(format_duration(1296.0), "21m 36s");
        assert_eq!(format_duration(31536.0), "8h 45m 36s");
        assert_eq!(format_duration(43.2), "43.2s");
        assert_eq!(format_duration(0.25), "250ms");
        assert_eq!(format_duration(365.0 * 86400.0), "365d");
        assert_eq!(format_duration(3153.6), "52m 33.6s");
        assert_eq!(format_duration(59.999), "1m");
        assert_eq!(format_duration(105_370.76), "1d 5h 16m");
        assert_eq!(format_duration(0.9999999), "1s");
        assert_eq!(format_duration(86_399.999), "1d");
        assert_eq!(format_duration(3_599.999), "1h");
    }

    #[test]
    fn a_minute_rounded_after_days_and_hours_does_not_recurse() {
        // Found by fuzzing: 1d 1h 1m used to round its seconds to `60` and call itself
        // with the same value until the stack overflowed.
        assert_eq!(format_duration(90_060.0), "1d 1h 1m");
        assert_eq!(format_duration(90_059.999), "1d 1h 1m");
    }

    #[test]
    fn huge_durations_are_said_in_years() {
        assert_eq!(format_duration(1e300), "3.171e292y");
        assert_eq!(format_duration(1e13), "115740740d 17h 47m");
    }

    #[test]
    fn refuses_durations_beyond_the_largest_quantity() {
        let e = parse_duration("1e302y").unwrap_err();
        assert!(e.to_string().contains("at most 1e18 seconds"), "{e}");
        assert!(parse_duration("1e10y").is_ok());
    }
}
