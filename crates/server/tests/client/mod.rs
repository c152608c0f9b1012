//! What the API's test files share: the router over a fresh world, and requests sent to it as
//! the server's connection would give them (with the client's address).

#![allow(dead_code)] // each test file uses part of it

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use delimit_registry::Key;
use delimit_server::{AppState, Limits, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::net::SocketAddr;
use tower::ServiceExt;

pub struct Api {
    pub app: axum::Router,
    pub world: World,
}

pub struct Reply {
    pub status: StatusCode,
    pub json: Value,
    pub headers: axum::http::HeaderMap,
}

/// A client on loopback: `127.0.0.N`.
pub fn address(n: u8) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, n], 40_000))
}

impl Api {
    /// The router with the default limits but request bodies of at most 64 KiB.
    pub async fn new(b: &Backend) -> Api {
        Api::with_limits(
            b,
            Limits {
                body: 64 * 1024,
                ..Limits::default()
            },
        )
        .await
    }

    pub async fn with_limits(b: &Backend, limits: Limits) -> Api {
        let world = world(b, Key::generate().unwrap()).await;
        Api {
            app: router(AppState::new(world.registry.clone(), kb(), limits)),
            world,
        }
    }

    /// Sends `req` from 127.0.0.1 unless it names its client already.
    pub async fn send(&self, mut req: Request<Body>) -> Reply {
        if req
            .extensions()
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .is_none()
        {
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(address(1)));
        }
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            headers,
        }
    }

    /// A request from `from`, with a bearer token and a JSON body if given.
    pub async fn call_from(
        &self,
        from: SocketAddr,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(b) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(b.to_string())
            }
            None => Body::empty(),
        };
        let mut req = req.body(body).unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(from));
        self.send(req).await
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        self.call_from(address(1), method, path, token, body).await
    }

    /// A session token of `user`, signed in with the test password.
    pub async fn token(&self, user: &str) -> String {
        let r = self
            .call(
                "POST",
                "/api/session",
                None,
                Some(json!({"username": user, "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        r.json["token"].as_str().unwrap().to_string()
    }
}
