//! The declared keys that carry the design's numbers in generated files (`keys.yaml`, beside
//! this module): data, so a template change needs a line of YAML here, not code.

use crate::render::job::Kind as Artifact;
use serde::Deserialize;

/// The embedded key list.
const KEYS: &str = include_str!("keys.yaml");

/// One file's keys.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileKeys {
    pub artifact: Artifact,
    /// The path inside the artifact's folder; none for the `alerts` file itself.
    #[serde(default)]
    pub file: Option<String>,
    pub keys: Vec<Key>,
}

/// A key and how to compare it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Key {
    pub id: String,
    pub path: String,
    #[serde(default)]
    pub unit: Unit,
    pub from: String,
}

/// How two values of a key compare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    #[default]
    Number,
    Duration,
    Promql,
    Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeysFile {
    files: Vec<FileKeys>,
}

/// One step of a key path: a map key, and for a list, the fields that tell its elements apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub key: String,
    /// Empty unless the value at `key` is a list.
    pub by: Vec<Vec<String>>,
}

impl Key {
    /// The path's steps: `a.b[x,y.z].c` is `a`, `b` (a list told apart by `x` and `y.z`), `c`.
    pub fn steps(&self) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut rest = self.path.as_str();
        while !rest.is_empty() {
            let end = rest
                .char_indices()
                .scan(0i32, |depth, (i, c)| {
                    match c {
                        '[' => *depth += 1,
                        ']' => *depth -= 1,
                        _ => {}
                    }
                    Some((i, c, *depth))
                })
                .find(|&(_, c, depth)| c == '.' && depth == 0)
                .map_or(rest.len(), |(i, _, _)| i);
            let part = &rest[..end];
            rest = rest.get(end + 1..).unwrap_or("");
            let (key, by) = match part.split_once('[') {
                Some((k, fields)) => (
                    k,
                    fields
                        .trim_end_matches(']')
                        .split(',')
                        .map(|f| f.trim().split('.').map(str::to_string).collect())
                        .collect(),
                ),
                None => (part, Vec::new()),
            };
            steps.push(Step {
                key: key.to_string(),
                by,
            });
        }
        steps
    }
}

/// The embedded key list. It is part of the build: a broken list is a bug the unit tests
/// catch, so an unreadable one gives no keys rather than a user-facing error.
pub fn all() -> Vec<FileKeys> {
    crate::yaml::from_str::<KeysFile>(KEYS, "src/check/keys.yaml")
        .map(|f| f.files)
        .unwrap_or_default()
}

/// Every key id, sorted and deduplicated: what `check.tolerance` accepts besides `default`.
pub fn ids() -> Vec<String> {
    let mut ids: Vec<String> = all()
        .into_iter()
        .flat_map(|f| f.keys.into_iter().map(|k| k.id))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_key_list_reads() {
        let files = crate::yaml::from_str::<KeysFile>(KEYS, "keys.yaml").unwrap();
        assert!(files.files.iter().any(|f| f.artifact == Artifact::Alerts));
        assert!(ids().contains(&"replicas".to_string()));
    }

    #[test]
    fn paths_split_into_steps_with_list_fields() {
        let k = Key {
            id: "x".into(),
            path: "spec.groups[name].rules[alert,labels.long_window].expr".into(),
            unit: Unit::Promql,
            from: String::new(),
        };
        let steps = k.steps();
        assert_eq!(steps.len(), 4);
        assert_eq!(steps[1].by, vec![vec!["name".to_string()]]);
        assert_eq!(
            steps[2].by,
            vec![
                vec!["alert".to_string()],
                vec!["labels".to_string(), "long_window".to_string()]
            ]
        );
        assert_eq!(steps[3].key, "expr");
    }
}
