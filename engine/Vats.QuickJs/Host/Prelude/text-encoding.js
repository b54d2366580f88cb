// TextEncoder and TextDecoder (UTF-8 only, as in xsnap), following the WHATWG Encoding Standard:
// lone surrogates encode as U+FFFD, invalid input decodes to U+FFFD per maximal subpart unless fatal.
(function () {
  'use strict';
  const { defineProperty } = Object;
  const { fromCharCode } = String;
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
      const [bytes, n] = encodeUtf8(input);
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
      const bytes = toBytes(input);
      const fatal = this.#fatal;
      let out = '';
      let chunk = [];
      const flush = () => {
        out += apply(fromCharCode, undefined, chunk);
        chunk = [];
      };
      const bad = () => {
        if (fatal) throw new TypeError('The encoded data was not valid for encoding utf-8');
        chunk[chunk.length] = 0xfffd;
      };
      let i = 0;
      if (!this.#ignoreBOM && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
      while (i < bytes.length) {
        const b = bytes[i];
        let need = 0;
        let cp = 0;
        let lower = 0x80;
        let upper = 0xbf;
        if (b < 0x80) {
          chunk[chunk.length] = b;
          i++;
        } else {
          if (b >= 0xc2 && b <= 0xdf) {
            need = 1;
            cp = b & 0x1f;
          } else if (b >= 0xe0 && b <= 0xef) {
            need = 2;
            cp = b & 0x0f;
            if (b === 0xe0) lower = 0xa0;
            if (b === 0xed) upper = 0x9f;
          } else if (b >= 0xf0 && b <= 0xf4) {
            need = 3;
            cp = b & 0x07;
            if (b === 0xf0) lower = 0x90;
            if (b === 0xf4) upper = 0x8f;
          } else {
            bad();
            i++;
            continue;
          }
          i++;
          let ok = true;
          for (let k = 0; k < need; k++) {
            const c = bytes[i];
            if (i >= bytes.length || c < lower || c > upper) {
              ok = false;
              break;
            }
            lower = 0x80;
            upper = 0xbf;
            cp = (cp << 6) | (c & 0x3f);
            i++;
          }
          if (!ok) {
            bad();
          } else if (cp >= 0x10000) {
            cp -= 0x10000;
            chunk[chunk.length] = 0xd800 + (cp >> 10);
            chunk[chunk.length] = 0xdc00 + (cp & 0x3ff);
          } else {
            chunk[chunk.length] = cp;
          }
        }
        if (chunk.length >= 4096) flush();
      }
      flush();
      return out;
    }
  }

  define('TextEncoder', TextEncoder);
  define('TextDecoder', TextDecoder);
})
