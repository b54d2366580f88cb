// The globals an xsnap worker provides (print, issueCommand, setImmediate, gc, performance.now,
// currentMeterLimit, resetMeter), installed as non-enumerable, writable, configurable properties.
// `host` carries the engine's native functions; it is not reachable from JavaScript afterwards.
(function (host) {
  'use strict';
  const { defineProperty } = Object;
  const { now: dateNow } = Date;
  const toText = String;
  const ArrayBufferCtor = ArrayBuffer;
  const { join: arrayJoin, map: arrayMap } = Array.prototype;
  const apply = Reflect.apply;
  const hostPrint = host.print;
  const hostIssueCommand = host.issueCommand;
  const hostSetImmediate = host.setImmediate;
  const hostCurrentMeterLimit = host.currentMeterLimit;
  const hostResetMeter = host.resetMeter;
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

  // Callbacks go to the host's macrotask queue; the host runs one after each drain of the job queue.
  define('setImmediate', function setImmediate(callback, _unused, argument) {
    hostSetImmediate(callback, argument);
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

  define('currentMeterLimit', function currentMeterLimit() {
    return hostCurrentMeterLimit();
  });

  define('resetMeter', function resetMeter(newMeterLimit, newMeterIndex) {
    if (arguments.length < 2) throw new TypeError('expected newMeterLimit, newMeterIndex');
    return hostResetMeter(newMeterLimit, newMeterIndex);
  });
})
