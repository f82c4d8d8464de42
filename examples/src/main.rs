//! Serves every generated domain on 127.0.0.1:3000 with in-memory repositories.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    axum::serve(listener, scaffold_examples::backend::router()).await
}
