// Loads real-package bundles the way the worker does: the lockdown bundle is evaluated
// raw as `(${source}\n)()` in a plain Node realm (no SES imported), then lockdown() runs,
// then the liveslots bundle is loaded under SES through @endo/import-bundle.
//
// usage: node realpkgs.mjs LOCKDOWN_BUNDLE LIVESLOTS_BUNDLE...
import fs from 'node:fs';
import { createHash } from 'node:crypto';

const [lockdownFile, ...vatFiles] = process.argv.slice(2);
if (!lockdownFile) {
  console.error('usage: node realpkgs.mjs LOCKDOWN_BUNDLE [LIVESLOTS_BUNDLE...]');
  process.exit(2);
}
const failures = [];
const check = (label, condition) => {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${label}`);
  if (!condition) failures.push(label);
};

const lockdownBundle = JSON.parse(fs.readFileSync(lockdownFile, 'utf8'));
check('lockdown bundle is nestedEvaluate', lockdownBundle.moduleFormat === 'nestedEvaluate');
check('no SES before evaluation', typeof globalThis.lockdown === 'undefined');
// eslint-disable-next-line no-eval
(0, eval)(`(${lockdownBundle.source}\n)()`);
check('lockdown, Compartment and HandledPromise installed',
  typeof lockdown === 'function' && typeof Compartment === 'function' && typeof HandledPromise === 'function');
lockdown({ errorTaming: 'unsafe' });
check('harden installed and intrinsics frozen after lockdown', typeof harden === 'function' && Object.isFrozen(Object.prototype) && Object.isFrozen(Array.prototype));
check('compartment evaluates', new Compartment().evaluate('[1, 2].map(x => x * 2).join()') === '2,4');

// Starts a vat whose root object answers hello(name), sends it one message and returns
// what liveslots resolved the result promise to.
const runVat = async (ns, baseGcTools) => {
  const store = new Map();
  const resolutions = [];
  const syscall = harden({
    vatstoreGet: key => store.get(key),
    vatstoreSet: (key, value) => {
      store.set(key, value);
    },
    vatstoreDelete: key => {
      store.delete(key);
    },
    vatstoreGetNextKey: prior => [...store.keys()].sort().find(key => key > prior),
    resolve: rs => {
      resolutions.push(...rs);
    },
    send: () => {},
    subscribe: () => {},
    exit: () => {},
    dropImports: () => {},
    retireImports: () => {},
    retireExports: () => {},
    callNow: () => {
      throw Error('no devices');
    },
  });
  const gcTools = harden({
    ...baseGcTools,
    waitUntilQuiescent: () => new Promise(resolve => setImmediate(resolve)),
    gcAndFinalize: async () => {},
  });
  const buildVatNamespace = async () =>
    harden({ buildRootObject: () => ns.Far('root', { hello: name => `hi ${name}` }) });
  const ls = ns.makeLiveSlots(syscall, 'v1', {}, {}, gcTools, console, buildVatNamespace);
  await ls.dispatch(harden(['startVat', { body: '#{}', slots: [] }]));
  await ls.dispatch(
    harden(['message', 'o+0', { methargs: { body: '#["hello",["vats"]]', slots: [] }, result: 'p-1' }]),
  );
  return JSON.stringify(resolutions);
};

const { importBundle } = await import('@endo/import-bundle');
const { checkBundle } = await import('@endo/check-bundle/lite.js');
const computeSha512 = bytes => createHash('sha512').update(bytes).digest('hex');
for (const file of vatFiles) {
  const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
  try {
    if (bundle.moduleFormat === 'endoZipBase64') {
      await checkBundle(harden(bundle), computeSha512);
      check('endoZipBase64 liveslots bundle passes checkBundle', true);
    }
    const ns = await importBundle(bundle, { endowments: { console, assert, HandledPromise } }, { computeSha512 });
    check(`${bundle.moduleFormat} liveslots bundle loads`, typeof ns.makeLiveSlots === 'function'
      && typeof ns.makeMarshaller === 'function');
    const meterControl = harden({
      isMeteringDisabled: () => false,
      assertIsMetered: () => {},
      assertNotMetered: () => {},
      runWithoutMetering: thunk => thunk(),
      runWithoutMeteringAsync: thunk => thunk(),
      unmetered: fn => fn,
    });
    const gcTools = harden({ WeakRef, FinalizationRegistry, meterControl });
    const m = ns.makeMarshaller(harden({}), gcTools);
    check(`${bundle.moduleFormat} liveslots marshaller works`, typeof m.m.toCapData === 'function'
      && m.m.toCapData(harden({ a: [1, 'x'] })).body === '#{"a":[1,"x"]}');
    const delivered = await runVat(ns, gcTools);
    check(`${bundle.moduleFormat} liveslots runs a vat: ${delivered}`,
      delivered === '[["p-1",false,{"body":"#\\"hi vats\\"","slots":[]}]]');
  } catch (error) {
    check(`${bundle.moduleFormat} liveslots bundle (${error && error.message})`, false);
  }
}
console.log(`real-packages: ${failures.length === 0 ? 'all ok' : `${failures.length} failed`}`);
process.exit(failures.length === 0 ? 0 : 1);
