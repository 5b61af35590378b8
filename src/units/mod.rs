//! Parsing and printing of the quantities people type: durations (`30d`, `4h30m`, `500ms`),
//! sizes (`4TB` decimal, `500GiB` binary), counts (`50k`, `1.5M`), rates (`120/s`,
//! `100/30m`), percentages and availabilities (`99.95`, `99.95%`, `0.9995`) and growth
//! (`40%/y`).
//!
//! Every parser returns a plain `f64` in base units (seconds, bytes, items, items per second,
//! fractions) and an [`Error`] that says what was typed and what is accepted.
//! Conventions: a day is 86 400 s, a week 7 d, a month 30 d, a year 365 d (see [`YEAR`]).

mod duration;
mod number;
mod size;

pub use duration::{format_duration, parse_duration};
pub use number::{
    BARE_PERCENT_FROM, format_count, format_percent, parse_availability, parse_count,
    parse_fraction, parse_growth, parse_percent, parse_rate,
};
pub use size::{format_bytes, parse_size};

/// Seconds in a day.
pub const DAY: f64 = 86_400.0;
/// Seconds in the default year (365 days: Google SRE book, AWS, Azure).
pub const YEAR: f64 = 365.0 * DAY;
/// Seconds in the default month window (30 days, SRE book).
pub const MONTH: f64 = 30.0 * DAY;

/// Largest magnitude a parsed quantity may have, in its base unit (seconds, bytes, items,
/// items per second, growth per year): 10^18, an exabyte or 30 billion years. Bigger values
/// are typing mistakes, and refusing them keeps every model's arithmetic finite.
pub const MAX: f64 = 1e18;

/// The reason to refuse `v` when it is beyond [`MAX`] (or not a number at all).
fn too_large(v: f64, unit: &str) -> Option<String> {
    (v.is_nan() || v.abs() > MAX)
        .then(|| format!("it is too large: at most 1e18 {unit} are accepted"))
}

/// A quantity that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot read `{input}` as {} {kind}: {reason}; accepted: {accepted}",
    article(kind)
)]
pub struct Error {
    /// What was typed.
    pub input: String,
    /// What was expected (`duration`, `size`, ...).
    pub kind: &'static str,
    /// Why it was refused.
    pub reason: String,
    /// Examples of what is accepted.
    pub accepted: &'static str,
}

/// `an` before a vowel sound (`an availability`), else `a`.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

impl Error {
    fn new(
        input: &str,
        kind: &'static str,
        reason: impl Into<String>,
        accepted: &'static str,
    ) -> Self {
        Self {
            input: input.to_string(),
            kind,
            reason: reason.into(),
            accepted,
        }
    }
}

/// Splits `12.5ms` into (12.5, "ms"). The number may have a sign, decimals, an exponent and
/// `_` separators.
fn split_number(s: &str) -> Option<(f64, &str)> {
    let s = s.trim();
    let end = s
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || c == '.'
                || c == '_'
                || ((c == '-' || c == '+') && (i == 0 || s[..i].ends_with(['e', 'E'])))
                || ((c == 'e' || c == 'E')
                    && i > 0
                    && s[i + 1..]
                        .starts_with(|d: char| d.is_ascii_digit() || d == '-' || d == '+')))
        })
        .map_or(s.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let digits: String = s[..end].chars().filter(|&c| c != '_').collect();
    let value: f64 = digits.parse().ok()?;
    value.is_finite().then_some((value, s[end..].trim()))
}

/// `v` rounded to `digits` significant digits (33333.333 → 33300, 0.0012345 → 0.00123).
pub fn round_significant(v: f64, digits: u32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let magnitude = v.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits as i32 - 1 - magnitude);
    (v * scale).round() / scale
}

/// A rate for people, to three significant digits: `33.3k/s`, `1.2/s`.
pub fn format_rate(per_second: f64) -> String {
    format!("{}/s", format_count(round_significant(per_second, 3)))
}

/// A duration for people, to three significant digits: `1.88ms`, `8.46s`.
pub fn format_duration_3(seconds: f64) -> String {
    format_duration(round_significant(seconds, 3))
}

/// `n thing` or `n things`: `1 layer`, `2 layers`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Formats `v` with at most `decimals` decimals and no trailing zeros.
pub fn trim_float(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_numbers_with_exponents_and_separators() {
        assert_eq!(split_number("1_000ms"), Some((1000.0, "ms")));
        assert_eq!(split_number("1e-4/h"), Some((1e-4, "/h")));
        assert_eq!(split_number("-3"), Some((-3.0, "")));
        assert_eq!(split_number("ms"), None);
    }

    #[test]
    fn rounds_to_three_significant_digits() {
        assert_eq!(round_significant(33_333.333, 3), 33_300.0);
        assert_eq!(format_rate(33_333.333), "33.3k/s");
        assert_eq!(format_rate(1.2), "1.2/s");
        assert_eq!(format_duration_3(0.001_881), "1.88ms");
        assert_eq!(round_significant(0.001_234_5, 3), 0.001_23);
        assert_eq!(plural(1, "layer", "layers"), "1 layer");
        assert_eq!(plural(3, "layer", "layers"), "3 layers");
    }

    #[test]
    fn trims_trailing_zeros() {
        assert_eq!(trim_float(1.50, 2), "1.5");
        assert_eq!(trim_float(2.0, 3), "2");
        assert_eq!(trim_float(0.0001, 2), "0");
    }
}
