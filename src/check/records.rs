//! Decision records against the design's decisions: an accepted (or hand-edited) record of a
//! decision the design no longer makes as recorded needs a superseding record; a decision
//! needs a record; a decision needs at most one accepted record. Records are tied to their
//! decision by the key comment render writes ([`crate::render::adr::record::KEY`]); records
//! written by hand without it are nobody's decision here.

use super::finding::{Finding, Kind};
use crate::design::Design;
use crate::render::adr::{Existing, Record, record};
use crate::render::write::{self, State};
use std::path::Path;

/// The findings about the records in `dir` (shown as `shown`), whose files are `existing`.
/// `planned` is the file render would write for each decision, by tree id.
pub fn check(
    design: &Design,
    dir: &Path,
    existing: &[Existing],
    planned: &std::collections::BTreeMap<String, String>,
) -> Vec<Finding> {
    let shown = |file: &str| dir.join(file).display().to_string();
    let records: Vec<(Record, &Existing)> = existing
        .iter()
        .filter(|e| record::is_record_file(&e.file))
        .map(|e| (record::parse(&e.file, &e.text), e))
        .collect();
    let live = |tree: &str| -> Vec<&(Record, &Existing)> {
        records
            .iter()
            .filter(|(r, _)| r.decision.as_deref() == Some(tree))
            .filter(|(r, _)| r.superseded_by.is_none() && r.status != "superseded")
            .collect()
    };
    let mut out = Vec::new();
    for d in &design.recommendation.decisions {
        let now = live(&d.tree);
        let title = format!("{}: {}", d.title, d.outcome_title);
        let accepted: Vec<_> = now.iter().filter(|(r, _)| r.status == "accepted").collect();
        if accepted.len() > 1 {
            let files: Vec<String> = accepted.iter().map(|(r, _)| r.file.clone()).collect();
            let mut f = Finding::file(
                Kind::DuplicateRecords,
                shown(&accepted[1].0.file),
                format!(
                    "{} accepted records for decision {}: {}; supersede all but one (`tradeoff adr supersede N \"{title}\"`)",
                    accepted.len(),
                    d.tree,
                    files.join(", ")
                ),
            );
            f.expected = Some("1".into());
            f.actual = Some(accepted.len().to_string());
            f.source = Some(format!("decision {}", d.tree));
            out.push(f);
        }
        let has_any = records
            .iter()
            .any(|(r, _)| r.decision.as_deref() == Some(d.tree.as_str()));
        if !has_any {
            let file = planned
                .get(&d.tree)
                .map_or_else(|| dir.display().to_string(), |f| shown(f));
            let mut f = Finding::file(
                Kind::DecisionWithoutRecord,
                file,
                format!(
                    "decision {} ({}) has no record; `tradeoff render --adr {}` writes it",
                    d.tree,
                    d.outcome_title,
                    dir.display()
                ),
            );
            f.expected = Some(d.outcome.clone());
            f.source = Some(format!("decision {}", d.tree));
            out.push(f);
        }
        // The newest live record speaks for the decision, as render reads it.
        if let Some((r, e)) = now
            .iter()
            .max_by_key(|(r, _)| r.number)
            .map(|x| (&x.0, x.1))
        {
            let kept = r.status == "accepted" || write::state(&e.text) != State::Pristine;
            let recorded = r.outcome.as_deref().unwrap_or("");
            if kept && !recorded.is_empty() && recorded != d.outcome {
                out.push(supersede(
                    r,
                    &shown(&r.file),
                    recorded,
                    &d.outcome,
                    &format!("decision {}", d.tree),
                    &format!(
                        "records outcome `{recorded}` of {}; the design now says `{}`",
                        d.tree, d.outcome
                    ),
                    &title,
                ));
            }
        }
    }
    // Accepted records of decisions the design no longer makes at all.
    for (r, _) in &records {
        let Some(tree) = r.decision.as_deref() else {
            continue;
        };
        let gone = !design
            .recommendation
            .decisions
            .iter()
            .any(|d| d.tree == tree);
        let live = r.superseded_by.is_none() && r.status == "accepted";
        if gone && live {
            out.push(supersede(
                r,
                &shown(&r.file),
                r.outcome.as_deref().unwrap_or(""),
                "(no decision)",
                &format!("decision {tree}"),
                &format!("records decision {tree}, which the design no longer makes"),
                &format!("{}: no longer applies", r.title),
            ));
        }
    }
    out
}

fn supersede(
    r: &Record,
    file: &str,
    recorded: &str,
    now: &str,
    source: &str,
    what: &str,
    title: &str,
) -> Finding {
    let n = r.number.map_or_else(|| "N".to_string(), |n| n.to_string());
    let mut f = Finding::file(
        Kind::NeedsSupersedingRecord,
        file,
        format!(
            "{} record {what}: needs a superseding record: `tradeoff adr supersede {n} \"{title}\"` (or re-render --adr, which writes one)",
            if r.status.is_empty() {
                "the"
            } else {
                r.status.as_str()
            }
        ),
    );
    f.expected = Some(now.to_string());
    f.actual = Some(recorded.to_string());
    f.source = Some(source.to_string());
    f
}
