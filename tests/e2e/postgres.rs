//! The schema request against a real PostgreSQL (a throwaway cluster from
//! `pg.rs`): `scaffold schema` output applied to an empty database checks
//! clean, a dropped column or changed type is drift naming `table.column`,
//! an unreachable server exits 2. And the request's bookkeeping without a
//! server: `--diff` and the architecture.md block `new` and `generate` keep.

use crate::pg;
use crate::support::Project;

/// The example specs' schema request, applied to a fresh database.
fn example_database(name: &str) -> (Project, pg::Database) {
    let project = Project::with_example_specs();
    let request = project.scaffold().args(["schema"]).run();
    assert_eq!(request.code, 0, "{}", request.transcript());
    let database = pg::cluster().database(name);
    database.psql(&request.stdout);
    (project, database)
}

#[test]
fn the_schema_request_applied_to_an_empty_database_checks_clean() {
    let (project, database) = example_database("schema_clean");
    let check = project
        .scaffold()
        .args(["schema", "--check", "--database-url", &database.url()])
        .run();
    assert_eq!(check.code, 0, "{}", check.transcript());
    assert!(
        check.stdout.contains("ok: the database has every table"),
        "{}",
        check.stdout
    );
    // DATABASE_URL stands in for the flag.
    let from_env = project
        .scaffold()
        .args(["schema", "--check"])
        .env("DATABASE_URL", &database.url())
        .run();
    assert_eq!(from_env.code, 0, "{}", from_env.transcript());
}

/// Every fixture of the schema crate (reserved words, a key cycle, enum
/// types, mapped names and types) is SQL PostgreSQL accepts, and checks clean.
#[test]
fn every_schema_fixture_applies_to_postgresql_and_checks_clean() {
    let fixtures = crate::support::workspace().join("crates/schema/test_data/ok");
    let mut specs: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("crates/schema/test_data/ok")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 3, "{specs:?}");
    let cluster = pg::cluster();
    for spec in specs {
        let stem = spec
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let project = Project::new();
        project.write(
            &format!("specs/{stem}/spec.md"),
            &std::fs::read_to_string(&spec).expect("fixture"),
        );
        if let Ok(mapping) = std::fs::read_to_string(spec.with_extension("toml")) {
            project.write("scaffold.toml", &mapping);
        }
        let request = project.scaffold().args(["schema"]).run();
        assert_eq!(request.code, 0, "{stem}: {}", request.transcript());
        let database = cluster.database(&format!("fixture_{stem}"));
        database.psql(&request.stdout);
        let check = project
            .scaffold()
            .args(["schema", "--check", "--database-url", &database.url()])
            .run();
        assert_eq!(check.code, 0, "{stem}: {}", check.transcript());
    }
}

#[test]
fn a_dropped_column_or_a_changed_type_is_drift_naming_the_column() {
    let (project, database) = example_database("schema_drift");
    database.psql(
        "ALTER TABLE orders DROP COLUMN note;
         ALTER TABLE order_lines ALTER COLUMN quantity TYPE bigint;
         ALTER TABLE delivery_notes ALTER COLUMN carrier DROP NOT NULL;
         DROP INDEX orders_customer_id_idx;
         ALTER TABLE products DROP CONSTRAINT products_sku_key;
         ALTER TABLE reviews DROP CONSTRAINT reviews_product_id_fkey;
         DROP TABLE options;
         ALTER TABLE reviews ADD COLUMN source text NOT NULL;
         ALTER TABLE reviews ADD COLUMN channel text NOT NULL DEFAULT 'web';
         ALTER TABLE reviews ADD COLUMN extra text;",
    );
    let check = project
        .scaffold()
        .args(["schema", "--check", "--database-url", &database.url()])
        .run();
    assert_eq!(check.code, 1, "{}", check.transcript());
    for expected in [
        "drift  orders.note: missing column (text)",
        "drift  order_lines.quantity: type is bigint, the specs need integer",
        "drift  delivery_notes.carrier: allows NULL, the specs need NOT NULL",
        "drift  orders.customer_id: no index on (customer_id)",
        "drift  products.sku: no unique constraint on (sku)",
        "drift  reviews.product_id: no foreign key to products(id)",
        "drift  options: missing table",
        "drift  reviews.source: text NOT NULL without a default is not in the specs",
    ] {
        assert!(
            check.stdout.contains(expected),
            "missing `{expected}`:\n{}",
            check.stdout
        );
    }
    assert_eq!(check.stdout.lines().count(), 8, "{}", check.stdout);
    assert!(
        check
            .stderr
            .contains("error: the database differs from the specs in 8 places\nhint: "),
        "{}",
        check.stderr
    );
    // One domain at a time, and JSON for tools.
    let orders = project
        .scaffold()
        .args(["schema", "orders", "--check", "--format", "json"])
        .env("DATABASE_URL", &database.url())
        .run();
    assert_eq!(orders.code, 1, "{}", orders.transcript());
    let kinds: Vec<String> = orders
        .stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            format!("{} {}.{}", value["kind"], value["table"], value["column"])
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "\"missing-column\" \"orders\".\"note\"",
            "\"missing-index\" \"orders\".\"customer_id\"",
            "\"type-differs\" \"order_lines\".\"quantity\"",
            "\"nullable\" \"delivery_notes\".\"carrier\"",
        ]
    );
}

#[test]
fn enums_stored_as_postgresql_types_are_checked_label_by_label() {
    let project = Project::with_example_specs();
    project.write(
        "scaffold.toml",
        "[database]\nenums = \"type\"\n[database.tables]\nOrder = \"shop_orders\"\n[database.columns]\n\"Order.total_cents\" = \"total\"\n",
    );
    let request = project.scaffold().args(["schema", "orders"]).run();
    assert_eq!(request.code, 0, "{}", request.transcript());
    assert!(
        request
            .stdout
            .contains("CREATE TYPE order_status AS ENUM ('pending', 'paid', 'cancelled');"),
        "{}",
        request.stdout
    );
    assert!(request.stdout.contains("CREATE TABLE shop_orders ("));
    assert!(request.stdout.contains("    total bigint NOT NULL,"));
    let database = pg::cluster().database("schema_enum_types");
    database.psql(&request.stdout.replace(", 'cancelled');", ");"));
    let check = project
        .scaffold()
        .args([
            "schema",
            "orders",
            "--check",
            "--database-url",
            &database.url(),
        ])
        .run();
    assert_eq!(check.code, 1, "{}", check.transcript());
    assert_eq!(
        check.stdout,
        "drift  shop_orders.status: enum type order_status lacks cancelled\n"
    );
    database.psql("ALTER TYPE order_status ADD VALUE 'cancelled';");
    let fixed = project
        .scaffold()
        .args([
            "schema",
            "orders",
            "--check",
            "--database-url",
            &database.url(),
        ])
        .run();
    assert_eq!(fixed.code, 0, "{}", fixed.transcript());
}

#[test]
fn an_unreachable_database_exits_2_with_a_hint() {
    let project = Project::with_example_specs();
    // A socket folder without a server: nothing listens, the answer is immediate.
    let nowhere = project.path().join("no-server");
    std::fs::create_dir_all(&nowhere).expect("mkdir");
    let url = format!(
        "postgres://postgres@/app?host={}&port=5999&connect_timeout=5",
        nowhere.display()
    );
    let down = project
        .scaffold()
        .args(["schema", "--check", "--database-url", &url])
        .run();
    assert_eq!(down.code, 2, "{}", down.transcript());
    assert!(
        down.stderr
            .contains("error: cannot connect to postgres://postgres@")
            && down.stderr.contains("\nhint: is PostgreSQL running there"),
        "{}",
        down.stderr
    );
    // Nothing listens on TCP port 1 of the loopback: refused at once.
    let refused = project
        .scaffold()
        .args(["schema", "--check"])
        .env("DATABASE_URL", "postgres://app:secret@127.0.0.1:1/shop")
        .run();
    assert_eq!(refused.code, 2, "{}", refused.transcript());
    assert!(
        refused
            .stderr
            .contains("error: cannot connect to postgres://app@127.0.0.1:1/shop: ")
            && !refused.stderr.contains("secret"),
        "{}",
        refused.stderr
    );
    let garbled = project
        .scaffold()
        .args([
            "schema",
            "--check",
            "--database-url",
            "postgres://app:secret@db:notaport/x",
        ])
        .run();
    assert_eq!(garbled.code, 2, "{}", garbled.transcript());
    assert!(
        garbled
            .stderr
            .contains("is not a PostgreSQL connection URL")
            && !garbled.stderr.contains("secret"),
        "{}",
        garbled.stderr
    );
    let unset = project
        .scaffold()
        .args(["schema", "--check"])
        .env("DATABASE_URL", "")
        .run();
    assert_eq!(unset.code, 2, "{}", unset.transcript());
}

#[test]
fn new_and_generate_keep_the_architecture_block_and_diff_lists_changes() {
    let project = Project::new();
    let new = project
        .scaffold()
        .args(["new", "BIL-1", "--domain", "invoices", "--no-hooks"])
        .run();
    assert_eq!(new.code, 0, "{}", new.transcript());
    let architecture = project.read("specs/BIL-1/architecture.md");
    assert!(
        architecture.contains("<!-- scaffold:schema begin")
            && architecture.contains("CREATE TABLE invoices (")
            && architecture.contains("## Decisions"),
        "{architecture}"
    );
    // Nothing recorded yet: every table is new.
    let first = project.scaffold().args(["schema", "--diff"]).run();
    assert_eq!(first.code, 0, "{}", first.transcript());
    assert!(
        first.stdout.starts_with("+ table invoices: id uuid"),
        "{}",
        first.stdout
    );
    assert!(
        first.stderr.contains("no previous schema request"),
        "{}",
        first.stderr
    );

    let generate = project.scaffold().args(["generate"]).run();
    assert_eq!(generate.code, 0, "{}", generate.transcript());
    assert!(
        project
            .read(".scaffold/schema.sql")
            .contains("CREATE TABLE invoices (")
    );
    let none = project.scaffold().args(["schema", "--diff"]).run();
    assert_eq!(
        none.stdout,
        "no changes since the schema request in .scaffold/schema.sql\n"
    );

    // People write around the block; the spec gains a column.
    let edited = project.read("specs/BIL-1/architecture.md").replace(
        "## Decisions\n",
        "## Decisions\n- invoices are never deleted\n",
    );
    project.write("specs/BIL-1/architecture.md", &edited);
    let spec = project.read("specs/BIL-1/spec.md").replace(
        "| `created_at` | datetime | yes | | |",
        "| `created_at` | datetime | yes | | |\n| `due_on` | date | no | index | |",
    );
    project.write("specs/BIL-1/spec.md", &spec);
    let diff = project.scaffold().args(["schema", "--diff"]).run();
    assert_eq!(
        diff.stdout,
        "+ column invoices.due_on: date\n+ index invoices.invoices_due_on_idx: (due_on)\n",
        "{}",
        diff.transcript()
    );
    let stale = project.scaffold().args(["generate", "--check"]).run();
    assert_eq!(stale.code, 1, "{}", stale.transcript());
    let regenerate = project.scaffold().args(["generate"]).run();
    assert_eq!(regenerate.code, 0, "{}", regenerate.transcript());
    assert!(
        regenerate.stdout.contains("update  specs/BIL-1/architecture.md")
            && regenerate.stdout.contains(
                "The schema request changed (.scaffold/schema.sql); for the data engineer:\n  + column invoices.due_on: date\n"
            ),
        "{}",
        regenerate.stdout
    );
    let architecture = project.read("specs/BIL-1/architecture.md");
    assert!(architecture.contains("    due_on date,"), "{architecture}");
    assert!(
        architecture.contains("- invoices are never deleted\n"),
        "{architecture}"
    );
    assert_eq!(
        architecture.matches("<!-- scaffold:schema begin").count(),
        1
    );
    let clean = project.scaffold().args(["generate", "--check"]).run();
    assert_eq!(clean.code, 0, "{}", clean.transcript());
    // The request is never a migration: nothing was written outside specs/, .scaffold/ and the code.
    assert!(!project.path().join("migrations").exists());
}

/// The request is for people: an agent that pipes it into a migrations
/// folder is refused by the guard like any other migration write, while
/// reading it is allowed.
#[test]
fn the_guard_refuses_an_agent_writing_the_request_into_migrations() {
    let repo = crate::guard::Repo::with_migration();
    let call = |command: &str| {
        let input = serde_json::json!({
            "cwd": repo.path().display().to_string(),
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command},
            "agent_type": "backend-developer",
        })
        .to_string();
        crate::support::Run::new(repo.path())
            .args(["guard", "claude-hook"])
            .stdin(&input)
            .run()
    };
    for command in [
        "scaffold schema > migrations/0002_orders.sql",
        "scaffold schema orders | tee migrations/0002_orders.sql",
    ] {
        let denied = call(command);
        assert_eq!(denied.code, 2, "{command}: {}", denied.transcript());
    }
    let allowed = call("scaffold schema --diff");
    assert_eq!(allowed.code, 0, "{}", allowed.transcript());
}
