//! Fault trees in the Open-PSA Model Exchange Format (MEF), the XML the reliability field's
//! tools (SCRAM, XFTA) exchange: [`read`] into a [`FaultTree`], and [`write`] one out.
//!
//! Read: `define-fault-tree` with `define-gate`, `define-basic-event` (probability as
//! `<float value="…"/>`), `define-house-event` (`<constant value="true|false"/>`), also
//! under `model-data`; formulas `and`, `or`, `atleast min="k"`, `not`, `xor`, `nand`, `nor`,
//! nested freely, referring to `gate`, `basic-event`, `house-event` or `event` by name, or to
//! a `constant`. The top event is the one gate no other gate uses. `label` and `attributes`
//! are ignored. Everything else (expressions other than `float`, parameters, CCF groups,
//! event trees, substitutions, other formulas) is refused with the element's name and line.

use super::fault_tree::{Arg, Event, FaultTree, Gate, Op};
use super::raw::Error;
use crate::diagnostic::{Code, Diagnostic, FileDiagnostics};
use roxmltree::{Document, Node as XmlNode};
use std::collections::{HashMap, HashSet};

const FORMULAS: &str = "and, or, atleast (with min), not, xor, nand, nor, or a reference: gate, basic-event, house-event, event, constant";

/// A formula as written, before names are resolved.
#[derive(Debug)]
enum Formula {
    Op {
        op: Op,
        args: Vec<Formula>,
    },
    Ref {
        kind: &'static str,
        name: String,
        at: (usize, usize),
    },
    Constant(bool),
}

struct Reader<'a> {
    doc: &'a Document<'a>,
    /// Byte offset where each line starts, for positions in messages (roxmltree's own
    /// `text_pos_at` scans from the start every time: quadratic over a large tree).
    lines: Vec<usize>,
    problems: Vec<Diagnostic>,
    gates: Vec<(String, Formula, (usize, usize))>,
    events: Vec<(String, f64, f64, (usize, usize))>,
    houses: HashMap<String, bool>,
    /// Basic events whose definition was refused (already reported).
    refused: HashSet<String>,
    name: Option<String>,
}

/// Reads a MEF document into a fault tree (`path` is only used in messages).
pub fn read(text: &str, path: &str) -> Result<FaultTree, Error> {
    let fail = |items: Vec<Diagnostic>| -> Error { FileDiagnostics::new(path, items).into() };
    let doc = match Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.pos();
            return Err(fail(vec![
                Diagnostic::new(Code::BadXml, format!("not well-formed XML: {e}"))
                    .at(Some((pos.row as usize, pos.col as usize)))
                    .help(
                        "an Open-PSA MEF document: <opsa-mef> holding <define-fault-tree> elements",
                    ),
            ]));
        }
    };
    let mut r = Reader::new(&doc, text);
    let root = doc.root_element();
    if root.tag_name().name() != "opsa-mef" {
        r.unsupported(root, "the root element must be <opsa-mef>");
    } else {
        for child in root.children().filter(XmlNode::is_element) {
            match child.tag_name().name() {
                "define-fault-tree" => {
                    if r.name.is_none() {
                        r.name = child.attribute("name").map(str::to_string);
                    }
                    r.container(child);
                }
                "model-data" => r.container(child),
                "label" | "attributes" => {}
                _ => r.unsupported(child, "only fault trees and model data are read"),
            }
        }
    }
    let tree = r.resolve();
    match tree {
        Some(t) if r.problems.is_empty() => Ok(t),
        _ => Err(fail(r.problems)),
    }
}

/// Byte offsets where the lines of `text` start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

impl<'a> Reader<'a> {
    fn new(doc: &'a Document<'a>, text: &str) -> Self {
        Reader {
            doc,
            lines: line_starts(text),
            problems: Vec::new(),
            gates: Vec::new(),
            events: Vec::new(),
            houses: HashMap::new(),
            refused: HashSet::new(),
            name: None,
        }
    }

    /// The line and column (both from 1, the column in characters) where `n` starts.
    fn at(&self, n: XmlNode) -> (usize, usize) {
        let pos = n.range().start;
        let line = self.lines.partition_point(|&start| start <= pos);
        let start = self.lines[line - 1];
        let col = self.doc.input_text()[start..pos].chars().count() + 1;
        (line, col)
    }

    fn push(&mut self, d: Diagnostic) {
        if self.problems.len() < super::raw::MAX_PROBLEMS {
            self.problems.push(d);
        }
    }

    fn unsupported(&mut self, n: XmlNode, why: &str) {
        let at = self.at(n);
        self.push(
            Diagnostic::new(
                Code::MefUnsupported,
                format!("<{}> is not supported: {why}", n.tag_name().name()),
            )
            .at(Some(at))
            .help("supported: define-fault-tree, model-data, define-gate, define-basic-event with <float value>, define-house-event with <constant>; formulas: ".to_string() + FORMULAS),
        );
    }

    fn name_of(&mut self, n: XmlNode) -> Option<String> {
        match n.attribute("name") {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => {
                let at = self.at(n);
                self.push(
                    Diagnostic::new(
                        Code::MefMissingName,
                        format!("<{}> has no name", n.tag_name().name()),
                    )
                    .at(Some(at))
                    .help("add name=\"...\""),
                );
                None
            }
        }
    }

    /// Elements that carry definitions: a fault tree, or model data.
    fn container(&mut self, n: XmlNode) {
        for child in n.children().filter(XmlNode::is_element) {
            let at = self.at(child);
            match child.tag_name().name() {
                "define-gate" => {
                    let Some(name) = self.name_of(child) else {
                        continue;
                    };
                    let body: Vec<XmlNode> = child
                        .children()
                        .filter(|c| c.is_element() && !is_ignored(*c))
                        .collect();
                    if body.len() != 1 {
                        self.push(
                            Diagnostic::new(
                                Code::MefGateBody,
                                format!(
                                    "gate `{name}` has {} formulas; a gate holds exactly one",
                                    body.len()
                                ),
                            )
                            .at(Some(at))
                            .help(FORMULAS),
                        );
                        continue;
                    }
                    if let Some(f) = self.formula(body[0]) {
                        self.gates.push((name, f, at));
                    }
                }
                "define-basic-event" => {
                    let Some(name) = self.name_of(child) else {
                        continue;
                    };
                    let body: Vec<XmlNode> = child
                        .children()
                        .filter(|c| c.is_element() && !is_ignored(*c))
                        .collect();
                    let before = self.problems.len();
                    self.refused.insert(name.clone());
                    match body.as_slice() {
                        [f] if f.tag_name().name() == "float" => {
                            let text = f.attribute("value").unwrap_or("");
                            match text.trim().parse::<f64>() {
                                Ok(p) if (0.0..=1.0).contains(&p) => {
                                    let q = complement(text.trim()).unwrap_or(1.0 - p);
                                    self.events.push((name.clone(), p, q, at));
                                }
                                _ => {
                                    let fat = self.at(*f);
                                    self.push(
                                        Diagnostic::new(
                                            Code::MefBadProbability,
                                            format!("basic event `{name}`: probability `{text}` is not a number from 0 to 1"),
                                        )
                                        .at(Some(fat))
                                        .help("<float value=\"0.001\"/>"),
                                    );
                                }
                            }
                        }
                        [] => self.push(
                            Diagnostic::new(
                                Code::MefMissingProbability,
                                format!("basic event `{name}` has no probability"),
                            )
                            .at(Some(at))
                            .help("add <float value=\"0.001\"/> inside it"),
                        ),
                        [other, ..] => self.unsupported(
                            *other,
                            "a basic event's probability must be a constant <float value=\"...\"/> (expressions and parameters are not read)",
                        ),
                    }
                    if self.problems.len() == before {
                        self.refused.remove(&name);
                    }
                }
                "define-house-event" => {
                    let Some(name) = self.name_of(child) else {
                        continue;
                    };
                    let value = child
                        .children()
                        .find(|c| c.is_element() && c.tag_name().name() == "constant")
                        .and_then(|c| c.attribute("value"))
                        .is_some_and(|v| v.trim() == "true");
                    self.houses.insert(name, value);
                }
                "label" | "attributes" => {}
                _ => self.unsupported(
                    child,
                    "a fault tree here holds gates, basic events and house events",
                ),
            }
        }
    }

    fn formula(&mut self, n: XmlNode) -> Option<Formula> {
        let at = self.at(n);
        let tag = n.tag_name().name();
        let op = match tag {
            "and" => Op::And,
            "or" => Op::Or,
            "not" => Op::Not,
            "xor" => Op::Xor,
            "nand" => Op::Nand,
            "nor" => Op::Nor,
            "atleast" => {
                let min = n
                    .attribute("min")
                    .and_then(|m| m.trim().parse::<usize>().ok());
                match min {
                    Some(k) => Op::AtLeast { k },
                    None => {
                        self.push(
                            Diagnostic::new(
                                Code::MefBadAtleast,
                                "<atleast> needs min=\"K\", a whole number",
                            )
                            .at(Some(at))
                            .help("e.g. <atleast min=\"2\"> with at least K arguments"),
                        );
                        return None;
                    }
                }
            }
            "gate" | "basic-event" | "house-event" | "event" => {
                let name = self.name_of(n)?;
                let kind = match tag {
                    "gate" => "gate",
                    "basic-event" => "basic-event",
                    "house-event" => "house-event",
                    _ => "event",
                };
                return Some(Formula::Ref { kind, name, at });
            }
            "constant" => {
                return match n.attribute("value").map(str::trim) {
                    Some("true") => Some(Formula::Constant(true)),
                    Some("false") => Some(Formula::Constant(false)),
                    _ => {
                        self.push(
                            Diagnostic::new(
                                Code::MefBadConstant,
                                "<constant> needs value=\"true\" or value=\"false\"",
                            )
                            .at(Some(at))
                            .help("<constant value=\"true\"/>"),
                        );
                        None
                    }
                };
            }
            _ => {
                self.unsupported(n, "not a formula this reader knows");
                return None;
            }
        };
        let mut args = Vec::new();
        let mut ok = true;
        for c in n.children().filter(|c| c.is_element() && !is_ignored(*c)) {
            match self.formula(c) {
                Some(f) => args.push(f),
                None => ok = false,
            }
        }
        let count = args.len();
        let bad = match op {
            Op::Not if count != 1 => Some("exactly one argument".to_string()),
            Op::Xor if count < 2 => Some("two or more arguments".to_string()),
            Op::AtLeast { k } if k == 0 || k > count => Some(format!(
                "min from 1 to the number of arguments ({count}), got {k}"
            )),
            _ if count == 0 => Some("at least one argument".to_string()),
            _ => None,
        };
        if let Some(need) = bad {
            self.push(
                Diagnostic::new(Code::MefArity, format!("<{tag}> has {count} arguments"))
                    .at(Some(at))
                    .help(format!("<{tag}> takes {need}")),
            );
            return None;
        }
        ok.then_some(Formula::Op { op, args })
    }

    /// Resolves names, orders gates children first and finds the top event.
    fn resolve(&mut self) -> Option<FaultTree> {
        let mut gate_index: HashMap<String, usize> = HashMap::new();
        for (i, (name, _, at)) in self.gates.iter().enumerate() {
            if gate_index.insert(name.clone(), i).is_some() {
                let d = Diagnostic::new(
                    Code::MefDuplicate,
                    format!("gate `{name}` is defined twice"),
                )
                .at(Some(*at))
                .help("every gate name must be unique");
                self.problems.push(d);
            }
        }
        let mut event_index: HashMap<String, usize> = HashMap::new();
        for (i, (name, _, _, at)) in self.events.iter().enumerate() {
            if event_index.insert(name.clone(), i).is_some() {
                let d = Diagnostic::new(
                    Code::MefDuplicate,
                    format!("basic event `{name}` is defined twice"),
                )
                .at(Some(*at))
                .help("every basic event name must be unique");
                self.problems.push(d);
            }
        }
        // Which gates other gates use, to find the top.
        let mut used = HashSet::new();
        for (_, f, _) in &self.gates {
            collect_gate_refs(f, &mut used);
        }
        let tops: Vec<usize> = (0..self.gates.len())
            .filter(|&i| !used.contains(&self.gates[i].0))
            .collect();
        let top = match tops.as_slice() {
            [t] => *t,
            [] if self.gates.is_empty() => {
                if self.problems.is_empty() {
                    self.problems.push(
                        Diagnostic::new(Code::MefNoGate, "the document defines no gate")
                            .help("a fault tree needs a top gate: <define-gate name=\"top\">"),
                    );
                }
                return None;
            }
            [] => {
                let at = self.gates[0].2;
                self.problems.push(
                    Diagnostic::new(
                        Code::MefCycle,
                        "every gate is used by another gate: the gates form a cycle",
                    )
                    .at(Some(at))
                    .help("a fault tree is acyclic; its top gate is used by no other gate"),
                );
                return None;
            }
            many => {
                let names: Vec<&str> = many.iter().map(|&i| self.gates[i].0.as_str()).collect();
                let at = self.gates[many[1]].2;
                self.problems.push(
                    Diagnostic::new(
                        Code::MefSeveralTops,
                        format!("{} gates are used by no other gate: {}", many.len(), names.join(", ")),
                    )
                    .at(Some(at))
                    .help("one top event per file: remove the unused gates, or join them under one top gate"),
                );
                return None;
            }
        };
        let mut b = Builder {
            gate_index: &gate_index,
            event_index: &event_index,
            houses: &self.houses,
            refused: &self.refused,
            defs: &self.gates,
            raw_events: &self.events,
            state: vec![State::New; self.gates.len()],
            gates: Vec::new(),
            event_map: HashMap::new(),
            events: Vec::new(),
            problems: Vec::new(),
        };
        let top = b.gate(top);
        let (gates, events) = (b.gates, b.events);
        self.problems.extend(b.problems);
        Some(FaultTree {
            name: self
                .name
                .clone()
                .unwrap_or_else(|| "fault-tree".to_string()),
            events,
            gates,
            top: top?,
        })
    }
}

fn is_ignored(n: XmlNode) -> bool {
    matches!(n.tag_name().name(), "label" | "attributes")
}

/// `1 − p` computed from the decimal text when it is short, so `0.9999` gives exactly the
/// double nearest `0.0001`'s complement (a string `0.01` gives `0.99`, not 0.99000000000000…1).
fn complement(text: &str) -> Option<f64> {
    let p: f64 = text.parse().ok()?;
    let q = 1.0 - p;
    // 1 − p is exact in binary for p ≥ 0.5; otherwise round the decimal complement once.
    if p >= 0.5 {
        return Some(q);
    }
    let digits = text.strip_prefix("0.")?;
    if digits.is_empty() || digits.len() > 17 || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Some(q);
    }
    let scale = 10u128.pow(digits.len() as u32);
    let rest = scale - digits.parse::<u128>().ok()?;
    format!("{rest}e-{}", digits.len()).parse().ok()
}

fn collect_gate_refs(f: &Formula, out: &mut HashSet<String>) {
    match f {
        Formula::Op { args, .. } => args.iter().for_each(|a| collect_gate_refs(a, out)),
        Formula::Ref { kind, name, .. } if *kind == "gate" || *kind == "event" => {
            out.insert(name.clone());
        }
        _ => {}
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    New,
    Open,
    Done(usize),
}

struct Builder<'a> {
    gate_index: &'a HashMap<String, usize>,
    event_index: &'a HashMap<String, usize>,
    houses: &'a HashMap<String, bool>,
    refused: &'a HashSet<String>,
    defs: &'a [(String, Formula, (usize, usize))],
    raw_events: &'a [(String, f64, f64, (usize, usize))],
    state: Vec<State>,
    gates: Vec<Gate>,
    event_map: HashMap<usize, usize>,
    events: Vec<Event>,
    problems: Vec<Diagnostic>,
}

impl Builder<'_> {
    /// The gate built for definition `i` (children first).
    fn gate(&mut self, i: usize) -> Option<Arg> {
        match self.state[i] {
            State::Done(g) => return Some(Arg::Gate(g)),
            State::Open => {
                let (name, _, at) = &self.defs[i];
                self.problems.push(
                    Diagnostic::new(Code::MefCycle, format!("gate `{name}` depends on itself"))
                        .at(Some(*at))
                        .help("a fault tree is acyclic"),
                );
                return None;
            }
            State::New => {}
        }
        self.state[i] = State::Open;
        let defs = self.defs;
        let (name, formula, _) = &defs[i];
        let arg = self.formula(formula, name);
        let g = match arg? {
            Arg::Gate(g) if self.gates[g].name.is_empty() => {
                self.gates[g].name = name.clone();
                g
            }
            other => {
                // A gate that is one reference: keep it as a gate of one argument.
                self.gates.push(Gate {
                    name: name.clone(),
                    op: Op::And,
                    args: vec![other],
                });
                self.gates.len() - 1
            }
        };
        self.state[i] = State::Done(g);
        Some(Arg::Gate(g))
    }

    fn event(&mut self, e: usize) -> Arg {
        let next = self.events.len();
        let index = *self.event_map.entry(e).or_insert(next);
        if index == next {
            let (name, p, q, _) = &self.raw_events[e];
            self.events.push(Event {
                name: name.clone(),
                probability: *p,
                complement: *q,
                uses: 0,
            });
        }
        self.events[index].uses += 1;
        Arg::Event(index)
    }

    fn formula(&mut self, f: &Formula, owner: &str) -> Option<Arg> {
        match f {
            Formula::Constant(c) => Some(Arg::Constant(*c)),
            Formula::Ref { kind, name, at } => {
                let gate = self.gate_index.get(name).copied();
                let event = self.event_index.get(name).copied();
                let house = self.houses.get(name).copied();
                let found = match *kind {
                    "gate" => gate.map(|g| self.gate(g)),
                    "basic-event" => event.map(|e| Some(self.event(e))),
                    "house-event" => house.map(|h| Some(Arg::Constant(h))),
                    _ => gate
                        .map(|g| self.gate(g))
                        .or_else(|| event.map(|e| Some(self.event(e))))
                        .or_else(|| house.map(|h| Some(Arg::Constant(h)))),
                };
                match found {
                    Some(a) => a,
                    None if self.refused.contains(name) => None,
                    None => {
                        self.problems.push(
                            Diagnostic::new(
                                Code::MefUndefined,
                                format!(
                                    "gate `{owner}` uses {kind} `{name}`, which is not defined"
                                ),
                            )
                            .at(Some(*at))
                            .help(format!(
                                "define it with <define-{}>",
                                if *kind == "event" {
                                    "basic-event"
                                } else {
                                    kind
                                }
                            )),
                        );
                        None
                    }
                }
            }
            Formula::Op { op, args, .. } => {
                let mut out = Vec::with_capacity(args.len());
                let mut ok = true;
                for a in args {
                    match self.formula(a, owner) {
                        Some(x) => out.push(x),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                self.gates.push(Gate {
                    name: String::new(),
                    op: *op,
                    args: out,
                });
                Some(Arg::Gate(self.gates.len() - 1))
            }
        }
    }
}

/// A name SCRAM accepts as an identifier: letters, digits, `_` and `-`, starting with a
/// letter; other characters become `_`.
fn identifier(name: &str) -> String {
    // Paths of unnamed groups read `system.series[1].parallel`: `system_series-1_parallel`.
    let mut s: String = name
        .replace('[', "-")
        .replace(']', "")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert(0, 'n');
    }
    s
}

/// Unique identifiers for a list of names.
fn identifiers<'a>(
    names: impl Iterator<Item = &'a str>,
    taken: &mut HashSet<String>,
) -> Vec<String> {
    names
        .map(|n| {
            let base = identifier(n);
            let mut id = base.clone();
            let mut i = 2;
            while !taken.insert(id.clone()) {
                id = format!("{base}-{i}");
                i += 1;
            }
            id
        })
        .collect()
}

/// Writes a fault tree as an Open-PSA MEF document: the gates the top depends on, children
/// first, then the basic events with their probabilities. Names are made into identifiers
/// (`app#1` → `app_1`); `source` goes into a comment.
pub fn write(tree: &FaultTree, source: &str) -> String {
    let reach = tree.reachable_gates();
    let mut taken = HashSet::new();
    let gate_ids = identifiers(
        tree.gates.iter().map(|g| {
            if g.name.is_empty() {
                "gate"
            } else {
                g.name.as_str()
            }
        }),
        &mut taken,
    );
    let event_ids = identifiers(tree.events.iter().map(|e| e.name.as_str()), &mut taken);
    let mut used = vec![false; tree.events.len()];
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out += &format!(
        "<!-- written by tradeoff from {} -->\n",
        escape(&source.replace("--", "-"))
    );
    out += "<opsa-mef>\n";
    out += &format!(
        "  <define-fault-tree name=\"{}\">\n",
        identifier(&tree.name)
    );
    let arg = |a: &Arg, used: &mut Vec<bool>| match *a {
        Arg::Event(e) => {
            used[e] = true;
            format!("<basic-event name=\"{}\"/>", event_ids[e])
        }
        Arg::Gate(g) => format!("<gate name=\"{}\"/>", gate_ids[g]),
        Arg::Constant(c) => format!("<constant value=\"{c}\"/>"),
    };
    let top_gate = match tree.top {
        Arg::Gate(g) => Some(g),
        _ => None,
    };
    if top_gate.is_none() {
        let id = identifiers(["top"].into_iter(), &mut taken).remove(0);
        out += &format!(
            "    <define-gate name=\"{id}\">\n      {}\n    </define-gate>\n",
            arg(&tree.top, &mut used)
        );
    }
    for (g, gate) in tree.gates.iter().enumerate() {
        if !reach[g] {
            continue;
        }
        out += &format!("    <define-gate name=\"{}\">\n", gate_ids[g]);
        if gate.args.len() == 1 && matches!(gate.op, Op::And | Op::Or) {
            out += &format!("      {}\n", arg(&gate.args[0], &mut used));
        } else {
            let open = match gate.op {
                Op::AtLeast { k } => format!("atleast min=\"{k}\""),
                op => op.element().to_string(),
            };
            out += &format!("      <{open}>\n");
            for a in &gate.args {
                out += &format!("        {}\n", arg(a, &mut used));
            }
            out += &format!("      </{}>\n", gate.op.element());
        }
        out += "    </define-gate>\n";
    }
    out += "  </define-fault-tree>\n  <model-data>\n";
    for (e, event) in tree.events.iter().enumerate() {
        if used[e] {
            out += &format!(
                "    <define-basic-event name=\"{}\">\n      <float value=\"{:e}\"/>\n    </define-basic-event>\n",
                event_ids[e], event.probability
            );
        }
    }
    out += "  </model-data>\n</opsa-mef>\n";
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::topology::{DEFAULT_BUDGET, parse, solve, solve_tree};

    #[test]
    fn positions_are_roxmltrees_line_and_column() {
        let text = "<?xml version=\"1.0\"?>\n<opsa-mef>\r\n  <label>é ü</label> <define-fault-tree name=\"t\">\n\t<define-gate name=\"g\"><or><basic-event name=\"a\"/>\n<basic-event name=\"b\"/></or></define-gate>\n</define-fault-tree></opsa-mef>\n";
        let doc = Document::parse(text).unwrap();
        let r = Reader::new(&doc, text);
        for n in doc.descendants().filter(XmlNode::is_element) {
            let p = doc.text_pos_at(n.range().start);
            assert_eq!(r.at(n), (p.row as usize, p.col as usize), "{n:?}");
        }
    }

    fn codes(text: &str) -> Vec<(&'static str, Option<usize>)> {
        match read(text, "t.xml") {
            Err(Error::Invalid(d)) => d.items.iter().map(|i| (i.code.as_str(), i.line)).collect(),
            other => panic!("expected diagnostics, got {other:?}"),
        }
    }

    const SMALL: &str = r#"<?xml version="1.0"?>
<opsa-mef>
  <define-fault-tree name="small">
    <define-gate name="top">
      <or>
        <gate name="pair"/>
        <basic-event name="c"/>
        <house-event name="h"/>
      </or>
    </define-gate>
    <define-gate name="pair">
      <and>
        <basic-event name="a"/>
        <not><basic-event name="b"/></not>
      </and>
    </define-gate>
    <define-house-event name="h"><constant value="false"/></define-house-event>
  </define-fault-tree>
  <model-data>
    <define-basic-event name="a"><float value="0.1"/></define-basic-event>
    <define-basic-event name="b"><float value="0.2"/></define-basic-event>
    <define-basic-event name="c"><float value="0.01"/></define-basic-event>
  </model-data>
</opsa-mef>
"#;

    #[test]
    fn reads_gates_events_negation_and_house_events() {
        let t = read(SMALL, "t.xml").unwrap();
        assert_eq!(t.name, "small");
        assert_eq!(t.events.len(), 3);
        assert!(!t.is_coherent());
        let s = solve_tree(&t, DEFAULT_BUDGET).unwrap();
        let pair = 0.1 * 0.8;
        let expected = 1.0 - (1.0 - pair) * 0.99;
        assert!((s.unavailability - expected).abs() < 1e-15, "{s:?}");
        assert!(!s.coherent);
        let b = s.importance.iter().find(|i| i.name == "b").unwrap();
        assert!(b.birnbaum < 0.0, "b's failure repairs the pair: {b:?}");
    }

    #[test]
    fn complements_of_decimal_probabilities_are_rounded_once() {
        assert_eq!(complement("0.01"), Some(0.99));
        assert_eq!(complement("0.0001"), Some(0.9999));
        assert_eq!(complement("0.75"), Some(0.25));
    }

    #[test]
    fn refuses_what_it_does_not_read_with_the_line() {
        let text = "<opsa-mef>\n<define-fault-tree name=\"x\">\n<define-gate name=\"top\">\n<or>\n<basic-event name=\"a\"/>\n<cardinality min=\"1\" max=\"2\"><basic-event name=\"a\"/></cardinality>\n</or>\n</define-gate>\n<define-parameter name=\"lambda\"><float value=\"1\"/></define-parameter>\n</define-fault-tree>\n<define-CCF-group name=\"ccf\"/>\n<model-data><define-basic-event name=\"a\"><exponential/></define-basic-event></model-data>\n</opsa-mef>\n";
        assert_eq!(
            codes(text),
            [
                ("mef-unsupported", Some(6)),
                ("mef-unsupported", Some(9)),
                ("mef-unsupported", Some(11)),
                ("mef-unsupported", Some(12)),
            ]
        );
        let Err(Error::Invalid(d)) = read(text, "t.xml") else {
            panic!()
        };
        assert!(
            d.items[0].message.contains("<cardinality>"),
            "{}",
            d.items[0].message
        );
    }

    #[test]
    fn undefined_names_cycles_and_several_tops_are_errors() {
        let undefined = "<opsa-mef><define-fault-tree name=\"x\">\n<define-gate name=\"top\"><or><basic-event name=\"a\"/><gate name=\"g\"/></or></define-gate>\n</define-fault-tree></opsa-mef>";
        assert_eq!(
            codes(undefined),
            [("mef-undefined", Some(2)), ("mef-undefined", Some(2))]
        );
        let cycle = "<opsa-mef><define-fault-tree name=\"x\">\n<define-gate name=\"top\"><or><gate name=\"g\"/><gate name=\"h\"/></or></define-gate>\n<define-gate name=\"g\"><or><gate name=\"h\"/></or></define-gate>\n<define-gate name=\"h\"><or><gate name=\"g\"/></or></define-gate>\n</define-fault-tree></opsa-mef>";
        assert!(codes(cycle).iter().any(|c| c.0 == "mef-cycle"));
        let tops = "<opsa-mef><define-fault-tree name=\"x\">\n<define-gate name=\"t1\"><or><basic-event name=\"a\"/></or></define-gate>\n<define-gate name=\"t2\"><or><basic-event name=\"a\"/></or></define-gate>\n<define-basic-event name=\"a\"><float value=\"0.1\"/></define-basic-event>\n</define-fault-tree></opsa-mef>";
        assert_eq!(codes(tops), [("mef-several-tops", Some(3))]);
        assert_eq!(codes("<opsa-mef><oops></opsa-mef>")[0].0, "bad-xml");
    }

    #[test]
    fn a_written_topology_reads_back_with_the_same_answer() {
        let text = include_str!("../../../examples/topologies/shared.yaml");
        let t = parse(text, "shared.yaml").unwrap();
        let tree = FaultTree::from_topology(&t, "shared");
        let xml = write(&tree, "shared.yaml");
        let back = read(&xml, "shared.xml").unwrap();
        let a = solve(&t).unwrap();
        let b = solve_tree(&back, DEFAULT_BUDGET).unwrap();
        assert!(((a.unavailability - b.unavailability) / a.unavailability).abs() < 1e-14);
        assert!(back.to_topology().is_some());
    }
}
