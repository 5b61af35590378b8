//! Sizes in bytes: decimal (`4TB` = 4·10¹² B) and binary (`500GiB` = 500·2³⁰ B).

use super::{Error, split_number, too_large, trim_float};

const ACCEPTED: &str = "a number with a unit: B, KB, MB, GB, TB, PB (decimal) or KiB, MiB, GiB, TiB, PiB (binary), e.g. 50GB, 4TB, 500GiB";

fn unit_bytes(unit: &str) -> Option<f64> {
    Some(match unit {
        "" | "B" => 1.0,
        "KB" | "kB" | "K" | "k" => 1e3,
        "MB" | "M" => 1e6,
        "GB" | "G" => 1e9,
        "TB" | "T" => 1e12,
        "PB" | "P" => 1e15,
        "KiB" => 1024.0,
        "MiB" => 1024f64.powi(2),
        "GiB" => 1024f64.powi(3),
        "TiB" => 1024f64.powi(4),
        "PiB" => 1024f64.powi(5),
        _ => return None,
    })
}

/// Parses a size into bytes. A bare number is bytes.
pub fn parse_size(input: &str) -> Result<f64, Error> {
    let err = |reason: String| Error::new(input, "size", reason, ACCEPTED);
    let (value, unit) = split_number(input).ok_or_else(|| err("expected a number".into()))?;
    if value < 0.0 {
        return Err(err("sizes cannot be negative".into()));
    }
    let factor = unit_bytes(unit).ok_or_else(|| err(format!("unknown unit `{unit}`")))?;
    let bytes = value * factor;
    match too_large(bytes, "bytes") {
        Some(reason) => Err(err(reason)),
        None => Ok(bytes),
    }
}

/// Prints bytes with a decimal unit and up to three significant decimals: `4 TB`, `10.98 TB`.
pub fn format_bytes(bytes: f64) -> String {
    let units = [
        ("PB", 1e15),
        ("TB", 1e12),
        ("GB", 1e9),
        ("MB", 1e6),
        ("KB", 1e3),
    ];
    for (name, size) in units {
        if bytes >= size {
            return format!("{} {name}", trim_float(bytes / size, 2));
        }
    }
    format!("{} B", trim_float(bytes, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_and_binary_units_differ() {
        assert_eq!(parse_size("4TB").unwrap(), 4e12);
        assert_eq!(parse_size("500GiB").unwrap(), 500.0 * 1073741824.0);
        assert_eq!(parse_size("50 GB").unwrap(), 50e9);
        assert_eq!(parse_size("123").unwrap(), 123.0);
    }

    #[test]
    fn refuses_unknown_units() {
        let e = parse_size("4 furlongs").unwrap_err();
        assert!(e.to_string().contains("KiB"), "{e}");
    }

    #[test]
    fn prints_with_a_decimal_unit() {
        assert_eq!(format_bytes(4e12), "4 TB");
        assert_eq!(format_bytes(10.976e12), "10.98 TB");
        assert_eq!(format_bytes(12.0), "12 B");
    }
}
