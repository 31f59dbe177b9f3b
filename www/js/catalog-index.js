// Lookups over the catalog document the page loaded (the same document Inkling ranks),
// so cards and the privacy center can show titles, labels and sections.

/**
 * @typedef {{ id: string, label: string, parent?: string, sensitive?: boolean }} Topic
 * @typedef {{ id: string, title: string, url?: string, kind?: "article" | "offer", campaign?: string,
 *   topics: Record<string, number>, published?: string, popularity?: number, summary?: string, price?: number }} Item
 */

export class CatalogIndex {
  /** @param {{ topics: Topic[], items: Item[] }} doc */
  constructor(doc) {
    this.doc = doc;
    /** @type {Map<string, Topic>} */
    this.topics = new Map(doc.topics.map((t) => [t.id, t]));
    /** @type {Map<string, Item>} */
    this.items = new Map(doc.items.map((it) => [it.id, it]));
    this.newestFirst = [...doc.items].sort((a, b) => (b.published || "").localeCompare(a.published || "") || a.id.localeCompare(b.id));
  }

  item(id) {
    return this.items.get(id);
  }

  /** The visitor-facing name of a topic ("Hiking"), or the id when the catalog no longer has it. */
  label(topicId) {
    return this.topics.get(topicId)?.label ?? topicId;
  }

  /** The top-level section of a topic ("outdoors" for "hiking"). */
  section(topicId) {
    let t = this.topics.get(topicId);
    while (t?.parent) t = this.topics.get(t.parent);
    return t?.id ?? topicId;
  }

  /** Sensitive if marked or under a marked parent (the engine's rule). */
  isSensitive(topicId) {
    for (let t = this.topics.get(topicId); t; t = t.parent ? this.topics.get(t.parent) : undefined) {
      if (t.sensitive) return true;
    }
    return false;
  }

  /** The item's main topic: its heaviest one. */
  mainTopic(item) {
    let best = null;
    for (const [id, w] of Object.entries(item.topics)) if (!best || w > best[1]) best = [id, w];
    return best ? best[0] : "";
  }

  /** Sections with their leaf topics, in catalog order, for pickers. */
  sections() {
    const out = [];
    for (const t of this.doc.topics) {
      if (!t.parent) out.push({ topic: t, children: [] });
      else out.find((s) => s.topic.id === t.parent)?.children.push(t);
    }
    return out;
  }

  /**
   * The newest `limit` items for the browse section: of everything (""), of a section (its
   * id), or about a topic (the topic is the item's main one).
   */
  newest(topicId, limit) {
    const out = [];
    for (const it of this.newestFirst) {
      const main = this.mainTopic(it);
      if (!topicId || main === topicId || this.section(main) === topicId) out.push(it);
      if (out.length >= limit) break;
    }
    return out;
  }
}
