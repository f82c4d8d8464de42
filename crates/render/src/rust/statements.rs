//! Rust statements of the rust-axum pack: validation checks, kind operation
//! bodies, handler glue and test requests, written from the blueprint's plans.

use scaffold_parser::case;

use super::dialect::{Rust, string};
use crate::blueprint::{self, Blueprint, Expect, Plan, RequestBody, Segment, TypeName, Value};
use crate::context::{DomainContext, EndpointContext, EntityTypes};
use crate::dialect::Dialect;

/// Fills every statement field of the context.
pub fn fill(d: &Rust, bp: &Blueprint, cx: &mut DomainContext) {
    for (st, out) in bp.structs.iter().zip(&mut cx.structs) {
        out.checks = st
            .rules
            .iter()
            .map(|r| {
                let clearable = st.fields.iter().any(|f| f.name == r.field && f.clearable);
                check(d, bp, r, clearable)
            })
            .collect();
        out.checks
            .extend(st.fields.iter().filter_map(|f| nested_check(d, f)));
    }
    for (op, out) in bp.operations.iter().zip(&mut cx.operations) {
        out.body = body(d, bp, op, &cx.error);
    }
    for (e, out) in bp.entities.iter().zip(&mut cx.entities) {
        out.storage_code = storage_code(d, bp, e);
    }
    for (e, out) in bp.endpoints.iter().zip(&mut cx.endpoints) {
        handler(d, e, out);
        for (case, test) in e.cases.iter().zip(&mut out.tests) {
            test.uri = uri(d, &case.request);
            test.seed_code = seed_code(d, bp, &case.setup);
            test.body_code = match &case.request.body {
                Some(RequestBody::Sample { ty }) if !case.setup.body.is_empty() => format!(
                    "{{ let mut body = serde_json::to_value(samples::{}()).expect(\"serialize\"); {} body }}",
                    d.sample_fn(ty),
                    case.setup
                        .body
                        .iter()
                        .map(|link| format!(
                            "body[{}] = serde_json::to_value({}).expect(\"serialize\");",
                            string(&link.field),
                            key_of(d, bp, link)
                        ))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                Some(RequestBody::Sample { ty }) => format!(
                    "serde_json::to_value(samples::{}()).expect(\"serialize\")",
                    d.sample_fn(ty)
                ),
                Some(RequestBody::Malformed) => "serde_json::json!(\"not an object\")".into(),
                None => String::new(),
            };
            // A paged list without a wrapper of the spec's answers `{"items", "next"}`.
            let paged_root = |root: &Option<String>| {
                root.clone()
                    .or_else(|| (e.paged && e.response.is_none()).then(|| "items".to_string()))
            };
            let x = case.expect.as_ref().map(|x| match x {
                Expect::NonEmptyList { root, count } => Expect::NonEmptyList {
                    root: paged_root(root),
                    count: count.clone(),
                },
                Expect::EmptyList { root } => Expect::EmptyList {
                    root: paged_root(root),
                },
                other => other.clone(),
            });
            test.check = x.as_ref().map(|x| expect(d, x)).unwrap_or_default();
        }
    }
}

/// The statements a test runs before its request (the blueprint's setup).
fn seed_code(d: &Rust, bp: &Blueprint, setup: &blueprint::Setup) -> Vec<String> {
    let mut code = Vec::new();
    for stored in &setup.stored {
        let Some(e) = bp.entity(&stored.entity) else {
            continue;
        };
        let accessor = d.ident(&e.collection);
        let sample = d.sample_fn(&TypeName::Entity {
            name: e.name.clone(),
        });
        let binding = if stored.read {
            stored.binding.clone()
        } else {
            format!("_{}", stored.binding)
        };
        let item = if stored.links.is_empty() {
            format!("samples::{sample}()")
        } else {
            let item = format!("{}_item", stored.binding);
            code.extend(bind_sample(d, bp, stored, &item));
            item
        };
        code.push(format!(
            "let {binding} = service.{accessor}().insert({item}).await.expect(\"seed\");"
        ));
    }
    code
}

/// Statements storing what a sample of `e` refers to, then binding that sample,
/// its references set to those items, as `item` (not stored yet).
fn storage_code(d: &Rust, bp: &Blueprint, e: &blueprint::Entity) -> Vec<String> {
    let Some(mut setup) = blueprint::storage(bp, &e.name) else {
        return Vec::new();
    };
    let Some(item) = setup.stored.pop() else {
        return Vec::new();
    };
    let mut code = seed_code(d, bp, &setup);
    code.extend(bind_sample(d, bp, &item, "item"));
    code
}

/// Binds a sample of the stored item's entity to `name`, its references set
/// to the keys of the items stored before it.
fn bind_sample(d: &Rust, bp: &Blueprint, stored: &blueprint::Stored, name: &str) -> Vec<String> {
    let sample = d.sample_fn(&TypeName::Entity {
        name: stored.entity.clone(),
    });
    let mutable = if stored.links.is_empty() { "" } else { "mut " };
    let mut code = vec![format!("let {mutable}{name} = samples::{sample}();")];
    for link in &stored.links {
        code.push(format!(
            "{name}.{} = {};",
            d.ident(&link.field),
            key_of(d, bp, link)
        ));
    }
    code
}

/// The key of the stored item a link names (cloned unless `Copy`).
fn key_of(d: &Rust, bp: &Blueprint, link: &blueprint::Link) -> String {
    let Some(parent) = bp.entity(&link.entity) else {
        return String::new();
    };
    let key = format!("{}.{}", link.binding, d.ident(&parent.key));
    if parent.key_type.is_copy() {
        key
    } else {
        format!("{key}.clone()")
    }
}

/// The checks of a nested struct or list of structs (an order's lines), with the
/// path to each broken field (`lines[0].sku`).
fn nested_check(d: &Rust, f: &blueprint::StructField) -> Option<String> {
    use blueprint::Ty;
    let ident = d.ident(&f.name);
    let extend = |path: String| {
        format!(
            "errors.extend(nested.into_iter().map(|e| FieldError {{ field: {path}.into(), message: e.message }}));"
        )
    };
    let name = f
        .name
        .replace('{', "{{")
        .replace('}', "}}")
        .replace('"', "\\\"");
    match &f.ty {
        _ if f.clearable => None,
        Ty::Struct { .. } => {
            let check = extend(format!("format!(\"{name}.{{}}\", e.field)"));
            Some(if f.optional {
                format!(
                    "if let Some(Err(nested)) = self.{ident}.as_ref().map(|item| item.validate()) {{ {check} }}"
                )
            } else {
                format!("if let Err(nested) = self.{ident}.validate() {{ {check} }}")
            })
        }
        Ty::List { item } if matches!(**item, Ty::Struct { .. }) => {
            let check = extend(format!("format!(\"{name}[{{index}}].{{}}\", e.field)"));
            let items = if f.optional {
                ".iter().flatten()"
            } else {
                ".iter()"
            };
            Some(format!(
                "for (index, item) in self.{ident}{items}.enumerate() {{ if let Err(nested) = item.validate() {{ {check} }} }}"
            ))
        }
        _ => None,
    }
}

fn check(d: &Rust, bp: &Blueprint, rule: &blueprint::Rule, clearable: bool) -> String {
    use blueprint::RuleKind as K;
    let bound = d.literal(&rule.bound);
    let condition = match rule.kind {
        K::Min => format!("*value < {bound}"),
        K::Max => format!("*value > {bound}"),
        K::MinLength => format!("value.chars().count() < {bound}"),
        K::MaxLength => format!("value.chars().count() > {bound}"),
        // clippy's len_zero: a list of at least one item is one that is not empty.
        K::MinItems if bound == "1" => "value.is_empty()".to_string(),
        K::MinItems => format!("value.len() < {bound}"),
        K::MaxItems => format!("value.len() > {bound}"),
        K::Pattern => {
            let p = &bp.patterns[rule.pattern.unwrap_or_default()];
            format!(
                "!{}_{}_PATTERN.is_match(value)",
                case::snake(&d.type_name(&p.owner)).to_ascii_uppercase(),
                case::snake(&p.field).to_ascii_uppercase()
            )
        }
    };
    let push = format!(
        "errors.push(FieldError {{ field: {}.into(), message: {}.to_string() }});",
        string(&rule.field),
        string(&rule.message)
    );
    let ident = d.ident(&rule.field);
    if clearable {
        // `Option<Option<T>>`: only a value (not absent, not `null`) is checked.
        format!(
            "if self.{ident}.as_ref().and_then(Option::as_ref).is_some_and(|value| {condition}) {{ {push} }}"
        )
    } else if rule.optional {
        format!("if self.{ident}.as_ref().is_some_and(|value| {condition}) {{ {push} }}")
    } else {
        format!("{{ let value = &self.{ident}; if {condition} {{ {push} }} }}")
    }
}

fn body(d: &Rust, bp: &Blueprint, op: &blueprint::Operation, error: &str) -> Vec<String> {
    let mut body = Vec::new();
    if op.is_free() {
        let mut names = Vec::new();
        if op.caller {
            names.push("caller".to_string());
        }
        if let Some(key) = &op.key {
            names.push(d.ident(&key.name));
        }
        if op.input.is_some() {
            names.push("input".to_string());
        }
        if !names.is_empty() {
            body.push(format!("let _ = ({},);", names.join(", ")));
        }
        body.push(format!(
            "Err({error}::NotImplemented({}))",
            string(&op.name)
        ));
        return body;
    }
    if op.caller {
        // Who is calling (see caller.rs): check what they may do here.
        body.push("let _ = caller;".to_string());
    }
    let mut kind = kind_body(d, bp, op, error);
    // Owned hooks run once the input is valid: the operation's rules, then the
    // fields the service computes (see rules.rs).
    let at = usize::from(
        kind.first()
            .is_some_and(|l| l.starts_with("input.validate()")),
    );
    let args = hook_args(d, op);
    let mut hooks = Vec::new();
    if let Plan::Create { parents, .. } = &op.plan {
        // Under a nested path, the parent must exist (404), as a database's foreign key would say.
        for p in parents {
            let Some(parent) = bp.entity(&p.entity) else {
                continue;
            };
            let not_found = match &p.not_found {
                Some(code) => format!("{error}::{}", d.error_variant(code)),
                None => format!("{error}::NotFound"),
            };
            let clone = if parent.key_type.is_copy() {
                ""
            } else {
                ".clone()"
            };
            hooks.push(format!(
                "if self.{}.get(input.{}{clone}).await?.is_none() {{ return Err({not_found}); }}",
                d.ident(&parent.collection),
                d.ident(&p.input)
            ));
        }
    }
    if op.has_rule_hook() {
        hooks.push(format!(
            "self.{}_rules({args}).await?;",
            super::names::hook_stem(&op.name)
        ));
    }
    if let Plan::Create { values, .. } = &op.plan {
        for a in values {
            if let blueprint::ValueFrom::Hook { .. } = a.from {
                let field = case::snake(&a.field);
                hooks.push(format!(
                    "let value_{field} = self.{}_{field}({args}).await?;",
                    super::names::hook_stem(&op.name)
                ));
            }
        }
    }
    kind.splice(at..at, hooks);
    if let Plan::Create {
        entity,
        children,
        returns,
        ..
    } = &op.plan
    {
        // Every child is keyed and validated before anything is stored; the root's
        // repository then stores the root and its children as one (a transaction):
        // a create is stored whole or not at all.
        let root = bp.entity(entity);
        let root_key = root.map(|root| {
            let key = format!("item.{}", d.ident(&root.key));
            if root.key_type.is_copy() {
                key
            } else {
                format!("{key}.clone()")
            }
        });
        let mut prepare = Vec::new();
        let mut prepared = Vec::new();
        for (index, c) in children.iter().enumerate() {
            let (Some(child), Some(root_key)) = (bp.entity(&c.table.entity), &root_key) else {
                continue;
            };
            prepare.push(format!(
                "let mut children_{index} = Vec::new(); for mut child in input.{} {{ child.{} = self.{}.next_key().await?; child.{} = {root_key}; child.validate().map_err({error}::Validation)?; children_{index}.push(child); }}",
                d.ident(&c.input),
                d.ident(&child.key),
                d.ident(&child.collection),
                d.ident(&c.table.via)
            ));
            prepared.push((c, index));
        }
        if let Some(root) = root.filter(|_| !prepared.is_empty())
            && kind.pop().is_some()
        {
            // The root's repository takes every kind of child it stores, in its order.
            let arguments: Vec<String> = root
                .children
                .iter()
                .map(|table| {
                    prepared
                        .iter()
                        .find(|(c, _)| c.table == *table)
                        .map_or_else(
                            || "Vec::new()".to_string(),
                            |(_, index)| format!("children_{index}"),
                        )
                })
                .collect();
            kind.extend(prepare);
            kind.push(format!(
                "let item = self.{}.insert_with_children(item, {}).await?;",
                d.ident(&root.collection),
                arguments.join(", ")
            ));
            kind.push(if *returns {
                "Ok(item)".into()
            } else {
                "drop(item);\nOk(())".into()
            });
        }
    }
    body.extend(kind);
    body
}

/// Whether the operation's input may leave out `name` (an `Option`).
fn input_optional(bp: &Blueprint, op: &blueprint::Operation, name: &str) -> bool {
    op.input
        .as_ref()
        .and_then(|ty| bp.find_struct(ty))
        .and_then(|st| st.fields.iter().find(|f| f.name == name))
        .is_none_or(|f| f.optional)
}

/// What an owned hook is given: the caller, the key and the input, by reference.
fn hook_args(d: &Rust, op: &blueprint::Operation) -> String {
    let mut args = Vec::new();
    if op.caller {
        args.push("caller".to_string());
    }
    if let Some(key) = &op.key {
        args.push(format!("&{}", d.ident(&key.name)));
    }
    if op.input.is_some() {
        args.push("&input".to_string());
    }
    args.join(", ")
}

fn kind_body(d: &Rust, bp: &Blueprint, op: &blueprint::Operation, error: &str) -> Vec<String> {
    let plan = &op.plan;
    let (entity_name, validates_input, returns, lookup) = match plan {
        Plan::Free => return Vec::new(),
        Plan::Create {
            entity,
            validates_input,
            returns,
            ..
        }
        | Plan::List {
            entity,
            validates_input,
            returns,
            ..
        } => (entity, *validates_input, *returns, None),
        Plan::Get {
            entity,
            validates_input,
            returns,
            lookup,
            ..
        }
        | Plan::Update {
            entity,
            validates_input,
            returns,
            lookup,
            ..
        }
        | Plan::Delete {
            entity,
            validates_input,
            returns,
            lookup,
            ..
        } => (entity, *validates_input, *returns, Some(lookup)),
    };
    let Some(entity) = bp.entity(entity_name) else {
        return vec!["unreachable!()".into()];
    };
    let rust = d.type_name(&TypeName::Entity {
        name: entity.name.clone(),
    });
    let repo = format!("self.{}", d.ident(&entity.collection));
    let not_found = match lookup.and_then(|l| l.not_found.as_ref()) {
        Some(code) => format!("{error}::{}", d.error_variant(code)),
        None => format!("{error}::NotFound"),
    };
    let id = lookup.map(|l| d.ident(&l.input)).unwrap_or_default();
    let by_field = lookup.and_then(|l| l.by_field.as_ref());
    // Keys that are `Copy` must not be cloned (clippy::clone_on_copy in the host crate).
    let copy = entity.key_type.is_copy();
    let id_again = if copy {
        id.clone()
    } else {
        format!("{id}.clone()")
    };
    let key_ident = d.ident(&entity.key);
    let (get_call, get_again_call, delete_key) = match by_field {
        Some(field) => {
            // Storage selects by the unique field: one item at most.
            let filter = EntityTypes::of(&rust).filter;
            let rest = if entity.filters.len() > 1 {
                format!(", ..{filter}::default()")
            } else {
                String::new()
            };
            let find = format!(
                "{repo}.list({filter} {{ {}: Some({id_again}){rest} }}, Window::first(1)).await?.into_iter().next()",
                d.ident(field)
            );
            let key_of_item = if copy {
                format!("item.{key_ident}")
            } else {
                format!("item.{key_ident}.clone()")
            };
            (find.clone(), find, key_of_item)
        }
        None => (
            format!("{repo}.get({id}).await?"),
            format!("{repo}.get({id_again}).await?"),
            id.clone(),
        ),
    };
    let done = |item: bool| -> String {
        if item {
            "Ok(item)".into()
        } else {
            "Ok(())".into()
        }
    };
    let matching = |matches: &[blueprint::Match]| -> Vec<String> {
        matches
            .iter()
            .map(|m| {
                let (item, wanted) = (d.ident(&m.field), d.ident(&m.input));
                if m.field_required && m.input_required {
                    format!("if item.{item} != input.{wanted} {{ return Err({not_found}); }}")
                } else {
                    format!("if input.{wanted}.is_some() && item.{item} != input.{wanted} {{ return Err({not_found}); }}")
                }
            })
            .collect()
    };
    let mut body = Vec::new();
    if validates_input {
        body.push(format!("input.validate().map_err({error}::Validation)?;"));
    }
    match plan {
        Plan::Free => {}
        Plan::Create { values, .. } => {
            let lines: Vec<String> = values
                .iter()
                .map(|a| {
                    let value = match &a.from {
                        blueprint::ValueFrom::Input { name } => format!("input.{}", d.ident(name)),
                        blueprint::ValueFrom::NextKey => format!("{repo}.next_key().await?"),
                        blueprint::ValueFrom::Value { value } => d.literal(value),
                        blueprint::ValueFrom::Hook { zero } if d.boxed(zero) => {
                            format!("Box::new(value_{})", case::snake(&a.field))
                        }
                        blueprint::ValueFrom::Hook { .. } => {
                            format!("value_{}", case::snake(&a.field))
                        }
                    };
                    format!("{}: {value},", d.ident(&a.field))
                })
                .collect();
            body.push(format!("let item = {rust} {{ {} }};", lines.join(" ")));
            body.push(format!("item.validate().map_err({error}::Validation)?;"));
            body.push(if returns {
                format!("Ok({repo}.insert(item).await?)")
            } else {
                format!("{repo}.insert(item).await?; Ok(())")
            });
        }
        Plan::Get { matches, .. } => {
            let must_match = matching(matches);
            if returns || !must_match.is_empty() {
                body.push(format!("let item = {get_call}.ok_or({not_found})?;"));
                body.extend(must_match);
                body.push(done(returns));
            } else {
                body.push(format!("{get_call}.ok_or({not_found})?;"));
                body.push("Ok(())".into());
            }
        }
        Plan::List {
            filters,
            paging,
            paged,
            ..
        } => {
            let filter = EntityTypes::of(&rust).filter;
            let values: Vec<String> = filters
                .iter()
                .map(|f| {
                    let field = if f.contains {
                        d.ident(&format!("{}_contains", case::snake(&f.field)))
                    } else {
                        d.ident(&f.field)
                    };
                    let input = d.ident(&f.input);
                    if !input_optional(bp, op, &f.input) {
                        format!("{field}: Some(input.{input}),")
                    } else {
                        format!("{field}: input.{input},")
                    }
                })
                .collect();
            body.push(if values.is_empty() {
                format!("let filter = {filter}::default();")
            } else if values.len() < entity.filters.len() {
                format!(
                    "let filter = {filter} {{ {} ..{filter}::default() }};",
                    values.join(" ")
                )
            } else {
                format!("let filter = {filter} {{ {} }};", values.join(" "))
            });
            let number = |input: &str| {
                let ident = d.ident(input);
                if input_optional(bp, op, input) {
                    format!("input.{ident}.map(|n| usize::try_from(n).unwrap_or(0))")
                } else {
                    format!("Some(usize::try_from(input.{ident}).unwrap_or(0))")
                }
            };
            let limit = paging
                .iter()
                .find(|(role, _)| *role == blueprint::Paging::Limit)
                .map(|(_, input)| number(input));
            let offset = paging.iter().find_map(|(role, input)| match role {
                blueprint::Paging::Offset => Some(format!("{}.unwrap_or(0)", number(input))),
                // Pages count from 1 and are `limit` items long.
                blueprint::Paging::Page => Some(format!(
                    "{}.unwrap_or(1).saturating_sub(1).saturating_mul(limit)",
                    number(input)
                )),
                blueprint::Paging::Limit => None,
            });
            let window = if *paged {
                "page.window()".to_string()
            } else if paging.is_empty() {
                "Window::ALL".to_string()
            } else {
                // The spec's own paging; 50 items when it gives no limit, as the generated paging.
                body.push(format!(
                    "let limit = {}.unwrap_or(50);",
                    limit.unwrap_or_else(|| "None::<usize>".into())
                ));
                body.push(format!(
                    "let offset = {};",
                    offset.unwrap_or_else(|| "0".into())
                ));
                "Window { offset, limit: Some(limit) }".to_string()
            };
            body.push(format!("let items = {repo}.list(filter, {window}).await?;"));
            body.push(if *paged && returns {
                "Ok(Paged::window(items, page))".into()
            } else if returns {
                "Ok(items)".into()
            } else {
                "drop(items);\nOk(())".into()
            });
        }
        Plan::Update { assignments, .. } => {
            let assignments: Vec<String> = assignments
                .iter()
                .map(|m| {
                    // A nullable field's input is clearable: `Some(None)` clears it.
                    let value = "value";
                    format!(
                        "if let Some(value) = input.{} {{ item.{} = {value}; }}",
                        d.ident(&m.input),
                        d.ident(&m.field)
                    )
                })
                .collect();
            // The repository applies the change under a lock on the item (no update
            // is lost to a concurrent one); a lookup by a unique field finds the key first.
            let key = if by_field.is_some() {
                body.push(format!("let item = {get_again_call}.ok_or({not_found})?;"));
                delete_key.clone()
            } else {
                id.clone()
            };
            body.push(format!(
                "let change = move |item: &mut {rust}| {{ {} item.validate() }};",
                assignments.join(" ")
            ));
            // A tail `match`: arms that `return` would get a block and a `;` from
            // rustfmt, a change of tokens that regen would take for an edit.
            let stored = if returns {
                "Modified::Stored(item) => Ok(item)"
            } else {
                "Modified::Stored(_) => Ok(())"
            };
            body.push(format!(
                "match {repo}.modify({key}, Box::new(change)).await? {{ {stored}, Modified::Missing => Err({not_found}), Modified::Refused(errors) => Err({error}::Validation(errors)) }}"
            ));
        }
        Plan::Delete { matches, .. } => {
            let must_match = matching(matches);
            if returns || !must_match.is_empty() || by_field.is_some() {
                body.push(format!("let item = {get_again_call}.ok_or({not_found})?;"));
                body.extend(must_match);
                body.push(format!("{repo}.delete({delete_key}).await?;"));
                body.push(done(returns));
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

/// What a handler does between reading the request and answering.
fn handler(d: &Rust, e: &blueprint::Endpoint, out: &mut EndpointContext) {
    let mut prepare = Vec::new();
    if let Some(assemble) = &e.assemble {
        let mut assignments: Vec<String> = assemble
            .from_path
            .iter()
            .map(|(name, optional)| {
                let ident = d.ident(name);
                if *optional {
                    format!("{ident}: Some({ident}),")
                } else {
                    format!("{ident},")
                }
            })
            .collect();
        assignments.extend(assemble.from_body.iter().map(|name| {
            let ident = d.ident(name);
            format!("{ident}: body.{ident},")
        }));
        prepare.push(format!(
            "let input = {} {{ {} }};",
            d.type_name(&assemble.input),
            assignments.join(" ")
        ));
    }
    if let Some(wrapper) = &e.request_wrapper {
        let unwrap = d.ident(wrapper);
        if prepare.is_empty() {
            prepare.push(format!("let input = body.{unwrap};"));
        } else {
            prepare.insert(0, format!("let body = body.{unwrap};"));
        }
    }
    // A parent key in the `Location` is read before the input takes it.
    let mut location = String::new();
    let mut location_args = Vec::new();
    for part in e.location.iter().flatten() {
        location.push('/');
        match part {
            blueprint::LocationPart::Literal { text } => location.push_str(text),
            blueprint::LocationPart::Field { name } => {
                location.push_str("{}");
                location_args.push(format!("path_segment(&output.{})", d.ident(name)));
            }
            blueprint::LocationPart::Param { name } => {
                let ident = d.ident(name);
                location.push_str("{}");
                location_args.push(format!("location_{}", ident.trim_start_matches("r#")));
                prepare.insert(
                    0,
                    format!(
                        "let location_{} = path_segment(&{ident});",
                        ident.trim_start_matches("r#")
                    ),
                );
            }
        }
    }
    out.location = if e.location.is_some() {
        format!(
            "format!({}, {})",
            string(&location),
            location_args.join(", ")
        )
    } else {
        String::new()
    };
    out.prepare = prepare;
    let mut call_args = Vec::new();
    if e.takes_caller {
        call_args.push(if e.secured {
            "&caller".to_string()
        } else {
            "&Caller::default()".to_string()
        });
    }
    if let Some(key) = &e.key {
        call_args.push(d.ident(key));
    }
    if e.takes_input {
        call_args.push("input".to_string());
    }
    if e.paged {
        call_args.push("page".to_string());
    }
    out.call_args = call_args;
    // A paged list answers `Paged` (`{"items", "next"}`); a wrapper takes its items.
    let items = if e.paged { "output.items" } else { "output" };
    out.output_expr = match &e.response {
        Some(w) => {
            let rust = d.type_name(&w.ty);
            match &w.count {
                Some(count) => format!(
                    "{rust} {{ {}: i64::try_from({items}.len()).unwrap_or(i64::MAX), {}: {items} }}",
                    d.ident(count),
                    d.ident(&w.property)
                ),
                None => format!("{rust} {{ {}: {items} }}", d.ident(&w.property)),
            }
        }
        None => "output".to_string(),
    };
}

/// The URI of a test request: a string, or `format!` of its parameters.
fn uri(d: &Rust, request: &blueprint::Request) -> String {
    let mut args = Vec::new();
    let mut template = String::new();
    for segment in &request.path {
        template.push('/');
        match segment {
            Segment::Literal { text } => template.push_str(text),
            Segment::Param { value, .. } => {
                template.push_str("{}");
                args.push(format!("path_value(&{})", d.literal(value)));
            }
        }
    }
    // A list is its items under one key each (`?tag=a&tag=b`), as the
    // generated routes read it (scaffold_support's `Query`).
    // Objects are JSON text, a list of them one JSON array (`json_in_query`).
    let pairs = request.query.iter().flat_map(|(name, value)| match value {
        _ if value.holds_object() => vec![(name, value, true)],
        Value::ListOf { item, count } => vec![(name, &**item, false); *count],
        other => vec![(name, other, false)],
    });
    for (i, (name, value, json)) in pairs.enumerate() {
        template.push(if i == 0 { '?' } else { '&' });
        template.push_str(name);
        template.push_str("={}");
        let encode = if json { "query_json" } else { "path_value" };
        args.push(format!("{encode}(&{})", d.literal(value)));
    }
    if args.is_empty() {
        string(&template)
    } else {
        format!("&format!({}, {})", string(&template), args.join(", "))
    }
}

fn expect(d: &Rust, x: &Expect) -> String {
    let root = |root: &Option<String>| match root {
        Some(wrapper) => format!("body[{}]", string(wrapper)),
        None => "body".to_string(),
    };
    match x {
        Expect::KeyEquals { root: r, key } => format!(
            "assert_eq!({}[{}], serde_json::to_value(seeded.{}).expect(\"serialize\"));",
            root(r),
            string(key),
            d.ident(key)
        ),
        Expect::NonEmptyList {
            root: r,
            count: Some(count),
        } => format!(
            "assert!({}.as_array().is_some_and(|items| !items.is_empty() && body[{}] == items.len()), \"{{body}}\");",
            root(r),
            string(count)
        ),
        Expect::NonEmptyList {
            root: r,
            count: None,
        } => format!(
            "assert!({}.as_array().is_some_and(|items| !items.is_empty()), \"{{body}}\");",
            root(r)
        ),
        Expect::EmptyList { root: r } => {
            format!(
                "assert_eq!({}, serde_json::json!([]), \"{{body}}\");",
                root(r)
            )
        }
        Expect::IsObject => "assert!(body.is_object(), \"{body}\");".into(),
        Expect::ErrorBody => "assert!(body[\"code\"].is_string(), \"{body}\");".into(),
        Expect::Code { code } => {
            format!(
                "assert_eq!(body[\"code\"], {}, \"{{body}}\");",
                string(code)
            )
        }
    }
}

/// The `use` paths routes.rs needs: only what its handlers use, so nothing is unused.
pub fn route_imports(bp: &Blueprint, cx: &DomainContext) -> Vec<String> {
    let endpoints = &cx.endpoints;
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
    let mut rejections = Vec::new();
    for (used, name) in [(
        endpoints.iter().any(|e| !e.path_params.is_empty()),
        "PathRejection",
    )] {
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
    // scaffold_support's `Json` names the field a body gets wrong (axum's does not).
    let json = endpoints
        .iter()
        .any(|e| e.has_output || e.body_from == "json");
    let mut support = vec!["ApiError"];
    if json {
        support.push("Json");
    }
    if endpoints.iter().any(|e| e.paged) {
        support.push("Page");
    }
    // scaffold_support's `Query` reads repeated keys into lists (axum's does not).
    if endpoints.iter().any(|e| e.body_from == "query") {
        support.push("Query");
    }
    if bp.endpoints.iter().any(|e| e.location.is_some()) {
        support.push("path_segment");
        imports.push("axum::http::header".into());
    }
    imports.push(if support.len() == 1 {
        "super::super::scaffold_support::ApiError".into()
    } else {
        format!("super::super::scaffold_support::{{{}}}", support.join(", "))
    });
    if endpoints.iter().any(|e| e.secured || e.takes_caller) {
        imports.push("super::super::caller::Caller".into());
    }
    // Handlers name model types in bodies, inputs built from the path, and path parameters.
    let model_types: Vec<&str> = cx
        .structs
        .iter()
        .map(|s| s.type_name.as_str())
        .chain(cx.enums.iter().map(|e| e.type_name.as_str()))
        .collect();
    let names_a_model = |text: &str| {
        text.split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|word| model_types.contains(&word))
    };
    let uses_models = bp.endpoints.iter().zip(endpoints).any(|(b, e)| {
        b.body_type.is_some()
            || b.assemble.is_some()
            || b.request_wrapper.is_some()
            || b.response.is_some()
            || e.path_params.iter().any(|p| names_a_model(&p.type_name))
    });
    if uses_models {
        imports.push("super::models::*".into());
    }
    imports
}
