//! Shrinking: smaller specs that keep a failure. Each candidate removes one
//! thing (a domain, an entity, an operation, a route, a field, an input, a
//! constraint, ...) and is then repaired, so it stays valid: whatever named
//! the removed thing goes too (an input of a removed field, a route whose
//! parameter is no longer an input, an operation on a removed entity).

use crate::model::{Constraint, Input, Kind, Output, Spec, Ty};

/// Every spec one removal smaller than `spec`, repaired, biggest cuts first.
pub fn candidates(spec: &Spec) -> Vec<Spec> {
    let mut out = Vec::new();
    let mut push = |candidate: Spec| {
        let repaired = repair(candidate);
        if repaired.size() < spec.size() && !out.contains(&repaired) {
            out.push(repaired);
        }
    };
    for d in 0..spec.domains.len() {
        let mut c = spec.clone();
        c.domains.remove(d);
        push(c);
    }
    for (d, domain) in spec.domains.iter().enumerate() {
        for (t, ticket) in domain.tickets.iter().enumerate() {
            for e in 0..ticket.entities.len() {
                let mut c = spec.clone();
                c.domains[d].tickets[t].entities.remove(e);
                push(c);
            }
            for o in 0..ticket.operations.len() {
                let mut c = spec.clone();
                c.domains[d].tickets[t].operations.remove(o);
                push(c);
            }
        }
    }
    for (d, domain) in spec.domains.iter().enumerate() {
        for (t, ticket) in domain.tickets.iter().enumerate() {
            for (o, op) in ticket.operations.iter().enumerate() {
                for r in 0..op.endpoints.len() {
                    let mut c = spec.clone();
                    c.domains[d].tickets[t].operations[o].endpoints.remove(r);
                    push(c);
                }
                for i in 0..op.inputs.len() {
                    let mut c = spec.clone();
                    c.domains[d].tickets[t].operations[o].inputs.remove(i);
                    push(c);
                }
                if !op.rules.is_empty()
                    || !op.errors.is_empty()
                    || op.description.is_some()
                    || op.id.is_some()
                {
                    let mut c = spec.clone();
                    let op = &mut c.domains[d].tickets[t].operations[o];
                    op.rules.clear();
                    op.errors.clear();
                    op.description = None;
                    op.id = None;
                    push(c);
                }
            }
            for (e, entity) in ticket.entities.iter().enumerate() {
                for f in 1..entity.fields.len() {
                    let mut c = spec.clone();
                    c.domains[d].tickets[t].entities[e].fields.remove(f);
                    push(c);
                }
                for r in 0..entity.relationships.len() {
                    let mut c = spec.clone();
                    c.domains[d].tickets[t].entities[e].relationships.remove(r);
                    push(c);
                }
            }
            for r in 0..ticket.requirements.len() {
                let mut c = spec.clone();
                c.domains[d].tickets[t].requirements.remove(r);
                push(c);
            }
            for r in 0..ticket.errors.len() {
                let mut c = spec.clone();
                c.domains[d].tickets[t].errors.remove(r);
                push(c);
            }
        }
    }
    for (d, domain) in spec.domains.iter().enumerate() {
        for (t, ticket) in domain.tickets.iter().enumerate() {
            for (e, entity) in ticket.entities.iter().enumerate() {
                for (f, field) in entity.fields.iter().enumerate() {
                    for k in 0..field.constraints.len() {
                        if matches!(field.constraints[k], Constraint::PrimaryKey(_)) {
                            continue;
                        }
                        let mut c = spec.clone();
                        c.domains[d].tickets[t].entities[e].fields[f]
                            .constraints
                            .remove(k);
                        push(c);
                    }
                    if !field.description.is_empty() {
                        let mut c = spec.clone();
                        c.domains[d].tickets[t].entities[e].fields[f]
                            .description
                            .clear();
                        push(c);
                    }
                }
            }
        }
    }
    out
}

/// Removes whatever names something that is gone, until nothing changes.
pub fn repair(mut spec: Spec) -> Spec {
    loop {
        let before = spec.clone();
        for domain in &mut spec.domains {
            let entities: Vec<(String, Vec<String>)> = domain
                .tickets
                .iter()
                .flat_map(|t| &t.entities)
                .map(|e| {
                    (
                        e.name.clone(),
                        e.fields.iter().map(|f| f.name.clone()).collect(),
                    )
                })
                .collect();
            let has = |name: &str| entities.iter().any(|(e, _)| e == name);
            let fields_of = |name: &str| {
                entities
                    .iter()
                    .find(|(e, _)| e == name)
                    .map(|(_, f)| f.clone())
                    .unwrap_or_default()
            };
            let ty_ok = |ty: &Ty| ty.entity().is_none_or(has);
            for ticket in &mut domain.tickets {
                let requirement_ids: Vec<String> =
                    ticket.requirements.iter().map(|r| r.id.clone()).collect();
                let codes: Vec<String> = ticket.errors.iter().map(|e| e.code.clone()).collect();
                for entity in &mut ticket.entities {
                    entity.fields.retain(|f| ty_ok(&f.ty));
                    for field in &mut entity.fields {
                        field.constraints.retain(|c| match c {
                            Constraint::References(target, _) => has(target),
                            _ => true,
                        });
                    }
                    let own: Vec<String> = entity.fields.iter().map(|f| f.name.clone()).collect();
                    entity.relationships.retain(|r| {
                        has(&r.target)
                            && if r.phrase == "belongs to" {
                                own.contains(&r.via)
                            } else {
                                fields_of(&r.target).contains(&r.via)
                            }
                    });
                }
                ticket
                    .operations
                    .retain(|op| op.kind.as_ref().is_none_or(|(_, e)| has(e)));
                for op in &mut ticket.operations {
                    let own = op
                        .kind
                        .as_ref()
                        .map(|(_, e)| fields_of(e))
                        .unwrap_or_default();
                    op.inputs.retain(|input| match input {
                        Input::Declared { ty, .. } => ty_ok(ty),
                        Input::Key { entity, .. } => has(entity),
                        Input::Field { name } => {
                            own.contains(name)
                                || entities.iter().filter(|(_, f)| f.contains(name)).count() == 1
                        }
                    });
                    let names: Vec<String> =
                        op.inputs.iter().map(|i| i.name().to_string()).collect();
                    op.endpoints.retain(|endpoint| {
                        endpoint.path.split('/').all(|segment| {
                            segment
                                .strip_prefix('{')
                                .and_then(|s| s.strip_suffix('}'))
                                .is_none_or(|p| names.iter().any(|n| n == p))
                        })
                    });
                    op.rules.retain(|r| requirement_ids.contains(r));
                    op.errors.retain(|c| codes.contains(c));
                    let output_ok = match &op.output {
                        Output::Type(ty) => ty_ok(ty),
                        Output::List(e) => has(e),
                        Output::None(_) => true,
                    };
                    if !output_ok {
                        op.output = Output::None("none");
                    }
                }
                // A lookup without its key is no longer valid.
                ticket.operations.retain(|op| match &op.kind {
                    Some((Kind::Get | Kind::Update | Kind::Delete, entity)) => {
                        let key_names = [
                            fields_of(entity).first().cloned().unwrap_or_default(),
                            format!("{}_id", crate::snake(entity)),
                        ];
                        op.inputs
                            .iter()
                            .any(|i| key_names.iter().any(|k| k == i.name()))
                    }
                    _ => true,
                });
            }
        }
        spec.domains.retain(|d| {
            d.tickets
                .iter()
                .any(|t| !t.entities.is_empty() || !t.operations.is_empty())
        });
        if spec == before {
            return spec;
        }
    }
}
