//! Data-driven parser tests: every file under `test_data/ok` parses cleanly and
//! its model matches a snapshot; every file under `test_data/err` fails and its
//! rendered diagnostics match a snapshot.
//!
//! A case is a `.md` file, or a folder of them (for specs that merge).

use std::fs;
use std::path::{Path, PathBuf};

use scaffold_parser::{Source, parse, render_all};

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
        .filter(|d| d.severity != scaffold_parser::Severity::Note)
        .map(|d| d.to_json(&sources))
        .collect();
    assert_eq!(json.len(), 1, "{json:#?}");
    assert_eq!(json[0]["code"], "unknown-type");
    assert_eq!(json[0]["line"], 8);
    assert_eq!(json[0]["col"], 8);
    assert_eq!(json[0]["hint"], "did you mean `string`?");
}

/// A small deterministic generator, so the mutation test needs no extra crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

#[test]
fn mutated_specs_never_panic_and_every_span_is_in_bounds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The canonical examples and every wild form (fences, bullets, tables).
    let mut seeds: Vec<(String, String)> = Vec::new();
    for dir in [
        root.join("../../examples/specs"),
        root.join("test_data/ok"),
        root.join("../../tests/fixtures/speckit"),
    ] {
        seeds.extend(sources(&dir).into_iter().map(|s| (s.path, s.text)));
    }
    let fragments = [
        "|",
        "`",
        "**",
        "\n",
        "---\n",
        "### ",
        "## Errors\n",
        "list<",
        "enum(",
        "{",
        "}",
        "é",
        "\r\n",
        "- ",
        ":",
        ",",
        "```prisma\nmodel X {\n  id String @id\n",
        "```sql\nCREATE TABLE t (\n",
        "```ts\ninterface X {\n",
        "(",
        ")",
        "（",
        "→",
        "## 1. Entity: ",
        "### Fields\n",
        "**Relationships**:\n",
    ];
    let mut diagnosed = 0;
    for (round, seed) in (0..4000).map(|round| (round, [42, 7, 1234, 31337][round / 1000])) {
        let mut rng = Lcg(seed * 1_000_003 + round as u64);
        let (path, mut text) = seeds[round % seeds.len()].clone();
        for _ in 0..1 + rng.next(4) {
            let mut at = rng.next(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match rng.next(3) {
                0 => text.insert_str(at, fragments[rng.next(fragments.len())]),
                1 => {
                    let mut end = (at + rng.next(40)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.replace_range(at..end, "");
                }
                _ => {
                    let line = text
                        .lines()
                        .nth(rng.next(text.lines().count()))
                        .unwrap_or_default()
                        .to_string();
                    text.insert_str(at, &format!("{line}\n"));
                }
            }
        }
        // Keep the file name: a data-model.md is read differently from a spec.md.
        let name = path.rsplit('/').next().unwrap_or("spec.md");
        let sources = [Source::new(format!("specs/001-x/{name}"), text.clone())];
        let parsed = parse(&sources);
        for diagnostic in &parsed.diagnostics {
            assert!(
                diagnostic.span.end <= text.len() && diagnostic.span.start <= diagnostic.span.end,
                "round {round}: {diagnostic:?}"
            );
            assert!(
                text.is_char_boundary(diagnostic.span.start),
                "round {round}: {diagnostic:?}"
            );
        }
        let rendered = render_all(&parsed.diagnostics, &sources, false);
        diagnosed += usize::from(!rendered.is_empty());
    }
    assert!(
        diagnosed > 400,
        "mutations should break specs often, got {diagnosed}"
    );
}

#[test]
fn aliases_read_headings_and_columns_in_other_languages() {
    let sources = [Source::new(
        "specs/010-orders/data-model.md",
        "# データモデル\n\n## エンティティ\n\n### 注文（Order）\n\n| フィールド | 型 |\n|---|---|\n| id | uuid |\n| 合計 | decimal |\n",
    )];
    let mut options = scaffold_parser::Options::default();
    options
        .headings
        .insert("エンティティ".into(), scaffold_parser::Section::Entities);
    options.columns.insert("フィールド".into(), "field".into());
    options.columns.insert("型".into(), "type".into());
    let parsed = scaffold_parser::parse_with(&sources, &options);
    let rendered = render_all(&parsed.diagnostics, &sources, false);
    let domain = &parsed.project.domains[0];
    assert_eq!(domain.name, "orders", "{rendered}");
    let order = domain
        .entity("Order")
        .unwrap_or_else(|| panic!("no Order:\n{rendered}"));
    assert_eq!(order.fields.len(), 1, "{rendered}");
    // `合計` is no identifier: reported at its location, nothing else is lost.
    assert!(rendered.contains("error[invalid-name]"), "{rendered}");
}
