//! Contracts (OpenAPI 3.0/3.1 YAML and JSON, Swagger 2.0 bodies, Markdown
//! headings and tables)
//! read beside a data model: each fixture in `test_data/contracts` parses
//! without errors and gives the operations and endpoints in its snapshot.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use scaffold_parser::{Domain, Source, parse, render_all};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data/contracts")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The data model and spec of the reading-list feature, plus one contract.
fn feature(contract: &str, at: &str) -> Vec<Source> {
    vec![
        Source::new("specs/004-reading-list/spec.md", fixture("spec.md")),
        Source::new(
            "specs/004-reading-list/data-model.md",
            fixture("data-model.md"),
        ),
        Source::new(format!("specs/004-reading-list/{at}"), fixture(contract)),
    ]
}

/// One line per endpoint: what a reader of the contract would check.
fn summary(domain: &Domain) -> String {
    let mut out = String::new();
    for endpoint in &domain.endpoints {
        let Some(op) = domain.operation(&endpoint.operation) else {
            continue;
        };
        let kind = op.kind.as_ref().map_or_else(
            || "free".to_string(),
            |k| format!("{:?} {}", k.verb, k.entity).to_lowercase(),
        );
        let inputs: Vec<String> = op
            .inputs
            .iter()
            .map(|i| {
                let source = match &i.source {
                    scaffold_parser::InputSource::Field { entity, field } => {
                        format!("{entity}.{field}")
                    }
                    scaffold_parser::InputSource::PrimaryKey { entity } => {
                        format!("key of {entity}")
                    }
                    scaffold_parser::InputSource::Declared => format!("{:?}", i.ty),
                };
                format!("{}{} ({source})", i.name, if i.required { "" } else { "?" })
            })
            .collect();
        let _ = writeln!(
            out,
            "{} {} -> {} [{kind}] {} -> {:?}; errors {:?}\n    inputs: {}",
            endpoint.method,
            endpoint.path,
            op.name,
            endpoint.status,
            op.output,
            endpoint.error_statuses,
            inputs.join(", ")
        );
    }
    out
}

fn read(contract: &str, at: &str) -> String {
    let sources = feature(contract, at);
    let parsed = parse(&sources);
    let rendered = render_all(&parsed.diagnostics, &sources, false);
    assert!(!parsed.has_errors(), "{rendered}");
    let project = parsed.project;
    let [domain] = project.domains.as_slice() else {
        panic!("expected one domain, got {:?}", project.domains.len());
    };
    format!("{rendered}{}", summary(domain))
}

#[test]
fn openapi_30_yaml() {
    insta::assert_snapshot!(read("openapi-30.yaml", "openapi.yaml"));
}

#[test]
fn openapi_31_json_with_refs() {
    insta::assert_snapshot!(read("openapi-31.json", "contracts/openapi.json"));
}

#[test]
fn markdown_endpoint_headings() {
    insta::assert_snapshot!(read("endpoints-headings.md", "contracts/books.md"));
}

#[test]
fn markdown_endpoint_table() {
    insta::assert_snapshot!(read("endpoints-table.md", "contracts/shelves.md"));
}

#[test]
fn markdown_response_tables_and_status_headings() {
    insta::assert_snapshot!(read("responses-tables.md", "contracts/import.md"));
}

/// Mangled contracts (cut anywhere, a line dropped, a line doubled) never
/// panic the reader, and every diagnostic points inside its file.
#[test]
fn mangled_contracts_never_panic_and_spans_stay_inside() {
    let mut checked = 0;
    for (name, at) in [
        ("openapi-30.yaml", "contracts/openapi.yaml"),
        ("openapi-31.json", "contracts/openapi.json"),
        ("endpoints-headings.md", "contracts/books.md"),
        ("endpoints-table.md", "contracts/shelves.md"),
        ("openapi-31.yaml", "contracts/notes.yaml"),
        ("swagger-20.json", "contracts/legacy.json"),
    ] {
        let text = fixture(name);
        let lines: Vec<&str> = text.lines().collect();
        let mut variants: Vec<String> = (0..text.len())
            .step_by(13)
            .filter(|i| text.is_char_boundary(*i))
            .map(|i| text[..i].to_string())
            .collect();
        for i in 0..lines.len() {
            let mut dropped = lines.clone();
            dropped.remove(i);
            variants.push(dropped.join("\n"));
            let mut doubled = lines.clone();
            doubled.insert(i, lines[i]);
            variants.push(doubled.join("\n"));
        }
        for variant in variants {
            let mut sources = feature(name, at);
            sources[2].text = variant;
            let parsed = parse(&sources);
            for diagnostic in &parsed.diagnostics {
                let spans = std::iter::once(&diagnostic.span)
                    .chain(diagnostic.related.iter().map(|(s, _)| s));
                for span in spans {
                    let len = sources[span.file].text.len();
                    assert!(
                        span.start <= span.end && span.end <= len,
                        "{name}: span {span:?} outside {len} bytes"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} variants");
}

#[test]
fn openapi_31_yaml_with_path_item_refs() {
    insta::assert_snapshot!(read("openapi-31.yaml", "contracts/notes.yaml"));
}

#[test]
fn swagger_20_json_bodies_and_base_path() {
    insta::assert_snapshot!(read("swagger-20.json", "contracts/legacy.json"));
}
