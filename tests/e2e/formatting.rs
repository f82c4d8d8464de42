//! Generated Rust survives the host's formatter: output is rustfmt's (with the
//! host's `rustfmt.toml`), and a file only `cargo fmt` touched is not a conflict.

use crate::generated_code::example_host;

fn cargo_fmt(project: &crate::support::Project, check: bool) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO"));
    command.arg("fmt").current_dir(project.path());
    if check {
        command.arg("--check");
    }
    command.output().expect("run cargo fmt")
}

#[test]
fn generated_rust_follows_the_hosts_rustfmt_toml() {
    let project = example_host();
    project.write("rustfmt.toml", "max_width = 72\n");
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    // The host's own src/ was not written for this style; the generated files were.
    let check = cargo_fmt(&project, true);
    let diffs = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(
        !diffs.contains("/backend/"),
        "cargo fmt --check changed generated code:\n{diffs}"
    );
    let models = project.read("backend/orders/models.rs");
    assert!(
        models.lines().all(|line| line.chars().count() <= 72
                // rustfmt leaves comments and string literals as they are.
                || line.trim_start().starts_with("//")
                || line.contains('"')),
        "a line is wider than the host's max_width:\n{models}"
    );
}

#[test]
fn cargo_fmt_with_another_style_is_not_a_conflict() {
    let project = example_host();
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    // The team adopts a narrower style after generating: every file changes layout.
    project.write(
        "rustfmt.toml",
        "max_width = 60\nfn_params_layout = \"Vertical\"\n",
    );
    let before = project.read("backend/orders/routes.rs");
    let formatted = cargo_fmt(&project, false);
    assert!(formatted.status.success(), "{formatted:?}");
    assert_ne!(
        before,
        project.read("backend/orders/routes.rs"),
        "cargo fmt changed nothing"
    );
    std::fs::remove_file(project.path().join("rustfmt.toml")).expect("remove");
    let check = project.scaffold().args(["generate", "--check"]).run();
    assert_eq!(check.code, 0, "{}", check.transcript());
    // A real edit is still one.
    let routes = project.read("backend/orders/routes.rs");
    project.write(
        "backend/orders/routes.rs",
        &format!("{routes}\nfn hand_written() {{}}\n"),
    );
    let check = project.scaffold().args(["generate", "--check"]).run();
    assert_ne!(
        check.code,
        0,
        "a hand edit passed as formatting:\n{}",
        check.transcript()
    );
}

#[test]
fn without_rustfmt_the_builtin_formatter_is_used_and_said_once() {
    let project = example_host();
    let first = project
        .scaffold()
        .args(["generate", "--dry-run"])
        .env("RUSTFMT", "/nonexistent/rustfmt")
        .run();
    assert_eq!(first.code, 0, "{}", first.transcript());
    assert_eq!(
        first.stderr.matches("rustfmt is not available").count(),
        1,
        "{}",
        first.transcript()
    );
    let second = project
        .scaffold()
        .args(["generate", "--dry-run"])
        .env("RUSTFMT", "/nonexistent/rustfmt")
        .run();
    assert_eq!(
        first.stdout, second.stdout,
        "the fallback is not deterministic"
    );
}
