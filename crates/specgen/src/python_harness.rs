//! Runs generated specs through the python-fastapi pack the way a Python team
//! would: `scaffold lint`, `scaffold generate --stack python-fastapi`, then
//! every generated backend side by side in ONE Python project (package `s<id>`
//! per seed; the generated code imports only relatively) checked once by
//! `ruff check`, `ruff format --check`, `mypy --strict` and `pytest`. Python
//! checks files on their own, so a bad seed does not hide the others; each
//! failure is attributed to its seed by its path and grouped by kind like the
//! Rust harness ([`crate::harness::normalise`]).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{
    Case, Failure, HarnessError, Outcome, Stage, io, lint_and_generate, normalise, scaffold_toml,
};

/// Where the tools are and where to work.
#[derive(Debug, Clone)]
pub struct PythonHarness {
    /// The `scaffold` binary.
    pub scaffold: PathBuf,
    /// A folder the harness owns: projects are written below it.
    pub work: PathBuf,
    /// The Python of a virtualenv with fastapi, pydantic, httpx, pytest, ruff
    /// and mypy (tests/e2e/python.rs makes one from examples/python/requirements.lock).
    pub python: PathBuf,
    /// mypy's cache folder (shared between runs: the libraries are checked once).
    pub mypy_cache: PathBuf,
}

/// The seed of a path inside the checked project (`s17/orders/models.py`).
fn seed_of(path: &str) -> Option<u64> {
    let path = path.trim_start_matches("./");
    let first = path.split(['/', '\\']).next()?;
    first.strip_prefix('s')?.parse().ok()
}

/// A path with its seed and domain left out (`s17/orders/tests/test_routes.py`
/// -> `tests/test_routes.py`), so one bug in every seed is one kind.
fn file_kind(path: &str) -> String {
    let parts: Vec<&str> = path.trim_start_matches("./").split('/').collect();
    match parts.len() {
        0..=2 => parts.last().copied().unwrap_or_default().to_string(),
        _ => parts[2..].join("/"),
    }
}

impl PythonHarness {
    /// `python -m <args>` in `dir`: success, stdout, stderr.
    fn python(&self, dir: &Path, args: &[&str]) -> Result<(bool, String, String), HarnessError> {
        let output = Command::new(&self.python)
            .arg("-m")
            .args(args)
            .current_dir(dir)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("MYPY_CACHE_DIR", &self.mypy_cache)
            .env("RUFF_NO_CACHE", "true")
            .env("NO_COLOR", "1")
            // pytest's summary lines keep their whole reason.
            .env("COLUMNS", "400")
            .output()
            .map_err(io(format!("run {}", self.python.display())))?;
        Ok((
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ))
    }

    /// Runs every case up to `until` ([`Stage::Clippy`] stands for ruff and
    /// mypy, [`Stage::Test`] for pytest); the cases that generate share one
    /// Python project in `work/<name>/checked`.
    pub fn run(&self, name: &str, cases: &[Case], until: Stage) -> Result<Outcome, HarnessError> {
        let root = self.work.join(name);
        if root.exists() {
            std::fs::remove_dir_all(&root).map_err(io(format!("clear {}", root.display())))?;
        }
        let checked = root.join("checked");
        std::fs::create_dir_all(&checked).map_err(io("create the checked project"))?;
        let mut outcome = Outcome::default();
        let mut mounted: Vec<&Case> = Vec::new();
        for case in cases {
            let dir = root.join("seeds").join(format!("s{}", case.id));
            let failures = lint_and_generate(
                &self.scaffold,
                &dir,
                case,
                &scaffold_toml("python-fastapi", false),
            )?;
            if !failures.is_empty() {
                outcome.failures.extend(failures);
                continue;
            }
            let package = checked.join(format!("s{}", case.id));
            std::fs::rename(dir.join("backend"), &package)
                .map_err(io(format!("move {} into place", package.display())))?;
            mounted.push(case);
        }
        if until <= Stage::Generate || mounted.is_empty() {
            outcome.passed = mounted.iter().map(|c| c.id).collect();
            return Ok(outcome);
        }
        let packages: Vec<String> = mounted.iter().map(|c| format!("s{}", c.id)).collect();
        let packages: Vec<&str> = packages.iter().map(String::as_str).collect();
        let mut failures = self.ruff(&checked, &packages)?;
        failures.extend(self.mypy(&checked, &packages)?);
        if until >= Stage::Test {
            failures.extend(self.pytest(&checked, &packages, &mounted)?);
        }
        let bad: Vec<u64> = failures.iter().map(|f| f.seed).collect();
        for failure in failures {
            if !outcome
                .failures
                .iter()
                .any(|f| f.seed == failure.seed && f.kind == failure.kind)
            {
                outcome.failures.push(failure);
            }
        }
        outcome.passed = mounted
            .iter()
            .map(|c| c.id)
            .filter(|id| !bad.contains(id))
            .collect();
        Ok(outcome)
    }

    /// A failure of a whole tool run that no seed's file explains.
    fn unattributed(stage: Stage, tool: &str, stdout: &str, stderr: &str) -> Failure {
        let first = stderr
            .lines()
            .chain(stdout.lines())
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        Failure {
            seed: 0,
            stage,
            kind: format!("{tool}: {}", normalise(first)),
            detail: format!("{stdout}{stderr}"),
        }
    }

    fn ruff(&self, dir: &Path, packages: &[&str]) -> Result<Vec<Failure>, HarnessError> {
        let mut failures = Vec::new();
        let mut args = vec!["ruff", "check", "--no-cache", "--output-format=concise"];
        args.extend(packages);
        let (ok, stdout, stderr) = self.python(dir, &args)?;
        // `s3/orders/models.py:12:5: F401 [*] `x` imported but unused`
        for line in stdout.lines() {
            let mut parts = line.splitn(4, ':');
            let (Some(path), Some(_), Some(_), Some(message)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let Some(seed) = seed_of(path) else {
                continue;
            };
            let message = message.trim().replace(" [*]", "");
            let (code, text) = message.split_once(' ').unwrap_or((&message, ""));
            failures.push(Failure {
                seed,
                stage: Stage::Clippy,
                kind: format!("ruff {code}: {}", normalise(text)),
                detail: line.to_string(),
            });
        }
        if !ok && failures.is_empty() {
            failures.push(Self::unattributed(Stage::Clippy, "ruff", &stdout, &stderr));
        }
        let mut args = vec!["ruff", "format", "--check", "--no-cache"];
        args.extend(packages);
        let (ok, stdout, stderr) = self.python(dir, &args)?;
        let before = failures.len();
        // `Would reformat: s3/orders/routes.py`, or from newer ruff (0.17) a
        // diagnostic: `unformatted: File would be reformatted` then
        // ` --> s3/orders/routes.py:1:8`.
        let mut unformatted = false;
        for line in stdout.lines().chain(stderr.lines()) {
            let path = if let Some(path) = line.strip_prefix("Would reformat: ") {
                path
            } else if line.starts_with("unformatted:") {
                unformatted = true;
                continue;
            } else if let Some(at) = line
                .trim_start()
                .strip_prefix("--> ")
                .filter(|_| unformatted)
            {
                unformatted = false;
                at.split(':').next().unwrap_or(at)
            } else {
                continue;
            };
            let Some(seed) = seed_of(path) else {
                continue;
            };
            let (_, diff, _) =
                self.python(dir, &["ruff", "format", "--diff", "--no-cache", path])?;
            failures.push(Failure {
                seed,
                stage: Stage::Clippy,
                kind: format!("ruff format: {}", file_kind(path)),
                detail: diff,
            });
        }
        if !ok && failures.len() == before {
            failures.push(Self::unattributed(
                Stage::Clippy,
                "ruff format",
                &stdout,
                &stderr,
            ));
        }
        Ok(failures)
    }

    fn mypy(&self, dir: &Path, packages: &[&str]) -> Result<Vec<Failure>, HarnessError> {
        let mut args = vec![
            "mypy",
            "--strict",
            "--no-error-summary",
            "--hide-error-context",
        ];
        args.extend(packages);
        let (ok, stdout, stderr) = self.python(dir, &args)?;
        let mut failures = Vec::new();
        // `s3/orders/service.py:40: error: Incompatible types ...  [assignment]`
        for line in stdout.lines() {
            let Some((path, rest)) = line.split_once(':') else {
                continue;
            };
            let Some(seed) = seed_of(path) else {
                continue;
            };
            let Some(message) = rest.split_once(": error: ").map(|(_, m)| m) else {
                continue;
            };
            let code = message
                .rsplit_once("  [")
                .map(|(_, c)| c.trim_end_matches(']'))
                .unwrap_or("error");
            let text = message.rsplit_once("  [").map_or(message, |(m, _)| m);
            failures.push(Failure {
                seed,
                stage: Stage::Clippy,
                kind: format!("mypy {code}: {}", normalise(text)),
                detail: line.to_string(),
            });
        }
        if !ok && failures.is_empty() {
            failures.push(Self::unattributed(Stage::Clippy, "mypy", &stdout, &stderr));
        }
        Ok(failures)
    }

    fn pytest(
        &self,
        dir: &Path,
        packages: &[&str],
        mounted: &[&Case],
    ) -> Result<Vec<Failure>, HarnessError> {
        let mut args = vec![
            "pytest",
            "-q",
            "-rfE",
            "-p",
            "no:cacheprovider",
            "--tb=line",
        ];
        args.extend(packages);
        let (ok, stdout, stderr) = self.python(dir, &args)?;
        let mut failures = Vec::new();
        // `FAILED s3/orders/tests/test_routes.py::test_get_order_answers_200 - assert 404 == 200`
        // `ERROR s3/orders/tests/test_routes.py - ImportError: ...`
        for line in stdout.lines() {
            let (what, rest) = if let Some(rest) = line.strip_prefix("FAILED ") {
                ("test", rest)
            } else if let Some(rest) = line.strip_prefix("ERROR ") {
                ("collect", rest)
            } else {
                continue;
            };
            let (id, reason) = rest.split_once(" - ").unwrap_or((rest, ""));
            let Some(seed) = seed_of(id) else {
                continue;
            };
            let (path, test) = id.split_once("::").unwrap_or((id, ""));
            let kind = if what == "test" {
                // The assertion's gist: `{_:[],_:null}` (an empty page) or the error body.
                format!(
                    "pytest {} {}: {}",
                    file_kind(path),
                    test_kind(test, seed, mounted),
                    normalise(reason)
                )
            } else {
                format!("pytest {}: {}", file_kind(path), normalise(reason))
            };
            failures.push(Failure {
                seed,
                stage: Stage::Test,
                kind,
                detail: line.to_string(),
            });
        }
        if !ok && failures.is_empty() {
            failures.push(Self::unattributed(Stage::Test, "pytest", &stdout, &stderr));
        }
        Ok(failures)
    }
}

/// A test's name with its operation replaced (`test_<op>_answers_N`), so the
/// same failing case of two operations is one kind.
fn test_kind(test: &str, seed: u64, mounted: &[&Case]) -> String {
    let name = test.strip_prefix("test_").unwrap_or(test);
    let mut ops: Vec<String> = mounted
        .iter()
        .filter(|c| c.id == seed)
        .flat_map(|c| &c.operations)
        .map(|o| crate::snake(o))
        .collect();
    ops.sort_by_key(|o| std::cmp::Reverse(o.len()));
    let kind = match ops.iter().find(|op| name.starts_with(op.as_str())) {
        Some(op) => format!("<op>{}", &name[op.len()..]),
        None => name.to_string(),
    };
    normalise(&kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_give_seeds_and_kinds() {
        assert_eq!(seed_of("s17/orders/models.py"), Some(17));
        assert_eq!(seed_of("./s3/app.py"), Some(3));
        assert_eq!(seed_of("backend/app.py"), None);
        assert_eq!(
            file_kind("s17/orders/tests/test_routes.py"),
            "tests/test_routes.py"
        );
        assert_eq!(file_kind("s17/app.py"), "app.py");
    }
}
