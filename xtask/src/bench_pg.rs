//! `cargo xtask bench --pg`: requests per second of create and get through the
//! generated router backed by PostgreSQL (`[database] engine = "postgres"`)
//! against a hand-written sqlx router doing the same queries (issue #12's
//! goal: within 10%), in one run, over HTTP on loopback, against a throwaway
//! cluster (scaffold-pgcluster). The host crate is xtask/bench-pg/ with
//! `backend/` generated from the anchors' CRUD domain (../shared/bench).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use scaffold_pgcluster::Cluster;

/// Seconds per measurement, rounds (each router and request once per round), connections.
const SECONDS: &str = "3";
const ROUNDS: &str = "5";
const CONNECTIONS: &str = "8";

pub fn run(root: &Path, scaffold: &Path, scratch: &Path) -> Result<(), String> {
    let host = scratch.join("pg-host");
    write_host(root, &host)?;
    run_in(&host, scaffold, &["generate"])?;
    let schema = run_in(&host, scaffold, &["schema"])?;
    let target = root.join("target/bench-pg");
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--bin", "load"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&host)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building the PostgreSQL bench host failed".into());
    }
    let cluster = Cluster::start().map_err(|e| e.to_string())?;
    cluster
        .create_database("bench")
        .map_err(|e| e.to_string())?;
    cluster.psql("bench", &schema).map_err(|e| e.to_string())?;
    println!(
        "PostgreSQL backend vs hand-written sqlx (HTTP on loopback, {CONNECTIONS} connections, {ROUNDS} rounds of {SECONDS} s, medians)"
    );
    let output = Command::new(target.join("release/load"))
        .args([SECONDS, ROUNDS, CONNECTIONS])
        .env("DATABASE_URL", cluster.sqlx_url("bench"))
        .output()
        .map_err(|e| format!("cannot run the load generator: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the load generator failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let mut samples: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        if let [_, router, request, rps] = fields[..] {
            let rps: f64 = rps.parse().map_err(|_| format!("bad line `{line}`"))?;
            samples
                .entry((request.to_string(), router.to_string()))
                .or_default()
                .push(rps);
        }
    }
    println!(
        "{:<10} {:<18} {:>14} {:>16} {:>8}",
        "request", "generated", "rps", "hand-written rps", "ratio"
    );
    for request in ["create", "get"] {
        let median = |router: &str| {
            let mut values = samples
                .get(&(request.to_string(), router.to_string()))
                .cloned()
                .unwrap_or_default();
            values.sort_by(f64::total_cmp);
            values.get(values.len() / 2).copied().unwrap_or(0.0)
        };
        let hand = median("hand-written");
        // With the layers every answer passes, and the domain's routes alone (as the hand-written router).
        for (router, label) in [
            ("generated", "router_with_pool"),
            ("generated routes", "routes alone"),
        ] {
            let generated = median(router);
            println!(
                "{request:<10} {label:<18} {generated:>14.0} {hand:>16.0} {:>7.2}x",
                if hand > 0.0 { generated / hand } else { 0.0 }
            );
        }
    }
    Ok(())
}

/// The host crate: xtask/bench-pg, one CRUD domain, PostgreSQL repositories.
fn write_host(root: &Path, host: &Path) -> Result<(), String> {
    let fixture = root.join("xtask/bench-pg");
    let copy = |from: &str, to: &str| -> Result<(), String> {
        let target = host.join(to);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::copy(fixture.join(from), &target)
            .map(drop)
            .map_err(|e| format!("{from}: {e}"))
    };
    copy("Cargo.toml.in", "Cargo.toml")?;
    copy("src/lib.rs", "src/lib.rs")?;
    copy("src/handwritten.rs", "src/handwritten.rs")?;
    copy("src/bin/load.rs", "src/bin/load.rs")?;
    let spec = std::fs::read_to_string(root.join("../shared/bench/crud-domain.spec.md.in"))
        .map_err(|e| format!("../shared/bench/crud-domain.spec.md.in: {e}"))?;
    let dir = host.join("specs/BEN-1");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("spec.md"), spec.replace("@N@", "1")).map_err(|e| e.to_string())?;
    std::fs::write(
        host.join("scaffold.toml"),
        "stack = \"rust-axum\"\n\n[database]\nengine = \"postgres\"\n",
    )
    .map_err(|e| e.to_string())
}

fn run_in(dir: &Path, scaffold: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new(scaffold)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", scaffold.display()))?;
    if !output.status.success() {
        return Err(format!(
            "scaffold {args:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
