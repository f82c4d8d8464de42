//! The grammar fuzzer against the python-fastapi pack: random valid specs
//! (scaffold-specgen, seeds 1..=N, `SCAFFOLD_FUZZ_PYTHON_SEEDS=N` for more)
//! through lint, generate, `ruff check`, `ruff format --check`, `mypy
//! --strict` and `pytest`, every seed's backend in ONE Python project, in the
//! virtualenv tests/e2e/python.rs builds from examples/python/requirements.lock.
//! The minimal specs of fixed kinds (tests/fixtures/fuzz/python/) run beside
//! the seeds. Any failure fails the test, except the kinds listed in
//! tests/fixtures/fuzz/pending-python/README.md (found, not fixed yet).

use scaffold_specgen::harness::{Case, Stage};
use scaffold_specgen::python_harness::PythonHarness;

use crate::python::python;
use crate::support::{binary, workspace};

/// Seeds in CI: one Python project of this many backends.
const DEFAULT_SEEDS: u64 = 6;

fn pending_kinds() -> Vec<String> {
    let text =
        std::fs::read_to_string(workspace().join("tests/fixtures/fuzz/pending-python/README.md"))
            .unwrap_or_default();
    // One line per kind: `- `folder`: <kind>`.
    text.lines()
        .filter(|l| l.starts_with("- `"))
        .filter_map(|l| l.split_once("`: ").map(|(_, kind)| kind.trim().to_string()))
        .collect()
}

#[test]
fn random_valid_specs_generate_python_that_passes_ruff_mypy_and_pytest() {
    let started = std::time::Instant::now();
    let seeds: u64 = std::env::var("SCAFFOLD_FUZZ_PYTHON_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_SEEDS);
    let mut cases: Vec<Case> = (1..=seeds)
        .map(|seed| Case::from(&scaffold_specgen::generate(seed)))
        .collect();
    // Fixed kinds stay fixed: their minimal specs run beside the seeds.
    let fixtures = workspace().join("tests/fixtures/fuzz/python");
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir(&fixtures)
        .expect("tests/fixtures/fuzz/python")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for (index, dir) in dirs.iter().enumerate() {
        cases.push(Case::read(1_000_000 + index as u64, dir).expect("read fixture"));
    }
    // `SCAFFOLD_FUZZ_PYTHON_WORK=dir` keeps the projects there, to look into a failure.
    let temp = tempfile::tempdir().expect("temp dir");
    let work = std::env::var_os("SCAFFOLD_FUZZ_PYTHON_WORK")
        .map_or_else(|| temp.path().to_path_buf(), std::path::PathBuf::from);
    let harness = PythonHarness {
        scaffold: binary().to_path_buf(),
        work,
        python: python().to_path_buf(),
        mypy_cache: workspace().join("target/python-venv/mypy-cache"),
    };
    let outcome = harness
        .run("python", &cases, Stage::Test)
        .expect("run the fuzz batch");
    let pending = pending_kinds();
    let mut report = String::new();
    for (kind, hits) in outcome.by_kind() {
        if pending.contains(&kind) {
            continue;
        }
        let seeds: Vec<String> = hits.iter().map(|f| f.seed.to_string()).collect();
        report.push_str(&format!(
            "\n{kind}\n  seeds (ids from 1000000 are tests/fixtures/fuzz/python/ in order): {}\n  {}\n",
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
            "fuzz (python-fastapi): {} specs, {} passed, {} failures ({} of pending kinds) in {}s",
            cases.len(),
            outcome.passed.len(),
            outcome.failures.len(),
            outcome
                .failures
                .iter()
                .filter(|f| pending.contains(&f.kind))
                .count(),
            started.elapsed().as_secs()
        );
    }
    assert!(
        report.is_empty(),
        "failures of kinds not in tests/fixtures/fuzz/pending-python/README.md \
         (more seeds: SCAFFOLD_FUZZ_PYTHON_SEEDS=N; keep the projects: SCAFFOLD_FUZZ_PYTHON_WORK=dir):{report}"
    );
}
