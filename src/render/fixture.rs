//! Designs for renderer tests, built the way `tradeoff advise --out` builds them: walk an
//! example answer file, recommend, then add the SLO estimates and settings (and a shard
//! estimate when the data size is known) from the capacity models.

use crate::advisor::recommendation::{recommend, used_answers};
use crate::advisor::{Answers, load, walk};
use crate::capacity::{shards, slo};
use crate::catalog::Catalog;
use crate::design::{Design, Estimate, Figure, SCHEMA, Setting, Value, generator};
use crate::units::{self, DAY};
use std::collections::BTreeMap;

/// The design for `examples/<name>.yaml`, answering every other question by its default.
pub fn design(name: &str) -> Design {
    let catalog = Catalog::get().unwrap();
    let rules = load::load(None, catalog).unwrap();
    let path = format!("{}/examples/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let answers = Answers::from_yaml(&text, &path).unwrap();
    let packs: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
    let walked = walk(
        &rules,
        &answers,
        &[],
        &packs,
        &mut crate::advisor::walk::NoPrompt,
    )
    .unwrap();
    let recommendation = recommend(&rules, &walked, catalog);
    let answers = used_answers(&walked);
    let target = units::parse_availability(&answers["availability_target"].answer).unwrap();
    let window = 30.0 * DAY;
    let mut estimates = BTreeMap::new();
    let fig = |name: &str, value: f64, display: String| Figure {
        name: name.into(),
        value,
        display,
    };
    let pct = units::format_percent(target);
    estimates.insert(
        "slo-budget".to_string(),
        Estimate {
            title: "Error budget".into(),
            command: format!(
                "tradeoff slo budget {}",
                units::trim_float(target * 100.0, 6)
            ),
            inputs: BTreeMap::from([("slo".to_string(), pct.clone())]),
            results: slo::standard_windows(slo::Year::Days365)
                .iter()
                .map(|w| {
                    let d = slo::downtime(target, w.seconds);
                    fig(
                        &format!("downtime per {}", w.name),
                        d,
                        units::format_duration(d),
                    )
                })
                .collect(),
            summary: format!(
                "{pct} over 30d allows {} of downtime.",
                units::format_duration(slo::downtime(target, window))
            ),
        },
    );
    estimates.insert(
        "slo-alerts".to_string(),
        Estimate {
            title: "Burn-rate alerts".into(),
            command: format!(
                "tradeoff slo alerts {}",
                units::trim_float(target * 100.0, 6)
            ),
            inputs: BTreeMap::from([
                ("slo".to_string(), pct.clone()),
                ("period".to_string(), "30d".to_string()),
            ]),
            results: slo::alert_table(target, window, &slo::default_tiers())
                .iter()
                .map(|a| {
                    fig(
                        &format!("{} threshold", a.tier.name),
                        a.error_rate_threshold,
                        units::format_percent(a.error_rate_threshold),
                    )
                })
                .collect(),
            summary: "Page on 2% of the budget in 1h or 5% in 6h; ticket on 10% in 1d or 3d."
                .into(),
        },
    );
    let data = units::parse_size(&answers["data_size"].answer).unwrap();
    if data > 100e9 {
        let plan = shards::for_data(data, None).unwrap();
        estimates.insert(
            "shards".to_string(),
            Estimate {
                title: "Shard count".into(),
                command: format!(
                    "tradeoff shards --data {} --growth 40%/y --horizon 3y --shard-size 500GB --max-fill 0.7",
                    answers["data_size"].answer
                ),
                inputs: BTreeMap::from([(
                    "data".to_string(),
                    answers["data_size"].answer.clone(),
                )]),
                results: vec![
                    fig(
                        "data at horizon",
                        plan.data_at_horizon_bytes,
                        units::format_bytes(plan.data_at_horizon_bytes),
                    ),
                    fig("shards", plan.count as f64, plan.count.to_string()),
                ],
                summary: format!("{} shards, bound by {}.", plan.count, plan.bound_by),
            },
        );
    }
    let setting = |value: Value, source: &str| Setting {
        value,
        source: source.into(),
    };
    let settings = BTreeMap::from([(
        "slo".to_string(),
        BTreeMap::from([
            (
                "availability_target".to_string(),
                setting(Value::Float(target), "answer availability_target"),
            ),
            (
                "window_s".to_string(),
                setting(Value::Int(window as i64), "default SLO window (30d)"),
            ),
            (
                "error_budget_s".to_string(),
                setting(
                    Value::Float(slo::downtime(target, window)),
                    "estimate slo-budget",
                ),
            ),
        ]),
    )]);
    Design {
        schema: SCHEMA,
        generator: generator(),
        answers,
        recommendation,
        estimates,
        settings,
    }
}
