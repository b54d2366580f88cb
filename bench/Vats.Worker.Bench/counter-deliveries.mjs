// Counter-vat deliveries through Agoric's own @agoric/xsnap driver, for any worker that speaks xsnap's
// protocol: xsnap-worker or vats-worker (xsnap mode, fds 3/4). The same published lockdown and supervisor
// bundles, the same counter bundle, the same tiny in-memory kernel for the syscalls; prints one JSON line.
//
//   node counter-deliveries.mjs --anchor DIR [--worker PATH] --bundle COUNTER.bundle [--deliveries N] [--snapshots N]
//
// With --snapshots N, after the deliveries: N heap snapshots of the counter vat saved as SwingSet's swing-store saves
// them (the snapshot stream through gzip and SHA-256), each restored in a new worker from the compressed bytes (gunzip
// into the snapshot stream) and timed to its first evaluate and its first delivery.
//
// DIR is a set-up xsnap anchor (its node_modules has @agoric/xsnap and the bundles; without --worker its
// built xsnap-worker runs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    anchor: { type: 'string' },
    worker: { type: 'string' },
    bundle: { type: 'string' },
    deliveries: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '50' },
    snapshots: { type: 'string', default: '0' },
  },
});
if (!opt.anchor || !opt.bundle) throw Error('usage: counter-deliveries.mjs --anchor DIR [--worker PATH] --bundle FILE [--deliveries N]');
const anchorRequire = createRequire(path.join(path.resolve(opt.anchor), 'package.json'));
const load = (name) => import(pathToFileURL(anchorRequire.resolve(name)).href);
await load('@endo/init');
const { xsnap } = await load('@agoric/xsnap');
const { getLockdownBundle } = await load('@agoric/xsnap-lockdown');
const { getSupervisorBundle } = await load('@agoric/swingset-xsnap-supervisor');

const defaultWorker = path.join(path.dirname(anchorRequire.resolve('@agoric/xsnap/package.json')),
  `xsnap-native/xsnap/build/bin/${os.type() === 'Darwin' ? 'mac' : 'lin'}/release/xsnap-worker`);
const workerBin = opt.worker ? path.resolve(opt.worker) : defaultWorker;
const enc = new TextEncoder();
const dec = new TextDecoder();
const evalString = (b) => `(${b.source}\n)()`.trim();

// The kernel side: a vatstore and the results; every other syscall is answered ok.
const store = new Map();
const results = new Map();
const syscall = ([type, ...args]) => {
  switch (type) {
    case 'vatstoreGet': return ['ok', store.has(args[0]) ? store.get(args[0]) : null];
    case 'vatstoreGetNextKey': {
      const next = [...store.keys()].filter((k) => k > args[0]).sort()[0];
      return ['ok', next ?? null];
    }
    case 'vatstoreSet': store.set(args[0], args[1]); return ['ok', null];
    case 'vatstoreDelete': store.delete(args[0]); return ['ok', null];
    case 'resolve': for (const [vpid, , data] of args[0]) results.set(vpid, data); return ['ok', null];
    default: return ['ok', null];
  }
};
const handleCommand = async (bytes) => {
  const [tag, ...rest] = JSON.parse(dec.decode(bytes));
  const answer = tag === 'syscall' ? syscall(rest[0]) : ['ok'];
  return enc.encode(JSON.stringify(answer));
};

const makeWorker = (name, extra = {}) => xsnap({
  os: os.type(),
  name,
  spawn: (_bin, args, options) => spawn(workerBin, args, options),
  // Only used for file-system snapshots, which this script does not take.
  fs: { ...fs, ...fs.promises, tmpName: async () => { throw Error('file snapshots are not used'); } },
  meteringLimit: 0,
  stdout: 'ignore',
  stderr: 'inherit',
  handleCommand,
  ...extra,
});
const worker = await makeWorker('counter-bench');
const commandOn = (w) => async (item) => {
  const { reply, meterUsage } = await w.issueStringCommand(JSON.stringify(item));
  return { reply: JSON.parse(reply), meterUsage };
};
const command = async (item) => {
  const { reply, meterUsage } = await worker.issueStringCommand(JSON.stringify(item));
  return { reply: JSON.parse(reply), meterUsage };
};
await worker.evaluate(evalString(await getLockdownBundle()));
await worker.evaluate(evalString(await getSupervisorBundle()));
const bundle = JSON.parse(fs.readFileSync(opt.bundle, 'utf8'));
const ready = await command(['setBundle', 'v1', bundle, { enableDisavow: false, relaxDurabilityRules: false }]);
if (ready.reply[0] !== 'dispatchReady') throw Error(`setBundle: ${JSON.stringify(ready.reply)}`);
let t = performance.now();
const started = await command(['deliver', ['startVat', { body: '#{}', slots: [] }]]);
const startVatMs = performance.now() - t;
if (started.reply[0] !== 'ok') throw Error(`startVat: ${JSON.stringify(started.reply)}`);

let promise = 100;
const increment = async () => {
  promise += 1;
  const vpid = `p-${promise}`;
  const t0 = performance.now();
  const { reply, meterUsage } = await command(['deliver', ['message', 'o+0', { methargs: { body: '#["increment",[]]', slots: [] }, result: vpid }]]);
  const wallMs = performance.now() - t0;
  if (reply[0] !== 'ok' || !results.has(vpid)) throw Error(`increment: ${JSON.stringify(reply)}`);
  const ts = meterUsage.timestamps;
  let waits = 0;
  for (let i = 1; i + 1 < ts.length - 1; i += 2) waits += ts[i + 1] - ts[i];
  return { wallMs, busyMs: (ts[ts.length - 1] - ts[0] - waits) * 1000, compute: Number(meterUsage.compute) };
};
for (let i = 0; i < Number(opt.warmup); i += 1) await increment();
const samples = [];
t = performance.now();
for (let i = 0; i < Number(opt.deliveries); i += 1) samples.push(await increment());
const totalMs = performance.now() - t;
const last = results.get(`p-${promise}`).body;

// Snapshots as the swing-store saves them (stream → gzip → SHA-256 of the uncompressed bytes) and restores them.
const snapshotSaves = [];
for (let i = 0; i < Number(opt.snapshots); i += 1) {
  const hash = createHash('sha256');
  const gzip = zlib.createGzip();
  const compressed = [];
  gzip.on('data', (chunk) => compressed.push(chunk));
  const gzipped = new Promise((resolve, reject) => { gzip.on('end', resolve); gzip.on('error', reject); });
  let bytes = 0;
  const raw = [];
  const t0 = performance.now();
  for await (const chunk of worker.makeSnapshotStream(`counter-${i}`)) {
    bytes += chunk.length;
    raw.push(chunk);
    hash.update(chunk);
    if (!gzip.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await gzipped;
  const sha256 = hash.digest('hex');
  const saveMs = performance.now() - t0;
  const gz = Buffer.concat(compressed);

  const t1 = performance.now();
  const restored = await makeWorker(`counter-restored-${i}`, {
    snapshotStream: Readable.from([gz]).pipe(zlib.createGunzip()),
    snapshotDescription: `counter-${i}`,
  });
  await restored.evaluate('1');
  const restoreFirstEvalMs = performance.now() - t1;
  promise += 1;
  const { reply } = await commandOn(restored)(['deliver', ['message', 'o+0', { methargs: { body: '#["get",[]]', slots: [] }, result: `p-${promise}` }]]);
  const restoreFirstDeliveryMs = performance.now() - t1;
  if (reply[0] !== 'ok') throw Error(`get after restore: ${JSON.stringify(reply)}`);
  await restored.close();
  // The same snapshot from uncompressed bytes in memory: the worker's own restore, without the store's gunzip.
  const t2 = performance.now();
  const fromMemory = await makeWorker(`counter-memory-${i}`, { snapshotStream: Readable.from([Buffer.concat(raw)]), snapshotDescription: `counter-${i}` });
  await fromMemory.evaluate('1');
  const restoreUncompressedFirstEvalMs = performance.now() - t2;
  await fromMemory.close();
  snapshotSaves.push({ saveMs, bytes, compressedBytes: gz.length, sha256, restoreFirstEvalMs, restoreFirstDeliveryMs, restoreUncompressedFirstEvalMs });
}
await worker.close();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
console.log(JSON.stringify({
  worker: workerBin,
  deliveries: samples.length,
  finalCount: last,
  startVatMs,
  deliveriesPerSec: samples.length / (totalMs / 1000),
  wallMsMedian: median(samples.map((s) => s.wallMs)),
  busyMsMedian: median(samples.map((s) => s.busyMs)),
  computeMedian: median(samples.map((s) => s.compute)),
  ...(snapshotSaves.length === 0 ? {} : {
    snapshotSaveMsMedian: median(snapshotSaves.map((s) => s.saveMs)),
    snapshotBytes: snapshotSaves[0].bytes,
    snapshotCompressedBytes: median(snapshotSaves.map((s) => s.compressedBytes)),
    snapshotRestoreFirstEvalMsMedian: median(snapshotSaves.map((s) => s.restoreFirstEvalMs)),
    snapshotRestoreFirstDeliveryMsMedian: median(snapshotSaves.map((s) => s.restoreFirstDeliveryMs)),
    snapshotRestoreUncompressedFirstEvalMsMedian: median(snapshotSaves.map((s) => s.restoreUncompressedFirstEvalMs)),
    snapshotSaves,
  }),
}));
