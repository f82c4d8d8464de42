//! Data-driven parser tests: every file under `test_data/ok` parses cleanly and
//! its model matches a snapshot; every file under `test_data/err` fails and its
//! rendered diagnostics match a snapshot.
//!
//! A case is a `.md` file, or a folder of them (for specs that merge).

use std::fs;
use std::path::{Path, PathBuf};

use scaffold_spec::{Source, parse, render_all};

fn cases(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join(kind);
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.map(|e| e.path()).unwrap_or_default())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    if kind == "ok" {
        // The specs the README runs are test cases too.
        cases.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/specs"));
    }
    cases
}

fn sources(case: &Path) -> Vec<Source> {
    let mut files = Vec::new();
    if case.is_dir() {
        collect(case, &mut files);
    } else {
        files.push(case.to_path_buf());
    }
    files.sort();
    let base = if case.is_dir() {
        case
    } else {
        case.parent().unwrap_or(case)
    };
    files
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(base)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/");
            Source::new(rel, fs::read_to_string(f).unwrap_or_default())
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

fn name(case: &Path) -> String {
    case.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn ok_cases_parse_into_the_expected_model() {
    for case in cases("ok") {
        let sources = sources(&case);
        let parsed = parse(&sources);
        let rendered = render_all(&parsed.diagnostics, &sources, false);
        assert!(!parsed.has_errors(), "{}:\n{rendered}", case.display());
        let model = serde_json::to_string_pretty(&parsed.project).unwrap_or_default();
        insta::assert_snapshot!(format!("ok-{}", name(&case)), format!("{rendered}{model}"));
    }
}

#[test]
fn err_cases_report_every_problem() {
    for case in cases("err") {
        let sources = sources(&case);
        let parsed = parse(&sources);
        assert!(
            parsed.has_errors(),
            "{} parsed without errors",
            case.display()
        );
        let rendered = render_all(&parsed.diagnostics, &sources, false);
        insta::assert_snapshot!(format!("err-{}", name(&case)), rendered);
    }
}

#[test]
fn json_diagnostics_carry_code_location_and_hint() {
    let sources = [Source::new(
        "specs/X-1/spec.md",
        "---\ndomain: x\n---\n## Domain Model\n### Entity: A\n| Field | Type |\n|---|---|\n| id | strng |\n",
    )];
    let parsed = parse(&sources);
    let json: Vec<_> = parsed
        .diagnostics
        .iter()
        .map(|d| d.to_json(&sources))
        .collect();
    assert_eq!(json.len(), 1, "{json:#?}");
    assert_eq!(json[0]["code"], "unknown-type");
    assert_eq!(json[0]["line"], 8);
    assert_eq!(json[0]["col"], 8);
    assert_eq!(json[0]["hint"], "did you mean `string`?");
}
