//! Requests per second of `POST /invoices` and `GET /invoices/{id}` through the
//! generated router backed by the pool (with its layers, and the domain's
//! routes alone) and through the hand-written one, over
//! real HTTP on loopback: `load SECONDS ROUNDS CONNECTIONS` with DATABASE_URL.
//! Rounds alternate the two routers so drift in the machine hits both alike.
//! Prints `round<TAB>router<TAB>request<TAB>requests per second` lines.

use std::time::{Duration, Instant};

use axum::Router;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

const CREATE_BODY: &str =
    r#"{"title":"bench","description":null,"price_cents":100,"is_active":true}"#;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let number = |i: usize, default: u64| -> u64 {
        args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default)
    };
    let seconds = Duration::from_millis(number(1, 3) * 1000);
    let rounds = number(2, 3);
    let connections = u32::try_from(number(3, 8)).unwrap_or(8);
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(connections)
        .connect(&url)
        .await
        .expect("connect to DATABASE_URL");
    let id: i32 = sqlx::query_scalar(
        "INSERT INTO invoices (title, price_cents, is_active, created_at) VALUES ('seeded', 1, true, now()) RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .expect("seed an invoice");
    use scaffold_bench_pg::backend::invoice1;
    let routers = [
        (
            "generated",
            scaffold_bench_pg::backend::router_with_pool(pool.clone()),
        ),
        // The domain's routes alone, without the layers every answer passes
        // (request id, trace span, timeout), which the hand-written router lacks.
        (
            "generated routes",
            invoice1::router(std::sync::Arc::new(invoice1::Invoice1Service::new(
                invoice1::service::Invoice1Repositories::postgres(pool.clone()),
            ))),
        ),
        (
            "hand-written",
            scaffold_bench_pg::handwritten::router(pool.clone()),
        ),
    ];
    for round in 0..rounds {
        for request in ["create", "get"] {
            for (name, router) in &routers {
                let rps = drive(router.clone(), request, id, seconds, connections).await;
                println!("{round}\t{name}\t{request}\t{rps:.0}");
            }
        }
    }
}

/// Serves `router` on a loopback port and sends `request` from `connections`
/// keep-alive connections for `length`; the completed requests per second.
async fn drive(router: Router, request: &str, id: i32, length: Duration, connections: u32) -> f64 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .expect("serve");
    });
    let started = Instant::now();
    let deadline = started + length;
    let (method, uri, body, expected) = match request {
        "create" => ("POST", "/invoices".to_string(), CREATE_BODY, 201),
        _ => ("GET", format!("/invoices/{id}"), "", 200),
    };
    let mut clients = Vec::new();
    for _ in 0..connections {
        let uri = uri.clone();
        clients.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(address).await.expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream))
                    .await
                    .expect("handshake");
            tokio::spawn(connection);
            let mut done = 0u64;
            while Instant::now() < deadline {
                let request = hyper::Request::builder()
                    .method(method)
                    .uri(uri.as_str())
                    .header("host", "localhost")
                    .header("content-type", "application/json")
                    .body(Full::new(Bytes::from_static(body.as_bytes())))
                    .expect("request");
                let response = sender.send_request(request).await.expect("response");
                let status = response.status().as_u16();
                let bytes = response.into_body().collect().await.expect("body").to_bytes();
                assert_eq!(status, expected, "{}", String::from_utf8_lossy(&bytes));
                done += 1;
            }
            done
        }));
    }
    let mut total = 0u64;
    for client in clients {
        total += client.await.expect("client");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let _ = stop.send(());
    let _ = server.await;
    total as f64 / elapsed
}
