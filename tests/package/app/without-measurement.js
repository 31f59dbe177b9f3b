// Throws (failing the page) if an `inkling/personalize` instance has a measurement method.
export function withoutMeasurement(ink) {
  const present = ["configureMeasurement", "flush", "pendingReports", "privacyBudget"].filter((m) => m in ink);
  if (present.length) throw new Error(`inkling/personalize has measurement methods: ${present.join(", ")}`);
  return ink;
}
