//! Daily friction: the command line as a team uses it every day (project
//! flag, dependencies, completions, pre-commit hooks, odd paths, deleted output).

use crate::support::{Project, workspace};

const SPEC: &str = "---\nticket: T-1\ndomain: tasks\n---\n## Domain Model\n### Entity: Task\n| Field | Type | Required | Constraints |\n|---|---|---|---|\n| id | uuid | yes | primary key |\n| title | string | yes | min 1, max 120 |\n\n## Operations\n### CreateTask\n- **Kind**: create Task\n- **Input**: `title`\n- **Output**: Task\n\n## API Endpoints\n| Method | Path | Operation |\n|---|---|---|\n| POST | /tasks | CreateTask |\n";

const DATA_MODEL: &str = "# Data Model\n\n### Entity: Note\n| Field | Type | Required | Constraints |\n|---|---|---|---|\n| id | uuid | yes | primary key |\n| body | string | yes | max 500 |\n";

const HOST: &str = "[package]\nname = \"host\"   # keep this comment\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n# the web framework, pinned by us\naxum = \"0.8\"\nserde = \"1\"\n";

#[test]
fn project_names_the_root_and_out_still_works() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", SPEC);
    let root = project.path().to_string_lossy().into_owned();
    let elsewhere = std::env::temp_dir();
    let run = |flag: &str| {
        crate::support::Run::new(&elsewhere)
            .args(["lint", flag, &root])
            .run()
    };
    for flag in ["--project", "--out"] {
        let output = run(flag);
        assert_eq!(output.code, 0, "{flag}: {}", output.transcript());
    }
    let help = project.scaffold().args(["generate", "--help"]).run();
    assert!(
        help.stdout.contains("--project <DIR>") && help.stdout.contains("alias: --out"),
        "{}",
        help.stdout
    );
}

#[test]
fn a_doubled_slash_still_finds_the_data_model_beside_the_spec() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", SPEC);
    project.write("specs/T-1/data-model.md", DATA_MODEL);
    let output = project
        .scaffold()
        .args(["generate", "specs/T-1//spec.md"])
        .run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    let models = project.read("backend/tasks/models.rs");
    assert!(
        models.contains("pub struct Note"),
        "data-model.md was not read with the spec:\n{}",
        output.transcript()
    );
    // The same files as naming the spec plainly.
    let again = project
        .scaffold()
        .args(["generate", "--check", "specs/./T-1/spec.md"])
        .run();
    assert_eq!(again.code, 0, "{}", again.transcript());
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_under_specs_is_an_error_naming_it() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", SPEC);
    std::os::unix::fs::symlink("..", project.path().join("specs/T-1/loop")).expect("symlink");
    let output = project.scaffold().args(["lint"]).run();
    assert_eq!(output.code, 2, "{}", output.transcript());
    insta::assert_snapshot!(output.transcript());
}

#[test]
fn an_owned_file_deleted_from_disk_is_recreated_with_a_note() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", SPEC);
    assert_eq!(project.scaffold().args(["generate"]).run().code, 0);
    // `backend/` deleted, `.scaffold/` kept: the module list still declares
    // `pub mod service;`, so the service must come back (E0583 otherwise).
    std::fs::remove_dir_all(project.path().join("backend")).expect("remove backend");
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    insta::assert_snapshot!(output.transcript());
    assert!(project.path().join("backend/tasks/service.rs").is_file());
    assert!(
        project
            .read("backend/tasks/mod.rs")
            .contains("mod service;")
    );
    let check = project.scaffold().args(["generate", "--check"]).run();
    assert_eq!(check.code, 0, "{}", check.transcript());
}

#[test]
fn a_first_run_prints_one_cargo_add_for_what_the_host_lacks() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", SPEC);
    project.write("Cargo.toml", HOST);
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    insta::assert_snapshot!(output.transcript());
    let commands: Vec<&str> = output
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("cargo add"))
        .collect();
    assert_eq!(commands.len(), 1, "{}", output.stdout);
    assert!(!commands[0].contains("axum@"), "{}", commands[0]);
    assert_eq!(project.read("Cargo.toml"), HOST, "printing changes nothing");
}

#[test]
fn add_deps_edits_cargo_toml_keeping_its_formatting_and_the_host_builds() {
    let project = Project::new();
    project.write("specs/T-1/spec.md", SPEC);
    project.write("Cargo.toml", HOST);
    project.write(
        "src/lib.rs",
        "//! The host crate.\n#[path = \"../backend/mod.rs\"]\npub mod backend;\n",
    );
    let output = project.scaffold().args(["generate", "--add-deps"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    let toml = project.read("Cargo.toml");
    assert!(
        toml.starts_with("[package]\nname = \"host\"   # keep this comment\n")
            && toml.contains("# the web framework, pinned by us\naxum = \"0.8\"\n"),
        "formatting and comments are kept:\n{toml}"
    );
    assert_eq!(toml.matches("axum").count(), 1, "{toml}");
    assert!(
        toml.contains("serde = { version = \"1\", features = [\"derive\"] }"),
        "{toml}"
    );
    assert!(toml.contains("[dev-dependencies]"), "{toml}");
    // A second run has nothing to add and leaves the bytes alone.
    let again = project.scaffold().args(["generate", "--add-deps"]).run();
    assert_eq!(again.code, 0, "{}", again.transcript());
    assert!(
        again.stdout.contains("identical  Cargo.toml"),
        "{}",
        again.stdout
    );
    assert_eq!(project.read("Cargo.toml"), toml);
    // What was added is enough: the host crate builds with the generated code.
    project.cargo(&["check", "--quiet", "--all-targets"]);
}

#[test]
fn completions_are_printed_for_each_shell() {
    let project = Project::new();
    for (shell, marker) in [
        ("bash", "_scaffold()"),
        ("zsh", "#compdef scaffold"),
        ("fish", "complete -c scaffold"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[scaffold]"),
    ] {
        let output = project.scaffold().args(["completions", shell]).run();
        assert_eq!(output.code, 0, "{shell}: {}", output.transcript());
        assert!(output.stdout.contains(marker), "{shell}: {}", output.stdout);
        assert!(output.stdout.contains("generate"), "{shell}");
    }
    let bad = project.scaffold().args(["completions", "tcsh"]).run();
    assert_eq!(bad.code, 2, "{}", bad.transcript());
}

#[test]
fn the_spec_template_links_only_to_documents_that_exist() {
    let project = Project::new();
    let output = project
        .scaffold()
        .args(["new", "BIL-1", "--domain", "invoices", "--no-hooks"])
        .run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    let spec = project.read("specs/BIL-1/spec.md");
    let links: Vec<&str> = spec
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .collect();
    assert!(
        !links.is_empty(),
        "the template links to the format:\n{spec}"
    );
    for link in links {
        if link.starts_with("https://") {
            continue;
        }
        let target = project.path().join("specs/BIL-1").join(link);
        assert!(target.is_file(), "{link} does not exist in the project");
    }
    assert_eq!(
        project.read("docs/scaffold/spec-format.md"),
        std::fs::read_to_string(workspace().join("docs/spec-format.md")).expect("docs")
    );
}

#[test]
fn the_pre_commit_hooks_include_a_generate_check() {
    let hooks =
        std::fs::read_to_string(workspace().join(".pre-commit-hooks.yaml")).expect("hooks file");
    let entry = |id: &str| -> Option<String> {
        // Hook blocks start a line; the commented usage example above them does not.
        let block = hooks.split("\n- id: ").find(|b| b.starts_with(id))?;
        let line = block
            .lines()
            .find(|l| l.trim_start().starts_with("entry:"))?;
        Some(
            line.trim_start()
                .trim_start_matches("entry:")
                .trim()
                .to_string(),
        )
    };
    assert_eq!(
        entry("scaffold-guard").as_deref(),
        Some("scaffold guard staged")
    );
    let check = entry("scaffold-check").expect("a scaffold-check hook");
    assert_eq!(check, "scaffold generate --check");
    // The entry does what the hook promises: exit 1 on stale code, 0 once current.
    let project = Project::new();
    project.write("specs/T-1/spec.md", SPEC);
    let args: Vec<&str> = check.split_whitespace().skip(1).collect();
    assert_eq!(project.scaffold().args(&args).run().code, 1);
    assert_eq!(project.scaffold().args(["generate"]).run().code, 0);
    assert_eq!(project.scaffold().args(&args).run().code, 0);
}
