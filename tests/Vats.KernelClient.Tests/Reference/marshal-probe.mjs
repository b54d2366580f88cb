// Reference for the smallcaps tests: @endo/marshal (smallcaps format), with slots converted as liveslots
// converts them (a p± vref is a promise, anything else a remotable). Reads a JSON object on stdin:
//   {"encode": [jsonText, ...], "decode": [{"body": b, "slots": [...]}, ...]}
// and prints a JSON object:
//   {"encode": [body, ...],
//    "decode": [rendering or "!error: message", ...],
//    "values": {name: {"body": b, "slots": [...], "shown": rendering}, ...}}
// where a rendering follows the display format of Smallcaps.Describe, and "values" are JavaScript values
// (remotables, promises, errors, BigInts, symbols, tagged) that JSON cannot express, serialized by marshal.
import '@endo/init';
import { makeMarshal } from '@endo/marshal';
import { Far, getTag, makeTagged, passStyleOf } from '@endo/pass-style';

const shownSlot = new Map(); // remotable or promise -> { slot, iface }

const show = v => {
  switch (passStyleOf(v)) {
    case 'undefined':
      return 'undefined';
    case 'null':
    case 'boolean':
    case 'number':
    case 'symbol':
    case 'error':
      return String(v);
    case 'bigint':
      return `${v}n`;
    case 'string':
      return JSON.stringify(v);
    case 'copyArray':
      return `[${v.map(show).join(', ')}]`;
    case 'copyRecord':
      return `{${Object.keys(v).map(k => `${JSON.stringify(k)}: ${show(v[k])}`).join(', ')}}`;
    case 'tagged':
      return `makeTagged(${JSON.stringify(getTag(v))}, ${show(v.payload)})`;
    case 'remotable': {
      const { slot, iface } = shownSlot.get(v);
      return iface === undefined ? `[${slot}]` : `[${slot} ${iface}]`;
    }
    case 'promise':
      return `[${shownSlot.get(v).slot} Promise]`;
    default:
      throw Error(`unexpected pass style ${passStyleOf(v)}`);
  }
};

const slotToVal = (slot, iface) => {
  const val = slot.startsWith('p') ? harden(new Promise(() => {})) : Far('presence', {});
  shownSlot.set(val, { slot, iface });
  return val;
};

const valToSlot = new Map();
const remotable = (slot, name) => {
  const val = Far(name, {});
  valToSlot.set(val, slot);
  shownSlot.set(val, { slot, iface: `Alleged: ${name}` });
  return val;
};
const promise = slot => {
  const val = harden(new Promise(() => {}));
  valToSlot.set(val, slot);
  shownSlot.set(val, { slot });
  return val;
};

const { toCapData, fromCapData } = makeMarshal(
  val => valToSlot.get(val),
  slotToVal,
  {
    serializeBodyFormat: 'smallcaps',
    // As liveslots tags sent errors, but without logging them (the log would go to stdout).
    marshalName: 'liveSlots',
    errorIdNum: 70000,
    marshalSaveError: () => {},
  },
);

const counter = remotable('o+1', 'counter');
const purse = remotable('o-5', 'purse');
const brand = remotable('o-6', 'brand');
const device = remotable('d-70', 'device');
const result = promise('p-61');

const values = {
  integer: 1,
  string: 'hello',
  specialStrings: ['!', '#undefined', '$0', '%x', '&1', '+1', '-1', "'", '(', ')', '*', ',', '"', '.', ''],
  undefined,
  numbers: [NaN, Infinity, -Infinity, -0, 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324],
  bigints: [10n, -5n, 0n, 123456789012345678901234567890n],
  symbols: [Symbol.asyncIterator, Symbol.iterator, Symbol.for('foo'), Symbol.for('@@bar'), Symbol.for('')],
  counter,
  promise: result,
  repeated: [counter, result, counter, result],
  nested: { purse, amount: { brand, value: 10n }, device },
  error: Error('boom'),
  nestedErrors: [harden(TypeError('bad type')), harden(RangeError('')), harden(Error('line\nbreak'))],
  tagged: makeTagged('copySet', harden([1, 2])),
  record: { b: 1, a: '!x', 1: 2, 10: 3, 2: 4, '#k': 5, '': 6, '%s': 7, é: 8 },
  empties: [[], {}, ''],
  unicode: ['ünï', '\u2028\u2029', '\ud800', '\udc00x', '😀', '<&>\'+', '\u0000\u001f\u007f'],
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const out = {
  encode: input.encode.map(text => toCapData(harden(JSON.parse(text))).body),
  decode: input.decode.map(({ body, slots }) => {
    try {
      return show(fromCapData(harden({ body, slots })));
    } catch (e) {
      return `!error: ${e.message}`;
    }
  }),
  values: Object.fromEntries(
    Object.entries(values).map(([name, v]) => {
      const capData = toCapData(harden(v));
      return [name, { ...capData, shown: show(fromCapData(capData)) }];
    }),
  ),
};
process.stdout.write(JSON.stringify(out));
