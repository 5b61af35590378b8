//! Problems found in rule files, each with a stable code, a location and a help line.

use serde::Serialize;
use std::fmt;

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable kebab-case code (`dangling-next`, `cycle`, ...), listed in docs/rules.md.
    pub code: &'static str,
    /// What is wrong, lower case.
    pub message: String,
    /// The file as named to the user.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What would be accepted.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error[{}]: {}\n  --> {}",
            self.code, self.message, self.path
        )?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

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
