//! Created by scaffold from specs/KIT-1/spec.md; yours to edit: later spec changes are merged in.
//!
//! The `catalog` service: one method per operation, and the domain's errors.

use std::sync::Arc;
use super::models::*;
use super::repository::*;

/// Everything an operation of `catalog` can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogError {
    /// PRODUCT_NOT_FOUND (404): No such product
    ProductNotFound,
    /// REVIEW_NOT_FOUND (404): No such review
    ReviewNotFound,
    /// DUPLICATE_SKU (409): A product with this SKU exists
    DuplicateSku,
    /// The item an operation looks up does not exist (404).
    NotFound,
    /// The input breaks constraints of the spec (422).
    Validation(Vec<FieldError>),
    /// The operation has no implementation yet (501).
    NotImplemented(&'static str),
    /// Storage failed (500).
    Repository(RepositoryError),
}

impl CatalogError {
    /// The stable code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ProductNotFound => "PRODUCT_NOT_FOUND",
            Self::ReviewNotFound => "REVIEW_NOT_FOUND",
            Self::DuplicateSku => "DUPLICATE_SKU",
            Self::NotFound => "NOT_FOUND",
            Self::Validation(_) => "VALIDATION_FAILED",
            Self::NotImplemented(_) => "NOT_IMPLEMENTED",
            Self::Repository(_) => "INTERNAL",
        }
    }

    /// The HTTP status declared in the spec.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::ProductNotFound => 404,
            Self::ReviewNotFound => 404,
            Self::DuplicateSku => 409,
            Self::NotFound => 404,
            Self::Validation(_) => 422,
            Self::NotImplemented(_) => 501,
            Self::Repository(_) => 500,
        }
    }
}

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ProductNotFound => f.write_str("No such product"),
            Self::ReviewNotFound => f.write_str("No such review"),
            Self::DuplicateSku => f.write_str("A product with this SKU exists"),
            Self::NotFound => f.write_str("not found"),
            Self::Validation(errors) => write!(f, "{} invalid field(s)", errors.len()),
            Self::NotImplemented(operation) => {
                write!(f, "{operation} is not implemented yet")
            }
            Self::Repository(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for CatalogError {}
impl From<RepositoryError> for CatalogError {
    fn from(error: RepositoryError) -> Self {
        Self::Repository(error)
    }
}

/// The operations of `catalog`.
#[derive(Clone)]
pub struct CatalogService {
    products: Arc<dyn ProductRepository>,
    dimensionses: Arc<dyn DimensionsRepository>,
    reviews: Arc<dyn ReviewRepository>,
}

impl std::fmt::Debug for CatalogService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogService").finish_non_exhaustive()
    }
}

impl Default for CatalogService {
    fn default() -> Self {
        Self::in_memory()
    }
}

impl CatalogService {
    pub fn new(
        products: Arc<dyn ProductRepository>,
        dimensionses: Arc<dyn DimensionsRepository>,
        reviews: Arc<dyn ReviewRepository>,
    ) -> Self {
        Self {
            products,
            dimensionses,
            reviews,
        }
    }

    /// A service over in-memory repositories.
    pub fn in_memory() -> Self {
        Self::new(
            Arc::new(InMemoryProductRepository::default()),
            Arc::new(InMemoryDimensionsRepository::default()),
            Arc::new(InMemoryReviewRepository::default()),
        )
    }

    pub fn products(&self) -> &Arc<dyn ProductRepository> {
        &self.products
    }

    pub fn dimensionses(&self) -> &Arc<dyn DimensionsRepository> {
        &self.dimensionses
    }

    pub fn reviews(&self) -> &Arc<dyn ReviewRepository> {
        &self.reviews
    }

    /// CreateProduct.
    ///
    /// Rules it must enforce:
    /// - FR-001: SKUs MUST be unique.
    ///
    /// Errors: `DUPLICATE_SKU`.
    pub async fn create_product(
        &self,
        input: CreateProductInput,
    ) -> Result<Product, CatalogError> {
        input.validate().map_err(CatalogError::Validation)?;
        let item = Product {
            id: self.products.next_key().await?,
            sku: input.sku,
            name: input.name,
            price: input.price,
            weight: input.weight,
            tags: input.tags,
            colors: input.colors,
            status: input.status,
            launched_on: None,
            updated_at: chrono::Utc::now(),
            attributes: input.attributes,
            dimensions: input.dimensions,
        };
        item.validate().map_err(CatalogError::Validation)?;
        Ok(self.products.insert(item).await?)
    }

    /// GetProduct.
    ///
    /// Errors: `PRODUCT_NOT_FOUND`.
    pub async fn get_product(&self, product_id: i64) -> Result<Product, CatalogError> {
        let item = self
            .products
            .get(product_id)
            .await?
            .ok_or(CatalogError::ProductNotFound)?;
        Ok(item)
    }

    /// ListProducts.
    pub async fn list_products(
        &self,
        input: ListProductsInput,
    ) -> Result<Vec<Product>, CatalogError> {
        input.validate().map_err(CatalogError::Validation)?;
        let items = self
            .products
            .list()
            .await?
            .into_iter()
            .filter(|item| {
                input.status.as_ref().is_none_or(|wanted| &item.status == wanted)
                    && input.name.as_ref().is_none_or(|wanted| &item.name == wanted)
            })
            .collect::<Vec<_>>();
        Ok(items)
    }

    /// UpdateProduct.
    ///
    /// Errors: `PRODUCT_NOT_FOUND`.
    pub async fn update_product(
        &self,
        product_id: i64,
        input: UpdateProductInput,
    ) -> Result<Product, CatalogError> {
        input.validate().map_err(CatalogError::Validation)?;
        let mut item = self
            .products
            .get(product_id)
            .await?
            .ok_or(CatalogError::ProductNotFound)?;
        if let Some(value) = input.name {
            item.name = value;
        }
        if let Some(value) = input.price {
            item.price = value;
        }
        if let Some(value) = input.status {
            item.status = value;
        }
        if let Some(value) = input.launched_on {
            item.launched_on = Some(value);
        }
        item.validate().map_err(CatalogError::Validation)?;
        let item = self
            .products
            .update(item)
            .await?
            .ok_or(CatalogError::ProductNotFound)?;
        Ok(item)
    }

    /// DeleteProduct.
    ///
    /// Errors: `PRODUCT_NOT_FOUND`.
    pub async fn delete_product(
        &self,
        product_id: i64,
    ) -> Result<Product, CatalogError> {
        let item = self
            .products
            .get(product_id)
            .await?
            .ok_or(CatalogError::ProductNotFound)?;
        self.products.delete(product_id).await?;
        Ok(item)
    }

    /// AddReview.
    pub async fn add_review(
        &self,
        input: AddReviewInput,
    ) -> Result<Review, CatalogError> {
        input.validate().map_err(CatalogError::Validation)?;
        let item = Review {
            id: self.reviews.next_key().await?,
            product_id: input.product_id,
            rating: input.rating,
            body: input.body,
        };
        item.validate().map_err(CatalogError::Validation)?;
        Ok(self.reviews.insert(item).await?)
    }

    /// GetReview.
    ///
    /// Errors: `REVIEW_NOT_FOUND`.
    pub async fn get_review(
        &self,
        review_id: uuid::Uuid,
        input: GetReviewInput,
    ) -> Result<Review, CatalogError> {
        input.validate().map_err(CatalogError::Validation)?;
        let item = self
            .reviews
            .get(review_id)
            .await?
            .ok_or(CatalogError::ReviewNotFound)?;
        if item.product_id != input.product_id {
            return Err(CatalogError::ReviewNotFound);
        }
        Ok(item)
    }

    /// Recalculate.
    ///
    /// Rules it must enforce:
    /// - FR-002: Recalculation MUST NOT change retired products.
    ///
    /// Free operation: answers 501 Not Implemented until its body is written.
    pub async fn recalculate(
        &self,
        input: RecalculateInput,
    ) -> Result<i32, CatalogError> {
        let _ = (input,);
        Err(CatalogError::NotImplemented("Recalculate"))
    }
}

/// Free operations answer 501 until they are written: replace each test when you implement its operation.
#[cfg(test)]
mod tests {
    use super::*;
    use super::super::super::scaffold_support::testing::send;

    #[tokio::test]
    async fn recalculate_answers_501_until_implemented() {
        let app = super::super::routes::router(
            std::sync::Arc::new(CatalogService::in_memory()),
        );
        let (status, body) = send(
                app,
                "PUT",
                "/catalog/recalculation",
                Some(
                    serde_json::to_value(
                            super::super::models::samples::recalculate_input_sample(),
                        )
                        .expect("serialize"),
                ),
            )
            .await;
        assert_eq!(status.as_u16(), 501, "{body}");
        assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
    }
}
