//! OpenAPI 3.0 and 3.1 documents (YAML or JSON) into raw operations and
//! endpoints; Swagger 2.0 bodies (`in: body`, `#/definitions/`) are read too.
//!
//! Entities stay with data-model.md: a component schema is mapped to the
//! entity of the same name. The kind of an operation is inferred from REST
//! shape (POST on a collection creates, GET on an item gets, ...), and only
//! when the schema and the path agree, so an RPC-style route stays a free
//! operation instead of being forced into CRUD.

use crate::case;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::{Located, RawEndpoint, RawOperation, RawSpec};

use super::Known;
use super::tree::{self, Node, Value};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
/// How many `$ref` hops are followed before giving up (cycles, hostile input).
const MAX_REFS: usize = 16;

/// Reads one OpenAPI document. Files that are no OpenAPI document (a JSON
/// Schema in `contracts/`, say) contribute nothing and are not an error.
///
/// With `known` (the entities and fields of the feature's data model), schemas
/// map only to entities the model has and properties to its fields however
/// they are cased; without it, entity schemas are recognised by their key.
pub fn parse(
    file: usize,
    text: &str,
    known: Option<&Known>,
    diagnostics: &mut Vec<Diagnostic>,
) -> RawSpec {
    let mut spec = RawSpec {
        file,
        ..RawSpec::default()
    };
    let root = match tree::load(text) {
        Ok(Some(root)) => root,
        Ok(None) => return spec,
        Err(error) => {
            let at = error.offset.min(text.len());
            diagnostics.push(
                Diagnostic::error(
                    "invalid-contract",
                    Span::new(file, at, at),
                    format!("cannot read the contract: {}", error.message),
                )
                .label("here")
                .hint("fix the YAML or JSON syntax; a contract is an OpenAPI 3 document"),
            );
            return spec;
        }
    };
    if root.get("openapi").is_none() && root.get("swagger").is_none() {
        return spec;
    }
    let doc = Doc {
        root: &root,
        file,
        known,
    };
    let Some(paths) = doc.root.get("paths") else {
        return spec;
    };
    let mut names: Vec<String> = Vec::new();
    for (path_key, item) in paths.entries() {
        let Some(path) = path_key.text() else {
            continue;
        };
        // `/files/{name}.json` or `/jobs/{id}:cancel`: a parameter inside a
        // segment, which the generated router cannot take apart.
        if let Some(segment) = mixed_segment(&path) {
            diagnostics.push(
                Diagnostic::warning(
                    "unsupported-route",
                    doc.span(path_key),
                    format!("route `{path}` is not generated: segment `{segment}` mixes a parameter with text"),
                )
                .label("this route")
                .hint("give the parameter a segment of its own (`/files/{name}`), or write this route by hand"),
            );
            continue;
        }
        let item = doc.resolve(item);
        let shared_params = item.get("parameters");
        for (method_key, op) in item.entries() {
            let Some(method) = method_key.text() else {
                continue;
            };
            let method = method.to_ascii_lowercase();
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let read = doc.read_operation(
                &method,
                &path,
                doc.span(path_key),
                doc.span(method_key),
                op,
                shared_params,
                &mut names,
            );
            spec.operations.push(read.0);
            spec.endpoints.push(read.1);
        }
    }
    spec
}

struct Doc<'a> {
    root: &'a Node,
    file: usize,
    known: Option<&'a Known>,
}

/// A parameter after `$ref`s are followed.
struct Param<'a> {
    name: String,
    location: String,
    required: bool,
    schema: Option<&'a Node>,
}

/// What a schema says about the entity it carries.
#[derive(Debug, Clone, PartialEq)]
struct Carried {
    entity: String,
    list: bool,
}

impl<'a> Doc<'a> {
    fn span(&self, node: &Node) -> Span {
        Span::new(self.file, node.start, node.end)
    }

    fn located(&self, text: impl Into<String>, node: &Node) -> Located {
        Located {
            text: text.into(),
            span: self.span(node),
        }
    }

    /// Follows local `$ref`s (`#/components/...`); a broken one stays as it is.
    fn resolve(&self, mut node: &'a Node) -> &'a Node {
        for _ in 0..MAX_REFS {
            let Some(target) = node.str("$ref").and_then(|r| self.pointer(r)) else {
                return node;
            };
            node = target;
        }
        node
    }

    fn pointer(&self, reference: &str) -> Option<&'a Node> {
        let path = reference.strip_prefix("#/")?;
        let mut node = self.root;
        for part in path.split('/') {
            let part = part.replace("~1", "/").replace("~0", "~");
            node = node.get(&part)?;
        }
        Some(node)
    }

    /// The component schemas (`components.schemas`, or Swagger's `definitions`).
    fn schemas(&self) -> &'a [(Node, Node)] {
        self.root
            .get("components")
            .and_then(|c| c.get("schemas"))
            .or_else(|| self.root.get("definitions"))
            .map_or(&[], Node::entries)
    }

    fn schema(&self, name: &str) -> Option<&'a Node> {
        self.schemas()
            .iter()
            .find(|(k, _)| k.text().as_deref() == Some(name))
            .map(|(_, v)| self.resolve(v))
    }

    /// `Order` for `$ref: '#/components/schemas/Order'`.
    fn schema_name(node: &Node) -> Option<&str> {
        let reference = node.str("$ref")?;
        reference
            .strip_prefix("#/components/schemas/")
            .or_else(|| reference.strip_prefix("#/definitions/"))
            .filter(|name| !name.contains('/'))
    }

    /// A schema reads as an entity when it is an object with a key-like property.
    fn is_entity(&self, name: &str) -> bool {
        if let Some(known) = self.known {
            return known.fields(name).is_some();
        }
        let Some(schema) = self.schema(name) else {
            return false;
        };
        // `scaffold openapi` marks its entities, whatever their key is called.
        if schema.bool("x-scaffold-entity") == Some(true) {
            return true;
        }
        let key = format!("{}_id", case::snake(name));
        self.properties(schema)
            .iter()
            .any(|(p, _)| p == "id" || case::snake(p) == key)
    }

    /// Properties of an object schema, with `allOf` parts merged, in order.
    fn properties(&self, schema: &'a Node) -> Vec<(String, &'a Node)> {
        let mut out = Vec::new();
        self.collect_properties(schema, &mut out, 0);
        out
    }

    fn collect_properties(
        &self,
        schema: &'a Node,
        out: &mut Vec<(String, &'a Node)>,
        depth: usize,
    ) {
        if depth > MAX_REFS {
            return;
        }
        let schema = self.resolve(schema);
        for part in schema.get("allOf").map_or(&[][..], Node::items) {
            self.collect_properties(part, out, depth + 1);
        }
        for (key, value) in schema.get("properties").map_or(&[][..], Node::entries) {
            if let Some(name) = key.text() {
                if !out.iter().any(|(n, _)| *n == name) {
                    out.push((name, value));
                }
            }
        }
    }

    fn required(&self, schema: &'a Node) -> Vec<String> {
        let schema = self.resolve(schema);
        let mut out: Vec<String> = schema
            .get("required")
            .map_or(&[][..], Node::items)
            .iter()
            .filter_map(Node::text)
            .collect();
        for part in schema.get("allOf").map_or(&[][..], Node::items) {
            out.extend(self.required(part));
        }
        out
    }

    /// The entity a request or response schema carries: `Order`, an array of
    /// them, `{data: [Order], total}` (a page), or a `$ref` to any of those.
    fn carried(&self, schema: &'a Node, depth: usize) -> Option<Carried> {
        if depth > MAX_REFS {
            return None;
        }
        if let Some(name) = Self::schema_name(schema) {
            if self.is_entity(name) {
                return Some(Carried {
                    entity: name.to_string(),
                    list: false,
                });
            }
            return self.carried(self.resolve(schema), depth + 1);
        }
        if let [only] = schema.get("allOf").map_or(&[][..], Node::items) {
            return self.carried(only, depth + 1);
        }
        if let Some(items) = schema.get("items") {
            let inner = self.carried(items, depth + 1)?;
            return (!inner.list).then_some(Carried {
                list: true,
                ..inner
            });
        }
        // A page: exactly one property is a list of entities.
        let lists: Vec<Carried> = self
            .properties(schema)
            .iter()
            .filter_map(|(_, p)| self.carried(p, depth + 1))
            .filter(|c| c.list)
            .collect();
        match lists.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        }
    }

    /// A body wrapped in one property (`{"article": {...}}`, RealWorld style):
    /// an object schema whose only property carries an entity (or a list of
    /// them, or a request schema named for one). Returns the property and its schema.
    fn wrapped(&self, schema: &'a Node) -> Option<(String, &'a Node)> {
        self.page_wrapped(schema, false)
            .map(|(name, _, inner)| (name, inner))
    }

    /// A response wrapped like [`Self::wrapped`], or a page of entities with
    /// a count beside the list (`{articles: [...], articlesCount}`): the list's
    /// property, the count's, and the list's schema.
    #[allow(clippy::type_complexity, reason = "three parts of one wrapper")]
    fn page_wrapped(
        &self,
        schema: &'a Node,
        counted: bool,
    ) -> Option<(String, Option<String>, &'a Node)> {
        if Self::schema_name(schema).is_some_and(|n| self.is_entity(n)) {
            return None;
        }
        let resolved = self.resolve(schema);
        if resolved.get("allOf").is_some() || resolved.get("additionalProperties").is_some() {
            return None;
        }
        let mut properties = self.properties(resolved);
        let mut count = None;
        if counted && properties.len() == 2 {
            let is_count = |(name, schema): &(String, &'a Node)| {
                let snake = case::snake(name);
                self.resolve(schema).str("type") == Some("integer")
                    && (snake.ends_with("count") || snake == "total")
            };
            if let Some(at) = properties.iter().position(is_count) {
                let other = &properties[1 - at];
                if self.carried(other.1, 0).is_some_and(|c| c.list) {
                    count = Some(properties.remove(at).0);
                }
            }
        }
        let [(name, inner)] = properties.as_slice() else {
            return None;
        };
        // `scaffold openapi` marks the wrappers it writes, inline bodies included.
        let carries = resolved.bool("x-scaffold-wrapped") == Some(true)
            || self.carried(inner, 0).is_some()
            || self.body_entity(inner).is_some();
        carries.then(|| (name.clone(), count, *inner))
    }

    /// The JSON schema of a request body or response (first JSON-like media type).
    fn content_schema(&self, holder: &'a Node) -> Option<&'a Node> {
        let holder = self.resolve(holder);
        if let Some(schema) = holder.get("schema") {
            // Swagger 2.0 responses carry the schema directly.
            return Some(schema);
        }
        let content = holder.get("content")?;
        let entries = content.entries();
        entries
            .iter()
            .find(|(k, _)| k.text().is_some_and(|t| t.contains("json")))
            .or_else(|| entries.first())
            .and_then(|(_, media)| media.get("schema"))
    }

    /// A scaffold type expression for a schema, and whether it is nullable.
    fn type_of(&self, schema: &'a Node, depth: usize) -> (String, bool) {
        if depth > MAX_REFS {
            return ("json".into(), false);
        }
        if let Some(name) = Self::schema_name(schema) {
            if self.is_entity(name) {
                return (name.to_string(), false);
            }
            let (ty, _) = self.type_of(self.resolve(schema), depth + 1);
            return (ty, false);
        }
        let nullable = schema.bool("nullable") == Some(true);
        // 3.1: `type: [string, "null"]`; also `anyOf: [X, {type: null}]`.
        let (ty, null_in_type) = match schema.get("type").map(|t| &t.value) {
            Some(Value::Seq(items)) => {
                let names: Vec<String> = items.iter().filter_map(Node::text).collect();
                let has_null = names.iter().any(|n| n == "null");
                let first = names.into_iter().find(|n| n != "null");
                (first, has_null)
            }
            Some(_) => (schema.str("type").map(str::to_string), false),
            None => (None, false),
        };
        for combinator in ["anyOf", "oneOf", "allOf"] {
            let parts = schema.get(combinator).map_or(&[][..], Node::items);
            let non_null: Vec<&Node> = parts
                .iter()
                .filter(|p| p.str("type") != Some("null"))
                .collect();
            if ty.is_none() && non_null.len() == 1 {
                let (inner, inner_null) = self.type_of(non_null[0], depth + 1);
                return (
                    inner,
                    inner_null || non_null.len() < parts.len() || nullable,
                );
            }
        }
        let format = schema.str("format").unwrap_or_default();
        let text = match ty.as_deref() {
            Some("string") => match format {
                "uuid" => "uuid".to_string(),
                "date" => "date".to_string(),
                "date-time" => "datetime".to_string(),
                "time" => "time".to_string(),
                "decimal" => "decimal".to_string(),
                _ => match enum_type(schema) {
                    Some(e) => e,
                    None => "string".to_string(),
                },
            },
            Some("integer") => if format == "int64" { "i64" } else { "i32" }.to_string(),
            Some("number") => if format == "decimal" {
                "decimal"
            } else {
                "f64"
            }
            .to_string(),
            Some("boolean") => "bool".to_string(),
            Some("array") => {
                let inner = schema
                    .get("items")
                    .map_or_else(|| "json".to_string(), |i| self.type_of(i, depth + 1).0);
                format!("list<{inner}>")
            }
            _ => "json".to_string(),
        };
        (text, nullable || null_in_type)
    }

    fn parameters(&self, lists: [Option<&'a Node>; 2]) -> Vec<Param<'a>> {
        let mut out: Vec<Param<'a>> = Vec::new();
        // Operation-level parameters override path-level ones of the same name and place.
        for list in lists.into_iter().rev().flatten() {
            for p in list.items() {
                let p = self.resolve(p);
                let (Some(name), Some(location)) = (p.str("name"), p.str("in")) else {
                    continue;
                };
                // `scaffold openapi`'s `limit`/`offset` of a paged list are not inputs of the spec.
                if p.bool("x-scaffold-paging") == Some(true) {
                    continue;
                }
                if out.iter().any(|q| q.name == name && q.location == location) {
                    continue;
                }
                out.push(Param {
                    name: name.to_string(),
                    location: location.to_string(),
                    required: p.bool("required") == Some(true) || location == "path",
                    schema: p
                        .get("schema")
                        .or(if location == "body" { None } else { Some(p) }),
                });
            }
        }
        out
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one route: its method, path, spans and parameters as the walk found them"
    )]
    fn read_operation(
        &self,
        method: &str,
        path: &str,
        path_span: Span,
        method_span: Span,
        op: &'a Node,
        shared_params: Option<&'a Node>,
        names: &mut Vec<String>,
    ) -> (RawOperation, RawEndpoint) {
        let params = self.parameters([shared_params, op.get("parameters")]);
        let raw_params = op.get("parameters").map_or(&[][..], Node::items);
        // Swagger 2.0 bodies are a parameter `in: body`.
        let body = op
            .get("requestBody")
            .and_then(|b| self.content_schema(b))
            .or_else(|| {
                raw_params
                    .iter()
                    .map(|p| self.resolve(p))
                    .find(|p| p.str("in") == Some("body"))
                    .and_then(|p| p.get("schema"))
            });
        let mut statuses: Vec<(u16, &'a Node)> = op
            .get("responses")
            .map_or(&[][..], Node::entries)
            .iter()
            .filter_map(|(k, v)| Some((k.text()?.parse::<u16>().ok()?, v)))
            .collect();
        statuses.sort_by_key(|(s, _)| *s);
        let success = statuses.iter().find(|(s, _)| (200..300).contains(s));
        let response = success.and_then(|(_, r)| self.content_schema(r));
        // A page `scaffold openapi` wrote (`{"items", "next"}`) answers its items.
        let response = response.map(|r| {
            let resolved = self.resolve(r);
            match resolved.bool("x-scaffold-paged") {
                Some(true) => resolved
                    .get("properties")
                    .and_then(|p| p.get("items"))
                    .unwrap_or(r),
                _ => r,
            }
        });
        // `{"article": {...}}`: the body inside the one property is what is read.
        let (request_wrapper, body) = match body.and_then(|b| self.wrapped(b)) {
            Some((wrapper, inner)) => (Some(wrapper), Some(inner)),
            None => (None, body),
        };
        let (response_wrapper, response_count, response) =
            match response.and_then(|r| self.page_wrapped(r, true)) {
                Some((wrapper, count, inner)) => (Some(wrapper), count, Some(inner)),
                None => (None, None, response),
            };
        // `security` of the operation, else of the document; `[]` or an
        // alternative `{}` (no requirement) leaves the endpoint public.
        let secured = op
            .get("security")
            .or_else(|| self.root.get("security"))
            .is_some_and(|s| {
                let items = s.items();
                !items.is_empty() && items.iter().all(|r| !r.entries().is_empty())
            });
        let error_statuses: Vec<u16> = statuses
            .iter()
            .map(|(s, _)| *s)
            .filter(|s| (400..600).contains(s))
            .collect();

        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let is_item = segments.last().is_some_and(|s| is_param(s));
        let resource = segments.iter().rev().find(|s| !is_param(s)).copied();
        let from_response = response.and_then(|r| self.carried(r, 0));
        let from_body = body.and_then(|b| self.body_entity(b));
        // A kind written by `scaffold openapi` wins over the REST shape, so a
        // route such as `POST /checkout` for `create Order` reads back as it was.
        let declared_kind = op.str("x-scaffold-kind").and_then(|k| {
            let (verb, entity) = k.split_once(' ')?;
            let verb = ["create", "get", "list", "update", "delete"]
                .into_iter()
                .find(|v| *v == verb)?;
            self.is_entity(entity.trim())
                .then(|| (verb, entity.trim().to_string()))
        });
        let kind = declared_kind.clone().or_else(|| {
            self.infer_kind(method, is_item, resource, &from_response, &from_body, body)
        });

        // Path parameters get names the model resolves: the key of the entity,
        // a parent's key (`{listId}` after `lists` is `list_id`), or a declared input.
        let entity_props: Vec<(String, &Node)> = kind
            .as_ref()
            .and_then(|(_, e)| self.schema(e))
            .map(|s| self.properties(s))
            .unwrap_or_default();
        let mut kind = kind;
        let mut inputs: Vec<Located> = Vec::new();
        // `servers: [{url: /api}]`: the routes live under that path.
        let mut new_path = self.base_path();
        let mut previous_literal = "";
        let path_params: Vec<&str> = segments.iter().filter(|s| is_param(s)).copied().collect();
        for segment in &segments {
            new_path.push('/');
            if !is_param(segment) {
                previous_literal = segment;
                new_path.push_str(segment);
                continue;
            }
            let original = &segment[1..segment.len() - 1];
            let is_key = is_item && path_params.last() == Some(segment);
            let param_schema = params
                .iter()
                .find(|p| p.location == "path" && p.name == original)
                .and_then(|p| p.schema);
            let (name, bare) = match &kind {
                Some((_, entity)) if is_key => {
                    match key_name(original, entity, &entity_props, declared_kind.is_some())
                        .or_else(|| self.unique_field(entity, original))
                    {
                        Some(name) => (name, true),
                        None => {
                            // Looked up by something that is not its key: a free operation.
                            kind = None;
                            (case::snake(original), false)
                        }
                    }
                }
                Some((_, entity)) => {
                    let wanted = parent_key(original, previous_literal);
                    let field = self
                        .field_of(entity, original, &entity_props)
                        .or_else(|| self.field_of(entity, &wanted, &entity_props));
                    match field {
                        Some(p) => (p, true),
                        None if declared_kind.is_some() => (wanted, false),
                        None => {
                            kind = None;
                            (wanted, false)
                        }
                    }
                }
                None => (parent_key(original, previous_literal), false),
            };
            new_path.push('{');
            new_path.push_str(&name);
            new_path.push('}');
            let text = if bare || self.names_schema_key(&name) {
                name
            } else if let Some(field) = self.unique_owner(&name) {
                field
            } else {
                let ty =
                    param_schema.map_or_else(|| "string".to_string(), |s| self.type_of(s, 0).0);
                format!("{name}: {ty}")
            };
            inputs.push(Located {
                text,
                span: path_span,
            });
        }
        if new_path.is_empty() {
            new_path.push('/');
        }
        // Kind changes above may have dropped the entity: recompute what it offers.
        let entity_props: Vec<(String, &Node)> = kind
            .as_ref()
            .and_then(|(_, e)| self.schema(e))
            .map(|s| self.properties(s))
            .unwrap_or_default();
        let push_input = |inputs: &mut Vec<Located>,
                          name: &str,
                          schema: Option<&'a Node>,
                          required: bool,
                          span: Span| {
            let field = kind
                .as_ref()
                .and_then(|(_, e)| self.field_of(e, name, &entity_props))
                // A field of exactly one other entity resolves to it, as in a spec.
                .or_else(|| kind.as_ref().and_then(|_| self.unique_owner(name)));
            let text = match field {
                Some(field) => field,
                None => {
                    // The wire name stays as written (`pageSize`): the generated
                    // code renames its field, so clients send what the contract says.
                    let is_identifier = name.starts_with(|c: char| c.is_ascii_alphabetic())
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    let name = if is_identifier {
                        name.to_string()
                    } else {
                        case::snake(name)
                    };
                    if name.is_empty() {
                        return;
                    }
                    let (ty, nullable) = schema
                        .map_or_else(|| ("string".to_string(), false), |s| self.type_of(s, 0));
                    let optional = if required && !nullable { "" } else { "?" };
                    format!("{name}: {ty}{optional}")
                }
            };
            let key = text
                .split(':')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            if inputs
                .iter()
                .any(|i| i.text.split(':').next().unwrap_or_default().trim() == key)
            {
                return;
            }
            inputs.push(Located { text, span });
        };
        // Query parameters are optional inputs unless the document is ours: a
        // required one would make every request without it a 400 before the
        // operation runs, where the service can answer it with its own error.
        let ours = self.root.bool("x-scaffold") == Some(true);
        for param in params.iter().filter(|p| p.location == "query") {
            push_input(
                &mut inputs,
                &param.name,
                param.schema,
                param.required && ours,
                method_span,
            );
        }
        if let Some(body) = body {
            let required = self.required(body);
            let properties = self.properties(body);
            if properties.is_empty() && kind.is_none() {
                let (ty, _) = self.type_of(body, 0);
                push_input(&mut inputs, "body", Some(body), true, method_span);
                if let Some(last) = inputs.last_mut().filter(|l| l.text.starts_with("body:")) {
                    last.text = format!("body: {ty}");
                }
            }
            for (name, schema) in &properties {
                let schema = self.resolve(schema);
                if schema.bool("readOnly") == Some(true) {
                    continue;
                }
                // A body that is the entity itself carries its key, which the server
                // makes (create) or takes from the path (update); a request schema
                // that lists the key means the caller chooses it.
                let body_is_entity = kind
                    .as_ref()
                    .is_some_and(|(_, e)| Self::schema_name(body) == Some(e.as_str()));
                if body_is_entity && is_key_like(name, kind.as_ref().map_or("", |(_, e)| e)) {
                    continue;
                }
                push_input(
                    &mut inputs,
                    name,
                    Some(schema),
                    // GET and DELETE inputs come from the query string in the
                    // model: a body there is read as optional query inputs.
                    required.contains(name) && matches!(method, "post" | "put" | "patch"),
                    method_span,
                );
            }
        }

        let (kind_text, output) = match &kind {
            Some((verb, entity)) => (
                Some(format!("{verb} {entity}")),
                Some(match *verb {
                    "list" => format!("list<{entity}>"),
                    "delete" if response.is_none() => "none".to_string(),
                    _ => entity.clone(),
                }),
            ),
            None => (
                None,
                Some(match response {
                    None => "none".to_string(),
                    Some(r) => match self.carried(r, 0) {
                        Some(Carried { entity, list: true }) => format!("list<{entity}>"),
                        Some(Carried {
                            entity,
                            list: false,
                        }) => entity,
                        None => self.type_of(r, 0).0,
                    },
                }),
            ),
        };
        let name = self.operation_name(method, &segments, op, kind.as_ref(), names);
        let name_node = op.get("operationId");
        let name_span = name_node.map_or(method_span, |n| self.span(n));
        let description = op
            .str("summary")
            .or_else(|| op.str("description"))
            .map(|d| d.lines().next().unwrap_or_default().trim().to_string())
            .unwrap_or_default();
        let operation = RawOperation {
            id: None,
            name: Some(Located {
                text: name.clone(),
                span: name_span,
            }),
            heading: Some(method_span),
            kind: kind_text.map(|k| Located {
                text: k,
                span: method_span,
            }),
            inputs,
            output: output.map(|o| Located {
                text: o,
                span: method_span,
            }),
            rules: Vec::new(),
            // Error codes are the spec's vocabulary: only `scaffold openapi` writes them.
            errors: op
                .get("x-scaffold-errors")
                .map_or(&[][..], Node::items)
                .iter()
                .filter_map(|c| Some(self.located(c.text()?, c)))
                .collect(),
            description,
        };
        let endpoint = RawEndpoint {
            method: Located {
                text: method.to_ascii_uppercase(),
                span: method_span,
            },
            path: Located {
                text: new_path,
                span: path_span,
            },
            operation: Located {
                text: name,
                span: name_span,
            },
            status: success
                .map(|(s, node)| self.located(s.to_string(), node))
                .map(|mut l| {
                    // The status key sits just before its response object; point at the object.
                    l.span = Span::new(self.file, l.span.start, l.span.start);
                    l
                }),
            errors: error_statuses
                .iter()
                .map(|s| Located {
                    text: s.to_string(),
                    span: method_span,
                })
                .collect(),
            shape: crate::model::EndpointShape {
                request_wrapper,
                response_wrapper,
                response_count,
                secured,
            },
        };
        (operation, endpoint)
    }

    /// The path every server URL shares (`/api/v1` of
    /// `http://localhost:8080/api/v1`), or Swagger's `basePath`; empty when
    /// the servers disagree or name a variable.
    fn base_path(&self) -> String {
        let of = |url: &str| {
            let path = match url.split_once("://") {
                Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
                None => url,
            };
            path.trim_end_matches('/').to_string()
        };
        let paths: Vec<String> = self
            .root
            .get("servers")
            .map_or(&[][..], Node::items)
            .iter()
            .filter_map(|s| s.str("url"))
            .chain(self.root.str("basePath"))
            .map(of)
            .collect();
        match paths.first() {
            Some(first)
                if first.starts_with('/')
                    && !first.contains(['{', '}', ':', '?', '#', ' '])
                    && paths.iter().all(|p| p == first)
                    // Some contracts repeat the prefix in every path.
                    && !self
                        .root
                        .get("paths")
                        .map_or(&[][..], Node::entries)
                        .iter()
                        .filter_map(|(k, _)| k.text())
                        .any(|p| p == *first || p.starts_with(&format!("{first}/"))) =>
            {
                first.clone()
            }
            _ => String::new(),
        }
    }

    /// The field of `entity` a property or parameter names: the data model's
    /// spelling when it is known (`externalId` is `ExternalId` or
    /// `external_id`), else the entity schema's property.
    fn field_of(&self, entity: &str, name: &str, props: &[(String, &Node)]) -> Option<String> {
        let same = |field: &str| field == name || case::snake(field) == case::snake(name);
        match self.known {
            Some(known) => known.fields(entity)?.iter().find(|f| same(f)).cloned(),
            None => props.iter().map(|(p, _)| p).find(|p| same(p)).cloned(),
        }
    }

    /// The `unique` field of `entity` a path parameter names (`{slug}`): the
    /// item is looked up by it. Only the data model says what is unique.
    fn unique_field(&self, entity: &str, name: &str) -> Option<String> {
        let known = self.known?;
        let field = known.field(entity, name)?;
        known
            .unique
            .iter()
            .any(|(e, f)| e == entity && *f == field)
            .then_some(field)
    }

    /// The field of exactly one entity that has this name (`customer_id`).
    fn unique_owner(&self, name: &str) -> Option<String> {
        let owners: Vec<String> = match self.known {
            Some(known) => known
                .entities
                .iter()
                .filter_map(|(_, fields)| {
                    fields
                        .iter()
                        .find(|f| *f == name || case::snake(f) == case::snake(name))
                        .cloned()
                })
                .collect(),
            None => self
                .schemas()
                .iter()
                .filter_map(|(k, v)| Some((k.text()?, v)))
                .filter(|(k, _)| self.is_entity(k))
                .filter(|(_, v)| self.properties(v).iter().any(|(p, _)| p == name))
                .map(|_| name.to_string())
                .collect(),
        };
        match owners.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        }
    }

    /// A path parameter named like the key of a component schema (`order_id`)
    /// resolves to that entity's key in the model, so it needs no declared type.
    fn names_schema_key(&self, name: &str) -> bool {
        if let Some(known) = self.known {
            return known
                .entities
                .iter()
                .any(|(e, _)| format!("{}_id", case::snake(e)) == name);
        }
        self.schemas().iter().any(|(k, _)| {
            k.text()
                .is_some_and(|k| format!("{}_id", case::snake(&k)) == name && self.is_entity(&k))
        })
    }

    /// A request body carries entity `E` when it is `E` itself or a schema
    /// named for it (`CreateTodoRequest`, `TodoInput`, `NewTodo`, `TodoUpdate`).
    fn body_entity(&self, body: &'a Node) -> Option<String> {
        if let Some(Carried {
            entity,
            list: false,
        }) = self.carried(body, 0)
        {
            return Some(entity);
        }
        let name = Self::schema_name(body)?;
        let mut core = name;
        for prefix in ["Create", "Update", "New", "Patch", "Put", "Add", "Edit"] {
            core = core.strip_prefix(prefix).unwrap_or(core);
        }
        for suffix in [
            "Request", "Input", "Payload", "Body", "Dto", "DTO", "Params", "Data", "Create",
            "Update", "Patch",
        ] {
            core = core.strip_suffix(suffix).unwrap_or(core);
        }
        (core != name && self.is_entity(core)).then(|| core.to_string())
    }

    fn infer_kind(
        &self,
        method: &str,
        is_item: bool,
        resource: Option<&str>,
        from_response: &Option<Carried>,
        from_body: &Option<String>,
        body: Option<&Node>,
    ) -> Option<(&'static str, String)> {
        let resource = resource?;
        let names = |entity: &str| names_resource(entity, resource);
        let single = from_response
            .as_ref()
            .filter(|c| !c.list && names(&c.entity))
            .map(|c| c.entity.clone());
        let body_entity = from_body.clone().filter(|e| names(e));
        match (method, is_item) {
            ("post", false) if body.is_some() => body_entity.or(single).map(|e| ("create", e)),
            ("get", true) => single.map(|e| ("get", e)),
            ("get", false) => from_response
                .as_ref()
                .filter(|c| c.list && names(&c.entity))
                .map(|c| ("list", c.entity.clone())),
            ("put" | "patch", true) => single.or(body_entity).map(|e| ("update", e)),
            ("delete", true) => single
                .or_else(|| self.resource_entity(resource))
                .map(|e| ("delete", e)),
            _ => None,
        }
    }

    /// The entity a path segment names (`cart-items` is `CartItem`), exact name first.
    fn resource_entity(&self, segment: &str) -> Option<String> {
        let wanted = case::pascal(&singular(segment));
        let entities: Vec<String> = match self.known {
            Some(known) => known.entities.iter().map(|(e, _)| e.clone()).collect(),
            None => self
                .schemas()
                .iter()
                .filter_map(|(k, _)| k.text())
                .filter(|k| self.is_entity(k))
                .collect(),
        };
        if entities.contains(&wanted) {
            return Some(wanted);
        }
        match entities
            .iter()
            .filter(|e| e.ends_with(&wanted))
            .collect::<Vec<_>>()
            .as_slice()
        {
            [only] => Some((*only).clone()),
            _ => None,
        }
    }

    /// `operationId` in PascalCase, or one made from the kind or the method and path.
    fn operation_name(
        &self,
        method: &str,
        segments: &[&str],
        op: &Node,
        kind: Option<&(&'static str, String)>,
        names: &mut Vec<String>,
    ) -> String {
        let from_id = op
            .str("operationId")
            .map(case::pascal)
            .filter(|n| n.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric()));
        let base = from_id.unwrap_or_else(|| match kind {
            Some(("list", entity)) => list_name(entity, segments),
            Some((verb, entity)) => format!("{}{entity}", case::pascal(verb)),
            None => {
                let words: Vec<String> = segments
                    .iter()
                    .filter(|s| !is_param(s) && !is_prefix(s))
                    .map(|s| case::pascal(s))
                    .collect();
                format!("{}{}", case::pascal(method), words.concat())
            }
        });
        let mut name = base.clone();
        if names.contains(&name) {
            let params: Vec<String> = segments
                .iter()
                .filter(|s| is_param(s))
                .map(|s| case::pascal(&s[1..s.len() - 1]))
                .collect();
            name = format!("{base}By{}", params.concat());
            let mut n = 2;
            while names.contains(&name) {
                name = format!("{base}{n}");
                n += 1;
            }
        }
        names.push(name.clone());
        name
    }
}

/// `ListShelves` for `GET /shelves`: the path has the plural people wrote
/// (`/carts/{id}/items` for `CartItem` is `ListCartItems`).
pub(crate) fn list_name(entity: &str, segments: &[&str]) -> String {
    let resource = segments.iter().rev().find(|s| !is_param(s));
    if let Some(resource) = resource.filter(|r| names_resource(entity, r)) {
        let one = case::pascal(&singular(resource));
        let prefix = entity.strip_suffix(one.as_str()).unwrap_or_default();
        return format!("List{prefix}{}", case::pascal(resource));
    }
    format!("List{}", case::pascal(&case::plural(&case::snake(entity))))
}

/// The first segment that mixes a parameter with text (`{name}.json`,
/// `{id}:cancel`), or that is no path at all (`a:b`).
pub(crate) fn mixed_segment(path: &str) -> Option<&str> {
    path.split('/').find(|s| {
        (s.contains(['{', '}']) && !(s.starts_with('{') && s.ends_with('}') && s.len() > 2))
            || (!s.starts_with('{') && s.contains(':'))
            || (s.starts_with('{') && s[1..].contains(['{', '}', ':']) && !s.ends_with('}'))
    })
}

fn is_param(segment: &str) -> bool {
    segment.len() > 2 && segment.starts_with('{') && segment.ends_with('}')
}

/// Route prefixes that say nothing about the resource (`/api/v1/...`).
fn is_prefix(segment: &str) -> bool {
    segment.eq_ignore_ascii_case("api")
        || (segment.len() > 1
            && segment.starts_with(['v', 'V'])
            && segment[1..].chars().all(|c| c.is_ascii_digit()))
}

/// Whether a path segment names the entity: `todos` names `Todo`, `items` names `CartItem`.
fn names_resource(entity: &str, segment: &str) -> bool {
    let wanted = case::pascal(&singular(segment));
    !wanted.is_empty() && (entity == wanted || entity.ends_with(&wanted))
}

/// The name of an item's key parameter. In a document `scaffold openapi`
/// wrote (`ours`), the name stays as the model had it (`id`, `sku`). Elsewhere
/// `{id}`, `{todoId}` or `{todo_id}` become the entity's key input `todo_id`,
/// which resolves to the key however the data model spells it (`Id`, `id`).
/// `None` for a parameter that is no key (`{slug}`).
fn key_name(param: &str, entity: &str, props: &[(String, &Node)], ours: bool) -> Option<String> {
    let snake = case::snake(param);
    let key = format!("{}_id", case::snake(entity));
    if ours {
        if props
            .iter()
            .any(|(p, schema)| p == param && (schema.bool("readOnly") == Some(true) || p == "id"))
        {
            return Some(param.to_string());
        }
        if let Some((p, _)) = props
            .iter()
            .find(|(p, _)| case::snake(p) == key && snake == key)
        {
            return Some(p.clone());
        }
    }
    (snake == "id" || snake.ends_with("_id")).then_some(key)
}

fn is_key_like(property: &str, entity: &str) -> bool {
    let snake = case::snake(property);
    snake == "id" || snake == format!("{}_id", case::snake(entity))
}

/// A parent's key in a nested path: `{id}` after `lists` is `list_id`.
fn parent_key(param: &str, previous: &str) -> String {
    let snake = case::snake(param);
    if snake == "id" && !previous.is_empty() {
        format!("{}_id", case::snake(&singular(previous)))
    } else {
        snake
    }
}

/// A naive English singular for route segments (`categories`, `boxes`, `todos`).
pub(crate) fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    for (plural, one) in [("people", "person"), ("children", "child"), ("men", "man")] {
        if lower.ends_with(plural) {
            return format!("{}{one}", &word[..word.len() - plural.len()]);
        }
    }
    if lower.ends_with("lves") {
        return format!("{}f", &word[..word.len() - 3]);
    }
    if let Some(stem) = lower.strip_suffix("ies") {
        return format!("{}y", &word[..stem.len()]);
    }
    for suffix in ["sses", "xes", "ches", "shes"] {
        if lower.ends_with(suffix) {
            return word[..word.len() - 2].to_string();
        }
    }
    if lower.ends_with('s') && !lower.ends_with("ss") && !lower.ends_with("us") {
        return word[..word.len() - 1].to_string();
    }
    word.to_string()
}

/// `enum(a, b)` when every value is a word the type grammar accepts.
fn enum_type(schema: &Node) -> Option<String> {
    let values: Vec<String> = schema
        .get("enum")?
        .items()
        .iter()
        .filter_map(Node::text)
        .collect();
    let ok = !values.is_empty()
        && values.iter().all(|v| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        });
    ok.then(|| format!("enum({})", values.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singulars() {
        for (plural, want) in [
            ("todos", "todo"),
            ("categories", "category"),
            ("boxes", "box"),
            ("cart-items", "cart-item"),
            ("status", "status"),
            ("address", "address"),
            ("shelves", "shelf"),
            ("people", "person"),
        ] {
            assert_eq!(singular(plural), want);
        }
    }

    #[test]
    fn resources() {
        assert!(names_resource("CartItem", "items"));
        assert!(names_resource("CartItem", "cart-items"));
        assert!(!names_resource("Order", "cancel"));
    }
}
