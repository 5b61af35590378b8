//! Reading existing decision records of any flavour, and editing their status in place.
//!
//! The three flavours keep their metadata in different places, and real folders mix them:
//! * MADR 4: YAML front matter (`status:`, `date:`) before the `# Title`.
//! * Nygard / adr-tools: `# N. Title`, a `Date: ...` line, and a `## Status` section whose first
//!   line is the status; link lines (`Supersedes [..](..)`, `Superseded by [..](..)`) follow.
//!   adr-tools spelled them "Supercedes"/"Superceded by" for years: both spellings are read.
//! * MADR 2 / log4brains: bullets under the title (`- Status: proposed`, `- Date: ...`).
//!
//! Parsing is line-based and forgiving: a record we cannot fully read is still listed with
//! what we found, never dropped.

use super::Flavour;
use serde::Serialize;

/// The longest numeric prefix treated as a record number. log4brains' own file names start
/// with an 8-digit date (`20240131-title.md`); those are not record numbers and must not push
/// the next number into the millions.
const MAX_DIGITS: usize = 7;

/// A record file as found in a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// None for a record file whose prefix is a date (log4brains' own `20240131-x.md`).
    pub number: Option<u32>,
    /// The file name inside the folder.
    pub file: String,
    pub title: String,
    /// The status word, lower case (`proposed`, `accepted`, `superseded`, ...), or empty when
    /// the record states none.
    pub status: String,
    /// The status as written, links included.
    pub status_text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The flavour its metadata is written in, when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flavour: Option<Flavour>,
    /// The record that replaces this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<u32>,
    /// Records this one replaces.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<u32>,
    /// The design decision (tree id) tradeoff wrote it for, from the record's key comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// The outcome id recorded with that key.
    #[serde(skip)]
    pub outcome: Option<String>,
}

/// The comment that ties a generated record to its decision, kept on its own line at the end
/// of the body: `<!-- tradeoff-decision: consistency; outcome: cdc -->`.
pub const KEY: &str = "tradeoff-decision:";

/// The key comment for a decision.
pub fn key_comment(tree: &str, outcome: &str) -> String {
    format!("<!-- {KEY} {tree}; outcome: {outcome} -->")
}

/// The record number of a file name (`0007-use-sagas.md` → 7), if it is a record file: a
/// numeric prefix of at most seven digits, a dash, and `.md`.
pub fn number_of(file: &str) -> Option<u32> {
    let digits = file.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > MAX_DIGITS || !file.ends_with(".md") {
        return None;
    }
    if file.as_bytes().get(digits) != Some(&b'-') {
        return None;
    }
    file[..digits].parse().ok()
}

/// Whether a file name is a decision record: a numeric prefix (a number, or a date as
/// log4brains names its own records), a dash, `.md`.
pub fn is_record_file(file: &str) -> bool {
    let digits = file.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && file.as_bytes().get(digits) == Some(&b'-') && file.ends_with(".md")
}

/// `NNNN-kebab-title.md`.
pub fn file_name(number: u32, title: &str) -> String {
    let slug = crate::render::env::kebab(title);
    if slug.is_empty() {
        format!("{number:04}-record.md")
    } else {
        format!("{number:04}-{slug}.md")
    }
}

/// The next free number after every record of the folder.
pub fn next_number<'a>(files: impl IntoIterator<Item = &'a str>) -> u32 {
    files.into_iter().filter_map(number_of).max().unwrap_or(0) + 1
}

/// The front matter lines and where the body starts (line index), if the text opens with
/// `---`.
fn front_matter(lines: &[&str]) -> Option<(usize, usize)> {
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    let end = lines.iter().skip(1).position(|l| l.trim_end() == "---")? + 1;
    Some((1, end))
}

/// `key: value` of a front matter line, unquoted.
fn yaml_field(line: &str, key: &str) -> Option<String> {
    let rest = line.strip_prefix(key)?.strip_prefix(':')?;
    Some(unquote(rest.trim()))
}

fn unquote(v: &str) -> String {
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let inner = &v[1..v.len() - 1];
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else {
                out.push(c);
            }
        }
        out
    } else if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        v[1..v.len() - 1].replace("''", "'")
    } else {
        v.to_string()
    }
}

/// A YAML double-quoted scalar.
pub fn yaml_quote(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `- Key: value` or `* Key: value` (key case-insensitive), as MADR 2 and log4brains write
/// header metadata.
fn bullet_field(line: &str, key: &str) -> Option<String> {
    let rest = line
        .trim_start()
        .strip_prefix("- ")
        .or_else(|| line.trim_start().strip_prefix("* "))?
        .trim_start();
    let (k, v) = rest.split_once(':')?;
    k.trim()
        .eq_ignore_ascii_case(key)
        .then(|| v.trim().to_string())
}

fn is_heading(line: &str) -> bool {
    line.starts_with('#')
}

/// The link relations a status or links line can carry, both spellings.
const SUPERSEDED_BY: [&str; 2] = ["superseded by", "superceded by"];
const SUPERSEDES: [&str; 2] = ["supersedes", "supercedes"];

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The record a link points to: the number of the linked file (`(0007-x.md)`), or without a
/// link the first number in the text (`superseded by ADR-0007`).
fn linked_number(text: &str) -> Option<u32> {
    if let Some(start) = text.find("](") {
        let target = &text[start + 2..];
        let target = &target[..target.find(')').unwrap_or(target.len())];
        let base = target.rsplit('/').next().unwrap_or(target);
        // A link to a date-named record has no number; its date is not one.
        return number_of(base);
    }
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The lower-case status word of a status text (`Superceded by [..]` → `superseded`).
fn status_word(text: &str) -> String {
    let t = text.trim();
    if SUPERSEDED_BY.iter().any(|p| starts_with_ci(t, p)) {
        return "superseded".into();
    }
    t.split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .next()
        .unwrap_or("")
        .to_lowercase()
}

/// Reads a record file. `file` is its name inside the folder; callers pass only files for
/// which [`is_record_file`] holds.
pub fn parse(file: &str, text: &str) -> Record {
    let lines: Vec<&str> = text.lines().collect();
    let mut r = Record {
        number: number_of(file),
        file: file.to_string(),
        title: String::new(),
        status: String::new(),
        status_text: String::new(),
        date: None,
        flavour: None,
        superseded_by: None,
        supersedes: Vec::new(),
        decision: None,
        outcome: None,
    };
    let mut body_start = 0;
    if let Some((start, end)) = front_matter(&lines) {
        for l in &lines[start..end] {
            if let Some(v) = yaml_field(l, "status") {
                r.status_text = v;
                r.flavour = Some(Flavour::Madr);
            } else if let Some(v) = yaml_field(l, "date") {
                r.date = Some(v).filter(|d| !d.is_empty());
            }
        }
        body_start = end + 1;
    }
    let body = &lines[body_start.min(lines.len())..];
    let title_at = body.iter().position(|l| l.starts_with("# "));
    if let Some(i) = title_at {
        let t = body[i][2..].trim();
        // adr-tools titles carry the number: `# 7. Use sagas`.
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        r.title = match t[digits..].strip_prefix(". ") {
            Some(rest) if digits > 0 => rest.trim().to_string(),
            _ => t.to_string(),
        };
    }
    // MADR 2 / log4brains: bullets between the title and the first `##`.
    if r.flavour.is_none()
        && let Some(i) = title_at
    {
        for l in body[i + 1..].iter().take_while(|l| !l.starts_with("##")) {
            if let Some(v) = bullet_field(l, "status") {
                r.status_text = v;
                r.flavour = Some(Flavour::Log4brains);
            } else if let Some(v) = bullet_field(l, "date") {
                r.date = Some(v).filter(|d| !d.is_empty());
            }
        }
    }
    // Nygard / adr-tools: `Date:` line and the `## Status` section.
    if r.flavour.is_none()
        && let Some(s) = body.iter().position(|l| l.trim_end() == "## Status")
    {
        r.flavour = Some(Flavour::Nygard);
        let section: Vec<&str> = body[s + 1..]
            .iter()
            .take_while(|l| !is_heading(l))
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect();
        let superseded = section
            .iter()
            .find(|l| SUPERSEDED_BY.iter().any(|p| starts_with_ci(l, p)));
        let plain = section
            .iter()
            .find(|l| !SUPERSEDES.iter().any(|p| starts_with_ci(l, p)));
        r.status_text = superseded.or(plain).unwrap_or(&"").to_string();
        for l in &body[..s] {
            if let Some(d) = l.strip_prefix("Date:") {
                r.date = Some(d.trim().to_string()).filter(|d| !d.is_empty());
            }
        }
    }
    r.status = status_word(&r.status_text);
    if r.status == "superseded" {
        r.superseded_by = linked_number(&r.status_text);
    }
    for l in body {
        let t = l.trim_start().trim_start_matches(['-', '*']).trim_start();
        if SUPERSEDES.iter().any(|p| starts_with_ci(t, p))
            && let Some(n) = linked_number(t)
            && !r.supersedes.contains(&n)
        {
            r.supersedes.push(n);
        }
        if let Some(k) = l
            .trim()
            .strip_prefix("<!--")
            .and_then(|c| c.trim_start().strip_prefix(KEY))
        {
            let k = k.trim_end().trim_end_matches("-->").trim();
            let (tree, outcome) = match k.split_once(';') {
                Some((t, o)) => (
                    t.trim(),
                    o.trim().strip_prefix("outcome:").map(|o| o.trim()),
                ),
                None => (k, None),
            };
            if !tree.is_empty() && r.decision.is_none() {
                r.decision = Some(tree.to_string());
                r.outcome = outcome.map(str::to_string);
            }
        }
    }
    r
}

/// Why a record's status could not be changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error(
        "{file} has no status to change: expected YAML front matter with `status:` (madr), a `- Status:` bullet under the title (log4brains) or a `## Status` section (nygard)"
    )]
    NoStatus { file: String },
}

/// Replaces a record's status with `superseded by LINK`, in the syntax of the record's own
/// flavour, keeping every other line as it was.
pub fn supersede(file: &str, text: &str, link: &str) -> Result<String, EditError> {
    let record = parse(file, text);
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let no_status = || EditError::NoStatus {
        file: file.to_string(),
    };
    match record.flavour {
        Some(Flavour::Madr) => {
            let (start, end) =
                front_matter(&text.lines().collect::<Vec<_>>()).ok_or_else(no_status)?;
            let at = (start..end)
                .find(|&i| yaml_field(&lines[i], "status").is_some())
                .ok_or_else(no_status)?;
            lines[at] = format!("status: {}", yaml_quote(&format!("superseded by {link}")));
        }
        Some(Flavour::Log4brains) => {
            let title = lines
                .iter()
                .position(|l| l.starts_with("# "))
                .ok_or_else(no_status)?;
            let at = (title + 1..lines.len())
                .take_while(|&i| !lines[i].starts_with("##"))
                .find(|&i| bullet_field(&lines[i], "status").is_some())
                .ok_or_else(no_status)?;
            let line = &lines[at];
            let colon = line.find(':').ok_or_else(no_status)?;
            lines[at] = format!("{}: superseded by {link}", &line[..colon]);
        }
        Some(Flavour::Nygard) => {
            let s = lines
                .iter()
                .position(|l| l.trim_end() == "## Status")
                .ok_or_else(no_status)?;
            let end = (s + 1..lines.len())
                .find(|&i| is_heading(&lines[i]))
                .unwrap_or(lines.len());
            let new = format!("Superseded by {link}");
            // The status word (not a link line) is replaced; an earlier "superseded by" too.
            let at = (s + 1..end).find(|&i| {
                let t = lines[i].trim();
                !t.is_empty() && !SUPERSEDES.iter().any(|p| starts_with_ci(t, p))
            });
            match at {
                Some(i) => lines[i] = new,
                None => {
                    // An empty status section: put the line after the heading.
                    lines.insert(s + 1, String::new());
                    lines.insert(s + 2, new);
                }
            }
        }
        None => return Err(no_status()),
    }
    let mut out = lines.join(eol);
    if text.ends_with('\n') {
        out.push_str(eol);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_from_short_numeric_prefixes_only() {
        assert_eq!(number_of("0007-use-sagas.md"), Some(7));
        assert_eq!(number_of("12-x.md"), Some(12));
        assert_eq!(number_of("20240131-date-slug.md"), None);
        assert_eq!(number_of("0007-use-sagas.txt"), None);
        assert_eq!(number_of("template.md"), None);
        assert_eq!(number_of("0007.md"), None);
        assert!(is_record_file("20240131-date-slug.md"));
        assert!(is_record_file("7-x.md"));
        assert!(!is_record_file("template.md") && !is_record_file("0007.md"));
        assert_eq!(
            next_number(["0001-a.md", "0009-b.md", "readme.md", "20240101-c.md"]),
            10
        );
        assert_eq!(next_number([]), 1);
        assert_eq!(file_name(3, "Use Kafka!"), "0003-use-kafka.md");
    }

    #[test]
    fn reads_madr_front_matter() {
        let r = parse(
            "0002-x.md",
            "---\nstatus: \"superseded by [5. New: one](0005-new-one.md)\"\ndate: 2026-01-02\ndecision-makers: [a]\n---\n\n# Use X\n\n## More Information\n\nSupersedes [1. Old](0001-old.md).\n",
        );
        assert_eq!(r.number, Some(2));
        assert_eq!(r.title, "Use X");
        assert_eq!(r.status, "superseded");
        assert_eq!(r.superseded_by, Some(5));
        assert_eq!(r.supersedes, vec![1]);
        assert_eq!(r.date.as_deref(), Some("2026-01-02"));
        assert_eq!(r.flavour, Some(Flavour::Madr));
    }

    #[test]
    fn reads_adr_tools_records_in_both_spellings() {
        let old = "# 1. Record architecture decisions\n\nDate: 2026-01-02\n\n## Status\n\nSuperceded by [3. Use Y](0003-use-y.md)\n\n## Context\n\nx\n";
        let r = parse("0001-record-architecture-decisions.md", old);
        assert_eq!(r.title, "Record architecture decisions");
        assert_eq!(r.status, "superseded");
        assert_eq!(r.superseded_by, Some(3));
        assert_eq!(r.flavour, Some(Flavour::Nygard));
        assert_eq!(r.date.as_deref(), Some("2026-01-02"));
        let new = "# 3. Use Y\n\nDate: 2026-01-02\n\n## Status\n\nAccepted\n\nSupercedes [1. Record](0001-record.md)\n\nSupersedes [2. Z](0002-z.md)\n\n## Context\n";
        let r = parse("0003-use-y.md", new);
        assert_eq!(r.status, "accepted");
        assert_eq!(r.supersedes, vec![1, 2]);
        // adr-tools leaves "Proposed" in place and appends the link: the link wins.
        let r = parse(
            "0004-z.md",
            "# 4. Z\n\n## Status\n\nProposed\n\nSuperseded by [5. W](0005-w.md)\n",
        );
        assert_eq!(
            (r.status.as_str(), r.superseded_by),
            ("superseded", Some(5))
        );
    }

    #[test]
    fn reads_log4brains_bullets() {
        let r = parse(
            "0004-z.md",
            "# Use Z\n\n- Status: superseded by [0006-w](0006-w.md)\n- Date: 2026-03-04\n- Deciders: A, B\n\n## Context and Problem Statement\n\n## Links\n\n- Supersedes [0002-q](0002-q.md)\n",
        );
        assert_eq!(r.flavour, Some(Flavour::Log4brains));
        assert_eq!(r.status, "superseded");
        assert_eq!(r.superseded_by, Some(6));
        assert_eq!(r.supersedes, vec![2]);
        assert_eq!(r.date.as_deref(), Some("2026-03-04"));
    }

    #[test]
    fn finds_the_decision_key() {
        let r = parse(
            "0001-a.md",
            &format!(
                "# A\n\n- Status: proposed\n\n{}\n",
                key_comment("consistency", "cdc")
            ),
        );
        assert_eq!(r.decision.as_deref(), Some("consistency"));
        assert_eq!(r.outcome.as_deref(), Some("cdc"));
    }

    #[test]
    fn supersede_edits_only_the_status_in_each_flavour() {
        let link = "[7. New](0007-new.md)";
        let madr = "---\nstatus: accepted\ndate: 2026-01-01\n---\n\n# Old\n\nstatus: body text\n";
        let out = supersede("0001-old.md", madr, link).unwrap();
        assert_eq!(
            out,
            "---\nstatus: \"superseded by [7. New](0007-new.md)\"\ndate: 2026-01-01\n---\n\n# Old\n\nstatus: body text\n"
        );
        assert_eq!(parse("0001-old.md", &out).superseded_by, Some(7));

        let l4b = "# Old\n\n- Status: proposed\n- Date: 2026-01-01\n\n## Context\n";
        let out = supersede("0001-old.md", l4b, "[0007-new](0007-new.md)").unwrap();
        assert_eq!(
            out,
            "# Old\n\n- Status: superseded by [0007-new](0007-new.md)\n- Date: 2026-01-01\n\n## Context\n"
        );

        let ny =
            "# 1. Old\n\n## Status\n\nAccepted\n\nSupersedes [0. X](0000-x.md)\n\n## Context\n";
        let out = supersede("0001-old.md", ny, link).unwrap();
        assert_eq!(
            out,
            "# 1. Old\n\n## Status\n\nSuperseded by [7. New](0007-new.md)\n\nSupersedes [0. X](0000-x.md)\n\n## Context\n"
        );
        assert_eq!(
            supersede("0001-old.md", "# Old\n\nno metadata\n", link),
            Err(EditError::NoStatus {
                file: "0001-old.md".into()
            })
        );
    }
}
