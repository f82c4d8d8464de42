//! Beyond CRUD by key: operations that look an item up by a `unique` field.

use scaffold_parser::{Severity, Source, lookup_input, parse};

fn spec(slug_constraints: &str) -> String {
    format!(
        "---
ticket: BLG-1
domain: blog
---
# Blog

## Domain Model

### Entity: Article
| Field | Type | Required | Constraints |
|-------|------|----------|-------------|
| `id` | uuid | yes | primary key |
| `slug` | string | yes | {slug_constraints} |
| `title` | string | yes | |

## Operations

### GetArticle
- **Kind**: get Article
- **Input**: `slug`
- **Output**: Article

### DeleteArticle
- **Kind**: delete Article
- **Input**: `slug`

## API Endpoints
| Method | Path | Operation | Status |
|--------|------|-----------|--------|
| GET | `/articles/{{slug}}` | GetArticle | 200 |
| DELETE | `/articles/{{slug}}` | DeleteArticle | 204 |
"
    )
}

#[test]
fn get_and_delete_look_an_item_up_by_a_unique_field() {
    let parsed = parse(&[Source::new("specs/BLG-1/spec.md", spec("unique"))]);
    let errors: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let domain = &parsed.project.domains[0];
    for name in ["GetArticle", "DeleteArticle"] {
        let op = domain.operation(name).expect("operation");
        let input = lookup_input(&op.inputs, "Article", domain).expect("lookup input");
        assert_eq!(input.name, "slug");
    }
    let paths: Vec<&str> = domain.endpoints.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["/articles/{slug}", "/articles/{slug}"]);
}

#[test]
fn a_field_that_is_not_unique_cannot_look_an_item_up() {
    let parsed = parse(&[Source::new("specs/BLG-1/spec.md", spec(""))]);
    assert!(
        parsed
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && d.code == "missing-input"),
        "{:?}",
        parsed.diagnostics
    );
}

const DATA_MODEL: &str = "# Data Model

## Entity: Article

| Field | Type | Required | Constraints |
|-------|------|----------|-------------|
| id | uuid | yes | primary key |
| slug | string | yes | unique |
| title | string | yes | |
";

const OPENAPI: &str = "openapi: 3.0.3
info: {title: Blog, version: '1'}
paths:
  /articles/{slug}:
    get:
      operationId: getArticle
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Article'}
components:
  schemas:
    Article:
      type: object
      properties:
        id: {type: string, format: uuid}
        slug: {type: string}
        title: {type: string}
";

#[test]
fn an_openapi_route_by_a_unique_field_gets_the_entity() {
    let parsed = parse(&[
        Source::new("specs/001-blog/data-model.md", DATA_MODEL),
        Source::new("specs/001-blog/contracts/openapi.yaml", OPENAPI),
    ]);
    let domain = &parsed.project.domains[0];
    let op = domain.operation("GetArticle").expect("operation");
    let kind = op.kind.as_ref().expect("a get, not a free operation");
    assert_eq!(kind.entity, "Article");
    let input = lookup_input(&op.inputs, "Article", domain).expect("lookup input");
    assert_eq!(input.name, "slug");
    assert_eq!(domain.endpoints[0].path, "/articles/{slug}");
}

const MARKDOWN_CONTRACT: &str = "# Articles API

### GET /articles/{slug}

Reads one article.

**Authentication**: none (public)

**Response**: 200 OK

### POST /articles

Publishes an article.

**Auth**: Required (Bearer JWT)

**Response**: 201 Created

## Comments

| Method | Path | Auth | Description |
|--------|------|------|-------------|
| GET | /articles/{slug}/comments | No | Lists comments |
| DELETE | /articles/{slug}/comments/{id} | Yes | Deletes a comment |
";

#[test]
fn markdown_contracts_say_which_endpoints_need_the_caller() {
    let parsed = parse(&[
        Source::new("specs/001-blog/data-model.md", DATA_MODEL),
        Source::new("specs/001-blog/contracts/articles.md", MARKDOWN_CONTRACT),
    ]);
    let domain = &parsed.project.domains[0];
    let mut secured: Vec<String> = domain
        .endpoints
        .iter()
        .map(|e| format!("{} {} {}", e.method, e.path, e.shape.secured))
        .collect();
    secured.sort();
    assert_eq!(secured.len(), 4, "{secured:?}\n{:?}", parsed.diagnostics);
    for (route, protected) in [
        ("GET /articles/{slug} ", false),
        ("POST /articles ", true),
        ("GET /articles/{slug}/comments ", false),
        ("DELETE /articles/{slug}/comments/", true),
    ] {
        let line = secured
            .iter()
            .find(|l| l.starts_with(route))
            .unwrap_or_else(|| panic!("no {route} in {secured:?}"));
        assert!(line.ends_with(&protected.to_string()), "{line}");
    }
}
