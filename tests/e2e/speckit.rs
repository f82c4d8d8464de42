//! spec-kit features as people write them: no domain line, numbered entity
//! headings, annotated types, prose constraints, a Prisma fence, relationships
//! in prose, and no operations. They generate with no edits, and the code
//! builds clippy-clean and passes its tests.

use crate::generated_code::example_host;
use crate::support::workspace;

#[test]
fn a_wild_speckit_feature_generates_a_backend_that_builds_and_passes_its_tests() {
    let project = example_host();
    std::fs::remove_dir_all(project.path().join("specs")).expect("rm specs");
    crate::support::copy_dir(
        &workspace().join("tests/fixtures/speckit/specs"),
        &project.path().join("specs"),
    );

    let lint = project.scaffold().args(["lint"]).run();
    assert_eq!(lint.code, 0, "{}", lint.transcript());
    for expected in [
        "domain `library_lending` for `001-library-lending`",
        "read `String (UUID)` as `uuid`",
        "read `1-120 chars` as `min 1, max 120`",
        "inferred CreateLoan (POST /loans)",
        "ok: 2 spec file(s), domains: library_lending",
    ] {
        assert!(
            lint.transcript().contains(expected),
            "missing `{expected}` in:\n{}",
            lint.transcript()
        );
    }

    let stdout = project.generate_lint_and_test();
    for expected in [
        "library_lending::models::tests::member_full_name_max_length_is_enforced ... ok",
        "library_lending::models::tests::book_copies_min_is_enforced ... ok",
        "library_lending::routes::tests::create_loan_answers_201 ... ok",
        "library_lending::routes::tests::get_book_answers_404_for_an_unknown_key ... ok",
        "library_lending::routes::tests::delete_member_answers_204 ... ok",
        // A join table (no key of its own) is stored and listed by its pair.
        "library_lending::routes::tests::list_holds_answers_200 ... ok",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    let models = project.read("backend/library_lending/models.rs");
    for expected in [
        "pub struct Member",
        "pub struct Book",
        "pub struct Loan",
        "pub returned_at",
    ] {
        assert!(
            models.contains(expected),
            "missing `{expected}` in models.rs:\n{models}"
        );
    }
}

#[test]
fn a_feature_with_only_key_entities_warns_instead_of_generating_nothing_silently() {
    let project = example_host();
    std::fs::remove_dir_all(project.path().join("specs")).expect("rm specs");
    project.write(
        "specs/007-pet-clinic/spec.md",
        "# Feature Specification: Pet clinic\n\n### Key Entities *(include if feature involves data)*\n\n- **Owner**: a person with pets.\n- **Visit**: one appointment, with date and reason.\n",
    );
    let lint = project.scaffold().args(["lint"]).run();
    let text = lint.transcript();
    assert!(
        text.contains("warning[untyped-entities]")
            && text.contains("(`Owner`, `Visit`)")
            && text.contains("scaffold draft"),
        "{text}"
    );
}

#[test]
fn lint_fix_rewrites_wild_forms_to_canonical_ones_and_keeps_the_model() {
    let project = crate::support::Project::new();
    crate::support::copy_dir(
        &workspace().join("tests/fixtures/speckit/specs"),
        &project.path().join("specs"),
    );
    let model = |project: &crate::support::Project| {
        let run = project.scaffold().args(["lint", "--format", "json"]).run();
        assert_eq!(run.code, 0, "{}", run.transcript());
        run.stdout.lines().last().unwrap_or_default().to_string()
    };
    let before = model(&project);
    let data_model = "specs/001-library-lending/data-model.md";
    let original = project.read(data_model);

    let fix = project.scaffold().args(["lint", "--fix"]).run();
    assert_eq!(fix.code, 0, "{}", fix.transcript());
    assert!(
        fix.stderr.contains("fixed 11 form(s) in 1 file(s)"),
        "{}",
        fix.transcript()
    );
    let fixed = project.read(data_model);
    for (wild, canonical) in [
        ("| `id` | String (UUID) |", "| `id` | uuid |"),
        ("| 1-120 chars |", "| min 1, max 120 |"),
        ("| string (YYYY-MM-DD) |", "| date |"),
        (
            "| Enum (AVAILABLE, ON_LOAN, LOST) |",
            "| enum(AVAILABLE, ON_LOAN, LOST) |",
        ),
    ] {
        assert!(
            original.contains(wild) && fixed.contains(canonical),
            "{wild} -> {canonical}:\n{fixed}"
        );
    }
    // Prose and fences are never touched.
    for kept in [
        "free text kept by librarians",
        "@default(uuid())",
        "- Many-to-One → Member",
    ] {
        assert!(fixed.contains(kept), "{kept}:\n{fixed}");
    }
    assert_eq!(
        model(&project),
        before,
        "the fix changed what the spec means"
    );
    let again = project.scaffold().args(["lint", "--fix"]).run();
    assert!(
        again.stderr.contains("fixed 0 form(s) in 0 file(s)"),
        "{}",
        again.transcript()
    );
}

#[test]
fn json_diagnostics_carry_machine_applicable_fixes() {
    let project = crate::support::Project::new();
    project.write(
        "specs/002-notes/data-model.md",
        "## Entity: Note\n\n| Field | Type | Constraints |\n|---|---|---|\n| id | String (UUID) | PK |\n| body | text | 1-500 chars |\n",
    );
    let run = project.scaffold().args(["lint", "--format", "json"]).run();
    assert_eq!(run.code, 0, "{}", run.transcript());
    let fixes: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| !v["fix"].is_null())
        .collect();
    assert_eq!(fixes.len(), 2, "{}", run.stdout);
    assert_eq!(fixes[0]["fix"]["replacement"], "uuid");
    assert_eq!(fixes[0]["fix"]["line"], 5);
    assert_eq!(fixes[0]["fix"]["col"], 8);
    assert_eq!(fixes[1]["fix"]["replacement"], "min 1, max 500");
}

#[test]
fn scaffold_toml_maps_folders_to_domains_and_turns_crud_inference_off() {
    let project = crate::support::Project::new();
    project.write(
        "specs/003-todo-app/data-model.md",
        "## Entity: Todo\n\n| Field | Type |\n|---|---|\n| id | uuid |\n| remind_at | time |\n",
    );
    let lint = project.scaffold().args(["lint"]).run();
    assert!(
        lint.transcript()
            .contains("domain `todo_app` for `003-todo-app`, from its folder name")
            && lint
                .transcript()
                .contains("inferred CreateTodo (POST /todos)"),
        "{}",
        lint.transcript()
    );
    project.write(
        "scaffold.toml",
        "[domains]\n\"003-todo-app\" = \"todos\"\n\n[generate]\ninfer-crud = false\n",
    );
    let lint = project.scaffold().args(["lint"]).run();
    let text = lint.transcript();
    assert_eq!(lint.code, 0, "{text}");
    assert!(
        text.contains("domain `todos` for `003-todo-app`, as `[domains]` in scaffold.toml says")
            && !text.contains("inferred-crud")
            && text.contains("domains: todos"),
        "{text}"
    );
}
