//! Embeds every file under the workspace's `templates/` folder into the library,
//! and fingerprints the formatter (see `FORMAT_FINGERPRINT`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../templates");
    println!("cargo::rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// (path under templates/, contents), sorted by path.\npub(crate) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo::rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&root)
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        let abs = file.canonicalize().expect("file exists");
        let _ = writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        );
    }
    out.push_str("];\n");
    // Formatted text is cached by the hash of the raw template output; any change to
    // the formatter must invalidate that cache, so its source is part of the key.
    let crate_dir =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut fingerprint = 0xcbf2_9ce4_8422_2325u64;
    for formatter in ["src/format.rs", "src/python/format.rs"] {
        let path = crate_dir.join(formatter);
        println!("cargo::rerun-if-changed={}", path.display());
        let source = fs::read(&path).unwrap_or_else(|e| panic!("read {formatter}: {e}"));
        fingerprint = source.iter().fold(fingerprint, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
        });
    }
    let _ = writeln!(
        out,
        "/// FNV-1a of the built-in formatters (src/format.rs, src/python/format.rs).\npub(crate) const FORMAT_FINGERPRINT: u64 = {fingerprint:#x};"
    );
    let dest = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(dest, out).expect("write embedded.rs");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo::rerun-if-changed={}", path.display());
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
