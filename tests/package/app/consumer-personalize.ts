// Type-checks a customer's use of `inkling/personalize` against its shipped .d.ts: the
// same calls as the whole API, and no measurement methods.
import init, { Inkling, type RankedItem, type Explanation } from "inkling/personalize";

export async function main(): Promise<number> {
  await init();
  const inkling: Inkling = Inkling.open({ siteId: "shop", policyVersion: "2026-11" });
  inkling.loadCatalog({ topics: [{ id: "hiking", label: "Hiking" }], items: [{ id: "a1", topics: { hiking: 1 } }] });
  inkling.setConsent({ personalize: true, remember: false, measure: false });
  const ranked: RankedItem[] = inkling.rank({ limit: 5 });
  const why: Explanation = inkling.explain("a1");
  // @ts-expect-error: this entry has no private measurement
  inkling.flush("/collect");
  return ranked.length + why.reasons.length;
}
