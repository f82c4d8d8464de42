"""Created by scaffold from specs/KIT-1/spec.md; yours to edit: later spec changes are merged in.

The `catalog` service: one method per operation, and the domain's errors.
"""

from datetime import UTC, datetime
from typing import Self
from uuid import UUID

from ..scaffold_support import DomainError, NotFound, NotImplementedOperation
from .models import (
    AddReviewInput,
    CreateProductInput,
    GetReviewInput,
    ListProductsInput,
    Product,
    RecalculateInput,
    Review,
    UpdateProductInput,
)
from .repository import (
    DimensionsRepository,
    InMemoryDimensionsRepository,
    InMemoryProductRepository,
    InMemoryReviewRepository,
    ProductRepository,
    ReviewRepository,
)


class CatalogError(DomainError):
    """Everything an operation of `catalog` can fail with."""


class ProductNotFoundError(CatalogError):
    """PRODUCT_NOT_FOUND (404): No such product"""

    code = "PRODUCT_NOT_FOUND"
    status = 404
    message = "No such product"


class ReviewNotFoundError(CatalogError):
    """REVIEW_NOT_FOUND (404): No such review"""

    code = "REVIEW_NOT_FOUND"
    status = 404
    message = "No such review"


class DuplicateSkuError(CatalogError):
    """DUPLICATE_SKU (409): A product with this SKU exists"""

    code = "DUPLICATE_SKU"
    status = 409
    message = "A product with this SKU exists"


class CatalogService:
    """The operations of `catalog`."""

    def __init__(
        self,
        products: ProductRepository,
        dimensionses: DimensionsRepository,
        reviews: ReviewRepository,
    ) -> None:
        self.products = products
        self.dimensionses = dimensionses
        self.reviews = reviews

    @classmethod
    def in_memory(cls) -> Self:
        """A service over in-memory repositories."""
        return cls(
            InMemoryProductRepository(),
            InMemoryDimensionsRepository(),
            InMemoryReviewRepository(),
        )

    async def create_product(self, input: CreateProductInput) -> Product:
        """CreateProduct.

        Rules it must enforce:
        - FR-001: SKUs MUST be unique.

        Errors: `DUPLICATE_SKU`.
        """
        item = Product(
            id=await self.products.next_key(),
            sku=input.sku,
            name=input.name,
            price=input.price,
            weight=input.weight,
            tags=input.tags,
            colors=input.colors,
            status=input.status,
            launched_on=None,
            updated_at=datetime.now(UTC),
            attributes=input.attributes,
            dimensions=input.dimensions,
        )
        return await self.products.insert(item)

    async def get_product(self, product_id: int) -> Product:
        """GetProduct.

        Errors: `PRODUCT_NOT_FOUND`.
        """
        item = await self.products.get(product_id)
        if item is None:
            raise ProductNotFoundError()
        return item

    async def list_products(self, input: ListProductsInput) -> list[Product]:
        """ListProducts."""
        items = [
            item
            for item in await self.products.list_all()
            if (input.status is None or item.status == input.status)
            and (input.name is None or item.name == input.name)
        ]
        return items

    async def update_product(
        self,
        product_id: int,
        input: UpdateProductInput,
    ) -> Product:
        """UpdateProduct.

        Errors: `PRODUCT_NOT_FOUND`.
        """
        item = await self.products.get(product_id)
        if item is None:
            raise ProductNotFoundError()
        if input.name is not None:
            item.name = input.name
        if input.price is not None:
            item.price = input.price
        if input.status is not None:
            item.status = input.status
        if input.launched_on is not None:
            item.launched_on = input.launched_on
        updated = await self.products.update(item)
        if updated is None:
            raise ProductNotFoundError()
        return updated

    async def delete_product(self, product_id: int) -> Product:
        """DeleteProduct.

        Errors: `PRODUCT_NOT_FOUND`.
        """
        item = await self.products.get(product_id)
        if item is None:
            raise ProductNotFoundError()
        await self.products.delete(item.id)
        return item

    async def add_review(self, input: AddReviewInput) -> Review:
        """AddReview."""
        if await self.products.get(input.product_id) is None:
            raise NotFound()
        item = Review(
            id=await self.reviews.next_key(),
            product_id=input.product_id,
            rating=input.rating,
            body=input.body,
        )
        return await self.reviews.insert(item)

    async def get_review(self, review_id: UUID, input: GetReviewInput) -> Review:
        """GetReview.

        Errors: `REVIEW_NOT_FOUND`.
        """
        item = await self.reviews.get(review_id)
        if item is None:
            raise ReviewNotFoundError()
        if item.product_id != input.product_id:
            raise ReviewNotFoundError()
        return item

    async def recalculate(self, input: RecalculateInput) -> int:
        """Recalculate.

        Rules it must enforce:
        - FR-002: Recalculation MUST NOT change retired products.

        Free operation: answers 501 Not Implemented until its body is written.
        """
        raise NotImplementedOperation("Recalculate")
