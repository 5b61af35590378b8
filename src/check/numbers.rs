//! The design's numbers in a generated file, compared structurally: both the file a render
//! would write and the file on disk are read as YAML, and the values at each declared key
//! path ([`super::keys`]) are compared, whatever else was edited around them.
//!
//! A differing value is drift unless its line carries `# tradeoff: keep` or it is within the
//! tolerance the design file states for that key (`check.tolerance`); either way it is
//! reported, as a note.

use super::finding::{Finding, Kind};
use super::keys::{Key, Step, Unit};
use crate::design::Design;
use crate::yaml::{self, Value};
use std::collections::BTreeMap;

/// The comment that keeps a hand-set value.
pub const KEEP: &str = "# tradeoff: keep";

/// The tolerances of a design, by key id, as fractions; `default` applies to the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tolerance(pub BTreeMap<String, f64>);

impl Tolerance {
    /// The design file's `check.tolerance`, validated against the known key ids.
    pub fn of(design: &Design, path: &str) -> Result<Tolerance, String> {
        let mut out = BTreeMap::new();
        let Some(check) = &design.check else {
            return Ok(Tolerance(out));
        };
        let ids = super::keys::ids();
        for (id, text) in &check.tolerance {
            if id != "default" && !ids.contains(id) {
                let hint = crate::suggest::did_you_mean(id, ids.iter().map(String::as_str))
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                return Err(format!(
                    "{path}: check.tolerance.{id}: unknown key{hint}; accepted: default, {}",
                    ids.join(", ")
                ));
            }
            let fraction = crate::units::parse_percent(text)
                .map_err(|e| format!("{path}: check.tolerance.{id}: {e}"))?;
            out.insert(id.clone(), fraction);
        }
        Ok(Tolerance(out))
    }

    fn of_key(&self, id: &str) -> f64 {
        self.0
            .get(id)
            .or_else(|| self.0.get("default"))
            .copied()
            .unwrap_or(0.0)
    }
}

/// Compares the `keys` of one file: `expected` is what a render writes, `actual` the file's
/// text, shown as `file`.
pub fn compare(
    file: &str,
    expected: &str,
    actual: &str,
    keys: &[Key],
    design: &Design,
    tolerance: &Tolerance,
) -> Vec<Finding> {
    let Ok(want) = yaml::documents(expected, file) else {
        // A template that renders invalid YAML has nothing to compare against.
        return Vec::new();
    };
    let have = match yaml::documents(actual, file) {
        Ok(d) => d,
        Err(e) => {
            let mut f = Finding::file(
                Kind::UnreadableFile,
                file,
                format!(
                    "no longer reads as YAML ({}), so the design's numbers in it cannot be compared",
                    e.message
                ),
            );
            f.line = e.line;
            return vec![f];
        }
    };
    let mut out = Vec::new();
    for key in keys {
        let steps = key.steps();
        for (w, h) in want
            .iter()
            .zip(have.iter().map(Some).chain(std::iter::repeat(None)))
        {
            let mut pairs = Vec::new();
            pair(w, h, &steps, String::new(), &mut pairs);
            for p in pairs {
                if let Some(f) = judge(file, actual, &have, key, &p, design, tolerance) {
                    out.push(f);
                }
            }
        }
    }
    out.sort_by_key(|f| f.line);
    out
}

/// Whether the file `text` has a value at `key`'s path (a test that the key list still fits
/// the templates).
pub fn present(text: &str, key: &Key) -> bool {
    let Ok(docs) = yaml::documents(text, "") else {
        return false;
    };
    let steps = key.steps();
    docs.iter().any(|d| {
        let mut pairs = Vec::new();
        pair(d, None, &steps, String::new(), &mut pairs);
        !pairs.is_empty()
    })
}

/// An expected value and the file's value at the same place.
struct Pair<'a> {
    /// The path with the list elements named: `groups[name=x].rules[record=y].expr`.
    trail: String,
    want: &'a Value,
    have: Option<&'a Value>,
}

/// Follows `steps` through both documents, pairing each expected leaf with the file's value.
fn pair<'a>(
    want: &'a Value,
    have: Option<&'a Value>,
    steps: &[Step],
    trail: String,
    out: &mut Vec<Pair<'a>>,
) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(Pair { trail, want, have });
        return;
    };
    let Some(w) = want.get(&step.key) else {
        return; // the design does not have this key: nothing to compare
    };
    let h = have.and_then(|h| h.get(&step.key));
    let trail = if trail.is_empty() {
        step.key.clone()
    } else {
        format!("{trail}.{}", step.key)
    };
    if step.by.is_empty() {
        pair(w, h, rest, trail, out);
        return;
    }
    let Some(items) = w.as_sequence() else {
        return;
    };
    let others = h.and_then(Value::as_sequence);
    for (i, item) in items.iter().enumerate() {
        let id: Vec<Option<&Value>> = step.by.iter().map(|f| field(item, f)).collect();
        // Only the elements that have every identifying field are this path's (recording
        // rules have `record`, burn-rate alerts `alert` and `labels.long_window`).
        if id.iter().any(Option::is_none) {
            continue;
        }
        let name = step
            .by
            .iter()
            .zip(&id)
            .map(|(f, v)| format!("{}={}", f.join("."), v.map_or(String::new(), scalar)))
            .collect::<Vec<_>>()
            .join(",");
        // The element with the same identity; failing that (its identity was edited), the one
        // at the same position if it still has the same first field (same alert, same group).
        let found = others.and_then(|o| {
            o.iter()
                .find(|x| step.by.iter().zip(&id).all(|(f, v)| field(x, f) == *v))
                .or_else(|| o.get(i).filter(|x| field(x, &step.by[0]) == id[0]))
        });
        pair(item, found, rest, format!("{trail}[{name}]"), out);
    }
}

fn field<'a>(v: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

/// A scalar as written.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        other => yaml::to_string(other).trim().to_string(),
    }
}

/// One line for a message: an expression's whitespace collapsed.
fn one_line(v: &Value) -> String {
    scalar(v).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How a value differs from the design's.
enum Verdict {
    Same,
    /// Differs, by this fraction of the design's value when both are numbers (or infinitely).
    Differs {
        by: f64,
        want: String,
        have: String,
        /// Text to look for to find the line (a number inside an expression).
        token: Option<String>,
    },
}

fn number(v: &Value, unit: Unit) -> Option<f64> {
    match (v, unit) {
        (Value::Number(n), _) => n.as_f64(),
        (Value::String(s), Unit::Duration) => crate::units::parse_duration(s).ok(),
        (Value::String(s), Unit::Number) => s.trim().parse().ok(),
        _ => None,
    }
}

fn relative(want: f64, have: f64) -> f64 {
    if want == have {
        0.0
    } else if want == 0.0 {
        f64::INFINITY
    } else {
        ((have - want) / want).abs()
    }
}

/// Tokens of a PromQL expression: numbers, and everything else as words and symbols.
fn tokens(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let word_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | ':' | '.');
    for c in expr.chars() {
        if word_char(c) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn verdict(want: &Value, have: &Value, unit: Unit) -> Verdict {
    let differs = |by, want: String, have: String| Verdict::Differs {
        by,
        want,
        have,
        token: None,
    };
    match unit {
        Unit::Number | Unit::Duration => match (number(want, unit), number(have, unit)) {
            (Some(w), Some(h)) if w == h => Verdict::Same,
            (Some(w), Some(h)) => differs(relative(w, h), scalar(want), scalar(have)),
            _ if want == have => Verdict::Same,
            _ => differs(f64::INFINITY, scalar(want), scalar(have)),
        },
        Unit::Text => {
            if want == have {
                Verdict::Same
            } else {
                differs(f64::INFINITY, scalar(want), scalar(have))
            }
        }
        Unit::Promql => {
            let (w, h) = (tokens(&scalar(want)), tokens(&scalar(have)));
            let num = |t: &str| t.parse::<f64>().ok().filter(|v| v.is_finite());
            let same_shape = w.len() == h.len()
                && w.iter()
                    .zip(&h)
                    .all(|(a, b)| a == b || (num(a).is_some() && num(b).is_some()));
            if !same_shape {
                return differs(f64::INFINITY, one_line(want), one_line(have));
            }
            // The largest difference among the expression's numbers.
            let worst = w
                .iter()
                .zip(&h)
                .filter_map(|(a, b)| Some((a, b, relative(num(a)?, num(b)?))))
                .filter(|(_, _, by)| *by > 0.0)
                .max_by(|x, y| x.2.total_cmp(&y.2));
            match worst {
                None => Verdict::Same,
                Some((a, b, by)) => Verdict::Differs {
                    by,
                    want: a.clone(),
                    have: b.clone(),
                    token: Some(b.clone()),
                },
            }
        }
    }
}

/// The finding for one pair, if any.
fn judge(
    file: &str,
    text: &str,
    docs: &[Value],
    key: &Key,
    p: &Pair,
    design: &Design,
    tolerance: &Tolerance,
) -> Option<Finding> {
    let source = Some(source(design, &key.from));
    let Some(have) = p.have else {
        return Some(Finding {
            key: Some(key.id.clone()),
            expected: Some(one_line(p.want)),
            source,
            ..Finding::file(
                Kind::MissingKey,
                file,
                format!(
                    "`{}` is gone; the design sets it to {}",
                    p.trail,
                    one_line(p.want)
                ),
            )
        });
    };
    let Verdict::Differs {
        by,
        want,
        have: got,
        token,
    } = verdict(p.want, have, key.unit)
    else {
        return None;
    };
    let key_line = yaml::value_line(text, docs, have);
    let lines: Vec<&str> = text.lines().collect();
    // A number inside a block expression sits on a later line than its key.
    let line = match (&token, key_line) {
        (Some(t), Some(k)) => lines
            .iter()
            .enumerate()
            .skip(k - 1)
            .take(1 + one_line(have).len())
            .find(|(_, l)| tokens(l).iter().any(|x| x == t))
            .map_or(Some(k), |(i, _)| Some(i + 1)),
        _ => key_line,
    };
    let kept_by_marker = [key_line, line]
        .into_iter()
        .flatten()
        .any(|l| lines.get(l - 1).is_some_and(|t| t.contains(KEEP)));
    let allowed = tolerance.of_key(&key.id);
    let (kind, why) = if kept_by_marker {
        (Kind::KeptNumber, format!("kept by `{KEEP}`"))
    } else if by.is_finite() && by <= allowed {
        (
            Kind::KeptNumber,
            format!(
                "within the design's tolerance of {} for {}",
                crate::units::format_percent(allowed),
                key.id
            ),
        )
    } else {
        (Kind::NumberDrift, "drift".to_string())
    };
    let message = if kind == Kind::NumberDrift {
        format!("`{}` is {got}; the design says {want}", p.trail)
    } else {
        format!("`{}` is {got}; the design says {want}: {why}", p.trail)
    };
    Some(Finding {
        kind,
        drift: kind.is_drift(),
        file: file.to_string(),
        line,
        key: Some(key.id.clone()),
        expected: Some(want),
        actual: Some(got),
        source,
        message,
    })
}

/// Where the design's value of a key comes from, in words: the setting's recorded source,
/// the estimate's summary or the answer.
fn source(design: &Design, from: &str) -> String {
    let (what, id) = from.split_once(' ').unwrap_or((from, ""));
    match what {
        "setting" => {
            let (section, key) = id.split_once('.').unwrap_or((id, ""));
            match design.settings.get(section).and_then(|s| s.get(key)) {
                Some(s) => s.source.clone(),
                None => format!("derived by the scaffold (setting {id})"),
            }
        }
        "estimate" => match design.estimates.get(id) {
            Some(e) => format!("estimate {id}: {}", e.summary.trim()),
            None => format!("estimate {id}"),
        },
        "answer" => match design.answers.get(id) {
            Some(a) => format!("answer {id} = {}", a.answer),
            None => format!("answer {id}"),
        },
        _ => from.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, path: &str, unit: Unit) -> Key {
        Key {
            id: id.into(),
            path: path.into(),
            unit,
            from: "setting service.replicas".into(),
        }
    }

    fn design() -> Design {
        crate::render::fixture::design("startup")
    }

    #[test]
    fn a_hand_scaled_replica_count_is_drift_with_its_line() {
        let want = "# marker\nspec:\n  replicas: 9\n  other: 1\n";
        let have = "# marker\nspec:\n  other: 2\n  replicas: 3\n";
        let f = compare(
            "d.yaml",
            want,
            have,
            &[key("replicas", "spec.replicas", Unit::Number)],
            &design(),
            &Tolerance::default(),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, Kind::NumberDrift);
        assert_eq!(f[0].line, Some(4));
        assert_eq!(f[0].expected.as_deref(), Some("9"));
        assert_eq!(f[0].actual.as_deref(), Some("3"));
    }

    #[test]
    fn keep_markers_and_tolerances_turn_drift_into_notes() {
        let keys = [key("replicas", "spec.replicas", Unit::Number)];
        let against = |have: &str, tol: &Tolerance| {
            compare(
                "d.yaml",
                "spec:\n  replicas: 10\n",
                have,
                &keys,
                &design(),
                tol,
            )
        };
        let kept = against(
            "spec:\n  replicas: 3 # tradeoff: keep\n",
            &Tolerance::default(),
        );
        assert_eq!(kept[0].kind, Kind::KeptNumber);
        let tol = Tolerance(BTreeMap::from([("replicas".to_string(), 0.2)]));
        let within = against("spec:\n  replicas: 12\n", &tol);
        assert_eq!(within[0].kind, Kind::KeptNumber);
        let beyond = against("spec:\n  replicas: 13\n", &tol);
        assert_eq!(beyond[0].kind, Kind::NumberDrift);
        let same = against("spec: { replicas: 10.0 }\n", &tol);
        assert!(same.is_empty(), "{same:?}");
    }

    #[test]
    fn an_edited_threshold_inside_an_expression_points_at_its_line() {
        let want = "groups:\n  - name: g\n    rules:\n      - alert: Burn\n        expr: |\n          a[1h] > 0.0144\n          and\n          b[5m] > 0.0144\n        labels:\n          long_window: 1h\n";
        let have = want.replacen("b[5m] > 0.0144", "b[5m] > 0.05", 1);
        let keys = [
            key(
                "burn",
                "groups[name].rules[alert,labels.long_window].expr",
                Unit::Promql,
            ),
            key(
                "long",
                "groups[name].rules[alert,labels.long_window].labels.long_window",
                Unit::Duration,
            ),
        ];
        let f = compare(
            "r.yaml",
            want,
            &have,
            &keys,
            &design(),
            &Tolerance::default(),
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].line, Some(8));
        assert_eq!(
            (f[0].expected.as_deref(), f[0].actual.as_deref()),
            (Some("0.0144"), Some("0.05"))
        );
        // A window edited in the label is found by position and compared as a duration.
        let have = want.replace("long_window: 1h", "long_window: 60m");
        assert!(
            compare(
                "r.yaml",
                want,
                &have,
                &keys,
                &design(),
                &Tolerance::default()
            )
            .is_empty()
        );
        let have = want.replace("long_window: 1h", "long_window: 2h");
        let f = compare(
            "r.yaml",
            want,
            &have,
            &keys,
            &design(),
            &Tolerance::default(),
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].line, Some(10));
        // A changed window inside the expression is drift of the whole expression.
        let have = want.replace("a[1h]", "a[2h]");
        let f = compare(
            "r.yaml",
            want,
            &have,
            &keys,
            &design(),
            &Tolerance::default(),
        );
        assert_eq!(f[0].kind, Kind::NumberDrift);
    }

    #[test]
    fn a_removed_key_and_a_broken_file_are_drift() {
        let keys = [key("replicas", "spec.replicas", Unit::Number)];
        let want = "spec:\n  replicas: 10\n";
        let f = compare(
            "d.yaml",
            want,
            "spec: {}\n",
            &keys,
            &design(),
            &Tolerance::default(),
        );
        assert_eq!(f[0].kind, Kind::MissingKey);
        let f = compare(
            "d.yaml",
            want,
            "spec: [\n",
            &keys,
            &design(),
            &Tolerance::default(),
        );
        assert_eq!(f[0].kind, Kind::UnreadableFile);
        // A key the design does not set is not compared.
        let f = compare(
            "d.yaml",
            "spec: {}\n",
            "spec:\n  replicas: 1\n",
            &keys,
            &design(),
            &Tolerance::default(),
        );
        assert!(f.is_empty());
    }
}
