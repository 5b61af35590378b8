//! Durations: `500ms`, `30s`, `4h30m`, `1.5h`, `30d`, `2w`, `1y`.

use super::{DAY, Error, YEAR, split_number, trim_float};

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
        rest = tail[unit_len..].trim_start();
    }
    Ok(total)
}

/// Prints a duration for people: `21m 36s`, `8h 45m 36s`, `43.2s`, `250ms`, `365d`.
/// Shows at most three units, largest first; seconds keep up to two decimals.
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
        return format!("{}µs", trim_float(seconds * 1e6, 2));
    }
    if seconds < 1.0 {
        return format!("{}ms", trim_float(seconds * 1e3, 2));
    }
    let units = [("d", DAY), ("h", 3600.0), ("m", 60.0)];
    let mut parts = Vec::new();
    let mut rest = seconds;
    for (name, size) in units {
        if rest >= size && parts.len() < 2 {
            let n = (rest / size).floor();
            // Guard against 59.9999 s rounding up to "60s" below.
            rest -= n * size;
            parts.push(format!("{n}{name}"));
        }
    }
    let secs = trim_float(rest, 2);
    if secs == "60" {
        return format_duration((seconds / 60.0).round() * 60.0);
    }
    if (secs != "0" || parts.is_empty()) && parts.len() < 3 {
        parts.push(format!("{secs}s"));
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
    }
}
