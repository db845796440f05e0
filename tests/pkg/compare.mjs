// `usagePeriod` and `usagePeriods` of two builds of the package, in one process, interleaved
// round by round (best of each), so the machine's noise hits both alike:
//
//   git worktree add /tmp/before <commit> && (cd /tmp/before && cargo xtask pkg)
//   cargo xtask pkg && node tests/pkg/compare.mjs /tmp/before/pkg pkg [runs]
//
// Prints each run's rates and, at the end, the median of the ratios (after / before).
import path from 'node:path';

const [before, after] = process.argv.slice(2, 4).map((d) => path.resolve(d, 'node/index.mjs'));
const runs = Number(process.argv[4] ?? 5);
if (!before || !after) throw new Error('usage: node tests/pkg/compare.mjs BEFORE_PKG AFTER_PKG [RUNS]');
const [a, b] = await Promise.all([import(before), import(after)]);

let seed = 11;
const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const zones = a.zoneNames().filter((z) => b.zoneNames().includes(z));
const periods = ['week', 'month', 'year'];
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19) + 'Z';
const pick = (l) => l[Math.floor(random() * l.length)];
const mix = Array.from({ length: 10_000 }, () =>
  [pick(periods), pick(zones), iso(Date.UTC(2000, 0, 1) + random() * 40 * 365.25 * 86400e3)]);
const [P, Z, T] = [0, 1, 2].map((i) => mix.map((x) => x[i]));

const timed = (f) => {
  const t0 = performance.now();
  f();
  return (20 * mix.length) / ((performance.now() - t0) / 1000);
};
const one = (m) => timed(() => { for (let r = 0; r < 20; r++) for (const [p, z, t] of mix) m.usagePeriod(p, z, t); });
const batch = (m) => timed(() => { for (let r = 0; r < 20; r++) m.usagePeriods(P, Z, T); });

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const ratios = { usagePeriod: [], usagePeriods: [] };
for (let run = 0; run < runs; run++) {
  for (const [name, f] of [['usagePeriod', one], ['usagePeriods', batch]]) {
    let best = [0, 0];
    for (let round = 0; round < 12; round++) best = [Math.max(best[0], f(a)), Math.max(best[1], f(b))];
    ratios[name].push(best[1] / best[0]);
    console.log(`${name.padEnd(13)} ${a.tzdataVersion()} build ${(best[0] / 1e6).toFixed(3)} M/s, `
      + `${b.tzdataVersion()} build ${(best[1] / 1e6).toFixed(3)} M/s`);
  }
}
for (const [name, r] of Object.entries(ratios)) {
  console.log(`${name}: after / before, median of ${runs} runs: ${median(r).toFixed(3)} (${r.map((x) => x.toFixed(3)).join(', ')})`);
}
