//! CORS for report submission: answered for the configured origins only.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// Adds the headers that let `origin` read the response.
pub fn allow(headers: &mut HeaderMap, origin: &str) {
    if let Ok(v) = HeaderValue::from_str(origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
}

/// `OPTIONS /v1/reports`: 204 with CORS headers for an allowed origin, 403 without them otherwise.
pub async fn preflight(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match origin {
        Some(o) if state.config.origin_allowed_anywhere(o) => {
            let mut r = StatusCode::NO_CONTENT.into_response();
            let h = r.headers_mut();
            allow(h, o);
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("POST"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("content-type"),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("86400"),
            );
            r
        }
        _ => StatusCode::FORBIDDEN.into_response(),
    }
}
