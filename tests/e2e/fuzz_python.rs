//! The grammar fuzzer against the python-fastapi pack: random valid specs
//! (scaffold-specgen, seeds 1..=N, `SCAFFOLD_FUZZ_PYTHON_SEEDS=N` for more)
//! through lint, generate, `ruff check`, `ruff format --check`, `mypy
//! --strict` and `pytest`, every seed's backend in ONE Python project, in the
//! virtualenv tests/e2e/python.rs builds from examples/python/requirements.lock.
//! The minimal specs of fixed kinds (tests/fixtures/fuzz/python/) run beside
//! the seeds. Any failure fails the test, except the kinds listed in
//! tests/fixtures/fuzz/pending-python/README.md (found, not fixed yet).

use scaffold_specgen::harness::Stage;
use scaffold_specgen::python_harness::PythonHarness;

use crate::fuzz;
use crate::python::python;
use crate::support::{binary, workspace};

/// Seeds in CI: one Python project of this many backends.
const DEFAULT_SEEDS: u64 = 6;

#[test]
fn random_valid_specs_generate_python_that_passes_ruff_mypy_and_pytest() {
    let started = std::time::Instant::now();
    // Fixed kinds stay fixed: their minimal specs run beside the seeds.
    let fixtures = workspace().join("tests/fixtures/fuzz");
    let cases = fuzz::cases(
        "SCAFFOLD_FUZZ_PYTHON_SEEDS",
        DEFAULT_SEEDS,
        &[fixtures.join("python")],
    );
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
    fuzz::assert_only_pending(
        "fuzz (python-fastapi)",
        &cases,
        &outcome,
        &fixtures.join("pending-python/README.md"),
        started,
        "more seeds: SCAFFOLD_FUZZ_PYTHON_SEEDS=N; keep the projects: SCAFFOLD_FUZZ_PYTHON_WORK=dir",
    );
}
