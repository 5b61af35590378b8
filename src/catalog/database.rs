//! A distributed database of the comparison table (`models/databases.yaml`): where it sits
//! under CAP and PACELC, what consistency it offers, its data model and what it suits.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One entry of `models/databases.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// Kebab-case id (`cockroachdb`).
    pub id: String,
    /// Display name (`CockroachDB`).
    pub name: String,
    /// What it gives up during a network partition.
    pub cap: Cap,
    /// PACELC class: the partition choice, then the normal-operation choice.
    pub pacelc: Pacelc,
    /// Whether consistency can be chosen per request or per session.
    #[serde(default)]
    pub tunable: bool,
    /// The consistency model in words (`strong (serializable)`).
    pub consistency: String,
    /// How data is shaped.
    pub data_model: DataModel,
    /// Workloads it suits.
    pub best_for: Vec<String>,
    /// Mechanisms and caveats worth knowing before choosing it.
    pub notes: String,
    /// The patterns the store itself implements where a design chooses one of several (its
    /// replication topology, how it settles concurrent writes): a store is no candidate for
    /// a design in which another pattern of the same exclusive choice stands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub implements: Vec<String>,
}

crate::catalog::kebab_enum! {
    /// The CAP class: which guarantee the system keeps when the network splits.
    Cap, "CAP class" {
        /// Keeps consistency: some requests fail during a partition.
        Cp => "CP",
        /// Keeps availability: some reads are stale during a partition.
        Ap => "AP",
        /// A single node or site: partitions are not tolerated at all.
        Ca => "CA",
    }
}

crate::catalog::kebab_enum! {
    /// The PACELC class (Abadi): under Partition, Availability or Consistency; Else, Latency
    /// or Consistency.
    Pacelc, "PACELC class" {
        /// Available under partition, low latency otherwise (Cassandra, DynamoDB defaults).
        PaEl => "PA/EL",
        /// Consistent always, paying latency (Spanner, relational databases).
        PcEc => "PC/EC",
        /// Available under partition, consistent otherwise.
        PaEc => "PA/EC",
        /// Consistent under partition, low latency otherwise.
        PcEl => "PC/EL",
    }
}

crate::catalog::kebab_enum! {
    /// How a database shapes its data.
    DataModel, "data model" {
        /// Tables, SQL, transactions.
        Relational => "relational",
        /// Values looked up by key.
        KeyValue => "key-value",
        /// Rows of sparse, grouped columns, partitioned by key.
        WideColumn => "wide-column",
        /// JSON-like documents.
        Document => "document",
        /// Several of the above behind one service.
        MultiModel => "multi-model",
        /// Timestamped measurements, appended and queried by time range.
        TimeSeries => "time-series",
        /// Column-oriented tables for scans and aggregations (analytics, OLAP).
        Columnar => "columnar",
        /// Inverted indexes for full-text and faceted search.
        Search => "search",
        /// Immutable blobs addressed by bucket and key.
        Object => "object",
    }
}

impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}, {})", self.name, self.cap, self.pacelc)
    }
}
