//! The template context of every pack: the blueprint, spelled by a dialect.
//!
//! Field names are stack-neutral (`type_name`, `ident`, `sample`) and
//! documented once in docs/templates.md; changing them is a breaking change
//! for projects that override templates. Statement fields (`checks`, `body`,
//! `prepare`, a test's `uri`...) are filled only by dialects whose packs print
//! code the dialect writes (see [`Dialect::statements`]).

use serde::Serialize;

use scaffold_parser::case;

use crate::blueprint::{
    self, Blueprint, BodyFrom, Expect, Plan, RequestBody, Segment, Source, TypeName,
};
use crate::dialect::Dialect;

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
    /// Whether the routes get tests (free operations' tests go with the service).
    pub has_endpoint_tests: bool,
    /// Whether some route test fills path or query parameters.
    pub uses_path_value: bool,
    /// Whether the service's tests call free operations through the router.
    pub has_stub_tests: bool,
    /// Whether the routes' tests build sample values.
    pub route_tests_use_samples: bool,
    /// Whether some stub test fills path or query parameters.
    pub stubs_use_path_value: bool,
    /// Whether some route test, or some stub test, sends objects in a query string.
    pub uses_query_json: bool,
    pub stubs_use_query_json: bool,
    /// Whether some endpoint is protected: handlers take the owned caller.
    pub uses_caller: bool,
    /// Whether the routes' (or the service's stub) tests send credentials.
    pub route_tests_as_caller: bool,
    pub stub_tests_as_caller: bool,
    /// Whether some stub test sends without credentials.
    pub stub_tests_use_send: bool,
    /// What the routes file imports, for packs whose dialect lists them.
    pub imports: Vec<String>,
    /// `[database] engine = "postgres"`: PostgreSQL repositories are generated
    /// too (each entity's `sql`).
    pub postgres: bool,
    /// With `postgres`: the domain's part of the schema request as a string
    /// literal, for tests that create its tables in a schema of their own.
    pub schema_sql: String,
}

#[derive(Debug, Serialize)]
pub struct EnumContext {
    pub type_name: String,
    pub variants: Vec<VariantContext>,
}

#[derive(Debug, Serialize)]
pub struct VariantContext {
    /// As written in the spec: the JSON value.
    pub name: String,
    pub ident: String,
    pub default: bool,
}

#[derive(Debug, Serialize)]
pub struct StructContext {
    pub type_name: String,
    /// `entity`, `input`, `body`, `request`, `response`.
    pub role: &'static str,
    pub doc: String,
    pub sample_fn: String,
    pub fields: Vec<FieldContext>,
    pub rules: Vec<RuleContext>,
    pub invalid_cases: Vec<InvalidCaseContext>,
    /// Statements checking each rule (dialects that write them).
    pub checks: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct FieldContext {
    /// As written in the spec: the JSON name.
    pub name: String,
    /// `name` as a string literal.
    pub name_lit: String,
    pub ident: String,
    /// Whether `ident` differs from `name` (the JSON name must be given).
    pub renamed: bool,
    /// The type, optional when the field is.
    pub type_name: String,
    /// The type without optionality.
    pub inner_type: String,
    pub optional: bool,
    /// An update's input for a nullable field: absent, `null` and a value differ
    /// (`Option<Option<T>>` in Rust; `type_name` is the single optional).
    pub clearable: bool,
    /// Holds objects but is read from a query string: JSON text there.
    pub json_in_query: bool,
    pub doc: String,
    /// A valid value (the absent value when optional).
    pub sample: String,
}

#[derive(Debug, Serialize)]
pub struct RuleContext {
    pub field: String,
    pub ident: String,
    /// `min`, `max`, `min_length`, `max_length`, `pattern`, `min_items`, `max_items`.
    pub rule: &'static str,
    /// The bound as a literal (for `pattern`, the regular expression as a string literal).
    pub bound: String,
    /// For `pattern`: the constant holding the compiled expression.
    pub pattern: String,
    pub message: String,
    pub message_lit: String,
    pub optional: bool,
}

#[derive(Debug, Serialize)]
pub struct InvalidCaseContext {
    /// snake_case test name.
    pub test: String,
    pub field: String,
    pub ident: String,
    /// A literal breaking the rule.
    pub value: String,
    pub rule: &'static str,
}

#[derive(Debug, Serialize)]
pub struct EntityContext {
    pub name: String,
    pub type_name: String,
    pub repository: String,
    pub in_memory: String,
    pub accessor: String,
    pub key_type: String,
    pub key_ident: String,
    pub key_name: String,
    /// `uuid`, `text` or `int`: how a fresh key is made and whether keys are copied.
    pub key_kind: &'static str,
    pub sample_fn: String,
    /// `unique` fields other than the key, which storage enforces.
    pub unique: Vec<UniqueContext>,
    /// Some `unique` field is required: copies of one sample cannot all be stored.
    pub unique_required: bool,
    /// A text key's `max` length (fresh keys are that many hex digits).
    pub key_max_length: Option<i64>,
    /// The type of what its repository's `list` selects by (`OrderFilter`).
    pub filter: String,
    pub filters: Vec<FilterContext>,
    /// Its fields referring to another entity of the domain.
    pub references: Vec<ReferenceContext>,
    /// Fields of other entities referring to this one: its items cannot be
    /// deleted while referred to.
    pub referrers: Vec<ReferenceContext>,
    /// The primary key's constraint name (`orders_pkey`).
    pub key_constraint: String,
    /// Has-many children its repository stores with an item, in one transaction.
    pub children: Vec<ChildTableContext>,
    /// The PostgreSQL repository's statements, with `postgres` only.
    pub sql: Option<crate::storage::SqlEntityContext>,
    /// Statements a storage test runs to have a storable `item` (the items it
    /// refers to stored first, `parent_N`); empty when none can be stored (a
    /// cycle of required references). Filled by stacks that test storage.
    pub storage_code: Vec<String>,
}

/// Children an entity's repository stores with their root (an order's lines).
#[derive(Debug, Serialize)]
pub struct ChildTableContext {
    /// Their argument, and their table among the in-memory tables (`order_lines`).
    pub accessor: String,
    pub type_name: String,
    pub repository: String,
    pub in_memory: String,
    pub postgres: String,
    pub key_ident: String,
    /// The child's field holding the root's key.
    pub via_ident: String,
}

/// A value the repository's `list` selects by.
#[derive(Debug, Serialize)]
pub struct FilterContext {
    /// The filter's own field (`status`, `tags_contains`).
    pub ident: String,
    pub field: String,
    /// The entity's field compared.
    pub field_ident: String,
    /// The value's type.
    pub type_name: String,
    pub optional: bool,
    pub contains: bool,
}

/// A foreign key between two entities of a domain.
#[derive(Debug, Serialize)]
pub struct ReferenceContext {
    /// The referring field.
    pub ident: String,
    pub optional: bool,
    /// The referred (for `references`) or referring (for `referrers`) entity's
    /// repository accessor: its table among the in-memory tables.
    pub table: String,
    /// As a database would name it (`order_line_order_id_fkey`).
    pub constraint: String,
}

#[derive(Debug, Serialize)]
pub struct ParentContext {
    /// The parent's repository accessor.
    pub accessor: String,
    pub input_ident: String,
    /// The operation's 404 error code, empty for the built-in not-found error.
    pub not_found: String,
}

#[derive(Debug, Serialize)]
pub struct UniqueContext {
    pub name: String,
    pub ident: String,
    pub optional: bool,
    /// The constraint's name, as a database would call its index (`product_sku_key`).
    pub constraint: String,
    /// The spec's error for a taken value: the first 409 whose code names the
    /// field (`DUPLICATE_SKU` for `sku`); `None` answers the built-in `CONFLICT`.
    pub taken: Option<TakenContext>,
}

/// A declared error answering a unique constraint's violation.
#[derive(Debug, Serialize)]
pub struct TakenContext {
    pub variant: String,
    pub code: String,
}

#[derive(Debug, Serialize)]
pub struct ParamContext {
    pub name: String,
    pub ident: String,
    pub type_name: String,
}

#[derive(Debug, Serialize)]
pub struct OperationContext {
    pub name: String,
    /// Its function's name.
    pub method: String,
    /// `method` without escapes, for test names.
    pub test_name: String,
    pub doc: Vec<String>,
    pub free: bool,
    /// Whether an endpoint serves it.
    pub routed: bool,
    /// It takes the caller first (served by a protected endpoint).
    pub caller: bool,
    /// The key parameter (get, update, delete).
    pub key: Option<ParamContext>,
    /// The input struct's type name, empty when it takes none.
    pub input: String,
    pub input_sample_fn: String,
    /// The output type, empty when it answers nothing.
    pub output: String,
    /// A list served a page at a time: it takes the `Page` asked for and answers
    /// `Paged` items of this type (empty when not paged).
    pub paged_item: String,
    /// What a kind operation does; `None` for free operations.
    pub plan: Option<PlanContext>,
    /// Its statements (dialects that write them).
    pub body: Vec<String>,
    /// The ids of the rules it must enforce.
    pub rules: Vec<String>,
    /// The owned hook a kind operation with rules calls before it acts
    /// (`place_order_rules`); empty otherwise.
    pub rule_hook: String,
    /// Owned hooks computing required fields the input does not give (creates).
    pub value_hooks: Vec<ValueHookContext>,
}

/// An owned hook computing a field of the item a create stores.
#[derive(Debug, Serialize)]
pub struct ValueHookContext {
    /// Its function's name (`place_order_total_cents`).
    pub method: String,
    pub field: String,
    pub ident: String,
    pub type_name: String,
    /// What it answers until written.
    pub zero: String,
    /// For a field referring to another entity: until written, the hook answers
    /// the key of the first stored item of that entity (a zero key would be a
    /// reference to nothing, which storage refuses).
    pub reference: Option<HookReferenceContext>,
}

/// The entity a hook's field refers to.
#[derive(Debug, Serialize)]
pub struct HookReferenceContext {
    /// The service's accessor of its repository.
    pub accessor: String,
    /// Its filter type (`FromFilter`).
    pub filter: String,
    pub key_ident: String,
}

#[derive(Debug, Serialize)]
pub struct PlanContext {
    /// `create`, `get`, `list`, `update`, `delete`.
    pub verb: &'static str,
    pub entity: String,
    pub accessor: String,
    pub validates_input: bool,
    pub returns: bool,
    pub lookup: Option<LookupContext>,
    /// Create: every field of the new item and its value.
    pub values: Vec<ValueContext>,
    /// Get, delete: inputs the item must match. Update: inputs assigned when present.
    pub matches: Vec<MatchContext>,
    pub filters: Vec<MatchContext>,
    /// `offset`, `page` or `limit`, and the input.
    pub paging: Vec<PagingContext>,
    /// Create: parents its path names, which must exist (404).
    pub parents: Vec<ParentContext>,
    /// Create: has-many children its input gives, stored after the root.
    pub children: Vec<ChildContext>,
}

/// Has-many children a create stores after its root (an order's `lines`).
#[derive(Debug, Serialize)]
pub struct ChildContext {
    /// The input holding them.
    pub input_ident: String,
    /// The child entity's repository accessor.
    pub accessor: String,
    /// The child's key field, given a fresh key.
    pub key_ident: String,
    /// The child's field holding the root's key.
    pub via_ident: String,
}

#[derive(Debug, Serialize)]
pub struct LookupContext {
    pub input: String,
    pub ident: String,
    /// The unique field searched among the listed items, when not the key.
    pub by_field: String,
    pub by_field_ident: String,
    /// The error code of the operation's 404, empty for the built-in not-found error.
    pub not_found: String,
    pub not_found_variant: String,
}

#[derive(Debug, Serialize)]
pub struct ValueContext {
    pub field: String,
    pub ident: String,
    /// `input`, `next_key` or `value`.
    pub from: &'static str,
    pub input_ident: String,
    /// The literal, when `from` is `value`.
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct MatchContext {
    pub input: String,
    pub input_ident: String,
    pub field: String,
    pub field_ident: String,
    pub field_required: bool,
    pub input_required: bool,
    /// For filters: the field is a list that must contain the input.
    pub contains: bool,
}

#[derive(Debug, Serialize)]
pub struct PagingContext {
    pub role: &'static str,
    pub input: String,
    pub ident: String,
}

#[derive(Debug, Serialize)]
pub struct RouteContext {
    pub path: String,
    pub handlers: Vec<RouteHandler>,
}

#[derive(Debug, Serialize)]
pub struct RouteHandler {
    /// Lowercase HTTP method.
    pub method: String,
    pub handler: String,
}

#[derive(Debug, Serialize)]
pub struct EndpointContext {
    pub method: String,
    pub path: String,
    pub handler: String,
    /// The operation's function name.
    pub operation: String,
    pub status: u16,
    /// The status's constant name (`CREATED`), empty when it has none.
    pub status_name: &'static str,
    pub path_params: Vec<ParamContext>,
    /// Where each input of the operation comes from (`path`, `query`, `body`).
    pub inputs: Vec<InputContext>,
    /// `json`, `query`, or empty: how the inputs outside the path arrive.
    pub body_from: &'static str,
    /// The type read from the body or query string.
    pub body_type: String,
    /// `article` when the request body is `{"article": {...}}`.
    pub request_wrapper: String,
    pub response: Option<ResponseContext>,
    pub has_output: bool,
    pub secured: bool,
    pub takes_caller: bool,
    pub key: String,
    pub takes_input: bool,
    pub tests: Vec<TestContext>,
    /// Statements between reading the request and calling the operation.
    pub prepare: Vec<String>,
    /// The operation's arguments.
    pub call_args: Vec<String>,
    /// What the handler answers: `output`, or it wrapped.
    pub output_expr: String,
    /// A list answered a page at a time (`limit`, `offset`; `{"items", "next"}`).
    pub paged: bool,
    /// The `Location` of the created item as an expression, empty when none.
    pub location: String,
}

#[derive(Debug, Serialize)]
pub struct InputContext {
    pub name: String,
    pub ident: String,
    pub source: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ResponseContext {
    pub type_name: String,
    pub property: String,
    pub property_ident: String,
    pub count: String,
    pub count_ident: String,
}

#[derive(Debug, Serialize)]
pub struct TestContext {
    pub name: String,
    pub seed: Option<SeedContext>,
    /// `seeded`, or `_seeded` when the test does not read it.
    pub seed_binding: &'static str,
    /// Statements storing what the test needs first: the seeded item and the
    /// items it (or the body sent) refers to (dialects that write statements).
    pub seed_code: Vec<String>,
    pub method: String,
    pub path: Vec<SegmentContext>,
    pub query: Vec<QueryContext>,
    pub body: Option<BodyContext>,
    pub status: u16,
    pub expect: Option<ExpectContext>,
    /// A free operation's "not implemented": goes to the owned service file.
    pub stub: bool,
    /// Sent with the test credentials.
    pub as_caller: bool,
    /// The request's URI as an expression (dialects that write statements).
    pub uri: String,
    /// The request body as an expression.
    pub body_code: String,
    /// The check of the answer as a statement.
    pub check: String,
}

#[derive(Debug, Serialize)]
pub struct SeedContext {
    pub entity: String,
    pub accessor: String,
    pub sample_fn: String,
}

#[derive(Debug, Serialize)]
pub struct SegmentContext {
    /// A literal segment's text; empty for a parameter.
    pub text: String,
    pub name: String,
    /// A parameter's value as a literal.
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct QueryContext {
    pub name: String,
    pub value: String,
    /// The value holds objects: JSON text in the query string (`json_in_query`).
    pub json: bool,
}

#[derive(Debug, Serialize)]
pub struct BodyContext {
    /// The sample sent, empty for a malformed body.
    pub sample_fn: String,
    pub malformed: bool,
}

#[derive(Debug, Serialize)]
pub struct ExpectContext {
    /// `key_equals`, `non_empty_list`, `empty_list`, `is_object`, `error_body`, `code`.
    pub kind: &'static str,
    /// The response wrapper property the answer is inside, empty if none.
    pub root: String,
    pub key: String,
    pub count: String,
    pub code: String,
}

#[derive(Debug, Serialize)]
pub struct ErrorContext {
    pub code: String,
    pub variant: String,
    pub http: u16,
    pub status_name: &'static str,
    pub message: String,
    pub message_lit: String,
}

#[derive(Debug, Serialize)]
pub struct PatternContext {
    /// The constant's name.
    pub name: String,
    pub regex: String,
    /// `regex` as a string literal.
    pub pattern: String,
}

/// The name of an HTTP status as the constants of most frameworks spell it.
pub fn status_name(code: u16) -> &'static str {
    match code {
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
        _ => "",
    }
}

/// Spells a blueprint with a dialect.
pub fn build(bp: &Blueprint, dialect: &dyn Dialect) -> DomainContext {
    // A dialect that renames clashes knows every name of the domain first.
    let scoped = dialect.scoped(bp);
    let dialect = scoped.as_deref().unwrap_or(dialect);
    let s = Speller { dialect };
    let endpoints: Vec<EndpointContext> = bp.endpoints.iter().map(|e| s.endpoint(bp, e)).collect();
    let mut routes: Vec<RouteContext> = Vec::new();
    for e in &endpoints {
        let handler = RouteHandler {
            method: e.method.to_ascii_lowercase(),
            handler: e.handler.clone(),
        };
        match routes.iter_mut().find(|r| r.path == e.path) {
            Some(route) => route.handlers.push(handler),
            None => routes.push(RouteContext {
                path: e.path.clone(),
                handlers: vec![handler],
            }),
        }
    }
    let tests = || endpoints.iter().flat_map(|e| &e.tests);
    // What a test's request is built with: values as they are, objects as JSON.
    let fills_params = |t: &TestContext| {
        t.query.iter().any(|q| !q.json) || t.path.iter().any(|p| !p.name.is_empty())
    };
    let sends_json = |t: &TestContext| t.query.iter().any(|q| q.json);
    let mut context = DomainContext {
        name: bp.name.clone(),
        module: dialect.module(&bp.name),
        specs: bp.specs.clone(),
        service: dialect.service(&bp.name),
        error: dialect.error(&bp.name),
        enums: bp
            .enums
            .iter()
            .map(|e| EnumContext {
                type_name: dialect.type_name(&e.name),
                variants: e
                    .variants
                    .iter()
                    .map(|v| VariantContext {
                        name: v.clone(),
                        ident: dialect.variant(v),
                        default: *v == e.default,
                    })
                    .collect(),
            })
            .collect(),
        structs: bp.structs.iter().map(|st| s.structure(bp, st)).collect(),
        entities: bp.entities.iter().map(|e| s.entity(bp, e)).collect(),
        operations: bp.operations.iter().map(|o| s.operation(bp, o)).collect(),
        routes,
        errors: bp
            .errors
            .iter()
            .map(|e| ErrorContext {
                code: e.code.clone(),
                variant: dialect.error_variant(&e.code),
                http: e.http,
                status_name: status_name(e.http),
                message: e.message.clone(),
                message_lit: dialect.string(&e.message),
            })
            .collect(),
        patterns: bp
            .patterns
            .iter()
            .map(|p| PatternContext {
                name: s.pattern_name(p),
                regex: p.regex.clone(),
                pattern: dialect.string(&p.regex),
            })
            .collect(),
        has_free_operations: bp.operations.iter().any(|o| o.is_free()),
        has_endpoint_tests: tests().any(|t| !t.stub),
        uses_path_value: tests().any(|t| !t.stub && fills_params(t)),
        has_stub_tests: tests().any(|t| t.stub),
        route_tests_use_samples: tests().any(|t| {
            !t.stub && (t.seed.is_some() || t.body.as_ref().is_some_and(|b| !b.malformed))
        }),
        stubs_use_path_value: tests().any(|t| t.stub && fills_params(t)),
        uses_query_json: tests().any(|t| !t.stub && sends_json(t)),
        stubs_use_query_json: tests().any(|t| t.stub && sends_json(t)),
        uses_caller: bp.uses_caller(),
        route_tests_as_caller: tests().any(|t| !t.stub && t.as_caller),
        stub_tests_as_caller: tests().any(|t| t.stub && t.as_caller),
        stub_tests_use_send: tests().any(|t| t.stub && !t.as_caller),
        imports: Vec::new(),
        postgres: false,
        schema_sql: String::new(),
        endpoints,
    };
    context.imports = dialect.imports(bp, &context);
    dialect.statements(bp, &mut context);
    taken_errors(&mut context);
    context
}

/// Links each unique field to the spec's error for a taken value: the first
/// 409 whose code names the field (`DUPLICATE_SKU` for `sku`).
fn taken_errors(context: &mut DomainContext) {
    for entity in &mut context.entities {
        for unique in &mut entity.unique {
            let name = unique.name.to_uppercase();
            unique.taken = context
                .errors
                .iter()
                .find(|x| x.http == 409 && x.code.contains(&name))
                .map(|x| TakenContext {
                    variant: x.variant.clone(),
                    code: x.code.clone(),
                });
        }
    }
}

struct Speller<'a> {
    dialect: &'a dyn Dialect,
}

impl Speller<'_> {
    fn ident(&self, name: &str) -> String {
        self.dialect.ident(name)
    }

    fn pattern_name(&self, p: &blueprint::Pattern) -> String {
        format!(
            "{}_{}_PATTERN",
            case::snake(&self.dialect.type_name(&p.owner)).to_ascii_uppercase(),
            case::snake(&p.field).to_ascii_uppercase()
        )
    }

    fn structure(&self, bp: &Blueprint, st: &blueprint::Struct) -> StructContext {
        let d = self.dialect;
        let type_name = d.type_name(&st.name);
        let owner = case::snake(&type_name);
        StructContext {
            role: match st.role {
                blueprint::StructRole::Entity => "entity",
                blueprint::StructRole::Input => "input",
                blueprint::StructRole::Body => "body",
                blueprint::StructRole::Request => "request",
                blueprint::StructRole::Response => "response",
            },
            doc: st.doc.clone(),
            sample_fn: d.sample_fn(&st.name),
            fields: st
                .fields
                .iter()
                .map(|f| {
                    let ident = self.ident(&f.name);
                    let inner = d.ty(&f.ty);
                    FieldContext {
                        name: f.name.clone(),
                        name_lit: d.string(&f.name),
                        renamed: ident.trim_start_matches("r#") != f.name,
                        clearable: f.clearable,
                        json_in_query: f.json_in_query,
                        ident,
                        type_name: if f.optional {
                            d.optional(&inner)
                        } else {
                            inner.clone()
                        },
                        inner_type: inner,
                        optional: f.optional,
                        doc: f.doc.clone(),
                        sample: d.literal(&f.sample),
                    }
                })
                .collect(),
            rules: st
                .rules
                .iter()
                .map(|r| RuleContext {
                    field: r.field.clone(),
                    ident: self.ident(&r.field),
                    rule: r.kind.name(),
                    bound: d.literal(&r.bound),
                    pattern: r
                        .pattern
                        .map(|i| self.pattern_name(&bp.patterns[i]))
                        .unwrap_or_default(),
                    message_lit: d.string(&r.message),
                    message: r.message.clone(),
                    optional: r.optional,
                })
                .collect(),
            invalid_cases: st
                .invalid_cases
                .iter()
                .map(|c| InvalidCaseContext {
                    test: format!("{owner}_{}_{}", case::snake(&c.field), c.rule.name()),
                    field: c.field.clone(),
                    ident: self.ident(&c.field),
                    value: d.literal(&c.value),
                    rule: c.rule.name(),
                })
                .collect(),
            checks: Vec::new(),
            type_name,
        }
    }

    fn entity(&self, bp: &Blueprint, e: &blueprint::Entity) -> EntityContext {
        let d = self.dialect;
        let name = TypeName::Entity {
            name: e.name.clone(),
        };
        let type_name = d.type_name(&name);
        let derived = EntityTypes::of(&type_name);
        EntityContext {
            name: e.name.clone(),
            repository: derived.repository,
            in_memory: derived.in_memory,
            accessor: self.ident(&e.collection),
            key_type: d.ty(&e.key_ty),
            key_ident: self.ident(&e.key),
            key_name: e.key.clone(),
            key_kind: match e.key_type {
                blueprint::KeyType::Uuid => "uuid",
                blueprint::KeyType::Text => "text",
                blueprint::KeyType::Int => "int",
            },
            sample_fn: d.sample_fn(&name),
            unique: e
                .unique
                .iter()
                .map(|u| UniqueContext {
                    name: u.name.clone(),
                    ident: self.ident(&u.name),
                    optional: u.optional,
                    constraint: constraint_name(&e.name, &u.name, "key"),
                    // Filled once the dialect has named the errors (`taken_errors`).
                    taken: None,
                })
                .collect(),
            unique_required: e.unique.iter().any(|u| !u.optional),
            key_max_length: e.key_max_length,
            filter: derived.filter,
            filters: e
                .filters
                .iter()
                .map(|f| FilterContext {
                    ident: if f.contains {
                        self.ident(&format!("{}_contains", case::snake(&f.field)))
                    } else {
                        self.ident(&f.field)
                    },
                    field: f.field.clone(),
                    field_ident: self.ident(&f.field),
                    type_name: d.ty(&f.ty),
                    optional: f.optional,
                    contains: f.contains,
                })
                .collect(),
            references: e
                .references
                .iter()
                .filter_map(|r| {
                    Some(ReferenceContext {
                        ident: self.ident(&r.field),
                        optional: r.optional,
                        table: self.ident(&bp.entity(&r.entity)?.collection),
                        constraint: fkey(&e.name, &r.field),
                    })
                })
                .collect(),
            referrers: bp
                .entities
                .iter()
                .flat_map(|other| {
                    other
                        .references
                        .iter()
                        .filter(|r| r.entity == e.name)
                        .map(|r| ReferenceContext {
                            ident: self.ident(&r.field),
                            optional: r.optional,
                            table: self.ident(&other.collection),
                            constraint: fkey(&other.name, &r.field),
                        })
                })
                .collect(),
            key_constraint: constraint_name(&e.name, "", "pkey"),
            children: e
                .children
                .iter()
                .filter_map(|c| {
                    let child = bp.entity(&c.entity)?;
                    let type_name = d.type_name(&TypeName::Entity {
                        name: child.name.clone(),
                    });
                    let derived = EntityTypes::of(&type_name);
                    Some(ChildTableContext {
                        accessor: self.ident(&child.collection),
                        repository: derived.repository,
                        in_memory: derived.in_memory,
                        postgres: derived.postgres,
                        key_ident: self.ident(&child.key),
                        via_ident: self.ident(&c.via),
                        type_name,
                    })
                })
                .collect(),
            sql: None,
            storage_code: Vec::new(),
            type_name,
        }
    }

    fn param(&self, p: &blueprint::Param) -> ParamContext {
        ParamContext {
            name: p.name.clone(),
            ident: self.ident(&p.name),
            type_name: self.dialect.ty(&p.ty),
        }
    }

    fn operation(&self, bp: &Blueprint, o: &blueprint::Operation) -> OperationContext {
        let d = self.dialect;
        OperationContext {
            name: o.name.clone(),
            method: self.ident(&o.name),
            test_name: case::snake(&o.name),
            doc: o.doc.clone(),
            free: o.is_free(),
            routed: o.routed,
            caller: o.caller,
            key: o.key.as_ref().map(|k| self.param(k)),
            input: o.input.as_ref().map(|t| d.type_name(t)).unwrap_or_default(),
            input_sample_fn: o.input.as_ref().map(|t| d.sample_fn(t)).unwrap_or_default(),
            output: o.output.as_ref().map(|t| d.ty(t)).unwrap_or_default(),
            paged_item: match &o.plan {
                Plan::List {
                    entity,
                    paged: true,
                    ..
                } => d.type_name(&TypeName::Entity {
                    name: entity.clone(),
                }),
                _ => String::new(),
            },
            plan: self.plan(bp, &o.plan),
            body: Vec::new(),
            rules: o.rules.clone(),
            rule_hook: if o.has_rule_hook() {
                format!("{}_rules", case::snake(&o.name))
            } else {
                String::new()
            },
            value_hooks: self.value_hooks(bp, o),
        }
    }

    fn value_hooks(&self, bp: &Blueprint, o: &blueprint::Operation) -> Vec<ValueHookContext> {
        let d = self.dialect;
        let Plan::Create { entity, values, .. } = &o.plan else {
            return Vec::new();
        };
        let name = TypeName::Entity {
            name: entity.clone(),
        };
        let Some(st) = bp.find_struct(&name) else {
            return Vec::new();
        };
        values
            .iter()
            .filter_map(|a| {
                let blueprint::ValueFrom::Hook { zero } = &a.from else {
                    return None;
                };
                let field = st.fields.iter().find(|f| f.name == a.field)?;
                let reference = bp
                    .referred(entity, &a.field)
                    .map(|target| HookReferenceContext {
                        accessor: self.ident(&target.collection),
                        filter: EntityTypes::of(&d.type_name(&TypeName::Entity {
                            name: target.name.clone(),
                        }))
                        .filter,
                        key_ident: self.ident(&target.key),
                    });
                Some(ValueHookContext {
                    method: format!("{}_{}", case::snake(&o.name), case::snake(&a.field)),
                    field: a.field.clone(),
                    ident: self.ident(&a.field),
                    type_name: d.ty(&field.ty),
                    zero: d.literal(zero),
                    reference,
                })
            })
            .collect()
    }

    fn plan(&self, bp: &Blueprint, plan: &Plan) -> Option<PlanContext> {
        let d = self.dialect;
        let (verb, entity, validates_input, returns) = match plan {
            Plan::Free => return None,
            Plan::Create {
                entity,
                validates_input,
                returns,
                ..
            } => ("create", entity, validates_input, returns),
            Plan::Get {
                entity,
                validates_input,
                returns,
                ..
            } => ("get", entity, validates_input, returns),
            Plan::List {
                entity,
                validates_input,
                returns,
                ..
            } => ("list", entity, validates_input, returns),
            Plan::Update {
                entity,
                validates_input,
                returns,
                ..
            } => ("update", entity, validates_input, returns),
            Plan::Delete {
                entity,
                validates_input,
                returns,
                ..
            } => ("delete", entity, validates_input, returns),
        };
        let matches = |list: &[blueprint::Match]| -> Vec<MatchContext> {
            list.iter()
                .map(|m| MatchContext {
                    input: m.input.clone(),
                    input_ident: self.ident(&m.input),
                    field: m.field.clone(),
                    field_ident: self.ident(&m.field),
                    field_required: m.field_required,
                    input_required: m.input_required,
                    contains: false,
                })
                .collect()
        };
        let lookup = |l: &blueprint::Lookup| LookupContext {
            input: l.input.clone(),
            ident: self.ident(&l.input),
            by_field: l.by_field.clone().unwrap_or_default(),
            by_field_ident: l
                .by_field
                .as_ref()
                .map(|f| self.ident(f))
                .unwrap_or_default(),
            not_found: l.not_found.clone().unwrap_or_default(),
            not_found_variant: l
                .not_found
                .as_ref()
                .map(|c| d.variant(&c.to_ascii_lowercase()))
                .unwrap_or_default(),
        };
        let mut out = PlanContext {
            verb,
            entity: d.type_name(&TypeName::Entity {
                name: entity.clone(),
            }),
            accessor: bp
                .entity(entity)
                .map(|e| self.ident(&e.collection))
                .unwrap_or_default(),
            validates_input: *validates_input,
            returns: *returns,
            lookup: None,
            values: Vec::new(),
            matches: Vec::new(),
            filters: Vec::new(),
            paging: Vec::new(),
            parents: Vec::new(),
            children: Vec::new(),
        };
        match plan {
            Plan::Free => {}
            Plan::Create {
                values,
                parents,
                children,
                ..
            } => {
                out.children = children
                    .iter()
                    .filter_map(|c| {
                        let child = bp.entity(&c.table.entity)?;
                        Some(ChildContext {
                            input_ident: self.ident(&c.input),
                            accessor: self.ident(&child.collection),
                            key_ident: self.ident(&child.key),
                            via_ident: self.ident(&c.table.via),
                        })
                    })
                    .collect();
                out.parents = parents
                    .iter()
                    .map(|p| ParentContext {
                        accessor: bp
                            .entity(&p.entity)
                            .map(|e| self.ident(&e.collection))
                            .unwrap_or_default(),
                        input_ident: self.ident(&p.input),
                        not_found: p.not_found.clone().unwrap_or_default(),
                    })
                    .collect();
                out.values = values
                    .iter()
                    .map(|a| {
                        let (from, input_ident, value) = match &a.from {
                            blueprint::ValueFrom::Input { name } => {
                                ("input", self.ident(name), String::new())
                            }
                            blueprint::ValueFrom::NextKey => {
                                ("next_key", String::new(), String::new())
                            }
                            blueprint::ValueFrom::Value { value } => {
                                ("value", String::new(), d.literal(value))
                            }
                            // Dialects without owned hooks store the zero.
                            blueprint::ValueFrom::Hook { zero } => {
                                ("hook", String::new(), d.literal(zero))
                            }
                        };
                        ValueContext {
                            field: a.field.clone(),
                            ident: self.ident(&a.field),
                            from,
                            input_ident,
                            value,
                        }
                    })
                    .collect();
            }
            Plan::Get {
                lookup: l,
                matches: m,
                ..
            }
            | Plan::Delete {
                lookup: l,
                matches: m,
                ..
            } => {
                out.lookup = Some(lookup(l));
                out.matches = matches(m);
            }
            Plan::Update {
                lookup: l,
                assignments,
                ..
            } => {
                out.lookup = Some(lookup(l));
                out.matches = matches(assignments);
            }
            Plan::List {
                filters, paging, ..
            } => {
                out.filters = filters
                    .iter()
                    .map(|f| MatchContext {
                        input: f.input.clone(),
                        input_ident: self.ident(&f.input),
                        field: f.field.clone(),
                        field_ident: self.ident(&f.field),
                        field_required: f.field_required,
                        input_required: false,
                        contains: f.contains,
                    })
                    .collect();
                out.paging = paging
                    .iter()
                    .map(|(role, input)| PagingContext {
                        role: match role {
                            blueprint::Paging::Offset => "offset",
                            blueprint::Paging::Page => "page",
                            blueprint::Paging::Limit => "limit",
                        },
                        input: input.clone(),
                        ident: self.ident(input),
                    })
                    .collect();
            }
        }
        Some(out)
    }

    fn endpoint(&self, bp: &Blueprint, e: &blueprint::Endpoint) -> EndpointContext {
        let d = self.dialect;
        let tests = e.cases.iter().map(|c| self.test(bp, c)).collect();
        EndpointContext {
            method: e.method.clone(),
            path: e.path.clone(),
            handler: self.ident(&e.operation),
            operation: self.ident(&e.operation),
            status: e.status,
            status_name: status_name(e.status),
            path_params: e.path_params.iter().map(|p| self.param(p)).collect(),
            inputs: e
                .inputs
                .iter()
                .map(|i| InputContext {
                    name: i.name.clone(),
                    ident: self.ident(&i.name),
                    source: match i.source {
                        Source::Path => "path",
                        Source::Query => "query",
                        Source::Body => "body",
                    },
                })
                .collect(),
            body_from: match e.body_from {
                BodyFrom::None => "",
                BodyFrom::Json => "json",
                BodyFrom::Query => "query",
            },
            body_type: e
                .body_type
                .as_ref()
                .map(|t| d.type_name(t))
                .unwrap_or_default(),
            request_wrapper: e.request_wrapper.clone().unwrap_or_default(),
            response: e.response.as_ref().map(|w| ResponseContext {
                type_name: d.type_name(&w.ty),
                property: w.property.clone(),
                property_ident: self.ident(&w.property),
                count: w.count.clone().unwrap_or_default(),
                count_ident: w.count.as_ref().map(|c| self.ident(c)).unwrap_or_default(),
            }),
            has_output: e.has_output,
            secured: e.secured,
            takes_caller: e.takes_caller,
            key: e.key.clone().unwrap_or_default(),
            takes_input: e.takes_input,
            tests,
            prepare: Vec::new(),
            call_args: Vec::new(),
            output_expr: String::new(),
            paged: e.paged,
            location: String::new(),
        }
    }

    fn test(&self, bp: &Blueprint, c: &blueprint::Case) -> TestContext {
        let d = self.dialect;
        TestContext {
            name: c.name.clone(),
            seed: c.seed.as_ref().map(|entity| SeedContext {
                entity: entity.clone(),
                accessor: bp
                    .entity(entity)
                    .map(|e| self.ident(&e.collection))
                    .unwrap_or_default(),
                sample_fn: d.sample_fn(&TypeName::Entity {
                    name: entity.clone(),
                }),
            }),
            seed_binding: if c.reads_seed { "seeded" } else { "_seeded" },
            seed_code: Vec::new(),
            method: c.request.method.clone(),
            path: c
                .request
                .path
                .iter()
                .map(|s| match s {
                    Segment::Literal { text } => SegmentContext {
                        text: text.clone(),
                        name: String::new(),
                        value: String::new(),
                    },
                    Segment::Param { name, value } => SegmentContext {
                        text: String::new(),
                        name: name.clone(),
                        value: d.literal(value),
                    },
                })
                .collect(),
            query: c
                .request
                .query
                .iter()
                .map(|(name, value)| QueryContext {
                    name: name.clone(),
                    value: d.literal(value),
                    json: value.holds_object(),
                })
                .collect(),
            body: c.request.body.as_ref().map(|b| match b {
                RequestBody::Sample { ty } => BodyContext {
                    sample_fn: d.sample_fn(ty),
                    malformed: false,
                },
                RequestBody::Malformed => BodyContext {
                    sample_fn: String::new(),
                    malformed: true,
                },
            }),
            status: c.status,
            expect: c.expect.as_ref().map(|x| {
                let (kind, root, key, count, code) = match x {
                    Expect::KeyEquals { root, key } => {
                        ("key_equals", root.clone(), key.clone(), None, "")
                    }
                    Expect::NonEmptyList { root, count } => (
                        "non_empty_list",
                        root.clone(),
                        String::new(),
                        count.clone(),
                        "",
                    ),
                    Expect::EmptyList { root } => {
                        ("empty_list", root.clone(), String::new(), None, "")
                    }
                    Expect::IsObject => ("is_object", None, String::new(), None, ""),
                    Expect::ErrorBody => ("error_body", None, String::new(), None, ""),
                    Expect::Code { code } => ("code", None, String::new(), None, code.as_str()),
                };
                ExpectContext {
                    kind,
                    root: root.unwrap_or_default(),
                    key,
                    count: count.unwrap_or_default(),
                    code: code.to_string(),
                }
            }),
            stub: c.stub,
            as_caller: c.as_caller,
            uri: String::new(),
            body_code: String::new(),
            check: String::new(),
        }
    }
}

/// A foreign key's name as the schema request names it without a
/// `[database]` mapping (`order_lines_order_id_fkey`); `storage::fill` puts
/// the mapped names in.
fn fkey(entity: &str, field: &str) -> String {
    constraint_name(entity, field, "fkey")
}

/// `<table>_<column>_<suffix>` (`<table>_<suffix>` without a field) with the
/// schema's default names: the one rule `scaffold schema` follows.
fn constraint_name(entity: &str, field: &str, suffix: &str) -> String {
    use scaffold_schema::names;
    let table = names::default_table(entity);
    if field.is_empty() {
        names::object_name(&[&table, suffix])
    } else {
        names::object_name(&[&table, &names::default_column(field), suffix])
    }
}

/// The types the generated code names after an entity's type (`Order`): its
/// repository trait and implementations and its list filter. One place, so a
/// dialect that renames clashes claims exactly what the templates declare.
pub(crate) struct EntityTypes {
    pub repository: String,
    pub in_memory: String,
    pub postgres: String,
    pub filter: String,
}

impl EntityTypes {
    /// The entity's type and every type named after it: what an entity's name claims.
    pub(crate) fn claims(type_name: &str) -> Vec<String> {
        let derived = Self::of(type_name);
        vec![
            type_name.to_string(),
            derived.repository,
            derived.in_memory,
            derived.postgres,
            derived.filter,
        ]
    }

    pub(crate) fn of(type_name: &str) -> Self {
        Self {
            repository: format!("{type_name}Repository"),
            in_memory: format!("InMemory{type_name}Repository"),
            postgres: format!("Postgres{type_name}Repository"),
            filter: format!("{type_name}Filter"),
        }
    }
}
