//! What the Python dialect writes itself: each 201's `Location`, the class of
//! each error code, and the statements a test runs before its request (the
//! items it needs stored first, references before what refers to them).

use scaffold_parser::case;

use super::{Python, TAKEN_TYPES, format, is_in, string};
use crate::blueprint::{self, Blueprint, LocationPart, RequestBody, TypeName};
use crate::context::DomainContext;
use crate::dialect::Dialect;

pub(super) fn fill(d: &Python, bp: &Blueprint, context: &mut DomainContext) {
    // An error code is a class (`ORDER_NOT_FOUND` -> `OrderNotFoundError`):
    // its `variant`, kept apart from the domain's own error class.
    let mut classes: Vec<String> = vec![context.error.clone(), context.service.clone()];
    classes.extend(context.enums.iter().map(|e| e.type_name.clone()));
    classes.extend(context.structs.iter().map(|s| s.type_name.clone()));
    for e in &context.entities {
        classes.extend([e.repository.clone(), e.in_memory.clone(), e.filter.clone()]);
    }
    for e in &mut context.errors {
        let mut class = format!("{}Error", case::pascal(&e.code.to_ascii_lowercase()));
        while classes.contains(&class) || is_in(TAKEN_TYPES, &class) {
            class.insert_str(class.len() - "Error".len(), "Code");
        }
        classes.push(class.clone());
        e.variant = class;
    }
    for (e, out) in bp.endpoints.iter().zip(&mut context.endpoints) {
        if let Some(parts) = &e.location {
            out.location = location(d, parts);
        }
        for (case, test) in e.cases.iter().zip(&mut out.tests) {
            test.seed_code = seed_code(d, bp, &case.setup);
            if let Some(RequestBody::Sample { ty }) = &case.request.body
                && !case.setup.body.is_empty()
            {
                test.seed_code.push(format!(
                    "body = {}().model_dump(mode=\"json\")",
                    d.sample_fn(ty)
                ));
                for link in &case.setup.body {
                    let key = bp
                        .entity(&link.entity)
                        .map(|e| e.key.as_str())
                        .unwrap_or_default();
                    test.seed_code.push(format!(
                        "body[{}] = {}.model_dump(mode=\"json\")[{}]",
                        string(&link.field),
                        link.binding,
                        string(key)
                    ));
                }
                test.body_code = "body".into();
            }
        }
    }
}

/// `f"/orders/{path_segment(output.id)}"`, parenthesised on lines of its own
/// when `    http_response.headers["Location"] = <it>` would pass ruff's 88 columns.
fn location(d: &Python, parts: &[LocationPart]) -> String {
    let mut text = String::new();
    for part in parts {
        text.push('/');
        match part {
            LocationPart::Literal { text: literal } => {
                text.push_str(&literal.replace('{', "{{").replace('}', "}}"));
            }
            LocationPart::Field { name } => {
                text.push_str(&format!("{{path_segment(output.{})}}", d.ident(name)));
            }
            LocationPart::Param { name } => {
                text.push_str(&format!("{{path_segment({})}}", d.ident(name)));
            }
        }
    }
    let location = format!("f{}", string(&text));
    if location.len() + 40 > format::LINE {
        format!("(\n        {location}\n    )")
    } else {
        location
    }
}

/// The lines a test runs before its request (at the test body's indentation):
/// the blueprint's setup, each item bound to a name only when something reads it.
fn seed_code(d: &Python, bp: &Blueprint, setup: &blueprint::Setup) -> Vec<String> {
    let mut code = Vec::new();
    for stored in &setup.stored {
        let Some(e) = bp.entity(&stored.entity) else {
            continue;
        };
        let sample = d.sample_fn(&TypeName::Entity {
            name: e.name.clone(),
        });
        let item = if stored.links.is_empty() {
            format!("{sample}()")
        } else {
            // Each item its own name: mypy types a name once.
            let item = format!("{}_item", stored.binding);
            code.push(format!("{item} = {sample}()"));
            for link in &stored.links {
                let key = bp
                    .entity(&link.entity)
                    .map(|p| d.ident(&p.key))
                    .unwrap_or_default();
                code.push(format!(
                    "{item}.{} = {}.{key}",
                    d.ident(&link.field),
                    link.binding
                ));
            }
            item
        };
        let bind = if stored.read {
            format!("{} = ", stored.binding)
        } else {
            String::new()
        };
        code.push(format!("{bind}asyncio.run("));
        code.push(format!(
            "    service.{}.insert({item}),",
            d.ident(&e.collection)
        ));
        code.push(")".into());
    }
    code
}
