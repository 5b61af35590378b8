//! Capacity models: one module per model, pure functions over typed inputs. Each model's doc
//! comment states its formula and where it comes from; tests hold it to published values
//! (REFERENCES.md), and each says which convention it used.

pub mod availability;
pub mod chain;
pub mod intervals;
pub mod invalid;
pub mod queue;
pub mod quorum;
pub mod ratelimit;
pub mod replicas;
pub mod retry;
pub mod ring;
pub mod scale;
pub mod shards;
pub mod slo;
pub mod topology;
pub mod usl;

pub use invalid::Invalid;
