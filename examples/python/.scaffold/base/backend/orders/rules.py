"""Created by scaffold from specs/ORD-142/spec.md, specs/ORD-150/data-model.md, specs/ORD-150/spec.md; yours to edit: later spec changes are merged in.

What the spec of `orders` leaves to people: the rules of its operations
(hooks the generated service calls before it acts), the fields it cannot
compute, and the bodies of free operations. The rest is in `service.py`.
"""

from uuid import UUID

from ..scaffold_support import NotImplementedOperation
from .models import (
    CancelOrderInput,
    ListOrdersInput,
    Order,
    PlaceOrderInput,
    UpdateOrderInput,
)
from .repository import DeliveryNoteRepository, OrderLineRepository, OrderRepository


class OrdersRules:
    """The hand-written part of `OrdersService`, which inherits it: its
    repositories are attributes here too."""

    orders: OrderRepository
    order_lines: OrderLineRepository
    delivery_notes: DeliveryNoteRepository

    async def place_order_rules(self, input: PlaceOrderInput) -> None:
        """The rules of PlaceOrder, checked once its input is valid and before it acts:
        - FR-001: System MUST reject orders without lines.

        Raise an error of the domain (errors.py) to refuse the request.
        """

    async def place_order_total_cents(self, input: PlaceOrderInput) -> int:
        """`total_cents` of the item PlaceOrder stores: the spec requires it, the input
        does not give it, and it has no default, so compute it here."""
        return 0

    async def cancel_order(self, input: CancelOrderInput) -> Order:
        """OP-003 CancelOrder.

        Rules it must enforce:
        - FR-002: Customers MUST be able to cancel an order only while it is pending.

        Errors: `ORDER_NOT_FOUND`, `ORDER_NOT_CANCELLABLE`.

        Free operation: answers 501 Not Implemented until its body is written.
        """
        raise NotImplementedOperation("CancelOrder")

    async def list_orders_rules(self, input: ListOrdersInput) -> None:
        """The rules of ListOrders, checked once its input is valid and before it acts:
        - FR-001: Support staff MUST be able to list the orders of one customer.

        Raise an error of the domain (errors.py) to refuse the request.
        """

    async def update_order_rules(self, order_id: UUID, input: UpdateOrderInput) -> None:
        """The rules of UpdateOrder, checked once its input is valid and before it acts:
        - FR-002: Only the note and the status of an order may be changed after it is placed.

        Raise an error of the domain (errors.py) to refuse the request.
        """
