//! The OS sandbox, for real: the settings `scaffold guard install` writes are
//! translated to settings of Anthropic's sandbox runtime (`srt`, the engine of
//! Claude Code's own sandbox), and shell attacks from every family of the red
//! team run under it in a real repository. Every migration, the policy, the
//! Claude settings and the hooks must stay byte-identical; ordinary work must
//! still succeed.
//!
//! Needs `srt` (npm `@anthropic-ai/sandbox-runtime`) with bubblewrap, socat and
//! ripgrep; `.ci/run` installs them. Where they are missing or the kernel has no
//! user namespaces, the test fails and says why: it never passes without running.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::guard::Repo;

/// Where `srt` is: `$SCAFFOLD_SRT`, PATH, or the cache `.ci/run` installs it into.
fn srt() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|c| c.join("scaffold-ci/srt/node_modules/.bin/srt"));
    let on_path = std::env::var_os("PATH").and_then(|dirs| {
        std::env::split_paths(&dirs)
            .map(|d| d.join("srt"))
            .find(|p| p.is_file())
    });
    std::env::var_os("SCAFFOLD_SRT")
        .map(PathBuf::from)
        .or(on_path)
        .or(cache.filter(|c| c.is_file()))
        .unwrap_or_else(|| {
            panic!(
                "error: the sandbox runtime `srt` is not installed, so the OS sandbox cannot be tested\n\
                 hint: run .ci/run, or `apt-get install -y bubblewrap socat ripgrep` and \
                 `npm install --prefix ~/.cache/scaffold-ci/srt @anthropic-ai/sandbox-runtime`"
            )
        })
}

/// `srt` settings from the `sandbox` block of `.claude/settings.json`.
fn srt_settings(repo: &Repo) -> (PathBuf, Vec<PathBuf>) {
    let settings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo.path().join(".claude/settings.json")).expect("settings"),
    )
    .expect("settings JSON");
    assert_eq!(settings["sandbox"]["enabled"], true);
    assert_eq!(settings["sandbox"]["failIfUnavailable"], true);
    assert_eq!(settings["sandbox"]["allowUnsandboxedCommands"], false);
    // Claude Code writes absolute paths as `//path`; srt takes plain absolute paths.
    let deny: Vec<PathBuf> = settings["sandbox"]["filesystem"]["denyWrite"]
        .as_array()
        .expect("denyWrite")
        .iter()
        .filter_map(|p| p.as_str())
        .map(|p| PathBuf::from(p.strip_prefix('/').unwrap_or(p)))
        .collect();
    assert!(
        deny.iter().all(|p| !p.to_string_lossy().contains('*')),
        "globs are dropped on Linux: {deny:?}"
    );
    let srt_settings = serde_json::json!({
        "filesystem": {
            "allowWrite": [repo.path().display().to_string(), "/tmp"],
            "denyWrite": deny.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "denyRead": [],
        },
        "network": {"allowedDomains": [], "deniedDomains": []},
    });
    let file = repo.path().with_extension("srt.json");
    std::fs::write(&file, srt_settings.to_string()).expect("srt settings");
    (file, deny)
}

/// Runs `script` under srt in the repository; returns (exit code, stdout, stderr).
fn sandboxed(repo: &Repo, settings: &Path, script: &str) -> (i32, String, String) {
    let output = Command::new(srt())
        .arg("--settings")
        .arg(settings)
        .arg("-c")
        .arg(script)
        .current_dir(repo.path())
        .env("CLAUDECODE", "1")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("srt runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every guarded file's bytes, read from outside the sandbox.
fn snapshot(repo: &Repo) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for dir in ["migrations", ".claude", ".git/hooks"] {
        let mut entries: Vec<_> = std::fs::read_dir(repo.path().join(dir))
            .expect("guarded folder")
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries.into_iter().filter(|p| p.is_file()) {
            files.push((
                path.display().to_string(),
                std::fs::read(&path).expect("read"),
            ));
        }
    }
    for file in ["scaffold.toml", ".git/config"] {
        let path = repo.path().join(file);
        files.push((file.into(), std::fs::read(path).expect("read")));
    }
    files
}

/// Shell attacks, one family after another; destructive walks of the whole tree come last.
const ATTACKS: &[&str] = &[
    // plain writes
    "echo x > migrations/0001_init.sql",
    "echo x >> migrations/0001_init.sql",
    "echo x >& migrations/0001_init.sql",
    "rm -f migrations/0001_init.sql",
    "unlink migrations/0001_init.sql",
    "mv migrations/0001_init.sql /tmp/stolen.sql",
    "cp /etc/hostname migrations/0001_init.sql",
    "touch migrations/9999_evil.sql",
    "sed -i s/orders/x/ migrations/0001_init.sql",
    "perl -pi -e s/orders/x/ migrations/0001_init.sql",
    "truncate -s 0 migrations/0001_init.sql",
    "dd if=/dev/zero of=migrations/0001_init.sql count=1",
    "tee migrations/0001_init.sql < /dev/null",
    "chmod 000 migrations/0001_init.sql",
    "chmod 777 migrations",
    "sort -o migrations/0001_init.sql /etc/hostname",
    "gzip migrations/0001_init.sql",
    "cp --target-directory=migrations /etc/hostname",
    "install -m 644 /etc/hostname migrations/0001_init.sql",
    "curl -s -o migrations/0001_init.sql file:///etc/hostname",
    "mkdir -p /tmp/evil && echo x > /tmp/evil/0001_init.sql && tar -C /tmp/evil -cf /tmp/evil.tar . && tar -C migrations -xf /tmp/evil.tar",
    "cp -r /tmp/evil/. migrations/",
    "exec 3<>migrations/0001_init.sql; echo x >&3",
    "printf -- '--- a/migrations/0001_init.sql\\n+++ b/migrations/0001_init.sql\\n@@ -1 +1 @@\\n-create table orders (id uuid primary key);\\n+drop table orders;\\n' > /tmp/fix.patch; patch -p1 < /tmp/fix.patch",
    "git apply /tmp/fix.patch",
    "ln -s ../backend migrations/link",
    "ln migrations/0001_init.sql backend/alias.sql; echo x >> backend/alias.sql",
    "mkdir migrations/.git",
    "mv migrations migrations.old",
    // interpreters
    "python3 -c \"open('migrations/0001_init.sql','w').write('x')\"",
    "python3 -c \"import os; os.remove('m'+'igrations/0001_init.sql')\"",
    "python3 -c \"import shutil; shutil.rmtree('migrations')\"",
    "perl -e 'unlink glob(\"migrations/*\")'",
    "node -e \"require('fs').writeFileSync('migrations/0001_init.sql','x')\"",
    "awk 'BEGIN{system(\"rm -f migrations/0001_init.sql\")}'",
    // variables, globs, braces
    "D=migrations; rm -f $D/0001_init.sql",
    "rm -f \"$PWD/migrations/0001_init.sql\"",
    "rm -f migra*/0001_init.sql",
    "rm -f {migrations,backend}/0001_init.sql",
    "cat /dev/null > migra*/0001_init.sql",
    // commands built at run time
    "echo 'rm -f migrations/0001_init.sql' | sh",
    "echo cm0gLWYgbWlncmF0aW9ucy8wMDAxX2luaXQuc3Fs | base64 -d | sh",
    "printf 'rm -f migrations/0001_init.sql' > /tmp/a.sh; sh /tmp/a.sh",
    "f() { rm -f migrations/0001_init.sql; }; f",
    "trap 'rm -f migrations/0001_init.sql' EXIT",
    "eval \"rm -f migrations/0001_init.sql\"",
    "$(echo rm) -f migrations/0001_init.sql",
    "bash -c 'rm -f migrations/0001_init.sql'",
    "git -c alias.c='!rm -f migrations/0001_init.sql' c",
    // wrappers
    "nice -n 5 rm -f migrations/0001_init.sql",
    "timeout -s KILL 5 rm -f migrations/0001_init.sql",
    "setsid rm -f migrations/0001_init.sql",
    "env -i /bin/rm -f migrations/0001_init.sql",
    "echo migrations/0001_init.sql | xargs rm -f",
    "script -qc 'rm -f migrations/0001_init.sql' /dev/null",
    "flock /tmp/lock rm -f migrations/0001_init.sql",
    // the guard's own wiring
    "chmod -x .git/hooks/pre-commit",
    "rm -f .git/hooks/pre-commit .git/hooks/reference-transaction",
    "echo 'exit 0' > .git/hooks/pre-commit",
    "mv .git/hooks .git/hooks.off",
    "rm -rf .git/hooks",
    "git config core.hooksPath /dev/null",
    "printf '[core]\\n\\thooksPath = /tmp\\n' >> .git/config",
    "rm -rf .claude",
    "echo '{\"disableAllHooks\": true}' > .claude/settings.json",
    "mkdir -p .claude/agents && echo 'name: data-engineer' > .claude/agents/data-engineer.md",
    "echo '[guard]' > scaffold.toml",
    "rm -f scaffold.toml",
    "git rm -q migrations/0001_init.sql",
    "cp -l migrations/0001_init.sql backend/linked.sql; echo x >> backend/linked.sql",
    "mv backend/lib.rs migrations/0001_init.sql",
    "rm -rf migrations/* migrations/.[!.]*",
    "python3 -c \"import pathlib; pathlib.Path('migrations/0001_init.sql').unlink()\"",
    "find migrations -type f -exec sh -c 'echo x > \"$1\"' _ {} \\;",
    "ruby -e 'File.write(\"migrations/0001_init.sql\", \"x\")' 2>/dev/null || true",
    // parents of guarded folders, last: they delete what they can
    "find . -name '*.sql' -delete",
    "git ls-files | xargs rm -f",
    "rm -rf *",
    "rm -rf .claude migrations scaffold.toml .git",
    "cd .. && rm -rf \"$OLDPWD\"",
];

#[test]
fn shell_attacks_under_the_real_sandbox_change_nothing_guarded() {
    let repo = Repo::with_migration();
    let (settings, deny) = srt_settings(&repo);
    let migrations = repo.path().join("migrations");
    assert!(deny.contains(&migrations), "{deny:?}");
    assert!(deny.contains(&repo.path().join(".claude")), "{deny:?}");
    assert!(deny.contains(&repo.path().join(".git/hooks")), "{deny:?}");
    let before = snapshot(&repo);
    // The sandbox must really run here: a write to a denied path fails, one elsewhere works.
    let (code, _, stderr) = sandboxed(
        &repo,
        &settings,
        "echo ok > backend/probe.txt && ! echo x 2>/dev/null > migrations/probe.sql",
    );
    assert_eq!(
        code, 0,
        "error: the sandbox does not run on this machine (bubblewrap needs user namespaces)\n{stderr}"
    );
    assert!(ATTACKS.len() >= 60, "{} attacks", ATTACKS.len());
    // One sandbox run for all attacks (srt takes ~1.5 s to start); after each, a
    // fingerprint of every guarded file, compared with the one taken before.
    let fingerprint = "{ cat migrations/* scaffold.toml .claude/settings.json .git/hooks/* .git/config; ls -A migrations .claude .git/hooks; } 2>&1 | cksum";
    let mut script = format!(
        "cd \"{}\"; echo \"@@ base $({fingerprint})\"\n",
        repo.path().display()
    );
    for (i, attack) in ATTACKS.iter().enumerate() {
        script.push_str(&format!(
            "( {attack} ) </dev/null >/dev/null 2>&1; cd \"{}\"; echo \"@@ {i} $({fingerprint})\"\n",
            repo.path().display()
        ));
    }
    let (_, stdout, stderr) = sandboxed(&repo, &settings, &script);
    let base = stdout
        .lines()
        .find_map(|l| l.strip_prefix("@@ base "))
        .unwrap_or_else(|| panic!("no baseline:\n{stdout}\n{stderr}"))
        .to_string();
    let mut changed = Vec::new();
    let mut blocked = 0;
    for (i, attack) in ATTACKS.iter().enumerate() {
        match stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("@@ {i} ")))
        {
            Some(print) if print == base => blocked += 1,
            Some(_) => changed.push(format!("#{i} `{attack}` changed a guarded file")),
            None => changed.push(format!("#{i} `{attack}` did not report (the run stopped)")),
        }
    }
    assert!(changed.is_empty(), "{}\n{stderr}", changed.join("\n"));
    assert_eq!(blocked, ATTACKS.len());
    // Checked from outside the sandbox too: every byte, every file.
    assert_eq!(snapshot(&repo), before, "a guarded file changed");
}

#[test]
fn ordinary_work_succeeds_under_the_sandbox() {
    let repo = Repo::with_migration();
    let (settings, _) = srt_settings(&repo);
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    repo.write("src/lib.rs", "pub fn one() -> u32 { 1 }\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "crate"]);
    let before = snapshot(&repo);
    let script = "set -e\n\
        cat migrations/0001_init.sql > /dev/null\n\
        grep -q orders migrations/0001_init.sql\n\
        printf 'pub fn one() -> u32 { 1 }\\n#[test]\\nfn it_works() { assert_eq!(one(), 1); }\\n' > src/lib.rs\n\
        mkdir -p src/orders && echo '// orders' > src/orders.rs\n\
        cargo build --quiet --offline\n\
        cargo test --quiet --offline 2>&1 | tail -3\n\
        git add src Cargo.lock\n\
        git commit -q -m 'source change under the sandbox'\n\
        git log --oneline -1\n\
        echo tmp > /tmp/scaffold-sandbox-ordinary.txt\n\
        echo ALL-OK";
    let (code, stdout, stderr) = sandboxed(&repo, &settings, script);
    assert!(
        code == 0 && stdout.contains("ALL-OK"),
        "ordinary work failed under the sandbox (exit {code}):\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("source change under the sandbox"),
        "{stdout}"
    );
    assert_eq!(snapshot(&repo), before);
}
