// The JavaScript reference: Inkling's scoring and selection (src/rank.rs, src/rank/context.rs,
// src/rank/select.rs, on a catalog laid out as in src/catalog.rs) written in idiomatic,
// reasonably optimized JavaScript, so the benchmark can say what wasm buys over plain JS.
//
// "Reasonably optimized" means what a careful web developer would write: the catalog is
// flattened once into typed arrays (CSR topic lists, interned topic indices, precomputed
// normalizers and primary topics), the per-call work reuses scratch buffers, freshness comes
// from a table, and top-k uses a bounded heap instead of sorting everything. It does not use
// tricks a library would not ship (no hand-written wasm, no workers).
//
// Arithmetic is done in f32 (Math.fround) exactly where the engine uses f32, so the two agree
// on the order, not just roughly: the benchmark asserts the top-20 ids are the same.
//
// Score (see src/rank.rs):
//   affinity(t) = declared (2)                 for a declared like
//               = observed (1) · eff(t)/max eff   otherwise, clipped to [−1, 1]; −inf when blocked
//   topic(i)    = Σ_t w_it · affinity(t) / max(1, Σ_t w_it)
//   score(i)    = topic(i) + 0.3 · pop(i)/max pop + 0.1 · 2^(−age_days / 7)   (age < 366, else 0)
// Left out: blocked topics (muted, disliked, sensitive and not declared liked), dismissed,
// seen (clicks > 0) with excludeSeen, listed in `exclude`, offers over their frequency caps.
// Selection: best first, equal scores by id; with diversity at most ceil(limit/3) results per
// primary topic (greedy in score order, skipped items fill what is left), shown in score order.

const f = Math.fround;
const DAY_MS = 86_400_000;
const FRESH_DAYS = 366;
const NO_DATE = -2147483648;
const NO_TOPIC = 0xffff;

/**
 * The default coefficients (ScoringWeights::default in src/rank.rs) and caps (FrequencyCaps::default).
 * In the browser the bench reads them from `Inkling.modelCard()` instead (weightsFromModelCard), so
 * the reference follows the engine when its coefficients are retuned.
 */
export const WEIGHTS = { declared: 2, observed: 0.125, popularity: 0.125, freshness: 0.04, freshnessHalfLifeDays: 7 };

/** The coefficients the engine states in its model card (`Inkling.modelCard()`), as f32 like the engine. */
export function weightsFromModelCard(card) {
  const w = { ...WEIGHTS };
  for (const s of card.signals || []) if (s.name in w) w[s.name] = f(s.coefficient);
  if (card.freshnessHalfLifeDays) w.freshnessHalfLifeDays = card.freshnessHalfLifeDays;
  for (const k of ["perItem", "perCampaign", "windowMs"]) if (card.frequencyCaps?.[k] != null) CAPS[k] = card.frequencyCaps[k];
  return w;
}
export const CAPS = { perItem: 3, perCampaign: 5, windowMs: DAY_MS };

/** UTC day number of "YYYY-MM-DD" (days since 1970-01-01), or NO_DATE. */
function dayOf(date) {
  if (typeof date !== "string") return NO_DATE;
  const ms = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
  return Number.isNaN(ms) ? NO_DATE : Math.floor(ms / DAY_MS);
}

export class ReferenceRanker {
  /** Flattens a catalog document (the same JSON shape the engine loads). */
  constructor(doc, weights = WEIGHTS) {
    // Coefficients are f32 in the engine.
    this.weights = { ...weights, declared: f(weights.declared), observed: f(weights.observed), popularity: f(weights.popularity), freshness: f(weights.freshness) };
    const topics = doc.topics;
    const nt = topics.length;
    this.topicIds = topics.map((t) => t.id);
    this.topicLabels = topics.map((t) => t.label || t.id);
    this.topicIndex = new Map(this.topicIds.map((id, i) => [id, i]));
    // Sensitive if marked or if any ancestor is marked.
    const parent = topics.map((t) => (t.parent == null ? -1 : this.topicIndex.get(t.parent)));
    this.sensitive = new Uint8Array(nt);
    for (let i = 0; i < nt; i++) {
      for (let t = i, hops = 0; t >= 0 && hops <= nt; t = parent[t], hops++) {
        if (topics[t].sensitive) {
          this.sensitive[i] = 1;
          break;
        }
      }
    }

    const items = doc.items;
    const n = items.length;
    this.n = n;
    this.ids = new Array(n);
    this.itemIndex = new Map();
    this.off = new Uint32Array(n + 1);
    let nnz = 0;
    for (let i = 0; i < n; i++) for (const k in items[i].topics) nnz++;
    this.topic = new Uint16Array(nnz);
    this.weight = new Float32Array(nnz);
    this.norm = new Float32Array(n);
    this.primary = new Uint16Array(n);
    this.popularity = new Float32Array(n);
    this.published = new Int32Array(n);
    this.offer = new Uint8Array(n);
    this.campaign = new Int32Array(n).fill(-1);
    this.campaignIndex = new Map();
    let o = 0;
    let maxPop = 0;
    for (let i = 0; i < n; i++) {
      const it = items[i];
      this.ids[i] = it.id;
      this.itemIndex.set(it.id, i);
      let sum = 0;
      let best = NO_TOPIC;
      let bestW = 0;
      for (const id in it.topics) {
        const w = f(it.topics[id]);
        if (w === 0) continue; // weight 0 means "not about this topic"
        const t = this.topicIndex.get(id);
        this.topic[o] = t;
        this.weight[o++] = w;
        sum = f(sum + w);
        if (w > bestW || (w === bestW && t < best)) {
          best = t;
          bestW = w;
        }
      }
      this.off[i + 1] = o;
      this.norm[i] = f(1 / Math.max(sum, 1));
      this.primary[i] = best;
      const pop = it.popularity ?? 0;
      maxPop = Math.max(maxPop, pop);
      this.popularity[i] = pop;
      this.published[i] = dayOf(it.published);
      if (it.kind === "offer") {
        this.offer[i] = 1;
        if (it.campaign != null) {
          if (!this.campaignIndex.has(it.campaign)) this.campaignIndex.set(it.campaign, this.campaignIndex.size);
          this.campaign[i] = this.campaignIndex.get(it.campaign);
        }
      }
    }
    if (maxPop > 0) {
      const inv = f(1 / maxPop);
      for (let i = 0; i < n; i++) this.popularity[i] = Math.min(f(this.popularity[i] * inv), 1);
    }
    // Ties are broken by id: the rank of each item's id in sorted order.
    const byId = Array.from({ length: n }, (_, i) => i).sort((a, b) => (this.ids[a] < this.ids[b] ? -1 : this.ids[a] > this.ids[b] ? 1 : a - b));
    this.idRank = new Uint32Array(n);
    for (let r = 0; r < n; r++) this.idRank[byId[r]] = r;

    const hl = weights.freshnessHalfLifeDays;
    this.fresh = new Float32Array(FRESH_DAYS);
    for (let d = 0; d < FRESH_DAYS; d++) this.fresh[d] = Math.exp((-d / hl) * Math.LN2);
    // Scratch buffers reused by every call.
    this.affinity = new Float32Array(nt);
    this.excluded = new Uint8Array(n);
    this.scores = new Float32Array(n);
  }

  /**
   * The top `limit` items for a profile document (the engine's exported profile JSON, parsed),
   * as [{ id, score, reasons }]. Options as in `inkling.rank`.
   */
  rank(profile, { limit = 10, diversity = true, exclude = [], excludeSeen = true, now }) {
    const W = this.weights;
    const personal = profile && !profile.paused;
    const aff = this.prepareAffinity(profile, personal, now);
    const ex = this.prepareExclusions(profile, personal, exclude, excludeSeen, now);

    // The scoring loop: one pass over the flat arrays.
    const { off, topic, weight, norm, popularity, published, fresh, scores } = this;
    const today = Math.floor(now / DAY_MS);
    const popW = f(W.popularity);
    const freshW = f(W.freshness);
    let eligible = 0;
    for (let i = 0, n = this.n; i < n; i++) {
      if (ex[i]) {
        scores[i] = -Infinity;
        continue;
      }
      let acc = 0;
      for (let j = off[i], e = off[i + 1]; j < e; j++) acc = f(acc + f(weight[j] * aff[topic[j]]));
      const p = published[i];
      const age = p === NO_DATE ? FRESH_DAYS : Math.max(today - p, 0);
      const fr = age < FRESH_DAYS ? fresh[age] : 0;
      const s = f(f(f(acc * norm[i]) + f(popW * popularity[i])) + f(freshW * fr));
      scores[i] = s;
      if (s > -Infinity) eligible++;
    }
    const top = this.select(limit, diversity, eligible);
    return top.map((i) => ({ id: this.ids[i], score: scores[i], reasons: this.reasons(i, aff, personal) }));
  }

  /** Per-topic affinity for this call (−inf when blocked), as src/rank/context.rs derives it. */
  prepareAffinity(profile, personal, now) {
    const aff = this.affinity;
    aff.fill(0);
    const blocked = new Uint8Array(this.sensitive); // 1 = sensitive, 2 = muted or disliked
    const topics = profile ? profile.topics || {} : {};
    if (profile) {
      for (const id in topics) {
        const t = this.topicIndex.get(id);
        if (t === undefined) continue;
        const s = topics[id];
        if (s.muted || s.pref === "dislike") blocked[t] = 2;
      }
    }
    if (personal) {
      const hl = profile.halfLifeDays ?? 14;
      const oneOff = profile.oneOffFactor ?? 0.25;
      let maxEff = 0;
      const eff = [];
      for (const id in topics) {
        const t = this.topicIndex.get(id);
        if (t === undefined || blocked[t] === 2) continue;
        const s = topics[id];
        if (s.pref === "like") {
          blocked[t] = 0; // a declared sensitive topic may be used
          aff[t] = this.weights.declared;
        } else if (!this.sensitive[t]) {
          // Decayed (half-life) and one-off damped observed weight, in f64 as the engine does.
          let e = 0;
          if (s.days > 0) {
            const dt = now - (s.at || 0);
            e = f(s.w || 0) * (dt <= 0 ? 1 : Math.exp((-dt / (hl * DAY_MS)) * Math.LN2));
            if (s.days < 2) e *= oneOff;
          }
          maxEff = Math.max(maxEff, e);
          eff.push(t, e);
        }
      }
      if (maxEff > 0) {
        for (let k = 0; k < eff.length; k += 2) {
          const o = f(Math.min(Math.max(eff[k + 1] / maxEff, -1), 1));
          if (o !== 0) aff[eff[k]] = f(this.weights.observed * o);
        }
      }
    }
    for (let t = 0; t < aff.length; t++) if (blocked[t]) aff[t] = -Infinity;
    return aff;
  }

  /** Per-item exclusions that do not come from topics (1 = left out). */
  prepareExclusions(profile, personal, exclude, excludeSeen, now) {
    const ex = this.excluded;
    ex.fill(0);
    const mark = (id) => {
      const i = this.itemIndex.get(id);
      if (i !== undefined) ex[i] = 1;
    };
    for (const id of exclude) mark(id);
    if (!profile) return ex;
    if (personal && excludeSeen) for (const id in profile.engaged || {}) if (profile.engaged[id].clicks > 0) mark(id);
    for (const id in profile.dismissed || {}) mark(id);
    // Frequency caps: impressions of offers within the window.
    const since = now - CAPS.windowMs;
    const perItem = new Map();
    const perCampaign = new Map();
    for (const s of profile.shown || []) {
      if (s.at > since && s.at <= now) {
        perItem.set(s.item, (perItem.get(s.item) || 0) + 1);
        if (s.campaign != null) perCampaign.set(s.campaign, (perCampaign.get(s.campaign) || 0) + 1);
      }
    }
    for (const [id, c] of perItem) {
      const i = this.itemIndex.get(id);
      if (c >= CAPS.perItem && i !== undefined && this.offer[i]) ex[i] = 1;
    }
    const capped = new Set();
    for (const [name, c] of perCampaign) if (c >= CAPS.perCampaign && this.campaignIndex.has(name)) capped.add(this.campaignIndex.get(name));
    if (capped.size) for (let i = 0; i < this.n; i++) if (this.offer[i] && capped.has(this.campaign[i])) ex[i] = 1;
    return ex;
  }

  /** Higher score first, equal scores by id. */
  before(a, b) {
    const sa = this.scores[a];
    const sb = this.scores[b];
    return sa > sb || (sa === sb && this.idRank[a] < this.idRank[b]);
  }

  /** The best `pool` eligible items in order, by a bounded min-heap (no full sort). */
  best(pool) {
    const heap = new Uint32Array(pool); // heap[0] is the worst of the best so far
    let size = 0;
    const scores = this.scores;
    for (let i = 0, n = this.n; i < n; i++) {
      if (scores[i] === -Infinity) continue;
      if (size < pool) {
        let c = size++;
        heap[c] = i;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (!this.before(heap[p], heap[c])) break;
          const x = heap[p];
          heap[p] = heap[c];
          heap[c] = x;
          c = p;
        }
      } else if (this.before(i, heap[0])) {
        heap[0] = i;
        let c = 0;
        for (;;) {
          const l = 2 * c + 1;
          const r = l + 1;
          let w = c;
          if (l < size && this.before(heap[w], heap[l])) w = l;
          if (r < size && this.before(heap[w], heap[r])) w = r;
          if (w === c) break;
          const x = heap[w];
          heap[w] = heap[c];
          heap[c] = x;
          c = w;
        }
      }
    }
    return Array.from(heap.subarray(0, size)).sort((a, b) => (this.before(a, b) ? -1 : 1));
  }

  /** Top-k with the diversity rule (same pool doubling as src/rank/select.rs). */
  select(limit, diversity, eligible) {
    limit = Math.min(limit, eligible);
    if (limit === 0) return [];
    if (!diversity) return this.best(limit);
    const cap = Math.max(Math.ceil(limit / 3), 1);
    for (let pool = Math.min(limit * 4 + 16, eligible); ; pool = Math.min(pool * 2, eligible)) {
      const sorted = this.best(pool);
      const whole = pool === eligible;
      const counts = new Map();
      const picked = [];
      const skipped = [];
      for (const i of sorted) {
        if (picked.length === limit) break;
        const t = this.primary[i];
        const c = counts.get(t) || 0;
        if (t !== NO_TOPIC && c >= cap) skipped.push(i);
        else {
          counts.set(t, c + 1);
          picked.push(i);
        }
      }
      if (picked.length < limit && !whole) continue;
      picked.push(...skipped.slice(0, limit - picked.length));
      return picked.sort((a, b) => (this.before(a, b) ? -1 : 1));
    }
  }

  /** Up to 3 reasons: the item's strongest positive topic contributions, else popularity. */
  reasons(i, aff, personal) {
    const parts = [];
    for (let j = this.off[i]; j < this.off[i + 1]; j++) {
      const t = this.topic[j];
      const c = this.weight[j] * aff[t];
      if (personal && c > 0) parts.push([c, t]);
    }
    parts.sort((a, b) => b[0] - a[0]);
    const out = parts.slice(0, 3).map(([, t]) => {
      const declared = aff[t] === f(this.weights.declared);
      const label = this.topicLabels[t];
      return { topic: this.topicIds[t], label, source: declared ? "declared" : "observed", text: declared ? `You said you like ${label}` : `You often read about ${label}` };
    });
    if (out.length === 0) out.push({ topic: null, label: null, source: "popular", text: "Popular on this site" });
    return out;
  }
}

/**
 * The profile the reference ranks with: the engine's own stored profile (`exportProfile()`,
 * parsed), so both rank the very same visitor. Counts observed and declared topics for the report.
 */
export function referenceProfile(ink) {
  if (!ink) throw new Error("the JS reference ranks the engine's exported profile: no engine to take it from");
  const profile = JSON.parse(ink.exportProfile());
  let observed = 0;
  let declared = 0;
  for (const s of Object.values(profile.topics || {})) {
    if (s.days > 0) observed++;
    if (s.pref === "like" || s.pref === "dislike") declared++;
  }
  return Object.assign(profile, { observedCount: observed, declaredCount: declared });
}
