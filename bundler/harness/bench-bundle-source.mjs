// Times @endo/bundle-source on an entry: one warm-up, then RUNS timed runs in this process.
// usage: node bench-bundle-source.mjs ENTRY FORMAT RUNS  → prints one duration (ms) per line
import '@endo/init';
import bundleSource from '@endo/bundle-source';
import { performance } from 'node:perf_hooks';

const [entry, format, runs = '5'] = process.argv.slice(2);
await bundleSource(entry, { format });
for (let i = 0; i < Number(runs); i += 1) {
  const start = performance.now();
  // eslint-disable-next-line no-await-in-loop
  await bundleSource(entry, { format });
  console.log((performance.now() - start).toFixed(1));
}
