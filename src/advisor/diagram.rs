//! Trees and decision paths as diagrams: mermaid flowcharts (rendered by GitHub and
//! mermaid-cli) and Graphviz dot.

use super::rules::{Branch, Node, Rules};
use petgraph::graph::NodeIndex;
use petgraph::visit::Dfs;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Mermaid node id for a graph node: `q_users`, `o_scale_foundation`.
fn node_id(rules: &Rules, n: NodeIndex) -> String {
    let raw = match &rules.graph[n] {
        Node::Question(q) => format!("q_{}", q.id),
        Node::Outcome(o) => format!("o_{}_{}", o.tree, o.id),
    };
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Escapes a label for a quoted mermaid string.
pub fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;").replace('\n', " ")
}

fn reachable(rules: &Rules, start: NodeIndex) -> Vec<NodeIndex> {
    let mut dfs = Dfs::new(&rules.graph, start);
    let mut nodes = Vec::new();
    while let Some(n) = dfs.next(&rules.graph) {
        nodes.push(n);
    }
    nodes.sort();
    nodes
}

fn branch_label(b: &Branch) -> String {
    match b {
        Branch::Choice(v) => v.clone(),
        Branch::Range { text, .. } => text.clone(),
    }
}

/// A tree as a mermaid `flowchart TD`: questions as diamonds, outcomes as boxes listing
/// their patterns, edges labelled with the answer. Questions of other trees that this tree
/// leads into are drawn too.
pub fn mermaid(rules: &Rules, tree: &str) -> Option<String> {
    let t = rules.tree(tree)?;
    let mut out = String::from("flowchart TD\n");
    let nodes = reachable(rules, t.start);
    for &n in &nodes {
        let id = node_id(rules, n);
        let _ = match &rules.graph[n] {
            Node::Question(q) => writeln!(out, "    {id}{{\"{}\"}}", mermaid_text(&q.ask)),
            Node::Outcome(o) => {
                let mut label = o.title.clone();
                if !o.patterns.is_empty() {
                    label.push_str(&format!(": {}", o.patterns.join(", ")));
                }
                writeln!(out, "    {id}[\"{}\"]", mermaid_text(&label))
            }
        };
    }
    let set: BTreeSet<NodeIndex> = nodes.iter().copied().collect();
    for &n in &nodes {
        for (_, e, to) in rules.branches(n) {
            if !set.contains(&to) {
                continue;
            }
            let mut label = branch_label(&e.branch);
            if !e.patterns.is_empty() {
                label.push_str(&format!(" + {}", e.patterns.join(", ")));
            }
            let _ = writeln!(
                out,
                "    {} -->|\"{}\"| {}",
                node_id(rules, n),
                mermaid_text(&label),
                node_id(rules, to)
            );
        }
    }
    Some(out)
}

/// A tree as Graphviz dot.
pub fn dot(rules: &Rules, tree: &str) -> Option<String> {
    let t = rules.tree(tree)?;
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = format!("digraph \"{}\" {{\n    rankdir=TB;\n", esc(&t.id));
    let nodes = reachable(rules, t.start);
    for &n in &nodes {
        let id = node_id(rules, n);
        let _ = match &rules.graph[n] {
            Node::Question(q) => {
                writeln!(out, "    {id} [shape=diamond, label=\"{}\"];", esc(&q.ask))
            }
            Node::Outcome(o) => {
                let label = if o.patterns.is_empty() {
                    o.title.clone()
                } else {
                    format!("{}\\n{}", esc(&o.title), o.patterns.join(", "))
                };
                writeln!(out, "    {id} [shape=box, label=\"{label}\"];")
            }
        };
    }
    let set: BTreeSet<NodeIndex> = nodes.iter().copied().collect();
    for &n in &nodes {
        for (_, e, to) in rules.branches(n) {
            if set.contains(&to) {
                let _ = writeln!(
                    out,
                    "    {} -> {} [label=\"{}\"];",
                    node_id(rules, n),
                    node_id(rules, to),
                    esc(&branch_label(&e.branch))
                );
            }
        }
    }
    out.push_str("}\n");
    Some(out)
}
