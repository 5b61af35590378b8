//! The starter service (`render --scaffold`), at the library level: designs are built from
//! the example answer files exactly as `tradeoff advise --out` builds them, then rendered.
//! The expensive check, building and testing each rendered crate with cargo, is `#[ignore]`d
//! here (`cargo test --test cli -- --ignored`) and run by tests/external/check-scaffold.sh.

use super::root;
use std::path::{Path, PathBuf};
use std::process::Command;
use tradeoff::advisor::recommendation::{recommend, used_answers};
use tradeoff::advisor::{Answers, load, walk, walk::NoPrompt};
use tradeoff::catalog::Catalog;
use tradeoff::design::{Design, SCHEMA, Setting, Value, estimate, generator};
use tradeoff::render::scaffold::{Options, Shape};
use tradeoff::render::write::{self, Artifact, State};
use tradeoff::render::{alerts, env, scaffold};

/// The design `tradeoff advise --answers examples/NAME.yaml --defaults --out` writes.
fn design(name: &str) -> Design {
    let path = root().join("examples").join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let catalog = Catalog::get().unwrap();
    let rules = load::load(None, catalog).unwrap();
    let answers = Answers::from_yaml(&text, &path.display().to_string()).unwrap();
    let packs: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
    let walked = walk(&rules, &answers, &[], &packs, &mut NoPrompt).unwrap();
    let recommendation = recommend(&rules, &walked, catalog);
    let (estimates, settings) = estimate::estimates(&walked, &recommendation);
    Design {
        schema: SCHEMA,
        generator: generator(),
        answers: used_answers(&walked),
        recommendation,
        estimates,
        settings,
        rendered: None,
        check: None,
    }
}

/// The example answer files' names, found by glob.
fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "yaml").then(|| p.file_stem().unwrap().to_string_lossy().into())
        })
        .collect();
    names.sort();
    names
}

fn render(d: &Design, source: &str) -> Vec<Artifact> {
    let env = env::environment(None).unwrap();
    scaffold::artifacts(d, &env, source).unwrap_or_else(|e| panic!("{e}"))
}

fn file<'a>(files: &'a [Artifact], path: &str) -> &'a str {
    files
        .iter()
        .find(|a| a.path == Path::new(path))
        .map(|a| a.content.as_str())
        .unwrap_or_else(|| panic!("no {path} among {:?}", paths(files)))
}

fn paths(files: &[Artifact]) -> Vec<String> {
    files.iter().map(|a| a.path.display().to_string()).collect()
}

#[test]
fn the_startup_scaffold_config_and_readme_match_their_snapshots() {
    let files = render(&design("startup"), "design.yaml");
    insta::assert_snapshot!(
        "scaffold_startup_service_yaml",
        file(&files, "config/service.yaml")
    );
    insta::assert_snapshot!("scaffold_startup_readme", file(&files, "README.md"));
}

#[test]
fn the_uber_scaffold_config_and_readme_match_their_snapshots() {
    let files = render(&design("uber"), "design.yaml");
    insta::assert_snapshot!(
        "scaffold_uber_service_yaml",
        file(&files, "config/service.yaml")
    );
    insta::assert_snapshot!("scaffold_uber_readme", file(&files, "README.md"));
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    for name in examples() {
        let d = design(&name);
        assert_eq!(
            render(&d, "design.yaml"),
            render(&d, "design.yaml"),
            "{name}"
        );
    }
}

/// Design settings no code of the service reads, so its config leaves them out: the alert
/// rules carry the SLO window and budget, each replica enforces the per-replica rate (the
/// guard is its sum), and per-client quotas belong to the gateway or shared limiter.
const LEFT_OUT: &[(&str, &str)] = &[
    ("slo", "window_s"),
    ("slo", "error_budget_s"),
    ("rate_limit", "rate_per_s"),
    ("rate_limit", "burst"),
    ("rate_limit", "nodes"),
    ("rate_limit", "clients"),
    ("rate_limit", "per_client_rate_per_s"),
    ("rate_limit", "per_client_burst"),
    ("sharding", "shard_count_pow2"),
];

#[test]
fn every_setting_is_in_the_config_under_its_source_comment() {
    for name in examples() {
        let d = design(&name);
        let files = render(&d, "design.yaml");
        let yaml = file(&files, "config/service.yaml");
        let lines: Vec<&str> = yaml.lines().collect();
        let parsed: serde_json::Value = serde_yaml::from_str(yaml).unwrap();
        let consumer = file(&files, "src/lib.rs").contains("pub mod consumer;");
        for (section, keys) in &d.settings {
            let start = lines
                .iter()
                .position(|l| *l == format!("{section}:"))
                .unwrap_or_else(|| panic!("{name}: no section {section}:\n{yaml}"));
            for (key, setting) in keys {
                let (s, k) = (section.as_str(), key.as_str());
                if LEFT_OUT.contains(&(s, k)) || (s, k) == ("queue", "workers") && !consumer {
                    assert!(
                        parsed[s].get(k).is_none(),
                        "{name}: {s}.{k} is read by nothing"
                    );
                    continue;
                }
                let at = lines[start..]
                    .iter()
                    .position(|l| l.starts_with(&format!("  {key}: ")))
                    .map(|i| i + start)
                    .unwrap_or_else(|| panic!("{name}: no {section}.{key}"));
                assert_eq!(
                    lines[at - 1],
                    format!("  # {}", setting.source),
                    "{name}: {section}.{key} lacks its source comment"
                );
                // Every number in it is the design's.
                let got = &parsed[section][key];
                match &setting.value {
                    Value::Int(i) => assert_eq!(got.as_i64(), Some(*i), "{section}.{key}"),
                    Value::Float(f) => {
                        let g = got.as_f64().unwrap();
                        assert!(
                            (g - f).abs() <= f.abs() * 1e-12,
                            "{section}.{key}: {g} vs {f}"
                        );
                    }
                    Value::Text(t) => assert_eq!(got.as_str(), Some(t.as_str())),
                }
            }
        }
    }
}

#[test]
fn every_replica_admits_the_designs_one_rate_and_the_survivors_carry_the_peak() {
    for name in examples() {
        let d = design(&name);
        let yaml = file(&render(&d, "design.yaml"), "config/service.yaml").to_string();
        let parsed: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
        let number = |s: &str, k: &str| match &d.settings[s][k].value {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            Value::Text(t) => panic!("{s}.{k} = {t}"),
        };
        // One definition: the scaffold enforces exactly the design's per-replica rate.
        let per_node = parsed["rate_limit"]["per_node_rate_per_s"]
            .as_f64()
            .unwrap();
        assert_eq!(
            per_node,
            number("rate_limit", "per_node_rate_per_s"),
            "{name}"
        );
        let burst = parsed["rate_limit"]["per_node_burst"].as_f64().unwrap();
        assert_eq!(burst, number("rate_limit", "per_node_burst"), "{name}");
        assert!(burst >= 1.0, "{name}: burst {burst}");
        // The guard is a whole number of replicas at that rate, and above the peak it was
        // sized for: it sheds only an overload.
        let guard = number("rate_limit", "rate_per_s");
        let survivors = (guard / per_node).round();
        assert!(
            (survivors * per_node - guard).abs() <= guard * 1e-9,
            "{name}: {guard} / {per_node}"
        );
        let peak = tradeoff::units::parse_rate(&d.answers["peak_rps"].answer).unwrap();
        assert!(guard >= peak, "{name}: guard {guard} below the peak {peak}");
    }
}

#[test]
fn every_file_carries_the_marker_naming_the_design_file() {
    let files = render(&design("uber"), "designs/uber.yaml");
    for a in &files {
        assert_eq!(
            write::state(&a.content),
            State::Pristine,
            "{}",
            a.path.display()
        );
        assert!(
            a.content.contains("from designs/uber.yaml;"),
            "{}",
            a.path.display()
        );
    }
    assert!(file(&files, "src/lib.rs").starts_with("// tradeoff:generated"));
    assert!(file(&files, "Cargo.toml").starts_with("# tradeoff:generated"));
}

#[test]
fn optional_modules_follow_the_design() {
    let startup = paths(&render(&design("startup"), "d.yaml"));
    let discord = paths(&render(&design("discord"), "d.yaml"));
    assert!(
        !startup.contains(&"src/quorum.rs".to_string()),
        "{startup:?}"
    );
    for p in ["src/quorum.rs", "src/shard.rs", "src/cache.rs"] {
        assert!(discord.contains(&p.to_string()), "{p}: {discord:?}");
    }
    // Every shape sheds: after a wait of one service time, or at once with load shedding.
    let files = render(&design("startup"), "d.yaml");
    let yaml = file(&files, "config/service.yaml");
    assert!(yaml.contains("# derived: queue.service_time_s, the time a slot takes to free up; a request that waited longer is shed (503) rather than queued\n  max_wait_s: 0.06\n"), "{yaml}");
    let mut d = design("startup");
    let mut shed = d.recommendation.patterns[0].clone();
    shed.id = "load-shedding".into();
    d.recommendation.patterns.push(shed);
    let files = render(&d, "d.yaml");
    assert!(file(&files, "config/service.yaml").contains("\n  max_wait_s: 0.0\n"));
}

#[test]
fn a_design_without_settings_is_refused_naming_what_is_missing() {
    let mut d = design("startup");
    d.settings.clear();
    let env = env::environment(None).unwrap();
    let e = scaffold::artifacts(&d, &env, "old.yaml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("old.yaml: "), "{e}");
    for s in [
        "settings.retry: missing",
        "settings.slo: missing",
        "tradeoff advise --out old.yaml",
    ] {
        assert!(e.contains(s), "{s}: {e}");
    }
}

#[test]
fn a_setting_of_the_wrong_shape_is_refused_with_its_key() {
    let mut d = design("startup");
    d.settings.get_mut("retry").unwrap().insert(
        "max_attempts".into(),
        Setting {
            value: Value::Float(2.5),
            source: "hand".into(),
        },
    );
    d.settings.get_mut("retry").unwrap().insert(
        "jitter".into(),
        Setting {
            value: Value::Text("random".into()),
            source: "hand".into(),
        },
    );
    let env = env::environment(None).unwrap();
    let e = scaffold::artifacts(&d, &env, "d.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("settings.retry.max_attempts: must be a whole number, got 2.5"),
        "{e}"
    );
    assert!(e.contains("settings.retry.jitter: "), "{e}");
    assert!(e.contains("full"), "{e}");
}

#[test]
fn settings_the_scaffold_does_not_know_are_carried_into_the_config() {
    let mut d = design("startup");
    d.settings.entry("alerts".into()).or_default().insert(
        "page_burn_rate".into(),
        Setting {
            value: Value::Float(14.4),
            source: "estimate slo-alerts".into(),
        },
    );
    let files = render(&d, "d.yaml");
    assert!(
        file(&files, "config/service.yaml")
            .contains("alerts:\n  # estimate slo-alerts\n  page_burn_rate: 14.4\n")
    );
    let config = file(&files, "src/config.rs");
    assert!(config.contains("pub alerts: Alerts,"), "{config}");
    assert!(config.contains("pub page_burn_rate: f64,"), "{config}");
}

#[test]
fn a_service_name_answer_names_the_package_and_its_imports() {
    let mut d = design("startup");
    d.answers.insert(
        "service_name".into(),
        tradeoff::advisor::recommendation::PathStep {
            question: "service_name".into(),
            answer: "Trip Dispatch".into(),
            source: tradeoff::advisor::StepSource::Given,
        },
    );
    let files = render(&d, "d.yaml");
    assert!(file(&files, "Cargo.toml").contains("\nname = \"trip-dispatch\"\n"));
    assert!(file(&files, "src/main.rs").contains("use trip_dispatch::config::{self, Config};"));
    assert!(file(&files, "tests/wiring.rs").contains("trip_dispatch::build(&shipped(), echo)"));
}

#[test]
fn a_template_in_the_override_folder_replaces_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("scaffold")).unwrap();
    std::fs::write(
        dir.path().join("scaffold/README.md.jinja"),
        "# {{ package }} by our team\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("scaffold/NOTES.txt.jinja"),
        "{{ design }}\n",
    )
    .unwrap();
    let env = env::environment(Some(dir.path())).unwrap();
    let files = scaffold::artifacts(&design("startup"), &env, "design.yaml").unwrap();
    assert!(file(&files, "README.md").starts_with("# service by our team\n"));
    assert!(file(&files, "NOTES.txt").ends_with("\ndesign.yaml\n"));
}

#[test]
fn the_package_is_named_after_the_design_file_unless_the_design_names_the_service() {
    let d = design("startup");
    for (source, package) in [
        ("designs/checkout.design.yaml", "checkout"),
        ("Trip_Dispatch.yaml", "trip-dispatch"),
        ("design.yaml", "service"),
        ("2024.yaml", "service"),
    ] {
        let files = render(&d, source);
        let expected = format!("\nname = \"{package}\"\n");
        assert!(file(&files, "Cargo.toml").contains(&expected), "{source}");
    }
}

#[test]
fn the_front_follows_the_communication_decision() {
    for (name, front, client) in [
        ("startup", "src/http.rs", "axum = "),
        ("uber", "src/grpc.rs", "tonic-health = "),
        ("netflix", "src/consumer.rs", "lapin = "),
        ("linkedin", "src/consumer.rs", "rskafka = "),
        ("discord", "src/consumer.rs", "async-nats = "),
    ] {
        let files = render(&design(name), &format!("{name}.yaml"));
        let fronts = ["src/http.rs", "src/grpc.rs", "src/consumer.rs"];
        for other in fronts.iter().filter(|f| **f != front) {
            assert!(
                !paths(&files).contains(&other.to_string()),
                "{name}: {other}"
            );
        }
        assert!(file(&files, front).contains("pub async fn"), "{name}");
        assert!(file(&files, "Cargo.toml").contains(client), "{name}");
    }
    let uber = render(&design("uber"), "uber.yaml");
    assert!(file(&uber, "build.rs").contains("protox::compile"));
    assert!(file(&uber, "proto/items.proto").starts_with("// tradeoff:generated"));
    assert!(!file(&uber, "Cargo.toml").contains("rdkafka"));
}

#[test]
fn the_alert_rules_select_exactly_the_series_the_scaffold_exports() {
    let env = env::environment(None).unwrap();
    for name in examples() {
        let d = design(&name);
        let source = format!("{name}.yaml");
        let files = render(&d, &source);
        let metrics = file(&files, "src/metrics.rs");
        let rules = file(&files, "prometheus/alerts.yaml");
        let sli = Shape::of(&d).sli();
        // prometheus-client adds `_total` to a counter's registered name.
        let registered = format!("\"{}\",", sli.counter.trim_end_matches("_total"));
        assert!(metrics.contains(&registered), "{name}: {registered}");
        assert!(
            metrics.contains(&format!("\"{}\",", sli.histogram)),
            "{name}"
        );
        let label = sli.errors.split(['=', '!']).next().unwrap();
        assert!(
            metrics.contains(&format!("pub {label}: String,")),
            "{name}: {label}"
        );
        let scoped = format!("{}{{job=\"{name}\"", sli.counter);
        assert!(
            rules.contains(&format!(
                "sum by (namespace, cluster) (rate({scoped},{}",
                sli.errors
            )),
            "{name}"
        );
        assert!(
            rules.contains(&format!("expr: absent({scoped}}})")),
            "{name}"
        );
        assert!(rules.contains("severity: page"), "{name}");
        // `render --alerts` writes the same rules for the same design.
        let options = alerts::Options::for_design(&d, &source);
        let slo = alerts::Slo::from_design(&d).unwrap();
        let same = alerts::rules(&env, slo, &options).unwrap();
        assert!(rules.ends_with(&same), "{name}");
    }
}

#[test]
fn latency_rules_read_a_bucket_the_histogram_has() {
    let bucket = |files: &[Artifact]| -> Option<String> {
        let rules = file(files, "prometheus/alerts.yaml");
        let le = rules.split("le=\"").nth(1)?.split('"').next()?.to_string();
        Some(le)
    };
    let uber = render(&design("uber"), "uber.yaml");
    let le = bucket(&uber).expect("uber is latency-sensitive");
    assert!(file(&uber, "prometheus/alerts.yaml").contains("alert: LatencyBudgetBurn"));
    assert!(
        file(&uber, "src/metrics.rs").contains(&format!(" {le},")),
        "{le}"
    );
    let startup = render(&design("startup"), "startup.yaml");
    assert_eq!(bucket(&startup), None);
    let env = env::environment(None).unwrap();
    let options = Options {
        latency_target: Some(0.3),
    };
    let files = scaffold::artifacts_with(&design("startup"), &env, "s.yaml", &options).unwrap();
    assert_eq!(bucket(&files).as_deref(), Some("0.3"));
    assert!(file(&files, "src/metrics.rs").contains(" 0.3,"));
    assert!(
        file(&files, "config/service.yaml")
            .contains("# option --latency-target\n  latency_target_s: 0.3\n")
    );
}

#[test]
fn deploy_files_take_their_numbers_from_the_design() {
    let files = render(&design("startup"), "startup.yaml");
    let deployment = file(&files, "deploy/kubernetes/deployment.yaml");
    // The design's replica estimate: 50/s over 500/s per replica, and 99.9 % needs two.
    assert!(deployment.contains("\n  replicas: 2\n"), "{deployment}");
    // 10 s not ready before the listener closes, request_timeout_s 830ms (the callers' per-try
    // timeout fitted inside the 1s latency budget) + 5 s to drain, + 5 s for Kubernetes: 20.83 s,
    // rounded up.
    assert!(deployment.contains("terminationGracePeriodSeconds: 21\n"));
    assert!(deployment.contains("path: /readyz"));
    // The restricted Pod Security profile, at the pod and the container.
    for line in [
        "runAsNonRoot: true",
        "runAsUser: 65532",
        "allowPrivilegeEscalation: false",
        "readOnlyRootFilesystem: true",
        "drop: [\"ALL\"]",
        "type: RuntimeDefault",
        "failureThreshold: 3",
        "image: startup:0.1.0",
        "topologyKey: topology.kubernetes.io/zone",
    ] {
        assert!(deployment.contains(line), "{line}: {deployment}");
    }
    assert!(file(&files, "Cargo.toml").contains("\nversion = \"0.1.0\"\n"));
    let hpa = file(&files, "deploy/kubernetes/hpa.yaml");
    // Each pod's share of the 50/s peak: 25 requests a second, on the request rate.
    assert!(hpa.contains("name: http_requests\n"), "{hpa}");
    assert!(hpa.contains("averageValue: \"25\"\n"), "{hpa}");
    assert!(!hpa.contains("cpu"), "{hpa}");
    let monitor = file(&files, "deploy/kubernetes/servicemonitor.yaml");
    assert!(monitor.contains("kind: ServiceMonitor") && monitor.contains("port: http\n"));
    assert!(file(&files, "deploy/kubernetes/pdb.yaml").contains("minAvailable: 1\n"));
    let rule = file(&files, "deploy/kubernetes/prometheusrule.yaml");
    assert!(rule.contains("spec:\n  groups:\n    - name: \"startup-slo-recording\""));
    let compose = file(&files, "compose.yaml");
    assert!(compose.contains("prometheus:") && !compose.contains("rabbitmq"));
    let netflix = render(&design("netflix"), "netflix.yaml");
    assert!(file(&netflix, "compose.yaml").contains("image: rabbitmq:"));
    for f in ["Dockerfile", ".dockerignore", ".github/workflows/ci.yaml"] {
        file(&files, f);
    }
    assert!(file(&files, "Dockerfile").contains("USER 65532:65532"));
    // No credential in any file; the Deployment reads the broker's address from the Secret.
    for f in &netflix {
        assert!(!f.content.contains("guest:guest"), "{}", f.path.display());
    }
    let deployment = file(&netflix, "deploy/kubernetes/deployment.yaml");
    assert!(
        deployment.contains("- name: APP__BROKER__URL\n              valueFrom:\n                secretKeyRef:\n                  name: netflix\n                  key: broker-url\n"),
        "{deployment}"
    );
    // Nothing lost: the dead-letter queue is declared, counted and alerted on.
    let consumer = file(&netflix, "src/consumer.rs");
    for part in [
        "x-dead-letter-routing-key",
        "with_delivery_mode(PERSISTENT)",
        "confirm_select",
        "RECONNECT_MAX",
    ] {
        assert!(consumer.contains(part), "{part}");
    }
    let rules = file(&netflix, "prometheus/alerts.yaml");
    assert!(rules.contains("alert: MessagesDeadLettered"), "{rules}");
    assert!(!file(&files, "prometheus/alerts.yaml").contains("MessagesDeadLettered"));
    // Per environment: aggregations keep the namespace, and the shipped unit tests say so.
    assert!(
        rules.contains("sum by (namespace, cluster) (rate("),
        "{rules}"
    );
    let tests = file(&netflix, "prometheus/alerts.test.yaml");
    assert!(tests.contains("namespace=\"staging\"") && tests.contains("MessagesDeadLettered"));
    // gRPC: a headless Service, so clients balance over every pod.
    let uber = render(&design("uber"), "uber.yaml");
    assert!(file(&uber, "deploy/kubernetes/service.yaml").contains("\n  clusterIP: None\n"));
}

#[test]
fn replicas_fall_back_to_the_rate_limit_nodes_until_the_design_estimates_them() {
    // A design file written before replicas were estimated has only the rate limit's nodes.
    let mut old = design("startup");
    old.settings.get_mut("service").unwrap().remove("replicas");
    let files = render(&old, "startup.yaml");
    let yaml = file(&files, "config/service.yaml");
    assert!(yaml.contains("# rate_limit.nodes ("), "{yaml}");
    assert!(yaml.contains("\n  replicas: 2\n"), "{yaml}");
    let mut d = design("startup");
    d.settings.get_mut("service").unwrap().insert(
        "replicas".into(),
        Setting {
            value: Value::Int(5),
            source: "estimate replicas: peak load over the target utilisation".into(),
        },
    );
    let files = render(&d, "startup.yaml");
    let yaml = file(&files, "config/service.yaml");
    assert!(
        yaml.contains(
            "# estimate replicas: peak load over the target utilisation\n  replicas: 5\n"
        )
    );
    assert!(file(&files, "deploy/kubernetes/deployment.yaml").contains("\n  replicas: 5\n"));
}

/// Runs `cargo ARGS` in `dir` with a shared target folder; panics with its output on failure.
fn cargo(dir: &Path, target: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "cargo {} in {} failed:\n{text}",
        args.join(" "),
        dir.display()
    );
    text
}

/// The test functions a rendered crate declares.
fn declared_tests(files: &[Artifact]) -> usize {
    files
        .iter()
        .map(|a| a.content.matches("#[test]").count() + a.content.matches("#[tokio::test").count())
        .sum()
}

/// The tests `cargo test` reports as passed.
fn passed(output: &str) -> usize {
    output
        .lines()
        .filter_map(|l| l.trim().strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum()
}

/// Writes the scaffold of `d` into a fresh folder, builds, tests and lints it there.
fn build_and_test(name: &str, d: &Design, target: &Path) {
    let dir = tempfile::tempdir().unwrap();
    // Named after the example, as `tradeoff render NAME.yaml` names it: each example is its own
    // package in the shared target folder.
    let files = render(d, &format!("{name}.yaml"));
    let report = write::write_all(dir.path(), &files, false).unwrap();
    assert!(report.skipped.is_empty());
    let started = std::time::Instant::now();
    cargo(dir.path(), target, &["build", "--quiet"]);
    let built = started.elapsed();
    let output = cargo(dir.path(), target, &["test"]);
    // A count that differs would mean cargo ran another crate's tests.
    assert_eq!(passed(&output), declared_tests(&files), "{name}:\n{output}");
    cargo(
        dir.path(),
        target,
        &[
            "clippy",
            "--quiet",
            "--all-targets",
            "--",
            "-D",
            "warnings",
            "-W",
            "clippy::pedantic",
        ],
    );
    cargo(dir.path(), target, &["fmt", "--check"]);
    eprintln!(
        "{name}: built in {built:.0?}; built, tested and linted in {:.0?}",
        started.elapsed()
    );
}

/// The shared target folder of the scaffold builds (kept between runs to save time).
fn scaffold_target() -> PathBuf {
    std::env::var_os("SCAFFOLD_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target").join("scaffold-check"))
}

/// A design with every optional part: load shedding, a setting nothing reads yet and its own
/// package name.
fn everything() -> Design {
    let mut d = design("discord");
    d.answers.insert(
        "service_name".into(),
        tradeoff::advisor::recommendation::PathStep {
            question: "service_name".into(),
            answer: "Trip Dispatch".into(),
            source: tradeoff::advisor::StepSource::Given,
        },
    );
    let mut shed = d.recommendation.patterns[0].clone();
    shed.id = "load-shedding".into();
    d.recommendation.patterns.push(shed);
    d.settings.entry("alerts".into()).or_default().insert(
        "page_burn_rate".into(),
        Setting {
            value: Value::Float(14.4),
            source: "estimate slo-alerts".into(),
        },
    );
    d
}

#[test]
#[ignore = "builds a crate per example with cargo (minutes); run with --ignored"]
fn every_example_scaffold_builds_and_passes_its_tests() {
    let target = scaffold_target();
    for name in examples() {
        build_and_test(&name, &design(&name), &target);
    }
    build_and_test("discord+everything", &everything(), &target);
}

#[test]
fn a_shared_cache_layer_lives_in_redis_and_a_local_one_in_memory() {
    // uber chose write-through: a cache every replica shares.
    let uber = render(&design("uber"), "uber.yaml");
    let yaml = file(&uber, "config/service.yaml");
    assert!(
        yaml.contains("the design chose write-through, a cache layer every replica shares")
            && yaml.contains("\n  backend: \"redis\"\n")
            && yaml.contains("\n  url: \"redis://127.0.0.1:6379\"\n"),
        "{yaml}"
    );
    assert!(file(&uber, "Cargo.toml").contains("\nredis = { version = \"1\""));
    assert!(file(&uber, "src/cache.rs").contains("Redis(Redis)"));
    assert!(file(&uber, "src/cache.rs").contains("REDIS_URL"));
    let compose = file(&uber, "compose.yaml");
    assert!(
        compose.contains("\n  redis:\n    image: redis:"),
        "{compose}"
    );
    assert!(compose.contains("depends_on: [redis]"), "{compose}");
    assert!(
        compose.contains("APP__CACHE__URL: redis://redis:6379"),
        "{compose}"
    );
    // A consumer's broker and the Redis are both waited for.
    let discord = render(&design("discord"), "discord.yaml");
    assert!(file(&discord, "compose.yaml").contains("depends_on: [nats, redis]"));

    // startup chose cache-aside: each replica fills its own cache, and no Redis is generated.
    let startup = render(&design("startup"), "startup.yaml");
    let yaml = file(&startup, "config/service.yaml");
    assert!(yaml.contains("\n  backend: \"memory\"\n"), "{yaml}");
    assert!(!yaml.contains("redis://"), "{yaml}");
    assert!(!file(&startup, "Cargo.toml").contains("redis"));
    assert!(!file(&startup, "compose.yaml").contains("redis"));
    assert!(file(&startup, "src/config.rs").contains("must be memory, got"));
}

#[test]
fn trace_export_is_a_config_switch_off_by_default_behind_a_feature() {
    for name in ["startup", "uber", "netflix"] {
        let files = render(&design(name), &format!("{name}.yaml"));
        let yaml = file(&files, "config/service.yaml");
        assert!(
            yaml.contains(
                "  # scaffold default: off; an OpenTelemetry collector's OTLP/HTTP base URL such as http://127.0.0.1:4318 exports traces\n  otlp_endpoint: \"\"\n"
            ),
            "{name}: {yaml}"
        );
        let cargo = file(&files, "Cargo.toml");
        assert!(cargo.contains("default = [\"otlp\"]"), "{name}");
        assert!(
            cargo.contains("opentelemetry-otlp = { version = \"0.33\""),
            "{name}"
        );
        let config = file(&files, "src/config.rs");
        assert!(
            config.contains("c.http_url_or_off(\"telemetry.otlp_endpoint\", &s.otlp_endpoint);"),
            "{name}"
        );
        let telemetry = file(&files, "src/telemetry.rs");
        assert!(
            telemetry.contains("fn spans_reach_a_collector_over_otlp_http"),
            "{name}"
        );
        assert!(
            file(&files, "src/main.rs").contains("telemetry.shutdown().await"),
            "{name}"
        );
    }
}
