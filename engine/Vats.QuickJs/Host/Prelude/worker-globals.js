// The globals an xsnap worker provides (print, issueCommand, setImmediate, gc, performance.now,
// currentMeterLimit, resetMeter), installed as non-enumerable, writable, configurable properties.
// `host` carries the engine's native functions; it is not reachable from JavaScript afterwards.
(function (host) {
  'use strict';
  const { create, defineProperty } = Object;
  const { now: dateNow } = Date;
  const toText = String;
  // ToNumber, as XS converts host-function arguments: throws for symbols and BigInts (Number() would not for BigInts).
  const toNumber = (value) => +value;
  const ArrayBufferCtor = ArrayBuffer;
  const { join: arrayJoin, map: arrayMap } = Array.prototype;
  const apply = Reflect.apply;
  const hostPrint = host.print;
  const hostIssueCommand = host.issueCommand;
  const hostSetImmediate = host.setImmediate;
  const hostCurrentMeterLimit = host.currentMeterLimit;
  const hostMeterIndex = host.meterIndex;
  const hostSetMeterLimit = host.setMeterLimit;
  const hostSetMeterIndex = host.setMeterIndex;
  const hostRequestCollection = host.requestCollection;

  function define(name, value) {
    defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }

  define('print', function print(...args) {
    hostPrint(apply(arrayJoin, apply(arrayMap, args, [(arg) => toText(arg)]), [' ']));
  });

  define('issueCommand', function issueCommand(buffer) {
    if (!(buffer instanceof ArrayBufferCtor)) throw new TypeError('expected ArrayBuffer');
    return hostIssueCommand(buffer);
  });

  // As xsnap's: queues callback (called later with `this` undefined and one argument, the third one given here)
  // at the end of the host's macrotask queue, which the host runs one at a time after draining promise jobs; returns
  // a new empty null-prototype timer object, which the queue keeps alive until the callback has run. Nothing is
  // checked now: a callback that is not a function throws when its turn comes. Declared length 1, like xsnap's.
  define('setImmediate', function setImmediate(callback) {
    const handle = create(null);
    hostSetImmediate(callback, arguments.length > 2 ? arguments[2] : undefined, handle);
    return handle;
  });

  // QuickJS exposes no export that runs its collector: it collects when an object is created while its
  // accounted allocation size exceeds a threshold. host.requestCollection() lowers that threshold to zero,
  // so the next object creation collects (and resets the threshold to 1.5x the live size). gc() does
  // this twice because QuickJS queues FinalizationRegistry callbacks for cyclic garbage only at the
  // collection after the one that found it dead.
  define('gc', function gc() {
    hostRequestCollection();
    let trigger = {};
    hostRequestCollection();
    trigger = {};
    return trigger === undefined ? 0 : undefined;
  });

  define('performance', {
    now() {
      return dateNow();
    },
  });

  // The meter: index = fuel the current host operation has used so far (exact, the running call included),
  // limit = that operation's fuel budget (0 = unlimited). Both start afresh with every host operation, as xsnap's
  // per-crank meter does. Declared length 1, like xsnap's.
  define('currentMeterLimit', function currentMeterLimit(_unused) {
    return hostCurrentMeterLimit();
  });

  // xsnap's order: read the index, then convert and set the limit, then convert and set the index (a throwing
  // conversion leaves what follows it unset); returns the index read first.
  define('resetMeter', function resetMeter(newMeterLimit) {
    if (arguments.length < 2) throw new TypeError('expected newMeterLimit, newMeterIndex');
    const index = hostMeterIndex();
    hostSetMeterLimit(toNumber(newMeterLimit));
    hostSetMeterIndex(toNumber(arguments[1]));
    return index;
  });
})
