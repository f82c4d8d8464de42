//! The generated PostgreSQL repositories against a real server: the example
//! specs generated with `[database] engine = "postgres"` into a host crate,
//! clippy-clean with `-D warnings`, `scaffold schema`'s request applied to a
//! fresh database of the throwaway cluster (`pg.rs`), then the host's tests:
//! the generated ones (the routes' HTTP tests over the in-memory repositories,
//! and the same over PostgreSQL, each in a schema of its own) and
//! tests/fixtures/postgres-host/postgres.rs, which drives the router backed by the pool (CRUD, a unique violation as
//! the spec's 409, foreign keys, paging, reserved names, an unreachable
//! server as 503).

use crate::pg;
use crate::support::{Project, workspace};
use scaffold_specgen::harness::host_cargo;

/// Both tests build a crate named `scaffold-pg-host` in target/e2e: one at a time.
fn one_host_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static HOST: std::sync::Mutex<()> = std::sync::Mutex::new(());
    HOST.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A host crate generating PostgreSQL repositories (`database` is the
/// `[database]` part of scaffold.toml) with `test` as its tests/postgres.rs.
fn postgres_host(project: Project, database: &str, test: &str) -> Project {
    let examples = workspace().join("examples");
    // Another package name than the examples' crate: both build in target/e2e.
    let manifest = std::fs::read_to_string(examples.join("Cargo.toml"))
        .expect("examples/Cargo.toml")
        .replace(
            "name = \"scaffold-examples\"",
            "name = \"scaffold-pg-host\"",
        );
    project.write("Cargo.toml", &manifest);
    // The versions of a run that passed (the examples' crates, sqlx 0.8 and
    // its own): target/e2e is reused, and CI resolves only what has changed.
    let lock = workspace().join("tests/fixtures/postgres-host/Cargo.lock");
    project.write(
        "Cargo.lock",
        &std::fs::read_to_string(&lock).expect("tests/fixtures/postgres-host/Cargo.lock"),
    );
    project.write(
        "scaffold.toml",
        &format!("stack = \"rust-axum\"\nspecs = \"specs\"\noutput = \"backend\"\n\n{database}"),
    );
    project.write(
        "src/lib.rs",
        "//! The generated backend, as a library.\n\n#[path = \"../backend/mod.rs\"]\npub mod backend;\n",
    );
    for (fixture, path) in [
        (test, "tests/postgres.rs"),
        ("common.rs", "tests/common/mod.rs"),
    ] {
        let fixture = format!("tests/fixtures/postgres-host/{fixture}");
        project.write(
            path,
            &std::fs::read_to_string(workspace().join(&fixture)).expect(&fixture),
        );
    }
    project
}

/// Generates with `--add-deps`, applies `scaffold schema` to a fresh database
/// named `database`, runs clippy, the host's PostgreSQL tests and the
/// generated ones; returns the output of both.
fn generate_and_test(project: &Project, database: &str) -> (String, String) {
    let generate = project.scaffold().args(["generate", "--add-deps"]).run();
    assert_eq!(generate.code, 0, "{}", generate.transcript());
    let request = project.scaffold().args(["schema"]).run();
    assert_eq!(request.code, 0, "{}", request.transcript());
    let database = pg::cluster().database(database);
    database.psql(&request.stdout);
    cargo(
        project,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
        &[],
    );
    let url = database.sqlx_url();
    let started = std::time::Instant::now();
    let tests = cargo(
        project,
        &["test", "--test", "postgres"],
        &[("DATABASE_URL", &url)],
    );
    #[allow(
        clippy::print_stderr,
        reason = "the measured time, shown with --nocapture"
    )]
    {
        eprintln!(
            "PostgreSQL tests of the host (build and run): {:?}",
            started.elapsed()
        );
    }
    // The generated tests: the routes' HTTP tests over the in-memory
    // repositories, and the same ones over PostgreSQL (postgres.rs), each in
    // a schema of its own on this server.
    let generated = cargo(project, &["test", "--lib"], &[("DATABASE_URL", &url)]);
    assert!(generated.contains("::postgres::tests::"), "{generated}");
    (tests, generated)
}

/// Runs cargo in the host crate with `env`; panics with its output on failure or a warning.
fn cargo(project: &Project, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = host_cargo(env!("CARGO"), &workspace().join("target/e2e"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(project.path())
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

#[test]
fn generated_postgres_repositories_pass_their_tests_against_postgresql() {
    let _one = one_host_at_a_time();
    let project = postgres_host(
        Project::with_example_specs(),
        "[database]\nengine = \"postgres\"\n",
        "postgres.rs",
    );
    let (tests, generated) = generate_and_test(&project, "generated_repositories");
    assert!(tests.contains("test result: ok. 8 passed"), "{tests}");
    // Entities whose samples can be stored again and again get storage tests.
    for test in [
        "orders::postgres::tests::orders_changes_wait_for_a_row_locked_elsewhere ... ok",
        "orders::postgres::tests::orders_pages_over_more_rows_than_a_page_read_each_once ... ok",
    ] {
        assert!(generated.contains(test), "{test} missing:\n{generated}");
    }
    for file in ["backend/orders/postgres.rs", "backend/scaffold_postgres.rs"] {
        assert!(project.path().join(file).is_file(), "{file} not generated");
    }
    // sqlx with the type features the example specs use (dates, decimals).
    let manifest = project.read("Cargo.toml");
    let sqlx = manifest
        .lines()
        .find(|l| l.starts_with("sqlx"))
        .unwrap_or_else(|| panic!("no sqlx in Cargo.toml:\n{manifest}"));
    for feature in [
        "runtime-tokio",
        "postgres",
        "json",
        "uuid",
        "chrono",
        "rust_decimal",
    ] {
        assert!(sqlx.contains(&format!("\"{feature}\"")), "{sqlx}");
    }
}

/// An existing schema mapped in `[database]`: renamed tables and columns,
/// PostgreSQL enum types, `text[]` and `varchar(80)` columns.
#[test]
fn repositories_over_a_mapped_schema_pass_against_postgresql() {
    let _one = one_host_at_a_time();
    let fixture = workspace().join("crates/schema/test_data/ok");
    let spec = std::fs::read_to_string(fixture.join("mapped.md")).expect("mapped.md");
    let mapping = std::fs::read_to_string(fixture.join("mapped.toml")).expect("mapped.toml");
    assert!(mapping.contains("engine = \"postgres\""), "{mapping}");
    let project = Project::new();
    project.write("specs/MAP-3/spec.md", &spec);
    let project = postgres_host(project, &mapping, "mapped.rs");
    let (tests, _) = generate_and_test(&project, "mapped_repositories");
    assert!(tests.contains("test result: ok. 3 passed"), "{tests}");
    // No dates or decimals in these specs: sqlx without those features.
    let manifest = project.read("Cargo.toml");
    let sqlx = manifest
        .lines()
        .find(|l| l.starts_with("sqlx"))
        .unwrap_or_else(|| panic!("no sqlx in Cargo.toml:\n{manifest}"));
    assert!(
        !sqlx.contains("chrono") && !sqlx.contains("rust_decimal"),
        "{sqlx}"
    );
}
