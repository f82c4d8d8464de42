//! Writes an OpenAPI 3.1 document from a validated model: one path per
//! endpoint, request and response schemas with every constraint, the error
//! body and each status's error codes. No IO: the CLI decides where it goes.
//!
//! The document reads back as a contract (`scaffold-parser` reads
//! `contracts/openapi.yaml`) with the same operations and endpoints: each
//! operation carries its kind as `x-scaffold-kind` and each entity schema
//! `x-scaffold-entity`, so routes that are not REST-shaped survive the trip.

mod emit;

use std::collections::BTreeSet;

use scaffold_parser::{
    Domain, Entity, Field, Input, InputSource, Operation, Project, Type, Verb, case,
};

pub use emit::Node;

/// The text format of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    /// JSON for a `.json` path, YAML otherwise.
    pub fn for_path(path: &str) -> Self {
        if path.to_ascii_lowercase().ends_with(".json") {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// The codes every generated domain can answer besides the spec's own.
const BUILT_IN: &[(&str, u16, &str)] = &[
    (
        "INVALID_BODY",
        400,
        "the body is not valid JSON of the expected shape",
    ),
    ("INVALID_PATH", 400, "a path parameter cannot be read"),
    ("INVALID_QUERY", 400, "the query string cannot be read"),
    ("NOT_FOUND", 404, "no item with this key"),
    (
        "VALIDATION_FAILED",
        422,
        "the input breaks a constraint; `fields` says which",
    ),
    ("INTERNAL", 500, "the server failed"),
    (
        "NOT_IMPLEMENTED",
        501,
        "the operation is not implemented yet",
    ),
];

/// The document text for `domains` (every domain of the project when empty).
pub fn write(project: &Project, domains: &[&str], format: Format) -> String {
    let doc = document(project, domains);
    match format {
        Format::Yaml => emit::yaml(&doc),
        Format::Json => emit::json_file(&doc),
    }
}

/// The document as a tree.
pub fn document(project: &Project, domains: &[&str]) -> Node {
    let selected: Vec<&Domain> = project
        .domains
        .iter()
        .filter(|d| domains.is_empty() || domains.contains(&d.name.as_str()))
        .collect();
    let names = Names::new(&selected);
    let title = match selected.as_slice() {
        [one] => format!("{} API", case::pascal(&one.name)),
        _ => "API".to_string(),
    };
    let specs: Vec<String> = selected
        .iter()
        .flat_map(|d| d.specs.iter().map(|s| s.path.clone()))
        .collect();
    let info = Node::map()
        .with("title", Node::str(title))
        .with("version", Node::str("1.0.0"))
        .with(
            "description",
            Node::str(format!(
                "Written by `scaffold openapi` from {}. Do not edit: change the specs and run it again.",
                specs.join(", ")
            )),
        );

    // Paths in order of first appearance; methods in a fixed order under each.
    let mut paths: Vec<(String, Vec<(String, Node)>)> = Vec::new();
    for domain in &selected {
        for endpoint in &domain.endpoints {
            let Some(op) = domain.operation(&endpoint.operation) else {
                continue;
            };
            let item = operation(domain, op, endpoint, &names);
            let method = endpoint.method.to_ascii_lowercase();
            match paths.iter_mut().find(|(p, _)| *p == endpoint.path) {
                Some((_, methods)) => methods.push((method, item)),
                None => paths.push((endpoint.path.clone(), vec![(method, item)])),
            }
        }
    }
    let order = ["get", "post", "put", "patch", "delete"];
    let mut path_nodes = Node::map();
    for (path, mut methods) in paths {
        methods.sort_by_key(|(m, _)| order.iter().position(|o| o == m));
        path_nodes.insert(&path, Node::Map(methods));
    }

    let mut schemas = Node::map();
    for domain in &selected {
        for entity in &domain.entities {
            schemas.insert(
                &names.schema(domain, &entity.name),
                entity_schema(domain, entity, &names),
            );
        }
    }
    schemas.insert(&names.error, error_schema(&selected, &names));
    schemas.insert(
        &names.field_error,
        Node::map()
            .with("type", Node::str("object"))
            .with("required", strs(&["field", "message"]))
            .with(
                "properties",
                Node::map()
                    .with("field", Node::map().with("type", Node::str("string")))
                    .with("message", Node::map().with("type", Node::str("string"))),
            ),
    );
    let mut components = Node::map().with("schemas", schemas);
    if selected
        .iter()
        .flat_map(|d| &d.endpoints)
        .any(|e| e.shape.secured)
    {
        components.insert(
            "securitySchemes",
            Node::map().with(
                SECURITY_SCHEME,
                Node::map()
                    .with("type", Node::str("http"))
                    .with("scheme", Node::str("bearer")),
            ),
        );
    }
    let tags: Vec<Node> = selected
        .iter()
        .map(|d| Node::map().with("name", Node::str(&d.name)))
        .collect();
    Node::map()
        .with("openapi", Node::str("3.1.0"))
        .with("info", info)
        // Read back, the document gives exactly the model it was written from.
        .with("x-scaffold", Node::Bool(true))
        .with("tags", Node::Seq(tags))
        .with("paths", path_nodes)
        .with("components", components)
}

/// Schema and operation names, prefixed with the domain only where two
/// selected domains would otherwise collide.
struct Names {
    clashing_entities: BTreeSet<String>,
    clashing_operations: BTreeSet<String>,
    error: String,
    field_error: String,
}

impl Names {
    fn new(domains: &[&Domain]) -> Self {
        let clashes = |names: Vec<&str>| {
            let mut seen = BTreeSet::new();
            names
                .into_iter()
                .filter(|n| !seen.insert(*n))
                .map(str::to_string)
                .collect::<BTreeSet<String>>()
        };
        let entities: Vec<&str> = domains
            .iter()
            .flat_map(|d| d.entities.iter().map(|e| e.name.as_str()))
            .collect();
        let taken = |name: &str| entities.contains(&name);
        let error = if taken("ErrorBody") {
            "ScaffoldErrorBody"
        } else {
            "ErrorBody"
        };
        let field_error = if taken("FieldError") {
            "ScaffoldFieldError"
        } else {
            "FieldError"
        };
        Self {
            clashing_entities: clashes(entities.clone()),
            clashing_operations: clashes(
                domains
                    .iter()
                    .flat_map(|d| d.operations.iter().map(|o| o.name.as_str()))
                    .collect(),
            ),
            error: error.to_string(),
            field_error: field_error.to_string(),
        }
    }

    fn schema(&self, domain: &Domain, entity: &str) -> String {
        if self.clashing_entities.contains(entity) {
            format!("{}{entity}", case::pascal(&domain.name))
        } else {
            entity.to_string()
        }
    }

    /// camelCase, as OpenAPI tools expect (`placeOrder`); read back in PascalCase.
    fn operation_id(&self, domain: &Domain, op: &str) -> String {
        let name = if self.clashing_operations.contains(op) {
            format!("{}{op}", case::pascal(&domain.name))
        } else {
            op.to_string()
        };
        let mut chars = name.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    }

    fn reference(&self, domain: &Domain, entity: &str) -> Node {
        Node::map().with(
            "$ref",
            Node::str(format!(
                "#/components/schemas/{}",
                self.schema(domain, entity)
            )),
        )
    }
}

fn strs(items: &[&str]) -> Node {
    Node::Seq(items.iter().map(|s| Node::str(*s)).collect())
}

fn verb_word(verb: Verb) -> &'static str {
    match verb {
        Verb::Create => "create",
        Verb::Get => "get",
        Verb::List => "list",
        Verb::Update => "update",
        Verb::Delete => "delete",
    }
}

/// The field an input stands for, whose constraints apply to it.
fn field_of<'d>(domain: &'d Domain, input: &Input) -> Option<&'d Field> {
    match &input.source {
        InputSource::Field { entity, field } => domain.entity(entity)?.field(field),
        InputSource::PrimaryKey { entity } => domain.entity(entity)?.primary_key(),
        InputSource::Declared => None,
    }
}

/// Whether a request must carry the input, as the generated code decides.
fn input_required(op: &Operation, input: &Input, field: Option<&Field>, in_path: bool) -> bool {
    if in_path {
        return true;
    }
    let is_entity_field = matches!(&input.source, InputSource::Field { entity, .. }
        if op.kind.as_ref().is_some_and(|k| &k.entity == entity));
    match op.kind.as_ref().map(|k| k.verb) {
        Some(Verb::Update | Verb::List) if is_entity_field => false,
        Some(Verb::Create) if is_entity_field => {
            input.required && field.is_none_or(|f| f.default.is_none())
        }
        _ => input.required,
    }
}

fn operation(
    domain: &Domain,
    op: &Operation,
    endpoint: &scaffold_parser::Endpoint,
    names: &Names,
) -> Node {
    let mut node = Node::map()
        .with(
            "operationId",
            Node::str(names.operation_id(domain, &op.name)),
        )
        .with("tags", strs(&[&domain.name]));
    if !op.description.is_empty() {
        node.insert("summary", Node::str(&op.description));
    }
    if let Some(kind) = &op.kind {
        node.insert(
            "x-scaffold-kind",
            Node::str(format!(
                "{} {}",
                verb_word(kind.verb),
                names.schema(domain, &kind.entity)
            )),
        );
    }
    if !op.errors.is_empty() {
        node.insert(
            "x-scaffold-errors",
            Node::Seq(op.errors.iter().map(Node::str).collect()),
        );
    }
    let has_body = matches!(endpoint.method.as_str(), "POST" | "PUT" | "PATCH");
    let mut parameters = Vec::new();
    let mut properties = Node::map();
    let mut required = Vec::new();
    for param in &endpoint.path_params {
        let Some(input) = op.inputs.iter().find(|i| &i.name == param) else {
            continue;
        };
        let field = field_of(domain, input);
        parameters.push(
            Node::map()
                .with("name", Node::str(param))
                .with("in", Node::str("path"))
                .with("required", Node::Bool(true))
                .with("schema", input_schema(domain, input, field, names)),
        );
    }
    for input in op
        .inputs
        .iter()
        .filter(|i| !endpoint.path_params.contains(&i.name))
    {
        let field = field_of(domain, input);
        let is_required = input_required(op, input, field, false);
        let schema = input_schema(domain, input, field, names);
        if has_body {
            if is_required {
                required.push(Node::str(&input.name));
            }
            properties.insert(&input.name, schema);
        } else {
            parameters.push(
                Node::map()
                    .with("name", Node::str(&input.name))
                    .with("in", Node::str("query"))
                    .with("required", Node::Bool(is_required))
                    .with("schema", schema),
            );
        }
    }
    // A list of its entity answers a page (rust-axum: `?limit=&offset=`, `{"items", "next"}`).
    let paged = endpoint.shape.response_wrapper.is_none()
        && matches!(op.output, Some(Type::List(_)))
        && op.kind.as_ref().is_some_and(|k| k.verb == Verb::List);
    if paged {
        for (name, schema) in [
            (
                "limit",
                Node::map()
                    .with("type", Node::str("integer"))
                    .with("minimum", Node::Num(1.0))
                    .with("maximum", Node::Num(200.0))
                    .with("default", Node::Num(50.0)),
            ),
            (
                "offset",
                Node::map()
                    .with("type", Node::str("integer"))
                    .with("minimum", Node::Num(0.0))
                    .with("default", Node::Num(0.0)),
            ),
        ] {
            if op.inputs.iter().any(|i| i.name == name) {
                continue;
            }
            parameters.push(
                Node::map()
                    .with("name", Node::str(name))
                    .with("in", Node::str("query"))
                    .with("required", Node::Bool(false))
                    .with("schema", schema)
                    .with("x-scaffold-paging", Node::Bool(true)),
            );
        }
    }
    if !parameters.is_empty() {
        node.insert("parameters", Node::Seq(parameters));
    }
    if has_body && properties != Node::map() {
        let mut schema = Node::map().with("type", Node::str("object"));
        if !required.is_empty() {
            schema.insert("required", Node::Seq(required));
        }
        schema.insert("properties", properties);
        if let Some(wrapper) = &endpoint.shape.request_wrapper {
            schema = wrapped(wrapper, schema);
        }
        node.insert(
            "requestBody",
            Node::map().with("required", Node::Bool(true)).with(
                "content",
                Node::map().with("application/json", Node::map().with("schema", schema)),
            ),
        );
    }
    let mut responses = Node::map();
    let mut success = Node::map().with(
        "description",
        Node::str(if op.description.is_empty() {
            "Success"
        } else {
            &op.description
        }),
    );
    if let Some(output) = &op.output {
        let mut schema = type_schema(domain, output, names);
        if let Some(wrapper) = &endpoint.shape.response_wrapper {
            schema = match &endpoint.shape.response_count {
                // A page: the list and how many items it holds.
                Some(count) => Node::map()
                    .with("type", Node::str("object"))
                    .with("required", strs(&[wrapper, count]))
                    .with(
                        "properties",
                        Node::map()
                            .with(wrapper, schema)
                            .with(count, Node::map().with("type", Node::str("integer"))),
                    )
                    .with("x-scaffold-wrapped", Node::Bool(true)),
                None => wrapped(wrapper, schema),
            };
        } else if paged {
            // `next`: the `offset` of the next page, `null` on the last.
            schema = Node::map()
                .with("type", Node::str("object"))
                .with("required", strs(&["items", "next"]))
                .with(
                    "properties",
                    Node::map().with("items", schema).with(
                        "next",
                        Node::map()
                            .with("type", Node::str("string"))
                            .with("nullable", Node::Bool(true)),
                    ),
                )
                .with("x-scaffold-paged", Node::Bool(true));
        }
        success.insert(
            "content",
            Node::map().with("application/json", Node::map().with("schema", schema)),
        );
    }
    responses.insert(&endpoint.status.to_string(), success);
    for (status, codes) in error_statuses(domain, op, endpoint) {
        responses.insert(&status.to_string(), error_response(&codes, names));
    }
    node.insert("responses", responses);
    if endpoint.shape.secured {
        node.insert(
            "security",
            Node::Seq(vec![
                Node::map().with(SECURITY_SCHEME, Node::Seq(Vec::new())),
            ]),
        );
    }
    node
}

/// The scheme protected endpoints name: a bearer token, which the owned
/// `Caller` extractor of the generated code turns into a caller.
const SECURITY_SCHEME: &str = "bearerAuth";

/// `{"article": {...}}`: a body wrapped in one property (marked, so an inline
/// body reads back wrapped too).
fn wrapped(property: &str, schema: Node) -> Node {
    Node::map()
        .with("type", Node::str("object"))
        .with("required", strs(&[property]))
        .with("properties", Node::map().with(property, schema))
        .with("x-scaffold-wrapped", Node::Bool(true))
}

/// Each error status the endpoint can answer, with the codes that use it.
fn error_statuses(
    domain: &Domain,
    op: &Operation,
    endpoint: &scaffold_parser::Endpoint,
) -> Vec<(u16, Vec<(String, String)>)> {
    let mut codes: Vec<(u16, String, String)> = Vec::new();
    let mut add = |status: u16, code: &str, message: &str| {
        if !codes.iter().any(|(_, c, _)| c == code) {
            codes.push((status, code.to_string(), message.to_string()));
        }
    };
    for code in &op.errors {
        if let Some(error) = domain.error(code) {
            add(error.http, &error.code, &error.message);
        }
    }
    let built_in = |code: &str| BUILT_IN.iter().find(|(c, _, _)| *c == code);
    let mut wanted: Vec<&str> = Vec::new();
    if !endpoint.path_params.is_empty() {
        wanted.push("INVALID_PATH");
    }
    if op
        .inputs
        .iter()
        .any(|i| !endpoint.path_params.contains(&i.name))
    {
        wanted.push(
            if matches!(endpoint.method.as_str(), "POST" | "PUT" | "PATCH") {
                "INVALID_BODY"
            } else {
                "INVALID_QUERY"
            },
        );
    }
    if op.kind.as_ref().is_some_and(|k| k.verb.takes_id()) {
        wanted.push("NOT_FOUND");
    }
    if !op.inputs.is_empty() {
        wanted.push("VALIDATION_FAILED");
    }
    if op.kind.is_none() {
        wanted.push("NOT_IMPLEMENTED");
    }
    wanted.push("INTERNAL");
    for (code, status, message) in wanted.into_iter().filter_map(built_in) {
        add(*status, code, message);
    }
    for status in &endpoint.error_statuses {
        if !codes.iter().any(|(s, _, _)| s == status) {
            codes.push((*status, String::new(), String::new()));
        }
    }
    let mut statuses: Vec<u16> = codes.iter().map(|(s, _, _)| *s).collect();
    statuses.sort_unstable();
    statuses.dedup();
    statuses
        .into_iter()
        .map(|status| {
            let of_status = codes
                .iter()
                .filter(|(s, c, _)| *s == status && !c.is_empty())
                .map(|(_, c, m)| (c.clone(), m.clone()))
                .collect();
            (status, of_status)
        })
        .collect()
}

fn error_response(codes: &[(String, String)], names: &Names) -> Node {
    let description = if codes.is_empty() {
        "Error".to_string()
    } else {
        codes
            .iter()
            .map(|(c, m)| {
                if m.is_empty() {
                    c.clone()
                } else {
                    format!("{c}: {m}")
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let reference = Node::map().with(
        "$ref",
        Node::str(format!("#/components/schemas/{}", names.error)),
    );
    let schema = if codes.is_empty() {
        reference
    } else {
        let enum_codes = Node::Seq(codes.iter().map(|(c, _)| Node::str(c)).collect());
        Node::map().with(
            "allOf",
            Node::Seq(vec![
                reference,
                Node::map().with(
                    "properties",
                    Node::map().with("code", Node::map().with("enum", enum_codes)),
                ),
            ]),
        )
    };
    Node::map()
        .with("description", Node::str(description))
        .with(
            "content",
            Node::map().with("application/json", Node::map().with("schema", schema)),
        )
}

fn error_schema(domains: &[&Domain], names: &Names) -> Node {
    let mut codes: Vec<String> = BUILT_IN.iter().map(|(c, _, _)| c.to_string()).collect();
    for domain in domains {
        for error in &domain.errors {
            if !codes.contains(&error.code) {
                codes.push(error.code.clone());
            }
        }
    }
    codes.sort();
    Node::map()
        .with("type", Node::str("object"))
        .with("required", strs(&["code", "message"]))
        .with(
            "properties",
            Node::map()
                .with(
                    "code",
                    Node::map().with("type", Node::str("string")).with(
                        "enum",
                        Node::Seq(codes.into_iter().map(Node::Str).collect()),
                    ),
                )
                .with("message", Node::map().with("type", Node::str("string")))
                .with(
                    "fields",
                    Node::map().with("type", Node::str("array")).with(
                        "items",
                        Node::map().with(
                            "$ref",
                            Node::str(format!("#/components/schemas/{}", names.field_error)),
                        ),
                    ),
                ),
        )
}

fn entity_schema(domain: &Domain, entity: &Entity, names: &Names) -> Node {
    let required: Vec<Node> = entity
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| Node::str(&f.name))
        .collect();
    let mut properties = Node::map();
    for field in &entity.fields {
        let mut schema = field_schema(domain, field, names);
        if field.primary_key {
            schema.insert("readOnly", Node::Bool(true));
        }
        properties.insert(&field.name, schema);
    }
    let mut node = Node::map()
        .with("type", Node::str("object"))
        .with("x-scaffold-entity", Node::Bool(true));
    if !required.is_empty() {
        node.insert("required", Node::Seq(required));
    }
    node.with("properties", properties)
}

fn input_schema(domain: &Domain, input: &Input, field: Option<&Field>, names: &Names) -> Node {
    match field {
        Some(field) if field.ty == input.ty => {
            // A key in the path or a filter is not read-only: it is what the caller sends.
            field_schema(domain, field, names)
        }
        _ => type_schema(domain, &input.ty, names),
    }
}

/// A field's type with every constraint of the spec.
fn field_schema(domain: &Domain, field: &Field, names: &Names) -> Node {
    let mut schema = type_schema(domain, &field.ty, names);
    let is_ref = matches!(field.ty, Type::Entity(_));
    let (min_key, max_key) = match &field.ty {
        Type::String | Type::Text => ("minLength", "maxLength"),
        Type::List(_) => ("minItems", "maxItems"),
        t if t.is_numeric() && field.ty != Type::Decimal => ("minimum", "maximum"),
        _ => ("", ""),
    };
    if let (Some(min), false) = (field.min, min_key.is_empty()) {
        schema.insert(min_key, Node::Num(min));
    }
    if let (Some(max), false) = (field.max, max_key.is_empty()) {
        schema.insert(max_key, Node::Num(max));
    }
    if let Some(pattern) = &field.pattern {
        schema.insert("pattern", Node::str(pattern));
    }
    if let Some(default) = &field.default {
        let value = match &field.ty {
            _ if default.eq_ignore_ascii_case("now") => None,
            Type::I32 | Type::I64 | Type::F64 => default.parse::<f64>().ok().map(Node::Num),
            Type::Bool => Some(Node::Bool(default == "true")),
            _ => Some(Node::str(default)),
        };
        if let Some(value) = value {
            schema.insert("default", value);
        }
    }
    if !field.description.is_empty() && !is_ref {
        schema.insert("description", Node::str(&field.description));
    }
    schema
}

/// A type as a JSON Schema (OpenAPI 3.1 uses JSON Schema 2020-12).
fn type_schema(domain: &Domain, ty: &Type, names: &Names) -> Node {
    let typed = |t: &str| Node::map().with("type", Node::str(t));
    let formatted = |t: &str, f: &str| typed(t).with("format", Node::str(f));
    match ty {
        Type::String | Type::Text => typed("string"),
        Type::Bool => typed("boolean"),
        Type::I32 => formatted("integer", "int32"),
        Type::I64 => formatted("integer", "int64"),
        Type::F64 => formatted("number", "double"),
        // rust_decimal is serialised as a string, so exact amounts survive JSON.
        Type::Decimal => formatted("string", "decimal"),
        Type::Uuid => formatted("string", "uuid"),
        Type::Date => formatted("string", "date"),
        Type::DateTime => formatted("string", "date-time"),
        Type::Time => formatted("string", "time"),
        Type::Json => Node::map(),
        Type::Enum(variants) => {
            typed("string").with("enum", Node::Seq(variants.iter().map(Node::str).collect()))
        }
        Type::Entity(name) => names.reference(domain, name),
        Type::List(inner) => typed("array").with("items", type_schema(domain, inner, names)),
    }
}
