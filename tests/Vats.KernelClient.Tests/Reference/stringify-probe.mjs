// Reference for the JSON.stringify-equivalence tests: reads a JSON array of cases on stdin and prints, one
// line per case, what JavaScript's JSON.stringify gives.
//
// Cases carry strings as UTF-16 code-unit arrays and numbers as IEEE bit patterns, so that lone surrogates
// and exact doubles survive the trip from .NET:
//   {"$s": [unit, ...]}  a string          {"$n": "<16 hex digits>"}  a double
// A case is {"value": spec} (stringify the revived value) or {"reparse": spec} (spec revives to JSON text;
// print JSON.stringify(JSON.parse(text))).
const revive = spec => {
  if (Array.isArray(spec)) return spec.map(revive);
  if (spec !== null && typeof spec === 'object') {
    if ('$s' in spec) return String.fromCharCode(...spec.$s);
    if ('$n' in spec) {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, BigInt(`0x${spec.$n}`));
      return view.getFloat64(0);
    }
    return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, revive(v)]));
  }
  return spec;
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const lines = cases.map(c => ('reparse' in c ? JSON.stringify(JSON.parse(revive(c.reparse))) : JSON.stringify(revive(c.value))));
process.stdout.write(`${lines.join('\n')}\n`);
