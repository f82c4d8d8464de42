//! All-or-nothing writes. Every new text goes to a temporary sibling (written
//! and fsynced in parallel), then each is renamed over its target; a rename is
//! atomic, so a killed run leaves every file either old or new. If a step
//! fails, the files already replaced are put back from the old text kept in
//! memory, so a failed run leaves nothing of itself on disk.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// One file to replace, create (`old: None`) or delete (`new: None`).
#[derive(Debug, Clone)]
pub struct FileWrite {
    pub path: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Deletes temporary files under `dir` that a killed run left behind.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() && !path.is_symlink() {
            remove_leftovers(&path);
        } else if name.starts_with('.') && name.ends_with(".scaffold-tmp") {
            let _ = fs::remove_file(&path);
        }
    }
}

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.scaffold-tmp"))
}

/// Applies `writes` in order, then `last` (the manifest): all or nothing.
pub fn apply(root: &Path, writes: &[FileWrite], last: Option<&FileWrite>) -> anyhow::Result<()> {
    let all: Vec<&FileWrite> = writes.iter().chain(last).collect();
    stage_all(root, &all)?;
    let mut done: Vec<&FileWrite> = Vec::new();
    for write in &all {
        match commit_one(root, write) {
            Ok(()) => done.push(write),
            Err(error) => {
                for undone in done.iter().rev() {
                    let _ = restore(root, undone);
                }
                for pending in &all {
                    let _ = fs::remove_file(temp_path(&root.join(&pending.path)));
                }
                return Err(
                    error.context("nothing was changed: every file written so far was put back")
                );
            }
        }
    }
    Ok(())
}

/// Fails the rename into this path (relative to the project): lets tests prove the rollback.
const FAILPOINT: &str = "SCAFFOLD_FAILPOINT_RENAME";

fn commit_one(root: &Path, write: &FileWrite) -> anyhow::Result<()> {
    let target = root.join(&write.path);
    if std::env::var_os(FAILPOINT).is_some_and(|p| p == write.path.as_str()) {
        anyhow::bail!(
            "cannot move {} into place (failpoint {FAILPOINT})",
            target.display()
        );
    }
    match &write.new {
        Some(_) => fs::rename(temp_path(&target), &target)
            .with_context(|| format!("cannot move {} into place", target.display())),
        None => match fs::remove_file(&target) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("cannot remove {}", target.display()))
            }
            _ => Ok(()),
        },
    }
}

/// Puts the old text back (or removes a file the run created).
fn restore(root: &Path, write: &FileWrite) -> anyhow::Result<()> {
    let target = root.join(&write.path);
    match &write.old {
        None => Ok(fs::remove_file(&target)?),
        Some(old) => {
            let temp = temp_path(&target);
            fs::write(&temp, old)?;
            Ok(fs::rename(&temp, &target)?)
        }
    }
}

/// Writes and syncs every temporary file; fsync dominates, so several threads share the work.
fn stage_all(root: &Path, writes: &[&FileWrite]) -> anyhow::Result<()> {
    let jobs: Vec<&FileWrite> = writes.iter().copied().filter(|w| w.new.is_some()).collect();
    if jobs.is_empty() {
        return Ok(());
    }
    // Each folder once, before the threads start (not once per file).
    let folders: std::collections::BTreeSet<PathBuf> = jobs
        .iter()
        .filter_map(|w| root.join(&w.path).parent().map(Path::to_path_buf))
        .collect();
    for folder in &folders {
        if !folder.is_dir() {
            fs::create_dir_all(folder)
                .with_context(|| format!("cannot create {}", folder.display()))?;
        }
    }
    let threads = 16.min(jobs.len());
    let chunk = jobs.len().div_ceil(threads);
    let results: Vec<anyhow::Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().try_for_each(|w| stage_one(root, w))))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    if let Some(error) = results.into_iter().find_map(Result::err) {
        for write in jobs {
            let _ = fs::remove_file(temp_path(&root.join(&write.path)));
        }
        return Err(error);
    }
    Ok(())
}

fn stage_one(root: &Path, write: &FileWrite) -> anyhow::Result<()> {
    let Some(contents) = &write.new else {
        return Ok(());
    };
    let target = root.join(&write.path);
    let temp = temp_path(&target);
    let mut file =
        fs::File::create(&temp).with_context(|| format!("cannot write {}", temp.display()))?;
    file.write_all(contents.as_bytes())
        .with_context(|| format!("cannot write {}", temp.display()))?;
    // Data is what must be durable before the rename; fdatasync skips timestamps.
    file.sync_data()
        .with_context(|| format!("cannot sync {}", temp.display()))?;
    Ok(())
}
