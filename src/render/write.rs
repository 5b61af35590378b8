//! Safe file writing, the one place (with the CLI) that touches the file system.
//!
//! * Every write goes to a temporary file in the target folder, is synced, then renamed over
//!   the target: a reader, a crash or `kill -9` never leaves a half-written file.
//! * Generated files carry a marker line (`tradeoff:generated`) with a hash of the rest of
//!   the file. On the next render a file is replaced only when its marker is present and its
//!   hash still matches (nobody edited it). A file without the marker, or edited since, is
//!   left alone and reported as skipped, unless `force`.
//! * Markdown files carry the marker on their last line (ADR tools read the first line as
//!   the title); other files on their first line.

use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The word every marker contains.
pub const MARKER: &str = "tradeoff:generated";

/// Writes `bytes` to `path` atomically (temp file in the same folder, fsync, rename).
pub fn atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    atomic_with(path, bytes, |file, bytes| file.write_all(bytes))
}

/// [`atomic`] with the write itself supplied, so tests can inject a failing disk. On any
/// error the temporary file is removed and `path` keeps its previous content.
fn atomic_with(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut std::fs::File, &[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        // "File exists" from a folder that is a file says nothing useful: name the file.
        match dir.ancestors().find(|a| a.is_file()) {
            Some(file) => {
                std::io::Error::other(format!("{} is a file, not a folder", file.display()))
            }
            None => e,
        }
    })?;
    stale::remove_once(dir);
    let mut builder = tempfile::Builder::new();
    let prefix = stale::own_prefix();
    builder.prefix(&prefix).suffix(stale::SUFFIX);
    // tempfile creates 0600 files; a rule file or a README is for other users too. A new file
    // gets 0666 less the umask, like any file an editor creates; a replaced one keeps its mode.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    // Held until the rename, so another process never takes this file for a leftover.
    tmp.as_file().lock()?;
    if let Ok(existing) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(existing.permissions())?;
    }
    write(tmp.as_file_mut(), bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Leftovers of writers killed between creating their temporary file and renaming it
/// (`kill -9`, a power cut): hidden `.tradeoff-PID-*.tmp` files next to the targets.
mod stale {
    use std::collections::HashSet;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, OnceLock};
    use std::time::SystemTime;

    pub const PREFIX: &str = ".tradeoff-";
    pub const SUFFIX: &str = ".tmp";

    /// `.tradeoff-PID-`: the writing process names itself, so others can tell whether it
    /// is still alive.
    pub fn own_prefix() -> String {
        format!("{PREFIX}{}-", std::process::id())
    }

    /// When this process first wrote: files older than that are not its own.
    fn started() -> SystemTime {
        static START: OnceLock<SystemTime> = OnceLock::new();
        *START.get_or_init(SystemTime::now)
    }

    /// Whether the writer of `name` may still be running: its process exists, or we cannot
    /// tell (no /proc). A name without a process id is from a writer that did not lock.
    fn writer_alive(name: &str) -> bool {
        let Some(pid) = name[PREFIX.len()..]
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            return false;
        };
        !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
    }

    /// Removes the stale temporary files of `dir`, once per folder and process: those with
    /// our prefix and suffix, whose writing process is gone, last modified before this
    /// process started writing, and not locked (a live writer holds a lock on its file until
    /// the rename). Best effort: a file that cannot be removed stays.
    pub fn remove_once(dir: &Path) {
        static DONE: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
        let start = started();
        {
            let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
            if !done
                .get_or_insert_with(HashSet::new)
                .insert(dir.to_path_buf())
            {
                return;
            }
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let ours = name.starts_with(PREFIX) && name.ends_with(SUFFIX);
            if !ours || writer_alive(&name) || !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            let Ok(file) = std::fs::File::open(&path) else {
                continue;
            };
            let old = file
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < start);
            if old && file.try_lock().is_ok() {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// 64-bit FNV-1a: a stable fingerprint to notice edits (not a security measure).
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// How a file type writes a comment line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comment {
    /// `# ...` (YAML, TOML, shell).
    Hash,
    /// `// ...` (Rust).
    Slash,
    /// `<!-- ... -->` (Markdown), placed on the last line.
    Html,
    /// `-- ...` (SQL migrations). The marker leaves out the tradeoff version and the design
    /// file: sqlx refuses to start when a migration it applied changed by a byte, so a
    /// re-render by a newer tradeoff must not touch a migration whose SQL is the same.
    Dash,
}

impl Comment {
    /// The comment style for a file name.
    pub fn for_path(path: &Path) -> Comment {
        match path.extension().and_then(|e| e.to_str()) {
            Some("md") => Comment::Html,
            Some("rs" | "proto") => Comment::Slash,
            Some("sql") => Comment::Dash,
            _ => Comment::Hash,
        }
    }
}

/// Adds the marker to generated `content`: `source` names the design file it came from.
pub fn stamp(content: &str, comment: Comment, source: &str) -> String {
    let body = if content.ends_with('\n') {
        content.to_string()
    } else {
        format!("{content}\n")
    };
    let fp = fingerprint(&body);
    let note = format!(
        "{MARKER} by tradeoff {} from {source}; fingerprint {fp}. Edit freely: once edited, tradeoff leaves this file alone.",
        env!("CARGO_PKG_VERSION")
    );
    match comment {
        Comment::Hash => format!("# {note}\n{body}"),
        Comment::Slash => format!("// {note}\n{body}"),
        Comment::Html => format!("{body}<!-- {note} -->\n"),
        Comment::Dash => format!(
            "-- {MARKER}; fingerprint {fp}. Applied migrations must never change: add a new file instead of editing this one.\n{body}"
        ),
    }
}

/// What an existing file is, as far as regeneration is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Generated and untouched since: safe to replace.
    Pristine,
    /// Generated, then edited: keep.
    Edited,
    /// Not generated by tradeoff: keep.
    Foreign,
}

/// Classifies an existing file's text.
pub fn state(text: &str) -> State {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_marker = |l: &&str| l.contains(MARKER) && l.contains("fingerprint ");
    // The marker may have moved if lines were added around it: find it anywhere.
    let Some(pos) = lines.iter().rposition(is_marker) else {
        return State::Foreign;
    };
    let marker = lines[pos];
    let body: String = lines[..pos].concat() + &lines[pos + 1..].concat();
    let recorded = marker
        .split("fingerprint ")
        .nth(1)
        .map(|s| s.chars().take(16).collect::<String>())
        .unwrap_or_default();
    if recorded == fingerprint(&body) {
        State::Pristine
    } else {
        State::Edited
    }
}

/// One file to write, relative to an output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub path: PathBuf,
    /// Final content, marker included.
    pub content: String,
}

/// What happened to each file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Files kept because they were edited or not generated by tradeoff.
    pub skipped: Vec<(PathBuf, State)>,
}

/// Writes every artifact under `root` safely; with `force`, edited and foreign files are
/// replaced too. Stops at the first I/O error; files already written stay complete.
pub fn write_all(root: &Path, artifacts: &[Artifact], force: bool) -> std::io::Result<Report> {
    let mut report = Report::default();
    for a in artifacts {
        let path = root.join(&a.path);
        // Also where nothing is rewritten: the folders of this run are cleaned either way.
        if let Some(dir) = path.parent() {
            stale::remove_once(dir);
        }
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == a.content => {
                report.unchanged.push(path);
                continue;
            }
            Ok(existing) => {
                let st = state(&existing);
                if st != State::Pristine && !force {
                    report.skipped.push((path, st));
                    continue;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                if !force {
                    report.skipped.push((path, State::Foreign));
                    continue;
                }
            }
            Err(e) => return Err(e),
        }
        atomic(&path, a.content.as_bytes())?;
        report.written.push(path);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamped_file_is_pristine_until_edited() {
        for (c, name) in [
            (Comment::Hash, "a.yaml"),
            (Comment::Slash, "a.rs"),
            (Comment::Html, "a.md"),
        ] {
            assert_eq!(Comment::for_path(Path::new(name)), c);
            let s = stamp("# Title\n\nbody\n", c, "design.yaml");
            assert_eq!(state(&s), State::Pristine, "{s}");
            let edited = s.replace("body", "my body");
            assert_eq!(state(&edited), State::Edited);
        }
        assert_eq!(state("# my own file\n"), State::Foreign);
        let md = stamp("# Title\n", Comment::Html, "d.yaml");
        assert_eq!(
            state(&format!("{md}my note below the marker\n")),
            State::Edited
        );
    }

    /// The process umask, read from /proc (the library has no unsafe code to call umask(2)).
    #[cfg(unix)]
    fn umask() -> Option<u32> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("Umask:"))?;
        u32::from_str_radix(line.trim_start_matches("Umask:").trim(), 8).ok()
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_respects_the_umask_and_a_replaced_one_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let Some(mask) = umask() else { return };
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let new = dir.path().join("alerts.yaml");
        atomic(&new, b"groups: []\n").unwrap();
        assert_eq!(mode(&new), 0o666 & !mask, "umask {mask:o}");
        let kept = dir.path().join("run.sh");
        std::fs::write(&kept, "old\n").unwrap();
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o750)).unwrap();
        atomic(&kept, b"new\n").unwrap();
        assert_eq!(mode(&kept), 0o750);
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "new\n");
    }

    #[test]
    fn markdown_keeps_its_first_line() {
        let s = stamp("# 1. Use sagas\n", Comment::Html, "d.yaml");
        assert!(s.starts_with("# 1. Use sagas\n"));
        assert!(s.trim_end().ends_with("-->"));
    }

    /// The hidden temporary files `atomic` leaves in `dir` (none after a clean run or a
    /// failed write).
    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".tradeoff-"))
            .collect()
    }

    #[test]
    fn a_write_removes_stale_temporaries_of_killed_writers_only() {
        let dir = tempfile::tempdir().unwrap();
        let hour = std::time::Duration::from_secs(3600);
        let now = std::time::SystemTime::now();
        let make = |name: &str, modified: std::time::SystemTime| {
            let f = std::fs::File::create(dir.path().join(name)).unwrap();
            f.set_modified(modified).unwrap();
            f
        };
        // Killed an hour ago: removed. A live writer's file (locked), a newer file and
        // files of other names: kept.
        // Killed an hour ago (a process id that cannot exist, or none): removed. A running
        // writer's file (this process), a locked one, a newer one and other names: kept.
        drop(make(".tradeoff-4294967295-killed.tmp", now - hour));
        drop(make(".tradeoff-killed.tmp", now - hour));
        let running = format!(".tradeoff-{}-running.tmp", std::process::id());
        drop(make(&running, now - hour));
        let live = make(".tradeoff-live.tmp", now - hour);
        live.lock().unwrap();
        drop(make(".tradeoff-newer.tmp", now + hour));
        drop(make(".other-old.tmp", now - hour));
        drop(make(".tradeoff-old.yaml", now - hour));
        atomic(&dir.path().join("design.yaml"), b"design\n").unwrap();
        let mut left = leftovers(dir.path());
        left.sort();
        let mut kept = vec![
            running,
            ".tradeoff-live.tmp".to_string(),
            ".tradeoff-newer.tmp".to_string(),
            ".tradeoff-old.yaml".to_string(),
        ];
        kept.sort();
        assert_eq!(left, kept);
        drop(live);
    }

    #[test]
    fn a_full_disk_mid_write_keeps_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("design.yaml");
        std::fs::write(&path, "old design\n").unwrap();
        let full = |file: &mut std::fs::File, bytes: &[u8]| {
            file.write_all(&bytes[..bytes.len() / 2])?;
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device",
            ))
        };
        let e =
            atomic_with(&path, b"new design, much longer than the old one\n", full).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::StorageFull);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old design\n");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_parent_that_is_a_file_is_an_error_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "keep me\n").unwrap();
        let e = atomic(&file.join("sub/design.yaml"), b"x").unwrap_err();
        assert!(
            e.to_string().ends_with("notes.txt is a file, not a folder"),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me\n");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn write_all_stops_at_the_first_error_and_keeps_what_it_wrote_whole() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("blocker"),
            "a file where a folder should be\n",
        )
        .unwrap();
        let a = |path: &str, body: &str| Artifact {
            path: path.into(),
            content: stamp(body, Comment::Hash, "d.yaml"),
        };
        let e = write_all(
            dir.path(),
            &[
                a("one.yaml", "one\n"),
                a("blocker/two.yaml", "two\n"),
                a("three.yaml", "three\n"),
            ],
            false,
        );
        assert!(e.is_err());
        let one = std::fs::read_to_string(dir.path().join("one.yaml")).unwrap();
        assert_eq!(state(&one), State::Pristine, "written whole");
        assert!(!dir.path().join("three.yaml").exists());
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn write_all_replaces_pristine_files_and_keeps_edited_ones() {
        let dir = tempfile::tempdir().unwrap();
        let a = |body: &str| Artifact {
            path: "docs/x.md".into(),
            content: stamp(body, Comment::Html, "d.yaml"),
        };
        let r = write_all(dir.path(), &[a("one\n")], false).unwrap();
        assert_eq!(r.written.len(), 1);
        let r = write_all(dir.path(), &[a("one\n")], false).unwrap();
        assert_eq!(r.unchanged.len(), 1);
        let r = write_all(dir.path(), &[a("two\n")], false).unwrap();
        assert_eq!(r.written.len(), 1);
        let p = dir.path().join("docs/x.md");
        let edited = std::fs::read_to_string(&p).unwrap().replace("two", "mine");
        std::fs::write(&p, &edited).unwrap();
        let r = write_all(dir.path(), &[a("three\n")], false).unwrap();
        assert_eq!(r.skipped, vec![(p.clone(), State::Edited)]);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), edited);
        let r = write_all(dir.path(), &[a("three\n")], true).unwrap();
        assert_eq!(r.written.len(), 1);
    }
}
