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

/// How many nodes a tree reaches from `start` (questions of other trees it leads into
/// included).
pub fn node_count(rules: &Rules, start: NodeIndex) -> usize {
    reachable(rules, start).len()
}

/// Past this many nodes a tree's path diagram shows only the path taken and the alternatives
/// of each question on it: a reader can still follow it.
pub const MAX_PATH_NODES: usize = 40;

/// A tree as a mermaid `flowchart TD` with the path a design took highlighted: the questions
/// answered (`path`: question id and answer, in order) and the `outcome` reached are drawn
/// in the `taken` class and the edges between them thickened. Trees larger than
/// [`MAX_PATH_NODES`] show the taken branch and its siblings only.
pub fn mermaid_path(
    rules: &Rules,
    tree: &str,
    path: &[(&str, &str)],
    outcome: &str,
) -> Option<String> {
    let t = rules.tree(tree)?;
    let all = reachable(rules, t.start);
    let target = all.iter().copied().find(
        |&n| matches!(&rules.graph[n], Node::Outcome(o) if o.tree == tree && o.id == outcome),
    );
    // The nodes on the path, in order, ending with the outcome.
    // A question asked for a retired one the tree branches on is drawn as that node, with
    // the answer in its values.
    let path: Vec<(String, String)> = path
        .iter()
        .map(|(q, a)| match rules.in_tree(tree, q, a) {
            Some((node, a)) => (node.id.clone(), a),
            None => (q.to_string(), a.to_string()),
        })
        .collect();
    let mut on_path: Vec<NodeIndex> = path
        .iter()
        .filter_map(|(q, _)| rules.question_node(q))
        .filter(|n| all.contains(n))
        .collect();
    on_path.extend(target);
    let taken: BTreeSet<NodeIndex> = on_path.iter().copied().collect();
    // The taken edge out of each path question: the one whose answer matches and that leads
    // to the next node on the path (a numeric answer matches by destination alone).
    let mut taken_edges = BTreeSet::new();
    for (i, pair) in on_path.windows(2).enumerate() {
        let answer = path.get(i).map_or("", |p| p.1.as_str());
        let branches = rules.branches(pair[0]);
        let hit = branches
            .iter()
            .find(|(_, e, to)| *to == pair[1] && branch_label(&e.branch) == answer)
            .or_else(|| branches.iter().find(|(_, _, to)| *to == pair[1]));
        if let Some((e, _, _)) = hit {
            taken_edges.insert(*e);
        }
    }
    let nodes: Vec<NodeIndex> = if all.len() <= MAX_PATH_NODES {
        all
    } else {
        let mut keep: BTreeSet<NodeIndex> = taken.clone();
        for &n in &on_path {
            keep.extend(rules.branches(n).into_iter().map(|(_, _, to)| to));
        }
        keep.into_iter().collect()
    };
    let set: BTreeSet<NodeIndex> = nodes.iter().copied().collect();
    let mut out = String::from("flowchart TD\n");
    for &n in &nodes {
        let id = node_id(rules, n);
        let _ = match &rules.graph[n] {
            Node::Question(q) => writeln!(out, "    {id}{{\"{}\"}}", mermaid_text(&q.ask)),
            Node::Outcome(o) => writeln!(out, "    {id}[\"{}\"]", mermaid_text(&o.title)),
        };
    }
    let mut index = 0usize;
    let mut thick = Vec::new();
    for &n in &nodes {
        for (e, edge, to) in rules.branches(n) {
            if !set.contains(&to) {
                continue;
            }
            let _ = writeln!(
                out,
                "    {} -->|\"{}\"| {}",
                node_id(rules, n),
                mermaid_text(&branch_label(&edge.branch)),
                node_id(rules, to)
            );
            if taken_edges.contains(&e) {
                thick.push(index.to_string());
            }
            index += 1;
        }
    }
    out.push_str("    classDef taken fill:#d8f0dc,stroke:#2f7a3d,stroke-width:3px\n");
    let ids: Vec<String> = nodes
        .iter()
        .filter(|n| taken.contains(n))
        .map(|&n| node_id(rules, n))
        .collect();
    if !ids.is_empty() {
        let _ = writeln!(out, "    class {} taken", ids.join(","));
    }
    if !thick.is_empty() {
        let _ = writeln!(
            out,
            "    linkStyle {} stroke:#2f7a3d,stroke-width:3px",
            thick.join(",")
        );
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
