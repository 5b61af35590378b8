//! Reading the five model files and cross-checking them. Serde checks each file's shape
//! (`deny_unknown_fields` everywhere); this module then checks what serde cannot: id syntax,
//! duplicates, references between files, pack membership in both directions and pack user
//! bands. Every problem is collected before failing, each pointed at its file and line.

use super::constraint::{Constraints, Place};
use super::error::{Code, Diagnostic, Error};
use super::{Antipattern, Database, Pack, Pattern, Stack, closest};
use crate::condition::Condition;
use crate::embedded::Source;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// The file stems of the catalog, in the order problems are reported.
pub(super) const FILES: [&str; 5] = ["patterns", "packs", "stacks", "databases", "antipatterns"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternsFile {
    patterns: Vec<Pattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PacksFile {
    packs: Vec<Pack>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StacksFile {
    stacks: Vec<Stack>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatabasesFile {
    databases: Vec<Database>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AntipatternsFile {
    antipatterns: Vec<Antipattern>,
}

/// The validated contents of the five files.
pub(super) struct Parts {
    pub patterns: Vec<Pattern>,
    pub packs: Vec<Pack>,
    pub stacks: Vec<Stack>,
    pub databases: Vec<Database>,
    pub antipatterns: Vec<Antipattern>,
    pub constraints: Constraints,
}

/// Parses and validates the catalog files found among `sources`.
pub(super) fn load(sources: &[Source]) -> Result<Parts, Error> {
    let mut check = Checker::default();
    let [pat_doc, pack_doc, stack_doc, db_doc, anti_doc] = FILES.map(|stem| {
        let found = sources.iter().find(|s| file_stem(&s.path) == stem);
        if found.is_none() {
            check.diags.push(Diagnostic {
                code: Code::MissingFile,
                path: format!("models/{stem}.yaml"),
                line: None,
                column: None,
                message: format!("the catalog file `{stem}.yaml` is missing"),
                help: Some(format!(
                    "the catalog is made of {}",
                    FILES.map(|f| format!("models/{f}.yaml")).join(", ")
                )),
            });
        }
        found.map(|s| Doc {
            compiled: s.compiled,
            ..Doc::new(&s.path, &s.text, stem)
        })
    });

    let patterns = parse(&mut check, &pat_doc, |f: PatternsFile| f.patterns);
    let mut packs = parse(&mut check, &pack_doc, |f: PacksFile| f.packs);
    let stacks = parse(&mut check, &stack_doc, |f: StacksFile| f.stacks);
    let databases = parse(&mut check, &db_doc, |f: DatabasesFile| f.databases);
    let antipatterns = parse(&mut check, &anti_doc, |f: AntipatternsFile| f.antipatterns);

    let pattern_ids = patterns
        .as_ref()
        .zip(pat_doc.as_ref())
        .map(|(v, doc)| check.ids(doc, v.iter().map(|p| p.id.as_str()), "pattern"));
    let pack_ids = packs
        .as_ref()
        .zip(pack_doc.as_ref())
        .map(|(v, doc)| check.ids(doc, v.iter().map(|p| p.id.as_str()), "pack"));
    if let (Some(v), Some(doc)) = (&stacks, &stack_doc) {
        check.ids(doc, v.iter().map(|s| s.id.as_str()), "stack");
    }
    if let (Some(v), Some(doc)) = (&databases, &db_doc) {
        check.ids(doc, v.iter().map(|d| d.id.as_str()), "database");
    }
    if let (Some(v), Some(doc)) = (&antipatterns, &anti_doc) {
        check.ids(doc, v.iter().map(|a| a.id.as_str()), "anti-pattern");
    }
    let known = Known {
        patterns: pattern_ids,
        packs: pack_ids,
    };

    if let (Some(v), Some(doc)) = (&patterns, &pat_doc) {
        check.patterns(doc, v, &known);
    }
    if let (Some(v), Some(doc)) = (&mut packs, &pack_doc) {
        check.packs(doc, v, &known);
    }
    if let (Some(pats), Some(pks), Some(pdoc), Some(kdoc)) =
        (&patterns, &packs, &pat_doc, &pack_doc)
    {
        check.membership(pdoc, pats, kdoc, pks);
    }
    if let (Some(v), Some(doc)) = (&stacks, &stack_doc) {
        check.stacks(doc, v, &known);
    }
    if let (Some(v), Some(doc)) = (&antipatterns, &anti_doc) {
        check.antipatterns(doc, v, &known);
    }
    if let (Some(v), Some(doc)) = (&databases, &db_doc) {
        check.databases(doc, v, &known);
    }
    let constraint_sources: Vec<&Source> = sources
        .iter()
        .filter(|s| super::constraint::is_constraints_file(&s.path))
        .collect();
    let (constraints, diags) = self::constraints(
        &constraint_sources,
        known.patterns.clone(),
        known.packs.clone(),
    );
    check.diags.extend(diags);

    if !check.diags.is_empty() {
        let rank = |path: &str| {
            FILES
                .iter()
                .position(|f| file_stem(path) == *f)
                .unwrap_or(FILES.len())
        };
        check
            .diags
            .sort_by_key(|d| (rank(&d.path), d.line.unwrap_or(0), d.column.unwrap_or(0)));
        return Err(Error {
            diagnostics: check.diags,
        });
    }
    if let Some(packs) = &mut packs {
        packs.sort_by_key(|p| p.order);
    }
    match (patterns, packs, stacks, databases, antipatterns) {
        (Some(patterns), Some(packs), Some(stacks), Some(databases), Some(antipatterns)) => {
            Ok(Parts {
                patterns,
                packs,
                stacks,
                databases,
                antipatterns,
                constraints,
            })
        }
        _ => unreachable!("a file that failed to load left a diagnostic"),
    }
}

/// `models/patterns.yaml` → `patterns`.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

fn parse<F: for<'de> Deserialize<'de>, T>(
    check: &mut Checker,
    doc: &Option<Doc>,
    take: impl FnOnce(F) -> T,
) -> Option<T> {
    let doc = doc.as_ref()?;
    match crate::embedded::parse::<F>(doc.compiled, doc.text, doc.path) {
        Ok(f) => Some(take(f)),
        Err(e) => {
            check.diags.push(e.into());
            None
        }
    }
}

/// Ids defined by the files that loaded; `None` when the file itself failed, in which case
/// references into it are not checked (its own problem is already reported).
struct Known {
    patterns: Option<Vec<String>>,
    packs: Option<Vec<String>>,
}

impl Known {
    fn has_pattern(&self, id: &str) -> bool {
        self.patterns
            .as_ref()
            .is_none_or(|v| v.iter().any(|p| p == id))
    }

    fn has_pack(&self, id: &str) -> bool {
        self.packs
            .as_ref()
            .is_none_or(|v| v.iter().any(|p| p == id))
    }
}

/// One model file with the first line of each entry of its top-level list
/// ([`crate::yaml::list_entries`]), so a problem in entry `i` can be pointed at a line even
/// though serde threw the spans away.
struct Doc<'a> {
    path: &'a str,
    text: &'a str,
    /// The top-level key whose list entries are indexed.
    key: &'a str,
    /// The file's lines and the 0-based line index where each list entry starts, found the
    /// first time a problem needs a line (a valid catalog never does).
    index: std::cell::OnceCell<(Vec<&'a str>, Vec<usize>)>,
    /// The file's build-time JSON, read instead of the YAML when there is one.
    compiled: Option<&'static str>,
}

impl<'a> Doc<'a> {
    fn new(path: &'a str, text: &'a str, key: &'a str) -> Doc<'a> {
        Doc {
            path,
            text,
            key,
            index: std::cell::OnceCell::new(),
            compiled: None,
        }
    }

    fn lines(&self) -> &[&'a str] {
        &self.index().0
    }

    fn entries(&self) -> &[usize] {
        &self.index().1
    }

    fn index(&self) -> &(Vec<&'a str>, Vec<usize>) {
        self.index.get_or_init(|| {
            let lines: Vec<&str> = self.text.lines().collect();
            let entries = crate::yaml::list_entries(&lines, self.key);
            (lines, entries)
        })
    }

    /// The (line, column) of `keys` inside entry `entry` (see [`crate::yaml::locate`]), or of
    /// the entry itself when `keys` is empty or not found.
    fn at(&self, entry: usize, keys: &[&str]) -> (Option<usize>, Option<usize>) {
        let (lines, entries) = (self.lines(), self.entries());
        let Some(&start) = entries.get(entry) else {
            return (None, None);
        };
        let end = entries.get(entry + 1).copied().unwrap_or(lines.len());
        let slice = lines[start..end].join("\n");
        let found = if keys.is_empty() {
            None
        } else {
            crate::yaml::locate(&slice, keys)
        };
        match found {
            Some((l, c)) => (Some(start + l), Some(c)),
            None => {
                let line = lines[start];
                let col = line.len() - line.trim_start_matches([' ', '-']).len() + 1;
                (Some(start + 1), Some(col))
            }
        }
    }
}

#[derive(Default)]
struct Checker {
    diags: Vec<Diagnostic>,
}

impl Checker {
    fn push(
        &mut self,
        code: Code,
        doc: &Doc,
        entry: usize,
        keys: &[&str],
        message: String,
        help: Option<String>,
    ) {
        let (line, column) = doc.at(entry, keys);
        self.diags.push(Diagnostic {
            code,
            path: doc.path.to_string(),
            line,
            column,
            message,
            help,
        });
    }

    /// A problem inside a constraints entry, pointed at `keys` within it.
    fn push_at(
        &mut self,
        code: Code,
        at: &Place,
        keys: &[&str],
        message: String,
        help: Option<String>,
    ) {
        let (line, column) = at.locate(keys);
        self.diags.push(Diagnostic {
            code,
            path: at.path.clone(),
            line: Some(line),
            column,
            message,
            help,
        });
    }

    /// Checks the shape and the pattern and pack ids of a constraint's `when`.
    fn condition_at(&mut self, at: &Place, owner: &str, c: &Condition, known: &Known) {
        let ctx = format!("`when` of constraint `{owner}`");
        match c {
            Condition::Pattern(p) | Condition::Pack(p) => {
                let pattern = matches!(c, Condition::Pattern(_));
                let ok = if pattern {
                    known.has_pattern(p)
                } else {
                    known.has_pack(p)
                };
                if !ok {
                    let (code, what, ids) = if pattern {
                        (Code::UnknownPattern, "pattern", known.patterns.as_deref())
                    } else {
                        (Code::UnknownPack, "pack", known.packs.as_deref())
                    };
                    let ids = ids.unwrap_or_default();
                    self.push_at(
                        code,
                        at,
                        &["when", p],
                        format!("{ctx} names unknown {what} `{p}`"),
                        Some(unknown_help(p, ids, &format!("{what} ids"))),
                    );
                }
            }
            Condition::Outcome(o) => {
                if o.split_once('.')
                    .is_none_or(|(t, x)| !is_kebab(t) || !is_kebab(x))
                {
                    self.push_at(
                        Code::InvalidCondition,
                        at,
                        &["when", o],
                        format!("{ctx} tests outcome `{o}`, which is not `tree.outcome`"),
                        Some(
                            "write the tree id, a dot and the outcome id, e.g. `sharding.hash`"
                                .into(),
                        ),
                    );
                }
            }
            Condition::Answer(t) => {
                let tests = usize::from(t.is.is_some())
                    + usize::from(t.one_of.is_some())
                    + usize::from(t.at_least.is_some())
                    + usize::from(t.below.is_some());
                if tests != 1 {
                    self.push_at(
                        Code::InvalidCondition,
                        at,
                        &["when", &t.id],
                        format!("{ctx} tests answer `{}` with {tests} tests", t.id),
                        Some("give exactly one of `is`, `in`, `at_least`, `below`".into()),
                    );
                }
            }
            Condition::Not(inner) => self.condition_at(at, owner, inner, known),
            Condition::All(list) | Condition::Any(list) => {
                for inner in list {
                    self.condition_at(at, owner, inner, known);
                }
            }
        }
    }

    /// Checks id syntax and duplicates; returns the ids.
    fn ids<'i>(
        &mut self,
        doc: &Doc,
        ids: impl Iterator<Item = &'i str>,
        what: &str,
    ) -> Vec<String> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut out = Vec::new();
        for (i, id) in ids.enumerate() {
            if !is_kebab(id) {
                self.push(
                    Code::InvalidId,
                    doc,
                    i,
                    &["id"],
                    format!("{what} id `{id}` is not kebab-case"),
                    Some("ids use lower-case letters, digits and single dashes, e.g. `circuit-breaker`".into()),
                );
            }
            if let Some(first) = seen.get(id) {
                let (line, _) = doc.at(*first, &["id"]);
                self.push(
                    Code::DuplicateId,
                    doc,
                    i,
                    &["id"],
                    format!("{what} id `{id}` is defined twice"),
                    Some(format!(
                        "first defined at {}{}; rename or merge one of them",
                        doc.path,
                        line.map(|l| format!(":{l}")).unwrap_or_default()
                    )),
                );
            } else {
                seen.insert(id, i);
            }
            out.push(id.to_string());
        }
        out
    }

    fn unknown_pattern(
        &mut self,
        doc: &Doc,
        entry: usize,
        keys: &[&str],
        id: &str,
        known: &Known,
        context: &str,
    ) {
        if known.has_pattern(id) {
            return;
        }
        let ids = known.patterns.as_deref().unwrap_or_default();
        self.push(
            Code::UnknownPattern,
            doc,
            entry,
            keys,
            format!("{context} names unknown pattern `{id}`"),
            Some(unknown_help(id, ids, "pattern ids")),
        );
    }

    fn unknown_pack(
        &mut self,
        doc: &Doc,
        entry: usize,
        keys: &[&str],
        id: &str,
        known: &Known,
        context: &str,
    ) {
        if known.has_pack(id) {
            return;
        }
        let ids = known.packs.as_deref().unwrap_or_default();
        self.push(
            Code::UnknownPack,
            doc,
            entry,
            keys,
            format!("{context} names unknown pack `{id}`"),
            Some(unknown_help(id, ids, "pack ids")),
        );
    }

    fn patterns(&mut self, doc: &Doc, patterns: &[Pattern], known: &Known) {
        for (i, p) in patterns.iter().enumerate() {
            if let Some(pack) = &p.pack {
                let ctx = format!("pattern `{}`", p.id);
                self.unknown_pack(doc, i, &["pack", pack], pack, known, &ctx);
            }
            for r in &p.related {
                let ctx = format!("`related` of pattern `{}`", p.id);
                self.unknown_pattern(doc, i, &["related", r], r, known, &ctx);
            }
            for t in &p.tunables {
                if !is_snake(t) {
                    self.push(
                        Code::InvalidId,
                        doc,
                        i,
                        &["tunables", t],
                        format!("tunable `{t}` of pattern `{}` is not snake_case", p.id),
                        Some("tunables are config keys: lower-case letters, digits and underscores, e.g. `failure_threshold`".into()),
                    );
                }
            }
        }
    }

    fn packs(&mut self, doc: &Doc, packs: &mut [Pack], known: &Known) {
        for (i, pack) in packs.iter_mut().enumerate() {
            for p in &pack.patterns {
                let ctx = format!("pack `{}`", pack.id);
                self.unknown_pattern(doc, i, &["patterns", p], p, known, &ctx);
            }
            match crate::units::parse_count(&pack.users_from) {
                Ok(n) => pack.min_users = n,
                Err(e) => self.push(
                    Code::PackRange,
                    doc,
                    i,
                    &["users_from"],
                    format!("`users_from` of pack `{}`: {e}", pack.id),
                    None,
                ),
            }
            if let Some(below) = &pack.users_below {
                match crate::units::parse_count(below) {
                    Ok(n) => pack.max_users = Some(n),
                    Err(e) => self.push(
                        Code::PackRange,
                        doc,
                        i,
                        &["users_below"],
                        format!("`users_below` of pack `{}`: {e}", pack.id),
                        None,
                    ),
                }
            }
            for (key, text, slot) in [
                ("peak_rps_from", &pack.peak_rps_from, &mut pack.min_rps),
                ("peak_rps_below", &pack.peak_rps_below, &mut pack.max_rps),
            ] {
                if let Some(text) = text {
                    match crate::units::parse_rate(text) {
                        Ok(n) => *slot = Some(n),
                        Err(e) => self.push(
                            Code::PackRange,
                            doc,
                            i,
                            &[key],
                            format!("`{key}` of pack `{}`: {e}", pack.id),
                            Some("a rate such as `1k/s`".into()),
                        ),
                    }
                }
            }
            if pack.peak_rps_below.is_some() && pack.peak_rps_from.is_none() {
                self.push(
                    Code::PackRange,
                    doc,
                    i,
                    &["peak_rps_below"],
                    format!("pack `{}` ends a load band it does not start", pack.id),
                    Some("give `peak_rps_from` too, or leave the load band out".into()),
                );
            }
        }
        self.load_bands(doc, packs);
        // Orders must be 1..=n, and each band must start where the previous one ends.
        let mut by_order: Vec<usize> = (0..packs.len()).collect();
        by_order.sort_by_key(|&i| packs[i].order);
        for (rank, &i) in by_order.iter().enumerate() {
            let pack = &packs[i];
            let want = rank as u32 + 1;
            if pack.order != want {
                self.push(
                    Code::PackRange,
                    doc,
                    i,
                    &["order"],
                    format!(
                        "pack `{}` has order {}, expected {want}",
                        pack.id, pack.order
                    ),
                    Some(format!(
                        "orders run 1 to {} without gaps or repeats",
                        packs.len()
                    )),
                );
            }
            let last = rank + 1 == by_order.len();
            match (by_order.get(rank + 1).map(|&j| &packs[j]), pack.max_users) {
                (Some(next), Some(max)) if max != next.min_users => self.push(
                    Code::PackRange,
                    doc,
                    i,
                    &["users_below"],
                    format!(
                        "pack `{}` ends below {} users but the next pack `{}` starts at {}",
                        pack.id,
                        pack.users_below.as_deref().unwrap_or_default(),
                        next.id,
                        next.users_from
                    ),
                    Some("make each `users_below` equal the next pack's `users_from`".into()),
                ),
                (Some(next), None) => self.push(
                    Code::PackRange,
                    doc,
                    i,
                    &["users_from"],
                    format!(
                        "pack `{}` has no `users_below` but pack `{}` follows it",
                        pack.id, next.id
                    ),
                    Some("only the last pack may leave `users_below` out".into()),
                ),
                (None, Some(_)) if last => self.push(
                    Code::PackRange,
                    doc,
                    i,
                    &["users_below"],
                    format!("the last pack `{}` has a `users_below` bound", pack.id),
                    Some("leave it out so the last band catches every larger system".into()),
                ),
                _ => {}
            }
        }
    }

    /// Load bands, where packs have them, run on from one pack to the next like user bands:
    /// the packs with a `peak_rps_from` are the first ones in order, each ends where the next
    /// starts, and only the last leaves its upper bound open.
    fn load_bands(&mut self, doc: &Doc, packs: &[Pack]) {
        let mut by_order: Vec<usize> = (0..packs.len()).collect();
        by_order.sort_by_key(|&i| packs[i].order);
        let banded: Vec<usize> = by_order
            .iter()
            .copied()
            .filter(|&i| packs[i].min_rps.is_some())
            .collect();
        for (rank, &i) in banded.iter().enumerate() {
            let pack = &packs[i];
            match (banded.get(rank + 1).map(|&j| &packs[j]), pack.max_rps) {
                (Some(next), Some(max)) if Some(max) != next.min_rps => self.push(
                    Code::PackRange,
                    doc,
                    i,
                    &["peak_rps_below"],
                    format!(
                        "pack `{}` ends below {} at peak but the next pack `{}` starts at {}",
                        pack.id,
                        pack.peak_rps_below.as_deref().unwrap_or_default(),
                        next.id,
                        next.peak_rps_from.as_deref().unwrap_or_default()
                    ),
                    Some("make each `peak_rps_below` equal the next pack's `peak_rps_from`".into()),
                ),
                (Some(next), None) => self.push(
                    Code::PackRange,
                    doc,
                    i,
                    &["peak_rps_from"],
                    format!(
                        "pack `{}` has no `peak_rps_below` but pack `{}` follows it",
                        pack.id, next.id
                    ),
                    Some("only the last load band may leave `peak_rps_below` out".into()),
                ),
                (None, Some(_)) => self.push(
                    Code::PackRange,
                    doc,
                    i,
                    &["peak_rps_below"],
                    format!("the last load band, pack `{}`, has an upper bound", pack.id),
                    Some("leave it out so the last band catches every larger load".into()),
                ),
                _ => {}
            }
        }
        if !banded.is_empty() && banded.len() != packs.len() {
            let missing = by_order
                .iter()
                .copied()
                .find(|i| packs[*i].min_rps.is_none())
                .unwrap_or(0);
            self.push(
                Code::PackRange,
                doc,
                missing,
                &["id"],
                format!(
                    "pack `{}` has no load band while other packs have one",
                    packs[missing].id
                ),
                Some("give every pack a `peak_rps_from`, or none".into()),
            );
        }
    }

    /// A pattern's `pack` and the pack's `patterns` list must agree.
    fn membership(&mut self, pdoc: &Doc, patterns: &[Pattern], kdoc: &Doc, packs: &[Pack]) {
        for (i, p) in patterns.iter().enumerate() {
            let Some(pack_id) = &p.pack else { continue };
            if let Some(pack) = packs.iter().find(|k| &k.id == pack_id)
                && !pack.patterns.contains(&p.id)
            {
                self.push(
                    Code::PackMismatch,
                    pdoc,
                    i,
                    &["pack", pack_id],
                    format!("pattern `{}` says it belongs to pack `{pack_id}`, but that pack does not list it", p.id),
                    Some(format!("add `{}` to the `patterns` of pack `{pack_id}` in {}, or remove the `pack` field", p.id, kdoc.path)),
                );
            }
        }
        for (i, pack) in packs.iter().enumerate() {
            for id in &pack.patterns {
                let Some(p) = patterns.iter().find(|p| &p.id == id) else {
                    continue;
                };
                if p.pack.as_deref() != Some(pack.id.as_str()) {
                    self.push(
                        Code::PackMismatch,
                        kdoc,
                        i,
                        &["patterns", id],
                        format!(
                            "pack `{}` lists pattern `{id}`, whose `pack` is {}",
                            pack.id,
                            p.pack
                                .as_deref()
                                .map_or("not set".to_string(), |k| format!("`{k}`"))
                        ),
                        Some(format!(
                            "set `pack: {}` on pattern `{id}` in {}, or drop it from this list",
                            pack.id, pdoc.path
                        )),
                    );
                }
            }
        }
    }

    fn databases(&mut self, doc: &Doc, databases: &[Database], known: &Known) {
        for (i, d) in databases.iter().enumerate() {
            for p in &d.implements {
                let ctx = format!("database `{}`", d.id);
                self.unknown_pattern(doc, i, &["implements", p], p, known, &ctx);
            }
        }
    }

    fn stacks(&mut self, doc: &Doc, stacks: &[Stack], known: &Known) {
        for (i, s) in stacks.iter().enumerate() {
            let all: HashSet<&str> = s.patterns.iter().map(String::as_str).collect();
            for p in &s.patterns {
                let ctx = format!("stack `{}`", s.id);
                self.unknown_pattern(doc, i, &["patterns", p], p, known, &ctx);
            }
            for p in &s.combination {
                let ctx = format!("the combination of stack `{}`", s.id);
                self.unknown_pattern(doc, i, &["combination", p], p, known, &ctx);
                if known.has_pattern(p) && !all.contains(p.as_str()) {
                    self.stack_gap(doc, i, &["combination", p], s, p);
                }
            }
            for step in &s.journey {
                let ctx = format!("journey step `{}` of stack `{}`", step.step, s.id);
                if step.pack.is_none() && step.patterns.is_empty() {
                    self.push(
                        Code::EmptyStep,
                        doc,
                        i,
                        &["journey", &step.step],
                        format!("{ctx} names neither a pack nor patterns"),
                        Some("give the step a `pack:` id or a `patterns:` list".into()),
                    );
                }
                if let Some(pack) = &step.pack {
                    self.unknown_pack(doc, i, &["journey", &step.step, pack], pack, known, &ctx);
                }
                for p in &step.patterns {
                    self.unknown_pattern(doc, i, &["journey", &step.step, p], p, known, &ctx);
                    if known.has_pattern(p) && !all.contains(p.as_str()) {
                        self.stack_gap(doc, i, &["journey", &step.step, p], s, p);
                    }
                }
            }
        }
    }

    fn stack_gap(&mut self, doc: &Doc, entry: usize, keys: &[&str], s: &Stack, id: &str) {
        self.push(
            Code::StackMismatch,
            doc,
            entry,
            keys,
            format!(
                "stack `{}` uses `{id}` but its `patterns` list leaves it out",
                s.id
            ),
            Some("`patterns` is the full set the stack uses: add the id there".into()),
        );
    }

    fn antipatterns(&mut self, doc: &Doc, antipatterns: &[Antipattern], known: &Known) {
        for (i, a) in antipatterns.iter().enumerate() {
            for p in &a.instead {
                let ctx = format!("`instead` of anti-pattern `{}`", a.id);
                self.unknown_pattern(doc, i, &["instead", p], p, known, &ctx);
            }
            self.condition(doc, i, &a.id, &a.detect, known);
        }
    }

    fn condition(&mut self, doc: &Doc, entry: usize, owner: &str, c: &Condition, known: &Known) {
        let ctx = format!("`detect` of anti-pattern `{owner}`");
        match c {
            Condition::Pattern(p) => {
                self.unknown_pattern(doc, entry, &["detect", p], p, known, &ctx)
            }
            Condition::Pack(p) => self.unknown_pack(doc, entry, &["detect", p], p, known, &ctx),
            Condition::Outcome(o) => {
                if o.split_once('.')
                    .is_none_or(|(t, x)| !is_kebab(t) || !is_kebab(x))
                {
                    self.push(
                        Code::InvalidCondition,
                        doc,
                        entry,
                        &["detect", o],
                        format!("{ctx} tests outcome `{o}`, which is not `tree.outcome`"),
                        Some("write the tree id, a dot and the outcome id, e.g. `sharding.must-shard`".into()),
                    );
                }
            }
            Condition::Answer(t) => {
                let tests = usize::from(t.is.is_some())
                    + usize::from(t.one_of.is_some())
                    + usize::from(t.at_least.is_some())
                    + usize::from(t.below.is_some());
                if tests != 1 {
                    self.push(
                        Code::InvalidCondition,
                        doc,
                        entry,
                        &["detect", &t.id],
                        format!("{ctx} tests answer `{}` with {tests} tests", t.id),
                        Some("give exactly one of `is`, `in`, `at_least`, `below`".into()),
                    );
                }
            }
            Condition::Not(inner) => self.condition(doc, entry, owner, inner, known),
            Condition::All(list) | Condition::Any(list) => {
                for inner in list {
                    self.condition(doc, entry, owner, inner, known);
                }
            }
        }
    }
}

/// Parses and checks constraints files (see [`super::constraint`]) against the pattern and
/// pack ids known (`None`: that file failed and references into it are not checked). Ids must
/// be kebab-case and unique across every file; every pattern and pack reference must resolve;
/// every answer test must give exactly one test. Question and outcome ids are the advisor's to
/// check (they live in the rules).
pub(super) fn constraints(
    sources: &[&Source],
    patterns: Option<Vec<String>>,
    packs: Option<Vec<String>>,
) -> (Constraints, Vec<Diagnostic>) {
    let known = Known { patterns, packs };
    let mut check = Checker::default();
    let mut all = Constraints::default();
    for s in sources {
        let mut parsed: Constraints = match s.parse() {
            Ok(c) => c,
            Err(e) => {
                let mut d: Diagnostic = e.into();
                d.help = Some("see docs/rules.md, \"Constraints\", for the format".into());
                check.diags.push(d);
                continue;
            }
        };
        let lines: Vec<&str> = s.text.lines().collect();
        // The first line of every entry of a section, found once per section.
        let places = |section: &str, count: usize| -> Vec<Place> {
            if count == 0 {
                return Vec::new();
            }
            let entries = crate::yaml::list_entries(&lines, section);
            (0..count)
                .map(|i| {
                    let start = entries.get(i).copied().unwrap_or(0);
                    let end = entries.get(i + 1).copied().unwrap_or_else(|| {
                        // The entry ends at the next top-level key.
                        lines
                            .iter()
                            .enumerate()
                            .skip(start + 1)
                            .find(|(_, l)| !l.is_empty() && !l.starts_with([' ', '-', '#']))
                            .map_or(lines.len(), |(n, _)| n)
                    });
                    Place {
                        path: s.path.clone(),
                        line: start + 1,
                        text: lines[start.min(lines.len())..end.min(lines.len())].join("\n"),
                    }
                })
                .collect()
        };
        macro_rules! place {
            ($($section:ident),*) => {$(
                let found = places(stringify!($section), parsed.$section.len());
                for (e, p) in parsed.$section.iter_mut().zip(found) {
                    e.place = p;
                }
            )*};
        }
        place!(exclusive, requires, ruled_out, adds, contradictions, limits);
        all.extend(parsed);
    }
    let mut seen: HashMap<&str, &Place> = HashMap::new();
    for (section, id, at) in all.entries() {
        if !is_kebab(id) {
            check.push_at(
                Code::InvalidId,
                at,
                &["id"],
                format!("{section} constraint id `{id}` is not kebab-case"),
                Some("ids use lower-case letters, digits and single dashes, e.g. `saga-without-cross-service-writes`".into()),
            );
        }
        if let Some(first) = seen.get(id) {
            check.push_at(
                Code::DuplicateId,
                at,
                &["id"],
                format!("constraint id `{id}` is defined twice"),
                Some(format!(
                    "first defined at {}:{}; ids are unique across every constraints file",
                    first.path, first.line
                )),
            );
        } else {
            seen.insert(id, at);
        }
    }
    for (owner, at, key, id) in all.pattern_refs() {
        if known.has_pattern(id) {
            continue;
        }
        let ids = known.patterns.as_deref().unwrap_or_default();
        check.push_at(
            Code::UnknownPattern,
            at,
            &[key, id],
            format!("`{key}` of constraint `{owner}` names unknown pattern `{id}`"),
            Some(unknown_help(id, ids, "pattern ids")),
        );
    }
    for (owner, cond, at) in all.conditions() {
        check.condition_at(at, owner, cond, &known);
    }
    (all, check.diags)
}

fn unknown_help(id: &str, known: &[String], what: &str) -> String {
    match closest(id, known.iter().map(String::as_str)) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("known {what}: {}", known.join(", ")),
    }
}

/// `circuit-breaker`: lower-case ASCII letters and digits in dash-separated runs.
pub(super) fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|seg| {
            !seg.is_empty()
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `failure_threshold`: starts with a letter; lower-case letters, digits, underscores.
fn is_snake(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_list_entries_at_any_indentation() {
        let text = "# head\nitems:\n- id: a\n  sub:\n    - x\n- id: b\nother: 1\n";
        let doc = Doc::new("f.yaml", text, "items");
        assert_eq!(doc.entries(), [2, 5]);
        assert_eq!(doc.at(1, &["id"]), (Some(6), Some(3)));
        assert_eq!(doc.at(0, &["sub", "x"]), (Some(5), Some(7)));
        // A key that is not in the entry points at the entry itself.
        assert_eq!(doc.at(0, &["missing"]), (Some(3), Some(3)));
        assert_eq!(doc.at(7, &["id"]), (None, None));
    }

    #[test]
    fn checks_id_and_tunable_case() {
        assert!(is_kebab("circuit-breaker") && is_kebab("cdc") && is_kebab("l7-proxy"));
        assert!(!is_kebab("Circuit") && !is_kebab("a--b") && !is_kebab("-a") && !is_kebab(""));
        assert!(is_snake("failure_threshold") && is_snake("n"));
        assert!(!is_snake("_x") && !is_snake("maxThings") && !is_snake("max-things"));
    }

    #[test]
    fn names_files_by_stem() {
        assert_eq!(file_stem("models/patterns.yaml"), "patterns");
        assert_eq!(file_stem("C:\\x\\packs.yml"), "packs");
        assert_eq!(file_stem("stacks"), "stacks");
    }

    /// Every embedded model file has build-time JSON, and it reads into the file's own shape
    /// (no file silently falls back to the slow YAML path).
    #[test]
    fn every_model_file_reads_from_its_build_time_json() {
        fn fits<T: serde::de::DeserializeOwned>(f: &crate::embedded::File) {
            let json = f
                .compiled
                .unwrap_or_else(|| panic!("{} has no JSON", f.name));
            if let Err(e) = serde_json::from_str::<T>(json) {
                panic!("{}: the JSON does not fit: {e}", f.name);
            }
        }
        for f in crate::embedded::MODELS {
            match f.name.rsplit_once('.').map_or(f.name, |(stem, _)| stem) {
                "patterns" => fits::<PatternsFile>(f),
                "packs" => fits::<PacksFile>(f),
                "stacks" => fits::<StacksFile>(f),
                "databases" => fits::<DatabasesFile>(f),
                "antipatterns" => fits::<AntipatternsFile>(f),
                _ => fits::<Constraints>(f),
            }
        }
    }
}
