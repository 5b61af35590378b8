//! The decision engine: rule model, loading and validation into a petgraph graph, the walk.

pub mod condition;

pub use condition::{AnswerTest, Condition};
