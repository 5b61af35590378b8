//! All YAML parsing and printing goes through this module, so the YAML crate can change in
//! one place. Errors carry the file name and the 1-based line and column.
//!
//! It is also the one line locator: serde throws spans away, so validation that runs after
//! parsing (rules, the catalog, constraints, topologies, SLO tier files) points its
//! diagnostics at a line with [`locate`] (a key path), [`list_entries`] (the n-th entry of a
//! top-level list), [`section`] and [`nth_key`] / [`Locator`] (the n-th occurrence of a key),
//! the same rules everywhere.

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

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

/// Deepest nesting of lists and maps the YAML reader accepts (its own recursion limit).
pub const MAX_DEPTH: usize = 128;

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
        let message = clean_message(&e.to_string());
        let mut at = loc.as_ref().map(|l| (l.line(), l.column()));
        // A duplicate key is noticed once the map is read; point at its second use.
        if let Some(key) = duplicate_key(&message)
            && let Some(second) = second_key(text, at.map_or(1, |a| a.0), key)
        {
            at = Some(second);
        }
        Error {
            path: path.to_string(),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            message,
        }
    })
}

/// The key of a "duplicate key `k`" message.
fn duplicate_key(message: &str) -> Option<&str> {
    let rest = &message[message.find("duplicate key `")? + "duplicate key `".len()..];
    Some(&rest[..rest.find('`')?])
}

/// The (line, column) of the second `key:` at the indentation of the first one, from line
/// `from` (1-based) on.
fn second_key(text: &str, from: usize, key: &str) -> Option<(usize, usize)> {
    let mut first_indent = None;
    for (i, line) in text.lines().enumerate().skip(from.saturating_sub(1)) {
        let body = line.trim_start_matches([' ', '-']);
        let indent = line.len() - body.len();
        let unquoted = body.trim_start_matches(['"', '\'']);
        let is_key = unquoted.strip_prefix(key).is_some_and(|r| {
            r.trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with(':')
        });
        if !is_key {
            continue;
        }
        match first_indent {
            None => first_indent = Some(indent),
            Some(f) if f == indent => return Some((i + 1, indent + 1)),
            Some(_) => {}
        }
    }
    None
}

/// A YAML document of any shape, for comparing files whose schema is not ours (generated
/// Kubernetes manifests, Prometheus rules): read with [`documents`], located with
/// [`value_line`].
pub type Value = serde_yaml::Value;

/// Every document of a (possibly multi-document) YAML text, in order.
pub fn documents(text: &str, path: &str) -> Result<Vec<Value>, Error> {
    if text.len() > MAX_BYTES {
        return from_str::<Value>(text, path).map(|v| vec![v]);
    }
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        match Value::deserialize(doc) {
            Ok(v) => out.push(v),
            Err(e) => {
                let loc = e.location();
                return Err(Error {
                    path: path.to_string(),
                    line: loc.as_ref().map(|l| l.line()),
                    column: loc.as_ref().map(|l| l.column()),
                    message: clean_message(&e.to_string()),
                });
            }
        }
    }
    Ok(out)
}

/// The 1-based line of the key that holds `target` (a node inside `docs`, the documents of
/// `text`): the n-th mapping key of that name met in document order is the n-th occurrence of
/// `key:` in the text ([`nth_key`]), the same rule the validators use.
pub fn value_line(text: &str, docs: &[Value], target: &Value) -> Option<usize> {
    fn walk<'a>(
        v: &'a Value,
        target: &Value,
        seen: &mut BTreeMap<&'a str, usize>,
    ) -> Option<(&'a str, usize)> {
        match v {
            Value::Mapping(m) => {
                for (k, child) in m {
                    if let Value::String(k) = k {
                        let n = seen.entry(k.as_str()).or_insert(0);
                        *n += 1;
                        if std::ptr::eq(child, target) {
                            return Some((k.as_str(), *n - 1));
                        }
                    }
                    if let Some(hit) = walk(child, target, seen) {
                        return Some(hit);
                    }
                }
                None
            }
            Value::Sequence(items) => items.iter().find_map(|i| walk(i, target, seen)),
            Value::Tagged(t) => walk(&t.value, target, seen),
            _ => None,
        }
    }
    let mut seen = BTreeMap::new();
    let (key, n) = docs.iter().find_map(|d| walk(d, target, &mut seen))?;
    nth_key(text, (0, text.lines().count()), key, n).map(|(line, _)| line)
}

/// Serialises `value` as YAML. Serialising our own plain data types cannot fail; if it ever
/// did, the error text is returned in place of the document so nothing panics.
pub fn to_string<T: Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).unwrap_or_else(|e| format!("# serialisation failed: {e}\n"))
}

/// Drops the " at line L column C" suffix serde_yaml appends (we print the location
/// ourselves) and says serde's messages in the words of the files people write: keys rather
/// than fields, lists rather than sequences, whole numbers rather than `u64`.
fn clean_message(raw: &str) -> String {
    let msg = match raw.find(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    let msg = msg.trim();
    // Keep the path prefix serde_yaml adds (`system.series[0]: ...`) and rewrite the rest.
    let (prefix, body) = match msg.find(": ") {
        Some(i) if !msg[..i].contains(' ') => (&msg[..i + 2], &msg[i + 2..]),
        _ => ("", msg),
    };
    format!("{prefix}{}", plain(body))
}

/// One serde message in plain words.
fn plain(body: &str) -> String {
    if let Some(rest) = body.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "expected {}, found {}",
            expected_words(expected),
            found_words(found)
        );
    }
    if let Some(rest) = body.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "{} is not accepted; expected {}",
            found_words(found),
            expected_words(expected)
        );
    }
    if let Some(rest) = body.strip_prefix("invalid length ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "a list of length {found}; expected {}",
            expected_words(expected)
        );
    }
    if let Some(rest) = body.strip_prefix("unknown field ") {
        return match rest.split_once(", expected ") {
            Some((key, keys)) => format!(
                "unknown key {key}; accepted keys: {}",
                keys.replace("one of ", "")
            ),
            None => format!(
                "unknown key {}",
                rest.replace(", there are no fields", "; no keys are accepted here")
            ),
        };
    }
    if let Some(rest) = body.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected ") {
            Some((value, values)) => format!(
                "unknown value {value}; accepted: {}",
                values.replace("one of ", "")
            ),
            None => format!("unknown value {rest}"),
        };
    }
    if let Some(rest) = body.strip_prefix("missing field ") {
        return format!("missing key {rest}");
    }
    if let Some(rest) = body.strip_prefix("duplicate field ") {
        return format!("duplicate key {rest}");
    }
    if body == "recursion limit exceeded" {
        return format!(
            "nested too deeply: at most {MAX_DEPTH} levels of lists and maps are accepted"
        );
    }
    if body.starts_with("data did not match any variant of untagged enum") {
        return "expected a single value (a number or text), found a list or a map".into();
    }
    body.to_string()
}

/// serde's name for what it expected, as a person would say it.
fn expected_words(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number of 0 or more".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" => "true or false".into(),
        "a string" | "a borrowed string" => "text".into(),
        "a sequence" => "a list".into(),
        "a map" => "a map of keys".into(),
        e if e.starts_with("struct ") || e.starts_with("a map of ") => "a map of keys".into(),
        e if e.starts_with("enum ") => "one of the documented values".into(),
        e => e.to_string(),
    }
}

/// serde's description of what it found, in plain words.
fn found_words(found: &str) -> String {
    if let Some(s) = found.strip_prefix("string ") {
        return format!("the text {s}");
    }
    for (kind, word) in [
        ("integer ", "the number "),
        ("floating point ", "the number "),
        ("boolean ", ""),
    ] {
        if let Some(v) = found.strip_prefix(kind) {
            return format!("{word}{}", v.trim_matches('`'));
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a map".into(),
        "unit value" => "nothing (an empty value)".into(),
        other => other.to_string(),
    }
}

/// One YAML scalar as written: text, a whole number, a number or a boolean. User schemas
/// read their "number or text" fields through it (`#[serde(from = "yaml::Plain")]`) rather
/// than an untagged enum, so a list or map in its place is reported with the key's path.
#[derive(Debug, Clone, PartialEq)]
pub enum Plain {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
}

impl<'de> Deserialize<'de> for Plain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Plain;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a single value (a number or text)")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Plain, E> {
                Ok(Plain::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Plain, E> {
                Ok(Plain::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Plain, E> {
                Ok(i64::try_from(v).map_or(Plain::Float(v as f64), Plain::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Plain, E> {
                Ok(Plain::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Plain, E> {
                Ok(Plain::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Plain, E> {
                Ok(Plain::Text(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A float as people type it: `0.25`, `1e300` (not 301 digits).
pub fn float_text(v: f64) -> String {
    let a = v.abs();
    if v.is_finite() && (a >= 1e15 || (a > 0.0 && a < 1e-4)) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// A map that refuses a key given twice: YAML readers keep the last value silently, which
/// would lose a user's first answer or question without a word.
#[derive(Debug, Clone, PartialEq)]
pub struct UniqueMap<K, V>(pub BTreeMap<K, V>);

impl<'de, K, V> Deserialize<'de> for UniqueMap<K, V>
where
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Unique<K, V>(PhantomData<(K, V)>);
        impl<'de, K, V> Visitor<'de> for Unique<K, V>
        where
            K: Deserialize<'de> + Ord + fmt::Display,
            V: Deserialize<'de>,
        {
            type Value = BTreeMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<K>()? {
                    if out.contains_key(&key) {
                        return Err(serde::de::Error::custom(format!(
                            "duplicate key `{key}`: a key must appear only once in a map"
                        )));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(out)
            }
        }
        d.deserialize_map(Unique(PhantomData)).map(UniqueMap)
    }
}

/// `deserialize_with` form of [`UniqueMap`] for struct fields.
pub fn unique_map<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    UniqueMap::deserialize(d).map(|m| m.0)
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

/// 0-based line indexes where each entry of the top-level list `key:` starts (its `- `
/// marker, at whatever indentation the first entry uses), so that a problem serde reports by
/// entry index can be pointed at a line.
pub fn list_entries(lines: &[&str], key: &str) -> Vec<usize> {
    let mut entries = Vec::new();
    let head = format!("{key}:");
    let Some(start) = lines.iter().position(|l| l.starts_with(&head)) else {
        return entries;
    };
    let mut indent = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let here = line.len() - trimmed.len();
        if here == 0 && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with("- ") || trimmed == "-" {
            match indent {
                None => {
                    indent = Some(here);
                    entries.push(i);
                }
                Some(n) if n == here => entries.push(i),
                _ => {}
            }
        }
    }
    entries
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
    fn says_serde_messages_in_plain_words() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            n: u32,
            list: Option<Vec<u32>>,
        }
        let msg = |text: &str| from_str::<T>(text, "x.yaml").unwrap_err().message;
        assert_eq!(
            msg("n: two\n"),
            "n: expected a whole number of 0 or more, found the text \"two\""
        );
        assert_eq!(
            msg("n: -1\n"),
            "n: expected a whole number of 0 or more, found the number -1"
        );
        assert_eq!(
            msg("n: 1\nlist: 5\n"),
            "list: expected a list, found the number 5"
        );
        assert_eq!(
            msg("n: 1\nm: 2\n"),
            "unknown key `m`; accepted keys: `n` or `list`"
        );
        assert_eq!(msg("list: []\n"), "missing key `n`");
        assert_eq!(msg("- 1\n"), "expected a map of keys, found a list");
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Nest(Vec<Nest>);
        let deep = format!("{}{}\n", "[".repeat(200), "]".repeat(200));
        let e = from_str::<Nest>(&deep, "x.yaml").unwrap_err();
        assert_eq!(
            e.message,
            "nested too deeply: at most 128 levels of lists and maps are accepted"
        );
        for text in ["n: two\n", "n: -1\n", "- 1\n"] {
            let m = msg(text);
            assert!(!m.contains("invalid type") && !m.contains("u32"), "{m}");
        }
    }

    #[test]
    fn unique_maps_refuse_a_key_given_twice() {
        let e = from_str::<UniqueMap<String, u32>>("a: 1\nb: 2\na: 3\n", "d.yaml").unwrap_err();
        assert!(
            e.message
                .contains("duplicate key `a`: a key must appear only once"),
            "{e}"
        );
        assert_eq!(e.line, Some(3));
        let ok = from_str::<UniqueMap<String, u32>>("a: 1\nb: 2\n", "d.yaml").unwrap();
        assert_eq!(ok.0.len(), 2);
    }

    #[test]
    fn finds_the_line_of_a_value_among_documents_and_repeated_keys() {
        let text = "# head: 1\na:\n  - name: x\n    n: 1\n  - name: y\n    n: 2\n---\nn: 3\n";
        let docs = documents(text, "t.yaml").unwrap();
        assert_eq!(docs.len(), 2);
        let second = &docs[0]["a"][1]["n"];
        assert_eq!(value_line(text, &docs, second), Some(6));
        assert_eq!(value_line(text, &docs, &docs[1]["n"]), Some(8));
        let e = documents("a: [\n", "t.yaml").unwrap_err();
        assert_eq!(e.path, "t.yaml");
    }

    #[test]
    fn locates_nested_keys_and_values() {
        let text = "a:\n  b:\n    next: foo\n  c:\n    next: foo\n";
        assert_eq!(locate(text, &["c", "next", "foo"]), Some((5, 11)));
        assert_eq!(locate(text, &["b"]), Some((2, 3)));
        assert_eq!(locate(text, &["zzz"]), None);
    }

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
}
