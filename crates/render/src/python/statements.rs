//! What the Python dialect writes itself: each 201's `Location`, the class of
//! each error code, and the statements a test runs before its request (the
//! items it needs stored first, references before what refers to them).

use scaffold_parser::case;

use super::{Python, TAKEN_TYPES, format, is_in, string};
use crate::blueprint::{self, Blueprint, LocationPart, Plan, RequestBody, TypeName};
use crate::context::DomainContext;
use crate::dialect::Dialect;

pub(super) fn fill(d: &Python, bp: &Blueprint, context: &mut DomainContext) {
    // An error code is a class (`ORDER_NOT_FOUND` -> `OrderNotFoundError`):
    // its `variant`, kept apart from the domain's own error class.
    let mut classes: Vec<String> = vec![context.error.clone()];
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
            let mut seeds = Seeds::default();
            if let Some(entity) = &case.seed {
                seeds.store(d, bp, entity, test.seed_binding == "seeded", 0);
            }
            if (200..300).contains(&case.status) {
                seeds.hooked_references(d, bp, &e.operation);
            }
            if let Some(RequestBody::Sample { ty }) = &case.request.body
                && (200..300).contains(&case.status)
                && seeds.body_references(d, bp, &e.operation, ty)
            {
                test.body_code = "body".into();
            }
            test.seed_code = seeds.code;
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
/// each item is stored after the items it refers to (the in-memory tables check
/// references), its reference fields set to their keys.
#[derive(Default)]
struct Seeds {
    code: Vec<String>,
    parents: usize,
}

impl Seeds {
    /// Stores a sample of `entity`, bound to `binding` when `bound`.
    fn store_as(
        &mut self,
        d: &Python,
        bp: &Blueprint,
        entity: &str,
        binding: Option<&str>,
        depth: usize,
    ) {
        let Some(e) = bp.entity(entity) else {
            return;
        };
        let accessor = d.ident(&e.collection);
        let sample = d.sample_fn(&TypeName::Entity {
            name: e.name.clone(),
        });
        // A required reference to its own entity cannot be stored first; deep
        // chains stop where a cycle would start.
        let refs: Vec<&blueprint::Reference> = e
            .references
            .iter()
            .filter(|r| !r.optional && r.entity != e.name && depth < 4)
            .collect();
        let item = if refs.is_empty() {
            format!("{sample}()")
        } else {
            // Each item its own name: mypy types a name once.
            let item = match binding {
                Some(binding) => format!("{binding}_item"),
                None => {
                    self.parents += 1;
                    format!("stored_{}_item", self.parents)
                }
            };
            let mut assign = Vec::new();
            for r in refs {
                let parent = self.parent(d, bp, &r.entity, depth);
                assign.push(format!("{item}.{} = {parent}", d.ident(&r.field)));
            }
            self.code.push(format!("{item} = {sample}()"));
            self.code.extend(assign);
            item
        };
        let bind = binding.map(|b| format!("{b} = ")).unwrap_or_default();
        self.code.push(format!("{bind}asyncio.run("));
        self.code
            .push(format!("    service.{accessor}.insert({item}),"));
        self.code.push(")".into());
    }

    fn store(&mut self, d: &Python, bp: &Blueprint, entity: &str, bound: bool, depth: usize) {
        self.store_as(d, bp, entity, bound.then_some("seeded"), depth);
    }

    /// Stores a parent and answers the expression of its key.
    fn parent(&mut self, d: &Python, bp: &Blueprint, entity: &str, depth: usize) -> String {
        let binding = format!("parent_{}", self.parents);
        self.parents += 1;
        self.store_as(d, bp, entity, Some(&binding), depth + 1);
        let Some(parent) = bp.entity(entity) else {
            return String::new();
        };
        format!("{binding}.{}", d.ident(&parent.key))
    }

    /// For a create whose owned hooks compute a required reference (rules.py
    /// answers the key of a stored item until written): an item to refer to.
    fn hooked_references(&mut self, d: &Python, bp: &Blueprint, operation: &str) {
        let Some(op) = bp.operations.iter().find(|o| o.name == operation) else {
            return;
        };
        let Plan::Create { entity, values, .. } = &op.plan else {
            return;
        };
        let Some(e) = bp.entity(entity) else {
            return;
        };
        for value in values {
            if !matches!(value.from, blueprint::ValueFrom::Hook { .. }) {
                continue;
            }
            if let Some(r) = e
                .references
                .iter()
                .find(|r| r.field == value.field && !r.optional)
            {
                self.store_as(d, bp, &r.entity, None, 1);
            }
        }
    }

    /// For a create's body: the reference fields of the created entity the body
    /// carries, each set to a stored parent's key (`body["order_id"] = ...`);
    /// whether there were any (the request then sends `body`).
    fn body_references(
        &mut self,
        d: &Python,
        bp: &Blueprint,
        operation: &str,
        body: &TypeName,
    ) -> bool {
        let Some(op) = bp.operations.iter().find(|o| o.name == operation) else {
            return false;
        };
        let Plan::Create { entity, .. } = &op.plan else {
            return false;
        };
        let (Some(e), Some(st)) = (bp.entity(entity), bp.find_struct(body)) else {
            return false;
        };
        let mut lines = Vec::new();
        for r in &e.references {
            if r.entity == e.name || !st.fields.iter().any(|f| f.name == r.field) {
                continue;
            }
            let Some(parent_entity) = bp.entity(&r.entity) else {
                continue;
            };
            let parent = self.parent(d, bp, &r.entity, 0);
            let binding = parent.split('.').next().unwrap_or_default().to_string();
            lines.push(format!(
                "body[{}] = {binding}.model_dump(mode=\"json\")[{}]",
                string(&r.field),
                string(&parent_entity.key)
            ));
        }
        if lines.is_empty() {
            return false;
        }
        self.code.push(format!(
            "body = {}().model_dump(mode=\"json\")",
            d.sample_fn(body)
        ));
        self.code.extend(lines);
        true
    }
}
