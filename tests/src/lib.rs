//! End-to-end tests of scaffold live in `e2e/`; this library is empty.
