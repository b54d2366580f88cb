// TextEncoder and TextDecoder (UTF-8 only, as in xsnap), following the WHATWG Encoding Standard:
// lone surrogates encode as U+FFFD, invalid input decodes to U+FFFD per maximal subpart unless fatal.
// The host does the bytes (host.utf8Encode, host.utf8Decode): in JavaScript they cost thousands of wasm
// instructions per byte. QuickJS hands strings to the host NUL-terminated, so a string holding U+0000 is
// encoded here instead.
(function (host) {
  'use strict';
  const hostEncode = host.utf8Encode;
  const hostDecode = host.utf8Decode;
  const { includes } = String.prototype;
  const { subarray } = Uint8Array.prototype;
  const { defineProperty } = Object;
  const apply = Reflect.apply;
  const { charCodeAt } = String.prototype;
  const { toLowerCase, trim } = String.prototype;
  const Uint8ArrayCtor = Uint8Array;
  const ArrayBufferCtor = ArrayBuffer;
  const { isView } = ArrayBuffer;

  function define(name, value) {
    defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }

  // UTF-8 bytes of `input`; returns [bytes, length].
  function encodeUtf8(input) {
    const text = `${input}`;
    const bytes = new Uint8ArrayCtor(text.length * 3);
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      let c = apply(charCodeAt, text, [i]);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = apply(charCodeAt, text, [i + 1]);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      if (c < 0x80) {
        bytes[n++] = c;
      } else if (c < 0x800) {
        bytes[n++] = 0xc0 | (c >> 6);
        bytes[n++] = 0x80 | (c & 0x3f);
      } else if (c < 0x10000) {
        bytes[n++] = 0xe0 | (c >> 12);
        bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[n++] = 0x80 | (c & 0x3f);
      } else {
        bytes[n++] = 0xf0 | (c >> 18);
        bytes[n++] = 0x80 | ((c >> 12) & 0x3f);
        bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[n++] = 0x80 | (c & 0x3f);
      }
    }
    return [bytes, n];
  }

  class TextEncoder {
    get encoding() {
      return 'utf-8';
    }

    encode(input = '') {
      const text = `${input}`;
      if (!apply(includes, text, ['\0'])) return new Uint8ArrayCtor(hostEncode(text));
      const [bytes, n] = encodeUtf8(text);
      return bytes.slice(0, n);
    }

    encodeInto(source, destination) {
      const text = `${source}`;
      let read = 0;
      let written = 0;
      for (let i = 0; i < text.length; ) {
        const c = apply(charCodeAt, text, [i]);
        const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length &&
          apply(charCodeAt, text, [i + 1]) >= 0xdc00 && apply(charCodeAt, text, [i + 1]) <= 0xdfff;
        const units = pair ? 2 : 1;
        const [bytes, n] = encodeUtf8(pair ? text[i] + text[i + 1] : text[i]);
        if (written + n > destination.length) break;
        for (let k = 0; k < n; k++) destination[written + k] = bytes[k];
        written += n;
        read += units;
        i += units;
      }
      return { read, written };
    }
  }

  function toBytes(input) {
    if (input === undefined) return new Uint8ArrayCtor(0);
    if (input instanceof ArrayBufferCtor) return new Uint8ArrayCtor(input);
    if (isView(input)) return new Uint8ArrayCtor(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeError('The "input" argument must be an ArrayBuffer or an ArrayBufferView');
  }

  class TextDecoder {
    #fatal;
    #ignoreBOM;

    constructor(label = 'utf-8', options = {}) {
      const name = apply(toLowerCase, apply(trim, `${label}`, []), []);
      if (name !== 'utf-8' && name !== 'utf8' && name !== 'unicode-1-1-utf-8') {
        throw new RangeError(`The "${label}" encoding is not supported`);
      }
      this.#fatal = !!(options && options.fatal);
      this.#ignoreBOM = !!(options && options.ignoreBOM);
    }

    get encoding() {
      return 'utf-8';
    }

    get fatal() {
      return this.#fatal;
    }

    get ignoreBOM() {
      return this.#ignoreBOM;
    }

    decode(input = undefined) {
      let bytes = toBytes(input);
      if (!this.#ignoreBOM && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = apply(subarray, bytes, [3]);
      }
      const text = hostDecode(bytes, this.#fatal ? 1 : 0);
      if (text === undefined) throw new TypeError('The encoded data was not valid for encoding utf-8');
      return text;
    }
  }

  define('TextEncoder', TextEncoder);
  define('TextDecoder', TextDecoder);
})
