//! The human form of `tradeoff advise`: the pattern table (fitted to 100 columns unless
//! `--wide`), the decisions with every defaulted answer marked, the decisions' notes, what the
//! resolution step dropped and flagged, and how many decisions rest on defaults.

use crate::advisor::recommendation::{Finding, PathStep, Recommendation};
use crate::advisor::walk::StepSource;
use crate::catalog::Catalog;
use crate::design::Estimate;
use comfy_table::{ColumnConstraint, ContentArrangement, Width};
use std::collections::BTreeMap;
use std::path::Path;

/// Width the table output fits in, unless `--wide`.
const WIDTH: u16 = 100;

/// Wraps `text` at [`WIDTH`] columns, the first line after `first`, the others indented by
/// `indent` spaces. Words are never broken.
fn wrap(first: &str, text: &str, indent: usize) -> String {
    let mut out = String::from(first);
    let mut col = first.chars().count();
    let pad = " ".repeat(indent);
    let mut line_has_word = !first.trim().is_empty() && !first.ends_with(' ');
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_has_word && col + 1 + len > usize::from(WIDTH) {
            out.push('\n');
            out.push_str(&pad);
            col = indent;
            line_has_word = false;
        }
        if line_has_word {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += len;
        line_has_word = true;
    }
    out.push('\n');
    out
}

/// A command line indented by two, continued with ` \\` past [`WIDTH`] so it still pastes
/// into a shell.
fn command(cmd: &str) -> String {
    let mut out = String::from(" ");
    let mut col = 1;
    for word in cmd.split(' ') {
        let len = word.chars().count();
        if col > 6 && col + 1 + len + 2 > usize::from(WIDTH) {
            out.push_str(" \\\n     ");
            col = 5;
        }
        out.push(' ');
        out.push_str(word);
        col += 1 + len;
    }
    out.push('\n');
    out
}

/// A reason laid out one answer per line: breaks after `;` and after a `,` that is followed by
/// another `question = value`, so prose commas stay put.
fn lines_of(because: &str) -> String {
    let mut out = String::new();
    for (i, part) in because.split("; ").enumerate() {
        if i > 0 {
            out.push_str(";\n");
        }
        for (j, piece) in part.split(", ").enumerate() {
            if j > 0 {
                let answer = piece.split_once(" = ").is_some_and(|(q, _)| {
                    !q.is_empty() && q.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                });
                out.push_str(if answer { ",\n" } else { ", " });
            }
            out.push_str(piece);
        }
    }
    out
}

fn step(p: &PathStep) -> String {
    let mark = match p.source {
        StepSource::Default => " (default)",
        StepSource::Derived => " (derived)",
        _ => "",
    };
    format!("{}={}{mark}", p.question, p.answer)
}

fn finding(kind: &str, f: &Finding) -> String {
    let mut s = wrap(
        &format!("{kind} [{}]:", f.id),
        &format!("{}. {}", f.name, f.why),
        2,
    );
    let mut triggers: Vec<String> = f.answers.iter().map(step).collect();
    triggers.extend(
        f.figures
            .iter()
            .map(|x| format!("{}={} ({})", x.id, x.display, x.formula)),
    );
    triggers.extend(f.patterns.iter().map(|p| format!("pattern {p}")));
    if !triggers.is_empty() {
        s.push_str(&wrap("  because:", &triggers.join(", "), 4));
    }
    if !f.revisit.is_empty() {
        s.push_str(&wrap("  revisit:", &f.revisit.join(", "), 4));
    }
    if !f.instead.is_empty() {
        s.push_str(&wrap("  instead:", &f.instead.join(", "), 4));
    }
    for w in &f.withheld {
        s.push_str(&wrap("  not offered:", w, 4));
    }
    s
}

pub fn human(
    r: &Recommendation,
    estimates: &BTreeMap<String, Estimate>,
    unused: &[String],
    out: Option<&Path>,
    wide: bool,
) -> String {
    let catalog = Catalog::get().ok();
    let pack_name = |id: &str| {
        catalog
            .and_then(|c| c.pack(id))
            .map_or(id.to_string(), |p| p.name.clone())
    };
    let fit = |t: &mut comfy_table::Table| {
        if wide {
            t.set_content_arrangement(ContentArrangement::Disabled);
        } else {
            t.set_width(WIDTH);
        }
    };
    let mut s = String::new();
    let packs: Vec<String> = r.packs.iter().map(|p| pack_name(p)).collect();
    s.push_str(&format!(
        "Packs: {}\n",
        if packs.is_empty() {
            "none".into()
        } else {
            packs.join(" + ")
        }
    ));
    let mut header = vec!["#", "pattern", "pack / when", "why"];
    if wide {
        header.extend(["latency", "cost", "complexity"]);
    }
    let mut t = super::super::table(header);
    fit(&mut t);
    // The first clause of a trade-off keeps the table readable; JSON carries the full text.
    let clause = |text: &str| text.split(';').next().unwrap_or(text).trim().to_string();
    for (i, p) in r.patterns.iter().enumerate() {
        let when = match (&p.pack, &p.checklist) {
            (Some(pack), Some(c)) => format!("{pack}, {c}"),
            (Some(pack), None) => pack.clone(),
            (None, Some(c)) => c.clone(),
            (None, None) => "-".into(),
        };
        let id = if p.flags.is_empty() {
            p.id.clone()
        } else {
            format!("{}\n(flagged)", p.id)
        };
        let mut row = vec![(i + 1).to_string(), id, when, lines_of(&p.because)];
        if wide {
            row.extend([
                clause(&p.tradeoffs.latency),
                clause(&p.tradeoffs.cost),
                p.tradeoffs.complexity.to_string(),
            ]);
        }
        t.add_row(row);
    }
    // Ids are never broken: the id column is as wide as the longest id.
    let longest = r
        .patterns
        .iter()
        .map(|p| p.id.chars().count())
        .max()
        .unwrap_or(7)
        .max(9);
    if let Some(c) = t.column_mut(1) {
        c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
            u16::try_from(longest + 2).unwrap_or(u16::MAX),
        )));
    }
    s.push_str(&format!("{t}\n"));

    let mut d = super::super::table(["tree", "decision", "path"]);
    fit(&mut d);
    let mut resting = 0;
    for dec in &r.decisions {
        if dec.path.iter().any(|p| p.source == StepSource::Default) {
            resting += 1;
        }
        let path: Vec<String> = dec.path.iter().map(step).collect();
        let title = match &dec.resolution {
            Some(res) if dec.replaced() => {
                format!(
                    "{}\n(resolved; the answers led to {})",
                    dec.outcome_title, res.walked_title
                )
            }
            Some(_) if dec.emptied() => format!("{}\n(its patterns dropped)", dec.outcome_title),
            _ => dec.outcome_title.clone(),
        };
        d.add_row([dec.tree.clone(), title, path.join(",\n")]);
    }
    s.push_str(&format!("Decisions:\n{d}\n"));
    let notes: Vec<_> = r
        .decisions
        .iter()
        .filter(|d| !d.emptied())
        .filter_map(|d| d.note.as_ref().map(|n| (d, n)))
        .collect();
    if !notes.is_empty() {
        s.push_str("Notes:\n");
        for (d, n) in notes {
            s.push_str(&wrap(&format!("  {} ({}):", d.tree, d.outcome_title), n, 4));
        }
    }
    if !r.database_candidates.is_empty() {
        let ids: Vec<&str> = r
            .database_candidates
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        let mut why: Vec<String> = Vec::new();
        for c in &r.database_candidates {
            let path: Vec<String> = c.path.iter().map(step).collect();
            let line = format!("{}: {}", c.outcome, path.join(", "));
            if !why.contains(&line) {
                why.push(line);
            }
        }
        s.push_str(&wrap(
            "Database candidates:",
            &format!("{} (from {})", ids.join(", "), why.join("; ")),
            2,
        ));
    }
    if !r.dropped_databases.is_empty() {
        s.push_str("Stores that cannot serve what stands:\n");
        for x in &r.dropped_databases {
            s.push_str(&wrap(&format!("  - {}:", x.id), &x.reason, 4));
        }
    }
    if !r.dropped.is_empty() {
        s.push_str("Dropped by the resolution step:\n");
        for x in &r.dropped {
            s.push_str(&wrap(
                &format!("  - {} [{}]:", x.id, x.constraint),
                &x.reason,
                4,
            ));
        }
    }
    for c in &r.contradictions {
        s.push_str(&finding("Contradiction", c));
    }
    for c in &r.limits {
        s.push_str(&finding("Limit", c));
    }
    for a in &r.antipatterns {
        s.push_str(&finding("Anti-pattern", a));
    }
    if let Some(st) = &r.stack {
        let text = format!(
            "{} (similarity {:.2} on the patterns beyond the packs). Shared: {}. {} adds: {}.",
            st.name,
            st.similarity,
            if st.shared.is_empty() {
                "none".into()
            } else {
                st.shared.join(", ")
            },
            st.name,
            if st.only_stack.is_empty() {
                "nothing".into()
            } else {
                st.only_stack.join(", ")
            },
        );
        s.push_str(&wrap("Closest reference stack:", &text, 2));
    }
    if !estimates.is_empty() {
        s.push_str("Estimates (tradeoff advise --out design.yaml keeps them):\n");
        let order = crate::advisor::rules::ESTIMATES;
        let mut ids: Vec<&String> = estimates.keys().collect();
        ids.sort_by_key(|id| order.iter().position(|o| o == id).unwrap_or(usize::MAX));
        for id in ids {
            let e = &estimates[id];
            s.push_str(&wrap(&format!("  {}:", e.title), &e.summary, 4));
        }
    }
    if !r.estimates.is_empty() {
        s.push_str("Worth running next:\n");
        for e in &r.estimates {
            s.push_str(&command(&e.command));
        }
    }
    if !unused.is_empty() {
        s.push_str(&wrap(
            "Answers not used by any walked tree:",
            &unused.join(", "),
            2,
        ));
    }
    if let Some(o) = out {
        s.push_str(&format!("Design written to {}\n", o.display()));
    }
    if r.defaults.is_empty() {
        s.push_str(&match r.decisions.len() {
            1 => "The decision rests on no default.\n".to_string(),
            n => format!("None of the {n} decisions rests on a default.\n"),
        });
    } else {
        s.push_str(&wrap(
            &format!(
                "{resting} of {} decisions rest on defaults:",
                r.decisions.len()
            ),
            &format!(
                "{} (answer them, or use --strict to refuse defaults).",
                r.defaults.join(", ")
            ),
            2,
        ));
    }
    s.push_str(&format!(
        "{} patterns from {} pack{}.",
        r.patterns.len(),
        r.packs.len(),
        if r.packs.len() == 1 { "" } else { "s" }
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_never_breaks_a_word_and_keeps_lines_within_the_width() {
        let long = "word ".repeat(60) + "write_latency_critical";
        let w = wrap("Label:", &long, 4);
        for line in w.lines() {
            assert!(line.chars().count() <= usize::from(WIDTH), "{line}");
        }
        assert!(w.contains("write_latency_critical"));
        let c = command(&format!("tradeoff retry {}", "--attempts 3 ".repeat(12)));
        for line in c.lines() {
            assert!(line.chars().count() <= usize::from(WIDTH), "{line}");
        }
        assert!(c.lines().count() > 1 && c.contains(" \\\n"));
    }
}
