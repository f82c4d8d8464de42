//! What real contracts need beyond CRUD: a RealWorld-like feature (articles
//! looked up by a unique slug, list paging and filters in the query string,
//! bodies wrapped in one property, a public GET and protected writes)
//! generates with no edits, and the generated tests of each behaviour pass.

use crate::support::{Project, copy_dir, workspace};

const SPEC: &str = "# Feature Specification: Conduit articles

**Feature Branch**: `003-conduit`
**Created**: 2026-11-27
**Status**: Draft
**Input**: User description: \"Writers publish articles; readers browse them by tag and author, and open one by its slug.\"

## User Scenarios & Testing *(mandatory)*

### User Story 1 - Browse articles (Priority: P1)

A reader lists the latest articles, a page at a time, filtered by tag or author, and opens one by its slug.

**Acceptance Scenarios**:

1. **Given** published articles, **When** a reader asks for tag `rust`, **Then** only articles tagged `rust` are listed.

### User Story 2 - Publish (Priority: P1)

A signed-in writer publishes, edits and deletes articles; anonymous readers cannot.

## Requirements *(mandatory)*

- **FR-001**: Articles MUST be reachable by their slug.
- **FR-002**: Writing MUST require a signed-in user.

### Key Entities

- **Article**: a published piece with a unique slug, title, body, tags and author.
";

const DATA_MODEL: &str = "# Data Model: Conduit articles

## Entity: Article

| Field | Type | Required | Constraints | Description |
|-------|------|----------|-------------|-------------|
| id | uuid | yes | primary key | |
| slug | string | yes | unique | URL name |
| title | string | yes | min 1, max 200 | |
| description | string | yes | | |
| body | text | yes | | |
| tagList | list<string> | yes | | |
| author | string | yes | | username |
| createdAt | datetime | yes | default now | |
";

/// The contract; `{WRAP}` parts are filled by the tests.
const OPENAPI: &str = r##"openapi: 3.0.3
info:
  title: Conduit API
  version: 1.0.0
servers:
  - url: /api
paths:
  /articles:
    get:
      operationId: listArticles
      parameters:
        - {name: tag, in: query, schema: {type: string}}
        - {name: author, in: query, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}
        - {name: perPage, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
      responses:
        '200':
          description: Articles
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Article'
    post:
      operationId: createArticle
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/NewArticle'
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Article'
        '422':
          description: Invalid
  /articles/{slug}:
    parameters:
      - {name: slug, in: path, required: true, schema: {type: string}}
    get:
      operationId: getArticle
      responses:
        '200':
          description: The article
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Article'
        '404':
          description: No such article
    put:
      operationId: updateArticle
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/UpdateArticle'
      responses:
        '200':
          description: Updated
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Article'
    delete:
      operationId: deleteArticle
      responses:
        '204':
          description: Deleted
components:
  schemas:
    Article:
      type: object
      required: [id, slug, title, description, body, tagList, author, createdAt]
      properties:
        id: {type: string, format: uuid, readOnly: true}
        slug: {type: string}
        title: {type: string}
        description: {type: string}
        body: {type: string}
        tagList: {type: array, items: {type: string}}
        author: {type: string}
        createdAt: {type: string, format: date-time, readOnly: true}
    NewArticle:
      type: object
      required: [slug, title, description, body, tagList, author]
      properties:
        slug: {type: string}
        title: {type: string}
        description: {type: string}
        body: {type: string}
        tagList: {type: array, items: {type: string}}
        author: {type: string}
    UpdateArticle:
      type: object
      properties:
        title: {type: string}
        description: {type: string}
        body: {type: string}
"##;

/// A host crate (the example's Cargo.toml, lock file and src) with the feature.
fn host_with(openapi: &str) -> Project {
    let project = Project::new();
    let examples = workspace().join("examples");
    for file in ["Cargo.toml", "Cargo.lock", "scaffold.toml"] {
        std::fs::copy(examples.join(file), project.path().join(file)).expect("copy");
    }
    copy_dir(&examples.join("src"), &project.path().join("src"));
    project.write("specs/003-conduit/spec.md", SPEC);
    project.write("specs/003-conduit/data-model.md", DATA_MODEL);
    project.write("specs/003-conduit/contracts/openapi.yaml", openapi);
    project
}

fn assert_ran(stdout: &str, expected: &[&str]) {
    for test in expected {
        let line = format!("{test} ... ok");
        assert!(stdout.contains(&line), "missing `{line}` in:\n{stdout}");
    }
}

#[test]
fn lists_page_and_filter_and_items_are_found_by_a_unique_slug() {
    // Paging by page number here; by offset in the RealWorld contract below.
    let project = host_with(OPENAPI);
    let stdout = project.generate_lint_and_test();
    let routes = project.read("backend/conduit/routes.rs");
    assert!(routes.contains("\"/api/articles/{slug}\""), "{routes}");
    // Query parameters keep their wire names (the page test sends `perPage`).
    let models = project.read("backend/conduit/models.rs");
    assert!(
        models.contains("#[serde(rename = \"perPage\")]"),
        "{models}"
    );
    // The page number and size become the repository's window (storage pages).
    let service = project.read("backend/conduit/service.rs");
    assert!(
        service.contains("saturating_mul(limit)") && service.contains("Window {"),
        "{service}"
    );
    assert_ran(
        &stdout,
        &[
            "conduit::routes::tests::list_articles_answers_200",
            "conduit::routes::tests::list_articles_skips_by_page",
            "conduit::routes::tests::list_articles_filters_by_tag",
            "conduit::routes::tests::list_articles_filters_by_author",
            "conduit::routes::tests::create_article_answers_201",
            "conduit::routes::tests::get_article_answers_200",
            "conduit::routes::tests::get_article_answers_404_for_an_unknown_key",
            "conduit::routes::tests::update_article_answers_200",
            "conduit::routes::tests::update_article_answers_404_for_an_unknown_key",
            "conduit::routes::tests::delete_article_answers_204",
            "conduit::routes::tests::delete_article_answers_404_for_an_unknown_key",
        ],
    );
}

/// The same API as RealWorld writes it: every body wrapped in one property,
/// reading public and writing for signed-in users only.
const REALWORLD: &str = r##"openapi: 3.0.3
info:
  title: Conduit API
  version: 1.0.0
servers:
  - url: /api
security:
  - Token: []
paths:
  /articles:
    get:
      operationId: listArticles
      security: []
      parameters:
        - {name: tag, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: offset, in: query, schema: {type: integer, minimum: 0}}
      responses:
        '200':
          description: Articles
          content:
            application/json:
              schema: {$ref: '#/components/schemas/MultipleArticlesResponse'}
    post:
      operationId: createArticle
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewArticleRequest'}
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/SingleArticleResponse'}
  /articles/{slug}:
    parameters:
      - {name: slug, in: path, required: true, schema: {type: string}}
    get:
      operationId: getArticle
      security: []
      responses:
        '200':
          description: The article
          content:
            application/json:
              schema: {$ref: '#/components/schemas/SingleArticleResponse'}
    put:
      operationId: updateArticle
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [article]
              properties:
                article: {$ref: '#/components/schemas/UpdateArticle'}
      responses:
        '200':
          description: Updated
          content:
            application/json:
              schema: {$ref: '#/components/schemas/SingleArticleResponse'}
    delete:
      operationId: deleteArticle
      responses:
        '204':
          description: Deleted
  /articles/{slug}/favorite:
    post:
      operationId: favoriteArticle
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: Favorited
          content:
            application/json:
              schema: {$ref: '#/components/schemas/SingleArticleResponse'}
components:
  securitySchemes:
    Token:
      type: apiKey
      in: header
      name: Authorization
  schemas:
    Article:
      type: object
      required: [id, slug, title, description, body, tagList, author, createdAt]
      properties:
        id: {type: string, format: uuid, readOnly: true}
        slug: {type: string}
        title: {type: string}
        description: {type: string}
        body: {type: string}
        tagList: {type: array, items: {type: string}}
        author: {type: string}
        createdAt: {type: string, format: date-time, readOnly: true}
    NewArticle:
      type: object
      required: [slug, title, description, body, tagList, author]
      properties:
        slug: {type: string}
        title: {type: string}
        description: {type: string}
        body: {type: string}
        tagList: {type: array, items: {type: string}}
        author: {type: string}
    UpdateArticle:
      type: object
      properties:
        title: {type: string}
        description: {type: string}
        body: {type: string}
    NewArticleRequest:
      type: object
      required: [article]
      properties:
        article: {$ref: '#/components/schemas/NewArticle'}
    SingleArticleResponse:
      type: object
      required: [article]
      properties:
        article: {$ref: '#/components/schemas/Article'}
    MultipleArticlesResponse:
      type: object
      required: [articles, articlesCount]
      properties:
        articles:
          type: array
          items: {$ref: '#/components/schemas/Article'}
        articlesCount: {type: integer}
"##;

#[test]
fn wrapped_bodies_and_protected_writes_with_public_reads() {
    let project = host_with(REALWORLD);
    let stdout = project.generate_lint_and_test();
    let models = project.read("backend/conduit/models.rs");
    for wrapper in [
        "pub struct CreateArticleRequest",
        "pub struct UpdateArticleRequest",
        "pub struct GetArticleResponse",
        "pub struct ListArticlesResponse",
        // A page: the list and its count beside it.
        "pub articles_count: i64",
    ] {
        assert!(models.contains(wrapper), "no `{wrapper}` in:\n{models}");
    }
    assert_ran(
        &stdout,
        &[
            "conduit::routes::tests::list_articles_answers_200",
            "conduit::routes::tests::list_articles_skips_by_offset",
            "conduit::routes::tests::list_articles_filters_by_tag",
            "conduit::routes::tests::create_article_answers_201",
            "conduit::routes::tests::get_article_answers_200",
            "conduit::routes::tests::get_article_answers_404_for_an_unknown_key",
            "conduit::routes::tests::update_article_answers_200",
            "conduit::routes::tests::delete_article_answers_204",
            // `security` on the document: writes need credentials.
            "conduit::routes::tests::create_article_answers_401_without_credentials",
            "conduit::routes::tests::update_article_answers_401_without_credentials",
            "conduit::routes::tests::delete_article_answers_401_without_credentials",
            // An action the team writes: 501 with credentials, 401 without.
            "conduit::tests::favorite_article_answers_501_until_implemented",
            "conduit::routes::tests::favorite_article_answers_401_without_credentials",
        ],
    );
    // `security: []`: reads stay public.
    for public in ["list_articles", "get_article"] {
        let test = format!("{public}_answers_401_without_credentials");
        assert!(!stdout.contains(&test), "{test} in:\n{stdout}");
    }
    // The one seam the team writes: an owned extractor, created once.
    let caller = project.read("backend/caller.rs");
    assert!(
        caller.contains("impl<S: Send + Sync> FromRequestParts<S> for Caller"),
        "{caller}"
    );
    let routes = project.read("backend/conduit/routes.rs");
    assert_eq!(routes.matches("caller: Caller,").count(), 4, "{routes}");
}
