//! Created by scaffold from specs/ORD-142/spec.md, specs/ORD-150/data-model.md, specs/ORD-150/spec.md; yours to edit: later spec changes are merged in.
//!
//! The `orders` service: one method per operation, and the domain's errors.

use std::sync::Arc;
use super::models::*;
use super::repository::*;

/// Everything an operation of `orders` can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum OrdersError {
    /// EMPTY_ORDER (422): An order needs at least one line
    EmptyOrder,
    /// ORDER_NOT_FOUND (404): No such order
    OrderNotFound,
    /// ORDER_NOT_CANCELLABLE (409): Only pending orders can be cancelled
    OrderNotCancellable,
    /// The item an operation looks up does not exist (404).
    NotFound,
    /// The input breaks constraints of the spec (422).
    Validation(Vec<FieldError>),
    /// The operation has no implementation yet (501).
    NotImplemented(&'static str),
    /// Storage failed (500).
    Repository(RepositoryError),
}

impl OrdersError {
    /// The stable code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptyOrder => "EMPTY_ORDER",
            Self::OrderNotFound => "ORDER_NOT_FOUND",
            Self::OrderNotCancellable => "ORDER_NOT_CANCELLABLE",
            Self::NotFound => "NOT_FOUND",
            Self::Validation(_) => "VALIDATION_FAILED",
            Self::NotImplemented(_) => "NOT_IMPLEMENTED",
            Self::Repository(_) => "INTERNAL",
        }
    }

    /// The HTTP status declared in the spec.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::EmptyOrder => 422,
            Self::OrderNotFound => 404,
            Self::OrderNotCancellable => 409,
            Self::NotFound => 404,
            Self::Validation(_) => 422,
            Self::NotImplemented(_) => 501,
            Self::Repository(_) => 500,
        }
    }
}

impl std::fmt::Display for OrdersError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::EmptyOrder => f.write_str("An order needs at least one line"),
            Self::OrderNotFound => f.write_str("No such order"),
            Self::OrderNotCancellable => {
                f.write_str("Only pending orders can be cancelled")
            }
            Self::NotFound => f.write_str("not found"),
            Self::Validation(errors) => write!(f, "{} invalid field(s)", errors.len()),
            Self::NotImplemented(operation) => {
                write!(f, "{operation} is not implemented yet")
            }
            Self::Repository(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for OrdersError {}
impl From<RepositoryError> for OrdersError {
    fn from(error: RepositoryError) -> Self {
        Self::Repository(error)
    }
}

/// The operations of `orders`.
#[derive(Clone)]
pub struct OrdersService {
    orders: Arc<dyn OrderRepository>,
    order_lines: Arc<dyn OrderLineRepository>,
    delivery_notes: Arc<dyn DeliveryNoteRepository>,
}

impl std::fmt::Debug for OrdersService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrdersService").finish_non_exhaustive()
    }
}

impl Default for OrdersService {
    fn default() -> Self {
        Self::in_memory()
    }
}

impl OrdersService {
    pub fn new(
        orders: Arc<dyn OrderRepository>,
        order_lines: Arc<dyn OrderLineRepository>,
        delivery_notes: Arc<dyn DeliveryNoteRepository>,
    ) -> Self {
        Self {
            orders,
            order_lines,
            delivery_notes,
        }
    }

    /// A service over in-memory repositories.
    pub fn in_memory() -> Self {
        Self::new(
            Arc::new(InMemoryOrderRepository::default()),
            Arc::new(InMemoryOrderLineRepository::default()),
            Arc::new(InMemoryDeliveryNoteRepository::default()),
        )
    }

    pub fn orders(&self) -> &Arc<dyn OrderRepository> {
        &self.orders
    }

    pub fn order_lines(&self) -> &Arc<dyn OrderLineRepository> {
        &self.order_lines
    }

    pub fn delivery_notes(&self) -> &Arc<dyn DeliveryNoteRepository> {
        &self.delivery_notes
    }

    /// OP-001 PlaceOrder.
    ///
    /// Rules it must enforce:
    /// - FR-001: System MUST reject orders without lines.
    ///
    /// Errors: `EMPTY_ORDER`.
    pub async fn place_order(
        &self,
        input: PlaceOrderInput,
    ) -> Result<Order, OrdersError> {
        input.validate().map_err(OrdersError::Validation)?;
        let item = Order {
            id: self.orders.next_key().await?,
            customer_id: input.customer_id,
            status: OrderStatus::Pending,
            total_cents: 0,
            note: input.note,
            created_at: chrono::Utc::now(),
        };
        item.validate().map_err(OrdersError::Validation)?;
        Ok(self.orders.insert(item).await?)
    }

    /// OP-002 GetOrder.
    ///
    /// Errors: `ORDER_NOT_FOUND`.
    pub async fn get_order(&self, order_id: uuid::Uuid) -> Result<Order, OrdersError> {
        let item = self.orders.get(order_id).await?.ok_or(OrdersError::OrderNotFound)?;
        Ok(item)
    }

    /// OP-003 CancelOrder.
    ///
    /// Rules it must enforce:
    /// - FR-002: Customers MUST be able to cancel an order only while it is pending.
    ///
    /// Errors: `ORDER_NOT_FOUND`, `ORDER_NOT_CANCELLABLE`.
    ///
    /// Free operation: answers 501 Not Implemented until its body is written.
    pub async fn cancel_order(
        &self,
        input: CancelOrderInput,
    ) -> Result<Order, OrdersError> {
        let _ = (input,);
        Err(OrdersError::NotImplemented("CancelOrder"))
    }

    /// OP-010 ListOrders.
    ///
    /// Rules it must enforce:
    /// - FR-001: Support staff MUST be able to list the orders of one customer.
    pub async fn list_orders(
        &self,
        input: ListOrdersInput,
    ) -> Result<Vec<Order>, OrdersError> {
        input.validate().map_err(OrdersError::Validation)?;
        let items = self
            .orders
            .list()
            .await?
            .into_iter()
            .filter(|item| {
                input
                    .customer_id
                    .as_ref()
                    .is_none_or(|wanted| &item.customer_id == wanted)
                    && input.status.as_ref().is_none_or(|wanted| &item.status == wanted)
            })
            .collect::<Vec<_>>();
        Ok(items)
    }

    /// OP-011 UpdateOrder.
    ///
    /// Rules it must enforce:
    /// - FR-002: Only the note and the status of an order may be changed after it is placed.
    ///
    /// Errors: `ORDER_NOT_FOUND`.
    pub async fn update_order(
        &self,
        order_id: uuid::Uuid,
        input: UpdateOrderInput,
    ) -> Result<Order, OrdersError> {
        input.validate().map_err(OrdersError::Validation)?;
        let mut item = self
            .orders
            .get(order_id)
            .await?
            .ok_or(OrdersError::OrderNotFound)?;
        if let Some(value) = input.note {
            item.note = Some(value);
        }
        if let Some(value) = input.status {
            item.status = value;
        }
        item.validate().map_err(OrdersError::Validation)?;
        let item = self.orders.update(item).await?.ok_or(OrdersError::OrderNotFound)?;
        Ok(item)
    }

    /// OP-012 DeleteOrder.
    ///
    /// Errors: `ORDER_NOT_FOUND`.
    pub async fn delete_order(&self, order_id: uuid::Uuid) -> Result<(), OrdersError> {
        if !self.orders.delete(order_id).await? {
            return Err(OrdersError::OrderNotFound);
        }
        Ok(())
    }

    /// OP-013 AddDeliveryNote.
    pub async fn add_delivery_note(
        &self,
        input: AddDeliveryNoteInput,
    ) -> Result<DeliveryNote, OrdersError> {
        input.validate().map_err(OrdersError::Validation)?;
        let item = DeliveryNote {
            id: self.delivery_notes.next_key().await?,
            order_id: input.order_id,
            carrier: input.carrier,
            tracking_code: input.tracking_code,
            weight_kg: input.weight_kg,
            shipped_on: None,
            metadata: None,
        };
        item.validate().map_err(OrdersError::Validation)?;
        Ok(self.delivery_notes.insert(item).await?)
    }
}

/// Free operations answer 501 until they are written: replace each test when you implement its operation.
#[cfg(test)]
mod tests {
    use super::*;
    use super::super::super::scaffold_support::testing::send;
    use super::super::super::scaffold_support::testing::path_value;

    #[tokio::test]
    async fn cancel_order_answers_501_until_implemented() {
        let app = super::super::routes::router(
            std::sync::Arc::new(OrdersService::in_memory()),
        );
        let (status, body) = send(
                app,
                "POST",
                &format!("/orders/{}/cancel", path_value(& uuid::Uuid::new_v4())),
                None,
            )
            .await;
        assert_eq!(status.as_u16(), 501, "{body}");
        assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
    }
}
