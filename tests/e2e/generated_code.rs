//! The generated code itself: committed output is current, and it builds, lints and passes its tests.

use crate::support::{Project, copy_dir, workspace};

/// The example host crate, copied without its generated `backend/`.
fn example_host() -> Project {
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
            copy.snapshot(folder)
        };
        let fresh = project.snapshot(folder);
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
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    project.cargo(&[
        "clippy",
        "--quiet",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]);
    let stdout = project.cargo(&["test", "--locked"]);
    // Every layer's tests ran: models (constraints), routes (endpoints), service (stubs).
    for expected in [
        "orders::models::tests::order_line_quantity_max_is_enforced ... ok",
        "orders::models::tests::order_line_sku_pattern_is_enforced ... ok",
        "orders::routes::tests::place_order_answers_201 ... ok",
        "orders::routes::tests::get_order_answers_404_for_an_unknown_key ... ok",
        "orders::routes::tests::place_order_answers_422_for_a_malformed_body ... ok",
        "orders::routes::tests::delete_order_answers_204 ... ok",
        "orders::service::tests::cancel_order_answers_501_until_implemented ... ok",
        "notifications::service::tests::send_digest_answers_501_until_implemented ... ok",
        "r#match::routes::tests::loop_answers_200 ... ok",
        "catalog::routes::tests::get_review_answers_200 ... ok",
        "catalog::routes::tests::delete_product_answers_200 ... ok",
        "catalog::models::tests::product_colors_max_items_is_enforced ... ok",
        "catalog::models::tests::product_price_max_is_enforced ... ok",
        "catalog::service::tests::recalculate_answers_501_until_implemented ... ok",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
}
