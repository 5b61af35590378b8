//! Prometheus rules for the design's availability objective: recording rules for the error
//! ratio of a request-based SLI over every window the alert tiers need, and multiwindow
//! multi-burn-rate alerting rules (SRE workbook, "Alerting on SLOs").
//!
//! The tiers and their thresholds come from [`crate::capacity::slo::alert_table`] (the same
//! table `tradeoff slo alerts` prints), so the rule file and the table never disagree. The
//! output sticks to Prometheus 2.x syntax (Debian ships 2.42): plain `rate`, `sum`, `and`,
//! and duration literals with one unit (`5m`, `1d`).

use super::service::Shape;
use super::write::{self, Artifact, Comment};
use crate::capacity::slo::{self, Alert};
use crate::design::{Design, Value};
use crate::units;
use minijinja::Environment;
use serde::Serialize;
use std::path::Path;

/// The template the rule file is rendered from (override it with `--templates DIR`).
pub const TEMPLATE: &str = "alerts/slo-rules.yaml";

/// What the SLI is measured on and what the rules are called.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Names the SLO: the `slo` label on every rule and part of the group names.
    pub service: String,
    /// The request counter (a Prometheus counter with one series per outcome).
    pub metric: String,
    /// Label matchers that pick the failed requests among the metric's series.
    pub errors: String,
    /// Label matchers applied to every series (both the errors and the total), e.g.
    /// `job="api"`. Empty for none.
    pub selector: String,
    /// The latency histogram, as scraped, without `_bucket`.
    pub histogram: String,
    /// The latency objective, seconds: with it, latency burn-rate rules count the requests
    /// slower than this (it must be one of the histogram's bucket bounds).
    pub latency_target: Option<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            service: "api".into(),
            metric: "http_requests_total".into(),
            errors: r#"code=~"5..""#.into(),
            selector: String::new(),
            histogram: "http_request_duration_seconds".into(),
            latency_target: None,
        }
    }
}

impl Options {
    /// The rules for the scaffold of `design` (written from the design file `source`): its
    /// SLI series, scoped to its job, and latency rules when the design is latency-sensitive.
    pub fn for_design(design: &Design, source: &str) -> Options {
        let sli = Shape::of(design).sli();
        let package = super::service::package(design, source);
        let latency_target = if super::service::latency_sensitive(design) {
            super::service::latency_target(design).map(|(t, _)| t)
        } else {
            None
        };
        Options {
            selector: format!("job=\"{package}\""),
            service: package,
            metric: sli.counter,
            errors: sli.errors,
            histogram: sli.histogram,
            latency_target,
        }
    }
}

/// The objective the rules protect.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Slo {
    /// Availability target, a fraction in (0, 1).
    pub target: f64,
    /// The SLO period in seconds (30 d by default in design files).
    pub window: f64,
}

impl Slo {
    /// Reads `settings.slo.availability_target` and `settings.slo.window_s` of a design.
    pub fn from_design(design: &Design) -> Result<Slo, Error> {
        let get = |key: &'static str| -> Result<f64, Error> {
            let setting = design
                .settings
                .get("slo")
                .and_then(|s| s.get(key))
                .ok_or(Error::MissingSetting { key })?;
            match &setting.value {
                Value::Float(v) => Ok(*v),
                Value::Int(v) => Ok(*v as f64),
                Value::Text(t) => Err(Error::BadSetting {
                    key,
                    value: t.clone(),
                    accepted: "a number",
                }),
            }
        };
        let target = get("availability_target")?;
        if !(target > 0.0 && target < 1.0) {
            return Err(Error::BadSetting {
                key: "availability_target",
                value: units::trim_float(target, 12),
                accepted: "a fraction between 0 and 1, such as 0.999",
            });
        }
        let window = get("window_s")?;
        if !(window.is_finite() && window > 0.0) {
            return Err(Error::BadSetting {
                key: "window_s",
                value: units::trim_float(window, 3),
                accepted: "a positive number of seconds, such as 2592000 (30 d)",
            });
        }
        Ok(Slo { target, window })
    }
}

/// Why the rules could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A core setting is missing from the design file.
    #[error(
        "the design file has no settings.slo.{key}; regenerate it with `tradeoff advise --out FILE`"
    )]
    MissingSetting { key: &'static str },
    /// A setting has a value the rules cannot use.
    #[error("settings.slo.{key} is `{value}`; accepted: {accepted}")]
    BadSetting {
        key: &'static str,
        value: String,
        accepted: &'static str,
    },
    /// An option (a command-line flag) is not usable in a rule file.
    #[error("{flag} `{value}` is not valid; accepted: {accepted}")]
    BadOption {
        flag: &'static str,
        value: String,
        accepted: &'static str,
    },
    /// The template failed.
    #[error("{0}")]
    Template(#[from] super::env::Error),
}

impl From<minijinja::Error> for Error {
    fn from(e: minijinja::Error) -> Self {
        Error::Template(e.into())
    }
}

/// A recording rule for one window.
#[derive(Debug, Serialize)]
struct Window {
    /// Prometheus duration (`5m`).
    range: String,
    /// Recorded series name (`slo:sli_error:ratio_rate5m`).
    record: String,
}

/// One alerting rule (one tier of the table).
#[derive(Debug, Serialize)]
struct Rule {
    severity: &'static str,
    long: String,
    short: String,
    long_record: String,
    short_record: String,
    /// Error-ratio threshold as written in PromQL.
    threshold: String,
    threshold_percent: String,
    factor: String,
    budget_fraction: String,
    exhaust: String,
}

/// The latency objective's series.
#[derive(Debug, Serialize)]
struct Latency {
    /// The bucket bound as the histogram writes it (`0.1`, `1.0`).
    le: String,
    /// For people (`100ms`).
    target: String,
    /// Requests within the target, and all requests (PromQL selectors).
    fast: String,
    total: String,
    windows: Vec<Window>,
    rules: Vec<Rule>,
}

#[derive(Debug, Serialize)]
struct Page<'a> {
    service: &'a str,
    errors: String,
    total: String,
    /// The counter with only the scope selector, for the absent-metric alert.
    scoped: String,
    /// The dead-letter counter with the scope selector, for a consumer's SLI
    /// (`messages_handled_total`): every dead-lettered message opens a ticket.
    dead_letters: Option<String>,
    latency: Option<Latency>,
    target: String,
    budget: String,
    period: String,
    windows: Vec<Window>,
    rules: Vec<Rule>,
}

/// A duration as Prometheus writes it, in the largest unit that divides it: `5m`, `1d`.
fn prom_duration(seconds: f64) -> String {
    let s = seconds.round() as i64;
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if s >= size && s % size == 0 {
            return format!("{}{unit}", s / size);
        }
    }
    format!("{s}s")
}

/// A number for PromQL and people: at most 12 decimals, so float noise such as
/// 0.014400000000000012 prints as 0.0144.
fn number(v: f64) -> String {
    let s = units::trim_float(v, 12);
    if s.contains('.') || v == 0.0 {
        return s;
    }
    // Very small values that rounded to zero keep their significant digits.
    if s == "0" { format!("{v:e}") } else { s }
}

/// Label matchers, with one pair of surrounding braces and outer commas tolerated.
fn matchers(flag: &'static str, text: &str, required: bool) -> Result<String, Error> {
    let t = text.trim();
    let t = t
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(t);
    let t = t.trim().trim_matches(',').trim();
    let bad = t.is_empty() && required
        || t.contains(['{', '}', '\n', '\r'])
        || (!t.is_empty() && !t.contains(['=', '~']));
    if bad {
        return Err(Error::BadOption {
            flag,
            value: text.to_string(),
            accepted: "PromQL label matchers such as code=~\"5..\" or job=\"api\",env=\"prod\"",
        });
    }
    Ok(t.to_string())
}

fn selector(metric: &str, parts: &[&str]) -> String {
    let parts: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        metric.to_string()
    } else {
        format!("{metric}{{{}}}", parts.join(","))
    }
}

fn check_metric(flag: &'static str, metric: &str) -> Result<(), Error> {
    let metric_ok = metric
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && metric
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
    if metric_ok {
        Ok(())
    } else {
        Err(Error::BadOption {
            flag,
            value: metric.to_string(),
            accepted: "a Prometheus metric name: letters, digits, `_` and `:`, not starting with a digit",
        })
    }
}

fn check(options: &Options) -> Result<(String, String), Error> {
    check_metric("--metric", &options.metric)?;
    let service_ok = options
        .service
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && options
            .service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if !service_ok {
        return Err(Error::BadOption {
            flag: "--service",
            value: options.service.clone(),
            accepted: "a name of letters, digits, `_`, `.` and `-`, starting with a letter or digit",
        });
    }
    let errors = matchers("--error-selector", &options.errors, true)?;
    let extra = matchers("--selector", &options.selector, false)?;
    Ok((
        selector(&options.metric, &[&extra, &errors]),
        selector(&options.metric, &[&extra]),
    ))
}

/// The windows the tiers need, shortest first, each once.
fn windows(table: &[Alert]) -> Vec<f64> {
    let mut w: Vec<f64> = table
        .iter()
        .flat_map(|a| [a.tier.long_window, a.tier.short_window])
        .collect();
    w.sort_by(f64::total_cmp);
    w.dedup();
    w
}

fn record(range: &str) -> String {
    format!("slo:sli_error:ratio_rate{range}")
}

fn latency_record(range: &str) -> String {
    format!("slo:sli_latency:ratio_rate{range}")
}

/// A bucket bound as prometheus-client and most clients write it: shortest form, with a
/// decimal point (`1.0`, `0.25`).
fn le(v: f64) -> String {
    let s = units::trim_float(v, 12);
    if s.contains(['.', 'e']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// The alerting tiers of the table, naming their recorded series with `name`.
fn tier_rules(table: &[Alert], name: fn(&str) -> String) -> Vec<Rule> {
    table
        .iter()
        .map(|a| {
            let long = prom_duration(a.tier.long_window);
            let short = prom_duration(a.tier.short_window);
            Rule {
                severity: a.tier.severity.as_str(),
                long_record: name(&long),
                short_record: name(&short),
                long,
                short,
                threshold: number(a.error_rate_threshold),
                threshold_percent: units::format_percent(a.error_rate_threshold),
                factor: number(a.burn_factor),
                budget_fraction: units::format_percent(a.tier.budget_fraction),
                exhaust: units::format_duration(a.time_to_exhaust_seconds),
            }
        })
        .collect()
}

fn window_list(table: &[Alert], name: fn(&str) -> String) -> Vec<Window> {
    windows(table)
        .into_iter()
        .map(|w| {
            let range = prom_duration(w);
            Window {
                record: name(&range),
                range,
            }
        })
        .collect()
}

/// The SLI counter of the consumer shapes, whose dead letters are alerted on too.
const DEAD_LETTER_SLI: &str = "messages_handled_total";

/// The rule file for `slo` with the workbook's default tiers, without the generated marker.
pub fn rules(env: &Environment, slo: Slo, options: &Options) -> Result<String, Error> {
    let (errors, total) = check(options)?;
    let extra = matchers("--selector", &options.selector, false)?;
    let table = slo::alert_table(slo.target, slo.window, &slo::default_tiers());
    let latency = match options.latency_target {
        None => None,
        Some(t) => {
            if !(t.is_finite() && t > 0.0) {
                return Err(Error::BadOption {
                    flag: "--latency-target",
                    value: number(t),
                    accepted: "a duration above 0, such as 250ms",
                });
            }
            check_metric("--histogram", &options.histogram)?;
            let bound = le(t);
            let le_matcher = format!("le=\"{bound}\"");
            Some(Latency {
                fast: selector(
                    &format!("{}_bucket", options.histogram),
                    &[&extra, &le_matcher],
                ),
                total: selector(&format!("{}_count", options.histogram), &[&extra]),
                le: bound,
                target: units::format_duration(t),
                windows: window_list(&table, latency_record),
                rules: tier_rules(&table, latency_record),
            })
        }
    };
    let page = Page {
        service: &options.service,
        scoped: selector(&options.metric, &[&extra]),
        dead_letters: (options.metric == DEAD_LETTER_SLI)
            .then(|| selector("messages_dead_lettered_total", &[&extra])),
        errors,
        total,
        latency,
        target: units::format_percent(slo.target),
        budget: units::format_percent(1.0 - slo.target),
        period: prom_duration(slo.window),
        windows: window_list(&table, record),
        rules: tier_rules(&table, record),
    };
    Ok(env
        .get_template(TEMPLATE)?
        .render(minijinja::value::Serde(&page))?)
}

/// The rule file for a design, stamped with the generated marker naming `source` (the
/// design file), as one artifact at `file`.
pub fn artifacts(
    design: &Design,
    env: &Environment,
    source: &str,
    file: &Path,
    options: &Options,
) -> Result<Vec<Artifact>, Error> {
    let text = rules(env, Slo::from_design(design)?, options)?;
    Ok(vec![Artifact {
        path: file.to_path_buf(),
        content: write::stamp(&text, Comment::for_path(file), source),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::env::environment;
    use crate::units::DAY;

    fn env() -> Environment<'static> {
        environment(None).unwrap()
    }

    fn rendered(target: f64, options: &Options) -> String {
        rules(
            &env(),
            Slo {
                target,
                window: 30.0 * DAY,
            },
            options,
        )
        .unwrap()
    }

    #[test]
    fn durations_use_the_largest_exact_unit() {
        assert_eq!(prom_duration(300.0), "5m");
        assert_eq!(prom_duration(1800.0), "30m");
        assert_eq!(prom_duration(7200.0), "2h");
        assert_eq!(prom_duration(86_400.0), "1d");
        assert_eq!(prom_duration(3.0 * 86_400.0), "3d");
        assert_eq!(prom_duration(30.0 * 86_400.0), "30d");
        assert_eq!(prom_duration(90.0), "90s");
    }

    #[test]
    fn thresholds_print_without_float_noise() {
        assert_eq!(number(14.4 * (1.0 - 0.999)), "0.0144");
        assert_eq!(number(14.4 * (1.0 - 0.9999)), "0.00144");
        assert_eq!(number(14.4), "14.4");
        assert_eq!(number(1e-13), "1e-13");
    }

    #[test]
    fn records_every_window_the_tiers_need_once() {
        let text = rendered(0.999, &Options::default());
        for w in ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] {
            let rule = format!("- record: slo:sli_error:ratio_rate{w}\n");
            assert_eq!(text.matches(&rule).count(), 1, "{w}\n{text}");
            assert!(text.contains(&format!("[{w}]")), "{w}");
        }
        assert_eq!(text.matches("- record:").count(), 7);
    }

    #[test]
    fn alert_thresholds_are_the_slo_alert_table() {
        let text = rendered(0.999, &Options::default());
        let table = slo::alert_table(0.999, 30.0 * DAY, &slo::default_tiers());
        // The workbook's 99.9 % thresholds: 0.0144, 0.006, 0.003, 0.001.
        for (alert, expected) in table.iter().zip(["0.0144", "0.006", "0.003", "0.001"]) {
            assert_eq!(number(alert.error_rate_threshold), expected);
        }
        let pairs = [
            ("1h", "5m", "0.0144", "page"),
            ("6h", "30m", "0.006", "page"),
            ("1d", "2h", "0.003", "ticket"),
            ("3d", "6h", "0.001", "ticket"),
        ];
        for (long, short, t, severity) in pairs {
            let expr = format!(
                "slo:sli_error:ratio_rate{long}{{slo=\"api\"}} > {t}\n          and\n          slo:sli_error:ratio_rate{short}{{slo=\"api\"}} > {t}\n"
            );
            assert!(text.contains(&expr), "{expr}\n{text}");
            assert!(
                text.contains(&format!(
                    "severity: {severity}\n          slo: \"api\"\n          long_window: {long}\n          short_window: {short}\n"
                )),
                "{long}"
            );
        }
        assert_eq!(text.matches("- alert: ErrorBudgetBurn\n").count(), 4);
    }

    #[test]
    fn options_change_the_metric_and_selectors() {
        let o = Options {
            service: "checkout".into(),
            metric: "grpc_server_handled_total".into(),
            errors: r#"{grpc_code!="OK"}"#.into(),
            selector: r#"job="checkout",env="prod""#.into(),
            ..Options::default()
        };
        let text = rendered(0.9995, &o);
        assert!(text.contains(
            r#"sum by (namespace, cluster) (rate(grpc_server_handled_total{job="checkout",env="prod",grpc_code!="OK"}[5m]))"#
        ));
        assert!(
            text.contains(r#"sum by (namespace, cluster) (rate(grpc_server_handled_total{job="checkout",env="prod"}[5m]))"#)
        );
        assert!(text.contains("slo: \"checkout\"\n"));
        assert!(text.contains("name: \"checkout-slo-recording\""));
        assert!(!text.contains("http_requests_total"));
        let plain = rendered(0.999, &Options::default());
        assert!(plain.contains(
            r#"sum by (namespace, cluster) (rate(http_requests_total{code=~"5.."}[5m]))"#
        ));
        assert!(plain.contains("sum by (namespace, cluster) (rate(http_requests_total[5m]))"));
    }

    #[test]
    fn rejects_options_that_would_break_the_rule_file() {
        let env = env();
        let slo = Slo {
            target: 0.999,
            window: 30.0 * DAY,
        };
        for (o, flag) in [
            (
                Options {
                    metric: "http-requests".into(),
                    ..Options::default()
                },
                "--metric",
            ),
            (
                Options {
                    service: "my api".into(),
                    ..Options::default()
                },
                "--service",
            ),
            (
                Options {
                    errors: String::new(),
                    ..Options::default()
                },
                "--error-selector",
            ),
            (
                Options {
                    selector: "job=\"a\"}\n{".into(),
                    ..Options::default()
                },
                "--selector",
            ),
        ] {
            let e = rules(&env, slo, &o).unwrap_err();
            assert!(e.to_string().starts_with(flag), "{e}");
            assert!(e.to_string().contains("accepted:"), "{e}");
        }
    }

    #[test]
    fn an_unscraped_sli_pages_through_an_absent_alert_scoped_to_the_job() {
        let options = Options {
            selector: r#"job="api""#.into(),
            ..Options::default()
        };
        let text = rendered(0.999, &options);
        assert!(text.contains("- alert: SliNotScraped\n        expr: absent(http_requests_total{job=\"api\"})\n        for: 1m\n        labels:\n          severity: page\n"), "{text}");
    }

    #[test]
    fn a_latency_target_adds_burn_rate_rules_on_its_bucket() {
        let plain = rendered(0.999, &Options::default());
        assert!(!plain.contains("LatencyBudgetBurn"));
        let options = Options {
            selector: r#"job="api""#.into(),
            latency_target: Some(0.25),
            ..Options::default()
        };
        let text = rendered(0.999, &options);
        assert!(text.contains(
            r#"sum by (namespace, cluster) (rate(http_request_duration_seconds_bucket{job="api",le="0.25"}[5m]))"#
        ));
        assert!(text.contains(r#"sum by (namespace, cluster) (rate(http_request_duration_seconds_count{job="api"}[5m]))"#));
        assert_eq!(text.matches("- alert: LatencyBudgetBurn\n").count(), 4);
        assert_eq!(
            text.matches("- record: slo:sli_latency:ratio_rate").count(),
            7
        );
        assert_eq!(le(1.0), "1.0");
        assert_eq!(le(0.25), "0.25");
        let bad = Options {
            latency_target: Some(0.0),
            ..Options::default()
        };
        let env = env();
        let slo = Slo {
            target: 0.999,
            window: 30.0 * DAY,
        };
        let e = rules(&env, slo, &bad).unwrap_err().to_string();
        assert!(e.starts_with("--latency-target"), "{e}");
    }

    #[test]
    fn a_design_gets_the_series_of_its_scaffold_scoped_to_its_job() {
        let uber = Options::for_design(&crate::render::fixture::design("uber"), "uber.yaml");
        assert_eq!(uber.metric, "grpc_server_handled_total");
        assert_eq!(uber.selector, r#"job="uber""#);
        assert_eq!(uber.service, "uber");
        assert!(uber.latency_target.is_some(), "uber is latency-sensitive");
        let netflix = Options::for_design(&crate::render::fixture::design("netflix"), "n.yaml");
        assert_eq!(netflix.metric, "messages_handled_total");
        assert_eq!(netflix.errors, r#"outcome="failed""#);
        assert_eq!(netflix.latency_target, None);
    }

    #[test]
    fn a_design_without_an_slo_setting_is_explained() {
        let mut design = crate::render::fixture::design("startup");
        design.settings.remove("slo");
        let e = artifacts(
            &design,
            &env(),
            "design.yaml",
            Path::new("alerts.yaml"),
            &Options::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("settings.slo.availability_target"),
            "{e}"
        );
    }

    /// The rule files promtool tests (tests/alerts/*_test.yaml) are exactly what the renderer
    /// writes for a 99.9 % SLO over 30 d, service `api`, selector `job="api"`, one per shape:
    /// HTTP (`slo_rules.yaml`), gRPC with a 250 ms latency objective (`grpc_rules.yaml`) and
    /// a consumer (`messages_rules.yaml`). Regenerate them with
    /// `TRADEOFF_BLESS=1 cargo test --lib render::alerts`.
    #[test]
    fn the_promtool_fixtures_are_what_the_renderer_writes() {
        for (file, shape, latency_target) in [
            ("slo_rules.yaml", Shape::Rest, None),
            ("grpc_rules.yaml", Shape::Grpc, Some(0.25)),
            ("messages_rules.yaml", Shape::Rabbitmq, None),
        ] {
            let sli = shape.sli();
            let options = Options {
                selector: r#"job="api""#.into(),
                metric: sli.counter,
                errors: sli.errors,
                histogram: sli.histogram,
                latency_target,
                ..Options::default()
            };
            let text = write::stamp(&rendered(0.999, &options), Comment::Hash, "design.yaml");
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/alerts")
                .join(file);
            if std::env::var_os("TRADEOFF_BLESS").is_some() {
                std::fs::write(&path, &text).unwrap();
            }
            let fixture = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                fixture == text,
                "tests/alerts/{file} differs from the renderer's output; regenerate it with \
                 TRADEOFF_BLESS=1 cargo test --lib render::alerts"
            );
        }
    }

    #[test]
    fn the_startup_and_netflix_rules_match_their_snapshots() {
        for example in ["startup", "netflix"] {
            let design = crate::render::fixture::design(example);
            let source = format!("{example}.design.yaml");
            let out = artifacts(
                &design,
                &env(),
                &source,
                Path::new("alerts/slo.rules.yaml"),
                &Options::for_design(&design, &source),
            )
            .unwrap();
            assert_eq!(out.len(), 1);
            assert_eq!(write::state(&out[0].content), write::State::Pristine);
            insta::assert_snapshot!(format!("alerts_{example}"), out[0].content);
        }
    }
}
