//! The database tests' PostgreSQL: one throwaway cluster (scaffold-pgcluster)
//! shared by the tests running now, stopped after the last one drops its
//! handle (also after a failed test: panics unwind through the guards), and a
//! fresh database per test. A missing server fails the test with what to
//! install; it never skips.

use std::sync::{Arc, Mutex, Weak};

use scaffold_pgcluster::Cluster;

/// The cluster shared by the tests running now: started by the first, stopped
/// after the last one drops its handle.
pub fn cluster() -> Arc<Shared> {
    static SHARED: Mutex<Weak<Shared>> = Mutex::new(Weak::new());
    let mut shared = SHARED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(cluster) = shared.upgrade() {
        return cluster;
    }
    let cluster =
        Arc::new(Shared(Cluster::start().unwrap_or_else(|e| {
            panic!("{e}\nthen run `cargo test --test e2e postgres`")
        })));
    *shared = Arc::downgrade(&cluster);
    cluster
}

/// The running cluster.
pub struct Shared(Cluster);

impl Shared {
    /// A fresh, empty database for one test (named after it), dropped by its guard.
    pub fn database(self: &Arc<Self>, name: &str) -> Database {
        self.0
            .create_database(name)
            .unwrap_or_else(|e| panic!("{e}"));
        Database {
            cluster: Arc::clone(self),
            name: name.to_string(),
        }
    }
}

/// One test's database; dropped with it.
pub struct Database {
    cluster: Arc<Shared>,
    name: String,
}

impl Database {
    /// A connection URL (over the Unix socket, as `postgres`).
    pub fn url(&self) -> String {
        self.cluster.0.url(&self.name)
    }

    /// The URL as sqlx reads it ([`scaffold_pgcluster::Cluster::sqlx_url`]).
    pub fn sqlx_url(&self) -> String {
        self.cluster.0.sqlx_url(&self.name)
    }

    /// Runs SQL with psql; panics with psql's output when a statement fails.
    pub fn psql(&self, sql: &str) -> String {
        self.cluster
            .0
            .psql(&self.name, sql)
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        self.cluster.0.drop_database(&self.name);
    }
}
