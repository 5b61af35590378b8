//! The one diagnostic type of the data files a user or the project writes (rule files,
//! constraints, the model files): a typed, stable kebab-case [`Code`], a lower-case message,
//! the file, line and column it points at, and a help line with what would be accepted.
//! Scripts and the docs (rules.md, patterns.md) match on the codes, so they never change
//! meaning; a test checks they are unique. (Topology diagnostics still live in
//! `capacity::diagnostic`.)

use serde::Serialize;
use std::fmt;

/// What kind of problem a [`Diagnostic`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A model file is not valid YAML or does not have the expected shape.
    Syntax,
    /// One of the catalog's model files is absent.
    MissingFile,
    /// Two entries share an id.
    DuplicateId,
    /// An id or tunable name is not written in the expected case.
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
    /// A stack uses a pattern its `patterns` list leaves out.
    StackMismatch,
    /// A condition is malformed (an answer test without exactly one test).
    InvalidCondition,
    /// A rule file is not valid YAML or does not fit the schema.
    ParseError,
    /// A tree's `id` differs from its file stem.
    IdMismatch,
    /// An outcome names a database the catalog does not define.
    UnknownDatabase,
    /// An outcome names no capacity model.
    UnknownEstimate,
    /// A `start` or `next` names a question no loaded tree defines.
    DanglingNext,
    /// Two loaded files define the same question id.
    DuplicateQuestion,
    /// A question is neither a choice nor a numeric question, or both.
    BadQuestion,
    /// A bound cannot be read in the question's kind.
    BadNumber,
    /// A choice or range has both or neither of `next` and `outcome`.
    BadBranch,
    /// A branch names an outcome its tree does not define.
    UnknownOutcome,
    /// A question cannot be reached from any start.
    UnreachableQuestion,
    /// No branch leads to an outcome.
    UnreachableOutcome,
    /// Questions lead back to each other.
    Cycle,
    /// Two choices of one question have the same value.
    DuplicateChoice,
    /// Some accepted values fall in no range.
    RangeGap,
    /// Range bounds do not strictly increase.
    RangeOverlap,
    /// A question outside the scripted vocabulary has no default.
    MissingDefault,
    /// A default is not an accepted answer.
    BadDefault,
    /// A guard or detector names an unknown id.
    UnknownGuardId,
    /// A constraint's `when` or `prefer` names an unknown id.
    UnknownConstraintId,
    /// A constraint's `revisit` names an unknown question.
    UnknownQuestion,
    /// A rule file is past the size limits.
    TooLarge,
    /// More problems were found than are listed.
    MoreProblems,
}

impl Code {
    /// Every code.
    pub const ALL: &'static [Code] = &[
        Code::Syntax,
        Code::MissingFile,
        Code::DuplicateId,
        Code::InvalidId,
        Code::UnknownPattern,
        Code::UnknownPack,
        Code::PackMismatch,
        Code::PackRange,
        Code::EmptyStep,
        Code::StackMismatch,
        Code::InvalidCondition,
        Code::ParseError,
        Code::IdMismatch,
        Code::UnknownDatabase,
        Code::UnknownEstimate,
        Code::DanglingNext,
        Code::DuplicateQuestion,
        Code::BadQuestion,
        Code::BadNumber,
        Code::BadBranch,
        Code::UnknownOutcome,
        Code::UnreachableQuestion,
        Code::UnreachableOutcome,
        Code::Cycle,
        Code::DuplicateChoice,
        Code::RangeGap,
        Code::RangeOverlap,
        Code::MissingDefault,
        Code::BadDefault,
        Code::UnknownGuardId,
        Code::UnknownConstraintId,
        Code::UnknownQuestion,
        Code::TooLarge,
        Code::MoreProblems,
    ];

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
            Code::ParseError => "parse-error",
            Code::IdMismatch => "id-mismatch",
            Code::UnknownDatabase => "unknown-database",
            Code::UnknownEstimate => "unknown-estimate",
            Code::DanglingNext => "dangling-next",
            Code::DuplicateQuestion => "duplicate-question",
            Code::BadQuestion => "bad-question",
            Code::BadNumber => "bad-number",
            Code::BadBranch => "bad-branch",
            Code::UnknownOutcome => "unknown-outcome",
            Code::UnreachableQuestion => "unreachable-question",
            Code::UnreachableOutcome => "unreachable-outcome",
            Code::Cycle => "cycle",
            Code::DuplicateChoice => "duplicate-choice",
            Code::RangeGap => "range-gap",
            Code::RangeOverlap => "range-overlap",
            Code::MissingDefault => "missing-default",
            Code::BadDefault => "bad-default",
            Code::UnknownGuardId => "unknown-guard-id",
            Code::UnknownConstraintId => "unknown-constraint-id",
            Code::UnknownQuestion => "unknown-question",
            Code::TooLarge => "too-large",
            Code::MoreProblems => "more-problems",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    /// What is wrong, lower case, without the location.
    pub message: String,
    /// The file as named to the user.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What would be accepted, or the closest known id.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        for n in &names {
            assert!(
                n.split('-')
                    .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase())),
                "{n}"
            );
        }
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }
}
