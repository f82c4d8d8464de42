//! `cargo xtask <task>`: tasks for working on this repository.
//!
//! - `scaffold [ARGS]`: runs scaffold; with no arguments (or only flags) it
//!   generates the bundled `examples/` project and its Python twin `examples/python/`.
//! - `bench`: measures `scaffold generate` and `scaffold guard` against the
//!   alternatives, in one run, and prints ratios.
//! - `fuzz --seeds A..B`: random valid specs through lint, generate, clippy
//!   and the generated tests; failures grouped by kind and shrunk.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod bench_crud;
mod bench_pg;
mod bench_specs;
mod fuzz;

use std::path::PathBuf;
use std::process::ExitCode;

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("scaffold") => scaffold(&args[1..]),
        Some("bench") => match bench::run(&workspace_root(), &args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(2)
            }
        },
        Some("fuzz") => match fuzz::run(&workspace_root(), &args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!(
                "usage: cargo xtask scaffold [ARGS] | cargo xtask bench [--quick] | cargo xtask fuzz --seeds A..B [--batch N] [--shrink N] [--pending DIR] [--scaffold BIN] [--postgres]"
            );
            ExitCode::from(2)
        }
    }
}

/// Runs scaffold in-process, defaulting to `generate --out examples` and then
/// `generate --out examples/python` (the same specs, python-fastapi).
fn scaffold(args: &[String]) -> ExitCode {
    if args.first().is_none_or(|a| a.starts_with('-')) {
        for project in ["examples", "examples/python"] {
            let mut full = vec![
                "scaffold".to_string(),
                "generate".to_string(),
                "--out".to_string(),
            ];
            full.push(workspace_root().join(project).display().to_string());
            full.extend(args.iter().cloned());
            let code = scaffold_cli::main_with_args(full);
            if code != ExitCode::SUCCESS {
                return code;
            }
        }
        return ExitCode::SUCCESS;
    }
    let mut full = vec!["scaffold".to_string()];
    full.extend(args.iter().cloned());
    scaffold_cli::main_with_args(full)
}
