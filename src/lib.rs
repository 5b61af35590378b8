//! tradeoff: decide, estimate, record and start distributed-system designs.
//!
//! The library is pure: it never prints, never exits and never prompts. Everything that touches
//! the terminal lives in [`cli`]; everything that touches the file system outside `cli` is in
//! `render::write` (writing) and [`input`] (reading the files users name, with a size cap).
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod advisor;
pub mod capacity;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod condition;
pub mod design;
pub mod diagnostic;
pub mod embedded;
pub mod input;
pub mod render;
pub mod suggest;
pub mod units;
pub mod yaml;
