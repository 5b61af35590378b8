//! SLO arithmetic: allowed downtime per window, error budgets, burn rates and the multiwindow
//! multi-burn-rate alert table of the Google SRE workbook.
//!
//! Conventions (printed by the CLI): a year is 365 days unless a [`Year`] says otherwise, a
//! month window is 30 days and a quarter 90 days (SRE book, Appendix A). An SLO is a fraction
//! in (0, 1); its error budget is `1 − SLO`. Durations are seconds.

use crate::diagnostic::{Code, Diagnostic, FileDiagnostics};
use crate::units::{self, DAY};
use crate::yaml::{nth_key, section};
use serde::{Deserialize, Serialize};

/// The length of a year used to turn an availability into downtime per year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Year {
    /// 365 days: Google SRE book, AWS, Azure. The default.
    #[default]
    #[serde(rename = "365d")]
    Days365,
    /// 365.25 days (Julian year): Wikipedia's nines table.
    #[serde(rename = "365.25d")]
    Days365_25,
    /// 365.2425 days (Gregorian year): uptime.is.
    #[serde(rename = "365.2425d")]
    Days365_2425,
}

impl Year {
    /// Every convention, for parsing and help texts.
    pub const ALL: [Year; 3] = [Year::Days365, Year::Days365_25, Year::Days365_2425];

    /// Days in this year.
    pub fn days(self) -> f64 {
        match self {
            Year::Days365 => 365.0,
            Year::Days365_25 => 365.25,
            Year::Days365_2425 => 365.2425,
        }
    }

    /// Seconds in this year.
    pub fn seconds(self) -> f64 {
        self.days() * DAY
    }

    /// How the convention is written on the command line: `365d`, `365.25d`, `365.2425d`.
    pub fn flag(self) -> &'static str {
        match self {
            Year::Days365 => "365d",
            Year::Days365_25 => "365.25d",
            Year::Days365_2425 => "365.2425d",
        }
    }

    /// The convention a duration of `seconds` names, if it is one of [`Year::ALL`].
    pub fn from_seconds(seconds: f64) -> Option<Year> {
        Year::ALL
            .into_iter()
            .find(|y| (y.seconds() - seconds).abs() < 1e-6)
    }

    /// The accepted values, generated from [`Year::ALL`] (equal to [`YEAR_ACCEPTED`]).
    pub fn accepted() -> String {
        Year::ALL.map(Year::flag).join(", ")
    }
}

/// The accepted `--year` values as a constant for error values that need a `&'static str`;
/// a test keeps it equal to [`Year::accepted`].
pub const YEAR_ACCEPTED: &str = "365d, 365.25d, 365.2425d";

/// A named window over which downtime is allowed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    /// `day`, `week`, `month`, `quarter`, `year`, or the duration the user typed.
    pub name: String,
    /// Length in seconds.
    pub seconds: f64,
}

/// The standard windows of the SRE book: day, week, month (30 d), quarter (90 d) and a year
/// of the given convention.
pub fn standard_windows(year: Year) -> Vec<Window> {
    [
        ("day", DAY),
        ("week", 7.0 * DAY),
        ("month", 30.0 * DAY),
        ("quarter", 90.0 * DAY),
        ("year", year.seconds()),
    ]
    .into_iter()
    .map(|(name, seconds)| Window {
        name: name.into(),
        seconds,
    })
    .collect()
}

/// Allowed downtime in seconds: `(1 − A) × window`.
///
/// Source: Google SRE book, Appendix A (Availability table): 99.95 % over 30 days → 1296 s
/// (21 m 36 s); 99.99 % over 365 days → 3153.6 s (52.56 min).
pub fn downtime(availability: f64, window: f64) -> f64 {
    (1.0 - availability) * window
}

/// Allowed failed requests among `requests`: `(1 − SLO) × requests`.
///
/// Source: Google SRE book, ch. 3: 2.5 M requests at 99.99 % allow 250 errors.
pub fn allowed_failures(slo: f64, requests: f64) -> f64 {
    (1.0 - slo) * requests
}

/// Error budget spent and left after observing `good` of `total` events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Remaining {
    /// The SLO, a fraction.
    pub slo: f64,
    /// Good events observed.
    pub good: f64,
    /// All events observed.
    pub total: f64,
    /// Bad events observed: `total − good`.
    pub bad: f64,
    /// Bad events the SLO allows among `total`: `(1 − SLO) × total`.
    pub allowed_bad: f64,
    /// Observed error ratio: `bad / total`.
    pub error_ratio: f64,
    /// Fraction of the budget spent: `bad / allowed_bad`. Above 1 when the SLO is missed.
    pub consumed: f64,
    /// Fraction of the budget left: `1 − consumed` (negative when overspent).
    pub remaining: f64,
}

/// Error budget remaining from observed good and total events:
/// `remaining = 1 − (total − good) / ((1 − SLO) × total)`.
///
/// Source: Google SRE workbook, "Implementing SLOs" (error budget = 1 − SLO of the events in
/// the window). `total` must be above zero and `good` at most `total`.
pub fn budget_remaining(slo: f64, good: f64, total: f64) -> Remaining {
    let bad = total - good;
    let allowed_bad = allowed_failures(slo, total);
    let error_ratio = bad / total;
    let consumed = bad / allowed_bad;
    Remaining {
        slo,
        good,
        total,
        bad,
        allowed_bad,
        error_ratio,
        consumed,
        remaining: 1.0 - consumed,
    }
}

/// Burn rate: how many times faster than sustainable the budget is spent,
/// `error ratio / (1 − SLO)`. A burn rate of 1 spends exactly the budget over the period.
///
/// Source: Google SRE workbook, "Alerting on SLOs": a 10 % error ratio against 99.9 % burns
/// at 100 (the chapter's prose says 1,000; its own formula gives 100).
pub fn burn_rate(slo: f64, error_ratio: f64) -> f64 {
    error_ratio / (1.0 - slo)
}

/// Fraction of the period's budget consumed by burning at `burn` for `duration`:
/// `burn × duration / period`. Source: SRE workbook, "Alerting on SLOs".
pub fn budget_consumed(burn: f64, duration: f64, period: f64) -> f64 {
    burn * duration / period
}

/// Time until a full budget is gone at burn rate `burn`: `period / burn` (infinite at 0).
/// Source: SRE workbook, "Alerting on SLOs" (14.4 over 30 d → 50 h; 1000 → 43.2 min).
pub fn time_to_exhaust(burn: f64, period: f64) -> f64 {
    if burn <= 0.0 {
        f64::INFINITY
    } else {
        period / burn
    }
}

/// A burn-rate reading: the error ratio observed over a duration, against an SLO period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Burn {
    /// The SLO, a fraction.
    pub slo: f64,
    /// The observed error ratio, a fraction.
    pub error_ratio: f64,
    /// How long the error ratio lasted, seconds.
    pub over_seconds: f64,
    /// The SLO period, seconds.
    pub period_seconds: f64,
    /// `error_ratio / (1 − SLO)`.
    pub burn_rate: f64,
    /// Fraction of the period's budget spent: `burn × over / period`.
    pub consumed: f64,
    /// Time to spend a full budget at this rate: `period / burn`, seconds.
    pub time_to_exhaust_seconds: f64,
}

/// Burn rate, budget consumed and time to exhaustion of an error ratio held for `over`
/// seconds against `slo` over `period` seconds. See [`burn_rate`], [`budget_consumed`] and
/// [`time_to_exhaust`] for the formulas.
pub fn burn(slo: f64, error_ratio: f64, over: f64, period: f64) -> Burn {
    let rate = burn_rate(slo, error_ratio);
    Burn {
        slo,
        error_ratio,
        over_seconds: over,
        period_seconds: period,
        burn_rate: rate,
        consumed: budget_consumed(rate, over, period),
        time_to_exhaust_seconds: time_to_exhaust(rate, period),
    }
}

/// Who an alert goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Wake someone up.
    Page,
    /// Handle in working hours.
    Ticket,
}

impl Severity {
    /// `page` or `ticket`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Page => "page",
            Severity::Ticket => "ticket",
        }
    }
}

/// One tier of a multiwindow multi-burn-rate alert: fire when `budget_fraction` of the
/// period's budget is spent within `long_window`, confirmed over `short_window`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tier {
    /// A label, e.g. `page 2% in 1h`.
    pub name: String,
    /// Page or ticket.
    pub severity: Severity,
    /// Fraction of the period's budget spent within the long window, e.g. 0.02.
    pub budget_fraction: f64,
    /// Long window, seconds.
    pub long_window: f64,
    /// Short window, seconds (the workbook uses 1/12 of the long window).
    pub short_window: f64,
}

impl Tier {
    /// A tier with its default name: `page 2% in 1h`.
    pub fn new(
        severity: Severity,
        budget_fraction: f64,
        long_window: f64,
        short_window: f64,
    ) -> Self {
        Tier {
            name: format!(
                "{} {} in {}",
                severity.as_str(),
                units::format_percent(budget_fraction),
                units::format_duration(long_window)
            ),
            severity,
            budget_fraction,
            long_window,
            short_window,
        }
    }
}

/// The tiers recommended by the SRE workbook ("Alerting on SLOs", multiwindow, multi-burn-rate
/// alerts): page on 2 % of the budget in 1 h (short window 5 m) and 5 % in 6 h (30 m); ticket
/// on 10 % in 1 d (2 h) and 10 % in 3 d (6 h).
pub fn default_tiers() -> Vec<Tier> {
    let h = 3600.0;
    vec![
        Tier::new(Severity::Page, 0.02, h, 300.0),
        Tier::new(Severity::Page, 0.05, 6.0 * h, 1800.0),
        Tier::new(Severity::Ticket, 0.10, DAY, 2.0 * h),
        Tier::new(Severity::Ticket, 0.10, 3.0 * DAY, 6.0 * h),
    ]
}

/// Burn-rate factor of a tier: `budget fraction × period / long window`.
///
/// Source: SRE workbook, "Alerting on SLOs": over 30 d, 2 % in 1 h → 14.4; 5 % in 6 h → 6;
/// 10 % in 1 d → 3; 10 % in 3 d → 1.
pub fn burn_factor(budget_fraction: f64, period: f64, long_window: f64) -> f64 {
    budget_fraction * period / long_window
}

/// One row of the alert table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// The tier.
    pub tier: Tier,
    /// Burn rate that spends the tier's budget fraction within its long window.
    pub burn_factor: f64,
    /// Error ratio to alert above: `burn factor × (1 − SLO)`.
    pub error_rate_threshold: f64,
    /// Budget consumed when the long window fires: `burn factor × long window / period`
    /// (equal to the tier's budget fraction by construction).
    pub budget_consumed: f64,
    /// Time to spend the whole budget at the burn factor: `period / burn factor`, seconds.
    pub time_to_exhaust_seconds: f64,
}

/// The multiwindow multi-burn-rate alert table of `slo` over `period` seconds.
///
/// Formulas (SRE workbook, "Alerting on SLOs"): burn factor = budget fraction × period / long
/// window; error-rate threshold = factor × (1 − SLO); time to exhaust = period / factor.
/// For 99.9 % over 30 d the thresholds are 0.0144, 0.006, 0.003 and 0.001.
pub fn alert_table(slo: f64, period: f64, tiers: &[Tier]) -> Vec<Alert> {
    tiers
        .iter()
        .map(|t| {
            let factor = burn_factor(t.budget_fraction, period, t.long_window);
            Alert {
                tier: t.clone(),
                burn_factor: factor,
                error_rate_threshold: factor * (1.0 - slo),
                budget_consumed: budget_consumed(factor, t.long_window, period),
                time_to_exhaust_seconds: time_to_exhaust(factor, period),
            }
        })
        .collect()
}

/// A number or a string in a user file (`0.02`, `2%`).
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "crate::yaml::Plain")]
pub(crate) enum Scalar {
    Number(f64),
    Text(String),
}

impl From<crate::yaml::Plain> for Scalar {
    fn from(p: crate::yaml::Plain) -> Self {
        use crate::yaml::Plain;
        match p {
            Plain::Int(i) => Scalar::Number(i as f64),
            Plain::Float(f) => Scalar::Number(f),
            Plain::Text(s) => Scalar::Text(s),
            Plain::Bool(b) => Scalar::Text(b.to_string()),
        }
    }
}

impl Scalar {
    pub(crate) fn text(&self) -> String {
        match self {
            Scalar::Number(n) => crate::yaml::float_text(*n),
            Scalar::Text(t) => t.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTiers {
    tiers: Vec<RawTier>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    name: Option<String>,
    severity: Severity,
    budget: Scalar,
    long: Scalar,
    short: Scalar,
}

/// An SLO tier file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TiersError {
    /// Not YAML of the expected shape.
    #[error(transparent)]
    Yaml(#[from] crate::yaml::Error),
    /// Read, but some values are invalid.
    #[error(transparent)]
    Invalid(#[from] FileDiagnostics),
}

/// Most tiers a file may list (one alert rule pair each).
pub const MAX_TIERS: usize = 100;

const BUDGET_ACCEPTED: &str = "a percentage of the period's budget such as 2% or a fraction such as 0.02, above 0 and at most 100 %";
const WINDOW_ACCEPTED: &str = "a duration such as 5m, 1h, 3d";

/// Reads alert tiers from a YAML file (`path` is used in messages):
///
/// ```yaml
/// tiers:
///   - { severity: page, budget: 2%, long: 1h, short: 5m }
///   - { name: slow burn, severity: ticket, budget: 10%, long: 3d, short: 6h }
/// ```
///
/// Every problem is reported with its line, not only the first.
pub fn parse_tiers(text: &str, path: &str) -> Result<Vec<Tier>, TiersError> {
    let raw: RawTiers = crate::yaml::from_str(text, path)?;
    let sec = section(text, "tiers").unwrap_or((0, text.lines().count()));
    let mut problems = Vec::new();
    let mut tiers = Vec::new();
    if raw.tiers.len() > MAX_TIERS {
        return Err(FileDiagnostics::new(
            path.to_string(),
            vec![
                Diagnostic::new(
                    Code::TooManyTiers,
                    format!("the file lists {} tiers", raw.tiers.len()),
                )
                .at(nth_key(text, (0, usize::MAX), "tiers", 0))
                .help(format!("at most {MAX_TIERS} tiers are accepted")),
            ],
        )
        .into());
    }
    if raw.tiers.is_empty() {
        problems.push(
            Diagnostic::new(Code::EmptyTiers, "the file lists no tiers")
                .at(nth_key(text, (0, usize::MAX), "tiers", 0))
                .help("add at least one `- { severity: page, budget: 2%, long: 1h, short: 5m }`"),
        );
    }
    for (i, t) in raw.tiers.iter().enumerate() {
        let budget = match parse_fraction(&t.budget) {
            Some(b) => Some(b),
            None => {
                problems.push(
                    Diagnostic::new(
                        Code::BadBudget,
                        format!("tier {}: cannot read budget `{}`", i + 1, t.budget.text()),
                    )
                    .at(nth_key(text, sec, "budget", i))
                    .help(BUDGET_ACCEPTED),
                );
                None
            }
        };
        let mut window = |key: &str, v: &Scalar| match v {
            Scalar::Text(s) => match units::parse_duration(s) {
                Ok(d) if d > 0.0 => Some(d),
                Ok(_) => {
                    problems.push(
                        Diagnostic::new(
                            Code::BadWindow,
                            format!("tier {}: {key} window is zero", i + 1),
                        )
                        .at(nth_key(text, sec, key, i))
                        .help(WINDOW_ACCEPTED),
                    );
                    None
                }
                Err(e) => {
                    problems.push(
                        Diagnostic::new(
                            Code::BadWindow,
                            format!("tier {}: {key}: {}", i + 1, e.reason),
                        )
                        .at(nth_key(text, sec, key, i))
                        .help(WINDOW_ACCEPTED),
                    );
                    None
                }
            },
            Scalar::Number(n) => {
                problems.push(
                    Diagnostic::new(
                        Code::BadWindow,
                        format!("tier {}: {key} window `{n}` has no unit", i + 1),
                    )
                    .at(nth_key(text, sec, key, i))
                    .help(WINDOW_ACCEPTED),
                );
                None
            }
        };
        let long = window("long", &t.long);
        let short = window("short", &t.short);
        if let (Some(l), Some(s)) = (long, short)
            && s >= l
        {
            problems.push(
                Diagnostic::new(
                    Code::ShortNotShorter,
                    format!(
                        "tier {}: the short window ({}) is not shorter than the long window ({})",
                        i + 1,
                        units::format_duration(s),
                        units::format_duration(l)
                    ),
                )
                .at(nth_key(text, sec, "short", i))
                .help("the short window confirms the alert is still firing; the SRE workbook uses 1/12 of the long window"),
            );
        }
        if let (Some(b), Some(l), Some(s)) = (budget, long, short) {
            let mut tier = Tier::new(t.severity, b, l, s);
            if let Some(name) = &t.name {
                tier.name = name.clone();
            }
            tiers.push(tier);
        }
    }
    if problems.is_empty() {
        Ok(tiers)
    } else {
        Err(FileDiagnostics::new(path.to_string(), problems).into())
    }
}

/// Reads `2%` or `0.02` as 0.02; refuses a bare number above 1 (is `2` 2 % or 200 %?).
fn parse_fraction(v: &Scalar) -> Option<f64> {
    let f = match v {
        Scalar::Number(n) => *n,
        Scalar::Text(t) => crate::units::parse_fraction(t).ok()?,
    };
    (f > 0.0 && f <= 1.0).then_some(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::{MONTH, YEAR};

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    #[test]
    fn downtime_matches_the_sre_book_table_exactly() {
        // SRE book, Appendix A: (availability, [year, quarter, month, week, day]) in seconds.
        let table = [
            (0.999, [31536.0, 7776.0, 2592.0, 604.8, 86.4]),
            (0.9995, [15768.0, 3888.0, 1296.0, 302.4, 43.2]),
            (0.9999, [3153.6, 777.6, 259.2, 60.48, 8.64]),
        ];
        for (a, expected) in table {
            let windows = [YEAR, 90.0 * DAY, MONTH, 7.0 * DAY, DAY];
            for (w, e) in windows.iter().zip(expected) {
                let d = downtime(a, *w);
                assert!(rel(d, e) < 1e-12, "{a} over {w}: {d} vs {e}");
            }
        }
    }

    #[test]
    fn four_nines_over_a_year_is_52_56_minutes_and_250_errors_in_2_5m() {
        assert!(rel(downtime(0.9999, YEAR) / 60.0, 52.56) < 1e-12);
        assert!(rel(allowed_failures(0.9999, 2.5e6), 250.0) < 1e-12);
    }

    #[test]
    fn year_conventions_change_the_yearly_downtime() {
        assert_eq!(Year::default().seconds(), YEAR);
        assert!(rel(downtime(0.999, Year::Days365_25.seconds()), 31557.6) < 1e-12);
        assert!(rel(downtime(0.999, Year::Days365_2425.seconds()), 31556.952) < 1e-12);
        assert_eq!(Year::from_seconds(365.25 * DAY), Some(Year::Days365_25));
        assert_eq!(Year::from_seconds(366.0 * DAY), None);
        assert_eq!(Year::accepted(), YEAR_ACCEPTED);
    }

    #[test]
    fn default_tiers_give_the_workbook_factors_and_thresholds() {
        let table = alert_table(0.999, MONTH, &default_tiers());
        let factors = [14.4, 6.0, 3.0, 1.0];
        let thresholds = [0.0144, 0.006, 0.003, 0.001];
        for ((row, f), t) in table.iter().zip(factors).zip(thresholds) {
            assert!(rel(row.burn_factor, f) < 1e-12, "{row:?}");
            assert!(rel(row.error_rate_threshold, t) < 1e-12, "{row:?}");
            assert!(rel(row.budget_consumed, row.tier.budget_fraction) < 1e-12);
        }
        assert!(rel(table[0].time_to_exhaust_seconds, 50.0 * 3600.0) < 1e-12);
        assert_eq!(table[0].tier.name, "page 2% in 1h");
        assert_eq!(table[3].tier.short_window, 6.0 * 3600.0);
    }

    #[test]
    fn a_ten_percent_error_rate_burns_a_three_nines_budget_at_100() {
        let b = burn(0.999, 0.1, 3600.0, MONTH);
        assert!(rel(b.burn_rate, 100.0) < 1e-12);
        assert!(rel(b.consumed, 100.0 / 720.0) < 1e-12);
        assert!((b.consumed * 100.0 - 13.9).abs() < 0.05);
        assert!(rel(time_to_exhaust(1000.0, MONTH), 43.2 * 60.0) < 1e-12);
        assert_eq!(time_to_exhaust(0.0, MONTH), f64::INFINITY);
    }

    #[test]
    fn remaining_budget_comes_from_good_and_total() {
        let r = budget_remaining(0.999, 999_500.0, 1_000_000.0);
        assert!(rel(r.allowed_bad, 1000.0) < 1e-12);
        assert!(rel(r.consumed, 0.5) < 1e-9);
        assert!(rel(r.remaining, 0.5) < 1e-9);
        let over = budget_remaining(0.999, 997_000.0, 1_000_000.0);
        assert!(over.remaining < 0.0);
    }

    proptest::proptest! {
        #[test]
        fn downtime_falls_with_availability_and_grows_with_the_window(
            a in 0.0f64..1.0, b in 0.0f64..1.0, w in 1.0f64..1e9, longer in 1.0f64..100.0
        ) {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            proptest::prop_assert!(downtime(hi, w) <= downtime(lo, w));
            proptest::prop_assert!(downtime(a, w * longer) >= downtime(a, w));
            proptest::prop_assert!(downtime(a, w) >= 0.0);
        }

        #[test]
        fn burning_for_the_time_to_exhaust_spends_the_whole_budget(
            slo in 0.9f64..0.99999, ratio in 1e-6f64..1.0, period in 3600.0f64..1e8
        ) {
            let b = burn(slo, ratio, 1.0, period);
            let whole = budget_consumed(b.burn_rate, b.time_to_exhaust_seconds, period);
            proptest::prop_assert!((whole - 1.0).abs() < 1e-9);
            proptest::prop_assert!(burn_rate(slo, ratio * 2.0) > b.burn_rate);
        }
    }

    #[test]
    fn reads_tiers_from_a_file() {
        let text = "tiers:\n  - { severity: page, budget: 2%, long: 1h, short: 5m }\n  - name: slow\n    severity: ticket\n    budget: 0.1\n    long: 3d\n    short: 6h\n";
        let tiers = parse_tiers(text, "t.yaml").unwrap();
        assert_eq!(tiers.len(), 2);
        assert_eq!(tiers[0], default_tiers()[0]);
        assert_eq!(tiers[1].name, "slow");
        assert_eq!(tiers[1].long_window, 3.0 * DAY);
    }

    #[test]
    fn tier_file_problems_are_all_reported_with_lines() {
        let text = "tiers:\n  - { severity: page, budget: 2, long: 1h, short: 5m }\n  - { severity: page, budget: 5%, long: 1h, short: 2h }\n  - { severity: ticket, budget: 5%, long: 60, short: 1x }\n";
        let Err(TiersError::Invalid(d)) = parse_tiers(text, "t.yaml") else {
            panic!("expected diagnostics");
        };
        let codes: Vec<_> = d.items.iter().map(|i| (i.code.as_str(), i.line)).collect();
        assert_eq!(
            codes,
            [
                ("bad-budget", Some(2)),
                ("short-not-shorter", Some(3)),
                ("bad-window", Some(4)),
                ("bad-window", Some(4)),
            ]
        );
    }

    #[test]
    fn tier_files_refuse_unknown_fields_with_a_line() {
        let text = "tiers:\n  - { severity: page, budget: 2%, long: 1h, short: 5m, lang: 1h }\n";
        let Err(TiersError::Yaml(e)) = parse_tiers(text, "t.yaml") else {
            panic!("expected a yaml error");
        };
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("lang"), "{e}");
        let text = "tiers:\n  - { severity: pager, budget: 2%, long: 1h, short: 5m }\n";
        let e = parse_tiers(text, "t.yaml").unwrap_err().to_string();
        assert!(e.contains("t.yaml:2:") && e.contains("page"), "{e}");
    }

    #[test]
    fn refuses_more_tiers_than_the_cap() {
        let tier = "  - { severity: page, budget: 2%, long: 1h, short: 5m }\n";
        let text = format!("tiers:\n{}", tier.repeat(MAX_TIERS + 1));
        let Err(TiersError::Invalid(d)) = parse_tiers(&text, "t.yaml") else {
            panic!("expected diagnostics");
        };
        assert_eq!(d.items[0].code, "too-many-tiers");
        assert_eq!(d.items[0].line, Some(1));
        assert!(parse_tiers(&format!("tiers:\n{}", tier.repeat(MAX_TIERS)), "t.yaml").is_ok());
    }
}
