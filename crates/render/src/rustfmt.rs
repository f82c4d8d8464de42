//! Formats generated Rust with the host's own `rustfmt`, so `cargo fmt` in the
//! host crate changes nothing, and fingerprints Rust by tokens and comments so
//! a file that only a formatter touched is not taken for a hand edit.
//!
//! rustfmt costs a few milliseconds per process start: files are formatted in
//! batches, one process per core, each given the root files of a throwaway
//! copy of the module tree (rustfmt follows `mod x;` to the children itself).

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The host's rustfmt, run as `cargo fmt` would run it in the host crate.
#[derive(Debug, Clone)]
pub struct Rustfmt {
    program: OsString,
    /// Where rustup resolves the toolchain (`rust-toolchain.toml`) and the config is found.
    project: PathBuf,
    edition: String,
    config: Option<PathBuf>,
    version: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RustfmtError {
    #[error("rustfmt is not available: {0}")]
    Unavailable(String),
    #[error("rustfmt failed on generated code: {0}")]
    Failed(String),
    #[error("cannot prepare files for rustfmt: {0}")]
    Io(#[from] std::io::Error),
}

impl Rustfmt {
    /// Finds rustfmt for the files written under `output`, as `cargo fmt` in
    /// the crate that holds them would run it: the nearest `Cargo.toml` above
    /// gives the edition (2024, the generated code's, when there is none), the
    /// nearest `rustfmt.toml` the style; `RUSTFMT` overrides the program.
    pub fn for_output(output: &Path) -> Result<Self, RustfmtError> {
        Self::for_project(&host_dir(output))
    }

    /// Finds rustfmt for the host crate at `project` (`RUSTFMT` overrides the
    /// program, as with cargo), with the host's edition and `rustfmt.toml`.
    ///
    /// Asking a rustfmt its version costs a process (two through rustup's
    /// proxy, which also adds its own start to every later call): the answer is
    /// kept in the user's cache, keyed by [`program_key`], with the toolchain's
    /// own binary, which later runs call directly.
    pub fn for_project(project: &Path) -> Result<Self, RustfmtError> {
        let program = locate(project);
        let (program, version) = match program.cached() {
            Some(known) => known,
            None => program.probe(project)?,
        };
        Ok(Self {
            program,
            project: project.to_path_buf(),
            edition: host_edition(project),
            config: config_file(project),
            version,
        })
    }

    /// What decides the output: the rerun cache is keyed on it.
    pub fn identity(&self) -> String {
        let config = self
            .config
            .as_deref()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        format!("{} edition {}\n{config}", self.version, self.edition)
    }

    /// Formats `files` (paths relative to one root, Rust text) and returns them
    /// in the same order.
    pub fn format(&self, files: &[(String, String)]) -> Result<Vec<String>, RustfmtError> {
        if files.is_empty() {
            return Ok(Vec::new());
        }
        // rustfmt follows `mod x;` from a root through the whole tree, and the
        // generated tree has one root: handing it the root would format every
        // file in one process on one core. Instead the files are dealt into
        // one group per core, balanced by size, each group a tree of its own
        // in its own folder, where modules of other groups are empty files.
        let groups = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(files.len());
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(files[i].1.len()), i));
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups];
        let mut sizes = vec![0usize; groups];
        for i in order {
            let lightest = (0..groups).min_by_key(|&g| (sizes[g], g)).unwrap_or(0);
            sizes[lightest] += files[i].1.len();
            members[lightest].push(i);
        }
        let scratch = tempfile::tempdir()?;
        let folders: Vec<PathBuf> = (0..groups)
            .map(|g| scratch.path().join(g.to_string()))
            .collect();
        let roots: Vec<Vec<PathBuf>> = members
            .iter()
            .zip(&folders)
            .map(|(group, folder)| {
                let group: Vec<&(String, String)> = group.iter().map(|&i| &files[i]).collect();
                prepare(folder, &group)
            })
            .collect::<Result<_, _>>()?;
        let results: Vec<Result<(), RustfmtError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = roots
                .iter()
                .zip(&folders)
                .filter(|(roots, _)| !roots.is_empty())
                .map(|(roots, folder)| scope.spawn(move || self.run(folder, roots)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        results.into_iter().collect::<Result<Vec<()>, _>>()?;
        let mut formatted = vec![String::new(); files.len()];
        for (group, folder) in members.iter().zip(&folders) {
            for &i in group {
                formatted[i] = std::fs::read_to_string(folder.join(&files[i].0))?;
            }
        }
        Ok(formatted)
    }

    fn run(&self, scratch: &Path, roots: &[PathBuf]) -> Result<(), RustfmtError> {
        let mut command = Command::new(&self.program);
        command
            .current_dir(&self.project)
            .args(["--edition", &self.edition]);
        if let Some(config) = &self.config {
            command.arg("--config-path").arg(config);
        }
        command.args(roots.iter().map(|root| scratch.join(root)));
        let output = command
            .output()
            .map_err(|e| RustfmtError::Unavailable(e.to_string()))?;
        if output.status.success() {
            Ok(())
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Err(RustfmtError::Failed(
                stderr
                    .replace(&scratch.display().to_string(), "")
                    .trim()
                    .to_string(),
            ))
        }
    }
}

/// Everything that decides what the rustfmt of [`Rustfmt::for_output`] makes
/// of a file, found without running it: the program, the host's
/// `Cargo.toml` (its edition) and `rustfmt.toml`.
pub fn output_key(output: &Path) -> String {
    let project = host_dir(output);
    let manifest = std::fs::read_to_string(project.join("Cargo.toml")).unwrap_or_default();
    let config = config_file(&project)
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_default();
    format!(
        "{}\nCargo.toml\n{manifest}\nrustfmt.toml\n{config}",
        program_key(&project)
    )
}

/// What names the rustfmt a run in `project` would use, found without
/// running anything (see [`Program::key`]).
pub fn program_key(project: &Path) -> String {
    locate(project).key
}

/// The rustfmt a run would start, and what decides which binary that is.
struct Program {
    /// As requested (`RUSTFMT`, else `rustfmt` on `PATH`).
    requested: OsString,
    /// Where it resolves, if it exists.
    path: Option<PathBuf>,
    /// rustup's own binary, when `path` is one of its proxies.
    rustup: Option<PathBuf>,
    /// Everything that picks the binary and so the output: the program's file
    /// (metadata, not contents: a stat, not a read), and what rustup reads to
    /// choose a toolchain (`RUSTUP_TOOLCHAIN`, its settings with the default
    /// toolchain and directory overrides, the nearest `rust-toolchain` file).
    key: String,
}

fn locate(project: &Path) -> Program {
    let requested = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let path = resolve(project, &requested);
    let mut key = format!("program {}\n", Path::new(&requested).display());
    let mut rustup = None;
    if let Some(path) = &path {
        key.push_str(&format!("at {} {}\n", path.display(), stat(path)));
        if let Ok(target) = std::fs::read_link(path) {
            key.push_str(&format!("link {}\n", target.display()));
        }
        rustup = rustup_proxy(path);
    }
    if rustup.is_some() {
        for name in ["RUSTUP_TOOLCHAIN", "RUSTUP_HOME", "CARGO_HOME"] {
            let value = std::env::var_os(name).unwrap_or_default();
            key.push_str(&format!("{name}={}\n", Path::new(&value).display()));
        }
        if let Some(home) = rustup_home() {
            let settings = std::fs::read_to_string(home.join("settings.toml")).unwrap_or_default();
            key.push_str(&format!("settings {settings}\n"));
            // An update replaces a toolchain's binary in place: its file changes.
            let toolchains = home.join("toolchains");
            key.push_str(&format!("toolchains {}\n", stat(&toolchains)));
            let mut binaries: Vec<PathBuf> = std::fs::read_dir(&toolchains)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path().join("bin/rustfmt"))
                .collect();
            binaries.sort();
            for binary in binaries {
                key.push_str(&format!("{} {}\n", binary.display(), stat(&binary)));
            }
        }
        let toolchain_file = project.ancestors().find_map(|dir| {
            ["rust-toolchain.toml", "rust-toolchain"]
                .iter()
                .map(|name| dir.join(name))
                .find(|file| file.is_file())
        });
        if let Some(file) = toolchain_file {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            key.push_str(&format!("toolchain file {}\n{text}\n", file.display()));
        }
    }
    Program {
        requested,
        path,
        rustup,
        key,
    }
}

impl Program {
    /// The binary and version a run with the same key found, if that binary is unchanged.
    fn cached(&self) -> Option<(OsString, String)> {
        let text = std::fs::read_to_string(cache_file(&self.key)?).ok()?;
        let mut lines = text.lines();
        let (key, version, binary, meta) =
            (lines.next()?, lines.next()?, lines.next()?, lines.next()?);
        (key == hash_hex(&self.key) && stat(Path::new(binary)) == meta)
            .then(|| (binary.into(), version.to_string()))
    }

    /// Runs the program for its version (through rustup: finds the
    /// toolchain's binary first) and remembers the answer.
    fn probe(&self, project: &Path) -> Result<(OsString, String), RustfmtError> {
        let binary: OsString = self
            .rustup
            .as_ref()
            .and_then(|rustup| {
                let output = Command::new(rustup)
                    .args(["which", "rustfmt"])
                    .current_dir(project)
                    .output()
                    .ok()?;
                let path = String::from_utf8(output.stdout).ok()?;
                let path = PathBuf::from(path.trim());
                (output.status.success() && path.is_file()).then(|| path.into_os_string())
            })
            .unwrap_or_else(|| self.requested.clone());
        let output = Command::new(&binary)
            .arg("--version")
            .current_dir(project)
            .output()
            .map_err(|e| RustfmtError::Unavailable(e.to_string()))?;
        if !output.status.success() {
            return Err(RustfmtError::Unavailable(
                String::from_utf8_lossy(&output.stderr).trim().to_string(),
            ));
        }
        let version = String::from_utf8_lossy(&output.stdout).trim().to_string();
        let resolved = if binary == self.requested {
            self.path.clone()
        } else {
            Some(PathBuf::from(&binary))
        };
        if let (Some(file), Some(resolved)) = (cache_file(&self.key), resolved) {
            let text = format!(
                "{}\n{version}\n{}\n{}\n",
                hash_hex(&self.key),
                resolved.display(),
                stat(&resolved)
            );
            // A cache: a failed write only means the next run asks again.
            let _ = write_atomically(&file, &text);
            return Ok((resolved.into_os_string(), version));
        }
        Ok((binary, version))
    }
}

/// Where the program a `Command` would start lives: a name is looked up on
/// `PATH`, a path is taken relative to `project` (the command's directory).
fn resolve(project: &Path, requested: &OsString) -> Option<PathBuf> {
    let requested = Path::new(requested);
    if requested.components().count() > 1 || requested.is_absolute() {
        let path = project.join(requested);
        return path.is_file().then_some(path);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(requested))
        .find(|path| path.is_file())
}

/// rustup's binary when `path` is one of its proxies (a link to it, or a hard
/// link of it as rustup installs them), which starts the toolchain's rustfmt.
fn rustup_proxy(path: &Path) -> Option<PathBuf> {
    let target = std::fs::canonicalize(path).ok()?;
    let name = target.file_name()?.to_string_lossy().into_owned();
    if name.starts_with("rustup") {
        return Some(target);
    }
    let sibling = path.with_file_name(format!("rustup{}", std::env::consts::EXE_SUFFIX));
    (stat(&target) == stat(&sibling) && sibling.is_file()).then_some(sibling)
}

fn rustup_home() -> Option<PathBuf> {
    std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".rustup")))
}

/// A file's identity without reading it: size, modification time, inode.
fn stat(path: &Path) -> String {
    let Ok(meta) = std::fs::metadata(path) else {
        return "missing".to_string();
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    #[cfg(unix)]
    let inode = {
        use std::os::unix::fs::MetadataExt as _;
        format!("{}:{}", meta.dev(), meta.ino())
    };
    #[cfg(not(unix))]
    let inode = String::new();
    format!("{} {modified} {inode}", meta.len())
}

/// `$XDG_CACHE_HOME/scaffold` (else `~/.cache/scaffold`): facts about this
/// machine's tools, never part of a project.
pub fn user_cache_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| Path::new(dir).is_absolute())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache")))
        .map(|dir| dir.join("scaffold"))
}

fn cache_file(key: &str) -> Option<PathBuf> {
    let name = format!("rustfmt-{}", &hash_hex(key)[..16]);
    user_cache_dir().map(|dir| dir.join(name))
}

fn hash_hex(text: &str) -> String {
    scaffold_regen::manifest::hash(text)
}

/// Writes `text` to `path` through a sibling and a rename, so a reader never
/// sees half a file (other runs may read it at the same time).
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = tempfile::NamedTempFile::new_in(dir)?;
    std::fs::write(temp.path(), text)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `files` under `folder`, with an empty file for every module they
/// declare that is not among them (from another group, or taken from the
/// cache), so rustfmt resolves every `mod x;`; returns the roots: the files
/// no other file here declares.
fn prepare(folder: &Path, files: &[&(String, String)]) -> Result<Vec<PathBuf>, RustfmtError> {
    let mut written = BTreeSet::new();
    for (path, text) in files {
        let target = folder.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, text)?;
        written.insert(PathBuf::from(path));
    }
    let mut children = BTreeSet::new();
    for (path, text) in files {
        for candidates in declared_children(Path::new(path), text) {
            match candidates.iter().find(|c| written.contains(*c)) {
                Some(child) => {
                    children.insert(child.clone());
                }
                None => {
                    let target = folder.join(&candidates[0]);
                    if let Some(parent) = target.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::write(&target, "")?;
                }
            }
        }
    }
    Ok(files
        .iter()
        .map(|(path, _)| PathBuf::from(path))
        .filter(|path| !children.contains(path))
        .collect())
}

/// The host crate of files written under `output`: the nearest folder above
/// with a `Cargo.toml`, else the nearest existing one.
fn host_dir(output: &Path) -> PathBuf {
    let project = output
        .ancestors()
        .find(|dir| dir.join("Cargo.toml").is_file())
        .unwrap_or(output);
    project
        .ancestors()
        .find(|dir| dir.is_dir())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// The edition `cargo fmt` would pass: the host package's; 2024 (what the
/// generated code is written for) when there is no package.
fn host_edition(project: &Path) -> String {
    let Ok(manifest) = std::fs::read_to_string(project.join("Cargo.toml")) else {
        return "2024".to_string();
    };
    let value: toml::Table = toml::from_str(&manifest).unwrap_or_default();
    let edition = |table: Option<&toml::Value>| {
        table
            .and_then(|t| t.get("edition"))
            .and_then(toml::Value::as_str)
            .map(str::to_string)
    };
    let workspace_package = value.get("workspace").and_then(|w| w.get("package"));
    edition(value.get("package"))
        .or_else(|| edition(workspace_package))
        .unwrap_or_else(|| "2015".to_string())
}

/// rustfmt looks for its config from the formatted file upwards; the scratch
/// copy lives elsewhere, so find the host's the same way and pass it.
fn config_file(project: &Path) -> Option<PathBuf> {
    project.ancestors().find_map(|dir| {
        ["rustfmt.toml", ".rustfmt.toml"]
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file())
    })
}

/// The files each `mod name;` item of `path` may resolve to (`name.rs` or
/// `name/mod.rs`, beside a `mod.rs`, `lib.rs` or `main.rs`, else in a folder
/// named like the file), one list per item.
fn declared_children(path: &Path, text: &str) -> Vec<[PathBuf; 2]> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let base = match stem {
        "mod" | "lib" | "main" => path.parent().map(Path::to_path_buf).unwrap_or_default(),
        _ => path.with_extension(""),
    };
    let mut attribute_path: Option<&str> = None;
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            // `#[path = "x.rs"]` names the file, relative to this file's folder.
            let named = attribute_path.take();
            if let Some(value) = line
                .strip_prefix("#[path = \"")
                .and_then(|rest| rest.strip_suffix("\"]"))
            {
                attribute_path = Some(value);
                return None;
            }
            if line.starts_with("#[") || line.starts_with("//") {
                attribute_path = named;
                return None;
            }
            let rest = line.strip_prefix("pub ").unwrap_or(line);
            let rest = rest.strip_prefix("mod ")?.strip_suffix(';')?.trim();
            let name = rest.strip_prefix("r#").unwrap_or(rest);
            if let Some(named) = named {
                let file = path.parent().unwrap_or(Path::new("")).join(named);
                return Some([file.clone(), file]);
            }
            name.chars()
                .all(|c| c.is_alphanumeric() || c == '_')
                .then(|| {
                    [
                        base.join(format!("{name}.rs")),
                        base.join(name).join("mod.rs"),
                    ]
                })
        })
        .collect()
}

/// A fingerprint of Rust source that only its tokens and comments decide:
/// two texts a formatter made of the same code have equal fingerprints.
/// Trailing commas before a closing delimiter are ignored (formatters add and
/// drop them); anything that does not lex fingerprints as its raw text.
pub fn fingerprint(source: &str) -> String {
    let Ok(stream) = source.parse::<proc_macro2::TokenStream>() else {
        return source.to_string();
    };
    let mut out = String::with_capacity(source.len());
    flatten(stream, &mut out);
    for comment in line_comments(source) {
        out.push_str("\n//");
        out.push_str(comment);
    }
    out
}

fn flatten(stream: proc_macro2::TokenStream, out: &mut String) {
    use proc_macro2::{Delimiter, TokenTree};
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let punct =
        |i: usize, c: char| matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => {
                // rustfmt wraps a long match arm or closure body in a block
                // (`=> x,` becomes `=> { x }`): the same code, so the same print.
                let after_arrow = i >= 2 && punct(i - 1, '>') && punct(i - 2, '=');
                let after_closure_head = i >= 1 && punct(i - 1, '|');
                // rustfmt ends a wrapped `return x`, `break x` or `continue` with `;`.
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                let jumps = matches!(inner.first(), Some(TokenTree::Ident(word))
                    if word == "return" || word == "break" || word == "continue");
                let semicolons = inner
                    .iter()
                    .filter(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'))
                    .count();
                let ends_in_semicolon =
                    matches!(inner.last(), Some(TokenTree::Punct(p)) if p.as_char() == ';');
                let one_expression = semicolons == 0;
                if group.delimiter() == Delimiter::Brace
                    && after_arrow
                    && jumps
                    && semicolons == 1
                    && ends_in_semicolon
                {
                    let mut stream = inner;
                    stream.pop();
                    flatten(stream.into_iter().collect(), out);
                    if i + 1 < tokens.len() && !punct(i + 1, ',') {
                        out.push_str(", ");
                    }
                    continue;
                }
                if group.delimiter() == Delimiter::Brace
                    && (after_arrow || after_closure_head)
                    && one_expression
                {
                    flatten(group.stream(), out);
                    if after_arrow && i + 1 < tokens.len() && !punct(i + 1, ',') {
                        out.push_str(", ");
                    }
                    continue;
                }
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                flatten(group.stream(), out);
                out.push_str(close);
            }
            // Trailing commas come and go with line breaks, in groups and generics.
            TokenTree::Punct(comma)
                if comma.as_char() == ',' && (i + 1 == tokens.len() || punct(i + 1, '>')) => {}
            other => {
                out.push_str(&other.to_string());
                out.push(' ');
            }
        }
    }
}

/// `//` comments (not doc comments: those are tokens), trimmed, in order.
fn line_comments(source: &str) -> Vec<&str> {
    let bytes = source.as_bytes();
    let mut comments = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'r' if bytes.get(i + 1).is_some_and(|b| matches!(b, b'"' | b'#')) => {
                let hashes = bytes[i + 1..].iter().take_while(|b| **b == b'#').count();
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                i += 2 + hashes;
                while i < bytes.len() && !bytes[i..].starts_with(&close) {
                    i += 1;
                }
                i += close.len();
            }
            b'\'' => {
                // A char literal ('x', '\n') or a lifetime ('a): skip just the quote.
                if bytes.get(i + 2) == Some(&b'\'') {
                    i += 3;
                } else if bytes.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < bytes.len() && bytes[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                } else {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = source[i..].find('\n').map_or(source.len(), |n| i + n);
                let body = &source[i + 2..end];
                let doc_comment =
                    (body.starts_with('/') && !body.starts_with("//")) || body.starts_with('!');
                if !doc_comment {
                    comments.push(body.trim());
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    comments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_does_not_change_the_fingerprint() {
        let a = "fn f(a: u8,) -> u8 { // keep\n    match a { 1 => { 2 } _ => g(|x| x), } }\n";
        let b = "fn f(a: u8) -> u8 {\n    // keep\n    match a {\n        1 => 2,\n        _ => g(|x| {\n            x\n        }),\n    }\n}\n";
        assert_eq!(fingerprint(a), fingerprint(b));
    }

    #[test]
    fn an_arm_returning_in_a_block_is_the_same_arm() {
        let a = "fn f(a: u8) -> u8 { match a { 1 => return 2, _ => 3 } }";
        let b = "fn f(a: u8) -> u8 { match a { 1 => { return 2; } _ => 3 } }";
        assert_eq!(fingerprint(a), fingerprint(b));
        let c = "fn f(a: u8) -> u8 { match a { 1 => { g(); return 2; } _ => 3 } }";
        assert_ne!(fingerprint(a), fingerprint(c));
    }

    #[test]
    fn edits_change_the_fingerprint() {
        let base = "fn f() -> u8 {\n    // keep\n    1\n}\n";
        assert_ne!(fingerprint(base), fingerprint(&base.replace('1', "2")));
        assert_ne!(
            fingerprint(base),
            fingerprint(&base.replace("keep", "kept"))
        );
        assert_ne!(
            fingerprint("fn f() { let s = \"a  b\"; }"),
            fingerprint("fn f() { let s = \"a b\"; }")
        );
    }

    #[test]
    fn comments_inside_strings_are_not_comments() {
        assert_eq!(line_comments("let u = \"http://x\"; // real"), vec!["real"]);
        assert_eq!(
            line_comments("let u = r#\"//no\"#; let c = '/';"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn children_resolve_like_rustc() {
        let flat = |path: &str, text: &str| -> Vec<PathBuf> {
            declared_children(Path::new(path), text)
                .into_iter()
                .flatten()
                .collect()
        };
        let text = "pub mod models;\nmod r#match;\nmod inline { }\n";
        assert_eq!(
            flat("orders/mod.rs", text),
            [
                "orders/models.rs",
                "orders/models/mod.rs",
                "orders/match.rs",
                "orders/match/mod.rs"
            ]
            .map(PathBuf::from)
        );
        assert_eq!(
            flat("a/b.rs", "mod c;"),
            ["a/b/c.rs", "a/b/c/mod.rs"].map(PathBuf::from)
        );
        assert_eq!(
            flat(
                "mod.rs",
                "// why\n#[path = \"match/mod.rs\"]\npub mod match_;\npub mod b;\n"
            ),
            ["match/mod.rs", "match/mod.rs", "b.rs", "b/mod.rs"].map(PathBuf::from)
        );
    }

    #[test]
    fn formats_a_module_tree_like_cargo_fmt() {
        let host = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            host.path().join("Cargo.toml"),
            "[package]\nname = \"h\"\nedition = \"2024\"\n",
        )
        .expect("write");
        std::fs::write(host.path().join("rustfmt.toml"), "max_width = 60\n").expect("write");
        let rustfmt = Rustfmt::for_project(host.path())
            .expect("rustfmt is installed (rustup component add rustfmt)");
        let files = vec![
            ("mod.rs".to_string(), "pub mod a;\npub mod b;\n".to_string()),
            (
                "a.rs".to_string(),
                "pub fn long_name(first_argument: u32, second_argument: u32) -> u32 { first_argument + second_argument }\n".to_string(),
            ),
        ];
        let formatted = rustfmt.format(&files).expect("format");
        assert_eq!(formatted[0], "pub mod a;\npub mod b;\n");
        assert_eq!(
            formatted[1],
            "pub fn long_name(\n    first_argument: u32,\n    second_argument: u32,\n) -> u32 {\n    first_argument + second_argument\n}\n"
        );
        assert!(rustfmt.identity().contains("max_width = 60"));
    }
}
