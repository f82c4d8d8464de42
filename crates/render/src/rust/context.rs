//! Lowers a validated domain into the template context of the Rust packs.
//!
//! The context carries Rust spellings (identifiers, types, literals, statement
//! lines) so that templates stay mostly loops and interpolation. Its shape is
//! documented in docs/templates.md; changing it is a breaking change for
//! projects that override templates.

use serde::Serialize;

use scaffold_parser::{
    Domain, Entity, Field, Input, InputSource, Operation, Type, Verb, case, lookup_field,
    lookup_input,
};

use super::types::{self, lit, rust_type};
use super::{names, pattern};

#[derive(Debug, Serialize)]
pub struct DomainContext {
    pub name: String,
    pub module: String,
    pub specs: Vec<String>,
    pub service: String,
    pub error: String,
    pub enums: Vec<EnumContext>,
    pub structs: Vec<StructContext>,
    pub entities: Vec<EntityContext>,
    pub operations: Vec<OperationContext>,
    pub routes: Vec<RouteContext>,
    pub endpoints: Vec<EndpointContext>,
    pub errors: Vec<ErrorContext>,
    pub patterns: Vec<PatternContext>,
    pub has_free_operations: bool,
    /// Whether routes.rs gets a test module (free operations' tests go to service.rs).
    pub has_endpoint_tests: bool,
    pub uses_path_value: bool,
    /// Whether service.rs tests free operations through the router.
    pub has_stub_tests: bool,
    /// The `use` paths routes.rs needs: only what its handlers use, so nothing is unused.
    pub route_imports: Vec<String>,
    /// Whether the routes' tests build sample values (models are not always imported).
    pub route_tests_use_samples: bool,
    pub stubs_use_path_value: bool,
    /// Whether some endpoint is protected: handlers take the owned `Caller`.
    pub uses_caller: bool,
    /// Whether the routes' (or the service's stub) tests send credentials.
    pub route_tests_as_caller: bool,
    pub stub_tests_as_caller: bool,
    /// Whether some stub test sends without credentials (`send` is imported).
    pub stub_tests_use_send: bool,
}

#[derive(Debug, Serialize)]
pub struct EnumContext {
    pub rust: String,
    pub variants: Vec<VariantContext>,
}

#[derive(Debug, Serialize)]
pub struct VariantContext {
    pub name: String,
    pub rust: String,
    pub default: bool,
}

#[derive(Debug, Serialize)]
pub struct StructContext {
    pub rust: String,
    pub doc: String,
    pub sample_fn: String,
    pub fields: Vec<FieldContext>,
    /// Statements pushing a `FieldError` for each broken constraint.
    pub checks: Vec<String>,
    pub invalid_cases: Vec<InvalidCase>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldContext {
    pub name: String,
    pub ident: String,
    pub ty: String,
    pub attrs: Vec<String>,
    pub doc: String,
    pub sample: String,
}

#[derive(Debug, Serialize)]
pub struct InvalidCase {
    pub test: String,
    pub field: String,
    pub ident: String,
    pub value: String,
    pub rule: String,
}

#[derive(Debug, Serialize)]
pub struct EntityContext {
    pub name: String,
    pub rust: String,
    pub repository: String,
    pub in_memory: String,
    pub accessor: String,
    pub key_type: String,
    pub key_ident: String,
    pub key_name: String,
    /// Expression for a fresh key (inside the in-memory repository, `items` is the map).
    pub next_key: String,
    /// `items` when `next_key` reads the map, `_` otherwise.
    pub next_key_param: String,
    /// `item.id` or `item.id.clone()`: keys that are `Copy` are not cloned.
    pub key_of_item: String,
}

#[derive(Debug, Serialize)]
pub struct OperationContext {
    pub name: String,
    pub method: String,
    /// `method` without `r#`, for test names.
    pub test_name: String,
    pub doc: Vec<String>,
    pub free: bool,
    pub params: Vec<Param>,
    pub output: String,
    pub body: Vec<String>,
    /// For stub tests: how to call it with sample values.
    pub call_args: Vec<String>,
    /// Whether an endpoint serves it (its 501 is then tested through the router).
    pub routed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub ident: String,
    pub ty: String,
}

#[derive(Debug, Serialize)]
pub struct RouteContext {
    pub path: String,
    /// `routing::get(a).post(b)`
    pub methods: String,
}

#[derive(Debug, Serialize)]
pub struct EndpointContext {
    pub method: String,
    pub path: String,
    pub handler: String,
    pub operation: String,
    pub status: String,
    pub status_code: u16,
    pub path_params: Vec<Param>,
    /// `Json` or `Query` or empty.
    pub extractor: String,
    /// The extractor's full path (`axum::Json`).
    pub extractor_path: String,
    pub body_type: String,
    /// Statements between extraction and the service call.
    pub prepare: Vec<String>,
    pub call_args: Vec<String>,
    pub has_output: bool,
    /// What the handler answers with: `output`, or it wrapped (`GetArticleResponse { article: output }`).
    pub output_expr: String,
    /// Protected (OpenAPI `security`): the handler takes a `Caller` (401 without one).
    pub secured: bool,
    pub tests: Vec<EndpointTest>,
}

#[derive(Debug, Serialize)]
pub struct EndpointTest {
    pub name: String,
    pub seed: Option<String>,
    /// `seeded`, or `_seeded` when the test does not read it.
    pub seed_binding: String,
    pub uri: String,
    pub body: Option<String>,
    pub status: u16,
    pub check: Option<String>,
    /// A free operation's 501: rendered into the owned service file, not the routes.
    pub stub: bool,
    /// Sent with `caller::TEST_AUTHORIZATION` (the endpoint is protected).
    pub as_caller: bool,
}

#[derive(Debug, Serialize)]
pub struct ErrorContext {
    pub code: String,
    pub variant: String,
    pub http: u16,
    pub status: String,
    pub message: String,
    pub message_lit: String,
}

#[derive(Debug, Serialize)]
pub struct PatternContext {
    pub name: String,
    pub pattern: String,
}

/// A problem only this stack has (a name Rust cannot spell, an impossible sample).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackProblem {
    pub message: String,
    pub hint: String,
}

pub fn status_expr(code: u16) -> String {
    let name = match code {
        200 => "OK",
        201 => "CREATED",
        202 => "ACCEPTED",
        204 => "NO_CONTENT",
        400 => "BAD_REQUEST",
        401 => "UNAUTHORIZED",
        402 => "PAYMENT_REQUIRED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        409 => "CONFLICT",
        410 => "GONE",
        412 => "PRECONDITION_FAILED",
        413 => "PAYLOAD_TOO_LARGE",
        415 => "UNSUPPORTED_MEDIA_TYPE",
        422 => "UNPROCESSABLE_ENTITY",
        423 => "LOCKED",
        429 => "TOO_MANY_REQUESTS",
        500 => "INTERNAL_SERVER_ERROR",
        501 => "NOT_IMPLEMENTED",
        502 => "BAD_GATEWAY",
        503 => "SERVICE_UNAVAILABLE",
        _ => {
            return format!(
                "StatusCode::from_u16({code}).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)"
            );
        }
    };
    format!("StatusCode::{name}")
}

struct Builder<'d> {
    domain: &'d Domain,
    problems: Vec<StackProblem>,
    structs: Vec<StructContext>,
    enums: Vec<EnumContext>,
    patterns: Vec<PatternContext>,
}

/// Builds the context, or every reason this domain cannot be generated for Rust.
pub fn build(domain: &Domain) -> Result<DomainContext, Vec<StackProblem>> {
    let mut b = Builder {
        domain,
        problems: Vec::new(),
        structs: Vec::new(),
        enums: Vec::new(),
        patterns: Vec::new(),
    };
    b.check_names();
    if !b.problems.is_empty() {
        return Err(b.problems);
    }
    let pascal = case::pascal(&domain.name);
    let service = format!("{pascal}Service");
    let error = format!("{pascal}Error");
    let entities: Vec<EntityContext> = domain.entities.iter().map(|e| b.entity(e)).collect();
    let operations: Vec<OperationContext> = domain
        .operations
        .iter()
        .map(|o| b.operation(o, &error))
        .collect();
    let endpoints: Vec<EndpointContext> = domain
        .endpoints
        .iter()
        .filter_map(|e| b.endpoint(e))
        .collect();
    let mut routes: Vec<RouteContext> = Vec::new();
    for endpoint in &endpoints {
        let call = format!(
            "{}({})",
            endpoint.method.to_ascii_lowercase(),
            endpoint.handler
        );
        match routes.iter_mut().find(|r| r.path == endpoint.path) {
            Some(route) => route.methods = format!("{}.{call}", route.methods),
            None => routes.push(RouteContext {
                path: endpoint.path.clone(),
                methods: format!("routing::{call}"),
            }),
        }
    }
    let errors = domain
        .errors
        .iter()
        .map(|e| ErrorContext {
            code: e.code.clone(),
            variant: names::variant(&e.code.to_ascii_lowercase()),
            http: e.http,
            status: status_expr(e.http),
            message: e.message.clone(),
            message_lit: lit(&e.message),
        })
        .collect();
    if !b.problems.is_empty() {
        return Err(b.problems);
    }
    let route_imports = route_imports(&endpoints, &b.structs, &b.enums);
    let uses_caller = endpoints.iter().any(|e| e.secured)
        || operations
            .iter()
            .any(|o| o.params.iter().any(|p| p.ident == "caller"));
    Ok(DomainContext {
        name: domain.name.clone(),
        module: names::ident(&domain.name),
        specs: domain.specs.iter().map(|s| s.path.clone()).collect(),
        service,
        error,
        enums: b.enums,
        structs: b.structs,
        entities,
        operations,
        routes,
        errors,
        patterns: b.patterns,
        has_free_operations: domain.operations.iter().any(|o| o.kind.is_none()),
        has_endpoint_tests: endpoints.iter().flat_map(|e| &e.tests).any(|t| !t.stub),
        uses_path_value: endpoints
            .iter()
            .flat_map(|e| &e.tests)
            .any(|t| !t.stub && t.uri.contains("path_value")),
        has_stub_tests: endpoints.iter().flat_map(|e| &e.tests).any(|t| t.stub),
        route_imports,
        route_tests_use_samples: endpoints.iter().flat_map(|e| &e.tests).any(|t| {
            !t.stub
                && (t
                    .seed
                    .iter()
                    .chain(&t.body)
                    .any(|code| code.contains("samples::")))
        }),
        stubs_use_path_value: endpoints
            .iter()
            .flat_map(|e| &e.tests)
            .any(|t| t.stub && t.uri.contains("path_value")),
        uses_caller,
        route_tests_as_caller: endpoints
            .iter()
            .flat_map(|e| &e.tests)
            .any(|t| !t.stub && t.as_caller),
        stub_tests_as_caller: endpoints
            .iter()
            .flat_map(|e| &e.tests)
            .any(|t| t.stub && t.as_caller),
        stub_tests_use_send: endpoints
            .iter()
            .flat_map(|e| &e.tests)
            .any(|t| t.stub && !t.as_caller),
        endpoints,
    })
}

impl Builder<'_> {
    fn problem(&mut self, message: String, hint: &str) {
        self.problems.push(StackProblem {
            message,
            hint: hint.to_string(),
        });
    }

    fn check_names(&mut self) {
        let d = self.domain;
        if d.name == "caller" && d.endpoints.iter().any(|e| e.shape.secured) {
            self.problem(
                "domain `caller` clashes with the module of the owned `Caller` extractor".into(),
                "rename the domain",
            );
        }
        for entity in d.entities.iter().filter(|e| e.primary_key().is_none()) {
            self.problem(
                format!("entity `{}` has no primary key", entity.name),
                "the spec has errors: run `scaffold lint`",
            );
        }
        let hint = "`self`, `super`, `crate` and `Self` cannot be Rust names, not even as raw identifiers: rename it in the spec";
        let mut named: Vec<(String, &str)> = vec![(format!("domain `{}`", d.name), &d.name)];
        for entity in &d.entities {
            named.push((format!("entity `{}`", entity.name), &entity.name));
            named.extend(entity.fields.iter().map(|f| {
                (
                    format!("field `{}.{}`", entity.name, f.name),
                    f.name.as_str(),
                )
            }));
        }
        for op in &d.operations {
            named.push((format!("operation `{}`", op.name), &op.name));
            named.extend(op.inputs.iter().map(|i| {
                (
                    format!("input `{}` of `{}`", i.name, op.name),
                    i.name.as_str(),
                )
            }));
        }
        if d.name == "scaffold_support" {
            self.problem(
                "domain `scaffold_support` clashes with the module every generated domain shares"
                    .into(),
                "rename the domain",
            );
        }
        for (what, name) in named {
            if names::is_forbidden(name) {
                self.problem(format!("{what} cannot be a Rust name"), hint);
            }
        }
        for op in &d.operations {
            if let Some(kind) = &op.kind {
                let entity = names::type_name(&kind.entity);
                let fits = match (kind.verb, &op.output) {
                    (_, None) => true,
                    (Verb::List, Some(Type::List(inner))) => {
                        matches!(&**inner, Type::Entity(e) if *e == kind.entity)
                    }
                    (Verb::List, Some(_)) => false,
                    (_, Some(Type::Entity(e))) => *e == kind.entity,
                    _ => false,
                };
                if !fits {
                    let want = if kind.verb == Verb::List {
                        format!("list<{}>", kind.entity)
                    } else {
                        kind.entity.clone()
                    };
                    self.problem(
                        format!("operation `{}` has kind {:?} {} but another output", op.name, kind.verb, kind.entity),
                        &format!("the generated implementation returns `{want}` (Rust `{entity}`) or nothing: change the Output, or drop the Kind and write the operation by hand"),
                    );
                }
            }
        }
        for endpoint in &d.endpoints {
            let Some(op) = d.operation(&endpoint.operation) else {
                continue;
            };
            if let Some(kind) = op.kind.as_ref().filter(|k| k.verb.takes_id()) {
                let id = lookup_input(&op.inputs, &kind.entity, d);
                if let Some(id) = id.filter(|id| !endpoint.path_params.contains(&id.name)) {
                    self.problem(
                        format!("endpoint `{} {}` does not carry `{}` in its path", endpoint.method, endpoint.path, id.name),
                        &format!("operations that look up a `{}` take its key from the path: `{}/{{{}}}`", kind.entity, endpoint.path.trim_end_matches('/'), id.name),
                    );
                }
            }
        }
    }

    fn enum_name(&self, owner: &str, field: &str) -> String {
        format!("{}{}", names::type_name(owner), case::pascal(field))
    }

    /// Declares the enum a field needs (once) and returns its name.
    fn declare_enum(&mut self, owner: &str, field: &Field) -> String {
        let name = self.enum_name(owner, &field.name);
        let mut inner = &field.ty;
        while let Type::List(t) = inner {
            inner = t;
        }
        if let Type::Enum(variants) = inner {
            if !self.enums.iter().any(|e| e.rust == name) {
                let default = field.default.clone().unwrap_or_else(|| variants[0].clone());
                self.enums.push(EnumContext {
                    rust: name.clone(),
                    variants: variants
                        .iter()
                        .map(|v| VariantContext {
                            name: v.clone(),
                            rust: names::variant(v),
                            default: *v == default,
                        })
                        .collect(),
                });
            }
        }
        name
    }

    fn field_context(
        &mut self,
        owner: &str,
        field: &Field,
        enum_name: &str,
        force_optional: bool,
    ) -> FieldContext {
        let inner = rust_type(&field.ty, enum_name);
        let optional = !field.required || force_optional;
        let ident = names::ident(&field.name);
        let mut attrs = Vec::new();
        if ident.trim_start_matches("r#") != field.name {
            attrs.push(format!("#[serde(rename = {})]", lit(&field.name)));
        }
        if optional {
            attrs.push("#[serde(skip_serializing_if = \"Option::is_none\")]".to_string());
        }
        let sample = if optional {
            "None".to_string()
        } else {
            match types::sample(field, enum_name) {
                Ok(s) => s,
                Err(message) => {
                    self.problem(
                        format!("{owner}: {message}"),
                        "simplify the pattern, or loosen the length bounds",
                    );
                    "Default::default()".to_string()
                }
            }
        };
        FieldContext {
            name: field.name.clone(),
            ident,
            ty: if optional {
                format!("Option<{inner}>")
            } else {
                inner
            },
            attrs,
            doc: field.description.clone(),
            sample,
        }
    }

    /// Validation statements and the test cases that break each of them.
    fn checks(
        &mut self,
        owner: &str,
        field: &Field,
        enum_name: &str,
        optional: bool,
        checks: &mut Vec<String>,
        cases: &mut Vec<InvalidCase>,
    ) {
        let ident = names::ident(&field.name);
        let plain = names::plain(&field.name);
        let name = lit(&field.name);
        let mut rules: Vec<(String, String, String, Option<String>)> = Vec::new(); // (rule, condition, message, bad value)
        let ty = &field.ty;
        if ty.is_numeric() {
            if let Some(min) = field.min {
                let bad = (min - 1.0 >= bound_floor(ty)).then(|| types::number(ty, min - 1.0));
                rules.push((
                    "min".into(),
                    format!("*value < {}", types::number(ty, min)),
                    format!("must be at least {min}"),
                    bad,
                ));
            }
            if let Some(max) = field.max {
                let bad = (max + 1.0 <= bound_ceiling(ty)).then(|| types::number(ty, max + 1.0));
                rules.push((
                    "max".into(),
                    format!("*value > {}", types::number(ty, max)),
                    format!("must be at most {max}"),
                    bad,
                ));
            }
        } else if ty.is_text() {
            if let Some(min) = field.min.filter(|m| *m > 0.0) {
                let bad = format!("{}.to_string()", lit(&"a".repeat(min as usize - 1)));
                rules.push((
                    "min_length".into(),
                    format!("value.chars().count() < {}", min as usize),
                    format!("must have at least {min} characters"),
                    Some(bad),
                ));
            }
            if let Some(max) = field.max {
                let bad = format!("\"a\".repeat({})", max as usize + 1);
                rules.push((
                    "max_length".into(),
                    format!("value.chars().count() > {}", max as usize),
                    format!("must have at most {max} characters"),
                    Some(bad),
                ));
            }
            if let Some(p) = &field.pattern {
                // One compiled regex per distinct pattern, named after its first field.
                let static_name = match self.patterns.iter().find(|known| known.pattern == lit(p)) {
                    Some(known) => known.name.clone(),
                    None => {
                        let name = format!(
                            "{}_{}_PATTERN",
                            case::snake(owner).to_ascii_uppercase(),
                            plain.to_ascii_uppercase()
                        );
                        self.patterns.push(PatternContext {
                            name: name.clone(),
                            pattern: lit(p),
                        });
                        name
                    }
                };
                let bad = pattern::not_matching(p).map(|s| format!("{}.to_string()", lit(&s)));
                rules.push((
                    "pattern".into(),
                    format!("!{static_name}.is_match(value)"),
                    format!("must match {p}"),
                    bad,
                ));
            }
        } else if let Type::List(_) = ty {
            if let Some(min) = field.min.filter(|m| *m > 0.0) {
                rules.push((
                    "min_items".into(),
                    format!("value.len() < {}", min as usize),
                    format!("must have at least {min} items"),
                    Some("Vec::new()".into()),
                ));
            }
            if let Some(max) = field.max {
                let item_field = Field {
                    min: None,
                    max: None,
                    pattern: None,
                    ty: list_item(ty).clone(),
                    ..field.clone()
                };
                let bad = types::sample(&item_field, enum_name)
                    .ok()
                    .map(|s| format!("vec![{s}; {}]", max as usize + 1));
                rules.push((
                    "max_items".into(),
                    format!("value.len() > {}", max as usize),
                    format!("must have at most {max} items"),
                    bad,
                ));
            }
        }
        for (rule, condition, message, bad) in rules {
            let push = format!(
                "errors.push(FieldError {{ field: {name}, message: {}.to_string() }});",
                lit(&message)
            );
            checks.push(if optional {
                format!("if self.{ident}.as_ref().is_some_and(|value| {condition}) {{ {push} }}")
            } else {
                format!("{{ let value = &self.{ident}; if {condition} {{ {push} }} }}")
            });
            if let Some(bad) = bad {
                cases.push(InvalidCase {
                    test: format!("{}_{plain}_{rule}", case::snake(owner)),
                    field: field.name.clone(),
                    ident: ident.clone(),
                    value: if optional {
                        format!("Some({bad})")
                    } else {
                        bad
                    },
                    rule,
                });
            }
        }
    }

    fn push_struct(&mut self, rust: String, doc: String, fields: Vec<(&Field, String, bool)>) {
        let mut contexts = Vec::new();
        let mut checks = Vec::new();
        let mut invalid_cases = Vec::new();
        for (field, enum_name, force_optional) in fields {
            contexts.push(self.field_context(&rust, field, &enum_name, force_optional));
            self.checks(
                &rust,
                field,
                &enum_name,
                !field.required || force_optional,
                &mut checks,
                &mut invalid_cases,
            );
        }
        let sample_fn = format!("{}_sample", case::snake(&rust));
        self.structs.push(StructContext {
            rust,
            doc,
            sample_fn,
            fields: contexts,
            checks,
            invalid_cases,
        });
    }

    /// A struct made of an operation's inputs (its input, or the body part of it).
    fn push_input_struct(
        &mut self,
        op: &Operation,
        rust: String,
        doc: String,
        inputs: &[&Input],
        force_optional: bool,
    ) {
        let fields: Vec<(Field, String)> = inputs.iter().map(|i| self.input_field(op, i)).collect();
        let refs = fields
            .iter()
            .map(|(f, e)| (f, e.clone(), force_optional))
            .collect();
        self.push_struct(rust, doc, refs);
    }

    fn entity(&mut self, entity: &Entity) -> EntityContext {
        let rust = names::type_name(&entity.name);
        let fields: Vec<(&Field, String, bool)> = entity
            .fields
            .iter()
            .map(|f| (f, self.declare_enum(&entity.name, f), false))
            .collect();
        self.push_struct(rust.clone(), format!("Entity `{}`.", entity.name), fields);
        let key = key(entity);
        let key_type = rust_type(&key.ty, "");
        let next_key = match key.ty {
            Type::Uuid => "uuid::Uuid::new_v4()",
            Type::String => "uuid::Uuid::new_v4().to_string()",
            _ => "items.keys().next_back().map_or(1, |last| last + 1)",
        }
        .to_string();
        EntityContext {
            name: entity.name.clone(),
            repository: format!("{rust}Repository"),
            in_memory: format!("InMemory{rust}Repository"),
            accessor: names::ident(&case::plural(&case::snake(&entity.name))),
            key_type,
            key_ident: names::ident(&key.name),
            key_name: key.name.clone(),
            next_key_param: if next_key.contains("items") {
                "items".into()
            } else {
                "_".into()
            },
            key_of_item: if key.ty == Type::String {
                format!("item.{}.clone()", names::ident(&key.name))
            } else {
                format!("item.{}", names::ident(&key.name))
            },
            next_key,
            rust,
        }
    }

    /// The field an input stands for, with its enum's name.
    fn input_field(&mut self, op: &Operation, input: &Input) -> (Field, String) {
        match &input.source {
            InputSource::Field { entity, field } => {
                let owner = self
                    .domain
                    .entity(entity)
                    .and_then(|e| e.field(field))
                    .cloned();
                let f = owner.unwrap_or_else(|| plain_field(input));
                let enum_name = self.declare_enum(entity, &f);
                (
                    Field {
                        name: input.name.clone(),
                        ..f
                    },
                    enum_name,
                )
            }
            InputSource::PrimaryKey { .. } | InputSource::Declared => {
                let f = plain_field(input);
                let enum_name = self.declare_enum(&op.name, &f);
                (f, enum_name)
            }
        }
    }

    fn id_input<'o>(&self, op: &'o Operation) -> Option<&'o Input> {
        let kind = op.kind.as_ref().filter(|k| k.verb.takes_id())?;
        lookup_input(&op.inputs, &kind.entity, self.domain)
    }

    fn operation(&mut self, op: &Operation, error: &str) -> OperationContext {
        let method = names::ident(&op.name);
        let id_input = self.id_input(op).cloned();
        let verb = op.kind.as_ref().map(|k| k.verb);
        let force_optional = matches!(verb, Some(Verb::List | Verb::Update));
        let input_struct = format!("{}Input", names::type_name(&op.name));
        let mut params = Vec::new();
        if self.takes_caller(op) {
            params.push(Param {
                ident: "caller".into(),
                ty: "&Caller".into(),
            });
        }
        if let Some(id) = &id_input {
            let (field, enum_name) = self.input_field(op, id);
            params.push(Param {
                ident: names::ident(&id.name),
                ty: rust_type(&field.ty, &enum_name),
            });
        }
        let rest: Vec<&Input> = op
            .inputs
            .iter()
            .filter(|i| Some(&i.name) != id_input.as_ref().map(|x| &x.name))
            .collect();
        if !rest.is_empty() {
            self.push_input_struct(
                op,
                input_struct.clone(),
                format!("Input of `{}`.", op.name),
                &rest,
                force_optional,
            );
            params.push(Param {
                ident: "input".into(),
                ty: input_struct.clone(),
            });
        }
        let output = match &op.output {
            None => "()".to_string(),
            Some(ty) => rust_type(ty, &format!("{}Output", names::type_name(&op.name))),
        };
        let mut doc = Vec::new();
        doc.push(match &op.id {
            Some(id) => format!("{id} {}.", op.name),
            None => format!("{}.", op.name),
        });
        if !op.description.is_empty() {
            doc.push(String::new());
            doc.push(op.description.clone());
        }
        if !op.rules.is_empty() {
            doc.push(String::new());
            doc.push("Rules it must enforce:".into());
            for rule in &op.rules {
                doc.push(format!("- {}: {}", rule.id, rule.text));
            }
        }
        if !op.errors.is_empty() {
            doc.push(String::new());
            doc.push(format!(
                "Errors: {}.",
                op.errors
                    .iter()
                    .map(|e| format!("`{e}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let (Some(kind), Some(id)) = (&op.kind, &id_input) {
            if let Some(field) = lookup_field(id, &kind.entity, self.domain) {
                doc.push(String::new());
                doc.push(format!(
                    "Looks the `{}` up by its unique `{}` among the listed items: a repository with an index on it can do better.",
                    kind.entity, field.name
                ));
            }
        }
        if self.takes_caller(op) {
            doc.push(String::new());
            doc.push(
                "Protected: `caller` is who calls (see caller.rs); check here what they may do."
                    .into(),
            );
        }
        let body = match &op.kind {
            None => {
                doc.push(String::new());
                doc.push(
                    "Free operation: answers 501 Not Implemented until its body is written.".into(),
                );
                let mut body = Vec::new();
                if !params.is_empty() {
                    let names: Vec<String> = params.iter().map(|p| p.ident.clone()).collect();
                    body.push(format!("let _ = ({},);", names.join(", ")));
                }
                body.push(format!("Err({error}::NotImplemented({}))", lit(&op.name)));
                body
            }
            Some(kind) => {
                let mut body = Vec::new();
                if self.takes_caller(op) {
                    // Who is calling (see caller.rs): check what they may do here.
                    body.push("let _ = caller;".to_string());
                }
                body.extend(self.kind_body(
                    op,
                    kind.verb,
                    &kind.entity,
                    id_input.as_ref(),
                    !rest.is_empty(),
                    error,
                ));
                body
            }
        };
        let call_args = params
            .iter()
            .map(|p| {
                if p.ident == "caller" {
                    "&Caller::default()".into()
                } else if p.ident == "input" {
                    format!(
                        "super::super::models::samples::{}_sample()",
                        case::snake(&input_struct)
                    )
                } else {
                    "Default::default()".into()
                }
            })
            .collect();
        OperationContext {
            name: op.name.clone(),
            test_name: names::plain(&op.name),
            method,
            doc,
            free: op.kind.is_none(),
            params,
            output,
            body,
            call_args,
            routed: self.domain.endpoints.iter().any(|e| e.operation == op.name),
        }
    }

    fn kind_body(
        &mut self,
        op: &Operation,
        verb: Verb,
        entity_name: &str,
        id: Option<&Input>,
        has_input: bool,
        error: &str,
    ) -> Vec<String> {
        let Some(entity) = self.domain.entity(entity_name) else {
            return vec!["unreachable!()".into()];
        };
        let rust = names::type_name(&entity.name);
        let repo = format!(
            "self.{}",
            names::ident(&case::plural(&case::snake(&entity.name)))
        );
        let not_found = op
            .errors
            .iter()
            .filter_map(|code| self.domain.error(code))
            .find(|e| e.http == 404)
            .map_or_else(
                || format!("{error}::NotFound"),
                |e| format!("{error}::{}", names::variant(&e.code.to_ascii_lowercase())),
            );
        // Looked up by a `unique` field rather than the key: found among the items.
        let by_field = id.and_then(|i| lookup_field(i, &entity.name, self.domain));
        let id_name = id.map(|i| i.name.clone()).unwrap_or_default();
        let id = id.map(|i| names::ident(&i.name)).unwrap_or_default();
        // Keys that are `Copy` must not be cloned (clippy::clone_on_copy in the host crate).
        let id_again = if key(entity).ty == Type::String {
            format!("{id}.clone()")
        } else {
            id.clone()
        };
        let key_ident = names::ident(&key(entity).name);
        let (get_call, get_again_call, delete_key) = match by_field {
            Some(field) => {
                let find = format!(
                    "{repo}.list().await?.into_iter().find(|item| item.{} == {id})",
                    names::ident(&field.name)
                );
                let key_of_item = if key(entity).ty == Type::String {
                    format!("item.{key_ident}.clone()")
                } else {
                    format!("item.{key_ident}")
                };
                (find.clone(), find, key_of_item)
            }
            None => (
                format!("{repo}.get({id}).await?"),
                format!("{repo}.get({id_again}).await?"),
                id.clone(),
            ),
        };
        let returns = op.output.is_some();
        let mut body = Vec::new();
        if has_input {
            body.push(format!("input.validate().map_err({error}::Validation)?;"));
        }
        // Inputs that are fields of the operation's own entity, by field name.
        let own: Vec<&Input> = op
            .inputs
            .iter()
            .filter(|i| matches!(&i.source, InputSource::Field { entity: e, field } if *e == entity.name && key(entity).name != *field))
            .filter(|i| by_field.is_none() || i.name != id_name)
            .collect();
        match verb {
            Verb::Create => {
                let key = key(entity);
                let mut lines = Vec::new();
                for field in &entity.fields {
                    let ident = names::ident(&field.name);
                    let enum_name = self.enum_name(&entity.name, &field.name);
                    let from_input = op.inputs.iter().find(|i| matches!(&i.source, InputSource::Field { entity: e, field: f } if *e == entity.name && *f == field.name));
                    let value = if let Some(input) = from_input {
                        format!("input.{}", names::ident(&input.name))
                    } else if field.name == key.name {
                        format!("{repo}.next_key().await?")
                    } else if let Some(default) = types::default_value(field, &enum_name) {
                        if field.required {
                            default
                        } else {
                            format!("Some({default})")
                        }
                    } else if !field.required {
                        "None".into()
                    } else {
                        types::zero(field, &enum_name)
                    };
                    lines.push(format!("{ident}: {value},"));
                }
                body.push(format!("let item = {rust} {{ {} }};", lines.join(" ")));
                body.push(format!("item.validate().map_err({error}::Validation)?;"));
                body.push(if returns {
                    format!("Ok({repo}.insert(item).await?)")
                } else {
                    format!("{repo}.insert(item).await?; Ok(())")
                });
            }
            Verb::Get => {
                let must_match = matching_checks(entity, &own, &not_found);
                if returns || !must_match.is_empty() {
                    body.push(format!("let item = {get_call}.ok_or({not_found})?;"));
                    body.extend(must_match);
                    body.push(if returns {
                        "Ok(item)".into()
                    } else {
                        "Ok(())".into()
                    });
                } else {
                    body.push(format!("{get_call}.ok_or({not_found})?;"));
                    body.push("Ok(())".into());
                }
            }
            Verb::List => {
                let filters: Vec<String> = own
                    .iter()
                    .filter_map(|input| {
                        let field = entity.field(&input_field_name(input))?;
                        let input_ident = names::ident(&input.name);
                        let field_ident = names::ident(&field.name);
                        Some(if field.required {
                            format!("input.{input_ident}.as_ref().is_none_or(|wanted| &item.{field_ident} == wanted)")
                        } else {
                            format!("input.{input_ident}.as_ref().is_none_or(|wanted| item.{field_ident}.as_ref() == Some(wanted))")
                        })
                    })
                    .collect();
                let mut filters = filters;
                filters.extend(op.inputs.iter().filter_map(|input| {
                    let field = list_filter_field(entity, input)?;
                    let (input, field) = (names::ident(&input.name), names::ident(&field.name));
                    Some(if field_required(entity, &field) {
                        format!("input.{input}.as_ref().is_none_or(|wanted| item.{field}.contains(wanted))")
                    } else {
                        format!("input.{input}.as_ref().is_none_or(|wanted| item.{field}.as_ref().is_some_and(|list| list.contains(wanted)))")
                    })
                }));
                let paging_inputs = paging_inputs(op);
                let limit = paging_inputs
                    .iter()
                    .find(|(role, _)| *role == Paging::Limit)
                    .map(|(_, input)| names::ident(&input.name));
                let paging: String = paging_inputs
                    .iter()
                    .filter_map(|(role, input)| {
                        let ident = names::ident(&input.name);
                        Some(match role {
                            Paging::Offset => format!(".skip(input.{ident}.map_or(0, |n| usize::try_from(n).unwrap_or(0)))"),
                            // Pages count from 1 and are `limit` items long.
                            Paging::Page => format!(
                                ".skip(input.{ident}.zip(input.{}).map_or(0, |(page, size)| usize::try_from(page.saturating_sub(1)).unwrap_or(0).saturating_mul(usize::try_from(size).unwrap_or(0))))",
                                limit.as_ref()?
                            ),
                            Paging::Limit => format!(".take(input.{ident}.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(0)))"),
                        })
                    })
                    .collect();
                if filters.is_empty() && paging.is_empty() {
                    body.push(format!("let items = {repo}.list().await?;"));
                } else if filters.is_empty() {
                    body.push(format!(
                        "let items = {repo}.list().await?.into_iter(){paging}.collect::<Vec<_>>();"
                    ));
                } else {
                    body.push(format!("let items = {repo}.list().await?.into_iter().filter(|item| {}){paging}.collect::<Vec<_>>();", filters.join(" && ")));
                }
                body.push(if returns {
                    "Ok(items)".into()
                } else {
                    "drop(items);\nOk(())".into()
                });
            }
            Verb::Update => {
                let assignments: Vec<String> = own
                    .iter()
                    .filter_map(|input| {
                        let field = entity.field(&input_field_name(input))?;
                        let value = if field.required {
                            "value".to_string()
                        } else {
                            "Some(value)".to_string()
                        };
                        Some(format!(
                            "if let Some(value) = input.{} {{ item.{} = {value}; }}",
                            names::ident(&input.name),
                            names::ident(&field.name)
                        ))
                    })
                    .collect();
                let binding = if assignments.is_empty() {
                    "let item"
                } else {
                    "let mut item"
                };
                body.push(format!("{binding} = {get_again_call}.ok_or({not_found})?;"));
                body.extend(assignments);
                body.push(format!("item.validate().map_err({error}::Validation)?;"));
                if returns {
                    body.push(format!(
                        "let item = {repo}.update(item).await?.ok_or({not_found})?;"
                    ));
                    body.push("Ok(item)".into());
                } else {
                    body.push(format!("{repo}.update(item).await?.ok_or({not_found})?;"));
                    body.push("Ok(())".into());
                }
            }
            Verb::Delete => {
                let must_match = matching_checks(entity, &own, &not_found);
                if returns || !must_match.is_empty() || by_field.is_some() {
                    body.push(format!("let item = {get_again_call}.ok_or({not_found})?;"));
                    body.extend(must_match);
                    body.push(format!("{repo}.delete({delete_key}).await?;"));
                    body.push(if returns {
                        "Ok(item)".into()
                    } else {
                        "Ok(())".into()
                    });
                } else {
                    body.push(format!(
                        "if !{repo}.delete({id}).await? {{ return Err({not_found}); }}"
                    ));
                    body.push("Ok(())".into());
                }
            }
        }
        body
    }

    fn endpoint(&mut self, endpoint: &scaffold_parser::Endpoint) -> Option<EndpointContext> {
        let op = self.domain.operation(&endpoint.operation)?;
        let handler = names::ident(&op.name);
        let id_input = self.id_input(op).cloned();
        let input_struct = format!("{}Input", names::type_name(&op.name));
        let rest: Vec<Input> = op
            .inputs
            .iter()
            .filter(|i| Some(&i.name) != id_input.as_ref().map(|x| &x.name))
            .cloned()
            .collect();
        let mut path_params = Vec::new();
        for name in &endpoint.path_params {
            let input = op.inputs.iter().find(|i| &i.name == name)?.clone();
            let (field, enum_name) = self.input_field(op, &input);
            path_params.push(Param {
                ident: names::ident(name),
                ty: rust_type(&field.ty, &enum_name),
            });
        }
        let from_path: Vec<&Input> = rest
            .iter()
            .filter(|i| endpoint.path_params.contains(&i.name))
            .collect();
        let from_body: Vec<&Input> = rest
            .iter()
            .filter(|i| !endpoint.path_params.contains(&i.name))
            .collect();
        let uses_query = matches!(endpoint.method.as_str(), "GET" | "DELETE");
        let mut prepare = Vec::new();
        let (extractor, body_type) =
            if rest.is_empty() || from_body.is_empty() && from_path.is_empty() {
                (String::new(), String::new())
            } else if from_path.is_empty() {
                (
                    if uses_query { "Query" } else { "Json" }.to_string(),
                    input_struct.clone(),
                )
            } else {
                // Some of the input comes from the path: the body is the rest.
                let force_optional = matches!(
                    op.kind.as_ref().map(|k| k.verb),
                    Some(Verb::List | Verb::Update)
                );
                let mut assignments: Vec<String> = from_path
                    .iter()
                    .map(|i| {
                        let ident = names::ident(&i.name);
                        let optional = !i.required || force_optional;
                        if optional {
                            format!("{ident}: Some({ident}),")
                        } else {
                            format!("{ident},")
                        }
                    })
                    .collect();
                if from_body.is_empty() {
                    prepare.push(format!(
                        "let input = {input_struct} {{ {} }};",
                        assignments.join(" ")
                    ));
                    (String::new(), String::new())
                } else {
                    let body_struct = format!("{}Body", names::type_name(&op.name));
                    if !self.structs.iter().any(|s| s.rust == body_struct) {
                        let doc = format!(
                            "Request body of `{}` (the rest of its input is in the path).",
                            op.name
                        );
                        self.push_input_struct(
                            op,
                            body_struct.clone(),
                            doc,
                            &from_body,
                            force_optional,
                        );
                    }
                    assignments.extend(from_body.iter().map(|i| {
                        let ident = names::ident(&i.name);
                        format!("{ident}: body.{ident},")
                    }));
                    prepare.push(format!(
                        "let input = {input_struct} {{ {} }};",
                        assignments.join(" ")
                    ));
                    (
                        if uses_query { "Query" } else { "Json" }.to_string(),
                        body_struct,
                    )
                }
            };
        let mut call_args = Vec::new();
        if self.takes_caller(op) {
            call_args.push(if endpoint.shape.secured {
                "&caller".to_string()
            } else {
                "&Caller::default()".to_string()
            });
        }
        if let Some(id) = &id_input {
            call_args.push(names::ident(&id.name));
        }
        if !rest.is_empty() {
            call_args.push("input".to_string());
        }
        // `{"article": {...}}` in: a struct with the one property around the body.
        let body_type = match &endpoint.shape.request_wrapper {
            Some(wrapper) if extractor == "Json" => {
                let rust = format!("{}Request", names::type_name(&op.name));
                if !self.structs.iter().any(|s| s.rust == rust) {
                    let field = Field::new(wrapper.clone(), Type::Entity(body_type.clone()), true);
                    self.push_struct(
                        rust.clone(),
                        format!(
                            "Request body of `{}`: its input wrapped in `{wrapper}`.",
                            op.name
                        ),
                        vec![(&field, String::new(), false)],
                    );
                }
                let unwrap = names::ident(wrapper);
                if prepare.is_empty() {
                    prepare.push(format!("let input = body.{unwrap};"));
                } else {
                    prepare.insert(0, format!("let body = body.{unwrap};"));
                }
                rust
            }
            _ => body_type,
        };
        // `{"article": {...}}` out: the output in a struct with the one property.
        let output_expr = match (&endpoint.shape.response_wrapper, &op.output) {
            (Some(wrapper), Some(output)) => {
                let rust = format!("{}Response", names::type_name(&op.name));
                // `{articles: [...], articlesCount}`: the count of the list beside it.
                let count = endpoint
                    .shape
                    .response_count
                    .as_ref()
                    .filter(|_| matches!(output, Type::List(_)));
                if !self.structs.iter().any(|s| s.rust == rust) {
                    let field = Field::new(wrapper.clone(), output.clone(), true);
                    let count_field = count.map(|c| Field::new(c.clone(), Type::I64, true));
                    let enum_name = format!("{}Output", names::type_name(&op.name));
                    let mut fields = vec![(&field, enum_name, false)];
                    if let Some(count_field) = &count_field {
                        fields.push((count_field, String::new(), false));
                    }
                    self.push_struct(
                        rust.clone(),
                        format!(
                            "Response body of `{}`: its output wrapped in `{wrapper}`.",
                            op.name
                        ),
                        fields,
                    );
                }
                match count {
                    Some(count) => format!(
                        "{rust} {{ {}: i64::try_from(output.len()).unwrap_or(i64::MAX), {}: output }}",
                        names::ident(count),
                        names::ident(wrapper)
                    ),
                    None => format!("{rust} {{ {}: output }}", names::ident(wrapper)),
                }
            }
            _ => "output".to_string(),
        };
        let tests = self.endpoint_tests(endpoint, op, id_input.as_ref(), &extractor, &body_type);
        Some(EndpointContext {
            method: endpoint.method.clone(),
            path: endpoint.path.clone(),
            handler,
            operation: names::ident(&op.name),
            status: status_expr(endpoint.status),
            status_code: endpoint.status,
            path_params,
            extractor_path: match extractor.as_str() {
                "Json" => "axum::Json".into(),
                "Query" => "axum::extract::Query".into(),
                _ => String::new(),
            },
            extractor,
            body_type,
            prepare,
            call_args,
            has_output: op.output.is_some(),
            output_expr,
            secured: endpoint.shape.secured,
            tests,
        })
    }

    /// The URI of a test request: the key of a seeded item, sample values for
    /// other parameters, and a query string of `(name, Rust expression of the value)`.
    fn test_uri_with(
        &mut self,
        endpoint: &scaffold_parser::Endpoint,
        op: &Operation,
        id_input: Option<&Input>,
        id_expr: &str,
        query: &[(String, String)],
    ) -> String {
        let mut format_args = Vec::new();
        let mut template = String::new();
        for segment in endpoint.path.split('/').skip(1) {
            template.push('/');
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                template.push_str("{}");
                if Some(name) == id_input.map(|i| i.name.as_str()) {
                    format_args.push(format!("path_value(&{id_expr})"));
                } else if let Some(field) =
                    id_expr
                        .strip_prefix("seeded.")
                        .and(seeded_field(self.domain, op, name))
                {
                    // A parent key in the path must be the seeded item's own value.
                    format_args.push(format!("path_value(&seeded.{})", names::ident(&field)));
                } else {
                    let sample = op
                        .inputs
                        .iter()
                        .find(|i| i.name == name)
                        .map(|i| {
                            let (field, enum_name) = self.input_field(op, i);
                            let field = Field {
                                required: true,
                                ..field
                            };
                            types::sample(&field, &enum_name)
                                .unwrap_or_else(|_| "Default::default()".into())
                        })
                        .unwrap_or_default();
                    format_args.push(format!("path_value(&{sample})"));
                }
            } else {
                template.push_str(segment);
            }
        }
        for (i, (name, value)) in query.iter().enumerate() {
            template.push(if i == 0 { '?' } else { '&' });
            template.push_str(name);
            template.push_str("={}");
            format_args.push(format!("path_value(&{value})"));
        }
        if format_args.is_empty() {
            lit(&template)
        } else {
            format!("&format!({}, {})", lit(&template), format_args.join(", "))
        }
    }

    /// The tests of an endpoint; a protected one's send credentials, and one more
    /// checks the 401 without them.
    fn endpoint_tests(
        &mut self,
        endpoint: &scaffold_parser::Endpoint,
        op: &Operation,
        id_input: Option<&Input>,
        extractor: &str,
        body_type: &str,
    ) -> Vec<EndpointTest> {
        let mut tests = self.endpoint_tests_as_caller(endpoint, op, id_input, extractor, body_type);
        if endpoint.shape.secured {
            for test in &mut tests {
                test.as_caller = true;
            }
            let uri = self.test_uri_with(endpoint, op, None, "", &[]);
            tests.push(EndpointTest {
                name: format!("{}_answers_401_without_credentials", names::plain(&op.name)),
                seed: None,
                seed_binding: String::new(),
                uri,
                body: None,
                status: 401,
                check: Some("assert!(body[\"code\"].is_string(), \"{body}\");".to_string()),
                stub: false,
                as_caller: false,
            });
        }
        tests
    }

    /// Whether an operation is served by a protected endpoint: it then takes the caller.
    fn takes_caller(&self, op: &Operation) -> bool {
        self.domain
            .endpoints
            .iter()
            .any(|e| e.operation == op.name && e.shape.secured)
    }

    fn endpoint_tests_as_caller(
        &mut self,
        endpoint: &scaffold_parser::Endpoint,
        op: &Operation,
        id_input: Option<&Input>,
        extractor: &str,
        body_type: &str,
    ) -> Vec<EndpointTest> {
        let body = (extractor == "Json").then(|| {
            format!(
                "serde_json::to_value(samples::{}_sample()).expect(\"serialize\")",
                case::snake(body_type)
            )
        });
        // Required inputs read from the query string: every request sends a sample of each.
        let query: Vec<(String, String)> = if extractor == "Query" {
            let force_optional = op
                .kind
                .as_ref()
                .is_some_and(|k| matches!(k.verb, Verb::List | Verb::Update));
            let inputs: Vec<Input> = op
                .inputs
                .iter()
                .filter(|i| {
                    i.required
                        && !force_optional
                        && Some(&i.name) != id_input.map(|x| &x.name)
                        && !endpoint.path_params.contains(&i.name)
                })
                .cloned()
                .collect();
            inputs
                .iter()
                .map(|i| {
                    let (field, enum_name) = self.input_field(op, i);
                    let value = types::sample(&field, &enum_name)
                        .unwrap_or_else(|_| "Default::default()".into());
                    (i.name.clone(), value)
                })
                .collect()
        } else {
            Vec::new()
        };
        let Some(kind) = &op.kind else {
            // A free operation answers 501 until someone writes it; the test lives in
            // the owned service file, so implementing the operation means updating it there.
            return vec![EndpointTest {
                name: format!("{}_answers_501_until_implemented", names::plain(&op.name)),
                seed: None,
                seed_binding: String::new(),
                uri: self.test_uri_with(endpoint, op, None, "", &query),
                body,
                status: 501,
                check: Some(
                    "assert_eq!(body[\"code\"], \"NOT_IMPLEMENTED\", \"{body}\");".to_string(),
                ),
                stub: true,
                as_caller: false,
            }];
        };
        let Some(entity) = self.domain.entity(&kind.entity) else {
            return Vec::new();
        };
        let entity_rust = names::type_name(&entity.name);
        let key = key(entity);
        let key_ident = names::ident(&key.name);
        let seed = (kind.verb != Verb::Create).then(|| {
            format!(
                "service.{}().insert(samples::{}_sample()).await.expect(\"seed\")",
                names::ident(&case::plural(&case::snake(&entity.name))),
                case::snake(&entity_rust)
            )
        });
        // Looked up by a `unique` field: the seeded item's value of it, and one no item has.
        let by_field = id_input.and_then(|i| lookup_field(i, &entity.name, self.domain));
        let seeded_key = match by_field {
            Some(field) => format!("seeded.{}", names::ident(&field.name)),
            None => format!("seeded.{key_ident}"),
        };
        let missing_key = match by_field {
            Some(field) if field.ty.is_text() => "\"missing\".to_string()".to_string(),
            Some(_) => "Default::default()".to_string(),
            None => entity_missing_key(entity),
        };
        let mut tests = Vec::new();
        let success_uri = self.test_uri_with(
            endpoint,
            op,
            id_input,
            if kind.verb.takes_id() {
                &seeded_key
            } else {
                ""
            },
            &query,
        );
        // The answer inside its wrapper property, if any.
        let root = match &endpoint.shape.response_wrapper {
            Some(wrapper) => format!("body[{}]", lit(wrapper)),
            None => "body".to_string(),
        };
        let check = match (kind.verb, op.output.is_some()) {
            (Verb::Get | Verb::Update, true) => Some(format!(
                "assert_eq!({root}[{}], serde_json::to_value(seeded.{key_ident}).expect(\"serialize\"));",
                lit(&key.name)
            )),
            (Verb::List, true) => Some(match &endpoint.shape.response_count {
                Some(count) => format!(
                    "assert!({root}.as_array().is_some_and(|items| !items.is_empty() && body[{}] == items.len()), \"{{body}}\");",
                    lit(count)
                ),
                None => format!(
                    "assert!({root}.as_array().is_some_and(|items| !items.is_empty()), \"{{body}}\");"
                ),
            }),
            (Verb::Create, true) => Some("assert!(body.is_object(), \"{body}\");".to_string()),
            _ => None,
        };
        tests.push(EndpointTest {
            name: format!("{}_answers_{}", names::plain(&op.name), endpoint.status),
            seed: seed.clone(),
            seed_binding: String::new(),
            uri: success_uri,
            body: body.clone(),
            status: endpoint.status,
            check,
            stub: false,
            as_caller: false,
        });
        if kind.verb == Verb::List && extractor == "Query" && op.output.is_some() {
            // Paging and filters are applied: past the one seeded item, or a value no item has.
            let mut cases: Vec<(String, Vec<(String, String)>)> = Vec::new();
            let paging = paging_inputs(op);
            let limit = paging.iter().find(|(role, _)| *role == Paging::Limit);
            for (role, input) in &paging {
                match (role, limit) {
                    (Paging::Offset, _) => cases.push((
                        format!("skips_by_{}", names::plain(&input.name)),
                        vec![(input.name.clone(), "1".into())],
                    )),
                    (Paging::Page, Some((_, limit))) => cases.push((
                        format!("skips_by_{}", names::plain(&input.name)),
                        vec![
                            (input.name.clone(), "2".into()),
                            (limit.name.clone(), "1".into()),
                        ],
                    )),
                    _ => {}
                }
            }
            for input in &op.inputs {
                let filters = match &input.source {
                    InputSource::Field { entity: e, field } => {
                        *e == entity.name
                            && *field != key.name
                            && input.ty.is_text()
                            && entity.field(field).is_some_and(|f| !f.has_constraints())
                    }
                    InputSource::Declared => {
                        list_filter_field(entity, input).is_some() && input.ty.is_text()
                    }
                    InputSource::PrimaryKey { .. } => false,
                };
                // A parent key in the path already selects: `/projects/{project_id}/tasks`
                // cannot also be filtered to nothing by a query `project_id`.
                if filters && !endpoint.path_params.contains(&input.name) {
                    cases.push((
                        format!("filters_by_{}", names::plain(&input.name)),
                        vec![(input.name.clone(), "\"zz-no-match\"".into())],
                    ));
                }
            }
            for (what, query) in cases {
                tests.push(EndpointTest {
                    name: format!("{}_{what}", names::plain(&op.name)),
                    seed: seed.clone(),
                    seed_binding: String::new(),
                    uri: self.test_uri_with(endpoint, op, id_input, "", &query),
                    body: None,
                    status: endpoint.status,
                    check: Some(format!(
                        "assert_eq!({root}, serde_json::json!([]), \"{{body}}\");"
                    )),
                    stub: false,
                    as_caller: false,
                });
            }
        }
        if kind.verb.takes_id() {
            tests.push(EndpointTest {
                name: format!("{}_answers_404_for_an_unknown_key", names::plain(&op.name)),
                seed: None,
                seed_binding: String::new(),
                uri: self.test_uri_with(endpoint, op, id_input, &missing_key, &query),
                body: body.clone(),
                status: 404,
                check: Some("assert!(body[\"code\"].is_string(), \"{body}\");".to_string()),
                stub: false,
                as_caller: false,
            });
        }
        if extractor == "Json" {
            tests.push(EndpointTest {
                name: format!(
                    "{}_answers_422_for_a_malformed_body",
                    names::plain(&op.name)
                ),
                seed: seed.clone(),
                seed_binding: String::new(),
                uri: self.test_uri_with(
                    endpoint,
                    op,
                    id_input,
                    if kind.verb.takes_id() {
                        &seeded_key
                    } else {
                        ""
                    },
                    &query,
                ),
                body: Some("serde_json::json!(\"not an object\")".to_string()),
                status: 422,
                check: Some("assert!(body[\"code\"].is_string(), \"{body}\");".to_string()),
                stub: false,
                as_caller: false,
            });
        }
        for test in &mut tests {
            let reads_seed = test.uri.contains("seeded")
                || test.check.as_ref().is_some_and(|c| c.contains("seeded"));
            test.seed_binding = if reads_seed {
                "seeded".into()
            } else {
                "_seeded".into()
            };
        }
        tests
    }
}

/// Stands in for the key of an entity that has none; `build` refuses such models first.
static NO_KEY: Field = Field::key(String::new(), Type::Uuid);

fn key(entity: &Entity) -> &Field {
    entity.primary_key().unwrap_or(&NO_KEY)
}

fn route_imports(
    endpoints: &[EndpointContext],
    structs: &[StructContext],
    enums: &[EnumContext],
) -> Vec<String> {
    let mut imports: Vec<String> = ["std::sync::Arc", "axum::Router"]
        .map(String::from)
        .to_vec();
    if !endpoints.is_empty() {
        imports.extend(
            [
                "axum::http::StatusCode",
                "axum::response::{IntoResponse, Response}",
                "axum::routing",
            ]
            .map(String::from),
        );
    }
    if endpoints.iter().any(|e| e.has_output) {
        imports.push("axum::Json".into());
    }
    let mut rejections = Vec::new();
    for (used, name) in [
        (
            endpoints.iter().any(|e| e.extractor == "Json"),
            "JsonRejection",
        ),
        (
            endpoints.iter().any(|e| !e.path_params.is_empty()),
            "PathRejection",
        ),
        (
            endpoints.iter().any(|e| e.extractor == "Query"),
            "QueryRejection",
        ),
    ] {
        if used {
            rejections.push(name);
        }
    }
    if !rejections.is_empty() {
        imports.push(format!(
            "axum::extract::rejection::{{{}}}",
            rejections.join(", ")
        ));
    }
    imports.push("super::super::scaffold_support::ApiError".into());
    if endpoints
        .iter()
        .any(|e| e.secured || e.call_args.iter().any(|a| a.contains("Caller")))
    {
        imports.push("super::super::caller::Caller".into());
    }
    // Handlers name model types in bodies, inputs built from the path, and path parameters.
    let model_types: Vec<&str> = structs
        .iter()
        .map(|s| s.rust.as_str())
        .chain(enums.iter().map(|e| e.rust.as_str()))
        .collect();
    let names_a_model = |text: &str| {
        text.split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|word| model_types.contains(&word))
    };
    let uses_models = endpoints.iter().any(|e| {
        !e.body_type.is_empty()
            || !e.prepare.is_empty()
            || e.output_expr != "output"
            || e.path_params.iter().any(|p| names_a_model(&p.ty))
    });
    if uses_models {
        imports.push("super::models::*".into());
    }
    imports
}

/// For get and delete: inputs that are fields of the entity (a parent's key in a
/// nested path, say) must match the stored item, or it counts as not found.
fn matching_checks(entity: &Entity, own: &[&Input], not_found: &str) -> Vec<String> {
    own.iter()
        .filter_map(|input| {
            let field = entity.field(&input_field_name(input))?;
            let (item, wanted) = (names::ident(&field.name), names::ident(&input.name));
            Some(if field.required && input.required {
                format!("if item.{item} != input.{wanted} {{ return Err({not_found}); }}")
            } else {
                format!("if input.{wanted}.is_some() && item.{item} != input.{wanted} {{ return Err({not_found}); }}")
            })
        })
        .collect()
}

/// The required field of the operation's entity that a path parameter stands for.
fn seeded_field(domain: &Domain, op: &Operation, param: &str) -> Option<String> {
    let kind = op.kind.as_ref()?;
    let input = op.inputs.iter().find(|i| i.name == param)?;
    match &input.source {
        InputSource::Field { entity, field } if *entity == kind.entity => domain
            .entity(entity)?
            .field(field)
            .filter(|f| f.required)
            .map(|f| f.name.clone()),
        _ => None,
    }
}

fn entity_missing_key(entity: &Entity) -> String {
    match key(entity).ty {
        Type::Uuid => "uuid::Uuid::new_v4()".into(),
        Type::String => "\"missing\".to_string()".into(),
        _ => "999_999".into(),
    }
}

fn input_field_name(input: &Input) -> String {
    match &input.source {
        InputSource::Field { field, .. } => field.clone(),
        _ => input.name.clone(),
    }
}

fn list_item(ty: &Type) -> &Type {
    match ty {
        Type::List(inner) => inner,
        other => other,
    }
}

fn plain_field(input: &Input) -> Field {
    Field::new(input.name.clone(), input.ty.clone(), input.required)
}

fn bound_floor(ty: &Type) -> f64 {
    match ty {
        Type::I32 => f64::from(i32::MIN),
        Type::I64 => i64::MIN as f64,
        _ => f64::MIN,
    }
}

fn bound_ceiling(ty: &Type) -> f64 {
    match ty {
        Type::I32 => f64::from(i32::MAX),
        Type::I64 => i64::MAX as f64,
        _ => f64::MAX,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paging {
    Offset,
    /// A page number from 1, with `Limit` items a page.
    Page,
    Limit,
}

/// The paging inputs of a list (`offset`/`skip` or `page`, then `limit`/`per_page`/`page_size`),
/// integers declared in the spec or the contract.
fn paging_inputs(op: &Operation) -> Vec<(Paging, &Input)> {
    if op.kind.as_ref().is_none_or(|k| k.verb != Verb::List) {
        return Vec::new();
    }
    let find = |names: &[&str]| {
        op.inputs.iter().find(|i| {
            matches!(i.source, InputSource::Declared)
                && matches!(i.ty, Type::I32 | Type::I64)
                && names.contains(&case::snake(&i.name).as_str())
        })
    };
    let mut out = Vec::new();
    if let Some(input) = find(&["offset", "skip"]) {
        out.push((Paging::Offset, input));
    } else if let Some(input) = find(&["page", "page_number", "page_no"]) {
        out.push((Paging::Page, input));
    }
    if let Some(input) = find(&["limit", "per_page", "page_size", "take", "size"]) {
        out.push((Paging::Limit, input));
    }
    out
}

/// A list field of the entity that a declared input of a list filters on by
/// containment: `tag` for `tags` or `tag_list`/`tagList`, of the item's type.
fn list_filter_field<'e>(entity: &'e Entity, input: &Input) -> Option<&'e Field> {
    if !matches!(input.source, InputSource::Declared) {
        return None;
    }
    let wanted = case::snake(&input.name);
    entity.fields.iter().find(|f| {
        let Type::List(item) = &f.ty else {
            return false;
        };
        let field = case::snake(&f.name);
        **item == input.ty
            && (field == case::plural(&wanted)
                || field == format!("{wanted}_list")
                || field == format!("{wanted}s"))
    })
}

fn field_required(entity: &Entity, ident: &str) -> bool {
    entity
        .fields
        .iter()
        .find(|f| names::ident(&f.name) == ident)
        .is_some_and(|f| f.required)
}
