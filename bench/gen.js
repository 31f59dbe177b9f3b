// Seeded synthetic data for the benchmarks: catalogs of any size with 8 topics per item out
// of 500, and a realistic visitor (30 observed topics from a browsing history over three
// weeks, 5 declared topics). Runs unchanged in Node and in the browser.
//
// Deterministic: the same seed gives the same catalog, and a smaller catalog is a prefix of
// a larger one, so 1k, 10k and 100k share the same history items and the same visitor.

/** Number of topics in the taxonomy. */
export const TOPIC_COUNT = 500;
/** Topics per item. */
export const TOPICS_PER_ITEM = 8;
/** Topics come in clusters of this size (sports, cooking, ...): items mostly stay in one. */
export const CLUSTER = 10;
/** The benchmark's "now": 2026-11-20T12:00:00Z. Nothing here reads the clock. */
export const NOW_MS = Date.UTC(2026, 10, 20, 12);
const DAY_MS = 86_400_000;

/** The clusters the visitor browses (3 × 10 = 30 observed topics). */
const TASTE_CLUSTERS = [3, 17, 28];
/** The cluster whose topics are sensitive (health-like): never learned, only declared. */
const SENSITIVE_CLUSTER = 49;
/** Items at the head of every catalog that the visitor engaged with. */
export const HISTORY_ITEMS = 12;

/** A small, fast, seeded PRNG (mulberry32): uniform floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Topic id of index `i`: "t000" ... "t499". */
export function topicId(i) {
  return "t" + String(i).padStart(3, "0");
}

/** Item id of index `i`: "i000000" ... */
export function itemId(i) {
  return "i" + String(i).padStart(6, "0");
}

/** The 500 topics: flat, labelled, one cluster of 10 marked sensitive. */
export function makeTopics() {
  const topics = [];
  for (let i = 0; i < TOPIC_COUNT; i++) {
    const t = { id: topicId(i), label: `Topic ${i} (cluster ${Math.floor(i / CLUSTER)})` };
    if (Math.floor(i / CLUSTER) === SENSITIVE_CLUSTER) t.sensitive = true;
    topics.push(t);
  }
  return topics;
}

const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A catalog document of `n` items (the engine's JSON shape). Each item has 8 distinct
 * topics: 6 from its own cluster and 2 from anywhere (weights in [0.2, 1], the first 1.0),
 * a publication date within the past year, a skewed popularity, and 8% are offers in one of
 * 20 campaigns. The first HISTORY_ITEMS items stay inside the visitor's taste clusters.
 */
export function makeCatalog(n, seed = 42) {
  const rand = mulberry32(seed);
  const clusters = TOPIC_COUNT / CLUSTER;
  const items = new Array(n);
  for (let i = 0; i < n; i++) {
    const picked = new Set();
    let cluster;
    if (i < HISTORY_ITEMS) {
      // History items: 8 of their taste cluster's 10 topics, rotating so every topic of the
      // cluster is covered (offsets 0 and 5 between them cover all 10).
      cluster = TASTE_CLUSTERS[i % TASTE_CLUSTERS.length];
      const offset = (Math.floor(i / TASTE_CLUSTERS.length) * 5) % CLUSTER;
      for (let k = 0; k < TOPICS_PER_ITEM; k++) picked.add(cluster * CLUSTER + ((offset + k) % CLUSTER));
    } else {
      // Cluster popularity is skewed (squared uniform): some sections are much bigger.
      cluster = Math.floor(rand() * rand() * clusters);
      while (picked.size < 6) picked.add(cluster * CLUSTER + Math.floor(rand() * CLUSTER));
      while (picked.size < TOPICS_PER_ITEM) picked.add(Math.floor(rand() * TOPIC_COUNT));
    }
    const topics = {};
    let first = true;
    for (const t of picked) {
      topics[topicId(t)] = first ? 1 : round(0.2 + 0.8 * rand(), 2);
      first = false;
    }
    const item = {
      id: itemId(i),
      title: `Story ${i} about ${topicId(cluster * CLUSTER)}`,
      url: `/items/${i}`,
      topics,
      published: isoDay(NOW_MS - Math.floor(rand() * 365) * DAY_MS),
      popularity: round(rand() * rand(), 3),
    };
    if (i >= HISTORY_ITEMS && rand() < 0.08) {
      item.kind = "offer";
      item.campaign = "campaign-" + Math.floor(rand() * 20);
    }
    items[i] = item;
  }
  return { topics: makeTopics(), items };
}

/**
 * The benchmark visitor: a three-week history on the HISTORY_ITEMS (a view then a click on
 * each, on distinct days, so every observed topic has evidence on at least two days) and five
 * declarations (four likes outside the taste clusters, one dislike). 30 observed topics.
 */
export function makeVisitor() {
  const events = [];
  for (let i = 0; i < HISTORY_ITEMS; i++) {
    const day = NOW_MS - (21 - i) * DAY_MS; // one item per day, the oldest three weeks ago
    events.push({ type: "view", item: itemId(i), at: day });
    events.push({ type: "click", item: itemId(i), at: day + 60_000 });
  }
  // A second visit to the first few items a week later: repeated evidence on later days.
  for (let i = 0; i < 6; i++) events.push({ type: "view", item: itemId(i), at: NOW_MS - (6 - i) * DAY_MS });
  const declared = [
    [topicId(105), "like"],
    [topicId(212), "like"],
    [topicId(318), "like"],
    [topicId(427), "like"],
    [topicId(250), "dislike"],
  ];
  return { events, declared, now: NOW_MS };
}

/** Observed topics of the visitor (for the report): the union of the history items' topics. */
export function observedTopics(catalog) {
  const s = new Set();
  for (let i = 0; i < HISTORY_ITEMS; i++) for (const t of Object.keys(catalog.items[i].topics)) s.add(t);
  return [...s].sort();
}
