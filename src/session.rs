//! The native façade behind the JavaScript API: one visitor on one site.
//!
//! A [`Session`] holds the consent record, the profile, the catalog and the
//! storage document, and implements every method of `Inkling` (issue 4) against
//! a [`Store`]. Time (`now_ms`) and the page's random writer id come in as
//! arguments, so all of it is tested natively; `src/wasm/` only converts values.
//!
//! Consent gates everything here:
//! - without `personalize`, `rank` gives the non-personalized order and
//!   `record` learns nothing (impressions still count for frequency caps, in memory);
//! - without `remember`, the profile lives in memory only and the stored
//!   document holds just the consent record (so the visitor is not asked on every page);
//! - withdrawing `remember` deletes the stored profile at once.
//!
//! Two tabs: every change is an [`Op`] with a sequence number. A write first
//! reads the stored document; if another page wrote since, the session takes
//! that profile and applies its own changes not yet included (merge on write).
//! The document lists each writer's last included change, so a change lost to
//! two simultaneous writes is noticed and applied again on the next read
//! (another page's `storage` event, or the next write).

use crate::catalog::Catalog;
use crate::consent::{Consent, ConsentChoice};
use crate::error::{Error, Result};
use crate::explain::{self, Explanation};
use crate::json::{read_record, FromJson, Reader, Record, ToJson, Writer};
use crate::list::discard;
use crate::profile::{Event, EventKind, Preference, Profile, ProfileConfig};
use crate::rank::{self, RankOptions, Ranked};
use crate::store::document::{self, Contents, Document};
use crate::store::slot::{self, Loaded, Quarantine};
use crate::store::{Keys, Store, StoreError};

/// At most this many unconfirmed changes are kept for replay; older ones were written at least once.
const MAX_PENDING: usize = 256;

/// The options of `Inkling.open`.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// Names the site; the document is kept under `inkling:<siteId>`.
    pub site_id: String,
    /// The version of the site's privacy policy the consent is asked under.
    pub policy_version: String,
    /// Half-life of observed interests, in days (default 14).
    pub half_life_days: Option<f64>,
}

impl FromJson for OpenOptions {
    /// `{ siteId, policyVersion, halfLifeDays? }`; any other field is an error.
    fn read(r: &mut Reader<'_>) -> Result<OpenOptions> {
        read_record(r)
    }
}

impl Record for OpenOptions {
    const KEYS: &'static [&'static str] = &["siteId", "policyVersion", "halfLifeDays"];
    const OPTIONAL: u32 = 1 << 2;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.site_id),
            1 => r.read_into(&mut self.policy_version),
            _ => r.read_into(&mut self.half_life_days),
        }
    }
}

/// An event as the page reports it: `{ type, item, gift?, at? }`.
#[derive(Clone, Debug)]
pub struct EventInput {
    /// `view`, `click`, `purchase`, `dismiss` or `impression`.
    pub kind: EventKind,
    /// The catalog item id.
    pub item: String,
    /// A purchase for someone else: never feeds the profile.
    pub gift: bool,
    /// When it happened (epoch ms); now when absent.
    pub at: Option<f64>,
}

/// The value a read starts from: every field that may be left out at its default
/// (`type` and `item` must be given).
impl Default for EventInput {
    fn default() -> EventInput {
        EventInput {
            kind: EventKind::View,
            item: String::new(),
            gift: false,
            at: None,
        }
    }
}

impl FromJson for EventInput {
    /// Any field but `type`, `item`, `gift` and `at` is an error.
    fn read(r: &mut Reader<'_>) -> Result<EventInput> {
        read_record(r)
    }
}

impl Record for EventInput {
    const KEYS: &'static [&'static str] = &["type", "item", "gift", "at"];
    const OPTIONAL: u32 = 1 << 2 | 1 << 3;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.kind),
            1 => r.read_into(&mut self.item),
            2 => r.read_into(&mut self.gift),
            _ => r.read_into(&mut self.at),
        }
    }
}

/// The options of `rank`, all optional: `{ limit, diversity, exclude, excludeSeen, now }`.
#[derive(Clone, Debug, Default)]
pub struct RankInput {
    /// How many results (default 10, at most 1000).
    pub limit: Option<f64>,
    /// Keep one topic from filling the list (default true).
    pub diversity: Option<bool>,
    /// Ids the page already shows.
    pub exclude: Vec<String>,
    /// Leave out items the visitor already clicked, bought or dismissed (default true).
    pub exclude_seen: Option<bool>,
    /// The time to rank at (epoch ms); now when absent.
    pub now: Option<f64>,
}

impl FromJson for RankInput {
    /// Any other field is an error; the values are checked when ranking.
    fn read(r: &mut Reader<'_>) -> Result<RankInput> {
        read_record(r)
    }
}

impl Record for RankInput {
    const KEYS: &'static [&'static str] = &["limit", "diversity", "exclude", "excludeSeen", "now"];
    const OPTIONAL: u32 = !0;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.limit),
            1 => r.read_into(&mut self.diversity),
            2 => r.read_into(&mut self.exclude),
            3 => r.read_into(&mut self.exclude_seen),
            _ => r.read_into(&mut self.now),
        }
    }
}

/// Where the profile lives and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Storage {
    /// Kept in storage across visits.
    Local,
    /// In memory for this page only, for the reason given.
    Memory(MemoryReason),
}

/// Why the profile lives in memory only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemoryReason {
    /// The visitor has not granted `remember`.
    NoRememberConsent,
    /// Storage failed (unavailable, denied, or full).
    Store(StoreError),
    /// The stored document is from a newer version of Inkling; it is left untouched.
    NewerVersion(u64),
}

impl MemoryReason {
    /// The stable code reported in `status().reason`.
    pub fn code(&self) -> &'static str {
        match self {
            MemoryReason::NoRememberConsent => "no-remember-consent",
            MemoryReason::Store(e) => e.code(),
            MemoryReason::NewerVersion(_) => "newer-version",
        }
    }
}

/// One change to the profile, kept until the stored document is known to include it.
#[derive(Clone, Debug)]
pub enum Op {
    /// An event learned from.
    Record(Event),
    /// A declared preference.
    Declare(String, Preference, i64),
    /// Observed data for a topic removed.
    Forget(String),
    /// A topic muted.
    Mute(String),
    /// A topic unmuted.
    Unmute(String),
    /// The last event undone.
    Undo,
    /// Personalization paused or resumed.
    Pause(bool),
    /// Everything erased.
    Erase,
    /// The profile replaced by an imported one, kept as its exported JSON text: reading
    /// it again on replay costs less code than keeping a second copy of the profile.
    Import(String),
}

/// What `status()` reports, read from the session as it is written: a view, so nothing
/// (the site id, the quarantine's key and error) is copied aside only to be written once.
pub struct Status<'a, S: Store>(&'a Session<S>);

impl<'a, S: Store> Status<'a, S> {
    /// The site id.
    pub fn site_id(&self) -> &'a str {
        &self.0.site_id
    }

    /// `"local"` or `"memory"`: where the profile lives.
    pub fn storage(&self) -> &'static str {
        self.0.storage_code()
    }

    /// Why it lives in memory (`no-remember-consent`, `unavailable`, `denied`, `quota`,
    /// `newer-version`), or `None`. As `storage()` decides, without building its reason.
    pub fn reason(&self) -> Option<&'static str> {
        match &self.0.storage_failure {
            Some(r) => Some(r.code()),
            None if !self.0.consent.remember => Some("no-remember-consent"),
            None => None,
        }
    }

    /// The version of a newer stored document left untouched.
    pub fn newer_version(&self) -> Option<u64> {
        match self.0.storage_failure {
            Some(MemoryReason::NewerVersion(v)) => Some(v),
            _ => None,
        }
    }

    /// A bad stored document moved aside at open, or `None`.
    pub fn quarantine(&self) -> Option<&'a Quarantine> {
        self.0.quarantine.as_ref()
    }

    /// The version the stored document was migrated from at open, or `None`.
    pub fn migrated_from(&self) -> Option<u64> {
        self.0.migrated_from
    }

    /// Items in the loaded catalog (0 before `loadCatalog`).
    pub fn catalog_items(&self) -> usize {
        self.0.catalog.as_ref().map_or(0, Catalog::len)
    }

    /// Whether the catalog carries item vectors.
    pub fn catalog_vectors(&self) -> bool {
        self.0.catalog.as_ref().is_some_and(Catalog::has_vectors)
    }

    /// Whether ranking uses the profile now (`personalize` granted and not paused).
    pub fn personalized(&self) -> bool {
        self.0.consent.personalize && !self.0.profile.is_paused()
    }

    /// The page should ask for consent.
    pub fn needs_decision(&self) -> bool {
        self.0.consent.needs_decision
    }

    /// The revision of the stored document this page last read or wrote.
    pub fn revision(&self) -> u64 {
        self.0.base_rev
    }

    /// Changes of this page missing from the stored document as last read or written
    /// (a failed write, or another page's write that has not been merged yet).
    pub fn unconfirmed_changes(&self) -> usize {
        let s = self.0;
        if s.consent.remember && s.storage_usable() {
            (s.seq - s.stored_seq.min(s.seq)) as usize
        } else {
            0
        }
    }

    /// This page's recent changes kept to re-apply should another page overwrite them.
    pub fn kept_changes(&self) -> usize {
        self.0.pending.len()
    }
}

impl<S: Store> ToJson for Status<'_, S> {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("siteId", self.site_id());
            o.field("storage", self.storage());
            o.field("reason", &self.reason());
            o.field("newerVersion", &self.newer_version());
            o.field("quarantine", &self.quarantine().map(QuarantineStatus));
            o.field("migratedFrom", &self.migrated_from());
            o.field("catalogItems", &self.catalog_items());
            o.field("catalogVectors", &self.catalog_vectors());
            o.field("personalized", &self.personalized());
            o.field("needsDecision", &self.needs_decision());
            o.field("revision", &self.revision());
            o.field("unconfirmedChanges", &self.unconfirmed_changes());
            o.field("keptChanges", &self.kept_changes());
        });
    }
}

/// A quarantined document as `status()` shows it: its storage key, why it could not be
/// read, its size in bytes and whether it was kept whole.
pub struct QuarantineStatus<'a>(pub &'a Quarantine);

impl ToJson for QuarantineStatus<'_> {
    fn write_json(&self, w: &mut Writer) {
        let q = self.0;
        w.object(|o| {
            o.field("key", &q.key);
            o.field("error", &q.error.describe());
            o.field("bytes", &q.bytes);
            o.field("complete", &q.complete);
        });
    }
}

/// Everything the device holds, as `profile()` shows it: the consent record, the
/// interest profile, where it lives, and the measurement state (privacy budget spent,
/// memoized answers) as its stored JSON text, if any. A view of the session, written
/// straight from its fields.
pub struct Holdings<'a, S: Store>(&'a Session<S>);

impl<S: Store> Holdings<'_, S> {
    /// Everything as one JSON object: `consent`, `profile`, `storage` and `measure`.
    pub fn to_json(&self) -> String {
        crate::json::to_string(self)
    }
}

impl<S: Store> ToJson for Holdings<'_, S> {
    fn write_json(&self, w: &mut Writer) {
        let s = self.0;
        w.object(|o| {
            o.field("consent", &s.consent);
            o.field("profile", &s.profile);
            o.field("storage", s.storage_code());
            // The measurement state is kept as the JSON text it was stored as.
            match &s.measure {
                Some(json) => o.key("measure").raw(json),
                None => o.key("measure").null(),
            }
        });
    }
}

/// One visitor on one site: consent, profile, catalog and storage.
pub struct Session<S: Store> {
    site_id: String,
    policy_version: String,
    keys: Keys,
    config: ProfileConfig,
    store: S,
    storage_failure: Option<MemoryReason>,
    consent: Consent,
    profile: Profile,
    /// Impressions only, for frequency caps while `personalize` is off; never stored.
    caps: Profile,
    catalog: Option<Catalog>,
    quarantine: Option<Quarantine>,
    migrated_from: Option<u64>,
    measure: Option<String>,
    writer: u64,
    seq: u64,
    /// The last of this page's changes included in a successful write.
    written_seq: u64,
    /// The last of this page's changes in the stored document as last read or written.
    stored_seq: u64,
    base_rev: u64,
    pending: Vec<(u64, Op)>,
}

/// A site id or policy version must be 1 to 128 bytes without control characters.
fn validate_name(path: &str, value: &str) -> Result<()> {
    if value.is_empty() || value.len() > 128 {
        return Err(Error::out_of_range(path, "must be 1 to 128 bytes long"));
    }
    // `char::is_control` by bytes: C0 and DEL are single bytes, and C1 (U+0080 to
    // U+009F) is 0xC2 followed by 0x80 to 0x9F.
    let b = value.as_bytes();
    let control = b.iter().enumerate().any(|(i, &c)| {
        c < 0x20 || c == 0x7f || (c == 0xc2 && matches!(b.get(i + 1), Some(0x80..=0x9f)))
    });
    if control {
        return Err(Error::invalid(path, "must not contain control characters"));
    }
    Ok(())
}

/// The loaded catalog, or the error for calls that need one.
fn loaded(catalog: &Option<Catalog>) -> Result<&Catalog> {
    catalog
        .as_ref()
        .ok_or_else(|| Error::invalid("", "no catalog loaded: call loadCatalog first"))
}

/// A JavaScript number as epoch milliseconds: `rank`'s `now`, `record`'s `at`, and
/// the `now` of the calls that take one.
pub(crate) fn time_from(path: &str, value: f64) -> Result<i64> {
    // ±8.64e15 ms is the range of a JavaScript Date.
    if !value.is_finite() || value.abs() > 8.64e15 {
        return Err(Error::out_of_range(
            path,
            "must be a time in epoch milliseconds",
        ));
    }
    Ok(value as i64)
}

impl<S: Store> Session<S> {
    /// Opens the session for `options` on `store`, with the browser's GPC signal,
    /// the time and this page's random writer id. Storage problems never fail
    /// this: they put the session in memory mode, which `status()` explains.
    pub fn open(
        options: OpenOptions,
        store: S,
        gpc: bool,
        now_ms: i64,
        writer: u64,
    ) -> Result<Session<S>> {
        validate_name("/siteId", &options.site_id)?;
        validate_name("/policyVersion", &options.policy_version)?;
        let mut config = ProfileConfig::default();
        if let Some(days) = options.half_life_days {
            config.half_life_days = days;
        }
        config.validate()?;
        let _ = now_ms;
        let keys = Keys::for_site(&options.site_id);
        let mut session = Session {
            site_id: options.site_id,
            consent: Consent::undecided(&options.policy_version, gpc),
            policy_version: options.policy_version,
            keys,
            config,
            storage_failure: None,
            profile: Profile::new(),
            caps: Profile::new(),
            catalog: None,
            quarantine: None,
            migrated_from: None,
            measure: None,
            writer,
            seq: 0,
            written_seq: 0,
            stored_seq: 0,
            base_rev: 0,
            pending: Vec::new(),
            store,
        };
        match slot::load(&mut session.store, &session.keys, Document::decode) {
            Loaded::Empty => {}
            Loaded::Found(doc, _) => {
                session.migrated_from = doc.migrated_from;
                let migrated = doc.migrated_from.is_some();
                session.adopt(doc);
                if migrated {
                    // Write the migrated document in the current layout right away.
                    session.write(now_ms, true);
                }
            }
            Loaded::Newer(v) => session.storage_failure = Some(MemoryReason::NewerVersion(v)),
            Loaded::Corrupt(q) => session.quarantine = Some(q),
            Loaded::Unavailable(e) => session.storage_failure = Some(MemoryReason::Store(e)),
        }
        Ok(session)
    }

    // ----- reading what the session holds -----

    /// The consent record.
    pub fn consent(&self) -> &Consent {
        &self.consent
    }

    /// The interest profile (whether or not `personalize` is granted).
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The loaded catalog, if any.
    pub fn catalog(&self) -> Option<&Catalog> {
        self.catalog.as_ref()
    }

    /// The site id.
    pub fn site_id(&self) -> &str {
        &self.site_id
    }

    /// The storage keys of this site.
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// The store, for inspection.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The store, to change it behind the session's back (tests of other tabs).
    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    /// Where the profile lives now.
    pub fn storage(&self) -> Storage {
        match &self.storage_failure {
            Some(reason) => Storage::Memory(reason.clone()),
            None if !self.consent.remember => Storage::Memory(MemoryReason::NoRememberConsent),
            None => Storage::Local,
        }
    }

    /// Whether the profile is kept in storage now (`remember` granted and storage working).
    pub fn remembers(&self) -> bool {
        self.consent.remember && self.storage_failure.is_none()
    }

    /// Everything the device holds, readable.
    pub fn holdings(&self) -> Holdings<'_, S> {
        Holdings(self)
    }

    fn storage_code(&self) -> &'static str {
        // Local exactly when `storage()` says so, without building its reason.
        if self.remembers() {
            "local"
        } else {
            "memory"
        }
    }

    /// What `status()` reports.
    pub fn status(&self) -> Status<'_, S> {
        Status(self)
    }

    /// The measurement state as JSON text, as the measurement module last left it.
    pub fn measure_state(&self) -> Option<&str> {
        self.measure.as_deref()
    }

    /// Replaces the measurement state (JSON text) and stores it with the profile while `remember` is granted.
    pub fn set_measure_state(&mut self, json: String, now_ms: i64) {
        self.measure = Some(json);
        if self.consent.remember {
            self.write(now_ms, true);
        }
    }

    // ----- catalog -----

    /// Loads the site's catalog (replacing any earlier one).
    pub fn load_catalog(&mut self, catalog: Catalog) {
        self.catalog = Some(catalog);
    }

    /// Loads the site's catalog from its JSON document.
    pub fn load_catalog_json(&mut self, json: &str) -> Result<()> {
        self.catalog = Some(Catalog::from_json(json)?);
        Ok(())
    }

    fn catalog_or_err(&self) -> Result<&Catalog> {
        loaded(&self.catalog)
    }

    // ----- consent -----

    /// Applies the visitor's choice. Withdrawing `remember` deletes the stored profile at once.
    pub fn set_consent(&mut self, choice: &ConsentChoice, now_ms: i64) -> &Consent {
        let withdrawn = self.consent.decide(choice, &self.policy_version, now_ms);
        if !self.consent.remember {
            self.pending.clear();
        }
        if withdrawn.remember {
            let _ = self.store.remove(&self.keys.next);
        }
        self.write(now_ms, true);
        &self.consent
    }

    // ----- learning and the visitor's controls -----

    /// Records an event. Learns only with `personalize`; without it only
    /// impressions count (for frequency caps, in memory). Returns whether the profile learned.
    pub fn record(&mut self, input: EventInput, now_ms: i64) -> Result<bool> {
        let at_ms = match input.at {
            Some(t) => time_from("/at", t)?,
            None => now_ms,
        };
        let event = Event {
            kind: input.kind,
            item: input.item,
            gift: input.gift,
            at_ms,
        };
        // The field alone is borrowed: the profiles are changed alongside.
        let catalog = loaded(&self.catalog)?;
        if !self.consent.personalize {
            if event.kind == EventKind::Impression {
                self.caps.record(catalog, &event, &self.config)?;
            } else if catalog.item_index(&event.item).is_none() {
                return Err(Error::not_found("/item", "no such item in the catalog"));
            }
            return Ok(false);
        }
        self.profile.record(catalog, &event, &self.config)?;
        self.changed(Op::Record(event), now_ms);
        Ok(true)
    }

    /// The visitor says they like, dislike, or have no preference about `topic`.
    pub fn declare(&mut self, topic: &str, pref: Preference, now_ms: i64) -> Result<()> {
        self.profile.declare(topic, pref, now_ms)?;
        self.changed(Op::Declare(topic.to_string(), pref, now_ms), now_ms);
        Ok(())
    }

    /// Forgets everything about `topic` (observed weight, declaration, mute, and the
    /// items of that topic in the history). Returns whether there was anything.
    pub fn forget(&mut self, topic: &str, now_ms: i64) -> bool {
        let any = match &self.catalog {
            Some(c) => self.profile.forget_everywhere(c, topic),
            None => self.profile.forget(topic),
        };
        self.changed(Op::Forget(topic.to_string()), now_ms);
        any
    }

    /// Never uses `topic` again until unmuted.
    pub fn mute(&mut self, topic: &str, now_ms: i64) -> Result<()> {
        self.profile.mute(topic)?;
        self.changed(Op::Mute(topic.to_string()), now_ms);
        Ok(())
    }

    /// Lets `topic` be used again; returns whether it was muted.
    pub fn unmute(&mut self, topic: &str, now_ms: i64) -> bool {
        let was = self.profile.unmute(topic);
        self.changed(Op::Unmute(topic.to_string()), now_ms);
        was
    }

    /// Undoes the last recorded event; returns it, or `None` when there is nothing to undo.
    pub fn undo(&mut self, now_ms: i64) -> Result<Option<Event>> {
        // The field alone is borrowed: the profiles are changed alongside.
        let catalog = loaded(&self.catalog)?;
        let undone = self.profile.undo(catalog, &self.config);
        if undone.is_some() {
            self.changed(Op::Undo, now_ms);
        }
        Ok(undone)
    }

    /// Pauses (or resumes) personalization: ranking falls back to the non-personalized order.
    pub fn pause(&mut self, paused: bool, now_ms: i64) {
        self.profile.set_paused(paused);
        self.changed(Op::Pause(paused), now_ms);
    }

    /// Erases everything the device holds about the visitor's interests, here and in storage
    /// (including a quarantined document and the measurement state). The consent record stays.
    pub fn erase(&mut self, now_ms: i64) {
        self.profile.erase();
        self.caps = Profile::new();
        self.measure = None;
        let _ = self.store.remove(&self.keys.quarantine);
        self.quarantine = None;
        self.changed(Op::Erase, now_ms);
    }

    /// The profile as a JSON document the visitor can keep.
    pub fn export_profile(&self) -> String {
        self.profile.to_json()
    }

    /// Replaces the profile by an exported one; a bad file changes nothing.
    pub fn import_profile(&mut self, json: &str, now_ms: i64) -> Result<()> {
        if json.len() > slot::MAX_DOCUMENT_BYTES {
            return Err(Error::out_of_range("", "the profile is larger than 1 MiB"));
        }
        self.profile = Profile::from_json(json)?;
        self.changed(Op::Import(self.profile.to_json()), now_ms);
        Ok(())
    }

    // ----- ranking -----

    /// The profile ranking may use: the visitor's with `personalize`, otherwise
    /// the impressions-only one (non-personalized order, frequency caps still apply).
    fn ranking_profile(&self) -> &Profile {
        if self.consent.personalize {
            &self.profile
        } else {
            &self.caps
        }
    }

    /// Ranks the catalog; only the top results cross to the caller. The options are
    /// taken, not borrowed: the ids to exclude move into the ranking's options instead
    /// of being copied one by one.
    pub fn rank(&self, input: RankInput, now_ms: i64) -> Result<Vec<Ranked>> {
        let catalog = self.catalog_or_err()?;
        let limit = match input.limit {
            None => 10,
            Some(l) if l.fract() == 0.0 && (1.0..=1000.0).contains(&l) => l as usize,
            Some(_) => {
                return Err(Error::out_of_range(
                    "/limit",
                    "must be a whole number from 1 to 1000",
                ))
            }
        };
        let now_ms = match input.now {
            Some(t) => time_from("/now", t)?,
            None => now_ms,
        };
        let opts = RankOptions {
            limit,
            diversity: input.diversity.unwrap_or(true),
            exclude: input.exclude,
            exclude_seen: input.exclude_seen.unwrap_or(true),
            now_ms,
        };
        Ok(rank::rank(Some(self.ranking_profile()), catalog, &opts))
    }

    /// Why `item_id` would (or would not) be shown.
    pub fn explain(&self, item_id: &str, now_ms: i64) -> Result<Explanation> {
        let catalog = self.catalog_or_err()?;
        explain::explain(Some(self.ranking_profile()), catalog, item_id, now_ms)
    }

    // ----- storage and other tabs -----

    /// Whether writing to storage is worth trying.
    fn storage_usable(&self) -> bool {
        !matches!(
            self.storage_failure,
            Some(MemoryReason::NewerVersion(_))
                | Some(MemoryReason::Store(StoreError::Denied))
                | Some(MemoryReason::Store(StoreError::Unavailable))
        )
    }

    /// Notes a change already applied to the profile, and stores it when `remember` is granted.
    fn changed(&mut self, op: Op, now_ms: i64) {
        self.seq += 1;
        if !self.consent.remember || !self.storage_usable() {
            return;
        }
        self.pending.push((self.seq, op));
        if self.pending.len() > MAX_PENDING {
            // Added one at a time: the oldest goes (`discard`, not a `Drain` instance).
            for _ in MAX_PENDING..self.pending.len() {
                discard(&mut self.pending, 0);
            }
        }
        self.write(now_ms, false);
    }

    /// Applies one change to `profile` again (merge after another page wrote).
    fn replay(profile: &mut Profile, op: &Op, catalog: Option<&Catalog>, config: &ProfileConfig) {
        match op {
            Op::Record(e) => {
                if let Some(c) = catalog {
                    let _ = profile.record(c, e, config);
                }
            }
            Op::Declare(t, p, at) => {
                let _ = profile.declare(t, *p, *at);
            }
            Op::Forget(t) => {
                match catalog {
                    Some(c) => profile.forget_everywhere(c, t),
                    None => profile.forget(t),
                };
            }
            Op::Mute(t) => {
                let _ = profile.mute(t);
            }
            Op::Unmute(t) => {
                profile.unmute(t);
            }
            Op::Undo => {
                if let Some(c) = catalog {
                    let _ = profile.undo(c, config);
                }
            }
            Op::Pause(p) => profile.set_paused(*p),
            Op::Erase => profile.erase(),
            Op::Import(json) => {
                // Read successfully on import, so it reads the same again.
                if let Ok(p) = Profile::from_json(json) {
                    *profile = p;
                }
            }
        }
    }

    /// Forgets kept changes that another page has seen: a document last written by
    /// another page that includes them. (A document this page wrote itself proves
    /// nothing: a page that never saw it may still overwrite it.)
    /// `seen` is this page's last change the document includes.
    fn prune(&mut self, writers: &[document::Writer], seen: u64) {
        if writers.last().is_some_and(|w| w.id != self.writer) {
            // Kept changes are in sequence order: the seen ones are the oldest.
            while self.pending.first().is_some_and(|(seq, _)| *seq <= seen) {
                discard(&mut self.pending, 0);
            }
        }
    }

    /// Takes what another page stored and applies this page's changes it lacks (those
    /// after `included`).
    fn merge(&mut self, mut doc: Document, included: u64) {
        let theirs_newer = doc
            .consent
            .as_ref()
            .is_some_and(|c| c.decided_at > self.consent.decided_at);
        if theirs_newer {
            if let Some(c) = &mut doc.consent {
                self.restore_consent(c);
            }
        }
        // Their parts are swapped in, and what they replace leaves with `doc`: one drop
        // of the document instead of one per part on each path.
        if doc.measure.is_some() {
            std::mem::swap(&mut self.measure, &mut doc.measure);
        }
        self.base_rev = doc.rev;
        if let (Some(profile), true) = (&mut doc.profile, self.consent.remember) {
            for (_, op) in self.pending.iter().filter(|(seq, _)| *seq > included) {
                Self::replay(profile, op, self.catalog.as_ref(), &self.config);
            }
            std::mem::swap(&mut self.profile, profile);
        }
        if !self.consent.remember {
            self.pending.clear();
        }
    }

    /// Takes `stored`, a consent record read from a document, as this session's record,
    /// restored for this page's policy version and GPC signal. Swapped in: the record
    /// it replaces leaves with the document.
    fn restore_consent(&mut self, stored: &mut Consent) {
        let gpc = self.consent.gpc;
        std::mem::swap(&mut self.consent, stored);
        self.consent.restore(&self.policy_version, gpc);
    }

    /// Adopts a document read at open, into a session as [`open`](Session::open) built it.
    fn adopt(&mut self, mut doc: Document) {
        self.base_rev = doc.rev;
        // Without a stored record the session keeps the undecided one it was opened with.
        if let Some(c) = &mut doc.consent {
            self.restore_consent(c);
        }
        if self.consent.remember {
            // Swapped in: the empty profile and measurement state of a session being
            // opened leave with `doc`, dropped once.
            if let Some(p) = &mut doc.profile {
                std::mem::swap(&mut self.profile, p);
            }
            std::mem::swap(&mut self.measure, &mut doc.measure);
        }
    }

    /// Writes the current state, merging with what another page stored since this page last read.
    /// `force` writes even when nothing of the profile changed (a consent change).
    fn write(&mut self, now_ms: i64, force: bool) {
        if !self.storage_usable() {
            return;
        }
        let mut writers = Vec::new();
        let mut stored_rev = 0;
        let mut stored_seq = 0;
        match slot::load(&mut self.store, &self.keys, Document::decode) {
            Loaded::Found(mut doc, rev) => {
                stored_rev = rev;
                // Taken, not copied: the list is written back with this page's entry.
                writers = std::mem::take(&mut doc.writers);
                stored_seq = document::seq_of(&writers, self.writer);
                // Looked up once for pruning and merging alike.
                self.prune(&writers, stored_seq);
                // This page's own document lacks only changes made since: nothing to merge.
                if rev != self.base_rev || stored_seq < self.written_seq {
                    self.merge(doc, stored_seq);
                }
            }
            Loaded::Empty => {}
            Loaded::Corrupt(q) => self.quarantine = Some(q),
            Loaded::Newer(v) => {
                self.storage_failure = Some(MemoryReason::NewerVersion(v));
                return;
            }
            Loaded::Unavailable(e) => {
                self.storage_failure = Some(MemoryReason::Store(e));
                return;
            }
        }
        self.stored_seq = stored_seq;
        if !force && stored_seq >= self.seq {
            return;
        }
        let remember = self.consent.remember;
        let rev = self.base_rev.max(stored_rev) + 1;
        document::set_writer(&mut writers, self.writer, self.seq);
        let doc = Contents {
            rev,
            saved_at: now_ms,
            consent: Some(&self.consent),
            profile: remember.then_some(&self.profile),
            measure: self.measure.as_deref().filter(|_| remember),
            writers: &writers,
        };
        match slot::save(&mut self.store, &self.keys, &doc.encode()) {
            Ok(()) => {
                self.base_rev = rev;
                self.written_seq = self.seq;
                self.stored_seq = self.seq;
                self.storage_failure = None;
            }
            Err(e) => self.storage_failure = Some(MemoryReason::Store(e)),
        }
    }

    /// Another page changed the stored document (`storage` event), or `removed` it. Picks up
    /// their changes and re-applies this page's lost ones.
    ///
    /// The event's value may already be stale when it arrives (this page may have read a newer
    /// document meanwhile), so the document is read again from the store and merged as on a write:
    /// the profile and the writer list always come from the same document. The event's text is
    /// therefore not needed, only whether there is one.
    pub fn external_change(&mut self, removed: bool, now_ms: i64) {
        if removed {
            // Removed elsewhere (site data cleared): do not resurrect it from this page.
            self.pending.clear();
            self.base_rev = 0;
            return;
        }
        self.write(now_ms, false);
    }

    /// Re-reads the stored document and re-applies this page's changes it lacks (run under a Web Lock).
    pub fn reconcile(&mut self, now_ms: i64) {
        if self.consent.remember {
            self.write(now_ms, false);
        }
    }
}

#[cfg(test)]
mod tests;
