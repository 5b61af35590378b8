//! Problems found while validating a file users write (a topology, an SLO tier file): each
//! with a stable kebab-case code, a lower-case message, the line and column it points at and
//! a help text listing what is accepted. Validation collects all of them before failing.

use std::fmt;

/// One problem in a user file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Stable kebab-case code, e.g. `unknown-ref`.
    pub code: &'static str,
    /// What is wrong, lower case, without the location.
    pub message: String,
    /// 1-based line, when it could be found.
    pub line: Option<usize>,
    /// 1-based column, when it could be found.
    pub column: Option<usize>,
    /// What would be accepted, or how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without a location yet.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
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

/// Every problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics {
    /// The file as the user named it.
    pub path: String,
    /// The problems, in file order where lines are known.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Sorts the problems by position (unknown positions last) for stable output.
    pub fn sorted(mut self) -> Self {
        self.items
            .sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.column.unwrap_or(0)));
        self
    }
}

impl fmt::Display for Diagnostics {
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

/// Lines `[start, end)` (0-based) of the top-level section `key:` of a YAML document: from its
/// key to the next top-level key. Sequence items written at column 1 stay in the section.
pub fn section(text: &str, key: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })?;
    let end = lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, l)| l.starts_with(|c: char| !(c.is_whitespace() || c == '#' || c == '-')))
        .map_or(lines.len(), |(i, _)| i);
    Some((start, end))
}

/// The 1-based (line, column) of the `n`-th (0-based) occurrence of the mapping key `key:`
/// within lines `[start, end)`. Several keys on one line (flow mappings) count separately;
/// comments are skipped. Because validation walks a file in document order, the n-th time it
/// meets a key is the n-th occurrence of that key in the text.
pub fn nth_key(
    text: &str,
    (start, end): (usize, usize),
    key: &str,
    n: usize,
) -> Option<(usize, usize)> {
    let mut seen = 0;
    for (i, line) in text.lines().enumerate().take(end).skip(start) {
        for col in key_columns(line, key) {
            if seen == n {
                return Some((i + 1, col + 1));
            }
            seen += 1;
        }
    }
    None
}

/// Finds keys like [`nth_key`], with a budget: each lookup scans the text, so a file with
/// many thousands of problems would cost lines × problems. Past the budget, lookups give
/// `None` (the problem is still reported, without its line).
#[derive(Debug)]
pub struct Locator<'a> {
    text: &'a str,
    left: std::cell::Cell<usize>,
}

impl<'a> Locator<'a> {
    /// A locator for `text` allowing `lookups` scans.
    pub fn new(text: &'a str, lookups: usize) -> Self {
        Self {
            text,
            left: std::cell::Cell::new(lookups),
        }
    }

    /// [`nth_key`] in `range`, while the budget lasts.
    pub fn nth_key(&self, range: (usize, usize), key: &str, n: usize) -> Option<(usize, usize)> {
        let left = self.left.get();
        if left == 0 {
            return None;
        }
        self.left.set(left - 1);
        nth_key(self.text, range, key, n)
    }
}

/// Byte columns where `key` appears as a mapping key (`key:` after a boundary) in `line`.
fn key_columns(line: &str, key: &str) -> Vec<usize> {
    let code = match line.find('#') {
        Some(i) if i == 0 || line[..i].ends_with(char::is_whitespace) => &line[..i],
        _ => line,
    };
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = code[from..].find(key) {
        let at = from + pos;
        let before = code[..at].chars().next_back();
        let boundary =
            before.is_none_or(|c| matches!(c, ' ' | '\t' | '-' | '{' | ',' | '"' | '\''));
        let rest = code[at + key.len()..].trim_start_matches(['"', '\'']);
        if boundary && rest.trim_start().starts_with(':') {
            out.push(at);
        }
        from = at + key.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sections_and_keys_in_document_order() {
        let text = "components:\n  dns: { availability: 0.9 }\nsystem:\n  series:\n    - { availability: 1, name: a }\n    - availability: 2 # availability: 3\n";
        assert_eq!(section(text, "system"), Some((2, 6)));
        assert_eq!(section(text, "components"), Some((0, 2)));
        let sys = section(text, "system").unwrap();
        assert_eq!(nth_key(text, sys, "availability", 0), Some((5, 9)));
        assert_eq!(nth_key(text, sys, "availability", 1), Some((6, 7)));
        assert_eq!(nth_key(text, sys, "availability", 2), None);
        assert_eq!(nth_key(text, (0, 6), "name", 0), Some((5, 26)));
    }

    #[test]
    fn prints_every_problem_with_its_location_and_help() {
        let d = Diagnostics {
            path: "t.yaml".into(),
            items: vec![
                Diagnostic::new("unknown-ref", "no component `dsn`")
                    .at(Some((4, 9)))
                    .help("did you mean `dns`?"),
                Diagnostic::new("k-above-n", "k is 4 but there are 3"),
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
