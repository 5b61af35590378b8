//! Problems found in rule files, each with a stable code, a location and a help line.

use std::fmt;

pub use crate::diagnostic::{Code, Diagnostic};

/// Every problem found in a set of rule files; validation collects them all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "\n{n} problem{} in the rules",
            if n == 1 { "" } else { "s" }
        )
    }
}

pub use crate::suggest::did_you_mean;

/// Joins ids as `` `a`, `b`, `c` `` for help lines, at most 20 then "...".
pub fn list(ids: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let all: Vec<String> = ids
        .into_iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect();
    if all.len() > 20 {
        format!("{}, ... ({} in all)", all[..20].join(", "), all.len())
    } else {
        all.join(", ")
    }
}
