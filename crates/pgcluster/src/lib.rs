//! A throwaway PostgreSQL cluster: initdb into a temporary folder, a server
//! listening only on a Unix socket there, stopped when the [`Cluster`] is
//! dropped (also while a failed test unwinds).
//!
//! initdb refuses to run as root, so as root (CI, these machines) the cluster
//! belongs to the `postgres` system user and its programs run through
//! `runuser`. Shared by the end-to-end tests and `cargo xtask bench --pg`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed.\n\
         Install them (Debian/Ubuntu: `apt-get install postgresql`; .ci/run does this in CI)"
    )]
    NotInstalled,
    #[error("cannot run {program}: {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("{program} failed:\n{output}")]
    Failed { program: String, output: String },
}

/// A running cluster; stopped when dropped.
#[derive(Debug)]
pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    /// Run the server's programs as this user (`postgres` when we are root).
    user: Option<String>,
    port: u16,
}

/// The folder of `initdb` and `pg_ctl`: `pg_config --bindir`, else the
/// newest Debian install.
fn bindir() -> Result<PathBuf, ClusterError> {
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
    from_pg_config
        .filter(|b| b.join("initdb").is_file())
        .or_else(debian)
        .filter(|b| b.join("initdb").is_file())
        .ok_or(ClusterError::NotInstalled)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Cluster {
    /// Creates and starts a cluster with durability off (fsync, full pages):
    /// nothing in it outlives the process.
    pub fn start() -> Result<Self, ClusterError> {
        let bin = bindir()?;
        let dir = tempfile::Builder::new()
            .prefix("scaffold-pg-")
            .tempdir()
            .map_err(|source| ClusterError::Spawn {
                program: "mkdtemp".into(),
                source,
            })?;
        let user = is_root().then(|| "postgres".to_string());
        if let Some(user) = &user {
            let output = Command::new("chown")
                .args(["-R", user])
                .arg(dir.path())
                .output()
                .map_err(|source| ClusterError::Spawn {
                    program: "chown".into(),
                    source,
                })?;
            if !output.status.success() {
                return Err(ClusterError::Failed {
                    program: "chown".into(),
                    output: String::from_utf8_lossy(&output.stderr).into_owned(),
                });
            }
        }
        // The socket name carries the port; the folder is ours, so any port will do.
        let port = 5432 + u16::try_from(std::process::id() % 1000).unwrap_or(0);
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
        )?;
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
        )?;
        Ok(cluster)
    }

    fn data(&self) -> String {
        format!("{}/data", self.socket_dir())
    }

    /// The folder holding the server's Unix socket.
    pub fn socket_dir(&self) -> String {
        self.dir.path().display().to_string()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match &self.user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&path);
                command
            }
            None => Command::new(&path),
        }
    }

    /// Runs one of the server's programs as the cluster's user.
    fn server_program(&self, program: &str, args: &[&str]) -> Result<(), ClusterError> {
        let output = self
            .command(program)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .map_err(|source| ClusterError::Spawn {
                program: program.into(),
                source,
            })?;
        if output.status.success() {
            return Ok(());
        }
        let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        Err(ClusterError::Failed {
            program: format!("{program} {args:?}"),
            output: format!(
                "{}{}\nserver log:\n{log}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        })
    }

    /// A connection URL for `database` (over the Unix socket, as `postgres`).
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@/{database}?host={}&port={}",
            self.socket_dir(),
            self.port
        )
    }

    /// [`Cluster::url`] as sqlx reads it: sqlx wants a host in the URL, which
    /// `host=` then replaces with the socket's folder.
    pub fn sqlx_url(&self, database: &str) -> String {
        self.url(database)
            .replacen("postgres@/", "postgres@localhost/", 1)
    }

    fn psql_command(&self, database: &str) -> Command {
        let mut command = Command::new(self.bin.join("psql"));
        command
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(self.socket_dir())
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                database,
            ]);
        command
    }

    /// Runs SQL with psql against `database`; its output, or psql's error.
    pub fn psql(&self, database: &str, sql: &str) -> Result<String, ClusterError> {
        let spawn_error = |source| ClusterError::Spawn {
            program: "psql".into(),
            source,
        };
        let mut child = self
            .psql_command(database)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(spawn_error)?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(sql.as_bytes()).map_err(spawn_error)?;
        }
        let output = child.wait_with_output().map_err(spawn_error)?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(ClusterError::Failed {
                program: format!("psql on:\n{sql}"),
                output: String::from_utf8_lossy(&output.stderr).into_owned(),
            })
        }
    }

    /// Creates an empty database (replacing one of that name).
    pub fn create_database(&self, name: &str) -> Result<(), ClusterError> {
        self.psql(
            "postgres",
            &format!("DROP DATABASE IF EXISTS {name};\nCREATE DATABASE {name};\n"),
        )
        .map(drop)
    }

    /// Drops a database; best effort, never a panic (this may run while a
    /// failed test unwinds).
    pub fn drop_database(&self, name: &str) {
        let _ = self
            .psql_command("postgres")
            .arg("-c")
            .arg(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .output();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        // Immediate: nothing in a throwaway cluster needs a clean shutdown.
        let _ = self
            .command("pg_ctl")
            .args(["-D", &data, "-m", "immediate", "-w", "stop"])
            .output();
    }
}
