// Summary statistics of timing samples (ms). Percentiles by nearest rank on the sorted samples.

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(samples, p) {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

/** n, median, p95, min and mean of samples. */
export function summary(samples) {
  const n = samples.length;
  const mean = samples.reduce((a, b) => a + b, 0) / (n || 1);
  return { n, median: percentile(samples, 50), p95: percentile(samples, 95), min: Math.min(...samples), mean };
}

/** A duration in ms printed with sensible precision (µs below 1 ms). */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms < 1) return (ms * 1000).toFixed(0) + " µs";
  if (ms < 10) return ms.toFixed(2) + " ms";
  return ms.toFixed(1) + " ms";
}
