//! Presentation shared by the capacity commands: a model's result printed as tables plus one
//! line of interpretation, or as JSON/YAML carrying the result's plain numbers (seconds, bytes,
//! fractions) next to the formatted strings the tables show.

use super::{Format, emit, table};
use crate::capacity::Invalid;
use crate::units::trim_float;
use comfy_table::Table;
use serde::Serialize;
use std::collections::BTreeMap;

/// A model's input error, naming the command-line flag (exit 2).
pub fn flag(e: Invalid) -> anyhow::Error {
    super::usage(format!(
        "--{} {}: {}; accepted: {}",
        e.input, e.value, e.reason, e.accepted
    ))
}

/// Labelled, formatted figures: the rows of a two-column table, and the `formatted` map of
/// the JSON form (same keys as the result's numeric fields where there is one).
#[derive(Debug, Default)]
pub struct Figures {
    rows: Vec<(String, String, String)>,
}

impl Figures {
    /// Adds a row `label | text`, keyed `key` in the JSON `formatted` map.
    pub fn add(
        &mut self,
        key: impl Into<String>,
        label: impl Into<String>,
        text: impl Into<String>,
    ) -> &mut Self {
        self.rows.push((key.into(), label.into(), text.into()));
        self
    }

    /// A formatted string that is not a table row (e.g. a cell of a wider table).
    pub fn note(&mut self, key: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.rows.push((key.into(), String::new(), text.into()));
        self
    }

    /// The two-column table of the rows that have a label.
    pub fn table(&self, header: [&str; 2]) -> Table {
        let mut t = table(header);
        for (_, label, text) in self.rows.iter().filter(|r| !r.1.is_empty()) {
            t.add_row([label, text]);
        }
        t
    }

    fn formatted(&self) -> BTreeMap<String, String> {
        self.rows
            .iter()
            .map(|(k, _, v)| (k.clone(), v.clone()))
            .collect()
    }
}

#[derive(Serialize)]
struct Output<'a, T: Serialize> {
    #[serde(flatten)]
    result: &'a T,
    formatted: BTreeMap<String, String>,
    interpretation: &'a str,
}

/// Prints `result` as `tables` plus `interpretation`, or as JSON/YAML with the formatted
/// strings and the interpretation alongside the numbers.
pub fn print<T: Serialize>(
    format: Format,
    result: &T,
    figures: &Figures,
    tables: &[Table],
    interpretation: &str,
) -> anyhow::Result<()> {
    let out = Output {
        result,
        formatted: figures.formatted(),
        interpretation,
    };
    emit(format, &out, |_| {
        let mut s = String::new();
        for t in tables {
            s.push_str(&t.to_string());
            s.push('\n');
        }
        s.push_str(interpretation);
        s
    })
}

/// A number with about `digits` significant digits, trailing zeros trimmed: 5.926, 1883.9.
pub fn sig(x: f64, digits: i32) -> String {
    if !x.is_finite() {
        return if x > 0.0 { "∞".into() } else { x.to_string() };
    }
    if x == 0.0 {
        return "0".into();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if magnitude < -6 {
        return format!("{x:.2e}");
    }
    let decimals = (digits - 1 - magnitude).clamp(0, 12) as usize;
    trim_float(x, decimals)
}

/// A fraction as a percentage with three significant digits below 1 %: 71.43%, 0.725%.
pub fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p == 0.0 {
        return "0%".into();
    }
    if p.abs() < 1e-10 {
        return format!("{p:.2e}%");
    }
    let magnitude = p.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).clamp(2, 12) as usize;
    format!("{}%", trim_float(p, decimals))
}

/// A probability close to 1 shown with enough nines that its complement keeps three
/// significant digits: 0.99275 → 99.275%, 0.99999902 → 99.999902%.
pub fn nines(x: f64) -> String {
    let q = (1.0 - x) * 100.0;
    if q <= 0.0 {
        return "100%".into();
    }
    if q >= 1.0 {
        return pct(x);
    }
    let decimals = ((-q.log10()).ceil() as i32 + 2).clamp(2, 15) as usize;
    format!("{}%", trim_float(x * 100.0, decimals))
}

/// "yes"/"no".
pub fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits_and_percentages_read_well() {
        assert_eq!(sig(5.925925, 4), "5.926");
        assert_eq!(sig(1883.899, 5), "1883.9");
        assert_eq!(sig(0.000104365, 4), "0.0001044");
        assert_eq!(pct(0.7142857), "71.43%");
        assert_eq!(pct(0.00725), "0.725%");
        assert_eq!(nines(0.99275), "99.275%");
        assert_eq!(nines(0.999_999_02), "99.999902%");
        assert_eq!(nines(1.0), "100%");
    }
}
