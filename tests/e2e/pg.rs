//! A throwaway PostgreSQL cluster for the database tests: initdb into a
//! temporary folder, a server listening only on a Unix socket there, stopped
//! by a Drop guard when the last test holding it is done (also after a failed
//! test: panics unwind through the guard).
//!
//! initdb refuses to run as root, so as root (CI, these machines) the cluster
//! belongs to the `postgres` system user and is run through `runuser`. A
//! missing server fails the test with what to install; it never skips.

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex, Weak};

/// A running cluster; stopped when dropped.
pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    /// Run the server's programs as this user (`postgres` when we are root).
    user: Option<String>,
    port: u16,
}

/// The cluster shared by the tests running now: started by the first, stopped
/// after the last one drops its handle.
pub fn cluster() -> Arc<Cluster> {
    static SHARED: Mutex<Weak<Cluster>> = Mutex::new(Weak::new());
    let mut shared = SHARED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(cluster) = shared.upgrade() {
        return cluster;
    }
    let cluster = Arc::new(Cluster::start());
    *shared = Arc::downgrade(&cluster);
    cluster
}

/// The folder of `initdb` and `pg_ctl`: `pg_config --bindir`, else the
/// newest Debian install.
fn bindir() -> PathBuf {
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let debian = || {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("bin"))
            .collect();
        found.sort();
        found.pop()
    };
    match from_pg_config
        .filter(|b| b.join("initdb").is_file())
        .or_else(debian)
        .filter(|b| b.join("initdb").is_file())
    {
        Some(bin) => bin,
        None => panic!(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed, so the database tests cannot run.\n\
             Install them (Debian/Ubuntu: `apt-get install postgresql`; .ci/run does this in CI), then run `cargo test --test e2e postgres::`."
        ),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Cluster {
    fn start() -> Self {
        let bin = bindir();
        let dir = tempfile::Builder::new()
            .prefix("scaffold-pg-")
            .tempdir()
            .expect("temp dir for the cluster");
        let user = is_root().then(|| "postgres".to_string());
        if let Some(user) = &user {
            let status = Command::new("chown")
                .args(["-R", user])
                .arg(dir.path())
                .status()
                .expect("chown");
            assert!(status.success(), "chown {user} {}", dir.path().display());
        }
        // The socket name carries the port; the folder is ours, so any port will do.
        let port = 5432 + (std::process::id() % 1000) as u16;
        let cluster = Cluster {
            bin,
            dir,
            user,
            port,
        };
        let data = cluster.data();
        cluster.server_program(
            "initdb",
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        let options = format!(
            "-c listen_addresses='' -k {} -p {} -c fsync=off -c full_page_writes=off",
            cluster.socket_dir(),
            cluster.port
        );
        let log = format!("{}/server.log", cluster.socket_dir());
        cluster.server_program(
            "pg_ctl",
            &[
                "-D", &data, "-o", &options, "-l", &log, "-w", "-t", "60", "start",
            ],
        );
        cluster
    }

    fn data(&self) -> String {
        format!("{}/data", self.socket_dir())
    }

    fn socket_dir(&self) -> String {
        self.dir.path().display().to_string()
    }

    /// Runs one of the server's programs (as the cluster's user) and panics with its output on failure.
    fn server_program(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let mut command = match &self.user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&path);
                command
            }
            None => Command::new(&path),
        };
        let output = command
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
        let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        assert!(
            output.status.success(),
            "{program} {args:?} failed:\n{}{}\nserver log:\n{log}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// A connection URL for `database` (over the Unix socket, as `postgres`).
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@/{database}?host={}&port={}",
            self.socket_dir(),
            self.port
        )
    }

    /// Runs SQL with psql against `database`; panics with psql's output when a statement fails.
    pub fn psql(&self, database: &str, sql: &str) -> String {
        use std::io::Write as _;
        let mut child = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(self.socket_dir())
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                database,
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn psql");
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(sql.as_bytes()).expect("write SQL to psql");
        }
        let output = child.wait_with_output().expect("psql");
        assert!(
            output.status.success(),
            "psql failed on:\n{sql}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// A fresh, empty database for one test (named after it), dropped by its guard.
    pub fn database(self: &Arc<Self>, name: &str) -> Database {
        self.psql(
            "postgres",
            &format!("DROP DATABASE IF EXISTS {name};\nCREATE DATABASE {name};\n"),
        );
        Database {
            cluster: Arc::clone(self),
            name: name.to_string(),
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let path = self.bin.join("pg_ctl");
        let mut command = match &self.user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&path);
                command
            }
            None => Command::new(&path),
        };
        // Immediate: nothing in a throwaway cluster needs a clean shutdown.
        let _ = command
            .args(["-D", &data, "-m", "immediate", "-w", "stop"])
            .output();
    }
}

/// One test's database; dropped with it.
pub struct Database {
    pub cluster: Arc<Cluster>,
    pub name: String,
}

impl Database {
    pub fn url(&self) -> String {
        self.cluster.url(&self.name)
    }

    pub fn psql(&self, sql: &str) -> String {
        self.cluster.psql(&self.name, sql)
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        // Best effort and never a panic (this may run while a failed test
        // unwinds); the cluster goes away with the last test anyway.
        let _ = Command::new(self.cluster.bin.join("psql"))
            .args(["-X", "-q", "-h"])
            .arg(self.cluster.socket_dir())
            .args([
                "-p",
                &self.cluster.port.to_string(),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
            ])
            .arg(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .output();
    }
}
