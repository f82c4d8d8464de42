//! The python-fastapi pack: the committed Python output is current, and every
//! example spec generates Python that passes ruff, mypy --strict and pytest.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::{Output, Project, Run, copy_dir, workspace};

/// The pinned packages the generated code is checked with.
const LOCK: &str = "examples/python/requirements.lock";

/// FNV-1a: a hash that stays the same across Rust releases, so the virtualenv
/// folder is keyed by the lock's bytes and a changed lock gets a fresh one.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The Python of a virtualenv with the lock installed from PyPI, made once
/// under target/ and reused while the lock is unchanged. A missing python3 or
/// a failed install fails the test: CI must check the code, not skip it.
fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let lock = workspace().join(LOCK);
        let text = std::fs::read(&lock).expect("read the requirements lock");
        let venv = workspace().join(format!("target/python-venv/{:016x}", fnv1a(&text)));
        let bin = venv.join(if cfg!(windows) { "Scripts" } else { "bin" });
        let python = bin.join("python");
        // Written last: a venv without it was interrupted and is made again.
        let done = venv.join("scaffold-installed");
        if !done.is_file() {
            let _ = std::fs::remove_dir_all(&venv);
            let status = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .expect("python3 must be installed to check generated Python");
            assert!(status.success(), "python3 -m venv failed");
            let output = Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                ])
                .arg(&lock)
                .output()
                .expect("run pip");
            assert!(
                output.status.success(),
                "pip install -r {LOCK} failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            std::fs::write(&done, &text).expect("mark the virtualenv complete");
        }
        python
    })
}

/// Runs `python -m <args>` in `dir`; fails the test unless it succeeds. No
/// caches or bytecode are written into the project. Each tool's time is shown
/// with `--nocapture` (the numbers the README quotes).
#[expect(clippy::print_stderr, reason = "tool timings for --nocapture runs")]
fn run_python(dir: &Path, args: &[&str]) -> String {
    let started = std::time::Instant::now();
    let output = Command::new(python())
        .arg("-m")
        .args(args)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env(
            "MYPY_CACHE_DIR",
            workspace().join("target/python-venv/mypy-cache"),
        )
        .env("RUFF_NO_CACHE", "true")
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "python -m {}` failed:\n{stdout}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("python -m {}: {:.1?}", args.join(" "), started.elapsed());
    stdout
}

/// The example Python project (`examples/python`, whose `specs/` links to
/// the example specs), without its generated output.
fn python_host() -> (Project, PathBuf) {
    let project = Project::with_example_specs();
    for file in ["scaffold.toml", "pyproject.toml"] {
        std::fs::copy(
            workspace().join("examples/python").join(file),
            project.path().join(file),
        )
        .expect("copy");
    }
    let host = project.path().to_path_buf();
    (project, host)
}

fn generate(host: &Path) -> Output {
    let output = Run::new(host).args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    output
}

fn snapshot(root: &Path, folder: &str) -> Vec<(String, Vec<u8>)> {
    let project = Project {
        dir: tempfile::tempdir().expect("temp"),
    };
    copy_dir(&root.join(folder), &project.path().join(folder));
    project.snapshot(folder)
}

#[test]
fn committed_python_output_is_up_to_date() {
    let (_project, host) = python_host();
    let output = generate(&host);
    // The first run says what the code needs, as requirements lines.
    for expected in ["fastapi", "pydantic"] {
        assert!(output.stdout.contains(expected), "{}", output.transcript());
    }
    for folder in ["backend", ".scaffold"] {
        let committed = snapshot(&workspace().join("examples/python"), folder);
        let fresh = snapshot(&host, folder);
        let names =
            |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&fresh),
            names(&committed),
            "examples/python/{folder} has other files than scaffold generates"
        );
        for ((path, new), (_, old)) in fresh.iter().zip(&committed) {
            assert!(
                new == old,
                "examples/python/{path} is stale: run `scaffold generate --project examples/python` and commit the result"
            );
        }
    }
}

#[test]
fn generated_python_passes_ruff_mypy_and_pytest() {
    let (_project, host) = python_host();
    generate(&host);
    run_python(&host, &["ruff", "check", "--no-cache", "backend"]);
    // The built-in formatter wrote exactly what ruff's formatter would.
    run_python(
        &host,
        &["ruff", "format", "--check", "--no-cache", "backend"],
    );
    run_python(&host, &["mypy", "--strict", "backend"]);
    let stdout = run_python(&host, &["pytest", "-v", "-p", "no:cacheprovider"]);
    // Every layer's tests ran: models (constraints), routes (endpoints), service (stubs).
    for expected in [
        "backend/orders/tests/test_models.py::test_order_line_quantity_max_is_enforced PASSED",
        "backend/orders/tests/test_models.py::test_order_line_sku_pattern_is_enforced PASSED",
        "backend/orders/tests/test_service.py::test_place_order_answers_201 PASSED",
        "backend/orders/tests/test_routes.py::test_get_order_answers_404_for_an_unknown_key PASSED",
        "backend/orders/tests/test_routes.py::test_place_order_answers_422_for_a_malformed_body PASSED",
        "backend/orders/tests/test_routes.py::test_delete_order_answers_204 PASSED",
        "backend/orders/tests/test_service.py::test_cancel_order_answers_501_until_implemented PASSED",
        "backend/notifications/tests/test_service.py::test_send_digest_answers_501_until_implemented PASSED",
        "backend/match/tests/test_routes.py::test_loop_answers_200 PASSED",
        "backend/catalog/tests/test_routes.py::test_get_review_answers_200 PASSED",
        "backend/catalog/tests/test_models.py::test_product_colors_max_items_is_enforced PASSED",
        "backend/catalog/tests/test_models.py::test_product_price_max_is_enforced PASSED",
        "backend/catalog/tests/test_service.py::test_recalculate_answers_501_until_implemented PASSED",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
}

#[test]
fn a_new_python_project_gets_requirements_and_generates_checked_code() {
    let project = Project::new();
    let new = project
        .scaffold()
        .args([
            "new",
            "PY-1",
            "--domain",
            "billing",
            "--stack",
            "python-fastapi",
            "--no-hooks",
        ])
        .run();
    assert_eq!(new.code, 0, "{}", new.transcript());
    let requirements = project.read("requirements.txt");
    for line in [
        "fastapi>=",
        "pydantic>=",
        "httpx>=",
        "pytest>=",
        "ruff>=",
        "mypy>=",
    ] {
        assert!(requirements.contains(line), "{requirements}");
    }
    assert!(
        project
            .read("scaffold.toml")
            .contains("stack = \"python-fastapi\""),
        "{}",
        project.read("scaffold.toml")
    );
    // The ticket's template spec generates code that passes the same checks.
    generate(project.path());
    run_python(project.path(), &["ruff", "check", "--no-cache", "backend"]);
    run_python(
        project.path(),
        &["ruff", "format", "--check", "--no-cache", "backend"],
    );
    run_python(project.path(), &["mypy", "--strict", "backend"]);
    let stdout = run_python(project.path(), &["pytest", "-v", "-p", "no:cacheprovider"]);
    assert!(
        stdout.contains("test_routes.py") && stdout.contains(" PASSED"),
        "{stdout}"
    );
    // A project that has its own requirements keeps them.
    let other = Project::new();
    other.write("pyproject.toml", "[project]\nname = \"mine\"\n");
    let new = other
        .scaffold()
        .args([
            "new",
            "PY-2",
            "--domain",
            "billing",
            "--stack",
            "python-fastapi",
            "--no-hooks",
        ])
        .run();
    assert_eq!(new.code, 0, "{}", new.transcript());
    assert!(!other.path().join("requirements.txt").exists());
}
