//! `cargo xtask fuzz --seeds A..B`: generates a spec per seed
//! (scaffold-specgen), runs lint, generate, clippy `-D warnings` and the
//! generated tests with many projects mounted in one host crate per batch,
//! groups failures by kind and shrinks one seed of each kind to a minimal
//! spec. `--postgres` generates PostgreSQL repositories too and runs their
//! generated tests on a throwaway cluster. `--python` runs the python-fastapi
//! pack instead (ruff, mypy --strict, pytest in the virtualenv the e2e tests
//! build; no shrinking). `--pending DIR` writes each minimal spec there, and `kinds.md`
//! with a line per kind as tests/fixtures/fuzz/pending/README.md lists them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use scaffold_pgcluster::Cluster;
use scaffold_specgen::harness::{Case, Failure, Harness, Outcome, Postgres, Stage};
use scaffold_specgen::python_harness::PythonHarness;

struct Args {
    seeds: std::ops::RangeInclusive<u64>,
    batch: usize,
    shrink_budget: usize,
    pending: Option<PathBuf>,
    stage: Stage,
    /// A `scaffold` binary to run instead of building one.
    scaffold: Option<PathBuf>,
    /// Generate PostgreSQL repositories too, tested on a throwaway cluster.
    postgres: bool,
    /// The python-fastapi pack instead of rust-axum.
    python: bool,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        seeds: 1..=50,
        batch: 25,
        shrink_budget: 12,
        pending: None,
        stage: Stage::Test,
        scaffold: None,
        postgres: false,
        python: false,
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--seeds" => {
                let text = value("--seeds")?;
                let (a, b) = text.split_once("..").ok_or("--seeds A..B")?;
                let a: u64 = a.parse().map_err(|_| "--seeds A..B: A is no number")?;
                let b: u64 = b
                    .trim_start_matches('=')
                    .parse()
                    .map_err(|_| "--seeds A..B: B is no number")?;
                parsed.seeds = a..=b;
            }
            "--batch" => parsed.batch = value("--batch")?.parse().map_err(|_| "--batch N")?,
            "--shrink" => {
                parsed.shrink_budget = value("--shrink")?.parse().map_err(|_| "--shrink N")?
            }
            "--scaffold" => parsed.scaffold = Some(PathBuf::from(value("--scaffold")?)),
            "--postgres" => parsed.postgres = true,
            "--python" => parsed.python = true,
            "--pending" => parsed.pending = Some(PathBuf::from(value("--pending")?)),
            "--until" => {
                parsed.stage = match value("--until")?.as_str() {
                    "lint" => Stage::Lint,
                    "generate" => Stage::Generate,
                    "clippy" => Stage::Clippy,
                    _ => Stage::Test,
                }
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(parsed)
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    let started = Instant::now();
    let scaffold = match &args.scaffold {
        Some(path) => path.clone(),
        None => {
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "--bin", "scaffold"])
                .current_dir(root)
                .status()
                .map_err(|e| format!("cargo build: {e}"))?;
            if !status.success() {
                return Err("cargo build --bin scaffold failed".into());
            }
            root.join("target/debug/scaffold")
        }
    };
    // Kept until the end of the run: its drop stops the server.
    let cluster = if args.postgres {
        let cluster = Cluster::start().map_err(|e| e.to_string())?;
        cluster.create_database("fuzz").map_err(|e| e.to_string())?;
        Some(cluster)
    } else {
        None
    };
    // `SCAFFOLD_FUZZ_WORK=dir`: another folder, to run two fuzz jobs at once.
    let work = std::env::var_os("SCAFFOLD_FUZZ_WORK")
        .map_or_else(|| root.join("target/fuzz"), PathBuf::from);
    let harness = Harness {
        scaffold,
        work: work.clone(),
        target_dir: root.join("target/e2e"),
        host_template: root.join("examples"),
        cargo: PathBuf::from(env!("CARGO")),
        postgres: cluster.as_ref().map(|cluster| Postgres {
            database_url: cluster.sqlx_url("fuzz"),
            lock: root.join("tests/fixtures/postgres-host/Cargo.lock"),
        }),
    };
    let python = if args.python {
        if args.postgres {
            return Err(
                "--python and --postgres: the python pack has no PostgreSQL repositories".into(),
            );
        }
        Some(PythonHarness {
            scaffold: harness.scaffold.clone(),
            work: work.join("python"),
            python: python_venv(root)?,
            mypy_cache: root.join("target/python-venv/mypy-cache"),
        })
    } else {
        None
    };
    let seeds: Vec<u64> = args.seeds.clone().collect();
    let mut failures: Vec<Failure> = Vec::new();
    let mut passed = 0usize;
    for chunk in seeds.chunks(args.batch.max(1)) {
        let cases: Vec<Case> = chunk
            .iter()
            .map(|&s| Case::from(&scaffold_specgen::generate(s)))
            .collect();
        let outcome: Outcome = match &python {
            Some(python) => python.run("batch", &cases, args.stage),
            None => harness.run("batch", &cases, args.stage),
        }
        .map_err(|e| e.to_string())?;
        passed += outcome.passed.len();
        println!(
            "seeds {}..{}: {} passed, {} failures ({}s)",
            chunk[0],
            chunk[chunk.len() - 1],
            outcome.passed.len(),
            outcome.failures.len(),
            started.elapsed().as_secs()
        );
        for failure in &outcome.failures {
            println!("  seed {}: {}", failure.seed, failure.kind);
        }
        failures.extend(outcome.failures);
    }
    let mut kinds: BTreeMap<String, Vec<&Failure>> = BTreeMap::new();
    for failure in &failures {
        let seeds = kinds.entry(failure.kind.clone()).or_default();
        if !seeds.iter().any(|f| f.seed == failure.seed) {
            seeds.push(failure);
        }
    }
    println!(
        "\n{} seeds, {passed} passed, {} distinct failure kinds ({}s)",
        seeds.len(),
        kinds.len(),
        started.elapsed().as_secs()
    );
    let mut readme = String::new();
    let mut targets = Vec::new();
    for (index, (kind, hits)) in kinds.iter().enumerate() {
        let seed_list: Vec<String> = hits.iter().take(8).map(|f| f.seed.to_string()).collect();
        println!(
            "\n[{}] {kind}\n    {} seeds: {}",
            index + 1,
            hits.len(),
            seed_list.join(" ")
        );
        let first = hits[0];
        println!(
            "    {}",
            first
                .detail
                .lines()
                .take(12)
                .collect::<Vec<_>>()
                .join("\n    ")
        );
        targets.push((
            scaffold_specgen::generate(first.seed),
            kind.clone(),
            first.stage,
        ));
    }
    if args.pending.is_some() && python.is_some() {
        return Err("--pending: shrinking runs on the Rust pack only; rerun the seeds above without --python".into());
    }
    if let Some(dir) = &args.pending {
        // Every kind shrinks at once: one host crate build per round.
        let small = harness
            .shrink_all(&targets, args.shrink_budget, 8, &mut |round, left| {
                println!(
                    "shrink round {round}: {left} kinds still shrinking ({}s)",
                    started.elapsed().as_secs()
                );
            })
            .map_err(|e| e.to_string())?;
        for (index, ((spec, kind, _), small)) in targets.iter().zip(small).enumerate() {
            let hits = &kinds[kind];
            let name = format!("{:02}-seed-{}", index + 1, spec.seed);
            let case_dir = dir.join(&name);
            let _ = std::fs::remove_dir_all(&case_dir);
            for file in small.files() {
                let path = case_dir.join("specs").join(&file.path);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
                }
                std::fs::write(&path, &file.text).map_err(|e| e.to_string())?;
            }
            let _ = writeln!(
                readme,
                // The line format of tests/fixtures/fuzz/pending/README.md.
                "- `{name}`: {kind}"
            );
            println!(
                "{name}: size {} (from {}), {} of {} seeds",
                small.size(),
                spec.size(),
                hits.len(),
                seeds.len()
            );
        }
    }
    if let Some(dir) = &args.pending {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("kinds.md"), readme).map_err(|e| e.to_string())?;
    }
    if kinds.is_empty() {
        Ok(())
    } else {
        Err(format!("{} failure kinds", kinds.len()))
    }
}

/// The virtualenv tests/e2e/python.rs builds (`target/python-venv/<hash of
/// the lock>`, finished when it holds `scaffold-installed`).
fn python_venv(root: &Path) -> Result<PathBuf, String> {
    let venvs = root.join("target/python-venv");
    let mut ready: Vec<PathBuf> = std::fs::read_dir(&venvs)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|venv| venv.join("scaffold-installed").is_file())
        .collect();
    // The newest lock's venv when several are left.
    ready.sort_by_key(|venv| std::fs::metadata(venv).and_then(|m| m.modified()).ok());
    ready
        .pop()
        .map(|venv| venv.join("bin/python"))
        .ok_or_else(|| {
            format!(
                "no virtualenv in {}: run `cargo test --test e2e python::` once to build it",
                venvs.display()
            )
        })
}
