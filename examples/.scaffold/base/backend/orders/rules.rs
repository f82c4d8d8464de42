//! Created by scaffold from specs/ORD-142/spec.md, specs/ORD-150/data-model.md, specs/ORD-150/spec.md; yours to edit: later spec changes are merged in.
//!
//! What the spec of `orders` leaves to people: the rules of its operations
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
use super::service::{OrdersError, OrdersService};

impl OrdersService {
    /// The rules of PlaceOrder, checked once its input is valid and before it acts:
    /// - FR-001: System MUST reject orders without lines.
    ///
    /// Answer an error of the domain to refuse the request.
    pub(super) async fn place_order_rules(
        &self,
        input: &PlaceOrderInput,
    ) -> Result<(), OrdersError> {
        let _ = (input,);
        Ok(())
    }

    /// `total_cents` of the item PlaceOrder stores: the spec requires it, the input
    /// does not give it, and it has no default, so compute it here.
    pub(super) async fn place_order_total_cents(
        &self,
        input: &PlaceOrderInput,
    ) -> Result<i64, OrdersError> {
        let _ = (input,);
        Ok(0)
    }

    /// OP-003 CancelOrder.
    ///
    /// Rules it must enforce:
    /// - FR-002: Customers MUST be able to cancel an order only while it is pending.
    ///
    /// Errors: `ORDER_NOT_FOUND`, `ORDER_NOT_CANCELLABLE`.
    ///
    /// Free operation: answers 501 Not Implemented until its body is written.
    pub async fn cancel_order(&self, input: CancelOrderInput) -> Result<Order, OrdersError> {
        let _ = (input,);
        Err(OrdersError::NotImplemented("CancelOrder"))
    }

    /// The rules of ListOrders, checked once its input is valid and before it acts:
    /// - FR-001: Support staff MUST be able to list the orders of one customer.
    ///
    /// Answer an error of the domain to refuse the request.
    pub(super) async fn list_orders_rules(
        &self,
        input: &ListOrdersInput,
    ) -> Result<(), OrdersError> {
        let _ = (input,);
        Ok(())
    }

    /// The rules of UpdateOrder, checked once its input is valid and before it acts:
    /// - FR-002: Only the note and the status of an order may be changed after it is placed.
    ///
    /// Answer an error of the domain to refuse the request.
    pub(super) async fn update_order_rules(
        &self,
        order_id: &uuid::Uuid,
        input: &UpdateOrderInput,
    ) -> Result<(), OrdersError> {
        let _ = (order_id, input);
        Ok(())
    }
}
