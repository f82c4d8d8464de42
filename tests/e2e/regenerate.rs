//! Safe regeneration: a spec that changes ticket by ticket, with hand edits along the way.

use crate::support::{Output, Project, workspace};
use std::process::Command;

const SPEC_V1: &str = "---\nticket: TSK-1\ndomain: tasks\n---\n# Tasks\n\n## Requirements\n- **FR-001**: Titles MUST NOT be empty.\n\n## Domain Model\n\n### Entity: Task\n| Field | Type | Required | Constraints |\n|---|---|---|---|\n| id | uuid | yes | primary key |\n| title | string | yes | min 1, max 120 |\n| done | bool | yes | default false |\n\n### Entity: Tag\n| Field | Type | Required | Constraints |\n|---|---|---|---|\n| id | uuid | yes | primary key |\n| label | string | yes | max 30 |\n\n## Operations\n\n### CreateTask\n- **Kind**: create Task\n- **Input**: `title`\n- **Output**: Task\n- **Rules**: FR-001\n\n### GetTask\n- **Kind**: get Task\n- **Input**: `task_id`\n- **Output**: Task\n- **Errors**: TASK_NOT_FOUND\n\n### CreateTag\n- **Kind**: create Tag\n- **Input**: `label`\n- **Output**: Tag\n\n## API Endpoints\n| Method | Path | Operation |\n|---|---|---|\n| POST | /tasks | CreateTask |\n| GET | /tasks/{task_id} | GetTask |\n| POST | /tags | CreateTag |\n\n## Errors\n| Code | HTTP | Message |\n|---|---|---|\n| TASK_NOT_FOUND | 404 | No such task |\n";

const HAND_WRITTEN: &str = "\n/// Written by hand: must survive every regeneration.\n#[allow(dead_code, reason = \"the team's code calls it\")]\npub fn hand_written_answer() -> u8 {\n    42\n}\n\n#[cfg(test)]\nmod hand_written_tests {\n    #[test]\n    fn hand_written_code_still_runs() {\n        assert_eq!(super::hand_written_answer(), 42);\n    }\n}\n";

/// A host crate like the examples one, with `specs/TSK-1/spec.md`.
fn host(spec: &str) -> Project {
    let project = Project::new();
    let examples = workspace().join("examples");
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(examples.join(file), project.path().join(file)).expect("copy");
    }
    project.write(
        "src/lib.rs",
        "//! host\n\n#[path = \"../backend/mod.rs\"]\npub mod backend;\n",
    );
    project.write("specs/TSK-1/spec.md", spec);
    project
}

fn generate(project: &Project, args: &[&str]) -> Output {
    let mut all = vec!["generate"];
    all.extend_from_slice(args);
    project.scaffold().args(all).run()
}

fn statuses(output: &Output) -> Vec<String> {
    output
        .stdout
        .lines()
        .filter(|l| l.starts_with("  ") && l.contains("  backend/"))
        .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

fn has(output: &Output, line: &str) -> bool {
    statuses(output).iter().any(|s| s == line)
}

fn cargo_test(project: &Project) {
    let stdout = project.cargo(&["test", "--locked", "--quiet"]);
    assert!(stdout.contains("test result: ok."), "{stdout}");
}

#[test]
fn a_spec_evolves_and_hand_edits_survive() {
    let project = host(SPEC_V1);
    let first = generate(&project, &[]);
    assert_eq!(first.code, 0, "{}", first.transcript());
    assert_eq!(generate(&project, &["--check"]).code, 0);

    // The developer writes code in the owned file; the service is generated.
    let owned = "backend/tasks/rules.rs";
    let service = "backend/tasks/service.rs";
    project.write(owned, &format!("{}{HAND_WRITTEN}", project.read(owned)));

    // Ticket 2 adds a field: models are rewritten, the edited service merges.
    let v2 = SPEC_V1
        .replace(
            "| done | bool | yes | default false |",
            "| done | bool | yes | default false |\n| priority | i32 | no | min 1, max 5 |",
        )
        .replace("- **Input**: `title`", "- **Input**: `title`, `priority`");
    project.write("specs/TSK-1/spec.md", &v2);
    let check = generate(&project, &["--check"]);
    assert_eq!(check.code, 1, "{}", check.transcript());
    assert!(
        check.stderr.contains("run `scaffold generate`"),
        "{}",
        check.stderr
    );
    let dry = generate(&project, &["--dry-run"]);
    assert!(
        dry.stdout.contains("+++ b/backend/tasks/service.rs")
            && dry
                .stdout
                .contains("+            priority: input.priority,"),
        "{}",
        dry.stdout
    );
    let second = generate(&project, &[]);
    assert_eq!(second.code, 0, "{}", second.transcript());
    assert!(
        has(&second, "update backend/tasks/models.rs")
            && has(&second, "update backend/tasks/service.rs")
            && has(&second, "skip backend/tasks/rules.rs"),
        "{}",
        second.stdout
    );
    assert!(project.read(owned).contains("pub fn hand_written_answer()"));
    assert!(project.read(service).contains("priority: input.priority,"));
    assert_eq!(generate(&project, &["--check"]).code, 0);
    cargo_test(&project);

    // Ticket 3 renames a field and adds operations with their endpoints: a
    // kind one (generated) and a free one (its body goes to the owned file).
    let v3 = v2
        .replace("| title | string | yes | min 1, max 120 |", "| name | string | yes | min 1, max 120 |")
        .replace("- **Input**: `title`, `priority`", "- **Input**: `name`, `priority`")
        .replace("### GetTask", "### ListTasks\n- **Kind**: list Task\n- **Input**: `done`\n- **Output**: list<Task>\n\n### ArchiveTask\n- **Input**: `task_id`\n- **Output**: Task\n\n### GetTask")
        .replace("| GET | /tasks/{task_id} | GetTask |", "| GET | /tasks/{task_id} | GetTask |\n| GET | /tasks | ListTasks |\n| POST | /tasks/{task_id}/archive | ArchiveTask |");
    project.write("specs/TSK-1/spec.md", &v3);
    let third = generate(&project, &[]);
    assert_eq!(third.code, 0, "{}", third.transcript());
    assert!(
        has(&third, "merge backend/tasks/rules.rs")
            && has(&third, "update backend/tasks/service.rs")
            && has(&third, "update backend/tasks/routes.rs"),
        "{}",
        third.stdout
    );
    assert_eq!(generate(&project, &["--check"]).code, 0);
    cargo_test(&project);
    let generated = project.read(service);
    assert!(
        generated.contains("pub async fn list_tasks(") && generated.contains("name: input.name,"),
        "{generated}"
    );
    let merged = project.read(owned);
    assert!(
        merged.contains("async fn archive_task(") && merged.contains("hand_written_answer"),
        "{merged}"
    );

    // Ticket 4 removes an entity.
    let v4 = v3
        .replace("### Entity: Tag\n| Field | Type | Required | Constraints |\n|---|---|---|---|\n| id | uuid | yes | primary key |\n| label | string | yes | max 30 |\n\n", "")
        .replace("### CreateTag\n- **Kind**: create Tag\n- **Input**: `label`\n- **Output**: Tag\n\n", "")
        .replace("| POST | /tags | CreateTag |\n", "");
    project.write("specs/TSK-1/spec.md", &v4);
    let fourth = generate(&project, &[]);
    assert_eq!(fourth.code, 0, "{}", fourth.transcript());
    assert_eq!(generate(&project, &["--check"]).code, 0);
    assert!(
        !project
            .read("backend/tasks/models.rs")
            .contains("pub struct Tag ")
    );
    assert!(
        !project.read(service).contains("TagRepository")
            && project.read(owned).contains("hand_written_answer")
    );
    cargo_test(&project);

    // An identical rerun touches nothing.
    let before = project.mtimes("backend");
    let again = generate(&project, &[]);
    assert_eq!(again.code, 0);
    // The edited owned file is `skip`: the spec did not change, so there is nothing to merge.
    assert!(
        statuses(&again)
            .iter()
            .all(|s| s.starts_with("identical") || s == "skip backend/tasks/rules.rs"),
        "{}",
        again.stdout
    );
    assert_eq!(project.mtimes("backend"), before);
}

#[test]
fn edits_to_generated_files_are_conflicts_and_nothing_is_lost() {
    let project = host(SPEC_V1);
    assert_eq!(generate(&project, &[]).code, 0);
    let routes = format!(
        "{}\n// tuned by hand\n",
        project.read("backend/tasks/routes.rs")
    );
    project.write("backend/tasks/routes.rs", &routes);
    let snapshot = project.snapshot("backend");
    project.write(
        "specs/TSK-1/spec.md",
        &SPEC_V1.replace("max 120", "max 200"),
    );
    let output = generate(&project, &[]);
    assert_eq!(output.code, 1, "{}", output.transcript());
    assert!(
        output.stdout.contains(
            "conflict  backend/tasks/routes.rs  (edited by hand, but scaffold owns this file"
        ),
        "{}",
        output.stdout
    );
    assert!(output.stderr.contains("nothing was written"));
    assert_eq!(
        project.snapshot("backend"),
        snapshot,
        "a conflict writes nothing"
    );
    assert_eq!(generate(&project, &["--check"]).code, 1);
}

#[test]
fn clashing_edits_in_owned_files_refuse_or_get_markers() {
    let project = host(SPEC_V1);
    assert_eq!(generate(&project, &[]).code, 0);
    let service = "backend/tasks/rules.rs";
    // The developer changes the very line the next spec change rewrites.
    let edited = project.read(service).replace(
        "/// - FR-001: Titles MUST NOT be empty.",
        "/// - FR-001: Titles MUST NOT be empty (trimmed first).",
    );
    assert_ne!(edited, project.read(service));
    project.write(service, &edited);
    project.write(
        "specs/TSK-1/spec.md",
        &SPEC_V1.replace("Titles MUST NOT be empty.", "Titles MUST NOT be blank."),
    );

    let refused = generate(&project, &[]);
    assert_eq!(refused.code, 1, "{}", refused.transcript());
    assert!(refused.stdout.contains("conflict  backend/tasks/rules.rs  (your edits and the spec change touch the same lines)"), "{}", refused.stdout);
    assert_eq!(
        project.read(service),
        edited,
        "refused: the file is untouched"
    );

    let marked = generate(&project, &["--merge", "markers"]);
    assert_eq!(marked.code, 1, "{}", marked.transcript());
    let text = project.read(service);
    assert!(
        text.contains("<<<<<<< ours")
            && text.contains("=======")
            && text.contains(">>>>>>> theirs"),
        "{text}"
    );
    assert!(text.contains("(trimmed first)") && text.contains("Titles MUST NOT be blank."));
    let check = generate(&project, &["--check"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stdout.contains("has conflict markers"),
        "{}",
        check.stdout
    );

    // Resolving by hand (keeping the trim) satisfies --check.
    let start = text.find("<<<<<<<").unwrap_or(0);
    let end = text
        .find(">>>>>>> theirs\n")
        .map_or(text.len(), |i| i + ">>>>>>> theirs\n".len());
    let resolved = format!(
        "{}    /// - FR-001: Titles MUST NOT be blank (trimmed first).\n{}",
        &text[..start],
        &text[end..]
    );
    project.write(service, &resolved);
    let after = generate(&project, &["--check"]);
    assert_eq!(after.code, 0, "{}", after.transcript());
    cargo_test(&project);
}

#[test]
fn crlf_files_stay_crlf_through_a_merge() {
    let project = host(SPEC_V1);
    assert_eq!(generate(&project, &[]).code, 0);
    let service = "backend/tasks/rules.rs";
    let crlf = format!("{}{HAND_WRITTEN}", project.read(service)).replace('\n', "\r\n");
    project.write(service, &crlf);
    project.write(
        "specs/TSK-1/spec.md",
        &SPEC_V1
            .replace(
                "### GetTask",
                "### ArchiveTask\n- **Input**: `task_id`\n- **Output**: Task\n\n### GetTask",
            )
            .replace(
                "| GET | /tasks/{task_id} | GetTask |",
                "| GET | /tasks/{task_id} | GetTask |\n| POST | /tasks/{task_id}/archive | ArchiveTask |",
            ),
    );
    let output = generate(&project, &[]);
    assert_eq!(output.code, 0, "{}", output.transcript());
    assert!(
        has(&output, "merge backend/tasks/rules.rs"),
        "{}",
        output.stdout
    );
    let text = project.read(service);
    assert!(text.contains("async fn archive_task(") && text.contains("hand_written_answer"));
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "every line still ends in CRLF"
    );
    assert_eq!(generate(&project, &["--check"]).code, 0);
    cargo_test(&project);
}

#[test]
fn a_missing_or_corrupt_manifest_never_overwrites_edits() {
    let project = host(SPEC_V1);
    assert_eq!(generate(&project, &[]).code, 0);
    project.write(
        "backend/tasks/models.rs",
        &format!("{}// mine\n", project.read("backend/tasks/models.rs")),
    );
    project.write("specs/TSK-1/spec.md", &SPEC_V1.replace("max 30", "max 40"));
    let snapshot = project.snapshot("backend");

    project.write(
        ".scaffold/manifest.toml",
        "version = 1\ntool = \"scaffold\"\n[[files]]\npath = 3\n",
    );
    let corrupt = generate(&project, &[]);
    assert_eq!(corrupt.code, 2, "{}", corrupt.transcript());
    assert!(
        corrupt
            .stderr
            .starts_with("error: .scaffold/manifest.toml:4:"),
        "{}",
        corrupt.stderr
    );
    assert!(
        corrupt.stderr.contains("hint: restore it"),
        "{}",
        corrupt.stderr
    );
    assert_eq!(project.snapshot("backend"), snapshot);

    std::fs::remove_dir_all(project.path().join(".scaffold")).expect("remove .scaffold");
    let missing = generate(&project, &[]);
    assert_eq!(missing.code, 1, "{}", missing.transcript());
    assert!(
        missing.stdout.contains("the manifest does not list it"),
        "{}",
        missing.stdout
    );
    assert_eq!(project.snapshot("backend"), snapshot);
}

#[test]
fn remove_deletes_pristine_files_and_keeps_edited_ones() {
    let project = host(SPEC_V1);
    project.write("specs/NTF-1/spec.md", "---\nticket: NTF-1\ndomain: notes\n---\n## Domain Model\n### Entity: Note\n| Field | Type |\n|---|---|\n| id | uuid |\n| body | text |\n");
    // `id` needs to be the key.
    project.write(
        "specs/NTF-1/spec.md",
        &project
            .read("specs/NTF-1/spec.md")
            .replace("| id | uuid |", "| id | uuid primary key |")
            .replace(
                "| Field | Type |\n|---|---|",
                "| Field | Type | Constraints |\n|---|---|---|",
            )
            .replace("| id | uuid primary key |", "| id | uuid | primary key |")
            .replace("| body | text |", "| body | text | |"),
    );
    let output = generate(&project, &[]);
    assert_eq!(output.code, 0, "{}", output.transcript());
    let service = "backend/notes/service.rs";
    project.write(service, &format!("{}{HAND_WRITTEN}", project.read(service)));
    std::fs::remove_dir_all(project.path().join("specs/NTF-1")).expect("drop the specs");

    let removed = project.scaffold().args(["remove", "notes"]).run();
    assert_eq!(removed.code, 0, "{}", removed.transcript());
    assert!(
        removed.stdout.contains("remove  backend/notes/models.rs"),
        "{}",
        removed.stdout
    );
    assert!(
        removed.stdout.contains("kept backend/notes/service.rs"),
        "{}",
        removed.stdout
    );
    assert!(!project.path().join("backend/notes/models.rs").exists());
    assert!(project.path().join(service).exists());
    assert!(!project.read("backend/mod.rs").contains("pub mod notes;"));
    assert!(
        !project
            .read(".scaffold/manifest.toml")
            .contains("backend/notes/")
    );
    std::fs::remove_dir_all(project.path().join("backend/notes"))
        .expect("the developer deletes the rest");
    assert_eq!(generate(&project, &["--check"]).code, 0);
    cargo_test(&project);
}

#[test]
fn a_failed_write_puts_everything_back() {
    let project = host(SPEC_V1);
    assert_eq!(generate(&project, &[]).code, 0);
    let before = project.snapshot("backend");
    let manifest = project.read(".scaffold/manifest.toml");
    project.write(
        "specs/TSK-1/spec.md",
        &SPEC_V1
            .replace("max 120", "max 99")
            .replace("max 30", "max 31"),
    );
    // Fail the last step, the manifest, after models.rs has been replaced.
    let output = project
        .scaffold()
        .env("SCAFFOLD_FAILPOINT_RENAME", ".scaffold/manifest.toml")
        .args(["generate"])
        .run();
    assert_eq!(output.code, 2, "{}", output.transcript());
    assert!(
        output
            .stderr
            .contains("every file written so far was put back"),
        "{}",
        output.stderr
    );
    assert!(
        output.stdout.contains("update  backend/tasks/models.rs"),
        "{}",
        output.stdout
    );
    assert_eq!(
        project.snapshot("backend"),
        before,
        "every file has its old text again"
    );
    assert_eq!(
        generate(&project, &["--check"]).code,
        1,
        "still out of date: the run left nothing behind"
    );
    assert_eq!(project.read(".scaffold/manifest.toml"), manifest);
    let leftovers: Vec<_> = project
        .snapshot("backend")
        .into_iter()
        .filter(|(p, _)| p.contains("scaffold-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_only_whole_files() {
    // Thirty domains: enough files that a kill lands in the middle of writing.
    let make = |max: u32| -> Project {
        let project = Project::new();
        for d in 0..30 {
            let spec = SPEC_V1
                .replace("domain: tasks", &format!("domain: tasks_{d}"))
                .replace("max 120", &format!("max {max}"))
                // One application serves each route once: every domain gets a prefix.
                .replace("| /t", &format!("| /d{d}/t"));
            project.write(&format!("specs/T-{d}/spec.md"), &spec);
        }
        project
    };
    let old = make(120);
    assert_eq!(generate(&old, &[]).code, 0);
    let new = make(121);
    assert_eq!(generate(&new, &[]).code, 0);
    let old_files: std::collections::HashMap<String, Vec<u8>> =
        old.snapshot("backend").into_iter().collect();
    let new_files: std::collections::HashMap<String, Vec<u8>> =
        new.snapshot("backend").into_iter().collect();

    for attempt in 0..12u64 {
        let project = make(120);
        crate::support::copy_dir(&old.path().join("backend"), &project.path().join("backend"));
        crate::support::copy_dir(
            &old.path().join(".scaffold"),
            &project.path().join(".scaffold"),
        );
        project.write_spec_limit(121);
        let mut child = Command::new(crate::support::binary())
            .args(["generate"])
            .current_dir(project.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(2 + attempt * 6));
        let _ = child.kill();
        let _ = child.wait();
        for (path, bytes) in project.snapshot("backend") {
            if path.contains("scaffold-tmp") {
                continue;
            }
            let is_old = old_files.get(&path) == Some(&bytes);
            let is_new = new_files.get(&path) == Some(&bytes);
            assert!(
                is_old || is_new,
                "attempt {attempt}: {path} is neither the old nor the new text"
            );
        }
        // The next run finishes the job.
        assert_eq!(generate(&project, &[]).code, 0);
        let finished: std::collections::HashMap<String, Vec<u8>> =
            project.snapshot("backend").into_iter().collect();
        assert_eq!(
            finished, new_files,
            "the next run finishes the job and sweeps temporary files"
        );
    }
}

#[test]
fn the_onboarding_spec_generates_code_that_builds_and_passes() {
    let project = host("");
    std::fs::remove_dir_all(project.path().join("specs")).expect("rm specs");
    let new = project
        .scaffold()
        .args(["new", "BIL-1", "--domain", "invoices", "--no-hooks"])
        .run();
    assert_eq!(new.code, 0, "{}", new.transcript());
    assert_eq!(generate(&project, &[]).code, 0);
    cargo_test(&project);
}
