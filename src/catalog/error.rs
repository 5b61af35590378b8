//! Problems found while loading the model files: each one a stable kebab-case code, a
//! lower-case message, the file and line it points at, and a help line listing what would be
//! accepted (or the closest known id).

use std::fmt;

/// What kind of problem a [`Diagnostic`] reports. The kebab-case name is stable: scripts and
/// docs/patterns.md refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A model file is not valid YAML or does not have the expected shape.
    Syntax,
    /// One of the five model files is absent.
    MissingFile,
    /// Two entries of one file share an id.
    DuplicateId,
    /// An id or tunable name is not written in the expected case (kebab-case ids,
    /// snake_case tunables).
    InvalidId,
    /// A reference names a pattern the catalog does not define.
    UnknownPattern,
    /// A reference names a pack packs.yaml does not define.
    UnknownPack,
    /// A pattern's `pack` and the pack's `patterns` list disagree.
    PackMismatch,
    /// Pack orders or user bands are not a gap-free sequence.
    PackRange,
    /// A stack's journey step names neither a pack nor a pattern.
    EmptyStep,
    /// A stack uses a pattern (in its journey or combination) that its `patterns` list
    /// leaves out.
    StackMismatch,
    /// An anti-pattern's `detect` condition is malformed.
    InvalidCondition,
}

impl Code {
    /// The stable kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::MissingFile => "missing-file",
            Code::DuplicateId => "duplicate-id",
            Code::InvalidId => "invalid-id",
            Code::UnknownPattern => "unknown-pattern",
            Code::UnknownPack => "unknown-pack",
            Code::PackMismatch => "pack-mismatch",
            Code::PackRange => "pack-range",
            Code::EmptyStep => "empty-step",
            Code::StackMismatch => "stack-mismatch",
            Code::InvalidCondition => "invalid-condition",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in one model file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// What kind of problem.
    pub code: Code,
    /// The file as reported (`models/patterns.yaml`).
    pub path: String,
    /// 1-based line, when it could be found.
    pub line: Option<usize>,
    /// 1-based column, when it could be found.
    pub column: Option<usize>,
    /// What is wrong, lower case, without the location.
    pub message: String,
    /// What would be accepted, or the closest known id.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": error[{}]: {}", self.code, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

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
