"""Created by scaffold from specs/ORD-142/spec.md, specs/ORD-150/data-model.md, specs/ORD-150/spec.md; yours to edit: later spec changes are merged in.

The `orders` service: one method per operation, and the domain's errors.
"""

from datetime import UTC, datetime
from typing import Self
from uuid import UUID

from ..scaffold_support import DomainError, NotFound, NotImplementedOperation
from .models import (
    AddDeliveryNoteInput,
    CancelOrderInput,
    DeliveryNote,
    ListOrdersInput,
    Order,
    OrderStatus,
    PlaceOrderInput,
    UpdateOrderInput,
)
from .repository import (
    DeliveryNoteRepository,
    InMemoryDeliveryNoteRepository,
    InMemoryOrderLineRepository,
    InMemoryOrderRepository,
    OrderLineRepository,
    OrderRepository,
)


class OrdersError(DomainError):
    """Everything an operation of `orders` can fail with."""


class EmptyOrderError(OrdersError):
    """EMPTY_ORDER (422): An order needs at least one line"""

    code = "EMPTY_ORDER"
    status = 422
    message = "An order needs at least one line"


class OrderNotFoundError(OrdersError):
    """ORDER_NOT_FOUND (404): No such order"""

    code = "ORDER_NOT_FOUND"
    status = 404
    message = "No such order"


class OrderNotCancellableError(OrdersError):
    """ORDER_NOT_CANCELLABLE (409): Only pending orders can be cancelled"""

    code = "ORDER_NOT_CANCELLABLE"
    status = 409
    message = "Only pending orders can be cancelled"


class OrdersService:
    """The operations of `orders`."""

    def __init__(
        self,
        orders: OrderRepository,
        order_lines: OrderLineRepository,
        delivery_notes: DeliveryNoteRepository,
    ) -> None:
        self.orders = orders
        self.order_lines = order_lines
        self.delivery_notes = delivery_notes

    @classmethod
    def in_memory(cls) -> Self:
        """A service over in-memory repositories."""
        return cls(
            InMemoryOrderRepository(),
            InMemoryOrderLineRepository(),
            InMemoryDeliveryNoteRepository(),
        )

    async def place_order(self, input: PlaceOrderInput) -> Order:
        """OP-001 PlaceOrder.

        Rules it must enforce:
        - FR-001: System MUST reject orders without lines.

        Errors: `EMPTY_ORDER`.
        """
        item = Order(
            id=await self.orders.next_key(),
            customer_id=input.customer_id,
            status=OrderStatus.PENDING,
            total_cents=0,
            note=input.note,
            created_at=datetime.now(UTC),
        )
        return await self.orders.insert(item)

    async def get_order(self, order_id: UUID) -> Order:
        """OP-002 GetOrder.

        Errors: `ORDER_NOT_FOUND`.
        """
        item = await self.orders.get(order_id)
        if item is None:
            raise OrderNotFoundError()
        return item

    async def cancel_order(self, input: CancelOrderInput) -> Order:
        """OP-003 CancelOrder.

        Rules it must enforce:
        - FR-002: Customers MUST be able to cancel an order only while it is pending.

        Errors: `ORDER_NOT_FOUND`, `ORDER_NOT_CANCELLABLE`.

        Free operation: answers 501 Not Implemented until its body is written.
        """
        raise NotImplementedOperation("CancelOrder")

    async def list_orders(self, input: ListOrdersInput) -> list[Order]:
        """OP-010 ListOrders.

        Rules it must enforce:
        - FR-001: Support staff MUST be able to list the orders of one customer.
        """
        items = [
            item
            for item in await self.orders.list_all()
            if (input.customer_id is None or item.customer_id == input.customer_id)
            and (input.status is None or item.status == input.status)
        ]
        return items

    async def update_order(self, order_id: UUID, input: UpdateOrderInput) -> Order:
        """OP-011 UpdateOrder.

        Rules it must enforce:
        - FR-002: Only the note and the status of an order may be changed after it is placed.

        Errors: `ORDER_NOT_FOUND`.
        """
        item = await self.orders.get(order_id)
        if item is None:
            raise OrderNotFoundError()
        if input.note is not None:
            item.note = input.note
        if input.status is not None:
            item.status = input.status
        updated = await self.orders.update(item)
        if updated is None:
            raise OrderNotFoundError()
        return updated

    async def delete_order(self, order_id: UUID) -> None:
        """OP-012 DeleteOrder.

        Errors: `ORDER_NOT_FOUND`.
        """
        item = await self.orders.get(order_id)
        if item is None:
            raise OrderNotFoundError()
        await self.orders.delete(item.id)

    async def add_delivery_note(self, input: AddDeliveryNoteInput) -> DeliveryNote:
        """OP-013 AddDeliveryNote."""
        if await self.orders.get(input.order_id) is None:
            raise NotFound()
        item = DeliveryNote(
            id=await self.delivery_notes.next_key(),
            order_id=input.order_id,
            carrier=input.carrier,
            tracking_code=input.tracking_code,
            weight_kg=input.weight_kg,
            shipped_on=None,
            metadata=None,
        )
        return await self.delivery_notes.insert(item)
