// Type-checks a customer's use of the public API against the shipped .d.ts (tsc --strict, no emit).
import init, { Inkling, type RankedItem, type ConsentRecord, type InklingStatus } from "inkling";

export async function main(): Promise<string[]> {
  await init();
  const inkling: Inkling = Inkling.open({ siteId: "shop", policyVersion: "2026-11", halfLifeDays: 14 });
  inkling.loadCatalog({ topics: [{ id: "hiking", label: "Hiking" }], items: [{ id: "a1", topics: { hiking: 1 } }] });
  const consent: ConsentRecord = inkling.setConsent({ personalize: true, remember: false, measure: false });
  const decided: boolean = consent.needsDecision === false;
  inkling.record({ type: "click", item: "a1", at: Date.now() });
  inkling.declare("hiking", "like");
  const ranked: RankedItem[] = inkling.rank({ limit: 5, diversity: true, exclude: [], excludeSeen: false });
  const status: InklingStatus = inkling.status();
  const storage: "local" | "memory" = status.storage;
  const texts: string[] = ranked.flatMap((r) => r.reasons.map((reason) => reason.text));
  const json: string = inkling.exportProfile();
  inkling.importProfile(json);
  return decided ? [storage, ...texts] : texts;
}
