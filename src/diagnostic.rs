//! The one diagnostic type of the data files a user or the project writes (rule files,
//! constraints, the model files): a typed, stable kebab-case [`Code`], a lower-case message,
//! the file, line and column it points at, and a help line with what would be accepted.
//! Scripts and the docs (rules.md, patterns.md) match on the codes, so they never change
//! meaning; a test checks they are unique. Topology, SLO tier and MEF files use the same
//! type, collected per file in [`FileDiagnostics`].

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
    /// A tree has more than one fallback outcome.
    DuplicateFallback,
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
    // Topology files, SLO tier files and Open-PSA MEF fault trees.
    /// A component gives both an availability and mttf/mttr.
    AvailabilityAndMttf,
    /// An availability is not a fraction in (0, 1] or a percentage.
    BadAvailability,
    /// An SLO tier's budget cannot be read.
    BadBudget,
    /// A component entry is not a leaf with an availability or mttf/mttr.
    BadComponent,
    /// A duration (mttf, mttr, window) cannot be read.
    BadDuration,
    /// An SLO tier's window cannot be read or is out of range.
    BadWindow,
    /// An Open-PSA MEF document is not well-formed XML.
    BadXml,
    /// `count` on the topology's root, where there is no group for the copies.
    CountAtRoot,
    /// Two nodes of a topology share a name.
    DuplicateName,
    /// A series, parallel or k_of_n group has no members.
    EmptyGroup,
    /// An SLO tier file lists no tiers.
    EmptyTiers,
    /// A k_of_n group needs more members than it has.
    KAboveN,
    /// A k_of_n group with k = 0.
    KZero,
    /// A MEF gate has the wrong number of arguments for its connective.
    MefArity,
    /// A MEF `atleast` gate has a bad `min`.
    MefBadAtleast,
    /// A MEF constant is neither true nor false.
    MefBadConstant,
    /// A MEF basic event's probability is not in [0, 1].
    MefBadProbability,
    /// A MEF gate depends on itself.
    MefCycle,
    /// A MEF gate or event is defined twice.
    MefDuplicate,
    /// A MEF gate does not hold exactly one formula.
    MefGateBody,
    /// A MEF definition or reference has no name.
    MefMissingName,
    /// A MEF basic event has no `<float value>`.
    MefMissingProbability,
    /// A MEF document defines no gate.
    MefNoGate,
    /// A MEF document has more than one top gate.
    MefSeveralTops,
    /// A MEF reference names nothing defined.
    MefUndefined,
    /// A MEF element the reader does not support (expressions, parameters, CCF groups...).
    MefUnsupported,
    /// A component gives neither an availability nor mttf/mttr.
    MissingAvailability,
    /// A component gives mttr without mttf.
    MissingMttf,
    /// A component gives mttf without mttr.
    MissingMttr,
    /// A topology node is both a leaf and a group, or two kinds of group.
    MixedNode,
    /// A shared subsystem refers back to itself.
    RefCycle,
    /// A burn-rate tier's short window is not shorter than its long one.
    ShortNotShorter,
    /// Topology groups are nested too deeply.
    TooDeep,
    /// A topology is past the component limit.
    TooManyComponents,
    /// An SLO tier file is past the tier limit.
    TooManyTiers,
    /// A `ref` names no component or subsystem.
    UnknownRef,
    /// A `count` of 0.
    ZeroCount,
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
        Code::DuplicateFallback,
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
        Code::AvailabilityAndMttf,
        Code::BadAvailability,
        Code::BadBudget,
        Code::BadComponent,
        Code::BadDuration,
        Code::BadWindow,
        Code::BadXml,
        Code::CountAtRoot,
        Code::DuplicateName,
        Code::EmptyGroup,
        Code::EmptyTiers,
        Code::KAboveN,
        Code::KZero,
        Code::MefArity,
        Code::MefBadAtleast,
        Code::MefBadConstant,
        Code::MefBadProbability,
        Code::MefCycle,
        Code::MefDuplicate,
        Code::MefGateBody,
        Code::MefMissingName,
        Code::MefMissingProbability,
        Code::MefNoGate,
        Code::MefSeveralTops,
        Code::MefUndefined,
        Code::MefUnsupported,
        Code::MissingAvailability,
        Code::MissingMttf,
        Code::MissingMttr,
        Code::MixedNode,
        Code::RefCycle,
        Code::ShortNotShorter,
        Code::TooDeep,
        Code::TooManyComponents,
        Code::TooManyTiers,
        Code::UnknownRef,
        Code::ZeroCount,
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
            Code::DuplicateFallback => "duplicate-fallback",
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
            Code::AvailabilityAndMttf => "availability-and-mttf",
            Code::BadAvailability => "bad-availability",
            Code::BadBudget => "bad-budget",
            Code::BadComponent => "bad-component",
            Code::BadDuration => "bad-duration",
            Code::BadWindow => "bad-window",
            Code::BadXml => "bad-xml",
            Code::CountAtRoot => "count-at-root",
            Code::DuplicateName => "duplicate-name",
            Code::EmptyGroup => "empty-group",
            Code::EmptyTiers => "empty-tiers",
            Code::KAboveN => "k-above-n",
            Code::KZero => "k-zero",
            Code::MefArity => "mef-arity",
            Code::MefBadAtleast => "mef-bad-atleast",
            Code::MefBadConstant => "mef-bad-constant",
            Code::MefBadProbability => "mef-bad-probability",
            Code::MefCycle => "mef-cycle",
            Code::MefDuplicate => "mef-duplicate",
            Code::MefGateBody => "mef-gate-body",
            Code::MefMissingName => "mef-missing-name",
            Code::MefMissingProbability => "mef-missing-probability",
            Code::MefNoGate => "mef-no-gate",
            Code::MefSeveralTops => "mef-several-tops",
            Code::MefUndefined => "mef-undefined",
            Code::MefUnsupported => "mef-unsupported",
            Code::MissingAvailability => "missing-availability",
            Code::MissingMttf => "missing-mttf",
            Code::MissingMttr => "missing-mttr",
            Code::MixedNode => "mixed-node",
            Code::RefCycle => "ref-cycle",
            Code::ShortNotShorter => "short-not-shorter",
            Code::TooDeep => "too-deep",
            Code::TooManyComponents => "too-many-components",
            Code::TooManyTiers => "too-many-tiers",
            Code::UnknownRef => "unknown-ref",
            Code::ZeroCount => "zero-count",
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

impl Diagnostic {
    /// A diagnostic without a file or location yet ([`FileDiagnostics`] names the file).
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            path: String::new(),
            line: None,
            column: None,
            help: None,
        }
    }

    /// Adds a help text.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points the diagnostic at a (line, column), when known.
    pub fn at(mut self, at: Option<(usize, usize)>) -> Self {
        if let Some((line, column)) = at {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }
}

/// Every problem found in one file a user wrote (a topology, an SLO tier file, a MEF fault
/// tree), printed one `path:line:column: error[code]: message` line each, the form editors
/// and `grep -n` users read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FileDiagnostics {
    /// The file as the user named it.
    pub path: String,
    /// The problems, in file order where lines are known.
    pub items: Vec<Diagnostic>,
}

impl FileDiagnostics {
    /// The problems found in `path`, each stamped with the path, sorted by position (unknown
    /// positions last) for stable output.
    pub fn new(path: impl Into<String>, mut items: Vec<Diagnostic>) -> Self {
        let path = path.into();
        for d in &mut items {
            d.path.clone_from(&path);
        }
        items.sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.column.unwrap_or(0)));
        Self { path, items }
    }
}

impl fmt::Display for FileDiagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.items.len();
        write!(
            f,
            "{}: {n} problem{}",
            self.path,
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.items {
            write!(f, "\n{}", self.path)?;
            match (d.line, d.column) {
                (Some(l), Some(c)) => write!(f, ":{l}:{c}")?,
                (Some(l), None) => write!(f, ":{l}")?,
                _ => {}
            }
            write!(f, ": error[{}]: {}", d.code, d.message)?;
            if let Some(h) = &d.help {
                write!(f, "\n  help: {h}")?;
            }
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

    #[test]
    fn prints_every_problem_with_its_location_and_help() {
        let d = FileDiagnostics {
            path: "t.yaml".into(),
            items: vec![
                Diagnostic::new(Code::UnknownRef, "no component `dsn`")
                    .at(Some((4, 9)))
                    .help("did you mean `dns`?"),
                Diagnostic::new(Code::KAboveN, "k is 4 but there are 3"),
            ],
        };
        let s = d.to_string();
        assert!(
            s.starts_with("t.yaml: 2 problems\nt.yaml:4:9: error[unknown-ref]"),
            "{s}"
        );
        assert!(
            s.contains("\n  help: did you mean `dns`?\nt.yaml: error[k-above-n]"),
            "{s}"
        );
    }
}
