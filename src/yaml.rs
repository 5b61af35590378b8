//! All YAML parsing and printing goes through this module, so the YAML crate can change in
//! one place. Errors carry the file name and the 1-based line and column.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;

/// A YAML document that could not be read into the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// The file as the user named it.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong, lower case, without the location.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.path, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.path, self.message),
            _ => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Largest YAML document we read; bigger inputs are refused before parsing.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// Parses `text` (read from `path`) into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str, path: &str) -> Result<T, Error> {
    if text.len() > MAX_BYTES {
        return Err(Error {
            path: path.to_string(),
            line: None,
            column: None,
            message: format!(
                "file is {} bytes; at most {MAX_BYTES} bytes are accepted",
                text.len()
            ),
        });
    }
    serde_yaml::from_str(text).map_err(|e| {
        let loc = e.location();
        Error {
            path: path.to_string(),
            line: loc.as_ref().map(|l| l.line()),
            column: loc.as_ref().map(|l| l.column()),
            message: clean_message(&e.to_string()),
        }
    })
}

/// Serialises `value` as YAML. Serialising our own plain data types cannot fail; if it ever
/// did, the error text is returned in place of the document so nothing panics.
pub fn to_string<T: Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).unwrap_or_else(|e| format!("# serialisation failed: {e}\n"))
}

/// Drops the " at line L column C" suffix serde_yaml appends (we print the location
/// ourselves) and keeps the rest of the message.
fn clean_message(raw: &str) -> String {
    let msg = match raw.find(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    msg.trim().to_string()
}

/// Finds the 1-based (line, column) of a node in `text` by following `keys`: each key is
/// looked up as `key:` (or a list item `- key:`/`{ key:`) at or after the previous hit. The
/// last segment may also be a plain scalar value (`next: foo` finds `foo`). Used to point
/// validation diagnostics at the right line after serde has thrown spans away.
pub fn locate(text: &str, keys: &[&str]) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0usize;
    let mut hit = None;
    for key in keys {
        let mut found = None;
        for (i, line) in lines.iter().enumerate().skip(from) {
            if let Some(col) = find_key(line, key) {
                found = Some((i, col));
                break;
            }
        }
        let (i, col) = found?;
        hit = Some((i + 1, col + 1));
        from = i;
    }
    hit
}

fn find_key(line: &str, key: &str) -> Option<usize> {
    let code = match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    };
    let mut start = 0;
    while let Some(pos) = code[start..].find(key) {
        let at = start + pos;
        let before = code[..at].chars().next_back();
        let after = code[at + key.len()..].chars().next();
        let boundary_before = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'));
        let boundary_after = after.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'));
        let quoted_before = before.is_some_and(|c| c == '"' || c == '\'');
        if (boundary_before || quoted_before) && boundary_after {
            return Some(at);
        }
        start = at + key.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_file_line_and_column_of_a_type_error() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            n: u32,
        }
        let err = from_str::<T>("\nn: nope\n", "x.yaml").unwrap_err();
        assert_eq!(err.path, "x.yaml");
        assert_eq!(err.line, Some(2));
        assert!(err.to_string().starts_with("x.yaml:2:"), "{err}");
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn locates_nested_keys_and_values() {
        let text = "a:\n  b:\n    next: foo\n  c:\n    next: foo\n";
        assert_eq!(locate(text, &["c", "next", "foo"]), Some((5, 11)));
        assert_eq!(locate(text, &["b"]), Some((2, 3)));
        assert_eq!(locate(text, &["zzz"]), None);
    }
}
