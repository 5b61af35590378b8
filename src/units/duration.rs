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

/// Prints a duration for people: `21m 36s`, `8h 45m 36s`, `43.2s`, `250ms`, `1d 5h 6m`.
/// Shows at most three adjacent units, largest first, the last one rounded; seconds keep up
/// to two decimals.
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
    const UNITS: [(&str, f64); 4] = [("d", DAY), ("h", 3600.0), ("m", 60.0), ("s", 1.0)];
    let first = |v: f64| UNITS.iter().position(|(_, size)| v >= *size).unwrap_or(3);
    let mut i = first(seconds);
    let mut last = (i + 2).min(3);
    // Round to the resolution of the last unit shown; rounding may carry into a larger unit.
    let round = |v: f64, last: usize| {
        if last == 3 {
            (v * 100.0).round() / 100.0
        } else {
            (v / UNITS[last].1).round() * UNITS[last].1
        }
    };
    let mut r = round(seconds, last);
    if first(r) != i {
        i = first(r);
        last = (i + 2).min(3);
        r = round(seconds, last);
    }
    let mut parts = Vec::new();
    let mut rest = r;
    for (j, (name, size)) in UNITS.iter().enumerate().take(last + 1).skip(i) {
        let n = if j == last {
            rest / size
        } else {
            (rest / size).floor()
        };
        rest -= n.floor() * size;
        let text = if j == 3 {
            trim_float(n, 2)
        } else {
            trim_float(n.round(), 0)
        };
        if text != "0" || j == i {
            parts.push(format!("{text}{name}"));
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
        assert_eq!(format_duration(86400.0 + 5.0 * 3600.0 + 370.76), "1d 5h 6m");
        assert_eq!(
            format_duration(3.0 * 86400.0 + 15.0 * 3600.0 + 2160.0),
            "3d 15h 36m"
        );
        assert_eq!(
            format_duration(59.0 * 86400.0 + 23.0 * 3600.0 + 3599.9),
            "60d"
        );
        assert_eq!(format_duration(180.0 * 3600.0), "7d 12h");
    }
}
