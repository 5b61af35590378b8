//! Capacity models: pure functions over typed inputs, each citing its formula and source.
//! Numbers are the product here: every model is tested against published values
//! (REFERENCES.md) and says which convention it used.

pub mod availability;
pub mod diagnostic;
pub mod slo;
pub mod topology;
