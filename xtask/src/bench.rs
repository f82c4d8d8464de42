//! `cargo xtask bench`: wall-clock measurements of the release binary as users run it.
//!
//! Timed in one run on the same machine, so ratios are comparable even when
//! the machine is noisy; absolute numbers are not.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let runs = if quick { 3 } else { 9 };
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "-p", "scaffold"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --release failed".into());
    }
    // `--guard`: only the guard's numbers (hook latency, staged check), in a minute.
    // `--hook`: only the hook latency, in seconds (e.g. under `chrt -f 50` on a busy machine).
    let hook_only = args.iter().any(|a| a == "--hook");
    if hook_only || args.iter().any(|a| a == "--guard") {
        return guard(root, runs, hook_only);
    }
    // `SCAFFOLD_BENCH_BINARY`: time another build (an older one, for a before/after).
    let binary = std::env::var_os("SCAFFOLD_BENCH_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/scaffold"));
    let scratch = std::env::temp_dir().join(format!("scaffold-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    // `--pg`: only the PostgreSQL backend against hand-written sqlx handlers.
    if args.iter().any(|a| a == "--pg") {
        let result = crate::bench_pg::run(root, &binary, &scratch);
        let _ = std::fs::remove_dir_all(&scratch);
        return result;
    }
    // `--crud`: only the anchors' CRUD domain against the Tera floor.
    if args.iter().any(|a| a == "--crud") {
        let result = crate::bench_crud::run(root, &binary, &scratch, runs);
        let _ = std::fs::remove_dir_all(&scratch);
        return result;
    }

    println!("scaffold generate (release build, median of {runs} runs, each a fresh process)");
    println!(
        "{:<34} {:>10} {:>12} {:>10}",
        "case", "median", "per domain", "files"
    );
    let mut one_domain = None;
    for (label, domains, entities) in [
        ("1 domain x 4 entities", 1u32, 4),
        ("10 domains x 4 entities", 10, 4),
        ("50 domains x 4 entities", 50, 4),
        ("1 domain x 200 entities", 1, 200),
    ] {
        let dir = scratch.join(label.replace(' ', "_"));
        write_project(&dir, domains as usize, entities)?;
        let fresh = median(runs, || {
            let _ = std::fs::remove_dir_all(dir.join("backend"));
            // A fresh project: no manifest either (it would mark deleted owned files as skipped).
            let _ = std::fs::remove_dir_all(dir.join(".scaffold"));
            time_in(&binary, &dir, &["generate", "--out", "."])
        })?;
        let files = count_files(&dir.join("backend"));
        let per_domain = fresh / domains;
        println!(
            "{label:<34} {:>8.1}ms {:>10.2}ms {files:>10}",
            ms(fresh),
            ms(per_domain)
        );
        if domains == 1 && entities == 4 {
            one_domain = Some(fresh);
        }
        if domains == 50 {
            let rerun = median(runs, || time_in(&binary, &dir, &["generate", "--out", "."]))?;
            println!(
                "{:<34} {:>8.1}ms",
                "50 domains, rerun (all identical)",
                ms(rerun)
            );
            if let Some(one) = one_domain {
                println!(
                    "scaling 1 -> 50 domains: {:.1}x the time for 50x the work",
                    fresh.as_secs_f64() / one.as_secs_f64()
                );
            }
        }
    }
    // The README's example domain, fifty times over: the size of a typical ticket's domain.
    let dir = scratch.join("orders_x50");
    let example = std::fs::read_to_string(root.join("examples/specs/ORD-142/spec.md"))
        .map_err(|e| e.to_string())?;
    for d in 0..50 {
        let spec_dir = dir.join(format!("specs/ORD-{d}"));
        std::fs::create_dir_all(&spec_dir).map_err(|e| e.to_string())?;
        let spec = example.replace("domain: orders", &format!("domain: orders_{d}"));
        std::fs::write(spec_dir.join("spec.md"), spec).map_err(|e| e.to_string())?;
    }
    let fresh = median(runs, || {
        let _ = std::fs::remove_dir_all(dir.join("backend"));
        // A fresh project: no manifest either (it would mark deleted owned files as skipped).
        let _ = std::fs::remove_dir_all(dir.join(".scaffold"));
        time_in(&binary, &dir, &["generate", "--out", "."])
    })?;
    println!(
        "{:<34} {:>8.1}ms {:>10.2}ms {:>10}",
        "50 x examples/ORD-142 (orders)",
        ms(fresh),
        ms(fresh / 50),
        count_files(&dir.join("backend"))
    );
    crate::bench_specs::run(&binary, &scratch.join("speckit_corpus"), runs)?;
    crate::bench_crud::run(root, &binary, &scratch, runs)?;
    let _ = std::fs::remove_dir_all(&scratch);
    guard(root, runs, false)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn median(
    runs: usize,
    mut f: impl FnMut() -> Result<Duration, String>,
) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        times.push(f()?);
    }
    times.sort();
    Ok(times[times.len() / 2])
}

fn count_files(dir: &Path) -> usize {
    let mut count = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path: PathBuf = entry.path();
            if path.is_dir() {
                stack.push(path)
            } else {
                count += 1
            }
        }
    }
    count
}

/// A project of `domains` synthetic specs with `entities` entities each.
fn write_project(dir: &Path, domains: usize, entities: usize) -> Result<(), String> {
    for d in 0..domains {
        let spec_dir = dir.join(format!("specs/BENCH-{d}"));
        std::fs::create_dir_all(&spec_dir).map_err(|e| e.to_string())?;
        std::fs::write(spec_dir.join("spec.md"), synthetic_spec(d, entities))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn synthetic_spec(d: usize, entities: usize) -> String {
    let mut s = format!(
        "---\nticket: BENCH-{d}\ndomain: domain_{d}\n---\n# Synthetic domain {d}\n\n## Requirements\n- **FR-001**: System MUST be fast.\n\n## Domain Model\n"
    );
    for e in 0..entities {
        let _ = write!(
            s,
            "\n### Entity: Thing{e}\n| Field | Type | Required | Constraints |\n|---|---|---|---|\n| id | uuid | yes | primary key |\n| name | string | yes | min 1, max 80 |\n| code | string | yes | max 16, pattern ^[A-Z0-9]+$ |\n| count | i32 | yes | min 0, max 1000 |\n| price | decimal | no | min 0 |\n| state | enum(draft, live, gone) | yes | default draft |\n| note | text | no | |\n| created_at | datetime | yes | |\n"
        );
    }
    s.push_str("\n## Operations\n");
    for e in 0..entities {
        let _ = write!(
            s,
            "\n### CreateThing{e}\n- **Kind**: create Thing{e}\n- **Input**: `name`, `code`, `count`, `price`, `note`\n- **Output**: Thing{e}\n- **Rules**: FR-001\n\n### GetThing{e}\n- **Kind**: get Thing{e}\n- **Input**: `thing{e}_id`\n- **Output**: Thing{e}\n- **Errors**: NOT_THERE\n\n### ArchiveThing{e}\n- **Input**: `thing{e}_id`\n- **Output**: Thing{e}\n"
        );
    }
    s.push_str("\n## API Endpoints\n| Method | Path | Operation | Status |\n|---|---|---|---|\n");
    for e in 0..entities {
        let _ = writeln!(
            s,
            // Each domain under its own prefix: one application cannot serve a route twice.
            "| POST | /d{d}/things{e} | CreateThing{e} | 201 |\n| GET | /d{d}/things{e}/{{thing{e}_id}} | GetThing{e} | 200 |\n| POST | /d{d}/things{e}/{{thing{e}_id}}/archive | ArchiveThing{e} | 200 |"
        );
    }
    s.push_str(
        "\n## Errors\n| Code | HTTP | Message |\n|---|---|---|\n| NOT_THERE | 404 | Not there |\n",
    );
    s
}

/// The Python hook a team would write instead: same input, same decisions for common cases.
const PYTHON_HOOK: &str = r#"import fnmatch, json, os, re, shlex, sys, tomllib
PROTECTED = ["migrations/**", "**/migrations/**", "db/migrate/**", "schema.prisma", "**/schema.prisma", "atlas.sum"]
RUNNERS = [r"\bsqlx\s+migrate\s+(run|revert)", r"\bdiesel\s+migration\s+(run|redo|revert)", r"\bprisma\s+migrate\s+(dev|deploy|reset)", r"\balembic\s+(upgrade|downgrade)"]
def protected(path):
    path = os.path.normpath(path).lower()
    return any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(path, g.replace("**/", "")) for g in PROTECTED)
def main():
    data = json.load(sys.stdin)
    cwd = data.get("cwd", ".")
    try:
        with open(os.path.join(cwd, "scaffold.toml"), "rb") as f:
            tomllib.load(f)
    except FileNotFoundError:
        pass
    tool, args = data["tool_name"], data.get("tool_input", {})
    if tool in ("Edit", "Write", "MultiEdit"):
        rel = os.path.relpath(os.path.realpath(os.path.join(cwd, args["file_path"])), os.path.realpath(cwd))
        if protected(rel):
            print(f"{rel} is protected", file=sys.stderr); sys.exit(2)
    elif tool == "Bash":
        command = args["command"]
        if any(re.search(r, command) for r in RUNNERS) or "--no-verify" in command:
            print("blocked", file=sys.stderr); sys.exit(2)
        for word in shlex.split(command):
            if protected(word):
                print(f"{word} is protected", file=sys.stderr); sys.exit(2)
main()
"#;

/// `scaffold guard claude-hook` per call, against the Python hook above, and
/// `scaffold guard staged` against the bare `git diff-index` it needs.
pub fn guard(root: &Path, runs: usize, hook_only: bool) -> Result<(), String> {
    let binary = root.join("target/release/scaffold");
    let dir = std::env::temp_dir().join(format!("scaffold-bench-guard-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("migrations")).map_err(|e| e.to_string())?;
    let git = |args: &[&str]| -> Result<(), String> {
        let status = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("git {args:?} failed"))
        }
    };
    git(&["init", "-q"])?;
    std::fs::write(dir.join("migrations/0001.sql"), "create table a();\n")
        .map_err(|e| e.to_string())?;
    let script = dir.join("hook.py");
    std::fs::write(&script, PYTHON_HOOK).map_err(|e| e.to_string())?;
    let input = format!(
        r#"{{"session_id":"s","cwd":{cwd:?},"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{{"command":"cd backend && cargo test --workspace && git add -A && git commit -m 'wip'"}}}}"#,
        cwd = dir.display().to_string()
    );
    // Every program timed runs from a fresh copy, as `cargo install` leaves it:
    // the file the linker wrote in target/ starts measurably slower (more page
    // faults: scaffold-hook measured 1.6x /bin/true there, 1.2x as a copy).
    let bin = std::env::temp_dir().join(format!("scaffold-bench-bin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&bin);
    std::fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
    let install = |program: &Path| -> Result<PathBuf, String> {
        let name = program.file_name().ok_or("a program without a name")?;
        let copy = bin.join(name);
        std::fs::copy(program, &copy)
            .map_err(|e| format!("cannot copy {}: {e}", program.display()))?;
        Ok(copy)
    };
    let (empty_dynamic, empty_static) = empty_rust_programs(root, &bin.join("build"))?;
    let empty_dynamic = install(&empty_dynamic)?;
    let empty_static = empty_static.map(|p| install(&p)).transpose()?;
    let slim_binary = install(&binary.with_file_name("scaffold-hook"))?;
    let whole_binary = install(&binary)?;
    // Every cheap program in the same rounds, so a busy machine slows them alike.
    let whole_args: &[&str] = &["guard", "claude-hook"];
    let mut programs: Vec<(&str, &Path, &[&str])> = vec![
        ("/bin/true (the anchor)", Path::new("/bin/true"), &[]),
        ("empty Rust program, dynamic", &empty_dynamic, &[]),
    ];
    if let Some(empty_static) = &empty_static {
        programs.push(("empty Rust program, static", empty_static, &[]));
    }
    programs.push(("scaffold-hook (installed)", &slim_binary, &[]));
    programs.push(("scaffold guard claude-hook", &whole_binary, whole_args));
    let rounds = runs * 50;
    let times = interleaved(rounds, &dir, &programs, &input)?;
    let median_of = |label: &str| {
        programs
            .iter()
            .position(|(l, _, _)| *l == label)
            .map(|i| times[i].1)
    };
    let noop = median_of("/bin/true (the anchor)").unwrap_or_default();
    let slim = median_of("scaffold-hook (installed)").unwrap_or_default();
    println!();
    println!(
        "scaffold guard claude-hook, one Bash call: medians of {rounds} interleaved rounds (each runs every program once, a fresh process fed the same JSON)"
    );
    for ((label, _, _), (q1, median, q3)) in programs.iter().zip(&times) {
        println!(
            "  {label:<30} {:>7.3}ms  (q1 {:.3}, q3 {:.3})  {:>5.2}x the no-op process",
            ms(*median),
            ms(*q1),
            ms(*q3),
            median.as_secs_f64() / noop.as_secs_f64()
        );
    }
    for (label, empty) in [
        ("dynamic", median_of("empty Rust program, dynamic")),
        ("static", median_of("empty Rust program, static")),
    ] {
        if let Some(empty) = empty {
            println!(
                "  scaffold-hook / empty Rust program, {label}: {:.2}x",
                slim.as_secs_f64() / empty.as_secs_f64()
            );
        }
    }
    // Two hundred times slower: a few calls are enough, outside the rounds.
    let python = median(runs * 2, || {
        feed(
            &dir,
            Path::new("python3"),
            &[&script.display().to_string()],
            &input,
        )
    })?;
    println!(
        "  equivalent Python hook        {:>8.2}ms   ({:.0}x slower than scaffold-hook; median of {})",
        ms(python),
        python.as_secs_f64() / slim.as_secs_f64(),
        runs * 2
    );
    // Worst cases: a command just under the 64 KiB cap, and a 1 MB one (refused at once).
    for (label, command) in [
        (
            "60 KB command",
            "cat \\\"$PWD\\\"/src/lib.rs $(echo x) > /tmp/out; ".repeat(1_000),
        ),
        ("1 MB command", "echo hello; ".repeat(90_000)),
    ] {
        let input = format!(
            r#"{{"session_id":"s","cwd":{cwd:?},"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{{"command":"{command}"}}}}"#,
            cwd = dir.display().to_string()
        );
        let time = median(runs, || {
            feed(&dir, &whole_binary, &["guard", "claude-hook"], &input)
        })?;
        println!("  {label:<29} {:>8.2}ms", ms(time));
    }
    let _ = std::fs::remove_dir_all(&bin);
    if hook_only {
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(());
    }
    // 50,000 files, 2,000 of them migrations; a commit touching ten of each kind.
    for i in 0..48_000 {
        let sub = dir.join(format!("src/m{}", i / 500));
        if i % 500 == 0 {
            std::fs::create_dir_all(&sub).map_err(|e| e.to_string())?;
        }
        std::fs::write(sub.join(format!("f{i}.rs")), format!("// {i}\n"))
            .map_err(|e| e.to_string())?;
    }
    for i in 2..=2_000 {
        std::fs::write(
            dir.join(format!("migrations/{i:04}.sql")),
            format!("-- {i}\n"),
        )
        .map_err(|e| e.to_string())?;
    }
    git(&["add", "-A"])?;
    git(&[
        "-c",
        "user.name=b",
        "-c",
        "user.email=b@b",
        "commit",
        "-q",
        "-m",
        "base",
    ])?;
    for i in 0..10 {
        std::fs::write(
            dir.join(format!("src/m{i}/f{}.rs", i * 500)),
            "// changed\n",
        )
        .map_err(|e| e.to_string())?;
        std::fs::write(dir.join(format!("migrations/9{i:03}.sql")), "-- new\n")
            .map_err(|e| e.to_string())?;
    }
    git(&["add", "-A"])?;
    let plain = median(runs, || {
        time_in(
            Path::new("git"),
            &dir,
            &[
                "diff-index",
                "--cached",
                "-z",
                "--raw",
                "--no-renames",
                "HEAD",
            ],
        )
    })?;
    let staged = median(runs, || time_in(&binary, &dir, &["guard", "staged"]))?;
    println!();
    println!(
        "scaffold guard staged (50,000 files, 2,000 migrations, 20 staged changes; median of {runs})"
    );
    println!(
        "  git diff-index --cached -z --raw HEAD   {:>8.2}ms",
        ms(plain)
    );
    println!(
        "  scaffold guard staged                   {:>8.2}ms   ({:.2}x the bare git call)",
        ms(staged),
        staged.as_secs_f64() / plain.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// `(q1, median, q3)` per program over `rounds` rounds; each round runs every
/// program once, in a shuffled order, so that whatever else the machine does
/// lands on all of them alike and none always follows the same neighbour
/// (ratios from one such run are comparable, absolute times are not).
fn interleaved(
    rounds: usize,
    dir: &Path,
    programs: &[(&str, &Path, &[&str])],
    input: &str,
) -> Result<Vec<(Duration, Duration, Duration)>, String> {
    let mut times = vec![Vec::with_capacity(rounds); programs.len()];
    let mut order: Vec<usize> = (0..programs.len()).collect();
    // A fixed-seed LCG: the same shuffles on every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..rounds {
        for j in (1..order.len()).rev() {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            order.swap(j, (state >> 33) as usize % (j + 1));
        }
        for &i in &order {
            let (_, program, args) = programs[i];
            times[i].push(feed(dir, program, args, input)?);
        }
    }
    Ok(times
        .into_iter()
        .map(|mut t| {
            t.sort();
            (t[t.len() / 4], t[t.len() / 2], t[t.len() * 3 / 4])
        })
        .collect())
}

/// `fn main() {}` built by rustc with `-O`: as rustc links it by default
/// (dynamically), and with crt-static (a static PIE, as build.rs links
/// scaffold-hook; `None` where that target cannot link statically).
fn empty_rust_programs(root: &Path, dir: &Path) -> Result<(PathBuf, Option<PathBuf>), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let source = dir.join("empty.rs");
    std::fs::write(&source, "fn main() {}\n").map_err(|e| e.to_string())?;
    let build = |out: &Path, flags: &[&str]| {
        Command::new("rustc")
            .args(["--edition", "2024", "-O"])
            .args(flags)
            .arg(&source)
            .arg("-o")
            .arg(out)
            .current_dir(root)
            .output()
            .map(|o| o.status.success())
    };
    let dynamic = dir.join("empty-dynamic");
    if !build(&dynamic, &[]).map_err(|e| format!("cannot run rustc: {e}"))? {
        return Err("rustc cannot build an empty program".into());
    }
    let linked = dir.join("empty-static");
    let linked = build(&linked, &["-C", "target-feature=+crt-static"])
        .unwrap_or(false)
        .then_some(linked);
    Ok((dynamic, linked))
}

/// One fresh process in `dir`, its stdin fed `input` as a Claude hook's is;
/// the wall time from spawn to exit.
fn feed(dir: &Path, program: &Path, args: &[&str], input: &str) -> Result<Duration, String> {
    use std::io::Write as _;
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .map(|mut s| s.write_all(input.as_bytes()));
    child.wait().map_err(|e| e.to_string())?;
    Ok(start.elapsed())
}

pub fn time_in(program: &Path, dir: &Path, args: &[&str]) -> Result<Duration, String> {
    timed(Command::new(program).args(args).current_dir(dir))
}

/// Runs `command` to its end and returns the wall time; a failure is an error with its stderr.
pub fn timed(command: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    let output = command.output().map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(elapsed)
}
