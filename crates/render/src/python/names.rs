//! Python spellings that depend on the whole domain: class names chosen so
//! that none clashes with another or with an import, and service methods
//! kept apart from the service's own attributes.

use std::collections::{HashMap, HashSet};

use scaffold_parser::case;

use super::{TAKEN_TYPES, class};
use crate::blueprint::{Blueprint, TypeName};
use crate::context::{DomainContext, EntityTypes};
use crate::dialect::first_free;

/// The class of every type `bp` declares: entities first (with the
/// repository, in-memory repository and filter classes named after them),
/// then enums and operation types, each given a suffix when its spelling is
/// taken (the enum of a field `input` of `Archive` and the input of the
/// operation `Archive` are both `ArchiveInput` before this).
pub(super) fn classes(bp: &Blueprint) -> HashMap<TypeName, String> {
    let mut taken: HashSet<String> = TAKEN_TYPES.split_whitespace().map(String::from).collect();
    let stem = case::pascal(&bp.name);
    taken.extend(["Service", "Error", "Rules"].map(|s| format!("{stem}{s}")));
    let mut classes = HashMap::new();
    for entity in &bp.entities {
        let claims = EntityTypes::claims;
        let spelled = first_free(&taken, &case::pascal(&entity.name), "Record", claims);
        taken.extend(claims(&spelled));
        classes.insert(
            TypeName::Entity {
                name: entity.name.clone(),
            },
            spelled,
        );
    }
    let others = bp
        .enums
        .iter()
        .map(|e| &e.name)
        .chain(bp.structs.iter().map(|s| &s.name));
    for name in others {
        if classes.contains_key(name) {
            continue;
        }
        let suffix = match name {
            TypeName::Entity { .. } => continue,
            TypeName::Enum { .. } => "Enum",
            _ => "Type",
        };
        let base = base_class(name, |owner| {
            classes
                .get(&TypeName::Entity {
                    name: owner.to_string(),
                })
                .cloned()
                .unwrap_or_else(|| class(owner))
        });
        let spelled = first_free(&taken, &base, suffix, |t| vec![t.to_string()]);
        taken.insert(spelled.clone());
        classes.insert(name.clone(), spelled);
    }
    classes
}

/// A type's class before other names are looked at: `status` of `Order` is
/// `OrderStatus` (with the owner spelled by `owner`), the input of `PlaceOrder`
/// is `PlaceOrderInput`; `repository` of `Order` is not `OrderRepository`, the
/// protocol's name (nor a service's or an error's).
pub(super) fn base_class(name: &TypeName, owner: impl Fn(&str) -> String) -> String {
    match name {
        TypeName::Entity { name } => class(name),
        TypeName::Enum { owner: o, field } => {
            let name = format!("{}{}", owner(o), case::pascal(field));
            let taken = ["Repository", "Service", "Error"]
                .iter()
                .any(|s| name.ends_with(s));
            if taken { format!("{name}Enum") } else { name }
        }
        TypeName::Output { operation } => format!("{}Output", case::pascal(operation)),
        TypeName::Input { operation } => format!("{}Input", case::pascal(operation)),
        TypeName::Body { operation } => format!("{}Body", case::pascal(operation)),
        TypeName::Request { operation } => format!("{}Request", case::pascal(operation)),
        TypeName::Response { operation } => format!("{}Response", case::pascal(operation)),
    }
}

/// Service methods renamed where one would take a name the service already
/// has: a repository attribute (`self.items` for the entity `Item`, so the
/// operation `Items` is `items_op`), `in_memory`, or another operation's hook.
pub(super) fn unique_methods(cx: &mut DomainContext) {
    let mut taken: HashSet<String> = HashSet::from(["in_memory".to_string()]);
    taken.extend(cx.entities.iter().map(|e| e.accessor.clone()));
    for op in &cx.operations {
        taken.extend(op.value_hooks.iter().map(|h| h.method.clone()));
        if !op.rule_hook.is_empty() {
            taken.insert(op.rule_hook.clone());
        }
    }
    let mut renamed: HashMap<String, String> = HashMap::new();
    for op in &mut cx.operations {
        if taken.contains(&op.method) {
            let spelled = first_free(&taken, &format!("{}_op", op.method), "_", |m| {
                vec![m.to_string()]
            });
            renamed.insert(op.method.clone(), spelled.clone());
            op.method = spelled;
        }
        taken.insert(op.method.clone());
    }
    for e in &mut cx.endpoints {
        if let Some(method) = renamed.get(&e.operation) {
            e.operation = method.clone();
        }
    }
}
