//! File safety of `tradeoff render` under faults: a read-only folder, a full disk, files
//! deleted while it runs, two renders at once into one folder, and `kill -9` in the middle.
//! Afterwards every file present is whole (its marker's fingerprint matches its content),
//! no edited file was overwritten, and ADR numbers never collide.

use super::faults::{Tmpfs, skip};
use super::{root, tradeoff};
use std::path::Path;
use std::process::{Command, Stdio};
use tradeoff::render::write::{State, state};

/// Writes the design of an example into `dir/design.yaml`.
fn design(dir: &Path, example: &str) {
    tradeoff()
        .current_dir(dir)
        .args(["advise", "--answers"])
        .arg(root().join(format!("examples/{example}.yaml")))
        .args(["--out", "design.yaml"])
        .assert()
        .success();
}

fn render(dir: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("tradeoff"));
    cmd.current_dir(dir)
        .env_remove("TRADEOFF_RULES")
        .env_remove("TRADEOFF_TEMPLATES")
        .args(["render", "design.yaml", "--docs"])
        .arg(out.join("docs"))
        .arg("--adr")
        .arg(out.join("adr"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Every regular file under `dir` except tradeoff's hidden temporaries.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if !p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".tradeoff-")
        {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Every file is exactly what tradeoff wrote: nothing truncated or mixed.
fn assert_whole(dir: &Path) {
    for f in files(dir) {
        let text = std::fs::read_to_string(&f).unwrap();
        assert_eq!(
            state(&text),
            State::Pristine,
            "{} is not whole",
            f.display()
        );
    }
}

/// ADR numbers are unique among the records of `dir`.
fn assert_numbers_unique(dir: &Path) {
    let mut numbers: Vec<String> = files(dir)
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy()[..4].to_string())
        .collect();
    let n = numbers.len();
    numbers.dedup();
    assert_eq!(
        numbers.len(),
        n,
        "two records share a number in {}",
        dir.display()
    );
}

#[test]
fn a_read_only_folder_is_a_clear_exit_1_and_nothing_is_half_written() {
    let Some(fs) = Tmpfs::mount("size=4m") else {
        return skip("a read-only folder (a tmpfs remounted read-only)");
    };
    let work = tempfile::tempdir().unwrap();
    design(work.path(), "startup");
    assert!(render(work.path(), &fs.point).status().unwrap().success());
    let before: Vec<_> = files(&fs.point)
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    let ro = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&fs.point)
        .status()
        .unwrap();
    assert!(ro.success());
    design(work.path(), "netflix");
    let out = render(work.path(), &fs.point)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("read-only"), "{err}");
    let after: Vec<_> = files(&fs.point)
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn a_full_disk_is_a_clear_exit_1_and_every_file_left_is_whole() {
    let Some(fs) = Tmpfs::mount("size=96k") else {
        return skip("a full disk (a 96 KiB tmpfs)");
    };
    let work = tempfile::tempdir().unwrap();
    design(work.path(), "netflix");
    let out = render(work.path(), &fs.point)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the docs of netflix do not fit in 96 KiB"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no space left"), "{err}");
    assert_whole(&fs.point);
}

#[test]
fn files_deleted_while_rendering_come_back_whole_on_the_next_render() {
    let work = tempfile::tempdir().unwrap();
    design(work.path(), "uber");
    let out = work.path().join("out");
    let mut child = render(work.path(), &out).spawn().unwrap();
    while child.try_wait().unwrap().is_none() {
        for f in files(&out).iter().step_by(3) {
            let _ = std::fs::remove_file(f);
        }
    }
    assert_whole(&out);
    assert!(render(work.path(), &out).status().unwrap().success());
    assert_whole(&out);
    assert_numbers_unique(&out.join("adr"));
}

#[test]
fn two_renders_at_once_into_one_folder_leave_whole_files_and_distinct_numbers() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    design(a.path(), "startup");
    design(b.path(), "netflix");
    let out = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..6)
        .map(|i| {
            render(if i % 2 == 0 { a.path() } else { b.path() }, out.path())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        // A render may find a file another render just wrote and keep it; it never fails.
        assert!(c.wait().unwrap().success());
    }
    assert_whole(out.path());
    assert_numbers_unique(&out.path().join("adr"));
}

#[test]
fn kill_9_during_a_render_leaves_only_whole_files() {
    let work = tempfile::tempdir().unwrap();
    design(work.path(), "uber");
    let out = work.path().join("out");
    let start = std::time::Instant::now();
    assert!(
        render(work.path(), &work.path().join("timing"))
            .status()
            .unwrap()
            .success()
    );
    let span = start.elapsed();
    for i in 0..12u32 {
        let mut child = render(work.path(), &out).spawn().unwrap();
        std::thread::sleep(span * i / 12);
        let _ = child.kill();
        let _ = child.wait();
        assert_whole(&out);
    }
    assert!(render(work.path(), &out).status().unwrap().success());
    assert_whole(&out);
    assert_numbers_unique(&out.join("adr"));
}

#[test]
fn the_next_render_removes_temporaries_a_killed_render_left() {
    let work = tempfile::tempdir().unwrap();
    design(work.path(), "startup");
    let out = work.path().join("out");
    assert!(render(work.path(), &out).status().unwrap().success());
    // What a render killed between creating and renaming its temporary files leaves, plus
    // a hidden file of someone else's.
    let earlier = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for name in [
        "docs/.tradeoff-4294967295-AbC123.tmp",
        "adr/.tradeoff-XyZ789.tmp",
        "docs/.keep.tmp",
    ] {
        let f = std::fs::File::create(out.join(name)).unwrap();
        f.set_modified(earlier).unwrap();
    }
    assert!(render(work.path(), &out).status().unwrap().success());
    assert!(!out.join("docs/.tradeoff-4294967295-AbC123.tmp").exists());
    assert!(!out.join("adr/.tradeoff-XyZ789.tmp").exists());
    assert!(out.join("docs/.keep.tmp").exists());
}
