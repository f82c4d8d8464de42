//! Which input identifies the item a get/update/delete works on (key or unique field).

use crate::model::{Entity, Field, Input, InputSource};

/// The input a get/update/delete of `entity` looks its item up by: the one
/// carrying the primary key, else one carrying a required `unique` field
/// (`GET /articles/{slug}`).
pub fn lookup_input<'i>(
    inputs: &'i [Input],
    entity: &str,
    entities: &[Entity],
) -> Option<&'i Input> {
    inputs
        .iter()
        .find(|i| identifies(i, entity, entities))
        .or_else(|| {
            inputs
                .iter()
                .find(|i| unique_field_of(i, entity, entities).is_some())
        })
}

/// The required `unique` field (not the key) of `entity` that the input carries.
pub fn unique_field_of<'e>(
    input: &Input,
    entity: &str,
    entities: &'e [Entity],
) -> Option<&'e Field> {
    let InputSource::Field { entity: e, field } = &input.source else {
        return None;
    };
    if e != entity || !input.required {
        return None;
    }
    entities
        .iter()
        .find(|x| &x.name == e)?
        .field(field)
        .filter(|f| f.unique && f.required && !f.primary_key)
}

/// Whether the input carries the primary key of `entity`.
pub fn identifies(input: &Input, entity: &str, entities: &[Entity]) -> bool {
    match &input.source {
        InputSource::PrimaryKey { entity: e } => e == entity,
        InputSource::Field { entity: e, field } => {
            e == entity
                && entities
                    .iter()
                    .find(|x| &x.name == e)
                    .and_then(Entity::primary_key)
                    .is_some_and(|key| key.name == *field)
        }
        InputSource::Declared => false,
    }
}
