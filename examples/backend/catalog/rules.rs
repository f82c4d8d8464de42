//! Created by scaffold from specs/KIT-1/spec.md; yours to edit: later spec changes are merged in.
//!
//! What the spec of `catalog` leaves to people: the rules of its operations
//! (hooks the generated service calls before it acts), the fields it cannot
//! compute, and the bodies of free operations. The rest is in `service.rs`.

#[allow(
    unused_imports,
    reason = "the types an operation written here may need"
)]
use super::models::*;

#[allow(
    unused_imports,
    reason = "the repositories an operation written here may need"
)]
use super::repository::*;
use super::service::{CatalogError, CatalogService};

impl CatalogService {
    /// The rules of CreateProduct, checked once its input is valid and before it acts:
    /// - FR-001: SKUs MUST be unique.
    ///
    /// Answer an error of the domain to refuse the request.
    pub(super) async fn create_product_rules(
        &self,
        input: &CreateProductInput,
    ) -> Result<(), CatalogError> {
        let _ = (input,);
        Ok(())
    }

    /// Recalculate.
    ///
    /// Rules it must enforce:
    /// - FR-002: Recalculation MUST NOT change retired products.
    ///
    /// Free operation: answers 501 Not Implemented until its body is written.
    pub async fn recalculate(&self, input: RecalculateInput) -> Result<i32, CatalogError> {
        let _ = (input,);
        Err(CatalogError::NotImplemented("Recalculate"))
    }
}
