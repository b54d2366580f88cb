// Host-side helpers: evaluated once per engine, kept by the host, never installed as globals.
// The engine uses them to turn results into JSON text and thrown values into (name, message, stack).
(function () {
  'use strict';
  const { stringify, parse } = JSON;
  const toText = String;
  function safeText(value) {
    if (value === undefined) return '';
    try {
      return toText(value);
    } catch {
      return '';
    }
  }
  function toJson(value) {
    try {
      return stringify(value);
    } catch {
      // BigInt and cyclic values have no JSON form: fall back to their string form.
      try {
        return stringify(toText(value));
      } catch {
        return undefined;
      }
    }
  }
  function describeError(error) {
    let name = '';
    let message = '';
    let stack = '';
    if ((typeof error === 'object' && error !== null) || typeof error === 'function') {
      try { name = safeText(error.name); } catch { /* a throwing getter leaves it empty */ }
      try { message = safeText(error.message); } catch { /* ditto */ }
      try { stack = safeText(error.stack); } catch { /* ditto */ }
    } else {
      message = safeText(error);
    }
    return stringify({ name, message, stack });
  }
  function fromJson(text) {
    return parse(text);
  }
  const ArrayBufferCtor = ArrayBuffer;
  const { isView } = ArrayBuffer;
  const { slice: sliceBuffer } = ArrayBuffer.prototype;
  function bytesOf(value) {
    if (value instanceof ArrayBufferCtor) return value;
    if (isView(value)) return Reflect.apply(sliceBuffer, value.buffer, [value.byteOffset, value.byteOffset + value.byteLength]);
    throw new TypeError('expected an ArrayBuffer, a typed array or a DataView');
  }
  // xsnap's reply rule for a command (`e`, `?`): the value itself, or its `result` property when it is an object
  // that has one (inherited or own, proxies asked as `in` asks them); the reply is that value's bytes when it is an
  // ArrayBuffer, and empty otherwise. The ArrayBuffer check uses the byteLength getter, which SES cannot replace.
  const byteLength = Reflect.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
  function replyOf(value) {
    try {
      let reply = value;
      if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
        if ('result' in value) reply = value.result;
      }
      Reflect.apply(byteLength, reply, []);
      return reply;
    } catch {
      // Not an ArrayBuffer, or a proxy trap or getter threw: an empty reply.
      return undefined;
    }
  }
  // String(exception), the text of xsnap's `!` reply; what String() cannot convert is described by its type.
  function errorText(error) {
    try {
      return toText(error);
    } catch {
      return `(a thrown ${typeof error} that has no string form)`;
    }
  }
  return { toJson, describeError, fromJson, bytesOf, replyOf, errorText };
})
