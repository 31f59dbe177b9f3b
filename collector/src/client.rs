//! A small HTTP/1.1 client for the collector's own tests and load test.
//! It talks to loopback addresses only.

use axum::body::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::{HeaderMap, Method, Request};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// A keep-alive client bound to one loopback base URL.
#[derive(Clone, Debug)]
pub struct LoopbackClient {
    base: String,
    inner: Client<HttpConnector, Full<Bytes>>,
}

/// A response, fully read.
#[derive(Clone, Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl LoopbackClient {
    /// A client for `base` (e.g. `http://127.0.0.1:8080`); refuses anything but loopback.
    pub fn new(base: &str) -> Result<Self, String> {
        let host = base.strip_prefix("http://").unwrap_or("");
        if !(host.starts_with("127.0.0.1:")
            || host.starts_with("[::1]:")
            || host.starts_with("localhost:"))
        {
            return Err(format!("{base} is not a loopback address"));
        }
        let inner = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(64)
            .build_http();
        Ok(LoopbackClient {
            base: base.trim_end_matches('/').to_owned(),
            inner,
        })
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sends a request and reads the whole response.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<Reply, String> {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("{}{}", self.base, path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let resp = self.inner.request(req).await.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes()
            .to_vec();
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Result<Reply, String> {
        self.send(Method::GET, path, &[], Vec::new()).await
    }

    /// `POST /v1/reports` with a JSON body.
    pub async fn post_reports(
        &self,
        body: impl Into<Vec<u8>>,
        headers: &[(&str, &str)],
    ) -> Result<Reply, String> {
        let mut h = vec![("content-type", "application/json")];
        h.extend_from_slice(headers);
        self.send(Method::POST, "/v1/reports", &h, body.into())
            .await
    }
}
