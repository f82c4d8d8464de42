"""Created by scaffold from specs/KIT-1/spec.md; yours to edit: later spec changes are merged in.

What the spec of `catalog` leaves to people: the rules of its operations
(hooks the generated service calls before it acts), the fields it cannot
compute, and the bodies of free operations. The rest is in `service.py`.
"""

from ..scaffold_support import NotImplementedOperation
from .models import CreateProductInput, RecalculateInput
from .repository import DimensionsRepository, ProductRepository, ReviewRepository


class CatalogRules:
    """The hand-written part of `CatalogService`, which inherits it: its
    repositories are attributes here too."""

    products: ProductRepository
    dimensionses: DimensionsRepository
    reviews: ReviewRepository

    async def create_product_rules(self, input: CreateProductInput) -> None:
        """The rules of CreateProduct, checked once its input is valid and before it acts:
        - FR-001: SKUs MUST be unique.

        Raise an error of the domain (errors.py) to refuse the request.
        """

    async def recalculate(self, input: RecalculateInput) -> int:
        """Recalculate.

        Rules it must enforce:
        - FR-002: Recalculation MUST NOT change retired products.

        Free operation: answers 501 Not Implemented until its body is written.
        """
        raise NotImplementedOperation("Recalculate")
