'use strict';
// Reference host for the pinned QuickJS wasm, running on V8 (Node's WebAssembly).
//
// It answers the wasm's imports the way engine/Vats.QuickJs does (fixed virtual clock, separate random
// seed, UTC, empty environment, heap cap enforced in emscripten_resize_heap), loads the same prelude
// files and helper scripts, and installs the same worker globals. The differential test and the
// benchmark run the same JavaScript here and in the C# engine and compare the results.
//
// Usage:
//   node quickjs-host.cjs probes PROBES.js          one line per probe: "name<TAB>outcome"
//   node quickjs-host.cjs eval FILE.js [--lockdown BUNDLE] [--supervisor BUNDLE]
//   node quickjs-host.cjs bench --lockdown BUNDLE --supervisor BUNDLE [--runs N] [--loop N]

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const ENGINE_DIR = path.resolve(__dirname, '..');
const WASM_PATH = path.join(ENGINE_DIR, 'node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm');
const WASM_SHA256 = '105c3bed22d457e43e3d1c3c1c6959fda62a8fe06f0fc8a985303c3a2be72232';
const PRELUDE_DIR = path.join(ENGINE_DIR, 'Host/Prelude');
const PRELUDE_FILES = ['repairs.js', 'text-encoding.js', 'base64.js', 'worker-globals.js'];
const HELPERS_FILE = path.join(ENGINE_DIR, 'Host/Scripts/helpers.js');

const DEFAULT_CLOCK_MS = 1700000000000;
const DEFAULT_SEED_MS = 1700000000000;
const DEFAULT_STACK_BYTES = 256 * 1024;
const DEFAULT_HEAP_CAP = 1024 * 1024 * 1024;
// Offset of JSRuntime.malloc_gc_threshold in the pinned build (checked at start: it holds 256 KiB then).
const GC_THRESHOLD_OFFSET = 108;

// Export order of the module; the minified names follow emscripten's sequence starting at "u".
const EXPORTS = [
  '__wasm_call_ctors', 'malloc', 'QTS_Throw', 'QTS_NewError', 'QTS_RuntimeSetMemoryLimit',
  'QTS_RuntimeComputeMemoryUsage', 'QTS_RuntimeDumpMemoryUsage', 'QTS_RecoverableLeakCheck',
  'QTS_BuildIsSanitizeLeak', 'QTS_RuntimeSetMaxStackSize', 'QTS_GetUndefined', 'QTS_GetNull', 'QTS_GetFalse',
  'QTS_GetTrue', 'QTS_NewHostRef', 'QTS_GetHostRefId', 'QTS_NewRuntime', 'QTS_FreeRuntime', 'free',
  'QTS_NewContext', 'QTS_FreeContext', 'QTS_FreeValuePointer', 'QTS_FreeValuePointerRuntime',
  'QTS_FreeVoidPointer', 'QTS_FreeCString', 'QTS_DupValuePointer', 'QTS_NewObject', 'QTS_NewObjectProto',
  'QTS_NewArray', 'QTS_NewArrayBuffer', 'QTS_NewFloat64', 'QTS_GetFloat64', 'QTS_NewString', 'QTS_GetString',
  'QTS_GetArrayBuffer', 'QTS_GetArrayBufferLength', 'QTS_NewSymbol', 'QTS_GetSymbolDescriptionOrKey',
  'QTS_IsGlobalSymbol', 'QTS_IsJobPending', 'QTS_ExecutePendingJob', 'QTS_GetProp', 'QTS_GetPropNumber',
  'QTS_SetProp', 'QTS_DefineProp', 'QTS_GetOwnPropertyNames', 'QTS_Call', 'QTS_ResolveException', 'QTS_Dump',
  'QTS_Eval', 'QTS_GetModuleNamespace', 'QTS_Typeof', 'QTS_GetLength', 'QTS_IsEqual', 'QTS_GetGlobalObject',
  'QTS_NewPromiseCapability', 'QTS_PromiseState', 'QTS_PromiseResult', 'QTS_TestStringArg',
  'QTS_GetDebugLogEnabled', 'QTS_SetDebugLogEnabled', 'QTS_BuildIsDebug', 'QTS_BuildIsAsyncify',
  'QTS_NewFunction', 'QTS_ArgvGetJSValueConstPointer', 'QTS_RuntimeEnableInterruptHandler',
  'QTS_RuntimeDisableInterruptHandler', 'QTS_RuntimeEnableModuleLoader', 'QTS_RuntimeDisableModuleLoader',
  'QTS_bjson_encode', 'QTS_bjson_decode', '_emscripten_timeout', '_emscripten_stack_restore',
  '_emscripten_stack_alloc', 'emscripten_stack_get_current',
];
function minifiedNames(first, count) {
  const A = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$';
  const out = [];
  for (let i = A.indexOf(first); i < A.length; i++) out.push(A[i]);
  for (let j = 0; j < A.length && out.length < count; j++) for (let i = 0; i < A.length; i++) out.push(A[i] + A[j]);
  return out.slice(0, count);
}

let cachedModule;
function wasmModule() {
  if (cachedModule) return cachedModule;
  const bytes = fs.readFileSync(WASM_PATH);
  const hash = crypto.createHash('sha256').update(bytes).digest('hex');
  if (hash !== WASM_SHA256) throw new Error(`QuickJS wasm at ${WASM_PATH} is not the pinned build (sha256 ${hash})`);
  cachedModule = new WebAssembly.Module(bytes);
  return cachedModule;
}

const te = new TextEncoder();
const td = new TextDecoder('utf-8');

class Engine {
  constructor(opts = {}) {
    this.clockMs = opts.clockMs ?? DEFAULT_CLOCK_MS;
    this.seedMs = opts.seedMs ?? DEFAULT_SEED_MS;
    this.heapCap = opts.heapCap ?? DEFAULT_HEAP_CAP;
    this.output = opts.output ?? ((line) => process.stdout.write(line + '\n'));
    this.commandHandler = opts.commandHandler ?? (() => new Uint8Array(0));
    this.hostFns = new Map();
    this.nextId = 1;
    this.macrotasks = [];
    this.meterLimit = 0;
    this.meterIndex = 0;
    this.creatingContext = false;
    this.memory = new WebAssembly.Memory({ initial: 256, maximum: 32768 });
    this.instance = new WebAssembly.Instance(wasmModule(), { a: this.imports() });
    const names = minifiedNames('u', EXPORTS.length);
    const X = {};
    EXPORTS.forEach((real, i) => { X[real] = this.instance.exports[names[i]]; });
    this.X = X;
    X.__wasm_call_ctors();
    this.rt = X.QTS_NewRuntime();
    if (this.dv().getUint32(this.rt + GC_THRESHOLD_OFFSET, true) !== 256 * 1024) throw new Error('unexpected JSRuntime layout');
    X.QTS_RuntimeSetMaxStackSize(this.rt, opts.stackBytes ?? DEFAULT_STACK_BYTES);
    this.creatingContext = true;
    this.ctx = X.QTS_NewContext(this.rt, 0);
    this.creatingContext = false;
    this.boot();
  }

  u8() { return new Uint8Array(this.memory.buffer); }
  dv() { return new DataView(this.memory.buffer); }
  cstr(p) { const m = this.u8(); let e = p; while (m[e]) e++; return td.decode(m.subarray(p, e)); }
  mallocCStr(s) { const b = te.encode(s); const p = this.X.malloc(b.length + 1); this.u8().set(b, p); this.u8()[p + b.length] = 0; return p; }

  imports() {
    const self = this;
    const dv = () => this.dv();
    const writeCStr = (p, s) => { const b = te.encode(s); this.u8().set(b, p); this.u8()[p + b.length] = 0; };
    return {
      a: this.memory,
      b(cond, file, line, fn) { throw new WebAssembly.RuntimeError(`Assertion failed: ${self.cstr(cond)} at ${self.cstr(file)}:${line} ${self.cstr(fn)}`); },
      c(fd, iov, iovcnt, pnum) { let n = 0; for (let i = 0; i < iovcnt; i++) n += dv().getUint32(iov + 8 * i + 4, true); dv().setUint32(pnum, n, true); return 0; },
      d() { return 52; },
      e() { return 0; },
      f(pc, ps) { dv().setUint32(pc, 0, true); dv().setUint32(ps, 0, true); return 0; },
      g(rt, ctx, base, name) { return self.mallocCStr(self.cstr(name)); },
      h() { return 0; },
      i() { return 0; },
      j() { return 0; },
      k(requested) {
        requested >>>= 0;
        if (requested > self.heapCap) return 0;
        const cur = self.memory.buffer.byteLength;
        if (requested <= cur) return 1;
        try { self.memory.grow(Math.ceil((requested - cur) / 65536)); return 1; } catch { return 0; }
      },
      l() {},
      m(t, tm) {
        const d = new Date(Number(t) * 1000);
        const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
        const f = [d.getUTCSeconds(), d.getUTCMinutes(), d.getUTCHours(), d.getUTCDate(), d.getUTCMonth(),
          d.getUTCFullYear() - 1900, d.getUTCDay(), Math.floor((d.getTime() - jan1) / 86400000), 0, 0];
        f.forEach((v, i) => dv().setInt32(tm + 4 * i, v | 0, true));
      },
      n(tz, daylight, std, dst) { dv().setUint32(tz, 0, true); dv().setInt32(daylight, 0, true); writeCStr(std, 'UTC'); writeCStr(dst, 'UTC'); },
      o() { return 70; },
      p() { return self.creatingContext ? self.seedMs : self.clockMs; },
      q() { throw new WebAssembly.RuntimeError('abort()'); },
      r(code) { throw new WebAssembly.RuntimeError(`proc_exit(${code})`); },
      s(ctx, thisPtr, argc, argv, id) { return self.callHost(ctx, thisPtr, argc, argv, id); },
      t(rt, id) { self.hostFns.delete(id); },
    };
  }

  // ---- value helpers ----
  free(p) { this.X.QTS_FreeValuePointer(this.ctx, p); }
  newString(s) { const p = this.mallocCStr(s); try { return this.X.QTS_NewString(this.ctx, p); } finally { this.X.free(p); } }
  // The bytes QuickJS gives for a string: UTF-8 with lone surrogates as 3-byte WTF-8, cut at U+0000.
  getStringBytes(vp) { const c = this.X.QTS_GetString(this.ctx, vp); const m = this.u8(); let e = c; while (m[e]) e++; const b = m.slice(c, e); this.X.QTS_FreeCString(this.ctx, c); return b; }
  // A string with U+0000 cannot pass as a C string: it goes through JSON.parse.
  newStringExact(s) {
    if (!s.includes('\0')) return this.newString(s);
    const t = this.newString(JSON.stringify(s)); const r = this.call(this.fromJsonFn, this.X.QTS_GetUndefined(), [t]); this.free(t); return r.value;
  }
  getString(vp) { const c = this.X.QTS_GetString(this.ctx, vp); if (!c) return null; const s = this.cstr(c); this.X.QTS_FreeCString(this.ctx, c); return s; }
  typeOf(vp) { const c = this.X.QTS_Typeof(this.ctx, vp); const s = this.cstr(c); this.X.free(c); return s; }
  newArrayBuffer(bytes) { const p = this.X.malloc(Math.max(bytes.length, 1)); this.u8().set(bytes, p); return this.X.QTS_NewArrayBuffer(this.ctx, p, bytes.length); }
  // The bytes of an ArrayBuffer, typed array or DataView (through the helpers' bytesOf, as the C# host reads them).
  bytesOf(vp) { const r = this.call(this.bytesOfFn, this.X.QTS_GetUndefined(), [vp]); if (r.error) { this.free(r.error); return new Uint8Array(0); } const b = this.getArrayBuffer(r.value); this.free(r.value); return b; }
  getArrayBuffer(vp) {
    const len = this.X.QTS_GetArrayBufferLength(this.ctx, vp);
    const p = this.X.QTS_GetArrayBuffer(this.ctx, vp);
    if (!p) return new Uint8Array(0);
    const out = this.u8().slice(p, p + len); this.X.free(p); return out;
  }
  throwError(message) {
    const e = this.X.QTS_NewError(this.ctx); const k = this.newString('message'); const m = this.newString(message);
    this.X.QTS_SetProp(this.ctx, e, k, m); this.free(k); this.free(m);
    const t = this.X.QTS_Throw(this.ctx, e); this.free(e); return t;
  }

  evalRaw(code, file) {
    const b = te.encode(code); const p = this.X.malloc(b.length + 1); this.u8().set(b, p); this.u8()[p + b.length] = 0;
    const f = this.mallocCStr(file);
    const r = this.X.QTS_Eval(this.ctx, p, b.length, f, 0, 0);
    this.X.free(p); this.X.free(f);
    const err = this.X.QTS_ResolveException(this.ctx, r);
    if (err) { this.free(r); return { error: err }; }
    return { value: r };
  }
  call(fn, thisp, args) {
    const av = this.X.malloc(Math.max(4 * args.length, 4));
    args.forEach((a, i) => this.dv().setUint32(av + 4 * i, a, true));
    const r = this.X.QTS_Call(this.ctx, fn, thisp, args.length, av);
    this.X.free(av);
    const err = this.X.QTS_ResolveException(this.ctx, r);
    if (err) { this.free(r); return { error: err }; }
    return { value: r };
  }
  mustEval(code, file) { const r = this.evalRaw(code, file); if (r.error) throw new Error(`${file}: ${this.describeError(r.error)}`); return r.value; }

  // ---- host functions ----
  defineHostFunction(name, impl) {
    const id = this.nextId++;
    this.hostFns.set(id, { name, impl });
    const np = this.mallocCStr(name);
    const fn = this.X.QTS_NewFunction(this.ctx, np, 0, 0, id);
    this.X.free(np);
    return fn;
  }
  callHost(ctx, thisPtr, argc, argv, id) {
    const entry = this.hostFns.get(id);
    if (!entry) return 0;
    const args = []; for (let i = 0; i < argc; i++) args.push(argv + 8 * i);
    try { return entry.impl(args) || 0; } catch (e) { if (e instanceof WebAssembly.RuntimeError) throw e; return this.throwError(String(e && e.message || e)); }
  }

  boot() {
    const X = this.X;
    const bridge = X.QTS_NewObject(this.ctx);
    const set = (obj, name, val) => { const k = this.newString(name); X.QTS_SetProp(this.ctx, obj, k, val); this.free(k); this.free(val); };
    set(bridge, 'print', this.defineHostFunction('print', ([s]) => { this.output(this.getString(s)); return 0; }));
    set(bridge, 'issueCommand', this.defineHostFunction('issueCommand', ([ab]) => this.newArrayBuffer(this.commandHandler(this.getArrayBuffer(ab)))));
    set(bridge, 'setImmediate', this.defineHostFunction('setImmediate', ([fn, arg, handle]) => {
      this.macrotasks.push([fn, arg, handle].map((p) => X.QTS_DupValuePointer(this.ctx, p))); return 0;
    }));
    set(bridge, 'requestCollection', this.defineHostFunction('requestCollection', () => {
      this.dv().setUint32(this.rt + GC_THRESHOLD_OFFSET, 0, true); return 0;
    }));
    set(bridge, 'currentMeterLimit', this.defineHostFunction('currentMeterLimit', () => X.QTS_NewFloat64(this.ctx, this.meterLimit)));
    // No fuel on V8: the index only moves when JavaScript sets it (probes never print it).
    const meterValue = (p) => { const v = X.QTS_GetFloat64(this.ctx, p); return v >= 1 ? Math.trunc(Math.min(v, 2 ** 53)) : 0; };
    set(bridge, 'meterIndex', this.defineHostFunction('meterIndex', () => X.QTS_NewFloat64(this.ctx, this.meterIndex)));
    set(bridge, 'setMeterLimit', this.defineHostFunction('setMeterLimit', ([l]) => { this.meterLimit = meterValue(l); return 0; }));
    set(bridge, 'setMeterIndex', this.defineHostFunction('setMeterIndex', ([i]) => { this.meterIndex = meterValue(i); return 0; }));
    // The codecs the C# host implements natively, here from Node's own WHATWG TextDecoder and Buffer.
    const utf8FromWtf8 = (b) => { for (let i = 0; i + 2 < b.length; i++) if (b[i] === 0xed && b[i + 1] >= 0xa0) { b[i] = 0xef; b[i + 1] = 0xbf; b[i + 2] = 0xbd; i += 2; } return b; };
    set(bridge, 'utf8Encode', this.defineHostFunction('utf8Encode', ([s]) => this.newArrayBuffer(utf8FromWtf8(this.getStringBytes(s)))));
    set(bridge, 'utf8Decode', this.defineHostFunction('utf8Decode', ([b, f]) => {
      const bytes = this.bytesOf(b);
      try { return this.newStringExact(new TextDecoder('utf-8', { fatal: X.QTS_GetFloat64(this.ctx, f) !== 0, ignoreBOM: true }).decode(bytes)); } catch { return 0; }
    }));
    set(bridge, 'base64Encode', this.defineHostFunction('base64Encode', ([b]) => this.newString(Buffer.from(this.bytesOf(b)).toString('base64'))));
    set(bridge, 'base64Decode', this.defineHostFunction('base64Decode', ([s]) => {
      const bytes = this.getStringBytes(s); const eq = bytes.indexOf(61);
      const text = Buffer.from(eq < 0 ? bytes : bytes.subarray(0, eq)).toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
      return this.newArrayBuffer(new Uint8Array(Buffer.from(text.length % 4 === 1 ? text.slice(0, -1) : text, 'base64')));
    }));
    for (const file of PRELUDE_FILES) {
      const fn = this.mustEval(fs.readFileSync(path.join(PRELUDE_DIR, file), 'utf8'), `vats:prelude/${file}`);
      const r = this.call(fn, X.QTS_GetUndefined(), [bridge]);
      if (r.error) throw new Error(`prelude ${file}: ${this.describeError(r.error)}`);
      this.free(r.value); this.free(fn);
    }
    this.free(bridge);
    const factory = this.mustEval(fs.readFileSync(HELPERS_FILE, 'utf8'), 'vats:helpers.js');
    const made = this.call(factory, X.QTS_GetUndefined(), []);
    if (made.error) throw new Error(`helpers: ${this.describeError(made.error)}`);
    this.free(factory);
    this.helpers = made.value;
    const getFn = (name) => { const k = this.newString(name); const v = X.QTS_GetProp(this.ctx, this.helpers, k); this.free(k); return v; };
    this.toJsonFn = getFn('toJson');
    this.fromJsonFn = getFn('fromJson');
    this.bytesOfFn = getFn('bytesOf');
    this.describeFn = getFn('describeError');
  }

  describeError(errp) {
    const r = this.call(this.describeFn, this.X.QTS_GetUndefined(), [errp]);
    this.free(errp);
    if (r.error) { this.free(r.error); return '{"name":"","message":"(error while describing the error)","stack":""}'; }
    const s = this.getString(r.value); this.free(r.value); return s;
  }
  toJson(vp) {
    const r = this.call(this.toJsonFn, this.X.QTS_GetUndefined(), [vp]);
    this.free(vp);
    if (r.error) return { error: this.describeError(r.error) };
    const t = this.typeOf(r.value);
    const s = t === 'string' ? this.getString(r.value) : null;
    this.free(r.value); return { json: s };
  }

  // Every host operation starts a fresh meter, as each xsnap crank does (this host has no fuel limit).
  beginOperation() { this.meterLimit = 0; this.meterIndex = 0; }

  // Outcome of evaluating a script: {json} (null when JSON has no representation) or {error: describe-JSON}.
  evaluate(code, file = 'eval.js') {
    this.beginOperation();
    const r = this.evalRaw(code, file);
    if (r.error) return { error: this.describeError(r.error) };
    return this.toJson(r.value);
  }
  drainJobs() {
    for (;;) {
      if (!this.X.QTS_IsJobPending(this.rt)) return null;
      const slot = this.X.malloc(4); this.dv().setUint32(slot, 0, true);
      const r = this.X.QTS_ExecutePendingJob(this.rt, -1, slot);
      const c = this.dv().getUint32(slot, true); this.X.free(slot);
      if (c === 0) { this.X.QTS_FreeValuePointerRuntime(this.rt, r); return null; }
      if (this.typeOf(r) === 'number') { this.free(r); continue; }
      return this.describeError(r);
    }
  }
  // xsnap's loop: drain jobs, run one macrotask, repeat until both are empty.
  runToQuiescence() {
    this.beginOperation();
    for (;;) {
      const e = this.drainJobs(); if (e) return e;
      const task = this.macrotasks.shift();
      if (!task) return null;
      const r = this.call(task[0], this.X.QTS_GetUndefined(), [task[1]]);
      this.free(task[0]); this.free(task[1]); this.free(task[2]);
      if (r.error) return this.describeError(r.error);
      this.free(r.value);
    }
  }

  snapshotMemory() { return new Uint8Array(this.memory.buffer).slice(); }
}

function readBundleSource(file) {
  const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
  return `(${bundle.source}\n)()`.trim();
}

function bootBundles(engine, args) {
  for (const flag of ['--lockdown', '--supervisor']) {
    const at = args.indexOf(flag);
    if (at < 0) continue;
    const r = engine.evaluate(readBundleSource(args[at + 1]), path.basename(args[at + 1]));
    if (r.error) throw new Error(`${flag} bundle failed: ${r.error}`);
    const e = engine.runToQuiescence(); if (e) throw new Error(`${flag} bundle jobs failed: ${e}`);
  }
}

// Probe files: "// @probe NAME" starts a probe; everything up to the next marker is its source.
function parseProbes(text) {
  const probes = [];
  let current = null;
  for (const line of text.split('\n')) {
    const m = /^\/\/ @probe (\S+)\s*$/.exec(line);
    if (m) { current = { name: m[1], lines: [] }; probes.push(current); continue; }
    if (current) current.lines.push(line);
  }
  // Each probe runs in a block of its own so that its let/const/class names do not collide with other probes'.
  return probes.map((p) => ({ name: p.name, source: `{\n${p.lines.join('\n').trim()}\n}` }));
}

function runProbes(file) {
  const probes = parseProbes(fs.readFileSync(file, 'utf8'));
  let printed = [];
  const engine = new Engine({ output: (line) => printed.push(line) });
  const lines = [];
  const timing = process.env.PROBE_TIMING === '1';
  for (const probe of probes) {
    printed = [];
    const started = process.hrtime.bigint();
    const r = engine.evaluate(probe.source, `${probe.name}.js`);
    const jobs = engine.runToQuiescence();
    // Errors print as a JSON array [name, message, stack]: the C# side renders the same form.
    const describe = (json) => { const e = JSON.parse(json); return JSON.stringify([e.name, e.message, e.stack]); };
    const outcome = r.error ? `throw ${describe(r.error)}` : `value ${r.json}`;
    lines.push(`${probe.name}\t${outcome}${jobs ? ` jobs-error ${describe(jobs)}` : ''}${printed.length ? ` print ${JSON.stringify(printed)}` : ''}`);
    if (timing) process.stderr.write(`${probe.name} ${ms(started).toFixed(1)}\n`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }
function ms(start) { return Number(process.hrtime.bigint() - start) / 1e6; }

function bench(args) {
  const opt = (name, dflt) => { const at = args.indexOf(name); return at < 0 ? dflt : args[at + 1]; };
  const runs = Number(opt('--runs', '3'));
  const loop = Number(opt('--loop', '3000000'));
  const lockdown = readBundleSource(opt('--lockdown'));
  const supervisor = readBundleSource(opt('--supervisor'));
  const t = { lockdown: [], supervisor: [], loop: [], snapshot: [], restore: [] };
  let snapshotBytes = 0;
  for (let i = 0; i < runs; i++) {
    const engine = new Engine({ output: () => {} });
    let s = process.hrtime.bigint();
    let r = engine.evaluate(lockdown, 'lockdown.js'); engine.runToQuiescence(); t.lockdown.push(ms(s));
    if (r.error) throw new Error(r.error);
    s = process.hrtime.bigint();
    r = engine.evaluate(supervisor, 'supervisor.js'); engine.runToQuiescence(); t.supervisor.push(ms(s));
    if (r.error) throw new Error(r.error);
    s = process.hrtime.bigint();
    r = engine.evaluate(`let n = 0; for (let i = 0; i < ${loop}; i++) { n = (n + i) | 0 } n`, 'loop.js'); t.loop.push(ms(s));
    if (r.error) throw new Error(r.error);
    // A snapshot here is the linear memory with zero pages left out (the shape of the C# engine's format).
    s = process.hrtime.bigint();
    const mem = engine.snapshotMemory();
    const pages = mem.length / 65536; const chunks = []; let bytes = 0;
    for (let p = 0; p < pages; p++) {
      const page = mem.subarray(p * 65536, (p + 1) * 65536);
      if (page.some((b) => b !== 0)) { chunks.push([p, Buffer.from(page)]); bytes += 65536; }
    }
    t.snapshot.push(ms(s)); snapshotBytes = bytes + Math.ceil(pages / 8);
    s = process.hrtime.bigint();
    // Instantiate first: the start function zeroes part of .bss, which the image then overwrites.
    const memory = new WebAssembly.Memory({ initial: pages, maximum: 32768 });
    new WebAssembly.Instance(wasmModule(), { a: { ...engine.imports(), a: memory } });
    const u8 = new Uint8Array(memory.buffer);
    for (const [p, page] of chunks) u8.set(page, p * 65536);
    t.restore.push(ms(s));
  }
  const out = { runs, loop, snapshotBytes };
  for (const [k, v] of Object.entries(t)) out[`${k}Ms`] = median(v);
  process.stdout.write(JSON.stringify(out) + '\n');
}

function main(argv) {
  const [command, ...args] = argv;
  if (command === 'probes') return runProbes(args[0]);
  if (command === 'bench') return bench(args);
  if (command === 'eval') {
    const engine = new Engine();
    bootBundles(engine, args);
    const r = engine.evaluate(fs.readFileSync(args[0], 'utf8'), path.basename(args[0]));
    const jobs = engine.runToQuiescence();
    if (r.error) { process.stderr.write(`error: ${r.error}\n`); process.exitCode = 1; return; }
    if (jobs) { process.stderr.write(`error: ${jobs}\n`); process.exitCode = 1; return; }
    process.stdout.write(`${r.json ?? 'undefined'}\n`);
    return;
  }
  process.stderr.write('usage: node quickjs-host.cjs probes FILE | eval FILE [--lockdown B] [--supervisor B] | bench --lockdown B --supervisor B [--runs N] [--loop N]\n');
  process.exitCode = 2;
}

if (require.main === module) main(process.argv.slice(2));
module.exports = { Engine, parseProbes };
