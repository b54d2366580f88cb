// Base64 as xsnap provides it: encode(ArrayBuffer | string) → string, decode(string) → ArrayBuffer.
// Standard alphabet with '=' padding; decode stops at the first '=' and skips characters outside the alphabet.
// The host does the work (host.base64Encode, host.base64Decode), except for a string holding U+0000, which
// QuickJS cannot hand to the host whole.
(function (host) {
  'use strict';
  const hostEncode = host.base64Encode;
  const hostDecode = host.base64Decode;
  const { includes } = String.prototype;
  const { defineProperty } = Object;
  const apply = Reflect.apply;
  const { charCodeAt } = String.prototype;
  const Uint8ArrayCtor = Uint8Array;
  const ArrayBufferCtor = ArrayBuffer;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const values = new Uint8ArrayCtor(128).fill(255);
  for (let i = 0; i < 64; i++) values[apply(charCodeAt, alphabet, [i])] = i;

  function bytesOf(input) {
    if (input instanceof ArrayBufferCtor) return new Uint8ArrayCtor(input);
    if (typeof input === 'string') return new globalThis.TextEncoder().encode(input);
    throw new TypeError('Base64.encode: expected ArrayBuffer or string');
  }

  function encode(input) {
    const bytes = bytesOf(input);
    return hostEncode(bytes);
  }

  function decode(input) {
    const text = `${input}`;
    return apply(includes, text, ['\0']) ? decodeHere(text) : hostDecode(text);
  }

  // For strings holding U+0000, which the host cannot read whole.
  function decodeHere(text) {
    const out = new Uint8ArrayCtor(((text.length + 3) >> 2) * 3);
    let n = 0;
    let bits = 0;
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const c = apply(charCodeAt, text, [i]);
      if (c === 61) break;
      const v = c < 128 ? values[c] : 255;
      if (v === 255) continue;
      bits = (bits << 6) | v;
      count++;
      if (count === 4) {
        out[n++] = (bits >> 16) & 255;
        out[n++] = (bits >> 8) & 255;
        out[n++] = bits & 255;
        bits = 0;
        count = 0;
      }
    }
    if (count === 2) {
      out[n++] = (bits >> 4) & 255;
    } else if (count === 3) {
      out[n++] = (bits >> 10) & 255;
      out[n++] = (bits >> 2) & 255;
    }
    return out.buffer.slice(0, n);
  }

  defineProperty(globalThis, 'Base64', {
    value: { encode, decode },
    writable: true,
    enumerable: false,
    configurable: true,
  });
})
