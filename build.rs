//! Lists every embedded rule and model file, and parses each once, at build time, so that no
//! command pays for YAML parsing at start-up: every `rules/*.yaml` and `models/*.yaml` is
//! converted to JSON in `OUT_DIR`, and `$OUT_DIR/compiled.rs` defines the `RULES` and
//! `MODELS` tables of `src/embedded.rs` (path, YAML text, JSON text). The YAML stays the
//! source of truth: a file that does not convert cleanly gets no JSON, and the program reads
//! its YAML as it does a user's (with its diagnostics); `rules check` always reads the YAML. A
//! test checks that the two readings build the same catalog and rules.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut table = String::new();
    for folder in ["rules", "models"] {
        writeln!(
            table,
            "/// The files of `{folder}/`, sorted by name.\npub static {}: &[File] = &[",
            folder.to_uppercase()
        )
        .expect("writing to a String");
        println!("cargo::rerun-if-changed={folder}");
        let mut names: Vec<_> = std::fs::read_dir(folder)
            .unwrap_or_else(|e| panic!("reading {folder}/: {e}"))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect();
        names.sort();
        for path in names {
            println!("cargo::rerun-if-changed={}", path.display());
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let source =
                std::fs::canonicalize(&path).unwrap_or_else(|e| panic!("resolving {path:?}: {e}"));
            let compiled = match convert(&path) {
                Some(json) => {
                    let target = Path::new(&out).join(format!("{folder}-{name}.json"));
                    std::fs::write(&target, json)
                        .unwrap_or_else(|e| panic!("writing {target:?}: {e}"));
                    format!("Some(include_str!({:?}))", target.display().to_string())
                }
                None => "None".to_string(),
            };
            writeln!(
                table,
                "    File {{ name: {name:?}, text: include_str!({:?}), compiled: {compiled} }},",
                source.display().to_string()
            )
            .expect("writing to a String");
        }
        table.push_str("];\n");
    }
    // The ids rule files may name (the catalog's vocabulary), so the rules can be built
    // and checked while the catalog itself is still being read at run time. Taken from the
    // same files; a test checks them against the loaded catalog.
    for (file, key, name) in [
        ("patterns", "patterns", "PATTERN_IDS"),
        ("packs", "packs", "PACK_IDS"),
        ("databases", "databases", "DATABASE_IDS"),
    ] {
        let ids = ids(&Path::new("models").join(format!("{file}.yaml")), key);
        writeln!(
            table,
            "/// The `id` of every entry of `models/{file}.yaml`'s `{key}`, in file order.\npub static {name}: &[&str] = &{ids:?};"
        )
        .expect("writing to a String");
    }
    let target = Path::new(&out).join("compiled.rs");
    std::fs::write(&target, table).unwrap_or_else(|e| panic!("writing {target:?}: {e}"));
}

/// The file as JSON, or `None` when it does not parse or has something JSON cannot say
/// (non-finite numbers, tags, keys that are not text): the YAML is then read at run time.
fn convert(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
    plain(&value).then(|| serde_json::to_string(&value).ok())?
}

/// The `id` of every entry of the list under `key` (none if the file does not parse: the
/// catalog then refuses to load, with its diagnostics).
fn ids(path: &Path, key: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let value: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_default();
    value
        .get(key)
        .and_then(|v| v.as_sequence())
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.get("id").and_then(|id| id.as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// True when JSON holds `value` without loss.
fn plain(value: &serde_yaml::Value) -> bool {
    use serde_yaml::Value;
    match value {
        Value::Null | Value::Bool(_) | Value::String(_) => true,
        Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
        Value::Sequence(items) => items.iter().all(plain),
        Value::Mapping(map) => map
            .iter()
            .all(|(k, v)| matches!(k, Value::String(_)) && plain(v)),
        Value::Tagged(_) => false,
    }
}
