//! The written document reads back as a contract with the same operations
//! and endpoints: every domain of the bundled examples makes the trip, with
//! the Operations and Endpoints sections of its specs replaced by the document.

use std::path::Path;

use scaffold_openapi::{Format, write};
use scaffold_parser::{Domain, Project, Source, parse, render_all};

fn example_sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/specs");
    let mut sources = Vec::new();
    let mut tickets: Vec<_> = std::fs::read_dir(&root)
        .expect("examples/specs")
        .flatten()
        .map(|e| e.path())
        .collect();
    tickets.sort();
    for ticket in tickets {
        for name in ["data-model.md", "spec.md"] {
            let path = ticket.join(name);
            if let Ok(text) = std::fs::read_to_string(&path) {
                let ticket = ticket.file_name().unwrap_or_default().to_string_lossy();
                sources.push(Source::new(format!("specs/{ticket}/{name}"), text));
            }
        }
    }
    sources
}

fn parse_ok(sources: &[Source]) -> Project {
    let parsed = parse(sources);
    assert!(
        !parsed.has_errors(),
        "{}",
        render_all(&parsed.diagnostics, sources, false)
    );
    parsed.project
}

/// A spec without its Operations and Endpoints sections (what the contract replaces).
fn without_operations(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            let heading = heading.trim().to_ascii_lowercase();
            skipping = matches!(
                heading.as_str(),
                "operations" | "api endpoints" | "endpoints" | "api" | "routes"
            );
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// What a client of the API sees of a domain's operations and endpoints.
fn surface(domain: &Domain) -> (Vec<String>, Vec<String>) {
    let mut operations: Vec<String> = domain
        .operations
        .iter()
        .filter(|op| domain.endpoints.iter().any(|e| e.operation == op.name))
        .map(|op| {
            let inputs: Vec<String> = op
                .inputs
                .iter()
                .map(|i| format!("{}: {:?} required={}", i.name, i.ty, i.required))
                .collect();
            format!(
                "{} kind={:?} inputs=[{}] output={:?} errors={:?} description={:?}",
                op.name,
                op.kind,
                inputs.join(", "),
                op.output,
                op.errors,
                op.description
            )
        })
        .collect();
    operations.sort();
    let mut endpoints: Vec<String> = domain
        .endpoints
        .iter()
        .map(|e| format!("{} {} -> {} {}", e.method, e.path, e.operation, e.status))
        .collect();
    endpoints.sort();
    (operations, endpoints)
}

#[test]
fn every_example_domain_round_trips_through_its_document() {
    let sources = example_sources();
    let project = parse_ok(&sources);
    assert!(project.domains.len() >= 4);
    for domain in &project.domains {
        let document = write(&project, &[domain.name.as_str()], Format::Yaml);
        let spec_paths: Vec<&str> = domain.specs.iter().map(|s| s.path.as_str()).collect();
        let mut again: Vec<Source> = sources
            .iter()
            .filter(|s| spec_paths.contains(&s.path.as_str()))
            .map(|s| Source::new(s.path.clone(), without_operations(&s.text)))
            .collect();
        let folder = spec_paths[0].rsplit_once('/').map_or("", |(dir, _)| dir);
        again.push(Source::new(
            format!("{folder}/openapi.yaml"),
            document.clone(),
        ));
        let read = parse_ok(&again);
        let back = read
            .domains
            .iter()
            .find(|d| d.name == domain.name)
            .unwrap_or_else(|| panic!("domain {} lost", domain.name));
        assert_eq!(
            surface(back),
            surface(domain),
            "{}:\n{document}",
            domain.name
        );
        // Statuses: the document adds the ones the generated code answers anyway.
        for endpoint in &domain.endpoints {
            let read_back = back
                .endpoints
                .iter()
                .find(|e| e.method == endpoint.method && e.path == endpoint.path)
                .expect("endpoint");
            for status in &endpoint.error_statuses {
                assert!(read_back.error_statuses.contains(status), "{endpoint:?}");
            }
        }
    }
}

#[test]
fn the_document_is_the_same_bytes_every_time() {
    let sources = example_sources();
    let first = write(&parse_ok(&sources), &[], Format::Yaml);
    let second = write(&parse_ok(&sources), &[], Format::Yaml);
    assert_eq!(first, second);
    let json = write(&parse_ok(&sources), &[], Format::Json);
    assert!(json.starts_with("{\n  \"openapi\": \"3.1.0\""), "{json}");
}

/// A RealWorld-like contract: a unique slug, wrapped bodies, protected writes.
const CONDUIT_MODEL: &str = "# Data Model

## Entity: Article

| Field | Type | Required | Constraints |
|-------|------|----------|-------------|
| id | uuid | yes | primary key |
| slug | string | yes | unique |
| title | string | yes | min 1 |
";

const CONDUIT_CONTRACT: &str = "openapi: 3.0.3
info: {title: Conduit, version: '1'}
security:
  - Token: []
paths:
  /articles:
    get:
      operationId: listArticles
      security: []
      responses:
        '200':
          description: A page
          content:
            application/json:
              schema:
                type: object
                properties:
                  articles: {type: array, items: {$ref: '#/components/schemas/Article'}}
                  articlesCount: {type: integer}
    post:
      operationId: createArticle
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                article: {$ref: '#/components/schemas/NewArticle'}
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema:
                type: object
                properties:
                  article: {$ref: '#/components/schemas/Article'}
  /articles/{slug}:
    get:
      operationId: getArticle
      security: []
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The article
          content:
            application/json:
              schema:
                type: object
                properties:
                  article: {$ref: '#/components/schemas/Article'}
components:
  securitySchemes:
    Token: {type: apiKey, in: header, name: Authorization}
  schemas:
    Article:
      type: object
      properties:
        id: {type: string, format: uuid}
        slug: {type: string}
        title: {type: string}
    NewArticle:
      type: object
      required: [slug, title]
      properties:
        slug: {type: string}
        title: {type: string}
";

#[test]
fn wrapped_bodies_security_and_unique_lookups_round_trip() {
    let sources = vec![
        Source::new("specs/003-conduit/data-model.md", CONDUIT_MODEL),
        Source::new("specs/003-conduit/contracts/openapi.yaml", CONDUIT_CONTRACT),
    ];
    let project = parse_ok(&sources);
    let domain = &project.domains[0];
    let shapes = |d: &Domain| {
        let mut out: Vec<String> = d
            .endpoints
            .iter()
            .map(|e| format!("{} {} {:?}", e.method, e.path, e.shape))
            .collect();
        out.sort();
        out
    };
    let read = shapes(domain);
    assert_eq!(
        read,
        [
            "GET /articles EndpointShape { request_wrapper: None, response_wrapper: Some(\"articles\"), response_count: Some(\"articlesCount\"), secured: false }",
            "GET /articles/{slug} EndpointShape { request_wrapper: None, response_wrapper: Some(\"article\"), response_count: None, secured: false }",
            "POST /articles EndpointShape { request_wrapper: Some(\"article\"), response_wrapper: Some(\"article\"), response_count: None, secured: true }",
        ]
    );
    assert!(
        domain
            .operation("GetArticle")
            .is_some_and(|op| op.kind.is_some())
    );
    let document = write(&project, &[], Format::Yaml);
    let again = vec![
        Source::new("specs/003-conduit/data-model.md", CONDUIT_MODEL),
        Source::new("specs/003-conduit/contracts/openapi.yaml", document.clone()),
    ];
    let back = parse_ok(&again);
    assert_eq!(shapes(&back.domains[0]), read, "{document}");
    assert_eq!(surface(&back.domains[0]), surface(domain), "{document}");
}
