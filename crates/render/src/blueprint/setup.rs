//! What a generated test stores before its request: the case's seeded item,
//! the items a create's owned hooks pick, and the items its body refers to,
//! each stored after the items it refers to (storage checks references). One
//! plan for every stack; a dialect only spells it.

use serde::Serialize;

use super::{Blueprint, Endpoint, Plan, RequestBody, TypeName, ValueFrom};

/// How deep a chain of required references is stored (a cycle stops there).
const MAX_DEPTH: usize = 4;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Setup {
    /// In the order they are stored.
    pub stored: Vec<Stored>,
    /// Reference fields of the request body, set to stored items' keys.
    pub body: Vec<Link>,
}

/// One item stored before the request: a sample of its entity.
#[derive(Debug, Clone, Serialize)]
pub struct Stored {
    pub entity: String,
    /// `seeded` (the case's seed) or `parent_N`, unique within the test.
    pub binding: String,
    /// Whether anything reads it (an item or the body referring to it, the
    /// request or its check); an unread item is stored for an owned hook to find.
    pub read: bool,
    /// Its required reference fields, set to earlier items' keys.
    pub links: Vec<Link>,
}

/// A reference field set to the key of a stored item.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub field: String,
    /// The stored item's binding and entity.
    pub binding: String,
    pub entity: String,
}

/// Fills every case's `setup`.
pub(super) fn plan(bp: &Blueprint, endpoints: &mut [Endpoint]) {
    for endpoint in endpoints {
        let create = bp
            .operations
            .iter()
            .find(|o| o.name == endpoint.operation)
            .and_then(|o| match &o.plan {
                Plan::Create { entity, values, .. } => Some((entity, values)),
                _ => None,
            });
        for case in &mut endpoint.cases {
            let mut planner = Planner {
                bp,
                setup: Setup::default(),
                parents: 0,
            };
            if let Some(seed) = &case.seed {
                planner.store(seed, "seeded".into(), case.reads_seed, 0);
            }
            let Some((entity, values)) = create.filter(|_| (200..300).contains(&case.status))
            else {
                case.setup = planner.setup;
                continue;
            };
            // An owned hook answers the first stored item it may refer to: one is stored.
            for value in values {
                if matches!(value.from, ValueFrom::Hook { .. })
                    && let Some(target) = bp.referred(entity, &value.field)
                {
                    let binding = planner.next_parent();
                    planner.store(&target.name, binding, false, 1);
                }
            }
            if let Some(RequestBody::Sample { ty }) = &case.request.body {
                planner.body(entity, ty);
            }
            case.setup = planner.setup;
        }
    }
}

/// What a storage test stores before an item of `entity` can be stored (the
/// items its required references name, each after its own), and the item
/// itself last, bound `item`: `None` when no item can be stored, because a
/// chain of required references comes back to an entity on it (its own entity
/// included) or is longer than [`MAX_DEPTH`].
pub fn storage(bp: &Blueprint, entity: &str) -> Option<Setup> {
    fn storable<'b>(bp: &'b Blueprint, entity: &'b str, path: &mut Vec<&'b str>) -> bool {
        let Some(e) = bp.entity(entity) else {
            return false;
        };
        let mut required = e.references.iter().filter(|r| !r.optional).peekable();
        if required.peek().is_none() {
            return true;
        }
        if path.len() >= MAX_DEPTH {
            return false;
        }
        path.push(entity);
        let ok =
            required.all(|r| !path.contains(&r.entity.as_str()) && storable(bp, &r.entity, path));
        path.pop();
        ok
    }
    if !storable(bp, entity, &mut Vec::new()) {
        return None;
    }
    let mut planner = Planner {
        bp,
        setup: Setup::default(),
        parents: 0,
    };
    planner.store(entity, "item".into(), true, 0);
    Some(planner.setup)
}

struct Planner<'a> {
    bp: &'a Blueprint,
    setup: Setup,
    parents: usize,
}

impl Planner<'_> {
    fn next_parent(&mut self) -> String {
        let binding = format!("parent_{}", self.parents);
        self.parents += 1;
        binding
    }

    /// Stores a sample of `entity`, the items its required references name first.
    fn store(&mut self, entity: &str, binding: String, read: bool, depth: usize) {
        let Some(e) = self.bp.entity(entity) else {
            return;
        };
        // A required reference to its own entity cannot be stored first.
        let links = e
            .references
            .iter()
            .filter(|r| !r.optional && r.entity != e.name && depth < MAX_DEPTH)
            .map(|r| Link {
                field: r.field.clone(),
                binding: self.parent(&r.entity, depth + 1),
                entity: r.entity.clone(),
            })
            .collect();
        self.setup.stored.push(Stored {
            entity: e.name.clone(),
            binding,
            read,
            links,
        });
    }

    /// Stores an item referred to and answers its binding.
    fn parent(&mut self, entity: &str, depth: usize) -> String {
        let binding = self.next_parent();
        self.store(entity, binding.clone(), true, depth);
        binding
    }

    /// The reference fields of the created entity that the body carries.
    fn body(&mut self, entity: &str, body: &TypeName) {
        let (Some(e), Some(st)) = (self.bp.entity(entity), self.bp.find_struct(body)) else {
            return;
        };
        for r in &e.references {
            if r.entity == e.name || !st.fields.iter().any(|f| f.name == r.field) {
                continue;
            }
            let binding = self.parent(&r.entity, 1);
            self.setup.body.push(Link {
                field: r.field.clone(),
                binding,
                entity: r.entity.clone(),
            });
        }
    }
}
