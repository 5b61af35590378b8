//! The topology file as written (serde structs, `deny_unknown_fields`) and its validation into
//! a [`Topology`]. Validation walks the file in document order and collects every problem,
//! each pointing at its line.

use super::{Component, Group, Kind, MAX_COMPONENTS, MAX_DEPTH, Node, Topology};
use crate::capacity::slo::Scalar;
use crate::diagnostic::{Code, Diagnostic, FileDiagnostics};
use crate::units;
use crate::yaml::{Locator, nth_key, section};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopology {
    #[serde(default, deserialize_with = "crate::yaml::unique_map")]
    components: BTreeMap<String, RawNode>,
    system: RawNode,
}

/// A node of the system, or an entry under `components:` (a leaf or a group, without
/// `ref`, `name` or `count`): a group (one of `series`, `parallel`, `k_of_n`), a `ref` to a named
/// component, or a leaf (`availability` or `mttf` + `mttr`, optional `name` and `count`).
/// One struct with optional keys, rather than an untagged enum, so a typo gets serde's
/// "unknown field, expected one of" message with its line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    series: Option<Vec<RawNode>>,
    parallel: Option<Vec<RawNode>>,
    k_of_n: Option<RawKofN>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    name: Option<String>,
    availability: Option<Scalar>,
    mttf: Option<Scalar>,
    mttr: Option<Scalar>,
    count: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKofN {
    k: u64,
    of: Vec<RawNode>,
}

/// A topology file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Not YAML of the expected shape (unknown key, wrong type, syntax).
    #[error(transparent)]
    Yaml(#[from] crate::yaml::Error),
    /// Read, but invalid: every problem found, with lines.
    #[error(transparent)]
    Invalid(#[from] FileDiagnostics),
}

const DURATION_ACCEPTED: &str = "a duration with a unit, such as 2000h, 90d, 30m";
const NODE_ACCEPTED: &str = "one of: series: [...], parallel: [...], k_of_n: { k, of: [...] }, ref: NAME, or a leaf with availability (or mttf and mttr), optional name and count";

/// Most problems listed for one file; the rest are counted in a last line.
pub const MAX_PROBLEMS: usize = 100;
/// Most key lookups (each scans the file) spent on locating problems.
const MAX_LOOKUPS: usize = 1_000;
/// Most components a file may name under `components:`.
pub const MAX_NAMED: usize = 10_000;

/// Reads and validates a topology file (`path` is only used in messages).
pub fn parse(text: &str, path: &str) -> Result<Topology, Error> {
    let raw: RawTopology = crate::yaml::from_str(text, path).map_err(too_deep)?;
    let lines = text.lines().count();
    let loc = Locator::new(text, MAX_LOOKUPS);
    if raw.components.len() > MAX_NAMED {
        return Err(FileDiagnostics::new(
            path.to_string(),
            vec![
                Diagnostic::new(
                    Code::TooManyComponents,
                    format!("`components:` names {} components", raw.components.len()),
                )
                .at(nth_key(text, (0, lines), "components", 0))
                .help(format!("at most {MAX_NAMED} named components are accepted")),
            ],
        )
        .into());
    }
    let mut b = Builder {
        loc: &loc,
        system: section(text, "system").unwrap_or((0, lines)),
        comps: section(text, "components").unwrap_or((0, 0)),
        seen: HashMap::new(),
        problems: Vec::new(),
        unlisted: 0,
        components: Vec::new(),
        groups: Vec::new(),
        named: BTreeMap::new(),
        building: Vec::new(),
        names: HashMap::new(),
        total: 0,
        overflow: false,
        too_deep: false,
    };
    for (name, c) in &raw.components {
        let (loc, comps) = (b.loc, b.comps);
        let at = |key: &str| component_key(loc, comps, name, key);
        let stray = [
            ("ref", c.reference.is_some()),
            ("name", c.name.is_some()),
            ("count", c.count.is_some()),
        ]
        .into_iter()
        .find(|(_, here)| *here);
        if let Some((key, _)) = stray {
            b.push(
                Diagnostic::new(
                    Code::BadComponent,
                    format!("component `{name}` cannot have `{key}`"),
                )
                .at(at(key))
                .help("an entry under `components:` is a leaf (availability, or mttf and mttr) or a group (series, parallel, k_of_n); its key is its name, and every `ref` to it is the same component"),
            );
        }
        let subsystem = c.series.is_some() || c.parallel.is_some() || c.k_of_n.is_some();
        let value = if subsystem || stray.is_some() {
            None
        } else {
            b.leaf_value(
                &format!("component `{name}`"),
                c.availability.as_ref(),
                c.mttf.as_ref(),
                c.mttr.as_ref(),
                &at,
            )
        };
        b.names.insert(name.clone(), Place::Component);
        let raw_node = (subsystem && stray.is_none()).then_some(c);
        b.named.insert(
            name.clone(),
            Named {
                value,
                node: None,
                raw: raw_node,
                failed: false,
            },
        );
    }
    let root = match b.node(&raw.system, "system".to_string(), 1) {
        Some(mut nodes) if nodes.len() == 1 => nodes.pop(),
        Some(_) => {
            let at = nth_key(text, (0, lines), "count", 0);
            b.push(
                Diagnostic::new(Code::CountAtRoot, "`count` on the system itself has no group to put the copies in")
                    .at(at)
                    .help("put the leaf inside a group, e.g. system: { parallel: [ { availability: 0.99, count: 3 } ] }"),
            );
            None
        }
        None => None,
    };
    let unused: Vec<String> = b
        .named
        .iter()
        .filter(|(_, n)| n.node.is_none() && !n.failed)
        .map(|(k, _)| k.clone())
        .collect();
    // Subsystems no ref uses are still checked, then dropped.
    let (kept_components, kept_groups) = (b.components.len(), b.groups.len());
    for name in &unused {
        if b.named.get(name).is_some_and(|n| n.raw.is_some()) {
            b.subsystem(name, 1);
        }
    }
    b.components.truncate(kept_components);
    b.groups.truncate(kept_groups);
    if b.unlisted > 0 {
        b.problems.push(
            Diagnostic::new(
                Code::MoreProblems,
                format!("{} more problems are not listed", b.unlisted),
            )
            .help(format!(
                "at most {MAX_PROBLEMS} problems are listed; fix these and run again"
            )),
        );
    }
    match root {
        Some(root) if b.problems.is_empty() => Ok(Topology {
            components: b.components,
            groups: b.groups,
            root,
            unused,
        }),
        _ => Err(FileDiagnostics::new(path.to_string(), b.problems).into()),
    }
}

/// The YAML reader refuses documents nested more than 128 levels (a series inside a series
/// costs two: a mapping and a list), before [`MAX_DEPTH`] is reached; say so in our terms.
fn too_deep(mut e: crate::yaml::Error) -> Error {
    if e.message == "missing key `system`" {
        e.message += "; accepted: a `system:` key holding a series, parallel or k_of_n group (format: docs/topology.md)";
        return e.into();
    }
    if !e.message.contains("nested too deeply") {
        return e.into();
    }
    FileDiagnostics::new(e.path, vec![Diagnostic::new(
            Code::TooDeep,
            "groups are nested too deeply for the YAML reader (128 levels of YAML: about 63 levels of series or parallel groups, 42 of k_of_n)",
        )
        .at(e.line.zip(e.column))
        .help("flatten groups of the same kind nested in each other: a series inside a series is one series")])
    .into()
}

/// A validated leaf: availability, unavailability, mttf, mttr.
type Value = (f64, f64, Option<f64>, Option<f64>);

struct Named<'r> {
    /// A leaf's validated value.
    value: Option<Value>,
    /// The node built for it, once a ref has used it.
    node: Option<Node>,
    /// A subsystem's definition (a group), built at its first ref.
    raw: Option<&'r RawNode>,
    /// A subsystem whose build failed (reported once; later refs stay quiet).
    failed: bool,
}

/// Where a name was first given, resolved to a line only when a duplicate needs it.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// A key under `components:`.
    Component,
    /// The n-th `name:` key inside `system:`.
    Name(Option<usize>),
}

struct Builder<'a> {
    loc: &'a Locator<'a>,
    system: (usize, usize),
    comps: (usize, usize),
    /// How many times each key has been met so far inside `system:`.
    seen: HashMap<&'static str, usize>,
    problems: Vec<Diagnostic>,
    /// Problems past [`MAX_PROBLEMS`], counted only.
    unlisted: usize,
    components: Vec<Component>,
    groups: Vec<Group>,
    named: BTreeMap<String, Named<'a>>,
    /// Subsystems being built, to catch refs that loop back into themselves.
    building: Vec<String>,
    /// User-given names and where they were first given.
    names: HashMap<String, Place>,
    total: usize,
    overflow: bool,
    too_deep: bool,
}

/// Which occurrence (in document order) of each key one node has: resolved to a line only
/// when a problem is reported, so valid files never scan the text.
type Spots = HashMap<&'static str, usize>;

/// Location of `key` inside the named component `name` (or of the name itself).
fn component_key(
    loc: &Locator,
    comps: (usize, usize),
    name: &str,
    key: &str,
) -> Option<(usize, usize)> {
    let at = loc.nth_key(comps, name, 0)?;
    if key.is_empty() {
        return Some(at);
    }
    loc.nth_key((at.0 - 1, comps.1), key, 0).or(Some(at))
}

/// A function locating the keys of a node of `system:` (`""`: its first key).
fn locate<'s>(
    loc: &'s Locator<'s>,
    system: (usize, usize),
    spots: &'s Spots,
) -> impl Fn(&str) -> Option<(usize, usize)> + 's {
    move |key: &str| {
        if key.is_empty() {
            spots
                .iter()
                .filter_map(|(k, &n)| loc.nth_key(system, k, n))
                .min()
        } else {
            spots.get(key).and_then(|&n| loc.nth_key(system, key, n))
        }
    }
}

impl Builder<'_> {
    /// Counts the keys this node has and remembers where each one is.
    fn spots(&mut self, raw: &RawNode) -> Spots {
        let present: [(&'static str, bool); 9] = [
            ("series", raw.series.is_some()),
            ("parallel", raw.parallel.is_some()),
            ("k_of_n", raw.k_of_n.is_some()),
            ("ref", raw.reference.is_some()),
            ("name", raw.name.is_some()),
            ("availability", raw.availability.is_some()),
            ("mttf", raw.mttf.is_some()),
            ("mttr", raw.mttr.is_some()),
            ("count", raw.count.is_some()),
        ];
        let mut spots = Spots::new();
        for (key, here) in present {
            if here {
                let n = self.seen.entry(key).or_insert(0);
                spots.insert(key, *n);
                *n += 1;
            }
        }
        if raw.k_of_n.is_some() {
            for key in ["k", "of"] {
                let n = self.seen.entry(key).or_insert(0);
                spots.insert(key, *n);
                *n += 1;
            }
        }
        spots
    }

    fn push(&mut self, d: Diagnostic) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(d);
        } else {
            self.unlisted += 1;
        }
    }

    /// Validates a leaf's availability or mttf + mttr.
    fn leaf_value(
        &mut self,
        what: &str,
        availability: Option<&Scalar>,
        mttf: Option<&Scalar>,
        mttr: Option<&Scalar>,
        at: &dyn Fn(&str) -> Option<(usize, usize)>,
    ) -> Option<Value> {
        match (availability, mttf, mttr) {
            (Some(_), Some(_), _) | (Some(_), None, Some(_)) => {
                let key = if mttf.is_some() { "mttf" } else { "mttr" };
                self.push(
                    Diagnostic::new(
                        Code::AvailabilityAndMttf,
                        format!("{what} has both availability and {key}"),
                    )
                    .at(at(key))
                    .help("give either availability, or mttf and mttr (availability = mttf / (mttf + mttr))"),
                );
                None
            }
            (Some(a), None, None) => {
                // The one availability rule of `units`, for numbers and strings alike.
                match crate::units::parse_availability(&a.text()) {
                    Ok(v) => Some((v, 1.0 - v, None, None)),
                    Err(e) => {
                        self.push(
                            Diagnostic::new(
                                Code::BadAvailability,
                                format!("{what}: availability `{}`: {}", a.text(), e.reason),
                            )
                            .at(at("availability"))
                            .help(e.accepted),
                        );
                        None
                    }
                }
            }
            (None, Some(f), Some(r)) => {
                let f = self.duration(what, "mttf", f, at, false);
                let r = self.duration(what, "mttr", r, at, true);
                let (f, r) = (f?, r?);
                Some((f / (f + r), r / (f + r), Some(f), Some(r)))
            }
            (None, Some(_), None) => {
                self.push(
                    Diagnostic::new(Code::MissingMttr, format!("{what} has mttf but no mttr"))
                        .at(at("mttf"))
                        .help("add mttr, the mean time to repair, e.g. mttr: 1h"),
                );
                None
            }
            (None, None, Some(_)) => {
                self.push(
                    Diagnostic::new(Code::MissingMttf, format!("{what} has mttr but no mttf"))
                        .at(at("mttr"))
                        .help("add mttf, the mean time to failure, e.g. mttf: 2000h"),
                );
                None
            }
            (None, None, None) => {
                self.push(
                    Diagnostic::new(
                        Code::MissingAvailability,
                        format!("{what} has neither availability nor mttf and mttr"),
                    )
                    .at(at(""))
                    .help(NODE_ACCEPTED),
                );
                None
            }
        }
    }

    fn duration(
        &mut self,
        what: &str,
        key: &'static str,
        v: &Scalar,
        at: &dyn Fn(&str) -> Option<(usize, usize)>,
        zero_ok: bool,
    ) -> Option<f64> {
        let reason = match v {
            Scalar::Number(n) => format!("`{n}` has no unit"),
            Scalar::Text(t) => match units::parse_duration(t) {
                Ok(d) if d > 0.0 || (zero_ok && d == 0.0) => return Some(d),
                Ok(_) => format!("{key} must be longer than zero"),
                Err(e) => format!("cannot read `{t}`: {}", e.reason),
            },
        };
        self.push(
            Diagnostic::new(Code::BadDuration, format!("{what}: {key}: {reason}"))
                .at(at(key))
                .help(DURATION_ACCEPTED),
        );
        None
    }

    /// Records a user-given name (the n-th `name:` key of `system:`); reports it when
    /// already taken.
    fn claim_name(&mut self, name: &str, n: Option<usize>) {
        let here = || n.and_then(|n| self.loc.nth_key(self.system, "name", n));
        if let Some(&first) = self.names.get(name) {
            let first = match first {
                Place::Component => component_key(self.loc, self.comps, name, ""),
                Place::Name(n) => n.and_then(|n| self.loc.nth_key(self.system, "name", n)),
            };
            let at = here();
            let help = if self.named.contains_key(name) {
                format!("`{name}` is a shared component: write `ref: {name}` to use it here")
            } else {
                match first {
                    Some((l, _)) => format!(
                        "first used on line {l}; names identify components in the ranking, so rename one"
                    ),
                    None => "names identify components in the ranking, so rename one".to_string(),
                }
            };
            self.push(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!("the name `{name}` is used twice"),
                )
                .at(at)
                .help(help),
            );
        } else {
            self.names.insert(name.to_string(), Place::Name(n));
        }
    }

    /// Validates one node; returns the nodes it stands for (several for a leaf with `count`),
    /// or `None` when it is invalid (the problem is recorded).
    fn node(&mut self, raw: &RawNode, path: String, depth: usize) -> Option<Vec<Node>> {
        let spots = self.spots(raw);
        let at = locate(self.loc, self.system, &spots);
        let first_spot = || at("");
        if depth > MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.push(
                    Diagnostic::new(Code::TooDeep, format!("groups are nested more than {MAX_DEPTH} deep"))
                        .at(first_spot())
                        .help(format!("at most {MAX_DEPTH} levels of nested groups are accepted; flatten nested groups of the same kind")),
                );
            }
            return None;
        }
        let groups: Vec<&str> = [
            ("series", raw.series.is_some()),
            ("parallel", raw.parallel.is_some()),
            ("k_of_n", raw.k_of_n.is_some()),
            ("ref", raw.reference.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, here)| here.then_some(k))
        .collect();
        let leaf_keys: Vec<&str> = [
            ("availability", raw.availability.is_some()),
            ("mttf", raw.mttf.is_some()),
            ("mttr", raw.mttr.is_some()),
            ("count", raw.count.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, here)| here.then_some(k))
        .collect();
        if groups.len() > 1 {
            self.push(
                Diagnostic::new(
                    Code::MixedNode,
                    format!("{path} has both `{}` and `{}`", groups[0], groups[1]),
                )
                .at(at(groups[1]))
                .help("a node is one group or one ref; nest groups inside each other instead"),
            );
            return None;
        }
        if let Some(&kind) = groups.first() {
            if let Some(&extra) = leaf_keys.first() {
                let help = if extra == "count" {
                    "`count` applies to leaves; to repeat a group, list it several times"
                } else {
                    "availability, mttf and mttr belong on leaves, not on groups or refs"
                };
                self.push(
                    Diagnostic::new(
                        Code::MixedNode,
                        format!("{path}: `{kind}` cannot have `{extra}`"),
                    )
                    .at(at(extra))
                    .help(help),
                );
                return None;
            }
            if kind == "ref" && raw.name.is_some() {
                self.push(
                    Diagnostic::new(
                        Code::MixedNode,
                        format!("{path}: a `ref` cannot have a `name`"),
                    )
                    .at(at("name"))
                    .help("a shared component is named by its key under `components:`"),
                );
                return None;
            }
        }
        if let Some(target) = &raw.reference {
            return self
                .reference(target, depth, &|| at("ref"))
                .map(|n| vec![n]);
        }
        let (kind, children, word) = match (&raw.series, &raw.parallel, &raw.k_of_n) {
            (Some(c), _, _) => (Kind::Series, c, "series"),
            (_, Some(c), _) => (Kind::Parallel, c, "parallel"),
            (_, _, Some(k)) => (Kind::KOfN { k: 0 }, &k.of, "k_of_n"),
            _ => return self.leaf(raw, path, &spots),
        };
        let group_path = match &raw.name {
            Some(n) => {
                self.claim_name(n, spots.get("name").copied());
                n.clone()
            }
            None => path.clone(),
        };
        let child_base = if word == "k_of_n" {
            format!("{path}.k_of_n.of")
        } else {
            format!("{path}.{word}")
        };
        let mut nodes = Vec::new();
        let mut ok = true;
        for (i, c) in children.iter().enumerate() {
            match self.node(c, format!("{child_base}[{i}]"), depth + 1) {
                Some(n) => nodes.extend(n),
                None => ok = false,
            }
        }
        if children.is_empty() {
            self.push(
                Diagnostic::new(Code::EmptyGroup, format!("{path}: `{word}` has no members"))
                    .at(at(if word == "k_of_n" { "of" } else { word }))
                    .help("list at least one component or group"),
            );
            return None;
        }
        let kind = match (kind, &raw.k_of_n) {
            (Kind::KOfN { .. }, Some(spec)) => {
                let n = nodes.len();
                if spec.k == 0 {
                    self.push(
                        Diagnostic::new(
                            Code::KZero,
                            format!("{path}: k_of_n needs k of at least 1"),
                        )
                        .at(at("k"))
                        .help("k is how many members must be up; k = 0 would always be up"),
                    );
                    return None;
                }
                if ok && spec.k > n as u64 {
                    self.push(
                        Diagnostic::new(
                            Code::KAboveN,
                            format!(
                                "{path}: k is {} but the group has {n} member{}",
                                spec.k,
                                if n == 1 { "" } else { "s" }
                            ),
                        )
                        .at(at("k"))
                        .help(format!(
                            "k must be from 1 to {n} (members after `count` expansion)"
                        )),
                    );
                    return None;
                }
                Kind::KOfN { k: spec.k as usize }
            }
            (kind, _) => kind,
        };
        if !ok {
            return None;
        }
        self.groups.push(Group {
            name: group_path,
            kind,
            children: nodes,
        });
        Some(vec![Node::Group(self.groups.len() - 1)])
    }

    /// Builds the subsystem `name` (a group under `components:`), its lines located within
    /// its own entry.
    fn subsystem(&mut self, name: &str, depth: usize) -> Option<Node> {
        let raw = self.named.get(name).and_then(|n| n.raw)?;
        let start =
            component_key(self.loc, self.comps, name, "").map_or(self.comps.0, |(l, _)| l - 1);
        let outer = (self.system, std::mem::take(&mut self.seen));
        self.system = (start, self.comps.1);
        self.building.push(name.to_string());
        let built = self.node(raw, name.to_string(), depth + 1);
        self.building.pop();
        (self.system, self.seen) = outer;
        match built?.as_slice() {
            [node] => Some(*node),
            _ => None,
        }
    }

    fn reference(
        &mut self,
        target: &str,
        depth: usize,
        at: &dyn Fn() -> Option<(usize, usize)>,
    ) -> Option<Node> {
        let Some(named) = self.named.get_mut(target) else {
            let names: Vec<&str> = self.named.keys().map(String::as_str).collect();
            let help = match crate::suggest::closest(target, names.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? defined components: {}",
                    names.join(", ")
                ),
                None if names.is_empty() => {
                    format!("no components are defined; add `{target}` under `components:`")
                }
                None => format!("defined components: {}", names.join(", ")),
            };
            self.push(
                Diagnostic::new(Code::UnknownRef, format!("no component named `{target}`"))
                    .at(at())
                    .help(help),
            );
            return None;
        };
        match named.node {
            Some(Node::Component(i)) => {
                self.components[i].uses += 1;
                return Some(Node::Component(i));
            }
            Some(group) => return Some(group),
            None => {}
        }
        if named.failed {
            return None;
        }
        if named.raw.is_some() {
            if let Some(first) = self.building.iter().position(|n| n == target) {
                let chain = self.building[first..].join(" → ");
                self.push(
                    Diagnostic::new(
                        Code::RefCycle,
                        format!("component `{target}` contains itself: {chain} → {target}"),
                    )
                    .at(at())
                    .help("a subsystem may ref other components, but not one that refs it back"),
                );
                return None;
            }
            let node = self.subsystem(target, depth);
            if let Some(named) = self.named.get_mut(target) {
                named.node = node;
                named.failed = node.is_none();
            }
            return node;
        }
        let value = named.value?;
        if !self.reserve(1, at) {
            return None;
        }
        let i = self.add(target.to_string(), value);
        if let Some(named) = self.named.get_mut(target) {
            named.node = Some(Node::Component(i));
        }
        Some(Node::Component(i))
    }

    fn leaf(&mut self, raw: &RawNode, path: String, spots: &Spots) -> Option<Vec<Node>> {
        let at = locate(self.loc, self.system, spots);
        let what = match &raw.name {
            Some(n) => format!("`{n}`"),
            None => path.clone(),
        };
        if let Some(n) = &raw.name {
            self.claim_name(n, spots.get("name").copied());
        }
        let value = self.leaf_value(
            &what,
            raw.availability.as_ref(),
            raw.mttf.as_ref(),
            raw.mttr.as_ref(),
            &at,
        );
        let count = raw.count.unwrap_or(1);
        if count == 0 {
            self.push(
                Diagnostic::new(Code::ZeroCount, format!("{what}: count is 0"))
                    .at(at("count"))
                    .help("count is how many independent copies to make: 1 or more (remove the leaf to have none)"),
            );
            return None;
        }
        let value = value?;
        if !self.reserve(count, &|| at("count").or_else(|| at(""))) {
            return None;
        }
        let base = raw.name.clone().unwrap_or(path);
        if count == 1 {
            return Some(vec![Node::Component(self.add(base, value))]);
        }
        let nodes = (1..=count)
            .map(|copy| Node::Component(self.add(format!("{base}#{copy}"), value)))
            .collect();
        Some(nodes)
    }

    /// Makes room for `count` more components; reports (once) and refuses past
    /// [`MAX_COMPONENTS`], before anything is allocated.
    fn reserve(&mut self, count: u64, at: &dyn Fn() -> Option<(usize, usize)>) -> bool {
        let total = (self.total as u64).saturating_add(count);
        if total <= MAX_COMPONENTS as u64 {
            self.total = total as usize;
            return true;
        }
        if !self.overflow {
            self.overflow = true;
            self.push(
                Diagnostic::new(
                    Code::TooManyComponents,
                    format!("the system expands to more than {MAX_COMPONENTS} components"),
                )
                .at(at())
                .help(format!(
                    "at most {MAX_COMPONENTS} components after `count` expansion are accepted; lower the counts"
                )),
            );
        }
        false
    }

    /// Appends a component whose room [`Builder::reserve`] made.
    fn add(&mut self, name: String, v: Value) -> usize {
        self.components.push(Component {
            name,
            availability: v.0,
            unavailability: v.1,
            mttf: v.2,
            mttr: v.3,
            uses: 1,
        });
        self.components.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(&'static str, Option<usize>)> {
        match parse(text, "t.yaml") {
            Err(Error::Invalid(d)) => d.items.iter().map(|i| (i.code.as_str(), i.line)).collect(),
            other => panic!("expected diagnostics, got {other:?}"),
        }
    }

    #[test]
    fn reads_the_issue_example_into_a_flat_post_ordered_topology() {
        let text = "components:\n  dns: { availability: 0.9999 }\nsystem:\n  series:\n    - ref: dns\n    - parallel:\n        - { name: lb-a, availability: 0.999 }\n        - { name: lb-b, availability: \"99.9%\" }\n    - k_of_n: { k: 3, of: [ { name: app, availability: 0.995, count: 5 } ] }\n    - parallel:\n        - { name: db-primary, mttf: 2000h, mttr: 1h }\n        - { name: db-replica, mttf: 2000h, mttr: 1h }\n";
        let t = parse(text, "t.yaml").unwrap();
        let names: Vec<&str> = t.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "dns",
                "lb-a",
                "lb-b",
                "app#1",
                "app#2",
                "app#3",
                "app#4",
                "app#5",
                "db-primary",
                "db-replica"
            ]
        );
        assert_eq!(t.groups.len(), 4);
        assert_eq!(t.root, Node::Group(3));
        assert_eq!(t.groups[1].kind, Kind::KOfN { k: 3 });
        assert_eq!(t.groups[1].children.len(), 5);
        assert_eq!(t.groups[3].children[1], Node::Group(0));
        assert_eq!(t.components[2].availability, 0.999, "99.9% is read exactly");
        assert_eq!(t.components[8].mttf, Some(2000.0 * 3600.0));
        assert!((t.components[8].unavailability - 1.0 / 2001.0).abs() < 1e-15);
        assert!(t.shared().is_empty(), "one ref is not sharing");
        for (g, group) in t.groups.iter().enumerate() {
            for c in &group.children {
                if let Node::Group(j) = c {
                    assert!(*j < g, "children come before parents");
                }
            }
        }
    }

    #[test]
    fn availabilities_follow_the_one_rule_of_units() {
        // Bare 99.9 and "99.9%" are the percentage, 0.999 the fraction, all the same double;
        // a bare 9.9 is refused as ambiguous (write 9.9% for 9.9 %).
        let text = "system:\n  series:\n    - { name: a, availability: 99.9 }\n    - { name: b, availability: \"99.9%\" }\n    - { name: c, availability: 0.999 }\n    - { name: d, availability: 9.9% }\n";
        let t = parse(text, "t.yaml").unwrap();
        let a: Vec<f64> = t.components.iter().map(|c| c.availability).collect();
        assert_eq!(a[..3], [0.999, 0.999, 0.999]);
        assert!((a[3] - 0.099).abs() < 1e-15);
        let text = "system:\n  series:\n    - { name: a, availability: 9.9 }\n";
        assert_eq!(problems(text), [("bad-availability", Some(3))]);
        let Err(Error::Invalid(d)) = parse(text, "t.yaml") else {
            panic!("refused")
        };
        let help = d.items[0].help.as_deref().unwrap();
        assert!(help.contains("99.95%") && help.contains("0.9995"), "{help}");
    }

    #[test]
    fn refs_to_one_name_are_one_shared_component() {
        let text = "components:\n  power: { mttf: 1y, mttr: 4h }\n  spare: { availability: 0.9 }\nsystem:\n  parallel:\n    - series: [ { ref: power }, { name: a, availability: 0.99 } ]\n    - series: [ { ref: power }, { name: b, availability: 0.99 } ]\n";
        let t = parse(text, "t.yaml").unwrap();
        assert_eq!(t.components.len(), 3);
        assert_eq!(t.components[0].name, "power");
        assert_eq!(t.components[0].uses, 2);
        assert_eq!(t.shared(), [0]);
        assert_eq!(t.unused, ["spare"]);
    }

    #[test]
    fn unknown_refs_suggest_the_closest_name() {
        let text =
            "components:\n  dns: { availability: 0.9999 }\nsystem:\n  series:\n    - ref: dsn\n";
        let Err(Error::Invalid(d)) = parse(text, "t.yaml") else {
            panic!()
        };
        assert_eq!(d.items[0].code, "unknown-ref");
        assert_eq!((d.items[0].line, d.items[0].column), (Some(5), Some(7)));
        let help = d.items[0].help.as_deref().unwrap();
        assert!(help.starts_with("did you mean `dns`?"), "{help}");
    }

    #[test]
    fn collects_every_problem_with_its_line() {
        let text = "\
components:
  dns: { availability: 1.5 }
  db: { mttf: 2000h }
system:
  series:
    - ref: dns
    - k_of_n: { k: 4, of: [ { availability: 0.9, count: 3 } ] }
    - k_of_n: { k: 0, of: [ { availability: 0.9 } ] }
    - parallel: []
    - { availability: 0.9, mttf: 10h, mttr: 1h }
    - { name: x, count: 0, availability: 0.9 }
    - { name: y }
    - { availability: 0 }
    - { mttf: 10, mttr: 1h }
    - { mttr: 1h }
    - { series: [ { availability: 0.9 } ], availability: 0.9 }
    - { ref: dns, parallel: [] }
";
        assert_eq!(
            problems(text),
            [
                ("bad-availability", Some(2)),
                ("missing-mttr", Some(3)),
                ("k-above-n", Some(7)),
                ("k-zero", Some(8)),
                ("empty-group", Some(9)),
                ("availability-and-mttf", Some(10)),
                ("zero-count", Some(11)),
                ("missing-availability", Some(12)),
                ("bad-availability", Some(13)),
                ("bad-duration", Some(14)),
                ("missing-mttf", Some(15)),
                ("mixed-node", Some(16)),
                ("mixed-node", Some(17)),
            ]
        );
    }

    #[test]
    fn duplicate_names_point_to_the_second_use() {
        let text = "components:\n  dns: { availability: 0.9 }\nsystem:\n  series:\n    - { name: a, availability: 0.9 }\n    - { name: a, availability: 0.9 }\n    - { name: dns, availability: 0.9 }\n";
        let Err(Error::Invalid(d)) = parse(text, "t.yaml") else {
            panic!()
        };
        let got: Vec<_> = d.items.iter().map(|i| (i.code.as_str(), i.line)).collect();
        assert_eq!(
            got,
            [("duplicate-name", Some(6)), ("duplicate-name", Some(7))]
        );
        assert!(d.items[0].help.as_deref().unwrap().contains("line 5"));
        assert!(d.items[1].help.as_deref().unwrap().contains("ref: dns"));
    }

    #[test]
    fn lists_a_hundred_problems_and_counts_the_rest() {
        // Found by the bad-input suite: every node looked its keys up by scanning the file,
        // so 20 000 leaves took minutes; now lines are looked up only for reported problems.
        let mut text = String::from("system:\n  series:\n");
        for _ in 0..1000 {
            text += "    - { availability: 2 }\n";
        }
        let Err(Error::Invalid(d)) = parse(&text, "t.yaml") else {
            panic!()
        };
        assert_eq!(d.items.len(), MAX_PROBLEMS + 1);
        assert_eq!(d.items[0].line, Some(3));
        assert_eq!(d.items[MAX_PROBLEMS - 1].line, Some(MAX_PROBLEMS + 2));
        let last = d.items.last().unwrap();
        assert_eq!(last.code, "more-problems");
        assert!(last.message.starts_with("900 more"), "{}", last.message);
    }

    #[test]
    fn a_large_valid_file_is_read_without_scanning_it_per_node() {
        let mut text = String::from("system:\n  parallel:\n");
        for i in 0..50_000 {
            text += &format!("    - {{ name: n{i}, availability: 0.9 }}\n");
        }
        assert_eq!(parse(&text, "t.yaml").unwrap().components.len(), 50_000);
    }

    #[test]
    fn refuses_more_named_components_than_the_cap() {
        let mut text = String::from("components:\n");
        for i in 0..=MAX_NAMED {
            text += &format!("  c{i}: {{ availability: 0.9 }}\n");
        }
        text += "system: { ref: c0 }\n";
        assert_eq!(problems(&text), [("too-many-components", Some(1))]);
    }

    #[test]
    fn refuses_more_than_a_million_components() {
        let text = "system:\n  parallel:\n    - { availability: 0.9, count: 999999 }\n    - { availability: 0.9, count: 2 }\n";
        assert_eq!(problems(text), [("too-many-components", Some(4))]);
        let text =
            "system:\n  parallel:\n    - { availability: 0.9, count: 18446744073709551615 }\n";
        assert_eq!(problems(text), [("too-many-components", Some(3))]);
    }

    #[test]
    fn refuses_nesting_deeper_than_64() {
        let mut text = String::from("system:\n");
        let depth = MAX_DEPTH + 1;
        for i in 0..depth {
            text += &format!("{}- series:\n", "  ".repeat(i + 1));
        }
        text += &format!("{}- {{ availability: 0.9 }}\n", "  ".repeat(depth + 1));
        let text = text.replacen("  - series:", "  series:", 1);
        let Err(Error::Invalid(d)) = parse(&text, "t.yaml") else {
            panic!("accepted {depth} levels");
        };
        assert_eq!(d.items[0].code, "too-deep");
        assert!(d.items[0].line.is_some());
    }

    #[test]
    fn unknown_keys_are_yaml_errors_with_the_accepted_keys() {
        let text = "system:\n  series:\n    - { name: a, availabilty: 0.9 }\n";
        let Err(Error::Yaml(e)) = parse(text, "t.yaml") else {
            panic!()
        };
        assert_eq!(e.line, Some(3));
        assert!(
            e.message.contains("availabilty") && e.message.contains("availability"),
            "{e}"
        );
    }

    #[test]
    fn count_on_the_root_or_on_a_group_is_refused() {
        assert_eq!(
            problems("system: { availability: 0.9, count: 3 }\n"),
            [("count-at-root", Some(1))]
        );
        assert_eq!(
            problems(
                "system:\n  parallel:\n    - { series: [ { availability: 0.9 } ], count: 2 }\n"
            ),
            [("mixed-node", Some(3))]
        );
    }
}
