//! `POST /invoices` and `GET /invoices/{invoice_id}` written by hand with sqlx,
//! as a careful engineer would without a generator: one statement each, the
//! same validation (title at most 200 characters), the same JSON. What the
//! generated router backed by the pool is measured against.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Row as _};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewInvoice {
    title: String,
    description: Option<String>,
    price_cents: i32,
    is_active: bool,
}

#[derive(Serialize)]
struct Invoice {
    id: i32,
    title: String,
    description: Option<String>,
    price_cents: i32,
    is_active: bool,
    created_at: chrono::DateTime<chrono::Utc>,
}

const COLUMNS: &str = "id, title, description, price_cents, is_active, created_at";

fn invoice(row: &sqlx::postgres::PgRow) -> Result<Invoice, sqlx::Error> {
    Ok(Invoice {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        price_cents: row.try_get("price_cents")?,
        is_active: row.try_get("is_active")?,
        created_at: row.try_get("created_at")?,
    })
}

fn failure(status: StatusCode, code: &str) -> Response {
    (status, Json(serde_json::json!({ "code": code }))).into_response()
}

async fn create(State(pool): State<PgPool>, Json(input): Json<NewInvoice>) -> Response {
    if input.title.chars().count() > 200 {
        return failure(StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED");
    }
    let sql = format!(
        "INSERT INTO invoices (title, description, price_cents, is_active, created_at) VALUES ($1, $2, $3, $4, now()) RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(input.title)
        .bind(input.description)
        .bind(input.price_cents)
        .bind(input.is_active)
        .fetch_one(&pool)
        .await;
    match row.and_then(|row| invoice(&row)) {
        Ok(item) => (
            StatusCode::CREATED,
            [(header::LOCATION, format!("/invoices/{}", item.id))],
            Json(item),
        )
            .into_response(),
        Err(_) => failure(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL"),
    }
}

async fn fetch(State(pool): State<PgPool>, Path(id): Path<i32>) -> Response {
    let sql = format!("SELECT {COLUMNS} FROM invoices WHERE id = $1");
    match sqlx::query(&sql).bind(id).fetch_optional(&pool).await {
        Ok(Some(row)) => match invoice(&row) {
            Ok(item) => Json(item).into_response(),
            Err(_) => failure(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL"),
        },
        Ok(None) => failure(StatusCode::NOT_FOUND, "INVOICE_NOT_FOUND"),
        Err(_) => failure(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL"),
    }
}

pub fn router(pool: PgPool) -> Router {
    Router::new()
        .route("/invoices", post(create))
        .route("/invoices/{invoice_id}", get(fetch))
        .with_state(pool)
}
