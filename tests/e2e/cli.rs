//! The command line as users see it: output, exit codes, and what reaches the disk.

use crate::support::{Project, binary};

const GOOD_SPEC: &str = "---\nticket: T-1\ndomain: tasks\n---\n## Domain Model\n### Entity: Task\n| Field | Type | Required | Constraints |\n|---|---|---|---|\n| id | uuid | yes | primary key |\n| title | string | yes | min 1, max 120 |\n\n## Operations\n### CreateTask\n- **Kind**: create Task\n- **Input**: `title`\n- **Output**: Task\n\n## API Endpoints\n| Method | Path | Operation |\n|---|---|---|\n| POST | /tasks | CreateTask |\n";

const BAD_SPEC: &str = "---\nticket: T-2\ndomain: tasks\n---\n## Domain Model\n### Entity: Task\n| Field | Type | Required |\n|---|---|---|\n| id | uuid | yes |\n| title | strng | yes |\n\n## API Endpoints\n| Method | Path | Operation |\n|---|---|---|\n| POST | /tasks | CreateTsk |\n";

#[test]
fn lint_accepts_the_example_specs() {
    let project = Project::with_example_specs();
    let output = project.scaffold().args(["lint"]).run();
    insta::assert_snapshot!(output.transcript());
}

#[test]
fn lint_reports_every_problem_with_location_and_hint() {
    let project = Project::new();
    project.write("specs/T-2/spec.md", BAD_SPEC);
    let output = project.scaffold().args(["lint"]).run();
    assert_eq!(output.code, 1);
    insta::assert_snapshot!(output.transcript());
}

#[test]
fn lint_speaks_json_lines_for_agents() {
    let project = Project::new();
    project.write("specs/T-2/spec.md", BAD_SPEC);
    let output = project.scaffold().args(["lint", "--format", "json"]).run();
    assert_eq!(output.code, 1);
    let lines: Vec<serde_json::Value> = output
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let codes: Vec<&str> = lines
        .iter()
        .map(|l| l["code"].as_str().unwrap_or_default())
        .collect();
    assert!(
        codes.contains(&"unknown-type") && codes.contains(&"unknown-operation"),
        "{codes:?}"
    );
    for line in &lines {
        assert_eq!(line["file"], "specs/T-2/spec.md");
        // Notes say what was inferred; problems also say what to do.
        let is_note = line["severity"] == "note";
        assert!(
            line["line"].as_u64().is_some_and(|n| n > 0) && (is_note || line["hint"].is_string()),
            "{line}"
        );
    }
}

#[test]
fn a_spec_with_errors_writes_nothing() {
    let project = Project::new();
    project.write("specs/T-2/spec.md", BAD_SPEC);
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 1, "{}", output.transcript());
    assert!(!project.path().join("backend").exists());
}

#[test]
fn generate_creates_then_reports_identical_without_touching_files() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", GOOD_SPEC);
    let first = project.scaffold().args(["generate"]).run();
    insta::assert_snapshot!("generate_first_run", first.transcript());
    let before = project.mtimes("backend");
    let second = project.scaffold().args(["generate"]).run();
    insta::assert_snapshot!("generate_second_run", second.transcript());
    assert_eq!(
        project.mtimes("backend"),
        before,
        "an identical rerun must not touch files"
    );
}

#[test]
fn two_runs_in_different_places_write_the_same_bytes() {
    let a = Project::with_example_specs();
    let b = Project::with_example_specs();
    assert_eq!(a.scaffold().args(["generate"]).run().code, 0);
    // From another working directory, naming the project with --project.
    let out = b.path().to_string_lossy().into_owned();
    assert_eq!(
        crate::support::Run::new(&std::env::temp_dir())
            .args(["generate", "--project", &out])
            .run()
            .code,
        0
    );
    assert_eq!(a.snapshot("backend"), b.snapshot("backend"));
}

#[test]
fn an_edited_file_is_a_conflict_and_nothing_is_written() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", GOOD_SPEC);
    assert_eq!(project.scaffold().args(["generate"]).run().code, 0);
    let edited = format!(
        "{}\n// my hand edit\n",
        project.read("backend/tasks/routes.rs")
    );
    project.write("backend/tasks/routes.rs", &edited);
    std::fs::remove_file(project.path().join("backend/tasks/models.rs")).expect("remove");

    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 1);
    insta::assert_snapshot!(output.transcript());
    assert_eq!(
        project.read("backend/tasks/routes.rs"),
        edited,
        "the hand edit is kept"
    );
    assert!(
        !project.path().join("backend/tasks/models.rs").exists(),
        "a conflict writes nothing at all"
    );

    let forced = project.scaffold().args(["generate", "--force"]).run();
    assert_eq!(forced.code, 0, "{}", forced.transcript());
    assert!(project.path().join("backend/tasks/models.rs").exists());
    assert!(
        !project
            .read("backend/tasks/routes.rs")
            .contains("my hand edit")
    );
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", GOOD_SPEC);
    assert_eq!(project.scaffold().args(["generate"]).run().code, 0);
    let changed = GOOD_SPEC.replace(
        "| title | string | yes | min 1, max 120 |",
        "| title | string | yes | min 1, max 200 |",
    );
    project.write("specs/T-1/spec.md", &changed);
    let before = project.snapshot("backend");
    let output = project
        .scaffold()
        .args(["generate", "--dry-run", "--force"])
        .run();
    assert_eq!(output.code, 0);
    assert!(
        output
            .stdout
            .contains("--- a/backend/tasks/models.rs\n+++ b/backend/tasks/models.rs"),
        "{}",
        output.stdout
    );
    let changed_lines = |sign: char, text: &str| {
        output
            .stdout
            .lines()
            .any(|l| l.starts_with(sign) && l.contains(text))
    };
    assert!(
        changed_lines('-', "value.chars().count() > 120"),
        "{}",
        output.stdout
    );
    assert!(
        changed_lines('+', "value.chars().count() > 200"),
        "{}",
        output.stdout
    );
    assert!(output.stdout.contains("dry run: nothing was written"));
    assert_eq!(project.snapshot("backend"), before);
}

#[test]
fn usage_errors_exit_2_with_a_hint() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", GOOD_SPEC);
    let unknown_stack = project
        .scaffold()
        .args(["generate", "--stack", "cobol"])
        .run();
    assert_eq!(unknown_stack.code, 2);
    insta::assert_snapshot!("unknown_stack", unknown_stack.transcript());

    project.write("scaffold.toml", "stack = \"rust-axum\"\noutput = 3\n");
    let bad_config = project.scaffold().args(["generate"]).run();
    assert_eq!(bad_config.code, 2);
    insta::assert_snapshot!("bad_config", bad_config.transcript());

    project.write("scaffold.toml", "output = \"../elsewhere\"\n");
    let escaping = project.scaffold().args(["generate"]).run();
    assert_eq!(escaping.code, 2);
    assert!(
        escaping
            .stderr
            .contains("must be a folder inside the project"),
        "{}",
        escaping.stderr
    );

    let no_specs = Project::new().scaffold().args(["generate"]).run();
    assert_eq!(no_specs.code, 2);
    assert!(
        no_specs.stderr.starts_with("error: no specs"),
        "{}",
        no_specs.stderr
    );
    assert!(no_specs.stderr.contains("\nhint: "), "{}", no_specs.stderr);

    let bad_flag = Project::new()
        .scaffold()
        .args(["generate", "--frobnicate"])
        .run();
    assert_eq!(bad_flag.code, 2);
}

/// A field `self` (HAL's link) is spelled `self_` in Rust with a serde rename
/// (it was refused until issue 11).
#[test]
fn fields_rust_cannot_spell_are_renamed_when_generating() {
    let project = Project::new();
    let spec = GOOD_SPEC
        .replace(
            "| title | string | yes | min 1, max 120 |",
            "| self | string | yes | |",
        )
        .replace("`title`", "`self`");
    project.write("specs/T-1/spec.md", &spec);
    assert_eq!(
        project.scaffold().args(["lint"]).run().code,
        0,
        "the spec itself is fine"
    );
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    let models = std::fs::read_dir(project.path().join("backend"))
        .expect("backend")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| std::fs::read_to_string(e.path().join("models.rs")).unwrap_or_default())
        .collect::<String>();
    assert!(
        models.contains("#[serde(rename = \"self\")]") && models.contains("pub self_: String"),
        "{models}"
    );
}

#[test]
fn the_binary_reports_its_version() {
    let output = std::process::Command::new(binary())
        .arg("--version")
        .output()
        .expect("run");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("scaffold {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_project_template_overrides_the_embedded_one() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", GOOD_SPEC);
    let ejected = project.scaffold().args(["templates", "eject"]).run();
    assert_eq!(ejected.code, 0, "{}", ejected.transcript());
    // Keep only the file we change, as the README says.
    for entry in project.snapshot("templates/rust-axum") {
        if entry.0 != "templates/rust-axum/domain/mod.rs.tera" {
            std::fs::remove_file(project.path().join(&entry.0)).expect("remove");
        }
    }
    let template = project.read("templates/rust-axum/domain/mod.rs.tera");
    project.write("templates/rust-axum/domain/mod.rs.tera", &template.replace("pub use routes::router;", "pub use routes::router;\n/// Added by our team's template.\npub const TEAM: &str = \"payments\";"));
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    assert!(
        project
            .read("backend/tasks/mod.rs")
            .contains("pub const TEAM: &str = \"payments\";")
    );

    // A template that renders broken Rust is caught before anything is written.
    project.write(
        "templates/rust-axum/domain/mod.rs.tera",
        &template.replace("pub mod models;", "pub mod models"),
    );
    std::fs::remove_dir_all(project.path().join("backend")).expect("remove backend");
    let broken = project.scaffold().args(["generate"]).run();
    assert_eq!(broken.code, 2);
    assert!(
        broken
            .stderr
            .contains("tasks/mod.rs: generated code is not valid Rust"),
        "{}",
        broken.stderr
    );
    assert!(!project.path().join("backend").exists());
}

#[test]
fn new_onboards_a_ticket_without_overwriting_anything() {
    let project = Project::new();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(project.path())
        .status()
        .expect("git init");
    assert!(git.success());
    let first = project
        .scaffold()
        .args(["new", "BIL-1", "--domain", "invoices"])
        .run();
    assert_eq!(first.code, 0, "{}", first.transcript());
    insta::assert_snapshot!(first.transcript());
    assert_eq!(project.scaffold().args(["lint"]).run().code, 0);
    assert_eq!(project.scaffold().args(["generate"]).run().code, 0);
    assert!(
        project
            .read(".git/hooks/pre-commit")
            .contains("guard staged")
    );
    let doctor = project.scaffold().args(["guard", "doctor"]).run();
    assert!(
        doctor.stdout.contains("ok       SQL files have eol=lf"),
        "{}",
        doctor.stdout
    );

    project.write("specs/BIL-1/spec.md", "my own words\n");
    let again = project
        .scaffold()
        .args(["new", "BIL-1", "--domain", "invoices"])
        .run();
    assert_eq!(again.code, 0, "{}", again.transcript());
    assert!(
        again.stdout.contains("skip  specs/BIL-1/spec.md"),
        "{}",
        again.stdout
    );
    assert_eq!(project.read("specs/BIL-1/spec.md"), "my own words\n");

    let bad = project
        .scaffold()
        .args(["new", "../x", "--domain", "Invoices"])
        .run();
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("is not a ticket name") && bad.stderr.contains("hint:"),
        "{}",
        bad.stderr
    );
}

#[test]
fn generating_one_spec_keeps_every_domain_in_the_module_list() {
    let project = Project::with_example_specs();
    assert_eq!(project.scaffold().args(["generate"]).run().code, 0);
    let module_list = project.read("backend/mod.rs");
    project.write(
        "specs/ORD-142/spec.md",
        &project
            .read("specs/ORD-142/spec.md")
            .replace("max 500", "max 400"),
    );
    let output = project
        .scaffold()
        .args(["generate", "specs/ORD-142/spec.md"])
        .run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    assert!(
        output.stdout.contains("update  backend/orders/models.rs"),
        "{}",
        output.stdout
    );
    assert!(
        !output.stdout.contains("backend/notifications/"),
        "only the named spec's domain is planned: {}",
        output.stdout
    );
    assert_eq!(project.read("backend/mod.rs"), module_list);
    assert_eq!(
        project.scaffold().args(["generate", "--check"]).run().code,
        0
    );
}

#[test]
fn the_readme_spec_generates() {
    let readme =
        std::fs::read_to_string(crate::support::workspace().join("README.md")).expect("README.md");
    let section = readme
        .split("A spec, in short")
        .nth(1)
        .expect("the README's spec example");
    let spec = section
        .split("```markdown\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a markdown block");
    let project = Project::new();
    project.write("specs/ORD-142/spec.md", spec);
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    assert!(
        project
            .read("backend/orders/service.rs")
            .contains("pub async fn place_order(")
    );
}

#[test]
fn generate_speaks_json_lines_too() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", GOOD_SPEC);
    let first = project
        .scaffold()
        .args(["generate", "--format", "json"])
        .run();
    assert_eq!(first.code, 0, "{}", first.transcript());
    let lines: Vec<serde_json::Value> = first
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let files: Vec<&serde_json::Value> = lines.iter().filter(|l| l["kind"] == "file").collect();
    // Seven files for the domain (mod, models, repository, service, routes and
    // the owned rules and tests), `backend/mod.rs` and `backend/scaffold_support.rs`.
    assert_eq!(files.len(), 9);
    assert!(files.iter().all(|f| {
        f["status"] == "create"
            && f["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("backend/"))
    }));
    assert_eq!(
        lines.last().map(|l| l["summary"].clone()),
        Some(serde_json::json!("9 create"))
    );

    project.write("backend/tasks/routes.rs", "// mine\n");
    let conflict = project
        .scaffold()
        .args(["generate", "--format", "json"])
        .run();
    assert_eq!(conflict.code, 1);
    let routes: serde_json::Value = conflict
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON line"))
        .find(|l| l["path"] == "backend/tasks/routes.rs")
        .expect("routes.rs reported");
    assert_eq!(routes["status"], "conflict");
    assert!(
        routes["note"]
            .as_str()
            .is_some_and(|n| n.contains("edited by hand")),
        "{routes}"
    );
}
