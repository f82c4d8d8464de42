//! The spec-kit flow around `generate`: `openapi` (checked by a real
//! validator), `[generate] openapi`, `draft` and `tasks`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::{Project, copy_dir, workspace};

/// A virtualenv with `openapi-spec-validator` from PyPI, made once under
/// target/ and reused. A missing python3 or a failed install fails the test:
/// CI must check the documents, not skip them.
fn validator() -> &'static Path {
    static VALIDATOR: OnceLock<PathBuf> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let venv = workspace().join("target/openapi-validator-venv");
        let bin = venv.join(if cfg!(windows) { "Scripts" } else { "bin" });
        let tool = bin.join("openapi-spec-validator");
        if !tool.is_file() {
            let status = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .expect("python3 must be installed to validate OpenAPI documents");
            assert!(status.success(), "python3 -m venv failed");
            let output = Command::new(bin.join("pip"))
                .args([
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "openapi-spec-validator==0.9.0",
                ])
                .output()
                .expect("run pip");
            assert!(
                output.status.success(),
                "pip install openapi-spec-validator failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        tool
    })
}

fn validate(file: &Path) {
    let output = Command::new(validator())
        .arg(file)
        .output()
        .expect("run validator");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("OK"),
        "{} is not valid OpenAPI:\n{stdout}\n{}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn openapi_documents_pass_a_real_validator() {
    let project = Project::with_example_specs();
    copy_dir(
        &workspace().join("tests/fixtures/spec-kit/001-book-club"),
        &project.path().join("specs/001-book-club"),
    );
    for args in [
        vec!["openapi", "--out", "out/api.yaml"],
        vec!["openapi", "orders", "--out", "out/orders.json"],
        vec!["openapi", "book_club", "--out", "out/book_club.yaml"],
    ] {
        let output = project.scaffold().args(&args).run();
        assert_eq!(output.code, 0, "{args:?}: {}", output.transcript());
    }
    for file in ["out/api.yaml", "out/orders.json", "out/book_club.yaml"] {
        validate(&project.path().join(file));
    }
    let api = project.read("out/api.yaml");
    // Constraints and error codes of the specs are in the document.
    for expected in [
        "openapi: \"3.1.0\"",
        "operationId: placeOrder",
        "pattern: \"^[A-Z0-9-]+$\"",
        "maxLength: 64",
        "format: uuid",
        "format: date-time",
        "enum: [ORDER_NOT_FOUND",
        "$ref: \"#/components/schemas/ErrorBody\"",
    ] {
        assert!(api.contains(expected), "missing `{expected}` in:\n{api}");
    }
    // Same specs, same bytes; stdout is the same document.
    let again = project.scaffold().args(["openapi"]).run();
    assert_eq!(again.code, 0, "{}", again.transcript());
    assert_eq!(again.stdout, api);
}

#[test]
fn openapi_names_an_unknown_domain() {
    let project = Project::with_example_specs();
    let output = project.scaffold().args(["openapi", "nope"]).run();
    assert_eq!(output.code, 2, "{}", output.transcript());
    assert!(
        output
            .stderr
            .contains("error: no domain `nope` in the specs")
            && output
                .stderr
                .contains("hint: domains: catalog, match, notifications, orders"),
        "{}",
        output.transcript()
    );
}

#[test]
fn generate_keeps_the_configured_openapi_document_current() {
    let project = Project::with_example_specs();
    project.write(
        "scaffold.toml",
        "[generate]\nopenapi = \"contracts/openapi.yaml\"\n",
    );
    let first = project.scaffold().args(["generate"]).run();
    assert_eq!(first.code, 0, "{}", first.transcript());
    assert!(
        first.stdout.contains("create  contracts/openapi.yaml"),
        "{}",
        first.transcript()
    );
    let written = project.read("contracts/openapi.yaml");
    let standalone = project.scaffold().args(["openapi"]).run();
    assert_eq!(standalone.stdout, written);

    let check = project.scaffold().args(["generate", "--check"]).run();
    assert_eq!(check.code, 0, "{}", check.transcript());

    project.write("contracts/openapi.yaml", &written.replace("3.1.0", "3.0.3"));
    let stale = project.scaffold().args(["generate", "--check"]).run();
    assert_eq!(stale.code, 1, "{}", stale.transcript());
    assert!(
        stale
            .stderr
            .contains("error: contracts/openapi.yaml is out of date with the specs"),
        "{}",
        stale.transcript()
    );
    let fixed = project.scaffold().args(["generate"]).run();
    assert_eq!(fixed.code, 0, "{}", fixed.transcript());
    assert!(
        fixed.stdout.contains("update  contracts/openapi.yaml"),
        "{}",
        fixed.transcript()
    );
    assert_eq!(project.read("contracts/openapi.yaml"), written);

    // Under specs/ it would be read back as a contract of its own specs.
    project.write(
        "scaffold.toml",
        "[generate]\nopenapi = \"specs/ORD-142/contracts/openapi.yaml\"\n",
    );
    let inside = project.scaffold().args(["generate"]).run();
    assert_eq!(inside.code, 2, "{}", inside.transcript());
    assert!(
        inside
            .stderr
            .contains("must be a file inside the project and outside `specs`")
            && inside.stderr.contains("hint: "),
        "{}",
        inside.transcript()
    );
}

/// A spec-kit spec with Key Entities bullets only.
const KEY_ENTITIES_SPEC: &str = "# Feature Specification: Pantry\n\n\
**Feature Branch**: `002-pantry`\n\n\
## Requirements *(mandatory)*\n\n\
- **FR-001**: System MUST track what is in the pantry.\n\n\
### Key Entities *(include if feature involves data)*\n\n\
- **Item**: something on a shelf. Key attributes: name, quantity, unit price, best before date, is opened, added at, category (dry, fresh, frozen), shelf.\n\
- **Shelf**: a place in the pantry, with label and position.\n";

#[test]
fn draft_proposes_a_data_model_that_lints_and_never_overwrites() {
    let project = Project::new();
    project.write("specs/002-pantry/spec.md", KEY_ENTITIES_SPEC);
    let output = project.scaffold().args(["draft", "002-pantry"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    assert!(
        output
            .stdout
            .contains("create  specs/002-pantry/data-model.md"),
        "{}",
        output.transcript()
    );
    let draft = project.read("specs/002-pantry/data-model.md");
    for row in [
        "## Entity: Item",
        "| id | uuid | yes | primary key | |",
        "| quantity | i32 | yes | min 0 | |",
        "| unit_price | decimal | yes | min 0 | |",
        "| best_before_date | date | yes | | |",
        "| is_opened | bool | yes | default false | |",
        "| added_at | datetime | yes | | |",
        "| category | enum(dry, fresh, frozen) | yes | | |",
        "| shelf_id | uuid | yes | references Shelf | |",
        "## Entity: Shelf",
        "| label | string | yes | max 200 | |",
    ] {
        assert!(draft.contains(row), "missing `{row}` in:\n{draft}");
    }
    let lint = project.scaffold().args(["lint"]).run();
    assert_eq!(lint.code, 0, "{}\n{draft}", lint.transcript());

    project.write("specs/002-pantry/data-model.md", "# mine\n");
    let again = project.scaffold().args(["draft", "002-pantry"]).run();
    assert_eq!(again.code, 2, "{}", again.transcript());
    assert!(
        again
            .stderr
            .contains("error: specs/002-pantry/data-model.md already exists")
            && again.stderr.contains("hint: "),
        "{}",
        again.transcript()
    );
    assert_eq!(project.read("specs/002-pantry/data-model.md"), "# mine\n");
}

#[test]
fn tasks_are_appended_once_and_check_marks_survive() {
    let project = Project::with_example_specs();
    project.write(
        "specs/ORD-142/tasks.md",
        "# Tasks: Customer orders\n\n- [x] T001 Write the spec\n- [ ] T007 [P] [US1] Review routes in backend/orders/routes.rs\n",
    );
    let output = project.scaffold().args(["tasks", "ORD-142"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    let tasks = project.read("specs/ORD-142/tasks.md");
    assert!(
        tasks.starts_with("# Tasks: Customer orders\n\n- [x] T001 Write the spec\n- [ ] T007 [P] [US1] Review routes in backend/orders/routes.rs\n"),
        "{tasks}"
    );
    // Schema first, for the data engineer; then the code the team writes.
    assert!(
        tasks.contains("- [ ] T008 [P] Data engineer: write the migration for `Order` (table `orders`: id uuid primary key"),
        "{tasks}"
    );
    assert!(
        tasks.contains("- [ ] T009 [P] Data engineer: write the migration for `OrderLine` (table `order_lines`:"),
        "{tasks}"
    );
    assert!(tasks.contains("- [ ] T010 Enforce FR-001"), "{tasks}");
    assert!(tasks.contains("`PlaceOrder` (`place_order`)"), "{tasks}");
    assert!(
        tasks.contains("Implement `CancelOrder` (`cancel_order`) enforcing FR-002"),
        "{tasks}"
    );
    assert!(tasks.contains("in backend/orders/service.rs"), "{tasks}");
    // ORD-150's operations belong to ORD-150's tasks, not to this ticket's.
    assert!(!tasks.contains("ListOrders"), "{tasks}");

    let checked = tasks.replace("- [ ] T010", "- [x] T010");
    project.write("specs/ORD-142/tasks.md", &checked);
    let rerun = project.scaffold().args(["tasks", "ORD-142"]).run();
    assert_eq!(rerun.code, 0, "{}", rerun.transcript());
    assert!(
        rerun.stdout.contains("identical  specs/ORD-142/tasks.md"),
        "{}",
        rerun.transcript()
    );
    assert_eq!(project.read("specs/ORD-142/tasks.md"), checked);
}

/// The commands of the README's "From spec-kit" section, run as written on
/// the book-club feature as spec-kit's plan left it without a data model.
#[test]
fn the_readme_spec_kit_flow_runs_as_written() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README.md");
    let section = readme
        .split("## From spec-kit")
        .nth(1)
        .and_then(|s| s.split("```sh").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("a sh block in the From spec-kit section");
    let commands: Vec<Vec<&str>> = section
        .lines()
        .filter_map(|l| l.strip_prefix("scaffold "))
        .map(|l| {
            l.split("  #")
                .next()
                .unwrap_or(l)
                .split_whitespace()
                .collect()
        })
        .collect();
    assert_eq!(commands.len(), 5, "{section}");
    let project = Project::new();
    copy_dir(
        &workspace().join("tests/fixtures/spec-kit/001-book-club"),
        &project.path().join("specs/001-book-club"),
    );
    std::fs::remove_file(project.path().join("specs/001-book-club/data-model.md")).expect("rm");
    for args in &commands {
        let output = project.scaffold().args(args).run();
        assert_eq!(output.code, 0, "scaffold {args:?}: {}", output.transcript());
    }
    for file in [
        "specs/001-book-club/data-model.md",
        "backend/book_club/routes.rs",
        "api/book_club.yaml",
    ] {
        assert!(project.path().join(file).is_file(), "{file} missing");
    }
    let tasks = project.read("specs/001-book-club/tasks.md");
    assert!(
        tasks.contains(
            "- [ ] T003 [P] Implement `FinishBook` (`finish_book`) in backend/book_club/service.rs"
        ),
        "{tasks}"
    );
}
