//! The versioned document kept under `inkling:<siteId>`.
//!
//! ```json
//! { "v": 1, "rev": 7, "savedAt": 1764000000000,
//!   "consent": { "personalize": true, "remember": true, "measure": false, ... },
//!   "profile": { "v": 1, ... },          // only while `remember` is granted
//!   "measure": { ... },                  // the measurement state, only while `remember` is granted
//!   "writers": [{ "id": 81724, "seq": 12 }] }
//! ```
//!
//! `rev` grows with every write, so a reader can tell that another tab wrote.
//! `writers` holds, for the last few pages that wrote, the sequence number of
//! their last change included here: a page whose change is missing (two tabs
//! wrote at the same moment) applies it again. The ids are random numbers
//! drawn per page load; they never leave the device.
//!
//! Decoding is strict: wrong types, a profile that fails its own validation, or
//! an oversized text make the document corrupt (it is quarantined, never
//! reused). A document without `"v"` is the pre-release layout and is migrated
//! ([`super::migrate`]); a document with a higher `"v"` is left untouched.

use super::migrate;
use super::slot::Decoded;
use crate::consent::Consent;
use crate::error::{Error, ErrorKind, Result};
use crate::json::{read_fields, read_in, Reader, Record, ToJson};
use crate::profile::Profile;
use crate::text::parse_uint;

/// The document version this build writes.
pub const VERSION: u64 = 1;

/// At most this many writers are remembered; the least recent is dropped first.
pub const MAX_WRITERS: usize = 16;

/// One page's last change included in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Writer {
    /// A random number drawn when the page opened Inkling.
    pub id: u64,
    /// The sequence number of that page's last change included.
    pub seq: u64,
}

impl ToJson for Writer {
    fn write_json(&self, w: &mut crate::json::Writer) {
        w.object(|o| {
            o.field("id", &self.id);
            o.field("seq", &self.seq);
        });
    }
}

/// A decoded, validated document.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Grows by one with every write.
    pub rev: u64,
    /// When it was written (epoch ms).
    pub saved_at: i64,
    /// The visitor's consent record, if they decided.
    pub consent: Option<Consent>,
    /// The profile, present only while `remember` is granted.
    pub profile: Option<Profile>,
    /// The measurement state as JSON text (validated by the measurement module when read).
    pub measure: Option<String>,
    /// The last change of recent writers, most recent last.
    pub writers: Vec<Writer>,
    /// The version this document was migrated from, when it was.
    pub migrated_from: Option<u64>,
}

crate::json::record_read_in_place!(Writer, Writer { id: 0, seq: 0 });

impl Record for Writer {
    const KEYS: &'static [&'static str] = &["id", "seq"];
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.id),
            _ => r.read_into(&mut self.seq),
        }
    }
}

/// The fields of a version-1 document as read, straight into the [`Document`] they
/// become (building them aside and moving them over copied every field once more),
/// with the profile and the measurement state still as JSON text. Unknown fields are skipped, so a later release
/// may add optional fields without older pages discarding the document.
struct Fields<'a> {
    v: u64,
    doc: Document,
    profile: Option<&'a str>,
    measure: Option<&'a str>,
}

impl<'a> Fields<'a> {
    /// The field names, in the order [`read_field`](Fields::read_field) numbers them;
    /// the first three are required.
    const KEYS: &'static [&'static str] = &[
        "v", "rev", "savedAt", "consent", "profile", "measure", "writers",
    ];

    /// Reads the fields with the crate's record loop (a [`Record`] cannot borrow from
    /// the text, as the profile and the measurement state do here), in place: returned
    /// in a `Result`, the fields were copied out once more.
    fn read(&mut self, text: &'a str) -> Result<()> {
        let mut r = Reader::new(text);
        let read = &mut |r: &mut Reader<'a>, i| self.read_field(r, i);
        // All but the first three fields may be left out; unknown ones are skipped.
        read_fields(&mut r, Self::KEYS, !0b111, true, read)?;
        r.finish()
    }

    fn read_field(&mut self, r: &mut Reader<'a>, i: usize) -> Result<()> {
        let d = &mut self.doc;
        let raw = match i {
            0 => return r.read_into(&mut self.v),
            1 => return r.read_into(&mut d.rev),
            2 => return r.read_into(&mut d.saved_at),
            3 => return read_consent(r, &mut d.consent, false),
            6 => return r.read_into(&mut d.writers),
            4 => &mut self.profile,
            _ => &mut self.measure,
        };
        *raw = if r.null()? { None } else { Some(r.raw()?) };
        Ok(())
    }
}

/// Reads a consent record that may be `null` into its place, over the record's
/// before-reading state: `layout_v0` says it is the version-0 record (other field
/// names, the same record). One body for both layouts: with a generic reader per
/// record, each layout compiled its own copy. Any error fails the whole document, so
/// a record read in part is dropped with it. Not inlined: in each record's field
/// reader it made the module larger (measured).
#[inline(never)]
pub(super) fn read_consent(
    r: &mut Reader<'_>,
    place: &mut Option<Consent>,
    layout_v0: bool,
) -> Result<()> {
    if r.null()? {
        *place = None;
        return Ok(());
    }
    let c = place.insert(Consent::before_reading());
    if layout_v0 {
        read_in(r, &mut migrate::ConsentV0(c))
    } else {
        read_in(r, c)
    }
}

/// The document's `"v"`, read alone to decide how to read the rest: `None` when it is
/// absent or `null` (the pre-release layout).
fn version_of(text: &str) -> Result<Option<u64>> {
    let mut v: Option<Option<u64>> = None;
    let mut r = Reader::new(text);
    r.object(|r, key| match key {
        "v" if v.is_some() => Err(r.duplicate_field()),
        "v" => {
            v = Some(read_version(r)?);
            Ok(())
        }
        _ => r.skip(),
    })?;
    r.finish()?;
    Ok(v.flatten())
}

/// A version number: any JSON number is read, but only a whole one is a version.
fn read_version(r: &mut Reader<'_>) -> Result<Option<u64>> {
    if r.null()? {
        return Ok(None);
    }
    let text = r.raw()?;
    // The first byte decides (no character decoding for an ASCII test).
    if !matches!(text.as_bytes().first(), Some(b'-' | b'0'..=b'9')) {
        return Err(r.error("expected a number"));
    }
    match parse_uint(text) {
        Some(v) => Ok(Some(v)),
        None => Err(r.error("the version must be a whole number")),
    }
}

/// Reads a stored text. The common case, version 1, is read in one pass; only text
/// that is not a version-1 document is read again for its version alone. Each outcome
/// is built where it is returned: passing the document up through `Result`s copied it
/// (and its profile) several times over in the shipped code.
fn read(text: &str) -> Decoded<Document> {
    let mut f = Fields {
        v: 0,
        doc: Document::default(),
        profile: None,
        measure: None,
    };
    match f.read(text) {
        Ok(()) if f.v == VERSION => {}
        Ok(()) => return by_version(Some(f.v), text),
        // Another version need not have version 1's fields: say which version it is
        // rather than which field did not fit.
        Err(e) => {
            return match version_of(text) {
                Ok(Some(VERSION)) => Decoded::Corrupt(e),
                Ok(v) => by_version(v, text),
                Err(e) => Decoded::Corrupt(e),
            }
        }
    };
    // The embedded profile and the consent record must pass their checks.
    if let Some(json) = f.profile {
        // Read in its place in the document (dropped with it on an error).
        if let Err(e) = f.doc.profile.insert(Profile::new()).read_json(json) {
            return Decoded::Corrupt(nest("/profile", e));
        }
    }
    if let Some(Err(e)) = f.doc.consent.as_ref().map(validate_consent) {
        return Decoded::Corrupt(e);
    }
    f.doc.measure = f.measure.map(str::to_string);
    let rev = f.doc.rev;
    Decoded::Ok(f.doc, rev)
}

/// A text whose version is not [`VERSION`].
fn by_version(v: Option<u64>, text: &str) -> Decoded<Document> {
    match v {
        // A migrated document starts at revision 0.
        None => {
            let mut doc = Document::default();
            match migrate::from_v0(text, &mut doc) {
                Ok(()) => Decoded::Ok(doc, 0),
                Err(e) => Decoded::Corrupt(e),
            }
        }
        Some(v) if v > VERSION => Decoded::Newer(v),
        Some(_) => Decoded::Corrupt(Error::new(
            ErrorKind::Unsupported,
            "/v",
            "unknown document version",
        )),
    }
}

impl Document {
    /// The sequence number of writer `id`'s last change included here (0 when none).
    pub fn seq_of(&self, id: u64) -> u64 {
        seq_of(&self.writers, id)
    }

    /// Records that writer `id`'s changes up to `seq` are included, keeping at most [`MAX_WRITERS`].
    pub fn set_writer(&mut self, id: u64, seq: u64) {
        set_writer(&mut self.writers, id, seq);
    }

    /// The document as JSON text: every field, `null` when absent; `migratedFrom` is
    /// not written (it describes this read, not the stored data).
    pub fn encode(&self) -> String {
        Contents {
            rev: self.rev,
            saved_at: self.saved_at,
            consent: self.consent.as_ref(),
            profile: self.profile.as_ref(),
            measure: self.measure.as_deref(),
            writers: &self.writers,
        }
        .encode()
    }

    /// Reads a stored text: a document, a newer version to leave alone, or corrupt data.
    pub fn decode(text: &str) -> Decoded<Document> {
        read(text)
    }
}

/// The sequence number of writer `id`'s last change included in `writers` (0 when none).
pub fn seq_of(writers: &[Writer], id: u64) -> u64 {
    writers.iter().find(|w| w.id == id).map_or(0, |w| w.seq)
}

/// Records in `writers` that writer `id`'s changes up to `seq` are included, keeping at
/// most [`MAX_WRITERS`] (the least recent is dropped first).
pub fn set_writer(writers: &mut Vec<Writer>, id: u64, seq: u64) {
    // Writers are `Copy`: the others are moved down over `id`'s entries in one pass,
    // where the shared `keep_only` removed each with a `Vec::remove` of this type.
    let mut kept = 0;
    for i in 0..writers.len() {
        let w = writers[i];
        if w.id != id {
            writers[kept] = w;
            kept += 1;
        }
    }
    writers.truncate(kept);
    writers.push(Writer { id, seq });
    if writers.len() > MAX_WRITERS {
        // Writers are `Copy`: a move and a truncation rather than a `Drain` instance.
        let drop = writers.len() - MAX_WRITERS;
        writers.copy_within(drop.., 0);
        writers.truncate(MAX_WRITERS);
    }
}

/// What a [`Document`] holds, borrowed: a page writes its state through this without
/// copying its profile into a document first.
pub struct Contents<'a> {
    /// Grows by one with every write.
    pub rev: u64,
    /// When it is written (epoch ms).
    pub saved_at: i64,
    /// The visitor's consent record, if they decided.
    pub consent: Option<&'a Consent>,
    /// The profile, present only while `remember` is granted.
    pub profile: Option<&'a Profile>,
    /// The measurement state as JSON text.
    pub measure: Option<&'a str>,
    /// The last change of recent writers, most recent last.
    pub writers: &'a [Writer],
}

impl Contents<'_> {
    /// The document as JSON text: every field, `null` when absent.
    pub fn encode(&self) -> String {
        crate::json::to_string(self)
    }
}

impl ToJson for Contents<'_> {
    fn write_json(&self, w: &mut crate::json::Writer) {
        w.object(|o| {
            o.field("v", &VERSION);
            o.field("rev", &self.rev);
            o.field("savedAt", &self.saved_at);
            o.field("consent", &self.consent);
            o.field("profile", &self.profile);
            // The measurement state is kept as the JSON text it was read or written as.
            match self.measure {
                Some(json) => o.key("measure").raw(json),
                None => o.key("measure").null(),
            }
            o.field("writers", self.writers);
        });
    }
}

/// `error` found inside the nested document at `prefix`.
pub(crate) fn nest(prefix: &str, error: Error) -> Error {
    crate::ldp::within(prefix, error)
}

/// A consent record must name a policy version of sensible length.
pub(crate) fn validate_consent(c: &Consent) -> Result<()> {
    if c.policy_version.is_empty() || c.policy_version.len() > 128 {
        return Err(Error::out_of_range(
            "/consent/policyVersion",
            "must be 1 to 128 bytes",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn corrupt(text: &str) -> (ErrorKind, String, String) {
        match Document::decode(text) {
            Decoded::Corrupt(e) => (e.kind(), e.path().to_string(), e.message().to_string()),
            other => panic!("{text}: expected corrupt, got {other:?}"),
        }
    }

    fn invalid(path: &str, message: &str) -> (ErrorKind, String, String) {
        (ErrorKind::Invalid, path.into(), message.into())
    }

    #[test]
    fn the_written_layout_is_pinned_and_reads_back() {
        let mut doc = Document {
            rev: 7,
            saved_at: 5,
            consent: Some(Consent::undecided("p", false)),
            profile: Some(Profile::new()),
            measure: Some(r#"{"a": [1, 2]}"#.into()),
            ..Document::default()
        };
        doc.set_writer(9, 3);
        let text = doc.encode();
        assert_eq!(
            text,
            concat!(
                r#"{"v":1,"rev":7,"savedAt":5,"#,
                r#""consent":{"personalize":false,"remember":false,"measure":false,"gpc":false,"#,
                r#""policyVersion":"p","decidedAt":null,"needsDecision":true,"measureDespiteGpc":false},"#,
                r#""profile":{"v":1,"paused":false,"halfLifeDays":14.0,"oneOffFactor":0.25,"#,
                r#""topics":{},"recent":[],"engaged":{},"dismissed":{},"shown":[]},"#,
                r#""measure":{"a": [1, 2]},"writers":[{"id":9,"seq":3}]}"#
            )
        );
        let Decoded::Ok(back, 7) = Document::decode(&text) else {
            panic!("{text}")
        };
        assert_eq!(back.consent, doc.consent);
        assert_eq!(back.profile, doc.profile);
        assert_eq!(back.measure.as_deref(), Some(r#"{"a": [1, 2]}"#));
        assert_eq!(back.writers, doc.writers);
    }

    #[test]
    fn a_writer_is_listed_once_last_and_the_list_is_bounded() {
        let w = |id, seq| Writer { id, seq };
        let mut writers = vec![w(1, 1), w(2, 5), w(1, 2), w(3, 7)];
        set_writer(&mut writers, 1, 9);
        assert_eq!(writers, [w(2, 5), w(3, 7), w(1, 9)]);
        let mut writers: Vec<Writer> = (0..MAX_WRITERS as u64).map(|id| w(id, id)).collect();
        set_writer(&mut writers, 5, 50);
        assert_eq!(writers.len(), MAX_WRITERS);
        assert_eq!((writers[4], writers[5]), (w(4, 4), w(6, 6)));
        set_writer(&mut writers, 99, 1);
        assert_eq!(writers.len(), MAX_WRITERS);
        assert_eq!((writers[0], writers[MAX_WRITERS - 1]), (w(1, 1), w(99, 1)));
    }

    #[test]
    fn unknown_fields_are_skipped_and_null_parts_are_absent() {
        let text = r#"{"later":{"x":[1]},"v":1,"rev":1,"savedAt":0,"profile":null,"measure":null,"consent":null}"#;
        let Decoded::Ok(doc, 1) = Document::decode(text) else {
            panic!("{text}")
        };
        assert!(doc.profile.is_none() && doc.measure.is_none() && doc.consent.is_none());
    }

    #[test]
    fn missing_repeated_and_mistyped_fields_are_corrupt_with_a_path() {
        assert_eq!(
            corrupt(r#"{"v":1,"savedAt":0}"#),
            invalid("", "missing field `rev`")
        );
        assert_eq!(
            corrupt(r#"{"v":1,"rev":1,"rev":2,"savedAt":0}"#),
            invalid("/rev", "duplicate field")
        );
        assert_eq!(
            corrupt(r#"{"v":1,"rev":1,"savedAt":0,"measure":{},"measure":{}}"#),
            invalid("/measure", "duplicate field")
        );
        assert_eq!(
            corrupt(r#"{"v":1,"rev":"three","savedAt":0}"#),
            invalid("/rev", "expected an integer")
        );
        assert_eq!(
            corrupt(r#"{"v":1,"rev":1,"savedAt":0,"writers":[{"id":1,"seq":2,"tab":3}]}"#),
            invalid("/writers/0/tab", "unknown field")
        );
        assert_eq!(
            corrupt(r#"{"v":1,"rev":1,"savedAt":0,"consent":{"personalize":1}}"#),
            invalid("/consent/personalize", "expected true or false")
        );
        assert_eq!(
            corrupt(r#"{"v":1,"rev":1,"savedAt":0,"profile":{"v":1,"topics":{"a":{"w":"x"}}}}"#),
            invalid("/profile/topics/a/w", "expected a number")
        );
        assert_eq!(
            corrupt(r#"{"v":1,"rev":1,"savedAt":0,"measure":{"#).0,
            ErrorKind::Invalid
        );
    }

    #[test]
    fn the_version_decides_how_the_rest_is_read() {
        assert!(matches!(
            Document::decode(r#"{"v":2,"rev":"new"}"#),
            Decoded::Newer(2)
        ));
        assert!(matches!(Document::decode(r#"{"v":3}"#), Decoded::Newer(3)));
        assert_eq!(
            corrupt(r#"{"v":0,"rev":1,"savedAt":0}"#),
            (
                ErrorKind::Unsupported,
                "/v".into(),
                "unknown document version".into()
            )
        );
        assert_eq!(
            corrupt(r#"{"v":1.5,"rev":1}"#),
            invalid("/v", "the version must be a whole number")
        );
        assert_eq!(corrupt(r#"{"v":"1"}"#), invalid("/v", "expected a number"));
        assert_eq!(corrupt("[]"), invalid("", "expected an object"));
    }

    #[test]
    fn version_0_documents_are_read_strictly() {
        assert_eq!(
            corrupt(r#"{"likes":["a"],"loves":["b"]}"#),
            invalid("/loves", "unknown field")
        );
        assert_eq!(
            corrupt(r#"{"consent":{"personalize":true}}"#),
            invalid("/consent", "missing field `remember`")
        );
        assert_eq!(
            corrupt(r#"{"paused":true,"paused":true}"#),
            invalid("/paused", "duplicate field")
        );
        assert_eq!(
            corrupt(r#"{"muted":"travel"}"#),
            invalid("/muted", "expected an array")
        );
        // A topic the profile refuses is named by its list and position.
        let (kind, path, _) = corrupt(r#"{"likes":["a"],"muted":["b","c",""]}"#);
        assert_eq!(
            (kind, path.as_str()),
            (ErrorKind::Invalid, "/muted/2/topic")
        );
        let Decoded::Ok(doc, 0) = Document::decode(r#"{"consent":null,"likes":[]}"#) else {
            panic!()
        };
        assert_eq!(doc.migrated_from, Some(0));
    }

    #[test]
    fn the_document_layout_is_pinned() {
        let empty = Document::default();
        assert_eq!(
            empty.encode(),
            r#"{"v":1,"rev":0,"savedAt":0,"consent":null,"profile":null,"measure":null,"writers":[]}"#
        );
        let doc = Document {
            rev: 3,
            saved_at: -5,
            consent: Some(Consent::undecided("p\"1", true)),
            profile: Some(Profile::new()),
            measure: Some(r#"{"v":1,"x":[1]}"#.into()),
            writers: vec![
                Writer { id: 1, seq: 2 },
                Writer {
                    id: u64::MAX,
                    seq: 0,
                },
            ],
            migrated_from: Some(0),
        };
        assert_eq!(
            doc.encode(),
            [
                r#"{"v":1,"rev":3,"savedAt":-5,"#,
                r#""consent":{"personalize":false,"remember":false,"measure":false,"gpc":true,"policyVersion":"p\"1","decidedAt":null,"needsDecision":true,"measureDespiteGpc":false},"#,
                r#""profile":{"v":1,"paused":false,"halfLifeDays":14.0,"oneOffFactor":0.25,"topics":{},"recent":[],"engaged":{},"dismissed":{},"shown":[]},"#,
                r#""measure":{"v":1,"x":[1]},"writers":[{"id":1,"seq":2},{"id":18446744073709551615,"seq":0}]}"#,
            ]
            .concat()
        );
    }
}
