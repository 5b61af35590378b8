//! Two optional sections of the design file that are about its artifacts rather than the
//! design itself:
//!
//! * `rendered:` is written by `tradeoff render`: where it put each artifact (relative to the
//!   design file) and the options that shaped the files, so `tradeoff check` can render the
//!   same files in memory without flags. Render rewrites only this section, leaving the rest
//!   of the file byte for byte.
//! * `check:` is written by people: how far a number in a generated file may drift from the
//!   design before `tradeoff check` calls it drift.
//!
//! Both are optional, so design files written before them still load. A design file that has
//! them is refused by older builds (they reject unknown keys), which is the safe direction: an
//! older `check` could not honour a stated tolerance.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where `render` last wrote each artifact, and how.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rendered {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<Output>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adr: Option<Records>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaffold: Option<Scaffold>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerts: Option<Alerts>,
}

/// A folder or file written by `render`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    /// Relative to the design file's folder (absolute when render was given an absolute path
    /// on another root).
    pub path: String,
    /// The design file as render named it: generated files quote it, so the same name gives
    /// the same bytes.
    pub source: String,
    /// The docs link each decision to its record: they were rendered together with `--adr`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub links_records: bool,
}

/// `--adr DIR` and the record options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Records {
    pub path: String,
    pub source: String,
    /// `madr`, `nygard` or `log4brains`.
    pub flavour: String,
    /// `proposed` or `accepted`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deciders: Vec<String>,
}

/// `--scaffold DIR` and its options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scaffold {
    pub path: String,
    pub source: String,
    /// `--latency-target`, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_target_s: Option<f64>,
}

/// `--alerts FILE` and the flags that named the SLI; absent flags took the design's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alerts {
    pub path: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_selector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_target_s: Option<f64>,
}

/// What `tradeoff check` accepts as agreeing with the design.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// How far a number may be from the design's, as a percentage of the design's value
    /// (`20%`), by key id (`replicas`, `retry.max_attempts`; `tradeoff check` lists them) or
    /// `default` for every key without its own.
    #[serde(default, deserialize_with = "crate::yaml::unique_map")]
    pub tolerance: BTreeMap<String, String>,
}

impl Rendered {
    /// This record with `newer`'s artifacts put over it: an artifact a render did not write
    /// keeps what an earlier render recorded.
    pub fn merged(&self, newer: &Rendered) -> Rendered {
        Rendered {
            docs: newer.docs.clone().or_else(|| self.docs.clone()),
            adr: newer.adr.clone().or_else(|| self.adr.clone()),
            scaffold: newer.scaffold.clone().or_else(|| self.scaffold.clone()),
            alerts: newer.alerts.clone().or_else(|| self.alerts.clone()),
        }
    }

    /// The design file's `text` with its `rendered:` section replaced by this one (or added at
    /// the end). Everything else, comments included, is kept byte for byte.
    pub fn write_into(&self, text: &str) -> String {
        #[derive(Serialize)]
        struct Section<'a> {
            rendered: &'a Rendered,
        }
        let section = crate::yaml::to_string(&Section { rendered: self });
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        match crate::yaml::section(text, "rendered") {
            Some((start, end)) => {
                // Comment lines just before the next key belong to it, not to this section.
                let mut end = end;
                while end > start + 1 && lines[end - 1].trim_start().starts_with('#') {
                    end -= 1;
                }
                format!(
                    "{}{section}{}",
                    lines[..start].concat(),
                    lines[end..].concat()
                )
            }
            None if text.is_empty() || text.ends_with('\n') => format!("{text}{section}"),
            None => format!("{text}\n{section}"),
        }
    }
}

/// `path` relative to the folder `base`, lexically, after making both absolute against the
/// working folder: `out/docs` from `out` is `docs`; a path outside `base` climbs with `..`.
pub fn relative_to(base: &std::path::Path, path: &std::path::Path) -> String {
    use std::path::Component;
    let absolute = |p: &std::path::Path| {
        let p = if p.as_os_str().is_empty() {
            std::path::Path::new(".")
        } else {
            p
        };
        std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
    };
    let parts = |p: &std::path::Path| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in absolute(p).components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                other => out.push(other.as_os_str().to_string_lossy().to_string()),
            }
        }
        out
    };
    let (b, p) = (parts(base), parts(path));
    let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return absolute(path).display().to_string();
    }
    let mut out: Vec<String> = vec!["..".to_string(); b.len() - common];
    out.extend(p[common..].iter().cloned());
    if out.is_empty() {
        ".".into()
    } else {
        out.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn docs(path: &str) -> Rendered {
        Rendered {
            docs: Some(Output {
                path: path.into(),
                source: "design.yaml".into(),
                links_records: false,
            }),
            ..Rendered::default()
        }
    }

    #[test]
    fn the_section_is_added_then_replaced_and_the_rest_of_the_file_kept() {
        let text = "# my notes\nschema: 1\nanswers: {}\n# about check\ncheck:\n  tolerance: {}\n";
        let once = docs("docs").write_into(text);
        assert!(once.starts_with(text), "{once}");
        assert!(once.ends_with("rendered:\n  docs:\n    path: docs\n    source: design.yaml\n"));
        let twice = docs("out/docs").write_into(&once);
        assert_eq!(twice, docs("out/docs").write_into(text));
        // A section in the middle keeps the comment of the key after it.
        let middle = "schema: 1\nrendered:\n  docs:\n    path: a\n    source: design.yaml\n# about check\ncheck:\n  tolerance: {}\n";
        let replaced = docs("b").write_into(middle);
        assert_eq!(replaced, middle.replace("path: a", "path: b"));
        assert!(
            docs("a")
                .write_into("schema: 1")
                .starts_with("schema: 1\nrendered:")
        );
    }

    #[test]
    fn a_later_render_keeps_the_artifacts_it_did_not_write() {
        let mut first = docs("docs");
        first.alerts = Some(Alerts {
            path: "slo.yaml".into(),
            source: "design.yaml".into(),
            service: None,
            metric: None,
            error_selector: None,
            selector: None,
            latency_target_s: None,
        });
        let merged = first.merged(&docs("site"));
        assert_eq!(merged.docs.unwrap().path, "site");
        assert_eq!(merged.alerts.unwrap().path, "slo.yaml");
    }

    #[test]
    fn paths_are_relative_to_the_design_folder() {
        assert_eq!(relative_to(Path::new(""), Path::new("docs")), "docs");
        assert_eq!(relative_to(Path::new("out"), Path::new("out/docs")), "docs");
        assert_eq!(
            relative_to(Path::new("out"), Path::new("./out/./a/../b")),
            "b"
        );
        assert_eq!(
            relative_to(Path::new("out/x"), Path::new("svc")),
            "../../svc"
        );
        assert_eq!(relative_to(Path::new("out"), Path::new("out")), ".");
    }
}
