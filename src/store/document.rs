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
use crate::error::{Error, Result};
use crate::profile::Profile;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The document version this build writes.
pub const VERSION: u64 = 1;

/// At most this many writers are remembered; the least recent is dropped first.
pub const MAX_WRITERS: usize = 16;

/// One page's last change included in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Writer {
    /// A random number drawn when the page opened Inkling.
    pub id: u64,
    /// The sequence number of that page's last change included.
    pub seq: u64,
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

/// Only the version, to decide how to read the rest.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    v: Option<serde_json::Number>,
}

/// The wire layout of version 1. Unknown fields are ignored, so a later
/// release may add optional fields without older pages discarding the document.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire<'a> {
    v: u64,
    rev: u64,
    saved_at: i64,
    #[serde(default)]
    consent: Option<Consent>,
    #[serde(default, borrow)]
    profile: Option<&'a RawValue>,
    #[serde(default, borrow)]
    measure: Option<&'a RawValue>,
    #[serde(default)]
    writers: Vec<Writer>,
}

/// A serde error as an [`Error`] at `path`.
fn json_error(path: &str, e: serde_json::Error) -> Error {
    Error::invalid(path, e.to_string())
}

impl Document {
    /// The sequence number of writer `id`'s last change included here (0 when none).
    pub fn seq_of(&self, id: u64) -> u64 {
        self.writers
            .iter()
            .find(|w| w.id == id)
            .map_or(0, |w| w.seq)
    }

    /// Records that writer `id`'s changes up to `seq` are included, keeping at most [`MAX_WRITERS`].
    pub fn set_writer(&mut self, id: u64, seq: u64) {
        self.writers.retain(|w| w.id != id);
        self.writers.push(Writer { id, seq });
        if self.writers.len() > MAX_WRITERS {
            let drop = self.writers.len() - MAX_WRITERS;
            self.writers.drain(..drop);
        }
    }

    /// The document as JSON text.
    pub fn encode(&self) -> String {
        let profile_json = self.profile.as_ref().map(Profile::to_json);
        let profile = profile_json
            .as_deref()
            .and_then(|t| serde_json::from_str::<&RawValue>(t).ok());
        let measure = self
            .measure
            .as_deref()
            .and_then(|t| serde_json::from_str::<&RawValue>(t).ok());
        let wire = Wire {
            v: VERSION,
            rev: self.rev,
            saved_at: self.saved_at,
            consent: self.consent.clone(),
            profile,
            measure,
            writers: self.writers.clone(),
        };
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(&wire).unwrap_or_default()
    }

    /// Reads a stored text: a document, a newer version to leave alone, or corrupt data.
    pub fn decode(text: &str) -> Decoded<Document> {
        match Self::decode_inner(text) {
            Ok(Some(doc)) => {
                let rev = doc.rev;
                Decoded::Ok(doc, rev)
            }
            Ok(None) => match serde_json::from_str::<Probe>(text)
                .ok()
                .and_then(|p| p.v?.as_u64())
            {
                Some(v) => Decoded::Newer(v),
                None => Decoded::Corrupt(Error::invalid("/v", "unreadable version")),
            },
            Err(e) => Decoded::Corrupt(e),
        }
    }

    /// `Ok(None)` means "a newer version".
    fn decode_inner(text: &str) -> Result<Option<Document>> {
        let probe: Probe = serde_json::from_str(text).map_err(|e| json_error("", e))?;
        let version = match probe.v {
            None => return migrate::from_v0(text).map(Some),
            Some(n) => n
                .as_u64()
                .ok_or_else(|| Error::invalid("/v", "the version must be a whole number"))?,
        };
        if version > VERSION {
            return Ok(None);
        }
        if version != VERSION {
            return Err(Error::new(
                crate::error::ErrorKind::Unsupported,
                "/v",
                "unknown document version",
            ));
        }
        let wire: Wire = serde_json::from_str(text).map_err(|e| json_error("", e))?;
        let profile = match wire.profile {
            Some(raw) => Some(Profile::from_json(raw.get()).map_err(|e| nest("/profile", e))?),
            None => None,
        };
        if let Some(c) = &wire.consent {
            validate_consent(c)?;
        }
        Ok(Some(Document {
            rev: wire.rev,
            saved_at: wire.saved_at,
            consent: wire.consent,
            profile,
            measure: wire.measure.map(|r| r.get().to_string()),
            writers: wire.writers,
            migrated_from: None,
        }))
    }
}

/// `error` found inside the nested document at `prefix`.
pub(crate) fn nest(prefix: &str, error: Error) -> Error {
    Error::new(
        error.kind(),
        [prefix, error.path()].concat(),
        error.message(),
    )
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
