//! Tests in a real browser (headless Chromium), through the JavaScript boundary:
//! storage denied or missing, a full localStorage, corrupt documents, migration,
//! consent transitions, Global Privacy Control, other tabs, and typed errors.
#![cfg(target_arch = "wasm32")]

use inkling::wasm::Inkling;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CATALOG: &str = r#"{
  "topics": [
    {"id": "hiking", "label": "Hiking"},
    {"id": "travel", "label": "Travel"},
    {"id": "cooking", "label": "Cooking"}
  ],
  "items": [
    {"id": "a1", "title": "Ridge walks", "topics": {"hiking": 1.0}, "popularity": 0.1},
    {"id": "a2", "title": "City breaks", "topics": {"travel": 1.0}, "popularity": 0.9},
    {"id": "a3", "title": "Soup", "topics": {"cooking": 1.0}, "popularity": 0.5}
  ]
}"#;

/// Runs JavaScript in the page and returns its value.
fn js(code: &str) -> JsValue {
    js_sys::Function::new_no_args(code)
        .call0(&JsValue::NULL)
        .expect(code)
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect(text)
}

/// The strings of a JavaScript array of strings (what `pendingReports` returns).
fn strings(value: impl Into<JsValue>) -> Vec<String> {
    js_sys::Array::from(&value.into())
        .iter()
        .map(|v| v.as_string().expect("a string"))
        .collect()
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, k| {
        js_sys::Reflect::get(&v, &JsValue::from_str(k)).unwrap()
    })
}

fn local(key: &str) -> Option<String> {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(key)
        .unwrap()
}

fn set_local(key: &str, value: &str) {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item(key, value)
        .unwrap();
}

/// A clean page: empty localStorage, no overrides.
fn reset() {
    js("if (!window.__inklingStorage) {
          window.__inklingStorage = Object.getOwnPropertyDescriptor(window, 'localStorage')
            || Object.getOwnPropertyDescriptor(Window.prototype, 'localStorage');
        }
        Object.defineProperty(window, 'localStorage', window.__inklingStorage);
        delete navigator.globalPrivacyControl;
        window.localStorage.clear();");
}

fn open(site: &str) -> Inkling {
    let inkling = Inkling::open(
        &json(&["{\"siteId\":\"", site, "\",\"policyVersion\":\"2026-11\"}"].concat())
            .unchecked_into(),
    )
    .expect("open");
    inkling
        .load_catalog(
            &JsValue::from_str(CATALOG).unchecked_into(),
            &JsValue::UNDEFINED,
        )
        .expect("catalog");
    inkling
}

/// A page with consent to personalize and measure, over a catalog with enough topics for
/// an interest report (interests are only reported over more than 3 topics).
fn open_measured(site: &str) -> Inkling {
    let inkling = open(site);
    let catalog = CATALOG.replace(
        r#"{"id": "cooking", "label": "Cooking"}"#,
        r#"{"id": "cooking", "label": "Cooking"}, {"id": "music", "label": "Music"}"#,
    );
    inkling
        .load_catalog(
            &JsValue::from_str(&catalog).unchecked_into(),
            &JsValue::UNDEFINED,
        )
        .expect("catalog");
    grant(&inkling, r#"{"personalize": true, "measure": true}"#);
    inkling
}

fn grant(inkling: &Inkling, choice: &str) {
    inkling
        .set_consent(&json(choice).unchecked_into())
        .expect("consent");
}

fn click(inkling: &Inkling, item: &str) -> bool {
    inkling
        .record(&json(&["{\"type\":\"click\",\"item\":\"", item, "\"}"].concat()).unchecked_into())
        .expect("record")
}

fn status(inkling: &Inkling, field: &str) -> JsValue {
    get(&inkling.status().into(), field)
}

/// Asserts that `err` is a JavaScript error of class `E` whose `path` is `path`.
fn assert_error<E: JsCast>(err: &JsValue, path: &str) {
    assert!(err.is_instance_of::<E>(), "{err:?}");
    assert_eq!(get(err, "path").as_string().as_deref(), Some(path));
}

#[wasm_bindgen_test]
fn version_reaches_javascript() {
    assert_eq!(inkling::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn remember_stores_the_profile_and_withdrawing_it_deletes_it_at_once() {
    reset();
    let a = open("t1");
    assert_eq!(
        status(&a, "reason").as_string().as_deref(),
        Some("no-remember-consent")
    );
    assert!(!click(&a, "a1"), "nothing is learned before consent");
    grant(&a, r#"{"personalize": true, "remember": true}"#);
    assert!(click(&a, "a1"));
    assert_eq!(status(&a, "storage").as_string().as_deref(), Some("local"));
    let stored = local("inkling:t1").unwrap();
    assert!(stored.contains("\"a1\"") && stored.contains("\"v\":1"));
    // A second instance (a reload) sees the same profile.
    let b = open("t1");
    assert_eq!(b.export_profile(), a.export_profile());
    grant(&b, r#"{"remember": false}"#);
    let stored = local("inkling:t1").unwrap();
    assert!(!stored.contains("\"a1\""), "{stored}");
    assert!(local("inkling:t1:next").is_none());
}

#[wasm_bindgen_test]
fn without_personalize_ranking_is_not_personalized() {
    reset();
    let a = open("t2");
    let cold = js_sys::JSON::stringify(&a.rank(&JsValue::UNDEFINED).unwrap().into())
        .unwrap()
        .as_string()
        .unwrap();
    grant(&a, r#"{"personalize": true}"#);
    for _ in 0..3 {
        click(&a, "a1");
    }
    a.declare(
        "hiking",
        &JsValue::from_str("like").unchecked_into(),
        &JsValue::UNDEFINED,
    )
    .unwrap();
    let options = json(r#"{"excludeSeen": false}"#).unchecked_into();
    let warm = a.rank(&options).unwrap();
    assert_eq!(get(&warm.into(), "0.id").as_string().as_deref(), Some("a1"));
    grant(&a, r#"{"personalize": false}"#);
    let again = js_sys::JSON::stringify(&a.rank(&JsValue::UNDEFINED).unwrap().into())
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(again, cold);
}

#[wasm_bindgen_test]
fn storage_denied_runs_in_memory_without_throwing() {
    reset();
    js("Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });");
    let a = open("t3");
    grant(&a, r#"{"personalize": true, "remember": true}"#);
    assert!(click(&a, "a1"));
    assert_eq!(status(&a, "storage").as_string().as_deref(), Some("memory"));
    assert_eq!(status(&a, "reason").as_string().as_deref(), Some("denied"));
    reset();
}

#[wasm_bindgen_test]
fn missing_storage_runs_in_memory() {
    reset();
    js("Object.defineProperty(window, 'localStorage', { configurable: true, get() { return null; } });");
    let a = open("t4");
    grant(&a, r#"{"personalize": true, "remember": true}"#);
    assert!(click(&a, "a1"));
    assert_eq!(
        status(&a, "reason").as_string().as_deref(),
        Some("unavailable")
    );
    reset();
}

#[wasm_bindgen_test]
fn a_full_local_storage_falls_back_to_memory() {
    reset();
    let a = open("t5");
    // Fill localStorage until the browser refuses.
    js("const chunk = 'x'.repeat(256 * 1024); let i = 0;
        try { for (;;) localStorage.setItem('filler' + i++, chunk); } catch (e) {}
        const small = 'y'.repeat(1024);
        try { for (;;) localStorage.setItem('fill' + i++, small); } catch (e) {}
        try { for (;;) localStorage.setItem('f' + i++, 'z'); } catch (e) {}");
    grant(&a, r#"{"personalize": true, "remember": true}"#);
    assert!(click(&a, "a1"), "learning continues in memory");
    assert_eq!(status(&a, "storage").as_string().as_deref(), Some("memory"));
    assert_eq!(status(&a, "reason").as_string().as_deref(), Some("quota"));
    assert!(a.profile().is_object());
    reset();
}

#[wasm_bindgen_test]
fn corrupt_documents_are_quarantined() {
    for bad in [
        r#"{"v":1,"rev":2,"savedAt":0,"consent":{"personalize":tr"#.to_string(),
        r#"{"v":1,"rev":"two","savedAt":0}"#.to_string(),
        r#"{"v":1,"rev":2,"savedAt":0,"profile":{"v":1,"topics":{"hiking":{"w":1e999}}}}"#
            .to_string(),
        ["\"", &"x".repeat(2 << 20), "\""].concat(),
    ] {
        reset();
        set_local("inkling:t6", &bad);
        let a = open("t6");
        assert_eq!(
            status(&a, "quarantine.key").as_string().as_deref(),
            Some("inkling:t6:quarantine")
        );
        assert!(local("inkling:t6").is_none());
        let kept = local("inkling:t6:quarantine").unwrap();
        assert!(bad.starts_with(&kept));
        assert_eq!(
            get(&a.consent().into(), "needsDecision").as_bool(),
            Some(true)
        );
    }
    reset();
}

#[wasm_bindgen_test]
fn a_version_0_document_is_migrated_and_a_newer_one_left_alone() {
    reset();
    set_local(
        "inkling:t7",
        r#"{"consent":{"personalize":true,"remember":true,"measure":false,"policy":"2026-11","at":1750000000000},"likes":["hiking"]}"#,
    );
    let a = open("t7");
    assert_eq!(status(&a, "migratedFrom").as_f64(), Some(0.0));
    assert!(local("inkling:t7").unwrap().starts_with("{\"v\":1"));
    assert_eq!(
        get(&a.consent().into(), "personalize").as_bool(),
        Some(true)
    );

    let newer = r#"{"v":9,"future":true}"#;
    set_local("inkling:t8", newer);
    let b = open("t8");
    assert_eq!(
        status(&b, "reason").as_string().as_deref(),
        Some("newer-version")
    );
    grant(&b, r#"{"personalize": true, "remember": true}"#);
    click(&b, "a1");
    assert_eq!(local("inkling:t8").as_deref(), Some(newer));
    reset();
}

#[wasm_bindgen_test]
fn global_privacy_control_keeps_measure_off_until_chosen() {
    reset();
    js("Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, get() { return true; } });");
    let a = open("t9");
    let c: JsValue = a.consent().into();
    assert_eq!(get(&c, "gpc").as_bool(), Some(true));
    assert_eq!(get(&c, "measure").as_bool(), Some(false));
    grant(&a, r#"{"personalize": true, "remember": true}"#);
    assert_eq!(get(&a.consent().into(), "measure").as_bool(), Some(false));
    grant(&a, r#"{"measure": true}"#);
    assert_eq!(get(&a.consent().into(), "measure").as_bool(), Some(true));
    reset();
}

#[wasm_bindgen_test]
fn another_tabs_write_is_picked_up_from_the_storage_event() {
    reset();
    let a = open("t10");
    grant(&a, r#"{"personalize": true, "remember": true}"#);
    let b = open("t10");
    assert!(click(&b, "a2"));
    // Another document would receive this event from the browser; dispatch it here.
    js("window.dispatchEvent(new StorageEvent('storage', { key: 'inkling:t10', newValue: localStorage.getItem('inkling:t10') }));");
    assert_eq!(a.export_profile(), b.export_profile());
    assert!(String::from(a.export_profile()).contains("\"a2\""));
    drop(b);
    reset();
}

#[wasm_bindgen_test]
fn errors_are_typed_and_name_the_path() {
    reset();
    let a = open("t11");
    let err = a
        .load_catalog(
            &JsValue::from_str(
                "{\"topics\": [], \"items\": [{\"id\": \"x\", \"topics\": {\"nope\": 1}}]}",
            )
            .unchecked_into(),
            &JsValue::UNDEFINED,
        )
        .unwrap_err();
    let message = get(&err, "message").as_string().unwrap();
    assert!(message.contains("/items/0"), "{message}");
    assert!(err.is_instance_of::<js_sys::Error>());
    let err = a
        .rank(&json(r#"{"limit": 0}"#).unchecked_into())
        .err()
        .unwrap();
    assert_error::<js_sys::RangeError>(&err, "/limit");
    let err = a
        .set_consent(&json(r#"{"personalise": true}"#).unchecked_into())
        .err()
        .unwrap();
    assert!(err.is_instance_of::<js_sys::TypeError>());
    let err = a
        .record(&json(r#"{"type": "walk", "item": "a1"}"#).unchecked_into())
        .unwrap_err();
    assert_error::<js_sys::TypeError>(&err, "/type");
    let err = a
        .declare(
            "hiking",
            &JsValue::from_str("love").unchecked_into(),
            &JsValue::UNDEFINED,
        )
        .unwrap_err();
    assert_error::<js_sys::TypeError>(&err, "/preference");
    let err = a
        .rank(&json(r#"{"exclude": ["a1", 2]}"#).unchecked_into())
        .err()
        .unwrap();
    assert_eq!(get(&err, "path").as_string().as_deref(), Some("/exclude/1"));
    let err = a.import_profile("{").unwrap_err();
    assert!(err.is_instance_of::<js_sys::TypeError>());
    let vectors = json(r#"{"vectors": 5}"#).unchecked_into();
    assert!(a
        .load_catalog(&JsValue::from_str(CATALOG).unchecked_into(), &vectors)
        .is_err());
    assert_eq!(
        status(&a, "catalogItems").as_f64(),
        Some(3.0),
        "a bad load keeps the old catalog"
    );
    let model = Inkling::model_card();
    assert!(JsValue::from(model).is_object());
}

fn compile(catalog: &str, options: Option<JsValue>) -> js_sys::Uint8Array {
    Inkling::compile_catalog(
        &JsValue::from_str(catalog).unchecked_into(),
        &options.unwrap_or_default(),
    )
    .expect("compile")
    .unchecked_into()
}

fn ranking(inkling: &Inkling) -> String {
    let options = json(r#"{"excludeSeen": false, "limit": 3}"#).unchecked_into();
    js_sys::JSON::stringify(&inkling.rank(&options).unwrap().into())
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn a_compiled_catalog_loads_and_ranks_identically() {
    reset();
    let bytes = compile(CATALOG, None);
    assert_eq!(&bytes.subarray(0, 8).to_vec()[..], b"INKLCAT\0");
    let a = open("t20");
    let b = Inkling::open(&json(r#"{"siteId":"t21","policyVersion":"2026-11"}"#).unchecked_into())
        .unwrap();
    b.load_catalog(&JsValue::from(bytes).unchecked_into(), &JsValue::UNDEFINED)
        .expect("a compiled catalog loads");
    assert_eq!(status(&b, "catalogItems").as_f64(), Some(3.0));
    assert_eq!(ranking(&b), ranking(&a));
    for inkling in [&a, &b] {
        grant(inkling, r#"{"personalize": true}"#);
        inkling
            .declare(
                "cooking",
                &JsValue::from_str("like").unchecked_into(),
                &JsValue::UNDEFINED,
            )
            .unwrap();
    }
    let personal = ranking(&b);
    assert!(personal.starts_with(r#"[{"id":"a3""#), "{personal}");
    assert_eq!(personal, ranking(&a));
    // Vectors given at compile time travel in the bytes; given at load time, they apply too.
    let vectors = js_sys::Float32Array::from(&(0..24).map(|k| k as f32).collect::<Vec<_>>()[..]);
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &JsValue::from_str("vectors"), &vectors).unwrap();
    let with_vectors = compile(CATALOG, Some(options.clone().into()));
    b.load_catalog(
        &JsValue::from(with_vectors).unchecked_into(),
        &JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(status(&b, "catalogVectors").as_bool(), Some(true));
    b.load_catalog(
        &JsValue::from(compile(CATALOG, None)).unchecked_into(),
        &JsValue::from(options).unchecked_into(),
    )
    .unwrap();
    assert_eq!(status(&b, "catalogVectors").as_bool(), Some(true));
    reset();
}

#[wasm_bindgen_test]
fn a_damaged_compiled_catalog_throws_a_type_error_with_a_path() {
    reset();
    let a = open("t22");
    let good = compile(CATALOG, None).to_vec();
    let load = |bytes: &[u8]| {
        a.load_catalog(
            &JsValue::from(js_sys::Uint8Array::from(bytes)).unchecked_into(),
            &JsValue::UNDEFINED,
        )
        .unwrap_err()
    };
    let mut bad = good.clone();
    bad[0] = b'X';
    let err = load(&bad);
    assert_error::<js_sys::TypeError>(&err, "/binary");
    let err = load(&good[..good.len() - 3]);
    assert_error::<js_sys::TypeError>(&err, "/binary");
    // The ids blob "a1a2a3": a duplicate id is named like the JSON loader names it.
    let at = good.windows(6).position(|w| w == b"a1a2a3").unwrap();
    let mut bad = good.clone();
    bad[at + 3] = b'1';
    let err = load(&bad);
    assert_error::<js_sys::TypeError>(&err, "/items/1/id");
    // Another format version: a plain Error that says to compile again.
    let mut bad = good;
    bad[8] = 99;
    let err = load(&bad);
    assert!(!err.is_instance_of::<js_sys::TypeError>() && err.is_instance_of::<js_sys::Error>());
    let message = get(&err, "message").as_string().unwrap();
    assert!(message.contains("compile the catalog again"), "{message}");
    assert_eq!(
        status(&a, "catalogItems").as_f64(),
        Some(3.0),
        "a bad load keeps the old catalog"
    );
    // compileCatalog checks like loadCatalog.
    let err = Inkling::compile_catalog(
        &JsValue::from_str(r#"{"items": [{"id": "x", "topics": {"nope": 1}}]}"#).unchecked_into(),
        &JsValue::UNDEFINED,
    )
    .unwrap_err();
    assert_eq!(
        get(&err, "path").as_string().as_deref(),
        Some("/items/0/topics/nope")
    );
    reset();
}

// ----- a page's own clock: `{ now }` for explain, pendingReports, privacyBudget, flush -----

/// 2100-01-01T12:00:00Z: a simulated time far from the real clock.
const SIMULATED: f64 = 4_102_488_000_000.0;
const DAY: f64 = 86_400_000.0;

fn at(ms: f64) -> JsValue {
    json(&["{\"now\":", &ms.to_string(), "}"].concat())
}

fn text(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).unwrap().as_string().unwrap()
}

#[wasm_bindgen_test]
fn declare_keeps_the_given_time() {
    reset();
    let a = open("t33");
    a.declare(
        "hiking",
        &JsValue::from_str("like").unchecked_into(),
        &at(SIMULATED).unchecked_into(),
    )
    .unwrap();
    a.declare(
        "cooking",
        &JsValue::from_str("like").unchecked_into(),
        &JsValue::UNDEFINED,
    )
    .unwrap();
    let topics = get(&a.profile().into(), "profile.topics");
    assert_eq!(get(&topics, "hiking.prefAt").as_f64(), Some(SIMULATED));
    let real = get(&topics, "cooking.prefAt").as_f64().unwrap();
    assert!((real - js_sys::Date::now()).abs() < 60_000.0, "{real}");
    reset();
}

#[wasm_bindgen_test]
fn explain_at_a_given_time_matches_the_ranking_at_that_time() {
    reset();
    let a = open("t30");
    grant(&a, r#"{"personalize": true}"#);
    // Hiking read on two days long ago, cooking on the last two days.
    for (item, when) in [
        ("a1", SIMULATED - 60.0 * DAY),
        ("a1", SIMULATED - 59.0 * DAY),
        ("a3", SIMULATED + 28.0 * DAY),
        ("a3", SIMULATED + 29.0 * DAY),
    ] {
        let event = ["{\"type\":\"view\",\"item\":\"", item, "\",\"at\":"].concat();
        a.record(&json(&[&event, &when.to_string(), "}"].concat()).unchecked_into())
            .unwrap();
    }
    // A month later on the page's clock, hiking has faded next to cooking.
    let later = SIMULATED + 30.0 * DAY;
    let ranked: JsValue = a
        .rank(&json(&["{\"now\":", &later.to_string(), "}"].concat()).unchecked_into())
        .unwrap()
        .into();
    let ranked: js_sys::Array = ranked.unchecked_into();
    assert_eq!(ranked.length(), 3);
    for item in ranked.iter() {
        let id = get(&item, "id").as_string().unwrap();
        let e: JsValue = a.explain(&id, &at(later).unchecked_into()).unwrap().into();
        assert_eq!(get(&e, "included").as_bool(), Some(true), "{id}");
        assert_eq!(
            get(&e, "score").as_f64(),
            get(&item, "score").as_f64(),
            "{id}"
        );
        assert_eq!(
            text(&get(&e, "reasons")),
            text(&get(&item, "reasons")),
            "{id}"
        );
    }
    // On the real clock every view lies in the future: nothing has faded.
    let faded = get(
        &a.explain("a1", &at(later).unchecked_into()).unwrap().into(),
        "score",
    );
    let real = get(
        &a.explain("a1", &JsValue::UNDEFINED).unwrap().into(),
        "score",
    );
    assert!(
        real.as_f64().unwrap() > faded.as_f64().unwrap(),
        "{real:?} {faded:?} {}",
        text(&ranked)
    );
    // `{}` and `{ now: undefined }` are the real clock, as no options are.
    let empty = get(
        &a.explain("a1", &json("{}").unchecked_into())
            .unwrap()
            .into(),
        "score",
    );
    assert_eq!(empty.as_f64(), real.as_f64());
    let undefined = js("return { now: undefined };");
    let undefined = get(
        &a.explain("a1", &undefined.unchecked_into()).unwrap().into(),
        "score",
    );
    assert_eq!(undefined.as_f64(), real.as_f64());
    reset();
}

#[wasm_bindgen_test]
fn reports_and_the_budget_follow_the_given_day() {
    reset();
    let a = open_measured("t31");
    for when in [SIMULATED - DAY, SIMULATED] {
        let event = [
            "{\"type\":\"click\",\"item\":\"a1\",\"at\":",
            &when.to_string(),
            "}",
        ]
        .concat();
        a.record(&json(&event).unchecked_into()).unwrap();
    }
    let reports = strings(a.pending_reports(&at(SIMULATED).unchecked_into()).unwrap());
    assert!(!reports.is_empty(), "the interests report is due");
    // Interests are today's, engagement is yesterday's: both on the page's calendar.
    for r in &reports {
        let report = json(r);
        let period = match get(&report, "metric").as_string().as_deref() {
            Some("interests") => "2100-01-01",
            _ => "2099-12-31",
        };
        assert_eq!(
            get(&report, "period").as_string().as_deref(),
            Some(period),
            "{r}"
        );
    }
    assert!(reports
        .iter()
        .any(|r| r.contains(r#""metric":"interests""#)));
    // Asking again that day shows the same bytes.
    assert_eq!(
        strings(
            a.pending_reports(&at(SIMULATED + 1000.0).unchecked_into())
                .unwrap()
        ),
        reports
    );
    // The budget's "today" is the given day; on the real clock nothing was spent today.
    let budget: JsValue = a
        .privacy_budget(&at(SIMULATED).unchecked_into())
        .unwrap()
        .into();
    assert!(
        get(&budget, "spentToday").as_f64().unwrap() > 0.0,
        "{}",
        text(&budget)
    );
    let real: JsValue = a.privacy_budget(&JsValue::UNDEFINED).unwrap().into();
    assert_eq!(
        get(&real, "spentToday").as_f64(),
        Some(0.0),
        "{}",
        text(&real)
    );
    assert_eq!(
        get(&real, "spentTotal").as_f64(),
        get(&budget, "spentTotal").as_f64()
    );
    // flush sends those bytes, for that day, and then nothing is due that day.
    js("window.__beacons = [];
        navigator.sendBeacon = (url, body) => { window.__beacons.push(body); return true; };");
    let _ = a
        .flush("/v1/reports", &at(SIMULATED + 2000.0).unchecked_into())
        .unwrap();
    js("delete navigator.sendBeacon;");
    let sent = js("return window.__beacons;");
    assert_eq!(
        text(&sent),
        text(&JsValue::from(
            vec![["[", &reports.join(","), "]"].concat()]
        ))
    );
    assert!(strings(
        a.pending_reports(&at(SIMULATED + 3000.0).unchecked_into())
            .unwrap()
    )
    .is_empty());
    reset();
}

#[wasm_bindgen_test]
fn a_bad_now_throws_a_typed_error_naming_it() {
    reset();
    let a = open("t32");
    let range = |err: JsValue| assert_error::<js_sys::RangeError>(&err, "/now");
    let type_error = |err: JsValue, path: &str| assert_error::<js_sys::TypeError>(&err, path);
    // The range of a JavaScript Date, as for `rank`'s `now` and `record`'s `at`.
    range(
        a.explain("a1", &at(-8.64e15 - 1.0).unchecked_into())
            .err()
            .unwrap(),
    );
    range(
        a.pending_reports(&at(8.64e15 + 1.0).unchecked_into())
            .err()
            .unwrap(),
    );
    // NaN and Infinity are numbers to JavaScript, but not times; refused before
    // JSON.stringify would turn them into null (absent), here and in `rank`.
    range(
        a.rank(&js("return { now: NaN };").unchecked_into())
            .err()
            .unwrap(),
    );
    range(
        a.privacy_budget(&js("return { now: NaN };").unchecked_into())
            .err()
            .unwrap(),
    );
    range(
        a.flush(
            "/v1/reports",
            &js("return { now: -Infinity };").unchecked_into(),
        )
        .err()
        .unwrap(),
    );
    type_error(
        a.explain("a1", &json(r#"{"now": "NaN"}"#).unchecked_into())
            .err()
            .unwrap(),
        "/now",
    );
    type_error(
        a.pending_reports(&json(r#"{"time": 1}"#).unchecked_into())
            .err()
            .unwrap(),
        "/time",
    );
    type_error(
        a.privacy_budget(&json("5").unchecked_into()).err().unwrap(),
        "",
    );
    let message = |err: JsValue| get(&err, "message").as_string().unwrap_or_default();
    assert_eq!(
        message(a.explain("a1", &at(9e15).unchecked_into()).err().unwrap()),
        "/now: must be a time in epoch milliseconds"
    );
    assert_eq!(
        message(
            a.privacy_budget(&js("return { now: Infinity };").unchecked_into())
                .err()
                .unwrap()
        ),
        "/now: must be a finite number"
    );
    reset();
}

#[wasm_bindgen_test]
fn catalog_text_crosses_the_boundary_intact() {
    reset();
    // Non-ASCII ids and titles, given as JSON text and as an object: the text enters the
    // module through TextEncoder, which must keep every character (and, as JSON.stringify
    // and wasm-bindgen do, turn a lone surrogate into U+FFFD rather than fail).
    let catalog = r#"{"topics": [{"id": "küche", "label": "Küche"}],
      "items": [{"id": "crème-brûlée", "title": "Crème brûlée 🍮", "topics": {"küche": 1}},
                {"id": "ascii", "title": "plain", "topics": {"küche": 0.5}}]}"#;
    let ids = |inkling: &Inkling| {
        let ranked = inkling
            .rank(&json(r#"{"excludeSeen": false}"#).unchecked_into())
            .unwrap();
        js_sys::Array::from(&ranked.into())
            .iter()
            .map(|r| get(&r, "id").as_string().unwrap())
            .collect::<Vec<_>>()
    };
    let inkling = open("t40");
    inkling
        .load_catalog(
            &JsValue::from_str(catalog).unchecked_into(),
            &JsValue::UNDEFINED,
        )
        .expect("text");
    assert!(ids(&inkling).contains(&"crème-brûlée".to_string()));
    inkling
        .load_catalog(&json(catalog).unchecked_into(), &JsValue::UNDEFINED)
        .expect("object");
    assert!(ids(&inkling).contains(&"crème-brûlée".to_string()));
    let explained = inkling
        .explain("crème-brûlée", &JsValue::UNDEFINED)
        .unwrap();
    assert!(!explained.is_undefined());
    // A lone surrogate in a title: the title is replaced, the catalog still loads.
    let lone = js(
        r#"return '{"topics": [{"id": "t"}], "items": [{"id": "x", "title": "a\ud800b", "topics": {"t": 1}}]}';"#,
    );
    inkling
        .load_catalog(&lone.unchecked_into(), &JsValue::UNDEFINED)
        .expect("a lone surrogate becomes U+FFFD");
    assert_eq!(status(&inkling, "catalogItems").as_f64(), Some(1.0));
    reset();
}

#[wasm_bindgen_test]
fn without_send_beacon_flush_posts_with_fetch_without_cookies_or_referrer() {
    reset();
    let a = open_measured("t41");
    assert!(click(&a, "a1"));
    let reports = strings(a.pending_reports(&JsValue::UNDEFINED).unwrap());
    assert!(!reports.is_empty(), "a report is due");
    // No sendBeacon: the reports go with fetch, called before flush returns.
    js("window.__fetches = [];
        window.__fetch = window.fetch;
        navigator.sendBeacon = undefined;
        window.fetch = (url, init) => { window.__fetches.push([url, init]); return Promise.resolve({ ok: true }); };");
    let result = a.flush("/v1/reports", &JsValue::UNDEFINED);
    js("window.fetch = window.__fetch; delete navigator.sendBeacon;");
    assert!(result.is_ok());
    let fetches = js("return window.__fetches;");
    assert_eq!(js_sys::Array::from(&fetches).length(), 1);
    assert_eq!(
        get(&fetches, "0.0").as_string().as_deref(),
        Some("/v1/reports")
    );
    let init = get(&fetches, "0.1");
    assert_eq!(get(&init, "method").as_string().as_deref(), Some("POST"));
    assert_eq!(get(&init, "keepalive").as_bool(), Some(true));
    assert_eq!(
        get(&init, "credentials").as_string().as_deref(),
        Some("omit")
    );
    assert_eq!(
        get(&init, "referrerPolicy").as_string().as_deref(),
        Some("no-referrer")
    );
    assert_eq!(
        get(&init, "body").as_string(),
        Some(["[", &reports.join(","), "]"].concat())
    );
    reset();
}

#[wasm_bindgen_test]
fn without_crypto_random_values_inkling_opens_and_builds_no_report() {
    reset();
    // Weak randomness would void the privacy guarantee: no report is built then. The
    // page's writer id falls back to `Math.random`, so Inkling still opens.
    js("window.__getRandomValues = crypto.getRandomValues;
        crypto.getRandomValues = () => { throw new Error('no entropy'); };");
    let a = open_measured("t50");
    assert!(click(&a, "a1"));
    let without = strings(a.pending_reports(&JsValue::UNDEFINED).unwrap());
    js("crypto.getRandomValues = window.__getRandomValues;");
    assert_eq!(without, Vec::<String>::new());
    // With the source back, the same page builds its reports.
    assert!(!strings(a.pending_reports(&JsValue::UNDEFINED).unwrap()).is_empty());
    reset();
}

/// `flush` through `fetch` (no `sendBeacon`) answering as `answer` does, and what its
/// promise resolves to, once settled.
async fn flush_with_fetch(site: &str, answer: &str) -> JsValue {
    reset();
    let a = open_measured(site);
    assert!(click(&a, "a1"));
    js(&[
        "navigator.sendBeacon = undefined; window.__fetch = window.fetch; window.fetch = ",
        answer,
        ";",
    ]
    .concat());
    let promise = a.flush("/v1/reports", &JsValue::UNDEFINED);
    js("window.fetch = window.__fetch; delete navigator.sendBeacon;");
    let promise: js_sys::Promise = promise.expect("flush").unchecked_into();
    let result = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("flush resolves");
    // The outcome was recorded: sent, or failed and kept for a later period, so
    // nothing is due again today either way.
    let pending = strings(a.pending_reports(&JsValue::UNDEFINED).unwrap());
    assert!(pending.is_empty(), "{}", text(&result));
    reset();
    result
}

#[wasm_bindgen_test]
async fn flush_resolves_to_what_fetch_answered() {
    let ok = flush_with_fetch("t44", "() => Promise.resolve({ ok: true, status: 200 })").await;
    assert_eq!(strings(get(&ok, "sent")).len(), 1, "{}", text(&ok));
    assert_eq!(
        get(&ok, "metrics.interests.sent").as_bool(),
        Some(true),
        "{}",
        text(&ok)
    );
    assert!(get(&ok, "error").is_undefined());

    let refused =
        flush_with_fetch("t45", "() => Promise.resolve({ ok: false, status: 503 })").await;
    let error = Some("the collector answered HTTP 503".to_string());
    assert_eq!(
        get(&refused, "error").as_string(),
        error,
        "{}",
        text(&refused)
    );
    assert_eq!(get(&refused, "metrics.interests.error").as_string(), error);
    assert!(strings(get(&refused, "sent")).is_empty());

    let offline = flush_with_fetch("t46", "() => Promise.reject(new TypeError('offline'))").await;
    assert_eq!(
        get(&offline, "error").as_string().as_deref(),
        Some("offline"),
        "{}",
        text(&offline)
    );
    assert!(get(&offline, "metrics.interests.sent").is_undefined());
}

/// The `interests` reports due on a fresh site after one click, as (metric, ε) pairs.
fn interest_reports(site: &str) -> Vec<(String, f64)> {
    let a = open_measured(site);
    click(&a, "a1");
    strings(a.pending_reports(&JsValue::UNDEFINED).unwrap())
        .iter()
        .map(|r| {
            let report = json(r);
            let metric = get(&report, "metric").as_string().unwrap();
            (metric, get(&report, "mechanism.epsilon").as_f64().unwrap())
        })
        .collect()
}

#[wasm_bindgen_test]
fn configure_measurement_lowers_epsilon_and_refuses_bad_settings_keeping_the_last() {
    reset();
    let default = interest_reports("t41");
    assert_eq!(default, vec![("interests".to_string(), 1.0)]);
    let a = open("t42");
    a.configure_measurement(&json(r#"{"interests": {"epsilon": 0.5}}"#).unchecked_into())
        .unwrap();
    assert_eq!(
        interest_reports("t43"),
        vec![("interests".to_string(), 0.5)]
    );

    // Above the privacy floor: a RangeError naming the ε.
    let err = a
        .configure_measurement(&json(r#"{"interests": {"epsilon": 2}}"#).unchecked_into())
        .unwrap_err();
    assert_error::<js_sys::RangeError>(&err, "/interests/epsilon");
    // A metric that does not exist: a TypeError naming it.
    let err = a
        .configure_measurement(&json(r#"{"clicks": {}}"#).unchecked_into())
        .unwrap_err();
    assert_error::<js_sys::TypeError>(&err, "/clicks");
    // A value JSON cannot hold: said so, not read as empty text.
    let cyclic = js("const o = {}; o.interests = o; return o;");
    let err = a
        .configure_measurement(&cyclic.unchecked_into())
        .unwrap_err();
    assert!(err.is_instance_of::<js_sys::TypeError>());
    let message = get(&err, "message").as_string().unwrap();
    assert!(message.contains("cannot be turned into JSON"), "{message}");
    // None of the refused settings replaced the one before.
    assert_eq!(
        interest_reports("t44"),
        vec![("interests".to_string(), 0.5)]
    );

    // Switched off, the metric has no reports; no settings at all is the default again.
    a.configure_measurement(&json(r#"{"interests": {"enabled": false}}"#).unchecked_into())
        .unwrap();
    assert_eq!(interest_reports("t45"), vec![]);
    a.configure_measurement(&JsValue::UNDEFINED).unwrap();
    assert_eq!(interest_reports("t46"), default);
    reset();
}

/// A fixed walk over 64-bit patterns (a linear congruential generator).
fn bit_patterns(n: usize) -> impl Iterator<Item = u64> {
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    std::iter::repeat_with(move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s
    })
    .take(n)
}

/// Asserts that the crate writes `x` as serde_json does, byte for byte.
fn written_as_serde_json_writes<T: inkling::json::ToJson + serde::Serialize>(x: &T) {
    assert_eq!(
        inkling::json::to_string(x),
        serde_json::to_string(x).unwrap()
    );
}

#[wasm_bindgen_test]
fn floats_are_written_with_the_pages_digits_as_serde_json_writes_them() {
    // The package takes a double's shortest digits from the page (`String(x)`); the
    // text must be what serde_json writes, byte for byte, so stored documents and
    // reports read the same everywhere.
    let mut checked = 0;
    for bits in bit_patterns(20_000) {
        written_as_serde_json_writes(&f64::from_bits(bits));
        written_as_serde_json_writes(&f32::from_bits((bits >> 32) as u32));
        checked += 2;
    }
    // Ties between two equally short, equally close decimals go to the even one, as in
    // serde_json; both notations' ends (1e-7 and 1e21 in JavaScript); zeros; subnormals.
    for x in [
        667082108456853.25,
        0.0,
        -0.0,
        1e-7,
        1.5e-7,
        9.999999999999999e20,
        1e21,
        1e-5,
        123456789012345680.0,
        5e-324,
        f64::MAX,
        -f64::MIN_POSITIVE,
    ] {
        written_as_serde_json_writes(&x);
    }
    for y in [0.1f32, 1e-45, f32::MAX, 16777216.0, 3.4e38, 1e-6, 1e13] {
        written_as_serde_json_writes(&y);
    }
    assert_eq!(checked, 40_000);
}

#[wasm_bindgen_test]
fn long_and_far_numbers_are_read_by_the_page_to_the_nearest_double() {
    // More than 19 digits, a power of ten beyond ±27, or a nonnegative one past the
    // fast path (a whole number above 2^53, or past 10^22): the package reads these with
    // the page's `parseFloat`, which must round as Rust's parser does.
    let mut texts = vec![
        "9007199254740993",
        "-12345678901234567",
        "18446744073709551615",
        "1e23",
        "9.999999999999999e26",
        "123456789012345678e9",
        "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "9007199254740993.0000000000000000001",
        "1e-30",
        "1.2345678901234567e-300",
        "-7.2e300",
        "123456789012345678901234567890",
        "0.0000000000000000000000000000000000001",
    ];
    let generated: Vec<String> = bit_patterns(5_000)
        .map(|bits| {
            // Twenty digits and an exponent from -340 to 340.
            let digits = bits % 100_000_000_000_000_000 + 10_000_000_000_000_000;
            let e = (bits >> 52) as i64 % 681 - 340;
            format!("{digits}123e{e}")
        })
        .collect();
    texts.extend(generated.iter().map(String::as_str));
    for text in texts {
        let expected: f64 = text.parse().unwrap();
        match inkling::json::from_str::<f64>(text) {
            Ok(x) => assert_eq!(x.to_bits(), expected.to_bits(), "{text}"),
            Err(_) => assert!(expected.is_infinite(), "{text}"),
        }
    }
}

#[wasm_bindgen_test]
fn the_pages_exp_and_log_are_within_one_unit_in_the_last_place_of_rusts() {
    // The package's decay and privacy-mechanism arithmetic calls `Math.exp` and
    // `Math.log`; this test binary has the standard library's own, which the package
    // compiled in before. They differ in the last bit for some inputs (about one in ten
    // for exp here), never by more: within what the report checks allow (`report.rs`).
    for bits in bit_patterns(100_000) {
        let unit = (bits >> 11) as f64 / (1u64 << 53) as f64;
        // Decay arguments (down to where e^x underflows) and ε-sized ones.
        let x = -745.0 * unit + 30.0 * (bits & 1) as f64;
        let d = js_sys::Math::exp(x).to_bits() as i64 - x.exp().to_bits() as i64;
        assert!(d.abs() <= 1, "exp({x:e}) differs by {d} units");
        // Probability ratios and odds.
        let y = 1e-6 + unit * 1e3;
        let d = js_sys::Math::log(y).to_bits() as i64 - y.ln().to_bits() as i64;
        assert!(d.abs() <= 1, "ln({y:e}) differs by {d} units");
    }
}
