//! Endpoints and their HTTP test cases: where each input comes from, what is
//! answered, and which requests the generated tests send.

use serde::Serialize;

use scaffold_parser::{self as parser, Field, Input, InputSource, Type, Verb, case, lookup_field};

use super::operations::{self, Paging};
use super::setup::Setup;
use super::structs::{Builder, StructField, StructRole};
use super::{Param, Ty, TypeName, Value, samples};

/// An endpoint: a route served by one operation.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    /// Uppercase: GET, POST, PUT, PATCH, DELETE.
    pub method: String,
    /// With `{param}` placeholders.
    pub path: String,
    /// The operation's spec name.
    pub operation: String,
    /// The success status.
    pub status: u16,
    /// Path parameters in path order, with their types.
    pub path_params: Vec<Param>,
    /// Where every input of the operation comes from.
    pub inputs: Vec<InputFrom>,
    /// How the request carries the inputs that are not in the path.
    pub body_from: BodyFrom,
    /// The struct read from the body or query string (the wrapper, when wrapped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_type: Option<TypeName>,
    /// The operation's input struct is built from the path (and the body).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assemble: Option<Assemble>,
    /// `article` when the request body is `{"article": {...}}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_wrapper: Option<String>,
    /// The response wrapped in one property (and a count beside a list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<Wrapped>,
    pub has_output: bool,
    /// Protected: the caller must be identified (401 otherwise).
    pub secured: bool,
    /// The operation takes the caller (it is protected on some endpoint).
    pub takes_caller: bool,
    /// The operation's key input, passed on its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The operation takes an input struct.
    pub takes_input: bool,
    /// A list answered a page at a time: the handler reads `limit` and `offset`
    /// and answers `{"items": [...], "next": ...}` (unless the spec wraps it).
    pub paged: bool,
    /// Where the item a 201 created is read again: its `Location`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Vec<LocationPart>>,
    pub cases: Vec<Case>,
}

/// A segment of a created item's `Location`, after a `/`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LocationPart {
    Literal {
        text: String,
    },
    /// A (required) field of the created item.
    Field {
        name: String,
    },
    /// A path parameter of the creating request (a parent's key).
    Param {
        name: String,
    },
}

/// Where an input of an endpoint's operation comes from.
#[derive(Debug, Clone, Serialize)]
pub struct InputFrom {
    pub name: String,
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Path,
    Query,
    Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyFrom {
    /// Everything is in the path, or there is no input.
    None,
    /// A JSON body (POST, PUT, PATCH).
    Json,
    /// The query string (GET, DELETE).
    Query,
}

/// The operation's input struct, made of path parameters and the body's fields.
#[derive(Debug, Clone, Serialize)]
pub struct Assemble {
    pub input: TypeName,
    /// `(input, optional in the struct)` for each path parameter that is part of it.
    pub from_path: Vec<(String, bool)>,
    /// Fields copied from the body struct.
    pub from_body: Vec<String>,
}

/// An output answered inside a struct with one property (and its count).
#[derive(Debug, Clone, Serialize)]
pub struct Wrapped {
    pub ty: TypeName,
    pub property: String,
    /// `articlesCount` beside a wrapped list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<String>,
}

/// One generated HTTP test.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// snake_case (`create_order_answers_201`).
    pub name: String,
    /// The entity whose sample is stored first, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// Whether the request or the check reads the seeded item.
    pub reads_seed: bool,
    /// What is stored before the request (filled once the domain is built).
    pub setup: Setup,
    pub request: Request,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
    /// Belongs with the owned tests: a free operation's "not implemented", and the
    /// cases of a kind operation with rules that the rules decide.
    pub stub: bool,
    /// Sent with the test credentials (the endpoint is protected).
    pub as_caller: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub method: String,
    pub path: Vec<Segment>,
    /// `(name as sent, value)`.
    pub query: Vec<(String, Value)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<RequestBody>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Segment {
    Literal { text: String },
    Param { name: String, value: Value },
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestBody {
    /// The JSON of a struct's sample.
    Sample { ty: TypeName },
    /// A JSON string where an object is expected.
    Malformed,
}

/// What a test checks in the answer's JSON beyond the status.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expect {
    /// `root[key]` is the seeded item's key (`root`: the response wrapper, if any).
    KeyEquals { root: Option<String>, key: String },
    /// `root` is a non-empty array (and `count` beside it is its length).
    NonEmptyList {
        root: Option<String>,
        count: Option<String>,
    },
    /// `root` is `[]`.
    EmptyList { root: Option<String> },
    /// The answer is a JSON object.
    IsObject,
    /// The answer is an error body (`code` is a string).
    ErrorBody,
    /// The error code is this one.
    Code { code: String },
}

impl Request {
    pub fn reads_seed(&self) -> bool {
        self.path
            .iter()
            .any(|s| matches!(s, Segment::Param { value, .. } if value.reads_seed()))
    }
}

pub(super) fn endpoint(b: &mut Builder<'_>, endpoint: &parser::Endpoint) -> Option<Endpoint> {
    let op = b.domain.operation(&endpoint.operation)?;
    let id_input = operations::id_input(b, op).cloned();
    let input_struct = TypeName::Input {
        operation: op.name.clone(),
    };
    let rest: Vec<Input> = op
        .inputs
        .iter()
        .filter(|i| Some(&i.name) != id_input.as_ref().map(|x| &x.name))
        .cloned()
        .collect();
    let mut path_params = Vec::new();
    for name in &endpoint.path_params {
        let input = op.inputs.iter().find(|i| &i.name == name)?.clone();
        let (field, enum_name) = b.input_field(op, &input);
        path_params.push(Param {
            name: name.clone(),
            ty: Ty::of(&field.ty, &enum_name),
        });
    }
    let in_path = |i: &Input| endpoint.path_params.contains(&i.name);
    let from_path: Vec<&Input> = rest.iter().filter(|i| in_path(i)).collect();
    let from_body: Vec<&Input> = rest.iter().filter(|i| !in_path(i)).collect();
    let uses_query = matches!(endpoint.method.as_str(), "GET" | "DELETE");
    let carried = if uses_query {
        BodyFrom::Query
    } else {
        BodyFrom::Json
    };
    let force_optional = operations::forces_optional(op);
    let mut assemble = None;
    let (body_from, body_type) = if from_body.is_empty() && from_path.is_empty() {
        (BodyFrom::None, None)
    } else if from_path.is_empty() {
        (carried, Some(input_struct.clone()))
    } else {
        // Some of the input comes from the path: the body is the rest.
        let path_part = from_path
            .iter()
            .map(|i| (i.name.clone(), !i.required || force_optional))
            .collect();
        let body_part: Vec<String> = from_body.iter().map(|i| i.name.clone()).collect();
        assemble = Some(Assemble {
            input: input_struct.clone(),
            from_path: path_part,
            from_body: body_part,
        });
        if from_body.is_empty() {
            (BodyFrom::None, None)
        } else {
            let body_struct = TypeName::Body {
                operation: op.name.clone(),
            };
            if !b.has_struct(&body_struct) {
                let doc = format!(
                    "Request body of `{}` (the rest of its input is in the path).",
                    op.name
                );
                b.push_input_struct(
                    op,
                    body_struct.clone(),
                    StructRole::Body,
                    doc,
                    &from_body,
                    force_optional,
                );
            }
            (carried, Some(body_struct))
        }
    };
    // `{"article": {...}}` in: a struct with the one property around the body.
    let mut request_wrapper = None;
    let body_type = match (&endpoint.shape.request_wrapper, body_type) {
        (Some(wrapper), Some(inner)) if body_from == BodyFrom::Json => {
            let name = TypeName::Request {
                operation: op.name.clone(),
            };
            if !b.has_struct(&name) {
                let field = StructField {
                    clearable: false,
                    json_in_query: false,
                    name: wrapper.clone(),
                    ty: Ty::Struct {
                        name: inner.clone(),
                    },
                    optional: false,
                    doc: String::new(),
                    sample: Value::Sample { ty: inner },
                };
                b.push_fields(
                    name.clone(),
                    StructRole::Request,
                    format!(
                        "Request body of `{}`: its input wrapped in `{wrapper}`.",
                        op.name
                    ),
                    vec![field],
                );
            }
            request_wrapper = Some(wrapper.clone());
            Some(name)
        }
        (_, body_type) => body_type,
    };
    // `{"article": {...}}` out: the output in a struct with the one property.
    let response = match (&endpoint.shape.response_wrapper, &op.output) {
        (Some(wrapper), Some(output)) => {
            let name = TypeName::Response {
                operation: op.name.clone(),
            };
            // `{articles: [...], articlesCount}`: the count of the list beside it.
            let count = endpoint
                .shape
                .response_count
                .as_ref()
                .filter(|_| matches!(output, Type::List(_)));
            if !b.has_struct(&name) {
                let field = Field::new(wrapper.clone(), output.clone(), true);
                let count_field = count.map(|c| Field::new(c.clone(), Type::I64, true));
                let enum_name = TypeName::Output {
                    operation: op.name.clone(),
                };
                let no_enum = TypeName::Enum {
                    owner: String::new(),
                    field: String::new(),
                };
                let mut fields = vec![(&field, enum_name, false)];
                if let Some(count_field) = &count_field {
                    fields.push((count_field, no_enum, false));
                }
                b.push_struct(
                    name.clone(),
                    StructRole::Response,
                    format!(
                        "Response body of `{}`: its output wrapped in `{wrapper}`.",
                        op.name
                    ),
                    fields,
                );
            }
            Some(Wrapped {
                ty: name,
                property: wrapper.clone(),
                count: count.cloned(),
            })
        }
        _ => None,
    };
    let inputs = op
        .inputs
        .iter()
        .map(|i| InputFrom {
            name: i.name.clone(),
            source: if in_path(i) {
                Source::Path
            } else if uses_query {
                Source::Query
            } else {
                Source::Body
            },
        })
        .collect();
    let mut e = Endpoint {
        method: endpoint.method.clone(),
        path: endpoint.path.clone(),
        operation: op.name.clone(),
        status: endpoint.status,
        path_params,
        inputs,
        body_from,
        body_type,
        assemble,
        request_wrapper,
        response,
        has_output: op.output.is_some(),
        secured: endpoint.shape.secured,
        takes_caller: operations::takes_caller(b, op),
        key: id_input.as_ref().map(|i| i.name.clone()),
        takes_input: !rest.is_empty(),
        paged: paged(op),
        location: location(b, endpoint, op),
        cases: Vec::new(),
    };
    e.cases = cases(b, endpoint, op, id_input.as_ref(), &e);
    Some(e)
}

/// The tests of an endpoint; a protected one's send credentials, and one more
/// checks the 401 without them.
fn cases(
    b: &mut Builder<'_>,
    endpoint: &parser::Endpoint,
    op: &parser::Operation,
    id_input: Option<&Input>,
    e: &Endpoint,
) -> Vec<Case> {
    let mut cases = cases_as_caller(b, endpoint, op, id_input, e);
    if op.kind.is_some() && !op.rules.is_empty() {
        // Hand-written rules run before the operation acts: only a malformed body
        // is refused whatever they say, so every other case is the team's to keep.
        for case in &mut cases {
            case.stub |= !matches!(case.request.body, Some(RequestBody::Malformed));
        }
    }
    if endpoint.shape.secured {
        for case in &mut cases {
            case.as_caller = true;
        }
        let request = request(b, endpoint, op, None, None, Vec::new(), None);
        cases.push(Case {
            name: format!("{}_answers_401_without_credentials", case::snake(&op.name)),
            seed: None,
            reads_seed: false,
            setup: Setup::default(),
            request,
            status: 401,
            expect: Some(Expect::ErrorBody),
            stub: false,
            as_caller: false,
        });
    }
    cases
}

fn cases_as_caller(
    b: &mut Builder<'_>,
    endpoint: &parser::Endpoint,
    op: &parser::Operation,
    id_input: Option<&Input>,
    e: &Endpoint,
) -> Vec<Case> {
    let plain = case::snake(&op.name);
    let body = match (&e.body_type, e.body_from) {
        (Some(ty), BodyFrom::Json) => Some(RequestBody::Sample { ty: ty.clone() }),
        _ => None,
    };
    // Required inputs read from the query string: every request sends a sample of each.
    let query: Vec<(String, Value)> = if e.body_from == BodyFrom::Query {
        let force_optional = operations::forces_optional(op);
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
                let (field, enum_name) = b.input_field(op, i);
                let value = samples::sample(&field, &enum_name).unwrap_or(Value::Default);
                (i.name.clone(), value)
            })
            // An empty list is no value at all in a query string.
            .filter(|(_, value)| !matches!(value, Value::EmptyList))
            .collect()
    } else {
        Vec::new()
    };
    let Some(kind) = &op.kind else {
        // A free operation answers 501 until someone writes it; the test lives in
        // the owned service file, so implementing the operation means updating it there.
        let request = request(b, endpoint, op, None, None, query, body);
        return vec![Case {
            name: format!("{plain}_answers_501_until_implemented"),
            seed: None,
            reads_seed: false,
            setup: Setup::default(),
            request,
            status: 501,
            expect: Some(Expect::Code {
                code: "NOT_IMPLEMENTED".into(),
            }),
            stub: true,
            as_caller: false,
        }];
    };
    let Some(entity) = b.domain.entity(&kind.entity) else {
        return Vec::new();
    };
    let key = operations::key(entity);
    let seed = (kind.verb != Verb::Create).then(|| entity.name.clone());
    // Looked up by a `unique` field: the seeded item's value of it, and one no item has.
    let by_field = id_input.and_then(|i| lookup_field(i, &entity.name, b.domain));
    let seeded_key = Value::Seeded {
        field: by_field.map_or_else(|| key.name.clone(), |f| f.name.clone()),
    };
    let missing_key = match by_field {
        Some(field) if field.ty.is_text() => Value::text("missing"),
        Some(_) => Value::Default,
        None => Value::UnknownKey {
            key: operations::key_type(&key.ty),
        },
    };
    let takes_id = kind.verb.takes_id();
    let mut cases = Vec::new();
    let success_key = takes_id.then(|| seeded_key.clone());
    let success = request(
        b,
        endpoint,
        op,
        id_input,
        success_key.clone(),
        query.clone(),
        body.clone(),
    );
    // The answer inside its wrapper property, if any.
    let root = endpoint.shape.response_wrapper.clone();
    let expect = match (kind.verb, op.output.is_some()) {
        (Verb::Get | Verb::Update, true) => Some(Expect::KeyEquals {
            root: root.clone(),
            key: key.name.clone(),
        }),
        (Verb::List, true) => Some(Expect::NonEmptyList {
            root: root.clone(),
            count: endpoint.shape.response_count.clone(),
        }),
        (Verb::Create, true) => Some(Expect::IsObject),
        _ => None,
    };
    // A create under its parent's path: the parent is stored first, and named.
    let mut success = success;
    let mut success_seed = seed.clone();
    if let Some((input, parent)) = operations::path_parents(b.domain, op).into_iter().next() {
        for segment in &mut success.path {
            if let Segment::Param { name, value } = segment {
                if *name == input.name {
                    *value = Value::Seeded {
                        field: operations::key(parent).name.clone(),
                    };
                }
            }
        }
        success_seed = Some(parent.name.clone());
    }
    let orphan = success_seed.is_some() && seed.is_none();
    cases.push(Case {
        name: format!("{plain}_answers_{}", endpoint.status),
        seed: success_seed,
        reads_seed: false,
        setup: Setup::default(),
        request: success,
        status: endpoint.status,
        expect,
        stub: false,
        as_caller: false,
    });
    if orphan {
        // The same request under a parent that does not exist.
        let request = request(b, endpoint, op, id_input, None, query.clone(), body.clone());
        cases.push(Case {
            name: format!("{plain}_answers_404_for_an_unknown_parent"),
            seed: None,
            reads_seed: false,
            setup: Setup::default(),
            request,
            status: 404,
            expect: Some(Expect::ErrorBody),
            stub: false,
            as_caller: false,
        });
    }
    if kind.verb == Verb::List && e.body_from == BodyFrom::Query && op.output.is_some() {
        // Paging and filters are applied: past the one seeded item, or a value no item has.
        let mut extra: Vec<(String, Vec<(String, Value)>)> = Vec::new();
        let paging = operations::paging_inputs(op);
        let limit = paging.iter().find(|(role, _)| *role == Paging::Limit);
        for (role, input) in &paging {
            match (role, limit) {
                (Paging::Offset, _) => extra.push((
                    format!("skips_by_{}", case::snake(&input.name)),
                    vec![(input.name.clone(), Value::Int { value: 1 })],
                )),
                (Paging::Page, Some((_, limit))) => extra.push((
                    format!("skips_by_{}", case::snake(&input.name)),
                    vec![
                        (input.name.clone(), Value::Int { value: 2 }),
                        (limit.name.clone(), Value::Int { value: 1 }),
                    ],
                )),
                _ => {}
            }
        }
        for input in &op.inputs {
            let filters = match &input.source {
                InputSource::Field {
                    entity: owner,
                    field,
                } => {
                    *owner == entity.name
                        && *field != key.name
                        && input.ty.is_text()
                        && entity.field(field).is_some_and(|f| !f.has_constraints())
                }
                InputSource::Declared => {
                    operations::list_filter_field(entity, input).is_some() && input.ty.is_text()
                }
                InputSource::PrimaryKey { .. } => false,
            };
            // A parent key in the path already selects: `/projects/{project_id}/tasks`
            // cannot also be filtered to nothing by a query `project_id`.
            if filters && !endpoint.path_params.contains(&input.name) {
                extra.push((
                    format!("filters_by_{}", case::snake(&input.name)),
                    vec![(
                        input.name.clone(),
                        Value::Str {
                            text: "zz-no-match".into(),
                        },
                    )],
                ));
            }
        }
        for (what, query) in extra {
            let request = request(b, endpoint, op, id_input, None, query, None);
            cases.push(Case {
                name: format!("{plain}_{what}"),
                seed: seed.clone(),
                reads_seed: false,
                setup: Setup::default(),
                request,
                status: endpoint.status,
                expect: Some(Expect::EmptyList { root: root.clone() }),
                stub: false,
                as_caller: false,
            });
        }
    }
    if takes_id {
        let request = request(
            b,
            endpoint,
            op,
            id_input,
            Some(missing_key),
            query.clone(),
            body,
        );
        cases.push(Case {
            name: format!("{plain}_answers_404_for_an_unknown_key"),
            seed: None,
            reads_seed: false,
            setup: Setup::default(),
            request,
            status: 404,
            expect: Some(Expect::ErrorBody),
            stub: false,
            as_caller: false,
        });
    }
    if e.body_from == BodyFrom::Json {
        let malformed = Some(RequestBody::Malformed);
        let request = request(b, endpoint, op, id_input, success_key, query, malformed);
        cases.push(Case {
            name: format!("{plain}_answers_422_for_a_malformed_body"),
            seed: seed.clone(),
            reads_seed: false,
            setup: Setup::default(),
            request,
            status: 422,
            expect: Some(Expect::ErrorBody),
            stub: false,
            as_caller: false,
        });
    }
    for case in &mut cases {
        case.reads_seed =
            case.request.reads_seed() || matches!(case.expect, Some(Expect::KeyEquals { .. }));
    }
    cases
}

/// A test request: the key of a seeded item (or one no item has) for the key
/// parameter, the seeded item's own values for the other parameters of its
/// entity when it is seeded, samples for the rest.
fn request(
    b: &mut Builder<'_>,
    endpoint: &parser::Endpoint,
    op: &parser::Operation,
    id_input: Option<&Input>,
    key: Option<Value>,
    query: Vec<(String, Value)>,
    body: Option<RequestBody>,
) -> Request {
    // A list's tests seed an item: a parent key in its path is that item's.
    let lists = op.kind.as_ref().is_some_and(|k| k.verb == Verb::List);
    let seeded = lists || matches!(key, Some(Value::Seeded { .. }));
    let mut path = Vec::new();
    for segment in endpoint.path.split('/').skip(1) {
        let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            path.push(Segment::Literal {
                text: segment.to_string(),
            });
            continue;
        };
        let value = if Some(name) == id_input.map(|i| i.name.as_str()) {
            key.clone().unwrap_or(Value::Default)
        } else if let Some(field) = seeded.then(|| seeded_field(b, op, name)).flatten() {
            // A parent key in the path must be the seeded item's own value.
            Value::Seeded { field }
        } else {
            match op.inputs.iter().find(|i| i.name == name) {
                Some(input) => {
                    let (field, enum_name) = b.input_field(op, input);
                    let field = Field {
                        required: true,
                        ..field
                    };
                    samples::sample(&field, &enum_name).unwrap_or(Value::Default)
                }
                None => Value::Default,
            }
        };
        path.push(Segment::Param {
            name: name.to_string(),
            value,
        });
    }
    Request {
        method: endpoint.method.clone(),
        path,
        query,
        body,
    }
}

/// The required field of the operation's entity that a path parameter stands for.
fn seeded_field(b: &Builder<'_>, op: &parser::Operation, param: &str) -> Option<String> {
    let kind = op.kind.as_ref()?;
    let input = op.inputs.iter().find(|i| i.name == param)?;
    match &input.source {
        InputSource::Field { entity, field } if *entity == kind.entity => b
            .domain
            .entity(entity)?
            .field(field)
            .filter(|f| f.required)
            .map(|f| f.name.clone()),
        _ => None,
    }
}

/// A list operation answering its entity's items: served a page at a time,
/// unless the spec declares paging inputs of its own (then they page it) or
/// inputs named like the page's query parameters (a `limit` or `offset`
/// filter keeps its meaning, and the list is answered whole).
pub(super) fn paged(op: &parser::Operation) -> bool {
    op.kind.as_ref().is_some_and(|k| k.verb == Verb::List)
        && matches!(op.output, Some(Type::List(_)))
        && operations::paging_inputs(op).is_empty()
        && !op
            .inputs
            .iter()
            .any(|i| matches!(case::snake(&i.name).as_str(), "limit" | "offset"))
}

/// The `Location` of what a 201 creates: the path of the GET endpoint of its
/// entity, filled from the created item (and the request's parent keys).
fn location(
    b: &Builder<'_>,
    endpoint: &parser::Endpoint,
    op: &parser::Operation,
) -> Option<Vec<LocationPart>> {
    let kind = op.kind.as_ref().filter(|k| k.verb == Verb::Create)?;
    if endpoint.status != 201 || op.output != Some(Type::Entity(kind.entity.clone())) {
        return None;
    }
    let entity = b.domain.entity(&kind.entity)?;
    b.domain.endpoints.iter().find_map(|get| {
        let get_op = b.domain.operation(&get.operation)?;
        let get_kind = get_op.kind.as_ref()?;
        if get.method != "GET" || get_kind.verb != Verb::Get || get_kind.entity != entity.name {
            return None;
        }
        let id = operations::id_input(b, get_op)?;
        let mut parts = Vec::new();
        for segment in get.path.split('/').skip(1) {
            let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                parts.push(LocationPart::Literal {
                    text: segment.to_string(),
                });
                continue;
            };
            let field = if name == id.name {
                lookup_field(id, &entity.name, b.domain)
                    .unwrap_or_else(|| operations::key(entity))
                    .name
                    .clone()
            } else {
                match get_op
                    .inputs
                    .iter()
                    .find(|i| i.name == name)
                    .map(|i| &i.source)
                {
                    Some(InputSource::Field {
                        entity: owner,
                        field,
                    }) if *owner == entity.name => field.clone(),
                    _ if endpoint.path_params.iter().any(|p| p == name) => {
                        parts.push(LocationPart::Param {
                            name: name.to_string(),
                        });
                        continue;
                    }
                    _ => return None,
                }
            };
            // An optional field may be absent: no `Location` rather than a wrong one.
            if !entity.field(&field).is_some_and(|f| f.required) {
                return None;
            }
            parts.push(LocationPart::Field { name: field });
        }
        Some(parts)
    })
}
