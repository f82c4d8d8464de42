//! Endpoints: verb, path and statuses bound to the operations they call.

use super::lookup::lookup_input;
use super::paths::{path_params, same_route};
use super::{DomainLowering, parse_status, same_name};
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::source::Span;
use crate::syntax::RawSpec;
use crate::types::{self};

impl DomainLowering<'_> {
    pub(super) fn lower_endpoints(
        &mut self,
        raws: &[RawSpec],
        operations: &[(Operation, Span, bool)],
    ) -> Vec<Endpoint> {
        let mut endpoints: Vec<(Endpoint, Span)> = Vec::new();
        for raw in raws {
            for row in &raw.endpoints {
                let method = row.method.text.to_ascii_uppercase();
                if !matches!(method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
                    self.push(
                        Diagnostic::error(
                            "invalid-value",
                            row.method.span,
                            format!("`{}` is not an HTTP method", row.method.text),
                        )
                        .label("method")
                        .hint("use GET, POST, PUT, PATCH or DELETE"),
                    );
                    continue;
                }
                let path = row.path.text.clone();
                let params = match path_params(&path) {
                    Ok(params) => params,
                    Err(message) => {
                        self.push(Diagnostic::error("invalid-path", row.path.span, message).label("path").hint("paths start with `/` and name parameters in braces: `/orders/{order_id}`"));
                        continue;
                    }
                };
                let Some((op, _, op_ok)) = operations
                    .iter()
                    .find(|(o, _, _)| o.name == row.operation.text)
                else {
                    let names: Vec<String> =
                        operations.iter().map(|(o, _, _)| o.name.clone()).collect();
                    let close = names
                        .iter()
                        .min_by_key(|n| types::edit_distance(n, &row.operation.text))
                        .filter(|n| types::edit_distance(n, &row.operation.text) <= 3);
                    self.push(
                        Diagnostic::error(
                            "unknown-operation",
                            row.operation.span,
                            format!("unknown operation `{}`", row.operation.text),
                        )
                        .label("no operation of this name")
                        .hint(match close {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => {
                                "declare it under ## Operations as `### OP-00N: Name`".to_string()
                            }
                        }),
                    );
                    continue;
                };
                // `{workspaceId}` for the input `workspace_id`, `{id}` for the key
                // input of a get/update/delete: the route names the input.
                let mut path = path;
                let mut params = params;
                for param in params.iter_mut() {
                    if op.inputs.iter().any(|i| &i.name == param) {
                        continue;
                    }
                    let same = op.inputs.iter().find(|i| same_name(&i.name, param));
                    let key = op
                        .kind
                        .as_ref()
                        .filter(|k| k.verb.takes_id())
                        .and_then(|k| lookup_input(&op.inputs, &k.entity, &self.entities));
                    if let Some(input) = same.or(key.filter(|_| {
                        param == "id" || param.ends_with("_id") || param.ends_with("Id")
                    })) {
                        path =
                            path.replace(&format!("{{{param}}}"), &format!("{{{}}}", input.name));
                        *param = input.name.clone();
                    }
                }
                let mut ok = *op_ok;
                for param in params.iter().filter(|_| *op_ok) {
                    if !op.inputs.iter().any(|i| &i.name == param) {
                        let at = row.path.text.find(&format!("{{{param}}}")).unwrap_or(0);
                        let span = Span::new(
                            row.path.span.file,
                            row.path.span.start + at,
                            row.path.span.start + at + param.len() + 2,
                        );
                        self.push(
                            Diagnostic::error(
                                "unknown-path-param",
                                span,
                                format!("path parameter `{param}` is no input of `{}`", op.name),
                            )
                            .label("not an input")
                            .hint(format!(
                                "add `{param}` to the Input of `{}`, or rename the parameter",
                                op.name
                            )),
                        );
                        ok = false;
                    }
                }
                let status = match &row.status {
                    None => default_status(op),
                    Some(at) => match parse_status(&at.text).filter(|s| (200..=299).contains(s)) {
                        Some(s) => s,
                        None => {
                            self.push(
                                Diagnostic::error(
                                    "invalid-value",
                                    at.span,
                                    format!("`{}` is not a success status", at.text),
                                )
                                .label("expected 200 to 299")
                                .hint("201 for create, 204 for delete, 200 otherwise"),
                            );
                            ok = false;
                            0
                        }
                    },
                };
                let mut error_statuses = Vec::new();
                for at in &row.errors {
                    match parse_status(&at.text).filter(|s| (400..=599).contains(s)) {
                        Some(s) => error_statuses.push(s),
                        None => {
                            self.push(
                                Diagnostic::error(
                                    "invalid-value",
                                    at.span,
                                    format!("`{}` is not an HTTP error status", at.text),
                                )
                                .label("expected 400 to 599")
                                .hint("list statuses separated by commas: `404, 409`"),
                            );
                            ok = false;
                        }
                    }
                }
                if !ok {
                    continue;
                }
                let span = row.path.span;
                let endpoint = Endpoint {
                    method,
                    path,
                    operation: op.name.clone(),
                    status,
                    error_statuses,
                    path_params: params,
                    shape: row.shape.clone(),
                };
                if let Some((existing, first)) = endpoints.iter().find(|(e, _)| {
                    e.method == endpoint.method && same_route(&e.path, &endpoint.path)
                }) {
                    if first.file != span.file && *existing == endpoint {
                        continue;
                    }
                    let first = *first;
                    self.push(
                        Diagnostic::error(
                            "duplicate",
                            span,
                            format!(
                                "route `{} {}` is declared twice",
                                endpoint.method, endpoint.path
                            ),
                        )
                        .label("again here")
                        .related(first, "first here")
                        .hint("each method and path may map to one operation only"),
                    );
                    continue;
                }
                endpoints.push((endpoint, span));
            }
        }
        endpoints.into_iter().map(|(e, _)| e).collect()
    }
}

pub(super) fn verb_name(verb: Verb) -> &'static str {
    match verb {
        Verb::Create => "create",
        Verb::Get => "get",
        Verb::List => "list",
        Verb::Update => "update",
        Verb::Delete => "delete",
    }
}

pub(super) fn default_status(op: &Operation) -> u16 {
    match op.kind.as_ref().map(|k| k.verb) {
        Some(Verb::Create) => 201,
        Some(Verb::Delete) => 204,
        _ => 200,
    }
}
