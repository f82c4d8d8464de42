//! `cargo xtask bench`, the anchors' case: the one-entity, six-field CRUD
//! domain of `../shared/bench`, 1 and 50 copies, for each stack, beside the
//! bare Tera render floor measured in the same run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::bench::{median, ms, timed};

/// Where the anchors' material lives: `SCAFFOLD_BENCH_SHARED`, else `../shared/bench`.
fn shared(root: &Path) -> PathBuf {
    std::env::var_os("SCAFFOLD_BENCH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/bench"))
}

pub fn run(root: &Path, binary: &Path, scratch: &Path, runs: usize) -> Result<(), String> {
    let shared = shared(root);
    let template = std::fs::read_to_string(shared.join("crud-domain.spec.md.in")).map_err(|e| {
        format!(
            "cannot read {}: {e} (set SCAFFOLD_BENCH_SHARED to the bench folder)",
            shared.display()
        )
    })?;
    let floor = build_floor(root, &shared, scratch)?;
    println!();
    println!(
        "anchor CRUD domain (invoice, 6 fields), median of {runs} runs, ratios to the Tera floor of the same run"
    );
    println!(
        "{:<46} {:>10} {:>10} {:>8}",
        "case", "median", "its floor", "x floor"
    );
    for count in [1usize, 50] {
        let floor_out = scratch.join(format!("floor_{count}"));
        let count_arg = count.to_string();
        let fields = shared.join("fields.json");
        let mut floor_run = || {
            let _ = std::fs::remove_dir_all(&floor_out);
            std::fs::create_dir_all(&floor_out).map_err(|e| e.to_string())?;
            timed(
                Command::new(&floor)
                    .arg(&floor_out)
                    .arg(&fields)
                    .args(["--count", &count_arg]),
            )
        };
        let floor_time = median(runs, &mut floor_run)?;
        println!(
            "{:<46} {:>8.1}ms {:>10} {:>8}",
            format!("tera floor, {count} domain(s)"),
            ms(floor_time),
            "",
            "1.0x"
        );
        // Each case against the floor timed in alternation with it: on a
        // shared machine the load changes within a run, and a ratio to a floor
        // timed minutes earlier would measure that change.
        let row = |label: String, (time, floor): (Duration, Duration)| {
            println!(
                "{label:<46} {:>8.1}ms {:>8.1}ms {:>7.1}x",
                ms(time),
                ms(floor),
                time.as_secs_f64() / floor.as_secs_f64()
            );
        };
        for stack in ["rust-axum", "python-fastapi"] {
            let project = scratch.join(format!("crud_{count}_{stack}"));
            write_project(&project, &template, count)?;
            for (formatter, rustfmt) in [
                // rustfmt last: the rerun and --check below start from its output.
                ("built-in formatter", Some("/nonexistent/rustfmt")),
                ("rustfmt", None),
            ] {
                if stack != "rust-axum" && rustfmt.is_some() {
                    continue;
                }
                let label = if stack == "rust-axum" {
                    formatter
                } else {
                    "its formatter"
                };
                let fresh = paired(runs, &mut floor_run, || {
                    let _ = std::fs::remove_dir_all(project.join("backend"));
                    let _ = std::fs::remove_dir_all(project.join(".scaffold"));
                    scaffold(binary, &project, &["generate", "--stack", stack], rustfmt)
                })?;
                row(format!("{stack} fresh, {count}, {label}"), fresh);
                if stack == "rust-axum" && rustfmt.is_none() && count == 1 {
                    // The first run on a machine also asks rustfmt its version
                    // (kept in the user's cache after): an empty cache each time.
                    let mut round = 0;
                    let cold = paired(runs, &mut floor_run, || {
                        round += 1;
                        let _ = std::fs::remove_dir_all(project.join("backend"));
                        let _ = std::fs::remove_dir_all(project.join(".scaffold"));
                        let cache = scratch.join(format!("cold-cache-{round}"));
                        let mut command = Command::new(binary);
                        command
                            .args(["generate", "--stack", stack])
                            .current_dir(&project)
                            .env("XDG_CACHE_HOME", &cache);
                        timed(&mut command)
                    })?;
                    row(format!("{stack} fresh, {count}, {label}, cold cache"), cold);
                }
            }
            if count == 50 {
                let rerun = paired(runs, &mut floor_run, || {
                    scaffold(binary, &project, &["generate", "--stack", stack], None)
                })?;
                row(format!("{stack} rerun (all identical), {count}"), rerun);
                let check = paired(runs, &mut floor_run, || {
                    scaffold(
                        binary,
                        &project,
                        &["generate", "--check", "--stack", stack],
                        None,
                    )
                })?;
                row(format!("{stack} --check, {count}"), check);
            }
        }
    }
    Ok(())
}

/// Medians of `case` and of `floor`, timed in turn `runs` times each.
fn paired(
    runs: usize,
    floor: &mut dyn FnMut() -> Result<Duration, String>,
    mut case: impl FnMut() -> Result<Duration, String>,
) -> Result<(Duration, Duration), String> {
    let mut floors = Vec::with_capacity(runs);
    let case = median(runs, || {
        floors.push(floor()?);
        case()
    })?;
    floors.sort();
    Ok((case, floors[floors.len() / 2]))
}

/// The floor is a separate crate (not in the workspace): built once into target/.
fn build_floor(root: &Path, shared: &Path, scratch: &Path) -> Result<PathBuf, String> {
    let source = scratch.join("tera-floor");
    copy_dir(&shared.join("tera-floor"), &source)?;
    let target = root.join("target/bench-floor");
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(source.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cannot build the tera floor".into());
    }
    Ok(target.join("release/tera-floor"))
}

fn write_project(dir: &Path, template: &str, count: usize) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    for i in 1..=count {
        let spec_dir = dir.join(format!("specs/BEN-{i}"));
        std::fs::create_dir_all(&spec_dir).map_err(|e| e.to_string())?;
        // The copies would all serve `/invoices`, which one application cannot
        // (`scaffold lint` refuses it): each copy gets its own prefix.
        let spec = template
            .replace("@N@", &i.to_string())
            .replace("`/invoices", &format!("`/b{i}/invoices"));
        std::fs::write(spec_dir.join("spec.md"), spec).map_err(|e| e.to_string())?;
    }
    // A host crate, so rustfmt runs with the edition `cargo fmt` would use.
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"bench-host\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    )
    .map_err(|e| e.to_string())
}

fn scaffold(
    binary: &Path,
    dir: &Path,
    args: &[&str],
    rustfmt: Option<&str>,
) -> Result<Duration, String> {
    let mut command = Command::new(binary);
    command.args(args).current_dir(dir);
    if let Some(rustfmt) = rustfmt {
        command.env("RUSTFMT", rustfmt);
    }
    timed(&mut command)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
