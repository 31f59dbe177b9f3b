//! `GET /dashboard?site=…&from=…&to=…`: the brand's view, rendered on the
//! server as HTML with inline SVG charts: no script at all, so nothing
//! third-party and nothing for the CSP to allow.
//!
//! For each enabled metric: the shares with 95% confidence bars (topic
//! interests), the rate per day with its interval (engagement), reports per day
//! with the `k_min` line, and which periods are suppressed.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::aggregates::{self, Aggregates};
use crate::release::Release;
use crate::state::AppState;

/// Escapes text for HTML and SVG.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d1d1f}\
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.2rem}h3{font-size:1rem}.note{color:#555}\
svg{display:block;max-width:100%;height:auto}.suppressed{color:#8a4b00}\
table{border-collapse:collapse}td,th{padding:.15rem .6rem;text-align:left;border-bottom:1px solid #ddd}\
nav a{margin-right:1rem}";

/// The handler.
pub async fn get_dashboard(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let site_id = match q
        .get("site")
        .cloned()
        .or_else(|| state.config.sites.first().map(|s| s.id.clone()))
    {
        Some(s) => s,
        None => {
            return html(
                StatusCode::OK,
                page("Inkling dashboard", "<p>No site is configured.</p>"),
            )
        }
    };
    let Some(site) = state.config.site(&site_id) else {
        return html(
            StatusCode::NOT_FOUND,
            page("Inkling dashboard", "<p>Unknown site.</p>"),
        );
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>Audience of <code>{}</code></h1>",
        escape(&site.id)
    );
    if state.config.sites.len() > 1 {
        body.push_str("<nav>");
        for s in &state.config.sites {
            let _ = write!(
                body,
                "<a href=\"/dashboard?site={0}\">{0}</a>",
                escape(&s.id)
            );
        }
        body.push_str("</nav>");
    }
    let _ = write!(
        body,
        "<p class=\"note\">Estimates from locally differentially private reports: every report is noisy, \
         the crowd is not. Bars show 95% confidence intervals. Periods with fewer than {} reports \
         are suppressed: nothing is estimated or shown for them.</p>",
        state.config.k_min
    );
    let mut any = false;
    for m in site.metrics.iter().filter(|m| m.enabled) {
        any = true;
        let from = q.get("from").map(String::as_str);
        let to = q.get("to").map(String::as_str);
        match aggregates::compute(&state, &site.id, &m.name, from, to).await {
            Ok(a) => metric_section(&mut body, &a),
            Err(e) => {
                return html(
                    e.status,
                    page(
                        "Inkling dashboard",
                        &format!("<p>{}</p>", escape(&e.message)),
                    ),
                );
            }
        }
    }
    if !any {
        body.push_str("<p>This site collects no metric.</p>");
    }
    html(
        StatusCode::OK,
        page(&format!("Inkling dashboard: {}", site.id), &body),
    )
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>",
        escape(title)
    )
}

fn metric_section(out: &mut String, a: &Aggregates) {
    let m = &a.mechanism;
    let _ = write!(
        out,
        "<h2>{} <small class=\"note\">({}, ε = {} per report, {} to {})</small></h2>",
        escape(&a.metric),
        escape(&m.name),
        m.epsilon,
        a.from,
        a.to
    );
    let yes_no = m.name == "grr" && m.domain == 2;
    match (&a.total.buckets, yes_no) {
        (None, _) => {
            let _ = write!(
                out,
                "<p class=\"suppressed\">The whole range has {} reports, fewer than k_min = {}: nothing is shown.</p>",
                a.total.n, a.k_min
            );
        }
        (Some(_), true) => {
            if let (Some(r), Some(ci)) = (a.total.rate, a.total.rate_ci95) {
                let _ = write!(
                    out,
                    "<p>Rate over the range: <strong>{:.1}%</strong> (95% interval {:.1}% to {:.1}%, n = {}).</p>",
                    r * 100.0,
                    ci[0] * 100.0,
                    ci[1] * 100.0,
                    a.total.n
                );
            }
            out.push_str("<h3>Rate per day</h3>");
            rate_chart(out, &a.periods);
        }
        (Some(buckets), false) => {
            let _ = write!(out, "<h3>Shares over the range (n = {})</h3>", a.total.n);
            let mut rows: Vec<_> = buckets.iter().collect();
            rows.sort_by(|x, y| y.share.total_cmp(&x.share));
            share_chart(out, &rows);
        }
    }
    out.push_str("<h3>Reports per day</h3>");
    count_chart(out, &a.periods, a.k_min);
    let suppressed: Vec<&Release> = a
        .periods
        .iter()
        .filter(|p| p.suppressed.is_some())
        .collect();
    if suppressed.is_empty() {
        out.push_str("<p class=\"note\">No day in this range is suppressed.</p>");
    } else {
        out.push_str("<p class=\"suppressed\">Suppressed (fewer than k_min reports): ");
        let days: Vec<String> = suppressed
            .iter()
            .map(|p| format!("{} (n = {})", p.period, p.n))
            .collect();
        out.push_str(&escape(&days.join(", ")));
        out.push_str("</p>");
    }
}

fn share_chart(out: &mut String, rows: &[&crate::release::BucketEstimate]) {
    let (label_w, bar_w, row_h) = (170.0, 520.0, 20.0);
    let max = rows
        .iter()
        .map(|b| b.share_ci95[1])
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let h = row_h * rows.len() as f64 + 30.0;
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"shares with 95% intervals\">",
        w = label_w + bar_w + 80.0
    );
    for (i, b) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        let label = b.label.clone().unwrap_or_else(|| b.bucket.to_string());
        let x = |v: f64| label_w + v / max * bar_w;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{:.2}\" height=\"{}\" fill=\"#4a7bd0\"><title>{}: {:.1}% ({:.1}% to {:.1}%)</title></rect>\
             <line x1=\"{:.2}\" x2=\"{:.2}\" y1=\"{:.2}\" y2=\"{:.2}\" stroke=\"#111\" stroke-width=\"1.5\"/>\
             <text x=\"{:.2}\" y=\"{}\" font-size=\"11\" fill=\"#333\">{:.1}%</text>",
            label_w - 6.0,
            y + 12.0,
            escape(&label),
            x(b.share) - label_w,
            row_h - 6.0,
            escape(&label),
            b.share * 100.0,
            b.share_ci95[0] * 100.0,
            b.share_ci95[1] * 100.0,
            x(b.share_ci95[0]),
            x(b.share_ci95[1]),
            y + (row_h - 6.0) / 2.0,
            y + (row_h - 6.0) / 2.0,
            x(b.share_ci95[1]) + 4.0,
            y + 12.0,
            b.share * 100.0
        );
    }
    out.push_str("</svg>");
}

fn rate_chart(out: &mut String, periods: &[Release]) {
    let shown: Vec<&Release> = periods.iter().filter(|p| p.rate.is_some()).collect();
    if shown.is_empty() {
        out.push_str("<p class=\"note\">No day has enough reports to show a rate.</p>");
        return;
    }
    let (w, h, pad) = (680.0, 220.0, 40.0);
    let step = (w - 2.0 * pad) / shown.len() as f64;
    let y = |v: f64| h - pad - v * (h - 2.0 * pad);
    let _ = write!(out, "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"rate per day with 95% intervals\">");
    let _ = write!(
        out,
        "<line x1=\"{pad}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#999\"/><text x=\"4\" y=\"{}\" font-size=\"11\">0%</text>\
         <text x=\"4\" y=\"{}\" font-size=\"11\">100%</text>",
        w - pad,
        y(0.0),
        y(0.0),
        y(0.0),
        y(1.0) + 4.0
    );
    for (i, p) in shown.iter().enumerate() {
        let (Some(r), Some(ci)) = (p.rate, p.rate_ci95) else {
            continue;
        };
        let x = pad + step * (i as f64 + 0.5);
        let _ = write!(
            out,
            "<line x1=\"{x:.2}\" x2=\"{x:.2}\" y1=\"{:.2}\" y2=\"{:.2}\" stroke=\"#111\"/>\
             <circle cx=\"{x:.2}\" cy=\"{:.2}\" r=\"4\" fill=\"#c0392b\"><title>{}: {:.1}% ({:.1}% to {:.1}%, n = {})</title></circle>",
            y(ci[0]),
            y(ci[1]),
            y(r),
            p.period,
            r * 100.0,
            ci[0] * 100.0,
            ci[1] * 100.0,
            p.n
        );
        if shown.len() <= 14 || i % (shown.len() / 7).max(1) == 0 {
            let _ = write!(
                out,
                "<text x=\"{x:.2}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                h - 12.0,
                &p.period[5..]
            );
        }
    }
    out.push_str("</svg>");
}

fn count_chart(out: &mut String, periods: &[Release], k_min: u64) {
    if periods.is_empty() {
        out.push_str("<p class=\"note\">No reports in this range.</p>");
        return;
    }
    let (w, h, pad) = (680.0, 200.0, 40.0);
    let max = periods
        .iter()
        .map(|p| p.n as f64)
        .fold(k_min as f64, f64::max)
        .max(1.0);
    let step = (w - 2.0 * pad) / periods.len() as f64;
    let y = |v: f64| h - pad - v / max * (h - 2.0 * pad);
    let _ = write!(out, "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"reports per day\">");
    for (i, p) in periods.iter().enumerate() {
        let x = pad + step * i as f64 + step * 0.1;
        let fill = if p.suppressed.is_some() {
            "#c9c9c9"
        } else {
            "#4a7bd0"
        };
        let state = if p.suppressed.is_some() {
            " (suppressed)"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<rect x=\"{x:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{fill}\"><title>{}: {} reports{state}</title></rect>",
            y(p.n as f64),
            step * 0.8,
            y(0.0) - y(p.n as f64),
            p.period,
            p.n
        );
        if periods.len() <= 14 || i % (periods.len() / 7).max(1) == 0 {
            let _ = write!(
                out,
                "<text x=\"{:.2}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                x + step * 0.4,
                h - 12.0,
                &p.period[5..]
            );
        }
    }
    let _ = write!(
        out,
        "<line x1=\"{pad}\" x2=\"{}\" y1=\"{:.2}\" y2=\"{:.2}\" stroke=\"#8a4b00\" stroke-dasharray=\"4 3\"/>\
         <text x=\"{}\" y=\"{:.2}\" font-size=\"11\" fill=\"#8a4b00\">k_min = {k_min}</text>\
         <text x=\"4\" y=\"{:.2}\" font-size=\"11\">{}</text>",
        w - pad,
        y(k_min as f64),
        y(k_min as f64),
        w - pad - 70.0,
        y(k_min as f64) - 4.0,
        y(max) + 4.0,
        max as i64
    );
    out.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
