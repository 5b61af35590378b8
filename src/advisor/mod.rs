//! The decision engine: rule model, loading and validation into a petgraph graph, the walk.
