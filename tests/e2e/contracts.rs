//! Contracts in: a spec-kit feature folder (spec.md with Key Entities and no
//! domain, data-model.md, contracts/openapi.yaml) generates every endpoint of
//! its contract with no edits, and the host crate builds, lints and tests clean.

use crate::support::{Project, copy_dir, workspace};

/// The spec-kit feature written for these tests (tests/fixtures/spec-kit).
fn feature() -> std::path::PathBuf {
    workspace().join("tests/fixtures/spec-kit/001-book-club")
}

/// A host crate (the example's Cargo.toml, lock file and src) with one spec-kit feature.
fn host_with_feature() -> Project {
    let project = Project::new();
    let examples = workspace().join("examples");
    for file in ["Cargo.toml", "Cargo.lock", "scaffold.toml"] {
        std::fs::copy(examples.join(file), project.path().join(file)).expect("copy");
    }
    copy_dir(&examples.join("src"), &project.path().join("src"));
    copy_dir(&feature(), &project.path().join("specs/001-book-club"));
    project
}

/// (METHOD, path with `{}` for each parameter) of every operation in an OpenAPI YAML,
/// read line by line so the test does not share the reader it checks.
fn contract_routes(yaml: &str) -> Vec<(String, String)> {
    let mut routes = Vec::new();
    let mut in_paths = false;
    let mut path = String::new();
    for line in yaml.lines() {
        if !line.starts_with(' ') {
            in_paths = line.trim_end() == "paths:";
            continue;
        }
        if !in_paths {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let key = line.trim().trim_end_matches(':');
        if indent == 2 && key.starts_with('/') {
            path = shape(key);
        } else if indent == 4 && ["get", "post", "put", "patch", "delete"].contains(&key) {
            routes.push((key.to_ascii_uppercase(), path.clone()));
        }
    }
    routes
}

/// `/api/books/{bookId}` and `/api/books/{book_id}` are the same route.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|s| if s.starts_with('{') { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// (METHOD, path shape) of every route the generated router mounts.
fn generated_routes(routes_rs: &str) -> Vec<(String, String)> {
    let flat: String = routes_rs.split_whitespace().collect();
    let mut routes = Vec::new();
    for part in flat.split(".route(\"").skip(1) {
        let Some((path, rest)) = part.split_once('"') else {
            continue;
        };
        let handlers = rest.split(".with_state").next().unwrap_or_default();
        let handlers = handlers.split(".route(").next().unwrap_or_default();
        for method in ["get", "post", "put", "patch", "delete"] {
            if handlers.contains(&format!("routing::{method}("))
                || handlers.contains(&format!(".{method}("))
            {
                routes.push((method.to_ascii_uppercase(), shape(path)));
            }
        }
    }
    routes
}

#[test]
fn a_spec_kit_feature_with_an_openapi_contract_generates_every_endpoint() {
    let project = host_with_feature();
    let stdout = project.generate_lint_and_test();
    let contract =
        std::fs::read_to_string(feature().join("contracts/openapi.yaml")).expect("contract");
    let mut wanted = contract_routes(&contract);
    wanted.sort();
    assert_eq!(wanted.len(), 7, "{wanted:?}");
    let mut mounted = generated_routes(&project.read("backend/book_club/routes.rs"));
    mounted.sort();
    assert_eq!(mounted, wanted);
    // CRUD where the contract has REST shape, a stub for the action, each tested.
    for expected in [
        "book_club::routes::tests::list_books_answers_200 ... ok",
        "book_club::routes::tests::create_book_answers_201 ... ok",
        "book_club::routes::tests::get_book_answers_200 ... ok",
        "book_club::routes::tests::update_book_answers_200 ... ok",
        "book_club::routes::tests::delete_book_answers_204 ... ok",
        "book_club::routes::tests::add_note_answers_201 ... ok",
        "book_club::tests::finish_book_answers_501_until_implemented ... ok",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
}

#[test]
fn lint_reads_the_contracts_of_a_feature() {
    let project = Project::new();
    copy_dir(&feature(), &project.path().join("specs/001-book-club"));
    project.write(
        "specs/001-book-club/contracts/notes.md",
        "# Notes API\n\n### DELETE /api/notes/{noteId}\n\n**Response**: 204 No Content\n",
    );
    let output = project.scaffold().args(["lint"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    assert!(
        output
            .stdout
            .contains("ok: 4 spec file(s), domains: book_club"),
        "{}",
        output.transcript()
    );
}

#[test]
fn a_contract_that_cannot_be_read_is_an_error_with_its_location() {
    let project = Project::new();
    copy_dir(&feature(), &project.path().join("specs/001-book-club"));
    project.write(
        "specs/001-book-club/contracts/openapi.yaml",
        "openapi: 3.0.3\npaths:\n  /api/books: [get\n",
    );
    let output = project.scaffold().args(["lint"]).run();
    assert_eq!(output.code, 1, "{}", output.transcript());
    assert!(
        output.stderr.contains("error[invalid-contract]")
            && output
                .stderr
                .contains("specs/001-book-club/contracts/openapi.yaml:"),
        "{}",
        output.transcript()
    );
}

/// The same feature without its contracts: conventional CRUD per entity,
/// each inference a note, every route mounted.
#[test]
fn the_feature_without_contracts_gets_crud_with_a_note_per_inference() {
    let project = Project::new();
    copy_dir(&feature(), &project.path().join("specs/001-book-club"));
    std::fs::remove_dir_all(project.path().join("specs/001-book-club/contracts")).expect("rm");
    let lint = project.scaffold().args(["lint"]).run();
    assert_eq!(lint.code, 0, "{}", lint.transcript());
    for entity in ["Book", "Note"] {
        let plural = format!("{}s", entity.to_ascii_lowercase());
        let note = format!(
            "inferred Create{entity} (POST /{plural}), Get{entity} (GET /{plural}/{{{}_id}}), List{entity}s (GET /{plural})",
            entity.to_ascii_lowercase()
        );
        assert!(
            lint.stderr.contains(&note),
            "missing `{note}` in:\n{}",
            lint.transcript()
        );
    }
    let generate = project.scaffold().args(["generate"]).run();
    assert_eq!(generate.code, 0, "{}", generate.transcript());
    let routes = generated_routes(&project.read("backend/book_club/routes.rs"));
    assert_eq!(routes.len(), 10, "{routes:?}");
}
