//! What the generated service is, read by both the scaffold and the alert rules (so neither
//! imports the other): its shape and SLI series, its package name, and its latency
//! objective.

use crate::design::{Design, Value};
use serde::Serialize;

/// What the service is, from the `communication` decision: the front it serves and the
/// metrics its SLI is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// An axum HTTP server (`rest`, and designs without a communication decision).
    Rest,
    /// A tonic gRPC server with the standard health service (`grpc`).
    Grpc,
    /// A RabbitMQ consumer on lapin (`rabbitmq`).
    Rabbitmq,
    /// A Kafka consumer on rskafka (`kafka`).
    Kafka,
    /// A NATS subscriber on async-nats (`fire-and-forget`).
    Nats,
}

/// The series a shape's SLI is measured on, as the scaffold exports them and the alert
/// rules select them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sli {
    /// The request counter, as scraped (`http_requests_total`).
    pub counter: String,
    /// Matchers that pick the failed requests among its series.
    pub errors: String,
    /// The latency histogram, as scraped, without `_bucket` (`http_request_duration_seconds`).
    pub histogram: String,
}

impl Shape {
    /// The shape of a design: the first communication pattern it chose.
    pub fn of(design: &Design) -> Shape {
        let chosen = |id: &str| design.recommendation.patterns.iter().any(|p| p.id == id);
        [
            ("grpc", Shape::Grpc),
            ("rest", Shape::Rest),
            ("kafka", Shape::Kafka),
            ("rabbitmq", Shape::Rabbitmq),
            ("fire-and-forget", Shape::Nats),
        ]
        .into_iter()
        .find(|(id, _)| chosen(id))
        .map_or(Shape::Rest, |(_, shape)| shape)
    }

    /// The SLI series: the ecosystem's names for the shape (the Prometheus HTTP conventions,
    /// go-grpc-prometheus for gRPC, messages handled for consumers).
    pub fn sli(self) -> Sli {
        let (counter, errors, histogram) = match self {
            Shape::Rest => (
                "http_requests_total",
                r#"code=~"5..""#,
                "http_request_duration_seconds",
            ),
            Shape::Grpc => (
                "grpc_server_handled_total",
                r#"grpc_code=~"Unknown|DeadlineExceeded|Internal|Unavailable|DataLoss|Unimplemented""#,
                "grpc_server_handling_seconds",
            ),
            Shape::Rabbitmq | Shape::Kafka | Shape::Nats => (
                "messages_handled_total",
                r#"outcome="failed""#,
                "message_handling_seconds",
            ),
        };
        Sli {
            counter: counter.into(),
            errors: errors.into(),
            histogram: histogram.into(),
        }
    }

    /// Whether the service consumes from a broker (health and metrics on `admin_listen`).
    pub fn is_consumer(self) -> bool {
        matches!(self, Shape::Rabbitmq | Shape::Kafka | Shape::Nats)
    }
}

/// The histogram buckets every shape exports, seconds; the latency target is added to them.
pub const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The latency target of a design: the smallest bucket of at least twice the expected
/// service time (`queue.service_time_s`), so a request that waited about as long as it was
/// served still counts as fast. `None` without a service time.
pub fn latency_target(design: &Design) -> Option<(f64, String)> {
    let setting = design.settings.get("queue")?.get("service_time_s")?;
    let service = match setting.value {
        Value::Int(i) => i as f64,
        Value::Float(f) => f,
        Value::Text(_) => return None,
    };
    let target = BUCKETS
        .iter()
        .copied()
        .find(|b| *b >= 2.0 * service)
        .unwrap_or(BUCKETS[BUCKETS.len() - 1]);
    Some((
        target,
        format!(
            "derived: the smallest histogram bucket of at least twice queue.service_time_s ({})",
            one_line(&setting.source)
        ),
    ))
}

/// Whether the design said its calls are latency-sensitive.
pub fn latency_sensitive(design: &Design) -> bool {
    design
        .answers
        .get("latency_sensitive")
        .is_some_and(|a| a.answer == "yes")
}

/// The package name, after the design's service: its `service_name` answer, else the design
/// file's name before the first dot (`checkout.design.yaml` → `checkout`), else `service`;
/// kebab-case. Two scaffolds in one `CARGO_TARGET_DIR` then build different binaries.
pub(crate) fn package(design: &Design, source: &str) -> String {
    let usable = |n: &String| n.starts_with(|c: char| c.is_ascii_lowercase()) && n != "design";
    let stem = std::path::Path::new(source)
        .file_name()
        .and_then(|f| f.to_str())
        .and_then(|f| f.split('.').next())
        .map(super::env::kebab);
    design
        .answers
        .get("service_name")
        .map(|a| super::env::kebab(&a.answer))
        .filter(usable)
        .or(stem.filter(usable))
        .unwrap_or_else(|| "service".to_string())
}

/// One line: a source or doc text inside a comment or a table cell.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
