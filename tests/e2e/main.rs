//! End-to-end tests: the `scaffold` binary spawned as a user runs it.

mod aggregates;
mod api_shapes;
mod cli;
mod contracts;
mod daily;
mod formatting;
mod fuzz;
mod fuzz_python;
mod generated_code;
mod guard;
mod guard_commits;
mod http;
mod pg;
mod postgres;
mod postgres_repository;
mod python;
mod regenerate;
mod sandbox;
mod speckit;
mod speckit_flow;
mod support;
mod tidy;
