//! All-or-nothing writes: every file goes to a temporary sibling first, then
//! each is renamed over its target. A failure before the renames leaves the
//! tree untouched; a crash leaves whole files only (renames are atomic).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use scaffold_render::changeset::{Change, Status};

/// Applies every change that writes, relative to `root`.
pub fn apply(root: &Path, changes: &[Change]) -> anyhow::Result<()> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = stage_all(root, changes, &mut staged);
    if let Err(error) = result {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(error);
    }
    for (temp, target) in &staged {
        fs::rename(temp, target)
            .with_context(|| format!("cannot move {} into place", target.display()))?;
    }
    for change in changes.iter().filter(|c| c.status == Status::Remove) {
        let target = root.join(&change.path);
        fs::remove_file(&target).with_context(|| format!("cannot remove {}", target.display()))?;
    }
    Ok(())
}

/// Writes and syncs every temporary file; fsync dominates, so several threads share the work.
fn stage_all(
    root: &Path,
    changes: &[Change],
    staged: &mut Vec<(PathBuf, PathBuf)>,
) -> anyhow::Result<()> {
    let jobs: Vec<&Change> = changes
        .iter()
        .filter(|c| matches!(c.status, Status::Create | Status::Update))
        .collect();
    if jobs.is_empty() {
        return Ok(());
    }
    let threads = 8.min(jobs.len());
    let chunk = jobs.len().div_ceil(threads);
    let results: Vec<(Vec<(PathBuf, PathBuf)>, anyhow::Result<()>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    let result = part
                        .iter()
                        .try_for_each(|change| stage_one(root, change, &mut done));
                    (done, result)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut first_error = None;
    for (done, result) in results {
        staged.extend(done);
        if let Err(error) = result {
            first_error.get_or_insert(error);
        }
    }
    first_error.map_or(Ok(()), Err)
}

fn stage_one(
    root: &Path,
    change: &Change,
    staged: &mut Vec<(PathBuf, PathBuf)>,
) -> anyhow::Result<()> {
    let Some(contents) = &change.new else {
        return Ok(());
    };
    let target = root.join(&change.path);
    let parent = target.parent().unwrap_or(root);
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = parent.join(format!(".{name}.scaffold-tmp"));
    let mut file =
        fs::File::create(&temp).with_context(|| format!("cannot write {}", temp.display()))?;
    staged.push((temp.clone(), target));
    file.write_all(contents.as_bytes())
        .with_context(|| format!("cannot write {}", temp.display()))?;
    file.sync_all()
        .with_context(|| format!("cannot sync {}", temp.display()))?;
    Ok(())
}
