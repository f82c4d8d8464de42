//! Runs generated specs the way a user would: `scaffold lint`, `scaffold
//! generate`, then every generated backend mounted in ONE host crate (one
//! build for a whole batch), `cargo clippy --all-targets -D warnings`, and
//! `cargo test` (the generated tests, plus one test per project that builds
//! its merged `router()`). Failures are grouped by kind: a normalised message
//! (names replaced by `_`), so a thousand seeds give a short list.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::model::{File, Spec};

/// One project to run: generated from a seed, or read from a fixture folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The seed (fixtures get ids of their own); the host crate's module is `s<id>`.
    pub id: u64,
    /// Files under `specs/`.
    pub files: Vec<File>,
    /// Operation names, so test names normalise to kinds.
    pub operations: Vec<String>,
}

impl From<&Spec> for Case {
    fn from(spec: &Spec) -> Self {
        Self {
            id: spec.seed,
            files: spec.files(),
            operations: spec
                .domains
                .iter()
                .flat_map(|d| &d.tickets)
                .flat_map(|t| &t.operations)
                .map(|o| o.name.clone())
                .collect(),
        }
    }
}

impl Case {
    /// A fixture folder (its `specs/` tree, or the folder itself) as a case.
    pub fn read(id: u64, dir: &Path) -> Result<Self, HarnessError> {
        let root = if dir.join("specs").is_dir() {
            dir.join("specs")
        } else {
            dir.to_path_buf()
        };
        let mut files = Vec::new();
        collect(&root, &root, &mut files)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        // Headings of operations: `### OP-001: Name` or `### Name`.
        let operations = files
            .iter()
            .flat_map(|f| f.text.lines())
            .filter_map(|l| l.strip_prefix("### "))
            .filter(|l| !l.starts_with("Entity:"))
            .map(|l| l.rsplit(": ").next().unwrap_or(l).trim().to_string())
            .collect();
        Ok(Self {
            id,
            files,
            operations,
        })
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<File>) -> Result<(), HarnessError> {
    for entry in std::fs::read_dir(dir).map_err(io(format!("read {}", dir.display())))? {
        let path = entry.map_err(io(format!("read {}", dir.display())))?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            let text =
                std::fs::read_to_string(&path).map_err(io(format!("read {}", path.display())))?;
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(File { path: rel, text });
        }
    }
    Ok(())
}

/// How far a run goes; shrinking stops at the stage of the failure it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Lint,
    Generate,
    Clippy,
    Test,
}

/// One failure of one seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub seed: u64,
    pub stage: Stage,
    /// The normalised kind: `rustc E0428: the name _ is defined multiple times`.
    pub kind: String,
    /// What was printed, for people.
    pub detail: String,
}

#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

/// A cargo command for a generated host crate building in the shared `target_dir`.
///
/// Host crates are built to be tested once, never debugged: no debug info and no
/// incremental cache, which were two thirds of the gigabytes a CI run left on disk
/// (a full disk failed CI once).
pub fn host_cargo(cargo: impl AsRef<std::ffi::OsStr>, target_dir: &Path) -> Command {
    let mut command = Command::new(cargo);
    command
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0")
        // The test profile inherits this.
        .env("CARGO_PROFILE_DEV_DEBUG", "0");
    command
}

pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> HarnessError {
    let context = context.into();
    move |source| HarnessError::Io { context, source }
}

/// Where the tools are and where to work.
#[derive(Debug, Clone)]
pub struct Harness {
    /// The `scaffold` binary.
    pub scaffold: PathBuf,
    /// A folder the harness owns: host crates are written below it.
    pub work: PathBuf,
    /// `CARGO_TARGET_DIR` of the host crates (share it: dependencies build once).
    pub target_dir: PathBuf,
    /// A folder with the host crate's `Cargo.toml` and `Cargo.lock` (`examples/`).
    pub host_template: PathBuf,
    /// The cargo to run.
    pub cargo: PathBuf,
    /// Generate PostgreSQL repositories too (`[database] engine = "postgres"`)
    /// and run their generated tests on this server.
    pub postgres: Option<Postgres>,
}

/// A PostgreSQL server for the generated repositories' tests, which create
/// (and drop) a schema of their own on it each.
#[derive(Debug, Clone)]
pub struct Postgres {
    /// `DATABASE_URL` of the generated tests.
    pub database_url: String,
    /// A `Cargo.lock` of the host crate with sqlx (tests/fixtures/postgres-host/).
    pub lock: PathBuf,
}

/// sqlx as `scaffold generate --add-deps` adds it, with every type feature a
/// spec may need.
const SQLX: &str = r#"sqlx = { version = "0.8", default-features = false, features = ["runtime-tokio", "postgres", "json", "uuid", "chrono", "rust_decimal"] }"#;

/// What a run found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub failures: Vec<Failure>,
    /// Seeds that passed every stage.
    pub passed: Vec<u64>,
}

impl Outcome {
    /// Failures grouped by kind, each with its seeds, in kind order.
    pub fn by_kind(&self) -> BTreeMap<String, Vec<&Failure>> {
        let mut kinds: BTreeMap<String, Vec<&Failure>> = BTreeMap::new();
        for failure in &self.failures {
            let seeds = kinds.entry(failure.kind.clone()).or_default();
            if !seeds.iter().any(|f| f.seed == failure.seed) {
                seeds.push(failure);
            }
        }
        kinds
    }
}

/// Replaces what varies between seeds (names in backticks or quotes, numbers)
/// so one bug is one kind.
pub fn normalise(message: &str) -> String {
    let mut out = String::new();
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '"' => {
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
                out.push('_');
            }
            c if c.is_ascii_digit() => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                out.push('N');
            }
            c => out.push(c),
        }
    }
    let line = out.lines().next().unwrap_or_default().trim().to_string();
    line.chars().take(140).collect()
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), HarnessError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(format!("create {}", parent.display())))?;
    }
    std::fs::write(path, text).map_err(io(format!("write {}", path.display())))
}

/// Writes `case` as a project of `stack` in `dir` (scaffold.toml and specs/),
/// replacing what was there.
pub(crate) fn write_project(dir: &Path, case: &Case, config: &str) -> Result<(), HarnessError> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io(format!("clear {}", dir.display())))?;
    }
    write(&dir.join("scaffold.toml"), config)?;
    for file in &case.files {
        write(&dir.join("specs").join(&file.path), &file.text)?;
    }
    Ok(())
}

/// Runs the `scaffold` binary in `dir`: exit code, stdout, stderr.
pub(crate) fn run_scaffold(
    scaffold: &Path,
    dir: &Path,
    args: &[&str],
) -> Result<(i32, String, String), HarnessError> {
    let output = Command::new(scaffold)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .map_err(io(format!("run {}", scaffold.display())))?;
    Ok((
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// A project's scaffold.toml: its stack, and PostgreSQL repositories or not.
pub(crate) fn scaffold_toml(stack: &str, postgres: bool) -> String {
    let mut config = format!("stack = \"{stack}\"\nspecs = \"specs\"\noutput = \"backend\"\n");
    if postgres {
        config.push_str("\n[database]\nengine = \"postgres\"\n");
    }
    config
}

/// Writes `case` as a project of `config` (scaffold.toml) in `dir`, lints and
/// generates it; the failures of these two stages (the same for every stack).
pub(crate) fn lint_and_generate(
    scaffold: &Path,
    dir: &Path,
    case: &Case,
    config: &str,
) -> Result<Vec<Failure>, HarnessError> {
    write_project(dir, case, config)?;
    let seed = case.id;
    let (code, stdout, stderr) = run_scaffold(scaffold, dir, &["lint", "--format", "json"])?;
    let mut failures = Vec::new();
    for line in stdout.lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if value["severity"] == "error" {
            let code = value["code"].as_str().unwrap_or("?");
            failures.push(Failure {
                seed,
                stage: Stage::Lint,
                kind: format!(
                    "lint {code}: {}",
                    normalise(value["message"].as_str().unwrap_or(""))
                ),
                detail: line.to_string(),
            });
        }
    }
    if code != 0 && failures.is_empty() {
        failures.push(Failure {
            seed,
            stage: Stage::Lint,
            kind: format!("lint exit {code}: {}", normalise(&stderr)),
            detail: format!("{stdout}{stderr}"),
        });
    }
    if !failures.is_empty() {
        return Ok(failures);
    }
    let (code, stdout, stderr) = run_scaffold(scaffold, dir, &["generate"])?;
    if code != 0 {
        // `error: domain x cannot be generated` lists its problems as `  - ...` lines: one kind each.
        let mut in_error = false;
        for line in stderr.lines() {
            if line.starts_with("error") {
                in_error = true;
            } else if let Some(problem) = line.strip_prefix("  - ").filter(|_| in_error) {
                let kind = format!("generate: {}", normalise(problem));
                if !failures.iter().any(|f: &Failure| f.kind == kind) {
                    failures.push(Failure {
                        seed,
                        stage: Stage::Generate,
                        kind,
                        detail: format!("{stdout}{stderr}"),
                    });
                }
            } else if !line.starts_with(' ') {
                in_error = false;
            }
        }
        if failures.is_empty() {
            let first = stderr
                .lines()
                .find(|l| l.starts_with("error"))
                .unwrap_or_else(|| stderr.lines().next().unwrap_or_default());
            failures.push(Failure {
                seed,
                stage: Stage::Generate,
                kind: format!("generate exit {code}: {}", normalise(first)),
                detail: format!("{stdout}{stderr}"),
            });
        }
    }
    Ok(failures)
}

impl Harness {
    /// Runs every spec up to `until` (every stage: [`Stage::Test`]); specs
    /// that lint and generate share one host crate in `work/<name>`.
    pub fn run(&self, name: &str, specs: &[Case], until: Stage) -> Result<Outcome, HarnessError> {
        let host = self.work.join(name);
        if host.exists() {
            std::fs::remove_dir_all(&host).map_err(io(format!("clear {}", host.display())))?;
        }
        let mut outcome = Outcome::default();
        let mut mounted: Vec<&Case> = Vec::new();
        let config = scaffold_toml("rust-axum", self.postgres.is_some());
        for spec in specs {
            let dir = host.join("seeds").join(format!("s{}", spec.id));
            let failures = lint_and_generate(&self.scaffold, &dir, spec, &config)?;
            if failures.is_empty() {
                mounted.push(spec);
            } else {
                outcome.failures.extend(failures);
            }
        }
        if until <= Stage::Generate || mounted.is_empty() {
            outcome.passed = mounted.iter().map(|s| s.id).collect();
            return Ok(outcome);
        }
        self.write_host(&host)?;
        // Clippy until clean: a seed whose code fails is taken out and the rest rebuilt.
        for _ in 0..4 {
            self.write_lib(&host, &mounted)?;
            let failures = self.clippy(&host)?;
            if failures.is_empty() {
                break;
            }
            let bad: Vec<u64> = failures.iter().map(|f| f.seed).collect();
            outcome.failures.extend(failures);
            let before = mounted.len();
            mounted.retain(|s| !bad.contains(&s.id));
            if mounted.len() == before {
                // Nothing attributable to a seed: every seed fails the same way.
                mounted.clear();
            }
            if mounted.is_empty() {
                break;
            }
        }
        if until <= Stage::Clippy || mounted.is_empty() {
            outcome.passed = mounted.iter().map(|s| s.id).collect();
            return Ok(outcome);
        }
        self.write_lib(&host, &mounted)?;
        let failures = self.test(&host, &mounted)?;
        let bad: Vec<u64> = failures.iter().map(|f| f.seed).collect();
        outcome.failures.extend(failures);
        outcome.passed = mounted
            .iter()
            .map(|s| s.id)
            .filter(|s| !bad.contains(s))
            .collect();
        Ok(outcome)
    }

    fn write_host(&self, host: &Path) -> Result<(), HarnessError> {
        let manifest = std::fs::read_to_string(self.host_template.join("Cargo.toml"))
            .map_err(io("read the host template's Cargo.toml"))?;
        // Its own package name: its build never mistakes another host crate's artifacts for its own.
        let mut manifest =
            manifest.replacen("name = \"scaffold-examples\"", "name = \"fuzz-host\"", 1);
        let lock = match &self.postgres {
            Some(postgres) => {
                manifest =
                    manifest.replacen("[dependencies]\n", &format!("[dependencies]\n{SQLX}\n"), 1);
                std::fs::read_to_string(&postgres.lock)
                    .map_err(io(format!("read {}", postgres.lock.display())))?
                    .replace("name = \"scaffold-pg-host\"", "name = \"fuzz-host\"")
            }
            None => std::fs::read_to_string(self.host_template.join("Cargo.lock"))
                .map_err(io("read the host template's Cargo.lock"))?
                .replace("name = \"scaffold-examples\"", "name = \"fuzz-host\""),
        };
        write(&host.join("Cargo.toml"), &manifest)?;
        write(&host.join("Cargo.lock"), &lock)
    }

    fn write_lib(&self, host: &Path, mounted: &[&Case]) -> Result<(), HarnessError> {
        let mut lib =
            String::from("//! Every generated backend of a fuzz batch, one module per seed.\n\n");
        for spec in mounted {
            let seed = spec.id;
            lib.push_str(&format!(
                "#[path = \"../seeds/s{seed}/backend/mod.rs\"]\npub mod s{seed};\n"
            ));
        }
        lib.push_str("\n#[cfg(test)]\nmod routers {\n");
        for spec in mounted {
            let seed = spec.id;
            lib.push_str(&format!("    #[test]\n    fn router_s{seed}() {{\n        let _router = super::s{seed}::router();\n    }}\n"));
        }
        lib.push_str("}\n");
        write(&host.join("src/lib.rs"), &lib)
    }

    fn cargo(&self, host: &Path, args: &[&str]) -> Result<(bool, String, String), HarnessError> {
        let mut command = host_cargo(&self.cargo, &self.target_dir);
        if let Some(postgres) = &self.postgres {
            command.env("DATABASE_URL", &postgres.database_url);
        }
        let output = command
            .args(args)
            .current_dir(host)
            .env_remove("RUSTFLAGS")
            .output()
            .map_err(io("run cargo"))?;
        Ok((
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ))
    }

    fn seed_of(path: &str) -> Option<u64> {
        let rest = path.split("seeds/s").nth(1)?;
        rest.split('/').next()?.parse().ok()
    }

    fn clippy(&self, host: &Path) -> Result<Vec<Failure>, HarnessError> {
        let (ok, stdout, stderr) = self.cargo(
            host,
            &[
                "clippy",
                "--all-targets",
                "--message-format=json",
                "--",
                "-D",
                "warnings",
            ],
        )?;
        let mut failures = Vec::new();
        for line in stdout.lines() {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if value["reason"] != "compiler-message" {
                continue;
            }
            let message = &value["message"];
            if message["level"] != "error" {
                continue;
            }
            let Some(span) = message["spans"].as_array().and_then(|s| s.first()) else {
                continue;
            };
            let file = span["file_name"].as_str().unwrap_or_default();
            let Some(seed) = Self::seed_of(file) else {
                continue;
            };
            let text = message["message"].as_str().unwrap_or_default();
            let code = message["code"]["code"].as_str().unwrap_or("");
            let kind = if code.starts_with("clippy::") {
                format!("clippy {code}")
            } else if code.starts_with('E') {
                format!("rustc {code}: {}", normalise(text))
            } else if code.is_empty() {
                format!("rustc: {}", normalise(text))
            } else {
                format!("warning {code}")
            };
            let rendered = message["rendered"].as_str().unwrap_or(text).to_string();
            let failure = Failure {
                seed,
                stage: Stage::Clippy,
                kind,
                detail: rendered,
            };
            if !failures
                .iter()
                .any(|f: &Failure| f.seed == failure.seed && f.kind == failure.kind)
            {
                failures.push(failure);
            }
        }
        if !ok && failures.is_empty() {
            failures.push(Failure {
                seed: 0,
                stage: Stage::Clippy,
                kind: format!(
                    "cargo clippy: {}",
                    normalise(
                        stderr
                            .lines()
                            .find(|l| l.contains("error"))
                            .unwrap_or_default()
                    )
                ),
                detail: stderr,
            });
        }
        Ok(failures)
    }

    fn test(&self, host: &Path, mounted: &[&Case]) -> Result<Vec<Failure>, HarnessError> {
        let (ok, stdout, stderr) =
            self.cargo(host, &["test", "--lib", "--", "--test-threads=2"])?;
        let mut failures = Vec::new();
        for line in stdout.lines() {
            let Some(name) = line
                .strip_prefix("test ")
                .and_then(|l| l.strip_suffix(" ... FAILED"))
            else {
                continue;
            };
            let (seed, kind) = test_kind(name, mounted);
            let detail = panic_of(&stdout, name);
            let kind = if kind == "router" {
                format!(
                    "router: {}",
                    normalise(
                        detail
                            .lines()
                            .find(|l| !l.contains("panicked at"))
                            .unwrap_or_default()
                    )
                )
            } else {
                // The error code a failing request answered says why (`REFERENCE_CONFLICT`).
                match answered_code(&detail) {
                    Some(code) => format!("test {kind}: {code}"),
                    None => format!("test {kind}"),
                }
            };
            failures.push(Failure {
                seed,
                stage: Stage::Test,
                kind,
                detail,
            });
        }
        if !ok && failures.is_empty() {
            failures.push(Failure {
                seed: 0,
                stage: Stage::Test,
                kind: format!(
                    "cargo test: {}",
                    normalise(
                        stderr
                            .lines()
                            .find(|l| l.contains("error"))
                            .unwrap_or_default()
                    )
                ),
                detail: format!("{stdout}{stderr}"),
            });
        }
        Ok(failures)
    }

    /// Shrinks many failing specs at once: each round runs the next smaller
    /// candidates of every spec (at most `width` each) in ONE host crate, and
    /// keeps, per spec, the smallest candidate that still fails with its
    /// kind; stops after `rounds` rounds or when nothing shrinks. One build
    /// per round instead of one per candidate.
    pub fn shrink_all(
        &self,
        targets: &[(Spec, String, Stage)],
        width: usize,
        rounds: usize,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<Spec>, HarnessError> {
        let mut best: Vec<Spec> = targets.iter().map(|(s, _, _)| s.clone()).collect();
        let mut done = vec![false; targets.len()];
        for round in 0..rounds {
            let mut cases = Vec::new();
            let mut owner: Vec<(usize, Spec)> = Vec::new();
            let mut stage = Stage::Lint;
            for (t, (_, _, kind_stage)) in targets.iter().enumerate() {
                if done[t] {
                    continue;
                }
                for candidate in crate::shrink::candidates(&best[t]).into_iter().take(width) {
                    let mut case = Case::from(&candidate);
                    case.id = owner.len() as u64 + 1;
                    cases.push(case);
                    owner.push((t, candidate));
                    stage = stage.max(*kind_stage);
                }
            }
            if cases.is_empty() {
                break;
            }
            let outcome = self.run("shrink", &cases, stage)?;
            let mut shrunk = vec![false; targets.len()];
            for (index, (t, candidate)) in owner.into_iter().enumerate() {
                let id = index as u64 + 1;
                let kind = &targets[t].1;
                let fails = outcome
                    .failures
                    .iter()
                    .any(|f| f.seed == id && &f.kind == kind);
                if fails && candidate.size() < best[t].size() {
                    best[t] = candidate;
                    shrunk[t] = true;
                }
            }
            for t in 0..targets.len() {
                if !shrunk[t] {
                    done[t] = true;
                }
            }
            progress(round + 1, done.iter().filter(|d| !**d).count());
        }
        Ok(best)
    }

    /// Shrinks `spec` while it still fails with `kind`, for at most `budget`
    /// runs; returns the smallest failing spec found.
    pub fn shrink(
        &self,
        spec: &Spec,
        kind: &str,
        stage: Stage,
        budget: usize,
    ) -> Result<Spec, HarnessError> {
        let mut best = spec.clone();
        let mut runs = 0;
        'outer: loop {
            for candidate in crate::shrink::candidates(&best) {
                if runs >= budget {
                    break 'outer;
                }
                runs += 1;
                let outcome = self.run("shrink", &[Case::from(&candidate)], stage)?;
                if outcome.failures.iter().any(|f| f.kind == kind) {
                    best = candidate;
                    continue 'outer;
                }
            }
            break;
        }
        Ok(best)
    }
}

/// The seed of a test (`s17::orders::routes::tests::create_order_answers_201`)
/// and its kind with the names of the seed replaced (`routes <op>_answers_N`).
fn test_kind(name: &str, mounted: &[&Case]) -> (u64, String) {
    if let Some(seed) = name.strip_prefix("routers::router_s") {
        return (seed.parse().unwrap_or(0), "router".into());
    }
    let mut parts = name.split("::");
    let seed: u64 = parts
        .next()
        .and_then(|s| s.strip_prefix('s'))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let rest: Vec<&str> = parts.collect();
    let test = rest.last().copied().unwrap_or_default();
    // `<domain>::routes::tests::x` is in routes.rs, `<domain>::tests::x` in the
    // owned tests.rs: the file, never the domain's name, is part of the kind.
    let files = [
        "routes",
        "models",
        "service",
        "repository",
        "rules",
        "postgres",
    ];
    let module = match rest.iter().rev().nth(2).copied() {
        Some(file) if files.contains(&file) => file,
        _ => "tests",
    };
    let mut ops: Vec<String> = mounted
        .iter()
        .filter(|s| s.id == seed)
        .flat_map(|s| &s.operations)
        .map(|o| crate::snake(o))
        .collect();
    ops.sort_by_key(|o| std::cmp::Reverse(o.len()));
    let mut kind = test.to_string();
    if let Some(op) = ops.iter().find(|op| test.starts_with(op.as_str())) {
        kind = format!("<op>{}", &test[op.len()..]);
    }
    // Filters name a field: `_filters_by_<field>` is one kind whatever the field.
    for marker in ["_filters_by_", "_rejects_", "_accepts_"] {
        if let Some(at) = kind.find(marker) {
            kind = format!("{}{marker}<field>", &kind[..at]);
        }
    }
    (seed, format!("{module} {}", normalise(&kind)))
}

/// The `"code"` of the error body a failed test's assertion shows, if any.
fn answered_code(detail: &str) -> Option<String> {
    let at = detail.find("\"code\":\"")? + "\"code\":\"".len();
    let code: String = detail[at..]
        .chars()
        .take_while(|c| c.is_ascii_uppercase() || *c == '_' || c.is_ascii_digit())
        .collect();
    (!code.is_empty()).then_some(code)
}

/// The `---- name stdout ----` section of a failed test.
fn panic_of(stdout: &str, name: &str) -> String {
    let header = format!("---- {name} stdout ----");
    let Some(start) = stdout.find(&header) else {
        return String::new();
    };
    let body = &stdout[start + header.len()..];
    let end = body
        .find("\n---- ")
        .or_else(|| body.find("\nfailures:"))
        .unwrap_or(body.len());
    body[..end].trim().to_string()
}
