// Drives vats-worker with the real @agoric/xsnap parent driver, the way a SwingSet kernel does: xsnap() with
// its `spawn` option pointed at our worker (fds 3/4 for messages, 7/8 for snapshots). Every check runs on its
// own; the last line of stdout is a JSON summary { checks: { name: { ok, ... } } } the NUnit test reads.
//
// usage: node drive.mjs WORKER_EXECUTABLE
import '@endo/init';

import { spawn as nodeSpawn } from 'node:child_process';
import fs from 'node:fs';
import tmp from 'tmp';
import { xsnap, ExitCode, ErrorMessage, METER_TYPE } from '@agoric/xsnap';

const [workerPath] = process.argv.slice(2);
if (!workerPath) {
  console.error('usage: node drive.mjs WORKER_EXECUTABLE');
  process.exit(64);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const workers = new Set();
const checks = {};

/** Our worker in place of xsnap-worker: xsnap's argv and stdio, plus an option that keeps tests off the user's cache. */
function makeSpawn(record) {
  return (bin, args, opts) => {
    record.bin = bin;
    record.args = [...args];
    record.stdio = opts.stdio;
    const child = nodeSpawn(workerPath, [...args, '--no-boot-cache'], opts);
    record.stderr = '';
    child.stderr?.on('data', chunk => {
      record.stderr += chunk.toString('utf8');
    });
    record.exit = new Promise(resolve =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    workers.add(child);
    child.once('exit', () => workers.delete(child));
    return child;
  };
}

/** Starts a worker through xsnap(); `record` collects what the driver passed to spawn and the worker's stderr. */
async function start(name, options = {}) {
  const record = { name };
  const worker = await xsnap({
    os: 'Linux',
    spawn: makeSpawn(record),
    // What SwingSet passes (only used when snapshotUseFs is set).
    fs: { ...fs, ...fs.promises, tmpName: tmp.tmpName },
    name,
    stderr: 'pipe',
    ...options,
  });
  return { worker, record };
}

const bytesOf = text => encoder.encode(text);
const textOf = bytes => decoder.decode(bytes);

async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function* once(bytes) {
  yield bytes;
}

/** The rejection of `promise` as plain data (or a note that it resolved). */
async function rejectionOf(promise) {
  try {
    await promise;
    return { rejected: false };
  } catch (e) {
    return { rejected: true, name: e.name, code: e.code, message: e.message };
  }
}

async function check(name, body) {
  try {
    checks[name] = { ok: true, ...(await body()) };
  } catch (e) {
    checks[name] = { ok: false, error: `${e?.stack || e}` };
  }
}

await check('evaluate', async () => {
  const { worker, record } = await start('v1:evaluate');
  const plain = await worker.evaluate('globalThis.x = 1 + 1;');
  const buffer = await worker.evaluate(
    'new TextEncoder().encode(`x is ${globalThis.x}`).buffer',
  );
  await worker.close();
  return {
    spawnBin: record.bin,
    spawnArgs: record.args,
    stdio: record.stdio,
    plainReplyLength: plain.reply.length,
    meterType: plain.meterUsage.meterType,
    meterKeys: Object.keys(plain.meterUsage),
    compute: plain.meterUsage.compute,
    timestamps: plain.meterUsage.timestamps.length,
    bufferReply: textOf(buffer.reply),
    expectedMeterType: METER_TYPE,
    exit: await record.exit,
  };
});

await check('upcall', async () => {
  const upcalls = [];
  const { worker, record } = await start('v2:upcall', {
    handleCommand: async request => {
      upcalls.push(textOf(request));
      return bytesOf(`REPLY(${textOf(request)})`);
    },
  });
  await worker.evaluate(`
    globalThis.handleCommand = message => {
      const text = new TextDecoder().decode(message);
      const answer = issueCommand(new TextEncoder().encode('up:' + text).buffer);
      return new TextEncoder().encode('got:' + new TextDecoder().decode(answer)).buffer;
    };
  `);
  const stringResult = await worker.issueStringCommand('hello');
  // The report idiom: handleCommand returns an object now and sets its ArrayBuffer result later in the crank.
  await worker.evaluate(`
    globalThis.handleCommand = message => {
      const report = {};
      const text = new TextDecoder().decode(message);
      setImmediate(() => {
        const answer = issueCommand(new TextEncoder().encode('later:' + text).buffer);
        report.result = new TextEncoder().encode('async:' + new TextDecoder().decode(answer)).buffer;
      });
      return report;
    };
  `);
  const bytesResult = await worker.issueCommand(bytesOf('bytes'));
  await worker.close();
  return {
    stringReply: stringResult.reply,
    stringTimestamps: stringResult.meterUsage.timestamps.length,
    bytesReply: textOf(bytesResult.reply),
    bytesTimestamps: bytesResult.meterUsage.timestamps.length,
    upcalls,
    exit: await record.exit,
  };
});

await check('snapshot', async () => {
  const first = await start('v3:snapshot');
  await first.worker.evaluate(`
    globalThis.counter = 41;
    globalThis.handleCommand = () => new TextEncoder().encode('counter ' + (globalThis.counter += 1)).buffer;
  `);
  const snapshot = await collect(first.worker.makeSnapshotStream('v3-1'));
  // fd 7 stays open: a second snapshot of the same (unchanged) worker travels the same way, byte for byte.
  const again = await collect(first.worker.makeSnapshotStream('v3-2'));
  const original = await first.worker.issueStringCommand('go');
  await first.worker.close();

  const second = await start('v3:restored', {
    snapshotStream: once(snapshot),
    snapshotDescription: 'v3-1',
  });
  await second.worker.isReady();
  const restored = await second.worker.issueStringCommand('go');
  const next = await second.worker.issueStringCommand('go');
  await second.worker.close();
  return {
    snapshotBytes: snapshot.length,
    magic: snapshot.subarray(0, 8).toString('latin1'),
    secondSnapshotEqual: Buffer.compare(snapshot, again) === 0,
    originalReply: original.reply,
    restoredReply: restored.reply,
    nextReply: next.reply,
    restoredArgs: second.record.args,
    restoredStdio: second.record.stdio,
    exits: [await first.record.exit, await second.record.exit],
  };
});

await check('snapshotFiles', async () => {
  // xsnap's file mode (snapshotUseFs): `w<temporary path>` and `-r <temporary path>` instead of fds 7 and 8.
  const first = await start('v9:files', { snapshotUseFs: true });
  await first.worker.evaluate(`
    globalThis.counter = 99;
    globalThis.handleCommand = () => new TextEncoder().encode('counter ' + (globalThis.counter += 1)).buffer;
  `);
  const snapshot = await collect(first.worker.makeSnapshotStream('v9-1'));
  await first.worker.close();
  const second = await start('v9:files-restored', {
    snapshotUseFs: true,
    snapshotStream: once(snapshot),
    snapshotDescription: 'v9-1',
  });
  await second.worker.isReady();
  const restored = await second.worker.issueStringCommand('go');
  await second.worker.close();
  return {
    snapshotBytes: snapshot.length,
    magic: snapshot.subarray(0, 8).toString('latin1'),
    restoredReply: restored.reply,
    restoredArgs: second.record.args,
    exits: [await first.record.exit, await second.record.exit],
  };
});

await check('meteringLimit', async () => {
  const { worker, record } = await start('v4:metered', { meteringLimit: 100000 });
  // Parsing alone costs fuel: a short expression stays under the limit, an endless loop does not.
  const small = await worker.evaluate('1');
  const rejection = await rejectionOf(worker.evaluate('for (;;) {}'));
  return {
    spawnArgs: record.args,
    smallCompute: small.meterUsage.compute,
    rejection,
    expectedCode: ExitCode.E_TOO_MUCH_COMPUTATION,
    expectedMessage: `v4:metered exited: ${ErrorMessage[ExitCode.E_TOO_MUCH_COMPUTATION]}`,
    exit: await record.exit,
    stderr: record.stderr,
  };
});

await check('exception', async () => {
  const { worker, record } = await start('v5:throws');
  const thrown = await rejectionOf(worker.evaluate('throw Error("boom")'));
  const after = await worker.evaluate('new TextEncoder().encode("still here").buffer');
  const thrownAgain = await rejectionOf(worker.issueStringCommand('no handler'));
  // The last command threw: xsnap-worker exits 15 at quit, and close() rejects with that code.
  const closed = await rejectionOf(worker.close());
  return {
    thrown,
    after: textOf(after.reply),
    thrownAgain,
    closed,
    exit: await record.exit,
  };
});

await check('setImmediateThrow', async () => {
  const { worker, record } = await start('v6:timer');
  const rejection = await rejectionOf(
    worker.evaluate('setImmediate(() => { throw Error("late"); }); 1'),
  );
  return { rejection, exit: await record.exit, stderr: record.stderr };
});

await check('badSnapshot', async () => {
  // A snapshot whose header is right but whose body is not an engine snapshot: the worker refuses it (exit 2)
  // before it reads a command, and the kernel's isReady() rejects.
  const header = Buffer.alloc(20);
  header.write('VATSWSNP', 0, 'latin1');
  header.writeUInt32LE(1, 8);
  header.writeBigInt64LE(64n, 12);
  const garbage = Buffer.concat([header, Buffer.alloc(64, 0x5a)]);
  const { worker, record } = await start('v8:bad-snapshot', {
    snapshotStream: once(garbage),
    snapshotDescription: 'garbage',
  });
  const rejection = await rejectionOf(worker.isReady());
  return { rejection, exit: await record.exit, stderr: record.stderr };
});

await check('close', async () => {
  const { worker, record } = await start('v7:close');
  await worker.evaluate('1');
  const closed = await rejectionOf(worker.close());
  // Every later command is refused by the driver.
  const later = await rejectionOf(worker.evaluate('1'));
  return { closed, later, exit: await record.exit };
});

for (const child of workers) child.kill('SIGKILL');
console.log(JSON.stringify({ checks }));
// Pipes of killed workers must not hold the event loop open.
process.exit(0);
