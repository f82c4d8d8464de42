//! Structs, enums and validation rules: what each declared type holds and checks.

use serde::Serialize;

use scaffold_parser::{Domain, Field, Input, InputSource, Operation, Type};

use super::samples;
use super::{Problem, Ty, TypeName, Value};

/// An enum of a field or input, declared once.
#[derive(Debug, Clone, Serialize)]
pub struct Enum {
    pub name: TypeName,
    /// Variants as written in the spec (the JSON value).
    pub variants: Vec<String>,
    /// The default variant: the field's `default`, else the first.
    pub default: String,
}

/// What a struct is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StructRole {
    Entity,
    Input,
    Body,
    Request,
    Response,
}

/// A struct: an entity, an operation's input, or a request or response body.
#[derive(Debug, Clone, Serialize)]
pub struct Struct {
    pub name: TypeName,
    pub role: StructRole,
    /// One sentence saying what it is (`Entity `Order`.`).
    pub doc: String,
    pub fields: Vec<StructField>,
    /// Every constraint of every field, in field order.
    pub rules: Vec<Rule>,
    /// A value breaking one rule, per rule that can be broken by a value of the field's type.
    pub invalid_cases: Vec<InvalidCase>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StructField {
    /// As written in the spec: also the JSON name.
    pub name: String,
    /// The type without optionality.
    pub ty: Ty,
    /// Absent values allowed (an optional field, or every input of a list or update).
    pub optional: bool,
    /// An update's input for a nullable field: absent (leave it), `null` (clear
    /// it) and a value are three different requests.
    pub clearable: bool,
    /// Read from a query string although it holds objects (an entity, a list of
    /// them): its value there is JSON text (see `mark_json_in_query`).
    pub json_in_query: bool,
    pub doc: String,
    /// A valid value (`Value::None` when optional).
    pub sample: Value,
}

/// A constraint of a field.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// The field's spec name.
    pub field: String,
    pub kind: RuleKind,
    /// The bound as a value of the field's type (a number, a length, an item count;
    /// for `pattern`, the regular expression as `Value::Str`).
    pub bound: Value,
    /// For `pattern`: the index in [`super::Blueprint::patterns`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<usize>,
    /// What the error says (`must be at least 1`).
    pub message: String,
    /// Whether the field is optional: the rule applies only to present values.
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    Min,
    Max,
    MinLength,
    MaxLength,
    Pattern,
    MinItems,
    MaxItems,
}

impl RuleKind {
    /// The rule's name in test names and messages (`max_length`).
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Min => "min",
            RuleKind::Max => "max",
            RuleKind::MinLength => "min_length",
            RuleKind::MaxLength => "max_length",
            RuleKind::Pattern => "pattern",
            RuleKind::MinItems => "min_items",
            RuleKind::MaxItems => "max_items",
        }
    }
}

/// A value of one field that breaks one rule (every other field keeps its sample).
#[derive(Debug, Clone, Serialize)]
pub struct InvalidCase {
    pub field: String,
    pub rule: RuleKind,
    /// Already wrapped (`Value::Some`) when the field is optional.
    pub value: Value,
}

/// A regular expression of a `pattern` constraint, named after the first field that uses it.
#[derive(Debug, Clone, Serialize)]
pub struct Pattern {
    /// The struct of the first field that uses it.
    pub owner: TypeName,
    pub field: String,
    pub regex: String,
}

/// Collects declared types while the blueprint is built.
pub(super) struct Builder<'d> {
    pub domain: &'d Domain,
    pub problems: Vec<Problem>,
    pub structs: Vec<Struct>,
    pub enums: Vec<Enum>,
    pub patterns: Vec<Pattern>,
}

impl<'d> Builder<'d> {
    pub fn new(domain: &'d Domain) -> Self {
        Builder {
            domain,
            problems: Vec::new(),
            structs: Vec::new(),
            enums: Vec::new(),
            patterns: Vec::new(),
        }
    }

    pub fn has_struct(&self, name: &TypeName) -> bool {
        self.structs.iter().any(|s| s.name == *name)
    }

    /// Declares the enum a field needs (once) and returns the name an `enum(...)` of it gets.
    pub fn declare_enum(&mut self, owner: &str, field: &Field) -> TypeName {
        let name = TypeName::Enum {
            owner: owner.to_string(),
            field: field.name.clone(),
        };
        let mut inner = &field.ty;
        while let Type::List(t) = inner {
            inner = t;
        }
        if let Type::Enum(variants) = inner {
            if !self.enums.iter().any(|e| e.name == name) {
                self.enums.push(Enum {
                    name: name.clone(),
                    variants: variants.clone(),
                    default: field.default.clone().unwrap_or_else(|| variants[0].clone()),
                });
            }
        }
        name
    }

    /// The field an input stands for (its entity field's constraints, under the input's name),
    /// with the name its enum gets.
    pub fn input_field(&mut self, op: &Operation, input: &Input) -> (Field, TypeName) {
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

    /// Declares a struct of the given fields: `(field, enum name, forced optional)`.
    pub fn push_struct(
        &mut self,
        name: TypeName,
        role: StructRole,
        doc: String,
        fields: Vec<(&Field, TypeName, bool)>,
    ) {
        let mut out = Vec::new();
        let mut rules = Vec::new();
        let mut invalid_cases = Vec::new();
        for (field, enum_name, force_optional) in fields {
            let optional = !field.required || force_optional;
            let sample = if optional {
                Value::None
            } else {
                match samples::sample(field, &enum_name) {
                    Ok(value) => value,
                    Err(message) => {
                        self.problems.push(Problem {
                            message: format!("{}: {message}", owner_label(&name)),
                            hint: "simplify the pattern, or loosen the length bounds".into(),
                        });
                        Value::Default
                    }
                }
            };
            self.rules(
                &name,
                field,
                &enum_name,
                optional,
                &mut rules,
                &mut invalid_cases,
            );
            out.push(StructField {
                clearable: false,
                json_in_query: false,
                name: field.name.clone(),
                ty: Ty::of(&field.ty, &enum_name),
                optional,
                doc: field.description.clone(),
                sample,
            });
        }
        self.structs.push(Struct {
            name,
            role,
            doc,
            fields: out,
            rules,
            invalid_cases,
        });
    }

    /// Declares a struct whose fields are already resolved (a wrapper around another struct).
    pub fn push_fields(
        &mut self,
        name: TypeName,
        role: StructRole,
        doc: String,
        fields: Vec<StructField>,
    ) {
        self.structs.push(Struct {
            name,
            role,
            doc,
            fields,
            rules: Vec::new(),
            invalid_cases: Vec::new(),
        });
    }

    /// A struct made of an operation's inputs (its input, or the body part of it).
    pub fn push_input_struct(
        &mut self,
        op: &Operation,
        name: TypeName,
        role: StructRole,
        doc: String,
        inputs: &[&Input],
        force_optional: bool,
    ) {
        let fields: Vec<(Field, TypeName)> =
            inputs.iter().map(|i| self.input_field(op, i)).collect();
        let refs = fields
            .iter()
            .map(|(f, e)| (f, e.clone(), force_optional))
            .collect();
        self.push_struct(name, role, doc, refs);
    }

    /// The rules of a field and a value breaking each, where one exists.
    fn rules(
        &mut self,
        owner: &TypeName,
        field: &Field,
        enum_name: &TypeName,
        optional: bool,
        rules: &mut Vec<Rule>,
        cases: &mut Vec<InvalidCase>,
    ) {
        let ty = &field.ty;
        // (kind, bound, message, a value breaking it, pattern index)
        let mut found: Vec<FoundRule> = Vec::new();
        if ty.is_numeric() {
            // A bound at the type's limit checks nothing (clippy: absurd_extreme_comparisons).
            if let Some(min) = field.min.filter(|m| *m > bound_floor(ty)) {
                let bad = (min - 1.0 >= bound_floor(ty)).then(|| samples::number(ty, min - 1.0));
                let message = format!("must be at least {min}");
                found.push((RuleKind::Min, samples::number(ty, min), message, bad, None));
            }
            if let Some(max) = field.max.filter(|m| *m < bound_ceiling(ty)) {
                let bad = (max + 1.0 <= bound_ceiling(ty)).then(|| samples::number(ty, max + 1.0));
                let message = format!("must be at most {max}");
                found.push((RuleKind::Max, samples::number(ty, max), message, bad, None));
            }
        } else if ty.is_text() {
            if let Some(min) = field.min.filter(|m| *m > 0.0) {
                let bad = Value::text("a".repeat(min as usize - 1));
                let message = format!("must have at least {min} characters");
                found.push((RuleKind::MinLength, count(min), message, Some(bad), None));
            }
            if let Some(max) = field.max {
                let bad = Value::Repeat {
                    text: "a".into(),
                    count: max as usize + 1,
                };
                let message = format!("must have at most {max} characters");
                found.push((RuleKind::MaxLength, count(max), message, Some(bad), None));
            }
            if let Some(p) = &field.pattern {
                // One compiled regex per distinct pattern, named after its first field.
                let index = match self.patterns.iter().position(|known| known.regex == *p) {
                    Some(index) => index,
                    None => {
                        self.patterns.push(Pattern {
                            owner: owner.clone(),
                            field: field.name.clone(),
                            regex: p.clone(),
                        });
                        self.patterns.len() - 1
                    }
                };
                let bad = crate::pattern::not_matching(p).map(Value::text);
                let bound = Value::Str { text: p.clone() };
                found.push((
                    RuleKind::Pattern,
                    bound,
                    format!("must match {p}"),
                    bad,
                    Some(index),
                ));
            }
        } else if let Type::List(item) = ty {
            if let Some(min) = field.min.filter(|m| *m > 0.0) {
                let message = format!("must have at least {min} items");
                found.push((
                    RuleKind::MinItems,
                    count(min),
                    message,
                    Some(Value::EmptyList),
                    None,
                ));
            }
            if let Some(max) = field.max {
                let item_field = Field {
                    min: None,
                    max: None,
                    pattern: None,
                    ty: (**item).clone(),
                    ..field.clone()
                };
                let bad = samples::sample(&item_field, enum_name)
                    .ok()
                    .map(|item| Value::ListOf {
                        item: Box::new(item),
                        count: max as usize + 1,
                    });
                let message = format!("must have at most {max} items");
                found.push((RuleKind::MaxItems, count(max), message, bad, None));
            }
        }
        for (kind, bound, message, bad, pattern) in found {
            rules.push(Rule {
                field: field.name.clone(),
                kind,
                bound,
                pattern,
                message,
                optional,
            });
            if let Some(bad) = bad {
                cases.push(InvalidCase {
                    field: field.name.clone(),
                    rule: kind,
                    value: if optional { bad.some() } else { bad },
                });
            }
        }
    }
}

/// A rule as found: kind, bound, message, a value breaking it, pattern index.
type FoundRule = (RuleKind, Value, String, Option<Value>, Option<usize>);

/// A length or item count.
fn count(n: f64) -> Value {
    Value::Int { value: n as i64 }
}

fn owner_label(name: &TypeName) -> String {
    match name {
        TypeName::Entity { name } => name.clone(),
        TypeName::Enum { owner, field } => format!("{owner}.{field}"),
        TypeName::Output { operation } => format!("output of {operation}"),
        TypeName::Input { operation } => format!("input of {operation}"),
        TypeName::Body { operation } => format!("body of {operation}"),
        TypeName::Request { operation } => format!("request of {operation}"),
        TypeName::Response { operation } => format!("response of {operation}"),
    }
}

pub(super) fn plain_field(input: &Input) -> Field {
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
