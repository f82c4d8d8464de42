//! Data-driven tests of the schema request: every spec under `test_data/ok`
//! (with its `.toml` mapping, if any) and every example spec is printed as
//! SQL (an insta snapshot) and read back unchanged; `test_data/diff/<case>`
//! holds an `old.md` and a `new.md` whose changes are snapshotted;
//! `test_data/err` holds mappings that must be refused.

use std::path::{Path, PathBuf};

use scaffold_parser::{Project, Source, parse, render_all};
use scaffold_schema::{DatabaseConfig, Schema, build, diff, parse_sql, to_sql};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data")
}

fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

fn project(sources: &[Source]) -> Project {
    let parsed = parse(sources);
    assert!(
        !parsed.has_errors(),
        "{}",
        render_all(&parsed.diagnostics, sources, false)
    );
    parsed.project
}

fn spec(path: &Path) -> Project {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    project(&[Source::new(format!("specs/{stem}/spec.md"), text)])
}

/// `[database]` of the TOML file beside a fixture (`x.toml` for `x.md`, or a
/// `scaffold.toml` in its folder); the defaults without one.
fn mapping(path: &Path) -> DatabaseConfig {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        database: DatabaseConfig,
    }
    let candidates = [
        path.with_extension("toml"),
        path.with_file_name("scaffold.toml"),
    ];
    for candidate in candidates {
        if let Ok(text) = std::fs::read_to_string(&candidate) {
            let file: File =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", candidate.display()));
            return file.database;
        }
    }
    DatabaseConfig::default()
}

fn round_trips(schema: &Schema, what: &str) {
    let sql = to_sql(schema);
    let back = parse_sql(&sql).unwrap_or_else(|e| panic!("{what}: {e}\n{sql}"));
    assert_eq!(
        &back, schema,
        "{what}: the request does not read back as itself"
    );
    assert!(diff(schema, &back).is_empty(), "{what}");
}

#[test]
fn specs_print_as_sql_and_read_back() {
    for path in files(&data().join("ok"), "md") {
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let schema = build(&spec(&path), &mapping(&path)).unwrap_or_else(|e| panic!("{name}: {e}"));
        round_trips(&schema, &name);
        insta::assert_snapshot!(format!("ok_{name}"), to_sql(&schema));
    }
}

#[test]
fn the_example_specs_print_as_sql_and_read_back() {
    let root = data().join("../../../examples/specs");
    let mut sources = Vec::new();
    let mut tickets: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("examples/specs")
        .flatten()
        .map(|e| e.path())
        .collect();
    tickets.sort();
    for ticket in tickets {
        for name in ["data-model.md", "spec.md"] {
            if let Ok(text) = std::fs::read_to_string(ticket.join(name)) {
                let ticket = ticket.file_name().unwrap_or_default().to_string_lossy();
                sources.push(Source::new(format!("specs/{ticket}/{name}"), text));
            }
        }
    }
    let schema = build(&project(&sources), &DatabaseConfig::default()).expect("examples");
    round_trips(&schema, "examples");
    insta::assert_snapshot!("examples", to_sql(&schema));
}

#[test]
fn changes_between_two_requests_are_listed() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(data().join("diff"))
        .expect("test_data/diff")
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let old_path = dir.join("old.md");
        let config = mapping(&old_path);
        let old = build(&spec(&old_path), &config).expect("old");
        let new = build(&spec(&dir.join("new.md")), &config).expect("new");
        // The previous request is read back from its SQL, as `--diff` does.
        let old = parse_sql(&to_sql(&old)).expect("old SQL");
        let lines: Vec<String> = diff(&old, &new).iter().map(ToString::to_string).collect();
        assert!(!lines.is_empty(), "{name}: no changes found");
        insta::assert_snapshot!(format!("diff_{name}"), lines.join("\n"));
    }
}

#[test]
fn mappings_that_do_not_fit_the_specs_are_refused() {
    let mut report = String::new();
    for path in files(&data().join("err"), "md") {
        let name = path.file_stem().unwrap_or_default().to_string_lossy();
        match build(&spec(&path), &mapping(&path)) {
            Ok(_) => panic!("{name}: the mapping was accepted"),
            Err(error) => {
                report.push_str(&format!("{name}: {error}\n  hint: {}\n", error.hint()));
            }
        }
    }
    insta::assert_snapshot!("err", report);
}

#[test]
fn a_request_that_is_not_ours_is_refused_with_its_line() {
    for (text, line) in [
        ("CREATE TABLE t (\n    id uuid NOT NULL\n", 2),
        ("DROP TABLE orders;\n", 1),
        ("CREATE TABLE t (\n    id\n);\n", 2),
        ("CREATE INDEX i ON missing (a);\n", 1),
        ("CREATE TYPE e AS ENUM ('a', 'b);\n", 1),
    ] {
        let error = parse_sql(text).expect_err(text);
        assert_eq!(error.line, line, "{text}: {error}");
    }
}
