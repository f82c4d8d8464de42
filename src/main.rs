//! The `scaffold` binary: everything lives in the library so xtasks can call it.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    scaffold_cli::main_with_args(std::env::args_os())
}
