//! Problems found while loading the model files: each one a stable kebab-case code, a
//! lower-case message, the file and line it points at, and a help line listing what would be
//! accepted (or the closest known id).

use std::fmt;

pub use crate::diagnostic::{Code, Diagnostic};

/// The model files could not be loaded: every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// All problems, sorted by file, then line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// Whether any diagnostic has this code.
    pub fn has(&self, code: Code) -> bool {
        self.diagnostics.iter().any(|d| d.code == code)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.diagnostics.len();
        write!(
            f,
            "the pattern catalog (models/) has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.diagnostics {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl From<crate::yaml::Error> for Diagnostic {
    fn from(e: crate::yaml::Error) -> Self {
        Diagnostic {
            code: Code::Syntax,
            path: e.path,
            line: e.line,
            column: e.column,
            message: e.message,
            help: Some("see docs/patterns.md for the model file formats".into()),
        }
    }
}
/// A value that is not one of an enumeration's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}`; accepted: {}", accepted.join(", "))]
pub struct UnknownValue {
    /// What was being read (`category`).
    pub what: &'static str,
    /// What was given.
    pub value: String,
    /// Every accepted name.
    pub accepted: Vec<&'static str>,
}
