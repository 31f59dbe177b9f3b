//! The TypeScript types of the public API, written out so the `.d.ts` has no bare `any`.
//!
//! The methods name them with `unchecked_param_type`, `unchecked_optional_param_type`
//! and `unchecked_return_type`, and take and return plain `JsValue`s: the boundary's
//! conversion code then exists once for every value rather than once per extern type,
//! and an optional argument left out is simply `undefined` (an `Option<JsValue>`
//! argument cost 0.27 KB more, measured).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Options of `Inkling.open`. */
export interface InklingOptions {
  /** Names the site; the document is kept in localStorage under `inkling:<siteId>`. */
  siteId: string;
  /** The version of the site's privacy policy; a different version asks for consent again. */
  policyVersion: string;
  /** Half-life of observed interests in days (default 14). */
  halfLifeDays?: number;
}

/** The visitor's consent per purpose, with when and under which policy it was given. */
export interface ConsentRecord {
  personalize: boolean;
  remember: boolean;
  measure: boolean;
  /** The browser signals Global Privacy Control: `measure` stays off unless chosen explicitly. */
  gpc: boolean;
  policyVersion: string;
  /** Epoch ms of the decision, or null while undecided. */
  decidedAt: number | null;
  /** The page should ask: no decision yet, or it was made under another policy version. */
  needsDecision: boolean;
  /** `measure` was turned on explicitly while Global Privacy Control was signalled. */
  measureDespiteGpc: boolean;
}

/** A choice of the visitor; purposes left out keep their value. */
export interface ConsentChoice {
  personalize?: boolean;
  remember?: boolean;
  measure?: boolean;
}

export type EventType = "view" | "click" | "purchase" | "dismiss" | "impression";

/** Something the visitor did. */
export interface InklingEvent {
  type: EventType;
  item: string;
  /** A purchase for someone else: never feeds the profile. */
  gift?: boolean;
  /** Epoch ms; now when absent. */
  at?: number;
}

export type Preference = "like" | "dislike" | "none";

export interface RankOptions {
  /** 1 to 1000, default 10. */
  limit?: number;
  /** Keep one topic from filling the list (default true). */
  diversity?: boolean;
  /** Ids the page already shows. */
  exclude?: string[];
  /** Leave out items already clicked, bought or dismissed (default true). */
  excludeSeen?: boolean;
  /** Epoch ms to rank at; now when absent. */
  now?: number;
}

/** The last argument of `explain`, `pendingReports`, `privacyBudget` and `flush`. */
export interface AtOptions {
  /** Epoch ms to work at, as `rank`'s `now`; now when absent. */
  now?: number;
}

export type ReasonSource = "declared" | "observed" | "popular" | "fresh" | "similar" | "related";

export interface Reason {
  topic: string | null;
  label: string | null;
  source: ReasonSource;
  /** A ready sentence for the visitor, e.g. "You said you like Hiking". */
  text: string;
}

export interface RankedItem {
  id: string;
  /** Higher first; computed in single precision and given with the digits that carries (`0.5748161`). */
  score: number;
  reasons: Reason[];
}

export interface Explanation {
  id: string;
  included: boolean;
  excludedBecause: string | null;
  score: number;
  reasons: Reason[];
  [key: string]: unknown;
}

/** The catalog document (see the README): topics and items. */
export interface CatalogDocument {
  topics: Array<{ id: string; label?: string; parent?: string; sensitive?: boolean; [key: string]: unknown }>;
  items: Array<{
    id: string;
    title?: string;
    url?: string;
    kind?: "article" | "offer";
    campaign?: string;
    topics: Record<string, number>;
    published?: string;
    popularity?: number;
    vector?: number[];
    related?: Record<string, number>;
    [key: string]: unknown;
  }>;
  [key: string]: unknown;
}

/** A catalog as a document, or as its JSON text. */
export type CatalogInput = CatalogDocument | string;

export interface LoadCatalogOptions {
  /** n × dims numbers in item order. */
  vectors?: Float32Array;
}

/** The stored profile document (versioned, `"v": 1`). */
export interface ProfileData {
  v: number;
  [key: string]: unknown;
}

/** Everything the device holds about the visitor. */
export interface Holdings {
  consent: ConsentRecord;
  profile: ProfileData;
  storage: "local" | "memory";
  /** Measurement state: privacy budget spent and memoized answers, or null. */
  measure: Record<string, unknown> | null;
}

export interface QuarantineStatus {
  key: string;
  error: string;
  bytes: number;
  complete: boolean;
}

export interface InklingStatus {
  siteId: string;
  storage: "local" | "memory";
  reason: "no-remember-consent" | "unavailable" | "denied" | "quota" | "newer-version" | null;
  newerVersion: number | null;
  quarantine: QuarantineStatus | null;
  migratedFrom: number | null;
  catalogItems: number;
  catalogVectors: boolean;
  personalized: boolean;
  needsDecision: boolean;
  revision: number;
  unconfirmedChanges: number;
}

/** What the ranking uses and why, as data. */
export interface ModelCard {
  [key: string]: unknown;
}
"#;
