#!/usr/bin/env node
// Generates the demo's catalog: a magazine-and-shop with a two-level taxonomy, articles
// and offers, campaigns, publication dates and popularity, written as the catalog
// document of the engine (see README "Catalog document").
//
// Deterministic: the same --seed and --today always give byte-identical output, so the
// end-to-end tests can rely on what the page shows. Nothing reads the clock.
//
//   node scripts/gen-catalog.mjs [--seed 7] [--today 2026-11-20] [--items 2400] [--out www/catalog.json]

import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

const args = parseArgs(process.argv.slice(2), { seed: "7", today: "2026-11-20", items: "2400", out: "www/catalog.json" });
const SEED = Number(args.seed);
const TODAY = Date.parse(`${args.today}T00:00:00Z`);
const ITEMS = Number(args.items);
if (!Number.isInteger(SEED) || Number.isNaN(TODAY) || !Number.isInteger(ITEMS) || ITEMS < 1) {
  console.error("gen-catalog: --seed and --items must be integers, --today a YYYY-MM-DD date");
  process.exit(2);
}
const DAY = 86_400_000;

// ---- the taxonomy: parent sections, each with its leaf topics ----------------------------
// `sensitive` on a parent makes every child sensitive too (the engine's rule); the
// engine never learns sensitive topics from behaviour, only from what a visitor declares.
const SECTIONS = [
  { id: "outdoors", label: "Outdoors", topics: ["hiking:Hiking", "climbing:Climbing", "camping:Camping", "cycling:Cycling", "trail-running:Trail running", "skiing:Skiing"] },
  { id: "travel", label: "Travel", topics: ["city-breaks:City breaks", "beaches:Beaches", "rail-travel:Rail travel", "road-trips:Road trips", "budget-travel:Budget travel"] },
  { id: "food", label: "Food & drink", topics: ["recipes:Recipes", "baking:Baking", "vegetarian:Vegetarian cooking", "wine:Wine", "coffee:Coffee"] },
  { id: "home", label: "Home & garden", topics: ["gardening:Gardening", "interior-design:Interior design", "diy:DIY", "houseplants:Houseplants"] },
  { id: "tech", label: "Tech", topics: ["smartphones:Smartphones", "laptops:Laptops", "smart-home:Smart home", "photography:Photography", "gaming:Gaming"] },
  { id: "culture", label: "Culture", topics: ["books:Books", "film:Film", "music:Music", "theatre:Theatre", "art:Art"] },
  { id: "style", label: "Style", topics: ["sneakers:Sneakers", "watches:Watches", "vintage-fashion:Vintage fashion", "jewellery:Jewellery"] },
  { id: "sport", label: "Sport", topics: ["football:Football", "tennis:Tennis", "swimming:Swimming", "motorsport:Motorsport"] },
  { id: "money", label: "Money", topics: ["saving:Saving", "investing:Investing", "debt-help:Debt help!"] },
  { id: "health", label: "Health", sensitive: true, topics: ["mental-health:Mental health", "nutrition:Nutrition", "sleep:Sleep", "pregnancy:Pregnancy"] },
  { id: "parenting", label: "Parenting", sensitive: true, topics: ["babies:Babies", "toddlers:Toddlers", "teens:Teens", "family-days-out:Family days out"] },
];

// Leaf topics that pair naturally: an item about the first often also touches the second.
const NEIGHBOURS = {
  hiking: ["camping", "trail-running", "road-trips", "photography"], climbing: ["hiking", "camping"], camping: ["hiking", "road-trips", "family-days-out"],
  cycling: ["road-trips", "rail-travel"], "trail-running": ["hiking", "nutrition"], skiing: ["city-breaks", "road-trips"],
  "city-breaks": ["art", "theatre", "coffee"], beaches: ["swimming", "budget-travel"], "rail-travel": ["city-breaks", "budget-travel"],
  "road-trips": ["hiking", "camping"], "budget-travel": ["saving", "city-breaks"], recipes: ["vegetarian", "baking"], baking: ["recipes"],
  vegetarian: ["recipes", "nutrition"], wine: ["recipes", "city-breaks"], coffee: ["baking", "city-breaks"], gardening: ["houseplants", "diy"],
  "interior-design": ["diy", "houseplants", "art"], diy: ["interior-design", "gardening"], houseplants: ["gardening", "interior-design"],
  smartphones: ["photography", "gaming"], laptops: ["gaming", "smartphones"], "smart-home": ["interior-design", "laptops"],
  photography: ["hiking", "art", "smartphones"], gaming: ["laptops", "film"], books: ["film", "theatre"], film: ["books", "music"],
  music: ["film", "theatre"], theatre: ["books", "city-breaks"], art: ["city-breaks", "photography"], sneakers: ["vintage-fashion", "trail-running"],
  watches: ["jewellery"], "vintage-fashion": ["sneakers", "jewellery"], jewellery: ["watches"], football: ["tennis"], tennis: ["swimming"],
  swimming: ["beaches"], motorsport: ["road-trips"], saving: ["budget-travel", "investing"], investing: ["saving"], "debt-help": ["saving"],
  "mental-health": ["sleep", "books"], nutrition: ["recipes", "vegetarian"], sleep: ["mental-health"], pregnancy: ["babies", "nutrition"],
  babies: ["toddlers", "sleep"], toddlers: ["family-days-out", "babies"], teens: ["gaming", "books"], "family-days-out": ["camping", "beaches"],
};

// Words that make titles read like a real magazine's; {x} is the topic's subject word.
const SUBJECT = {
  hiking: ["trail", "ridge walk", "long-distance path", "hut-to-hut hike"], climbing: ["crag", "bouldering wall", "via ferrata"],
  camping: ["campsite", "wild camp", "tent"], cycling: ["bike route", "gravel ride", "bike"], "trail-running": ["trail race", "hill run"],
  skiing: ["ski resort", "off-piste day", "cross-country loop"], "city-breaks": ["weekend in Lisbon", "weekend in Ghent", "weekend in Turin"],
  beaches: ["cove", "beach", "island"], "rail-travel": ["night train", "scenic railway"], "road-trips": ["coast road", "mountain pass drive"],
  "budget-travel": ["hostel", "cheap flight hack"], recipes: ["weeknight dinner", "one-pot stew", "soup"], baking: ["sourdough", "tart", "cake"],
  vegetarian: ["lentil dish", "vegetable curry"], wine: ["natural wine", "Riesling", "winery"], coffee: ["espresso", "pour-over", "roastery"],
  gardening: ["vegetable patch", "rose bed", "compost heap"], "interior-design": ["living room", "small flat", "colour palette"],
  diy: ["shelf", "tiling job", "repair"], houseplants: ["monstera", "fern", "cactus"], smartphones: ["phone", "camera phone"],
  laptops: ["laptop", "ultrabook"], "smart-home": ["smart thermostat", "smart speaker"], photography: ["lens", "landscape shot", "camera"],
  gaming: ["indie game", "console", "board game"], books: ["novel", "memoir", "debut"], film: ["film", "documentary"],
  music: ["album", "festival", "vinyl"], theatre: ["play", "musical"], art: ["exhibition", "gallery", "print"],
  sneakers: ["sneaker", "running shoe"], watches: ["watch", "field watch"], "vintage-fashion": ["vintage jacket", "thrift find"],
  jewellery: ["ring", "necklace"], football: ["derby", "cup run", "football boot"], tennis: ["racket", "grass-court season"], swimming: ["open-water swim", "lido"],
  motorsport: ["grand prix", "rally"], saving: ["savings account", "budget"], investing: ["index fund", "pension pot"],
  "debt-help": ["repayment plan", "budgeting app"], "mental-health": ["therapy app", "journaling habit"], nutrition: ["balanced breakfast", "protein snack"],
  sleep: ["bedtime routine", "mattress"], pregnancy: ["birth plan", "maternity pillow"], babies: ["baby sling", "pram", "nap routine"],
  toddlers: ["balance bike", "nursery", "potty-training plan"], teens: ["first phone", "exam season", "gap year"], "family-days-out": ["farm park", "family museum"],
};

// How a topic reads inside a sentence ("A beginner's guide to {topic}").
const TOPIC_PHRASE = {
  teens: "raising teenagers", babies: "life with a baby", toddlers: "the toddler years", "family-days-out": "family days out",
  "debt-help": "getting out of debt", "mental-health": "looking after your mind", "city-breaks": "city breaks",
  "interior-design": "interior design", "smart-home": "the smart home", "vintage-fashion": "vintage fashion",
};

const ARTICLE_TEMPLATES = [
  "{n} {x}s worth the journey this season", "The quiet {x} nobody talks about", "How to choose a {x} that lasts",
  "What I learned from a year of {topic}", "A beginner's guide to {topic}", "{topic}: the {n} mistakes everyone makes",
  "Inside the {x} that changed {topic}", "Is the {x} overrated? We tested it", "The small {x} with big ideas",
  "{topic} on a budget: {n} ideas", "Why {topic} is having a moment", "Our editors' favourite {x} of the year",
  "Rain or shine: a {x} for every weather", "The {x} checklist you will actually use", "Letters: readers on {topic}",
];
const OFFER_TEMPLATES = [
  "{brand} {x} — {pct}% off", "{brand} {x} bundle", "{brand} {x}, limited edition", "Save on the {brand} {x}",
];
const BRANDS = ["Northfold", "Alder & Co", "Kestrel", "Brightwater", "Fieldnote", "Juniper", "Harbour", "Loam", "Oriel", "Tidewell", "Mosswood", "Cobalt"];
const LEDES = [
  "Practical advice from people who do it every week.", "Tested by our editors over a full season.",
  "Short, honest and useful: everything you need before you start.", "A closer look at what works, and what does not.",
  "Reader favourites, updated with this year's picks.", "Ideas for this weekend, and for the long run.",
];

// Campaigns: each runs for a window before TODAY and covers some sections.
const CAMPAIGNS = [
  { id: "winter-sale", sections: ["outdoors", "style", "home"], from: 20, to: 0 },
  { id: "black-friday", sections: ["tech", "style", "culture", "sport"], from: 10, to: 0 },
  { id: "kitchen-week", sections: ["food", "home"], from: 30, to: 14 },
  { id: "travel-fair", sections: ["travel", "outdoors"], from: 45, to: 25 },
  { id: "family-favourites", sections: ["parenting", "culture"], from: 25, to: 5 },
  { id: "wellbeing-month", sections: ["health", "sport", "money"], from: 35, to: 8 },
];

// ---- a small seeded PRNG (SplitMix32-style mulberry32): deterministic across Node versions --
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const between = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const round = (x, places) => Number(x.toFixed(places));

// ---- topics ----------------------------------------------------------------------------------
const topics = [];
const leaves = [];
for (const s of SECTIONS) {
  topics.push({ id: s.id, label: s.label, ...(s.sensitive ? { sensitive: true } : {}) });
  for (const t of s.topics) {
    const [id, rawLabel] = t.split(":");
    const sensitive = rawLabel.endsWith("!"); // a sensitive leaf under a non-sensitive parent
    const label = sensitive ? rawLabel.slice(0, -1) : rawLabel;
    topics.push({ id, label, parent: s.id, ...(sensitive ? { sensitive: true } : {}) });
    leaves.push({ id, label, section: s.id });
  }
}
const leafById = new Map(leaves.map((l) => [l.id, l]));

// Some topics are simply more popular on this site; the prior makes the non-personalized
// rail look like a real front page (and not like hiking, so personalization is visible).
const topicPull = new Map(leaves.map((l) => [l.id, 0.35 + 0.65 * rand()]));

// ---- items -------------------------------------------------------------------------------------
const items = [];
const offerShare = 0.28;
for (let i = 0; i < ITEMS; i++) {
  const leaf = leaves[i % leaves.length]; // every topic gets its fair share of items
  const isOffer = rand() < offerShare;
  const kindPrefix = isOffer ? "o" : "a";
  const id = `${kindPrefix}${i + 1}`;
  const x = pick(SUBJECT[leaf.id]);
  const n = between(3, 12);
  let title;
  let campaign;
  let ageDays;
  let price;
  if (isOffer) {
    const live = CAMPAIGNS.filter((c) => c.sections.includes(leaf.section));
    campaign = live.length && rand() < 0.8 ? pick(live) : undefined;
    ageDays = campaign ? between(campaign.to, campaign.from) : between(0, 60);
    title = fill(pick(OFFER_TEMPLATES), { x, brand: pick(BRANDS), pct: pick([10, 15, 20, 25, 30, 40]) });
    price = round(between(9, 320) - 0.01, 2);
  } else {
    ageDays = Math.floor(Math.pow(rand(), 1.6) * 365);
    title = fill(pick(ARTICLE_TEMPLATES), { x, n, topic: TOPIC_PHRASE[leaf.id] ?? leaf.label.toLowerCase() });
  }
  title = title.charAt(0).toUpperCase() + title.slice(1);
  const topicWeights = { [leaf.id]: 1 };
  const nb = NEIGHBOURS[leaf.id] || [];
  if (nb.length && rand() < 0.55) {
    const other = pick(nb);
    if (leafById.has(other) && other !== leaf.id) topicWeights[other] = round(0.25 + 0.35 * rand(), 2);
  }
  // Popularity: long-tailed (most items are niche, a few are hits), nudged by topic pull.
  const popularity = round(Math.pow(rand(), 2.2) * topicPull.get(leaf.id), 3);
  const published = new Date(TODAY - ageDays * DAY).toISOString().slice(0, 10);
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
  items.push({
    id,
    title,
    url: `/${isOffer ? "shop" : "stories"}/${id}-${slug}`,
    kind: isOffer ? "offer" : "article",
    ...(campaign ? { campaign: campaign.id } : {}),
    topics: topicWeights,
    published,
    popularity,
    // Site-specific fields the engine ignores and the page shows.
    summary: pick(LEDES),
    ...(price !== undefined ? { price } : {}),
  });
}

const doc = { topics, items };
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, JSON.stringify(doc) + "\n");
const offers = items.filter((it) => it.kind === "offer").length;
const sensitive = topics.filter((t) => t.sensitive || SECTIONS.find((s) => s.id === t.parent)?.sensitive).length;
console.log(`catalog: ${args.out}: ${items.length} items (${offers} offers) over ${leaves.length} topics in ${SECTIONS.length} sections, ${sensitive} sensitive topics`);

function fill(template, vars) {
  return template.replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));
}

function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z]+)$/.exec(argv[i]);
    if (!m || !(m[1] in defaults) || i + 1 >= argv.length) {
      console.error(`gen-catalog: unknown or incomplete argument ${argv[i]}; known: ${Object.keys(defaults).map((k) => `--${k}`).join(" ")}`);
      process.exit(2);
    }
    out[m[1]] = argv[++i];
  }
  return out;
}
