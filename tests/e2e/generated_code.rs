//! The generated code itself: committed output is current, and it builds, lints and passes its tests.

use crate::support::{Project, copy_dir, workspace};

/// The example host crate, copied without its generated `backend/`.
pub(crate) fn example_host() -> Project {
    let project = Project::new();
    let examples = workspace().join("examples");
    for file in ["Cargo.toml", "Cargo.lock", "scaffold.toml"] {
        std::fs::copy(examples.join(file), project.path().join(file)).expect("copy");
    }
    copy_dir(&examples.join("src"), &project.path().join("src"));
    copy_dir(&examples.join("specs"), &project.path().join("specs"));
    project
}

#[test]
fn committed_example_output_is_up_to_date() {
    // The rerun cache is per machine (it ignores itself in git), not output.
    let without_cache = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        files
            .into_iter()
            .filter(|(path, _)| !path.starts_with(".scaffold/cache"))
            .collect()
    };
    let project = example_host();
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    for folder in ["backend", ".scaffold"] {
        let committed = {
            let copy = Project {
                dir: tempfile::tempdir().expect("temp"),
            };
            copy_dir(
                &workspace().join("examples").join(folder),
                &copy.path().join(folder),
            );
            without_cache(copy.snapshot(folder))
        };
        let fresh = without_cache(project.snapshot(folder));
        let names =
            |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&fresh),
            names(&committed),
            "examples/{folder} has other files than scaffold generates"
        );
        for ((path, new), (_, old)) in fresh.iter().zip(&committed) {
            assert!(
                new == old,
                "examples/{path} is stale: run `cargo xtask scaffold` and commit the result"
            );
        }
    }
}

#[test]
fn generated_examples_build_lint_clean_and_pass_their_tests() {
    let project = example_host();
    let stdout = project.generate_lint_and_test();
    // Every layer's tests ran: models (constraints), routes (endpoints), the owned tests (stubs, rules).
    for expected in [
        "orders::models::tests::order_line_quantity_max_is_enforced ... ok",
        "orders::models::tests::order_line_sku_pattern_is_enforced ... ok",
        "orders::tests::place_order_answers_201 ... ok",
        "orders::routes::tests::get_order_answers_404_for_an_unknown_key ... ok",
        "orders::routes::tests::place_order_answers_422_for_a_malformed_body ... ok",
        "orders::routes::tests::delete_order_answers_204 ... ok",
        "orders::tests::cancel_order_answers_501_until_implemented ... ok",
        "notifications::tests::send_digest_answers_501_until_implemented ... ok",
        "r#match::routes::tests::loop_answers_200 ... ok",
        "catalog::routes::tests::get_review_answers_200 ... ok",
        "catalog::routes::tests::delete_product_answers_200 ... ok",
        "catalog::models::tests::product_colors_max_items_is_enforced ... ok",
        "catalog::models::tests::product_price_max_is_enforced ... ok",
        "catalog::tests::recalculate_answers_501_until_implemented ... ok",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
}

/// Domains with little in them (no operations, nothing at all, one endpoint
/// without a body) must not leave unused imports or helpers behind.
#[test]
fn minimal_domains_build_lint_clean_and_pass_their_tests() {
    let project = example_host();
    std::fs::remove_dir_all(project.path().join("specs")).expect("rm specs");
    let fixtures = workspace().join("tests/fixtures/minimal-specs");
    for entry in std::fs::read_dir(&fixtures).expect("fixtures").flatten() {
        let name = entry
            .path()
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(entry.path()).expect("fixture");
        project.write(&format!("specs/{name}/spec.md"), &text);
    }
    let stdout = project.generate_lint_and_test();
    assert!(
        stdout.contains("getonly::routes::tests::get_thing_answers_200 ... ok"),
        "{stdout}"
    );
}
