//! The grammar fuzzer in the suite: random valid specs (scaffold-specgen,
//! seeds 1..=N, `SCAFFOLD_FUZZ_SEEDS=N` for more) plus the minimized
//! regression specs of tests/fixtures/fuzz/, all mounted in ONE host crate,
//! through lint, generate, clippy `-D warnings`, the generated tests and
//! each project's merged `router()`. Any failure fails the test, except the
//! kinds listed in tests/fixtures/fuzz/pending/README.md (found, not fixed
//! yet: the render-side list). `cargo xtask fuzz --seeds 1..1000` runs long.
//! A second run generates PostgreSQL repositories too and runs their
//! generated tests against a throwaway cluster.
//! The case list and the verdict are shared with fuzz_python.rs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use scaffold_specgen::harness::{Case, Harness, Outcome, Postgres, Stage};

use crate::pg;
use crate::support::{binary, workspace};

/// Seeds in CI: one host crate build of this many projects (plus the fixtures).
const DEFAULT_SEEDS: u64 = 16;

/// Seeds in CI with PostgreSQL repositories (`cargo xtask fuzz --postgres` for more).
const DEFAULT_POSTGRES_SEEDS: u64 = 8;

/// Seeds 1..=N (`N` from the environment variable `var`, else `default`),
/// then the regression specs of every folder in `fixtures` that holds `specs/`
/// (ids from 1,000,000, in path order).
pub(crate) fn cases(var: &str, default: u64, fixtures: &[PathBuf]) -> Vec<Case> {
    let seeds: u64 = std::env::var(var)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    let mut cases: Vec<Case> = (1..=seeds)
        .map(|seed| Case::from(&scaffold_specgen::generate(seed)))
        .collect();
    let mut dirs: Vec<PathBuf> = fixtures
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("specs").is_dir())
        .collect();
    dirs.sort();
    for (index, dir) in dirs.iter().enumerate() {
        cases.push(Case::read(1_000_000 + index as u64, dir).expect("read fixture"));
    }
    cases
}

/// Fails on any failure of a kind its pending README (`- `folder`: <kind>`
/// lines) does not list; prints the run's figures.
pub(crate) fn assert_only_pending(
    label: &str,
    cases: &[Case],
    outcome: &Outcome,
    pending_readme: &Path,
    started: Instant,
    hint: &str,
) {
    let text = std::fs::read_to_string(pending_readme).unwrap_or_default();
    let pending: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("- `"))
        .filter_map(|l| l.split_once("`: ").map(|(_, kind)| kind.trim()))
        .collect();
    let mut report = String::new();
    for (kind, hits) in outcome.by_kind() {
        if pending.contains(&kind.as_str()) {
            continue;
        }
        let seeds: Vec<String> = hits.iter().map(|f| f.seed.to_string()).collect();
        report.push_str(&format!(
            "\n{kind}\n  seeds (ids from 1000000 are the fixtures, in path order): {}\n  {}\n",
            seeds.join(" "),
            hits[0]
                .detail
                .lines()
                .take(15)
                .collect::<Vec<_>>()
                .join("\n  ")
        ));
    }
    #[allow(
        clippy::print_stderr,
        reason = "the fuzz run's figures, shown with --nocapture"
    )]
    {
        eprintln!(
            "{label}: {} specs, {} passed, {} failures ({} of pending kinds) in {}s",
            cases.len(),
            outcome.passed.len(),
            outcome.failures.len(),
            outcome
                .failures
                .iter()
                .filter(|f| pending.contains(&f.kind.as_str()))
                .count(),
            started.elapsed().as_secs()
        );
    }
    assert!(
        report.is_empty(),
        "failures of kinds not in {} ({hint}):{report}",
        pending_readme.display()
    );
}

/// Runs seeds 1..=N (N from `var`, else `default`) and the regression specs
/// through the rust-axum pack in one host crate, with PostgreSQL repositories
/// tested on `postgres` when given; fails on any kind not pending.
fn fuzz_rust(label: &str, var: &str, default: u64, postgres: Option<Postgres>) {
    let started = Instant::now();
    // Fixed kinds stay fixed: their minimized specs run beside the seeds, the
    // python pack's too (valid specs, so the Rust pack must take them as well).
    let fixtures = workspace().join("tests/fixtures/fuzz");
    let cases = cases(var, default, &[fixtures.clone(), fixtures.join("python")]);
    let work = tempfile::tempdir().expect("temp dir");
    let hint = if postgres.is_some() {
        "reproduce: cargo xtask fuzz --postgres --seeds S..S"
    } else {
        "reproduce: cargo xtask fuzz --seeds S..S"
    };
    let harness = Harness {
        scaffold: binary().to_path_buf(),
        work: work.path().to_path_buf(),
        target_dir: workspace().join("target/e2e"),
        host_template: workspace().join("examples"),
        cargo: PathBuf::from(env!("CARGO")),
        postgres,
    };
    let outcome = harness
        .run("host", &cases, Stage::Test)
        .expect("run the fuzz batch");
    assert_only_pending(
        label,
        &cases,
        &outcome,
        &fixtures.join("pending/README.md"),
        started,
        hint,
    );
}

#[test]
fn random_valid_specs_lint_generate_compile_clean_and_pass_their_tests() {
    fuzz_rust("fuzz", "SCAFFOLD_FUZZ_SEEDS", DEFAULT_SEEDS, None);
}

/// The same with `[database] engine = "postgres"`: the PostgreSQL repositories
/// clippy-clean, and their generated tests (the routes' HTTP tests and the
/// storage tests) against the throwaway cluster of `pg.rs`.
#[test]
fn random_valid_specs_with_postgresql_repositories_pass_against_postgresql() {
    let database = pg::cluster().database("fuzz");
    fuzz_rust(
        "fuzz --postgres",
        "SCAFFOLD_FUZZ_POSTGRES_SEEDS",
        DEFAULT_POSTGRES_SEEDS,
        Some(Postgres {
            database_url: database.sqlx_url(),
            lock: workspace().join("tests/fixtures/postgres-host/Cargo.lock"),
        }),
    );
}
