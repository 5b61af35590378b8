//! File safety under faults for `advise --out`: a read-only folder, a parent that is a file,
//! a full disk, two writers at once and `kill -9` in the middle of writes. Afterwards the
//! design file is always a whole design (the old one or the new one), never a mix or a
//! truncated file.
//!
//! The read-only folder and the full disk are real file systems: a small tmpfs mounted for
//! the test, which needs root (or, for the read-only folder, a non-root user and `chmod`).
//! Where that is impossible the test says SKIPPED on stderr; with
//! `TRADEOFF_FAULTS_REQUIRED=1` (set by `.ci/run`) it fails instead. The writer-level
//! version of the full disk, with an injected failing writer, is a unit test in
//! `src/render/write.rs` and always runs.

use super::{root, tradeoff};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The design `advise` writes for an example answers file, produced once per call.
fn design_of(example: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("design.yaml");
    tradeoff()
        .current_dir(root())
        .args(["advise", "--answers", example, "--out"])
        .arg(&out)
        .assert()
        .success();
    std::fs::read(&out).expect("the design was written")
}

/// `tradeoff advise --answers EXAMPLE --out OUT`, as a plain process (for spawning).
fn advise_to(example: &str, out: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("tradeoff"));
    cmd.current_dir(root())
        .env_remove("TRADEOFF_RULES")
        .env_remove("TRADEOFF_TEMPLATES")
        .args(["advise", "--answers", example, "--out"])
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Hidden temporary files `atomic` creates next to the target.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("a readable folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .to_string()
        })
        .filter(|n| n.starts_with(".tradeoff-"))
        .collect()
}

pub(super) fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1))
            == Some("0")
    })
}

/// Reports a fault that cannot be set up here: a failure when faults are required.
pub(super) fn skip(what: &str) {
    assert!(
        std::env::var("TRADEOFF_FAULTS_REQUIRED").as_deref() != Ok("1"),
        "cannot set up {what}, and TRADEOFF_FAULTS_REQUIRED=1"
    );
    eprintln!("SKIPPED: {what} (needs root and mount, or a non-root user for chmod)");
}

/// A tmpfs mounted on a fresh folder, unmounted when dropped.
pub(super) struct Tmpfs {
    dir: tempfile::TempDir,
    pub(super) point: PathBuf,
}

impl Tmpfs {
    pub(super) fn mount(options: &str) -> Option<Tmpfs> {
        if !is_root() {
            return None;
        }
        let dir = tempfile::tempdir().ok()?;
        let point = dir.path().join("mnt");
        std::fs::create_dir(&point).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(&point)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir, point })
    }

    fn remount(&self, options: &str) -> bool {
        Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.point)
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.point).status();
        let _ = &self.dir;
    }
}

#[test]
fn a_read_only_folder_is_a_clear_exit_1_and_the_old_design_stays() {
    let old = design_of("examples/startup.yaml");
    // Root ignores permission bits, so as root the folder is a read-only tmpfs.
    let (guard, dir) = if is_root() {
        let Some(fs) = Tmpfs::mount("size=1m") else {
            return skip("a read-only folder");
        };
        std::fs::write(fs.point.join("design.yaml"), &old).expect("write on the rw mount");
        assert!(fs.remount("ro"), "remount read-only");
        let dir = fs.point.clone();
        (Some(fs), dir)
    } else {
        let dir = tempfile::tempdir().expect("a temp dir").keep();
        std::fs::write(dir.join("design.yaml"), &old).expect("write");
        let status = Command::new("chmod").arg("555").arg(&dir).status();
        if !status.is_ok_and(|s| s.success()) {
            return skip("a read-only folder");
        }
        (None, dir)
    };
    let out = dir.join("design.yaml");
    let assert = tradeoff()
        .current_dir(root())
        .args(["advise", "--answers", "examples/netflix.yaml", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains(&format!("cannot write {}", out.display()))
            && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the file system is read-only") || stderr.contains("permission denied"),
        "{stderr}"
    );
    assert!(
        assert.get_output().stdout.is_empty(),
        "no recommendation printed after a failed write"
    );
    assert_eq!(std::fs::read(&out).expect("still there"), old);
    assert_eq!(temporaries(&dir), Vec::<String>::new());
    if guard.is_none() {
        let _ = Command::new("chmod").arg("755").arg(&dir).status();
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_parent_that_is_a_file_is_a_clear_exit_1_and_the_file_stays() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "my notes\n").expect("write");
    let assert = tradeoff()
        .current_dir(root())
        .args(["advise", "--answers", "examples/startup.yaml", "--out"])
        .arg(notes.join("design.yaml"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("notes.txt is a file, not a folder; nothing was written"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&notes).expect("kept"), "my notes\n");
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

#[test]
fn a_full_disk_is_a_clear_exit_1_and_the_old_design_stays_whole() {
    let Some(fs) = Tmpfs::mount("size=64k") else {
        return skip("a full disk (a 64 KiB tmpfs)");
    };
    let old = design_of("examples/startup.yaml");
    let out = fs.point.join("design.yaml");
    std::fs::write(&out, &old).expect("the old design fits");
    // Fill what is left, so the new design cannot be written.
    let filler = fs.point.join("filler");
    let mut f = std::fs::File::create(&filler).expect("create filler");
    let block = vec![b'x'; 4096];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    drop(f);
    let assert = tradeoff()
        .current_dir(root())
        .args(["advise", "--answers", "examples/netflix.yaml", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("no space left on the device") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&out).expect("still there"), old);
    assert_eq!(temporaries(&fs.point), Vec::<String>::new());
}

#[test]
fn two_writers_at_once_leave_one_whole_design_and_readers_never_see_a_mix() {
    let a = design_of("examples/startup.yaml");
    let b = design_of("examples/netflix.yaml");
    assert_ne!(a, b);
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("design.yaml");
    let mut children: Vec<_> = (0..8)
        .map(|i| {
            let example = if i % 2 == 0 {
                "examples/startup.yaml"
            } else {
                "examples/netflix.yaml"
            };
            advise_to(example, &out).spawn().expect("spawn")
        })
        .collect();
    // Read while they write: every read is one whole design.
    let mut reads = 0;
    while children
        .iter_mut()
        .any(|c| c.try_wait().expect("wait").is_none())
    {
        if let Ok(text) = std::fs::read(&out) {
            assert!(
                text == a || text == b,
                "a reader saw a partial or mixed design"
            );
            reads += 1;
        }
    }
    for mut c in children {
        assert!(c.wait().expect("wait").success(), "every writer succeeds");
    }
    let last = std::fs::read(&out).expect("written");
    assert!(last == a || last == b, "the result is one whole design");
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
    let _ = reads;
}

#[test]
fn kill_9_during_writes_leaves_the_old_or_the_new_design() {
    let a = design_of("examples/startup.yaml");
    let b = design_of("examples/netflix.yaml");
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("design.yaml");
    std::fs::write(&out, &a).expect("the first design");
    // How long one write takes here, to spread the kills over it.
    let start = std::time::Instant::now();
    assert!(
        advise_to("examples/startup.yaml", &out)
            .status()
            .expect("runs")
            .success()
    );
    let span = start.elapsed();
    let kills = 24;
    for i in 0..kills {
        let example = if i % 2 == 0 {
            "examples/netflix.yaml"
        } else {
            "examples/startup.yaml"
        };
        let mut child = advise_to(example, &out).spawn().expect("spawn");
        std::thread::sleep(span * i / kills);
        // SIGKILL: no destructor or handler runs in the child.
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).expect("the design is always there");
        assert!(
            now == a || now == b,
            "after kill {i} the design is not whole"
        );
    }
    // A killed writer may leave its hidden temporary behind; never a partial design.
    for t in temporaries(dir.path()) {
        assert!(t.ends_with(".tmp"), "{t}");
    }
}
