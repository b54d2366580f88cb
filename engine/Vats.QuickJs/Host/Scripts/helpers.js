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
  return { toJson, describeError, fromJson, bytesOf };
})
