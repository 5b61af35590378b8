//! The pattern catalog, packs, reference stacks, databases and anti-patterns (typed views of `models/`).
