//! Builders for running the real binary in temporary projects.

use scaffold_specgen::harness::host_cargo;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `scaffold` binary cargo built for this test run.
pub fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_scaffold"))
}

/// The slim Claude hook built beside [`binary`].
pub fn hook_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_scaffold-hook"))
}

/// Host crates share a package name and a target folder, and cargo judges
/// freshness by modification times: code generated while another host crate
/// builds is older than that build's binary, which would then be reused. So
/// host crates are generated and built one at a time.
fn host_lock() -> std::sync::MutexGuard<'static, ()> {
    static HOST_CARGO: std::sync::Mutex<()> = std::sync::Mutex::new(());
    HOST_CARGO
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A temporary project folder, removed when dropped.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A project holding a copy of `examples/specs` (and nothing generated).
    pub fn with_example_specs() -> Self {
        let project = Self::new();
        copy_dir(
            &workspace().join("examples/specs"),
            &project.path().join("specs"),
        );
        project
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, contents: &str) -> &Self {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dir");
        }
        std::fs::write(path, contents).expect("write file");
        self
    }

    /// Sets `max N` on every spec's title (the kill test's "new" version).
    pub fn write_spec_limit(&self, max: u32) {
        for (path, bytes) in self.snapshot("specs") {
            let text = String::from_utf8_lossy(&bytes).replace("max 120", &format!("max {max}"));
            self.write(&path, &text);
        }
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Every file under `rel`, as (path relative to the project, bytes), sorted.
    pub fn snapshot(&self, rel: &str) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        collect(self.path(), &self.path().join(rel), &mut files);
        files.sort();
        files
    }

    /// Modification times of every file under `rel`: an identical rerun must not change them.
    pub fn mtimes(&self, rel: &str) -> Vec<(String, std::time::SystemTime)> {
        self.snapshot(rel)
            .into_iter()
            .map(|(path, _)| {
                let modified = std::fs::metadata(self.path().join(&path))
                    .and_then(|m| m.modified())
                    .expect("mtime");
                (path, modified)
            })
            .collect()
    }

    /// Runs cargo in the project (a host crate) and returns its stdout; fails the test on
    /// an error or any warning. One target folder for every host crate keeps CI fast.
    pub fn cargo(&self, args: &[&str]) -> String {
        let _one_at_a_time = host_lock();
        self.cargo_locked(args)
    }

    fn cargo_locked(&self, args: &[&str]) -> String {
        let output = host_cargo(env!("CARGO"), &workspace().join("target/e2e"))
            .args(args)
            .current_dir(self.path())
            .output()
            .expect("run cargo");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "cargo {args:?} failed:\n{stdout}\n{stderr}"
        );
        assert!(
            !stderr.contains("warning:"),
            "cargo {args:?} warned:\n{stderr}"
        );
        stdout
    }

    /// `scaffold generate`, then clippy with warnings denied and the tests of
    /// the host crate; returns the test output.
    pub fn generate_lint_and_test(&self) -> String {
        let _one_at_a_time = host_lock();
        let output = self.scaffold().args(["generate"]).run();
        assert_eq!(output.code, 0, "{}", output.transcript());
        self.cargo_locked(&[
            "clippy",
            "--quiet",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]);
        // Generated Rust is what the host's rustfmt makes of it: `cargo fmt` has nothing to do.
        self.cargo_locked(&["fmt", "--check"]);
        self.cargo_locked(&["test", "--locked"])
    }

    pub fn scaffold(&self) -> Run {
        Run::new(self.path())
    }
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, out);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&path).unwrap_or_default()));
        }
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy file");
        }
    }
}

/// One invocation of the binary, built up argument by argument.
pub struct Run {
    command: Command,
    dir: PathBuf,
    stdin: Option<String>,
}

/// What an invocation printed and returned, with temp paths made stable.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// `exit: N`, stdout and stderr, for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    pub fn new(dir: &Path) -> Self {
        let mut command = Command::new(binary());
        command
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env_remove("CLAUDECODE");
        Self {
            command,
            dir: dir.to_path_buf(),
            stdin: None,
        }
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(mut self, args: I) -> Self {
        self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn stdin(mut self, input: &str) -> Self {
        self.stdin = Some(input.to_string());
        self
    }

    pub fn run(mut self) -> Output {
        use std::io::Write as _;
        self.command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = self.command.spawn().expect("spawn scaffold");
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(self.stdin.unwrap_or_default().as_bytes());
        }
        let output = child.wait_with_output().expect("wait for scaffold");
        let clean = |bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let dir = self.dir.to_string_lossy().into_owned();
            let canonical = self
                .dir
                .canonicalize()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| dir.clone());
            text.replace(&canonical, "[PROJECT]")
                .replace(&dir, "[PROJECT]")
        };
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: clean(&output.stdout),
            stderr: clean(&output.stderr),
        }
    }
}
