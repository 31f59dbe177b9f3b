//! Security headers on every response: a Content-Security-Policy that names no
//! third-party origin, `X-Content-Type-Options: nosniff` and
//! `Referrer-Policy: no-referrer`.
//!
//! Inline scripts (such as the demo's import map) are allowed by their SHA-256
//! hash, computed from the HTML being served, instead of `'unsafe-inline'`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use http_body_util::BodyExt as _;
use sha2::{Digest, Sha256};

/// HTML larger than this is served without hashing (and so without inline scripts).
const MAX_HTML_TO_HASH: usize = 2 * 1024 * 1024;

/// The policy, with `'sha256-…'` sources for the given inline scripts.
pub fn content_security_policy(inline_script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for h in inline_script_hashes {
        script_src.push_str(" 'sha256-");
        script_src.push_str(h);
        script_src.push('\'');
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Base64 SHA-256 of each inline `<script>` body (scripts with `src` are skipped).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<script").map(|i| i + at) {
        let Some(tag_end) = lower[start..].find('>').map(|i| i + start) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| i + tag_end) else {
            break;
        };
        let tag = &lower[start..tag_end];
        if !tag.contains(" src=") && !tag.contains("\tsrc=") && !tag.contains("\nsrc=") {
            let body = &html[tag_end + 1..close];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest));
        }
        at = close + 1;
    }
    hashes
}

/// Middleware adding the headers to every response.
pub async fn security_headers(mut request: Request, next: Next) -> Response {
    // HTML is always served whole, never as a 304: its policy carries the hashes of the
    // inline scripts, computed from the body, and a body-less 304 would replace that policy
    // with one that blocks them (the demo's import map, on every reload).
    let path = request.uri().path();
    if path.ends_with('/') || path.ends_with(".html") {
        let h = request.headers_mut();
        h.remove(header::IF_NONE_MATCH);
        h.remove(header::IF_MODIFIED_SINCE);
    }
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let mut response = if is_html {
        hash_inline_scripts(response).await
    } else {
        with_csp(response, &[])
    };
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

fn with_csp(mut response: Response, hashes: &[String]) -> Response {
    if let Ok(v) = HeaderValue::from_str(&content_security_policy(hashes)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

async fn hash_inline_scripts(response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = match http_body_util::Limited::new(body, MAX_HTML_TO_HASH)
        .collect()
        .await
    {
        Ok(c) => c.to_bytes(),
        Err(_) => {
            let r = Response::from_parts(parts, Body::from("page too large"));
            return with_csp(r, &[]);
        }
    };
    let hashes = std::str::from_utf8(&bytes)
        .map(inline_script_hashes)
        .unwrap_or_default();
    with_csp(Response::from_parts(parts, Body::from(bytes)), &hashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_skipped() {
        let html = "<script type=\"importmap\">{\"imports\":{}}</script>\
                    <script type=\"module\" src=\"app.js\"></script>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"{\"imports\":{}}"));
        assert_eq!(hashes[0], expected);
    }

    #[test]
    fn policy_names_no_other_origin() {
        let csp = content_security_policy(&["abc=".into()]);
        assert!(csp.contains("'sha256-abc='"));
        assert!(!csp.contains("http"));
        assert!(
            !csp.contains("unsafe-inline';") || csp.contains("style-src 'self' 'unsafe-inline'")
        );
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
    }
}
