'use strict';
// V8 side of the Vats.Wasm benchmark: runs the same QuickJS wasm as the C# harness, with hand-written
// deterministic imports (no emscripten glue), evaluates the same JS loop several times and prints one JSON
// object on stdout: startup timings, per-repetition timings in milliseconds and the loop's result.
//
// usage: node v8-quickjs-loop.cjs --wasm PATH --source JS --repetitions R --warmup W
const fs = require('fs');

function parseArgs(argv) {
  const opts = { wasm: null, source: null, repetitions: 5, warmup: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opts) || i + 1 >= argv.length) throw new Error(`unknown or incomplete option ${argv[i]}`);
    opts[key] = key === 'wasm' || key === 'source' ? argv[i + 1] : Number(argv[i + 1]);
  }
  if (!opts.wasm || !opts.source) throw new Error('--wasm PATH and --source JS are required');
  return opts;
}

// Minified export names of the pinned build, as in tests/Vats.Wasm.Tests/TestSupport/QuickJsExports.cs.
const E = {
  ctors: 'u', malloc: 'v', free: 'M', NewRuntime: 'K', SetMaxStackSize: 'D', NewContext: 'N',
  FreeValuePointer: 'P', ResolveException: 'na', Dump: 'oa', FreeCString: 'S', Eval: 'pa', GetFloat64: 'Z',
};

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const bytes = fs.readFileSync(opts.wasm);
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 32768 });
  const u8 = () => new Uint8Array(memory.buffer);
  const dv = () => new DataView(memory.buffer);
  const readC = (p) => { const m = u8(); let e = p; while (m[e]) e++; return Buffer.from(m.subarray(p, e)).toString('utf8'); };
  const trap = (m) => { throw new WebAssembly.RuntimeError(m); };
  const heapCapBytes = 1024 * 1024 * 1024;

  const imports = {
    a: memory,
    b: (c, f, l) => trap(`assertion failed: ${readC(c)} at ${readC(f)}:${l}`),
    c: (fd, iov, n, pnum) => { let t = 0; for (let i = 0; i < n; i++) t += dv().getUint32(iov + 8 * i + 4, true); dv().setUint32(pnum, t, true); return 0; },
    d: () => 52,
    e: () => 0,
    f: (pc, ps) => { dv().setUint32(pc, 0, true); dv().setUint32(ps, 0, true); return 0; },
    g: () => 0, h: () => 0, i: () => 0, j: () => 0,
    k: (req) => {
      req >>>= 0;
      const cur = memory.buffer.byteLength;
      if (req <= cur) return 1;
      if (req > heapCapBytes) return 0;
      try { memory.grow(Math.ceil((req - cur) / 65536)); return 1; } catch { return 0; }
    },
    l: () => {},
    m: (t, tm) => {
      const d = new Date(Number(t) * 1000);
      const yday = Math.floor((d - Date.UTC(d.getUTCFullYear(), 0, 1)) / 864e5);
      [d.getUTCSeconds(), d.getUTCMinutes(), d.getUTCHours(), d.getUTCDate(), d.getUTCMonth(), d.getUTCFullYear() - 1900, d.getUTCDay(), yday, 0, 0]
        .forEach((v, i) => dv().setInt32(tm + 4 * i, v, true));
    },
    n: (tz, dl, s, d) => { dv().setUint32(tz, 0, true); dv().setInt32(dl, 0, true); u8().set([85, 84, 67, 0], s); u8().set([85, 84, 67, 0], d); },
    o: () => 70,
    p: () => 1700000000000,
    q: () => trap('abort'),
    r: (code) => trap(`exit ${code}`),
    s: () => trap('no host functions are registered in this benchmark'),
    t: () => {},
  };

  let t0 = process.hrtime.bigint();
  const module = new WebAssembly.Module(bytes);
  const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
  t0 = process.hrtime.bigint();
  const X = new WebAssembly.Instance(module, { a: imports }).exports;
  X[E.ctors]();
  const instantiateMs = Number(process.hrtime.bigint() - t0) / 1e6;

  const rt = X[E.NewRuntime]();
  X[E.SetMaxStackSize](rt, 256 * 1024);
  const ctx = X[E.NewContext](rt, 0);
  const cstr = (s) => { const b = Buffer.from(s, 'utf8'); const p = X[E.malloc](b.length + 1); u8().set(b, p); u8()[p + b.length] = 0; return [p, b.length]; };

  function evalLoop() {
    const [code, len] = cstr(opts.source);
    const [file] = cstr('bench.js');
    const box = X[E.Eval](ctx, code, len, file, 0, 0);
    X[E.free](code); X[E.free](file);
    const err = X[E.ResolveException](ctx, box);
    if (err) {
      const d = X[E.Dump](ctx, err); const text = readC(d); X[E.FreeCString](ctx, d);
      throw new Error(`QuickJS threw: ${text}`);
    }
    const value = X[E.GetFloat64](ctx, box);
    X[E.FreeValuePointer](ctx, box);
    return value;
  }

  let value = null;
  for (let i = 0; i < opts.warmup; i++) value = evalLoop();
  const timesMs = [];
  for (let i = 0; i < opts.repetitions; i++) {
    t0 = process.hrtime.bigint();
    value = evalLoop();
    timesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  process.stdout.write(JSON.stringify({ engine: `V8 ${process.versions.v8}`, compileMs, instantiateMs, timesMs, value }) + '\n');
}

try {
  main();
} catch (e) {
  process.stderr.write(`v8-quickjs-loop: ${e && e.stack || e}\n`);
  process.exitCode = 1;
}
