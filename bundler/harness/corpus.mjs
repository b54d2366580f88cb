// Compares each corpus program run natively by Node (as ESM) with the same program loaded
// from our bundles: the nestedEvaluate bundle evaluated raw, then (under SES lockdown) both
// bundles through @endo/import-bundle, with checkBundle on the endoZipBase64 one.
//
// usage: node corpus.mjs CORPUS_DIR BUNDLE_DIR
//   BUNDLE_DIR holds NAME.nestedEvaluate.json and NAME.endoZipBase64.json per program.
import 'ses';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { importBundle } from '@endo/import-bundle';
import { checkBundle } from '@endo/check-bundle/lite.js';
import { createHash } from 'node:crypto';

const [corpusDir, bundleDir] = process.argv.slice(2);
if (!corpusDir || !bundleDir) {
  console.error('usage: node corpus.mjs CORPUS_DIR BUNDLE_DIR');
  process.exit(2);
}

const show = value =>
  JSON.stringify(value, (_key, v) => {
    if (typeof v === 'function') return `[function ${v.name}]`;
    if (v === undefined) return '[undefined]';
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'symbol') return String(v);
    return v;
  });

const describe = async load => {
  try {
    const ns = await load();
    const out = { tag: ns[Symbol.toStringTag], keys: Object.keys(ns), values: {} };
    for (const key of Object.keys(ns)) out.values[key] = show(ns[key]);
    try {
      out.run = typeof ns.run === 'function' ? show(ns.run()) : null;
    } catch (error) {
      out.run = `threw ${error && error.name}: ${error && error.message}`;
    }
    return show(out);
  } catch (error) {
    return `load failed: ${error && error.name}: ${error && error.message}`;
  }
};

const programs = fs
  .readdirSync(corpusDir, { withFileTypes: true })
  .filter(d => d.isDirectory() && fs.existsSync(path.join(corpusDir, d.name, 'main.js')))
  .map(d => d.name)
  .sort();

// Our bundle files must be byte-for-byte what JSON.stringify writes for the same object.
const notStringifyExact = [];
const readBundle = (name, format) => {
  const text = fs.readFileSync(path.join(bundleDir, `${name}.${format}.json`), 'utf8');
  const bundle = JSON.parse(text);
  if (JSON.stringify(bundle) !== text && !notStringifyExact.includes(name)) notStringifyExact.push(name);
  return bundle;
};

// Phase 1, before lockdown: native ESM and raw evaluation of the nestedEvaluate source.
const results = {};
for (const name of programs) {
  const native = await describe(() => import(pathToFileURL(path.resolve(corpusDir, name, 'main.js')).href));
  const raw = await describe(async () => {
    const bundle = readBundle(name, 'nestedEvaluate');
    // eslint-disable-next-line no-eval
    return (0, eval)(`(${bundle.source}\n)()`);
  });
  results[name] = { native, raw };
}

// Phase 2: under SES, through the loaders SwingSet uses.
lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe' });
const computeSha512 = bytes => createHash('sha512').update(bytes).digest('hex');
for (const name of programs) {
  const nested = readBundle(name, 'nestedEvaluate');
  const zip = readBundle(name, 'endoZipBase64');
  results[name].nestedEvaluate = await describe(() => importBundle(nested));
  results[name].endoZipBase64 = await describe(async () => {
    await checkBundle(harden(zip), computeSha512);
    return importBundle(zip, {}, { computeSha512 });
  });
}

let same = 0;
let different = 0;
for (const name of programs) {
  const r = results[name];
  const ok = r.raw === r.native && r.nestedEvaluate === r.native && r.endoZipBase64 === r.native
    && !notStringifyExact.includes(name);
  if (ok) {
    same += 1;
    console.log(`same      ${name}`);
  } else {
    different += 1;
    console.log(`DIFFERENT ${name}`);
    if (notStringifyExact.includes(name)) console.log('  bundle JSON differs from JSON.stringify output');
    console.log(`  native:         ${r.native}`);
    for (const k of ['raw', 'nestedEvaluate', 'endoZipBase64']) {
      if (r[k] !== r.native) console.log(`  ${k.padEnd(15)} ${r[k]}`);
    }
  }
}
console.log(`bundle-corpus: ${same} same, ${different} different`);
process.exit(different === 0 ? 0 : 1);
