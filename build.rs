//! Build script of the `scaffold` package: links `scaffold-hook` statically on
//! Linux with glibc, because Claude Code starts it on every tool call.
//!
//! A dynamically linked Rust program spends most of its start in the loader
//! (mapping libc and libgcc_s, then relocating): measured with `cargo xtask
//! bench`, the hook took 1.8x to 2.0x `/bin/true` linked dynamically and 1.2x to
//! 1.35x linked as a static PIE, in the same interleaved runs.
//!
//! Cargo has no per-binary `-C target-feature=+crt-static` (set globally it
//! breaks proc-macros unless every build names `--target`), so this does at
//! link time what crt-static does, for this one binary: `-static-pie` selects
//! the static start files, and a search folder of linker scripts named like
//! the shared libraries rustc asks for (`-lc`, `-lgcc_s`, ...) points each at
//! its static archive (`libc.a`, `libgcc_eh.a`, ...), as crt-static would link
//! them. Linker search folders apply to every `-l`, wherever they appear.
//!
//! Only when the toolchain can do it: Linux, glibc, the native C compiler as
//! the linker, and every archive present (Debian's libc6-dev and gcc ship
//! them). Otherwise the hook is linked dynamically and the build says why.
//! `SCAFFOLD_HOOK_LINK=static-pie` (the default), `static` (a static non-PIE
//! executable, no address randomisation of the binary) or `dynamic` chooses.

#![allow(
    clippy::print_stdout,
    reason = "a build script talks to cargo on stdout"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Shared library rustc links on linux-gnu -> the static archives crt-static uses instead.
const ARCHIVES: &[(&str, &[&str])] = &[
    ("gcc_s", &["libgcc_eh.a", "libgcc.a"]),
    ("c", &["libc.a", "libgcc.a", "libgcc_eh.a"]),
    ("m", &["libm.a"]),
    ("rt", &["librt.a"]),
    ("pthread", &["libpthread.a"]),
    ("dl", &["libdl.a"]),
    ("util", &["libutil.a"]),
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SCAFFOLD_HOOK_LINK");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let mode = std::env::var("SCAFFOLD_HOOK_LINK").unwrap_or_else(|_| "static-pie".into());
    let pie = match mode.as_str() {
        "static-pie" => true,
        "static" => false,
        "dynamic" => return,
        other => {
            println!(
                "cargo:warning=SCAFFOLD_HOOK_LINK={other} is not one of static-pie, static, dynamic: scaffold-hook is linked dynamically"
            );
            return;
        }
    };
    if let Err(why) = link_statically(pie) {
        println!(
            "cargo:warning=scaffold-hook is linked dynamically ({why}); it starts about 0.5 ms slower per tool call"
        );
    }
}

fn link_statically(pie: bool) -> Result<(), String> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" || var("CARGO_CFG_TARGET_ENV") != "gnu" {
        // musl targets are static already; others keep their platform's linking.
        return Ok(());
    }
    if var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static")
    {
        return Ok(());
    }
    // The archives are looked up with the compiler driver rustc links with.
    let linker = match std::env::var("RUSTC_LINKER") {
        Ok(linker) => linker,
        Err(_) if var("HOST") == var("TARGET") => "cc".into(),
        Err(_) => return Err("cross build without a configured linker".into()),
    };
    let start_files = if pie { "rcrt1.o" } else { "crt1.o" };
    for file in ARCHIVES
        .iter()
        .flat_map(|(_, archives)| archives.iter())
        .chain([&start_files])
    {
        find(&linker, file)?;
    }
    let dir = PathBuf::from(var("OUT_DIR")).join("hook-static-libs");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (library, archives) in ARCHIVES {
        let inputs: Vec<String> = archives.iter().map(|a| format!("-l:{a}")).collect();
        // GROUP: libc.a and libgcc.a refer to each other (GNU ld needs it; lld does not mind).
        let script = format!("GROUP({})\n", inputs.join(" "));
        let path = dir.join(format!("lib{library}.so"));
        std::fs::write(&path, script)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    if pie {
        println!("cargo:rustc-link-arg-bin=scaffold-hook=-static-pie");
    } else {
        println!("cargo:rustc-link-arg-bin=scaffold-hook=-no-pie");
        println!("cargo:rustc-link-arg-bin=scaffold-hook=-static");
    }
    println!("cargo:rustc-link-arg-bin=scaffold-hook=-L{}", dir.display());
    Ok(())
}

/// Where the linker would find `file`; `-print-file-name` echoes a bare name it cannot find.
fn find(linker: &str, file: &str) -> Result<PathBuf, String> {
    let output = Command::new(linker)
        .arg(format!("-print-file-name={file}"))
        .output()
        .map_err(|e| format!("cannot run {linker}: {e}"))?;
    let printed = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let path = Path::new(&printed);
    if output.status.success() && path.is_absolute() && path.exists() {
        Ok(path.to_path_buf())
    } else {
        Err(format!(
            "{linker} finds no {file}; on Debian: apt-get install libc6-dev"
        ))
    }
}
