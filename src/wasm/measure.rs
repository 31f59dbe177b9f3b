//! Measurement in the browser: `pendingReports()`, `flush(endpoint)`,
//! `privacyBudget()` and `configureMeasurement(config)` on `Inkling`.
//!
//! The reports are built by the core ([`crate::measure`]) under the consent
//! gate; here they only cross to JavaScript and go out with
//! `navigator.sendBeacon` (falling back to `fetch` with `keepalive`). The body is
//! a JSON array of the report texts, sent as `text/plain` so no CORS preflight
//! is needed; it is exactly the concatenation of what `pendingReports()` shows.

use std::cell::{Cell, RefCell};

use super::builtins::{json_parse, promise_resolve, reflect_set, Function};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{at, call, given_now, js, method, output, prop, record_input_or};
use super::local_storage::navigator;
use super::{now, BrowserSession, Inkling};
use crate::json::{Record, ToJson, Writer};
use crate::ldp::Rng;
use crate::measure::{
    plan_reports, skip_all, Gate, MeasureConfig, MeasureState, Metric, Planned, Skip,
};
use crate::text::push_uint;
use std::rc::Rc;

#[wasm_bindgen(typescript_custom_section)]
const TS_MEASURE: &'static str = r#"
/** Why a metric sends nothing now. */
export type SkipReason = "no consent" | "gpc" | "already sent today" | "nothing to report"
  | "switched off by the site" | "retry in a later period";

/** The site's measurement settings: metrics can be switched off, and ε lowered (never above 1). */
export interface MeasureConfig {
  interests?: { enabled?: boolean; epsilon?: number };
  engagement?: { enabled?: boolean; epsilon?: number };
}

/** What happened to one metric in `flush`. */
export interface MetricFlush {
  /** The period (UTC day) of the report, when one was due. */
  period?: string;
  sent?: true;
  skipped?: SkipReason;
  /** The network error; the report is kept for one retry in a later period. */
  error?: string;
}

export interface Inkling {
    /**
     * The site's measurement settings: switch metrics off or lower ε (never above 1).
     * Throws a `RangeError` for an ε above the privacy floor.
     */
    configureMeasurement(config?: MeasureConfig | null): void;
    /**
     * The reports `flush` would send at `options.now` (default now), as their exact JSON
     * texts (building the day's reports once; asking again shows the same bytes). Empty
     * without `measure` consent or under Global Privacy Control without an explicit opt-in.
     */
    pendingReports(options?: AtOptions | null): string[];
    /**
     * The privacy terms of every metric and what this device has spent, in ε, with
     * "today" the day of `options.now` (default now).
     */
    privacyBudget(options?: AtOptions | null): PrivacyBudget;
    /**
     * Sends the due reports (at most one per metric per period) with
     * `navigator.sendBeacon`, falling back to `fetch` with `keepalive`. Never blocks:
     * resolves to what happened per metric. A failed send is retried once, in a later period.
     * The period is the day of `options.now` (default now).
     */
    flush(endpoint: string, options?: AtOptions | null): Promise<FlushResult>;
}

/** The outcome of `flush`. */
export interface FlushResult {
  /** The exact report texts handed to the browser. */
  sent: string[];
  /** Set when nothing was sent: the reason (of the first metric). */
  skipped?: SkipReason;
  /** Set when sending failed. */
  error?: string;
  /** Per metric. */
  metrics: Record<string, MetricFlush>;
}

/** Privacy terms and spending per metric, in ε. */
export interface PrivacyBudget {
  spentToday: number;
  spentTotal: number;
  metrics: Array<{
    metric: string; enabled: boolean; mechanism: "oue" | "grr";
    reportEpsilon: number; lifetimeEpsilon: number; spentToday: number; spentTotal: number;
    days: Array<{ period: string; epsilon: number }>; explanation: string;
  }>;
}
"#;

thread_local! {
    /// The site's measurement settings for this page (set by `configureMeasurement`).
    static CONFIG: Cell<MeasureConfig> = const { Cell::new(MeasureConfig::DEFAULT) };
}

fn config() -> MeasureConfig {
    CONFIG.with(Cell::get)
}

/// `crypto.getRandomValues`. Only used after [`secure_randomness`] succeeded; should a
/// later call fail, the word is zero.
struct CryptoRng;

impl Rng for CryptoRng {
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        super::builtins::random_bytes(&mut b);
        u64::from_le_bytes(b)
    }

    /// A report id's bytes in one call, where the provided method drew them a word at a time.
    fn fill_bytes(&mut self, buf: &mut [u8]) {
        super::builtins::random_bytes(buf);
    }
}

/// Whether the platform's secure random source works; without it no report is built
/// (weak randomness would void the privacy guarantee).
fn secure_randomness() -> bool {
    super::builtins::random_bytes(&mut [0u8; 8])
}

fn gate(session: &BrowserSession) -> Gate {
    let c = session.consent();
    if c.allows_measure() {
        Gate::Open
    } else if c.gpc {
        Gate::Gpc
    } else {
        Gate::NoConsent
    }
}

fn load_state(session: &BrowserSession) -> MeasureState {
    // A corrupt state starts clean: the session quarantines bad documents as a whole.
    session
        .measure_state()
        .and_then(|t| MeasureState::from_json(t).ok())
        .unwrap_or_default()
}

/// Stores `state` with its budget as of `now_ms` (the day the page works in); the
/// document's save time is the real clock, as for every other change.
fn save_state(session: &mut BrowserSession, state: &MeasureState, now_ms: i64) {
    let json = state.to_json_for(&config(), now_ms);
    if session.measure_state() != Some(json.as_str()) {
        session.set_measure_state(json, now());
    }
}

/// Plans the reports under the gate and stores what was built.
fn plan(session: &Rc<RefCell<BrowserSession>>, now_ms: i64) -> Result<Vec<Planned>, JsValue> {
    let mut s = session.borrow_mut();
    let g = gate(&s);
    if g != Gate::Open {
        // Consent withdrawn: nothing built stays waiting.
        let mut state = load_state(&s);
        if state.outbox().next().is_some() {
            state.drop_pending();
            save_state(&mut s, &state, now_ms);
        }
        return Ok(skip_all(if g == Gate::Gpc {
            Skip::Gpc
        } else {
            Skip::NoConsent
        }));
    }
    let (true, Some(catalog)) = (secure_randomness(), s.catalog()) else {
        return Ok(skip_all(Skip::NothingToReport));
    };
    let mut state = load_state(&s);
    let planned = js(plan_reports(
        &mut state,
        s.profile(),
        catalog,
        &config(),
        g,
        s.site_id(),
        now_ms,
        &mut CryptoRng,
    ))?;
    save_state(&mut s, &state, now_ms);
    Ok(planned)
}

/// The metrics in the order `flush` lists them: by name.
const BY_NAME: [Metric; 2] = [Metric::Engagement, Metric::Interests];

/// The result of `flush` once the send's outcome is known: each metric with a due
/// report `sent`, or failed with `error` (nothing sent then).
struct Outcome<'a> {
    sending: &'a Sending,
    error: Option<&'a str>,
}

impl ToJson for Outcome<'_> {
    /// `FlushResult` and `MetricFlush` in TypeScript; absent fields are left out.
    ///
    /// Written straight from the plan: every metric is planned either as its due reports
    /// or as one skipped entry, so a metric's last entry is its last due report, else
    /// why it is skipped, and nothing sent means every entry is skipped.
    fn write_json(&self, w: &mut Writer) {
        let (Sending { planned, sent, .. }, error) = (self.sending, self.error);
        w.object(|o| {
            let nothing: &[String] = &[];
            o.field("sent", if error.is_none() { &sent[..] } else { nothing });
            // The reason of the first metric, when nothing was sent.
            if let (true, Some(Planned::Skipped { reason, .. })) =
                (sent.is_empty(), planned.first())
            {
                o.field("skipped", reason.reason());
            }
            o.field_some("error", &error);
            // Metric names are plain ASCII field names (`Metric::name`).
            o.key("metrics").object(|o| {
                for m in BY_NAME {
                    let last = planned.iter().rev().find(|p| p.metric() == m.name());
                    o.key(m.name()).object(|o| match last {
                        Some(Planned::Due(r)) => {
                            o.field("period", &r.period);
                            match error {
                                None => o.field("sent", &true),
                                Some(e) => o.field("error", e),
                            }
                        }
                        Some(Planned::Skipped { reason, .. }) => {
                            o.field("skipped", reason.reason())
                        }
                        None => {}
                    });
                }
            });
        });
    }
}

/// A flush once its reports are built: the session, the plan, the report texts sent
/// and the time `flush` was given. The promise handlers share it, one `Rc` for both.
struct Sending {
    session: Rc<RefCell<BrowserSession>>,
    planned: Vec<Planned>,
    sent: Vec<String>,
    given: Option<i64>,
}

impl Sending {
    /// Records the outcome in the stored state: sent, or failed (kept for one retry), at
    /// the time `flush` was given, else when the outcome is known.
    fn settle(&self, ok: bool) {
        let now_ms = self.given.unwrap_or_else(now);
        let mut s = self.session.borrow_mut();
        let mut state = load_state(&s);
        let failed_at = (!ok).then_some(now_ms);
        for p in &self.planned {
            if let Some(r) = p.report() {
                state.settle(&r.id, failed_at);
            }
        }
        save_state(&mut s, &state, now_ms);
    }

    /// Settles with `error` (none: sent) and returns what `flush` resolves to.
    fn finish(&self, error: Option<String>) -> JsValue {
        self.settle(error.is_none());
        self.outcome(error)
    }

    /// What `flush` resolves to.
    fn outcome(&self, error: Option<String>) -> JsValue {
        output(&Outcome {
            sending: self,
            error: error.as_deref(),
        })
    }
}

/// The handler of the `fetch` promise: of its response, or of its rejection when
/// `rejected`. One closure type serves both, so its glue is in the wasm once.
///
/// A function of the shape every other one handed to the page has (`FnMut`, see
/// `tabs`), left to the page's garbage collector, which frees it (and the flush it
/// holds) once the promise no longer needs it: a promise calls one of its handlers,
/// once. `Closure::once_into_js` needed glue of its own to free a function after its
/// one call, and the handler that was never called was never freed.
fn on_settled(sending: Rc<Sending>, rejected: bool) -> JsValue {
    let handler: Closure<dyn FnMut(JsValue) -> JsValue> = Closure::new(move |v: JsValue| {
        let error = if rejected {
            Some(error_text(&v))
        } else {
            let ok = prop(&v, "ok").as_bool().unwrap_or(false);
            if ok {
                None
            } else {
                let status = prop(&v, "status").as_f64().map_or(0, |x| x as u16);
                // Digits by hand: `format!` would bring the formatting machinery along.
                let mut message = String::from("the collector answered HTTP ");
                push_uint(&mut message, u64::from(status));
                Some(message)
            }
        };
        sending.finish(error)
    });
    handler.into_js_value()
}

/// `navigator.sendBeacon(url, body)`; false when unavailable or refused.
fn beacon(endpoint: &JsValue, body: &JsValue) -> bool {
    call(&navigator(), "sendBeacon", endpoint, body)
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// The options of the `fetch` fallback besides its body: a POST that may outlive the
/// page, without cookies or referrer. Written as JSON so that one `JSON.parse` builds
/// the object, where setting each option was a call (and its error path) apiece.
const FETCH_INIT: &str =
    r#"{"method":"POST","keepalive":true,"credentials":"omit","referrerPolicy":"no-referrer"}"#;

/// `fetch(url, { method: "POST", body, keepalive: true, credentials: "omit",
/// referrerPolicy: "no-referrer" })`, and the `then` of the promise it returned; a
/// result that is not a promise fails with itself.
fn fetch(endpoint: &JsValue, body: &JsValue) -> Result<(JsValue, Function), JsValue> {
    let f = prop(&super::global(), "fetch");
    if f.is_null_or_undefined() {
        return Err(JsValue::from_str("fetch is unavailable"));
    }
    let f: Function = f.dyn_into()?;
    let init = json_parse(FETCH_INIT)?;
    reflect_set(&init, &"body".into(), body)?;
    let request = f.call2(&super::global(), endpoint, &init)?;
    match method(&request, "then") {
        Some(then) => Ok((request, then)),
        None => Err(request),
    }
}

fn error_text(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| prop(e, "message").as_string())
        .unwrap_or_else(|| "network error".to_string())
}

/// Measurement's methods, which JavaScript reaches through `Inkling.__call` (`methods`).
impl Inkling {
    /// `pendingReports`, as the class declares and documents it (this file's TypeScript section).
    pub fn pending_reports(&self, options: &JsValue) -> Result<JsValue, JsValue> {
        let planned = plan(&self.session_handle(), at(options)?)?;
        let mut texts = Vec::new();
        for p in &planned {
            if let Planned::Due(r) = p {
                texts.push(r.to_json());
            }
        }
        // One JSON array of the texts, parsed once: a `Vec<String>` result crossed
        // string by string, with glue of its own for this one method.
        Ok(output(&texts[..]))
    }

    /// `flush`, as the class declares and documents it (this file's TypeScript section).
    pub fn flush(&self, endpoint: &str, options: &JsValue) -> Result<JsValue, JsValue> {
        let given = given_now(options)?;
        let session = self.session_handle();
        let planned = plan(&session, given.unwrap_or_else(now))?;
        let mut sent = Vec::new();
        // The body: a JSON array of the reports, joined as they come (`join` over
        // `String`s would be one more copy of the standard library's join in the wasm).
        let mut body = String::from("[");
        for r in planned.iter().filter_map(Planned::report) {
            let report = r.to_json();
            if !sent.is_empty() {
                body.push(',');
            }
            body.push_str(&report);
            sent.push(report);
        }
        let sending = Sending {
            session,
            planned,
            sent,
            given,
        };
        let resolved = if sending.sent.is_empty() {
            sending.outcome(None)
        } else {
            body.push(']');
            // Both ways of sending take the same two strings: they cross to JavaScript once.
            let (endpoint, body) = (JsValue::from_str(endpoint), JsValue::from_str(&body));
            if beacon(&endpoint, &body) {
                sending.finish(None)
            } else {
                match fetch(&endpoint, &body) {
                    Ok((request, then)) => {
                        let sending = Rc::new(sending);
                        let on_response = on_settled(sending.clone(), false);
                        let on_error = on_settled(sending, true);
                        return then.call2(&request, &on_response, &on_error);
                    }
                    Err(e) => sending.finish(Some(error_text(&e))),
                }
            }
        };
        // Settled already: nothing sent, sent by beacon, or `fetch` failed at once.
        Ok(promise_resolve(&resolved))
    }

    /// `privacyBudget`, as the class declares and documents it (this file's TypeScript section).
    pub fn privacy_budget(&self, options: &JsValue) -> Result<JsValue, JsValue> {
        let now_ms = at(options)?;
        let s = self.session();
        Ok(output(&load_state(&s).budget(&config(), now_ms)))
    }

    /// `configureMeasurement`, as the class declares and documents it (this file's TypeScript section).
    pub fn configure_measurement(&self, config: &JsValue) -> Result<(), JsValue> {
        // Read as every other options object is: an unknown metric names itself, and a
        // value `JSON.stringify` cannot write says so instead of reading as empty text.
        let cfg = record_input_or(config, "", MeasureConfig::KEYS, MeasureConfig::DEFAULT)?;
        js(cfg.validate())?;
        CONFIG.with(|c| c.set(cfg));
        Ok(())
    }
}
