export let v = 'module';

// Assignments to locals that shadow the export leave it alone.
export function shadowed() {
  const out = [];
  (function (v) { v = 'param'; out.push(v); })('p');
  { let v = 'block'; v += '!'; out.push(v); }
  try { throw new Error('e'); } catch (v) { v = 'catch'; out.push(v); }
  for (let v of ['loop']) { v += '!'; out.push(v); }
  const arrow = v => ((v = 'arrow'), v);
  out.push(arrow());
  const named = function v() {
    try { v = 'renamed'; } catch (e) { return e.constructor.name; }
    return 'assigned';
  };
  out.push(named());
  const { v: destructured } = { v: 'declared' };
  out.push(destructured);
  (() => { var v; [v] = ['var']; out.push(v); })();
  return out;
}

export class C {
  // Inside its body a class's name is a constant of its own.
  static rename() {
    try { C = null; } catch (e) { return e.constructor.name; }
    return 'renamed';
  }
}

// A switch's discriminant is outside the scope of its body.
export function discriminant() {
  switch (v = 'from the discriminant') {
    case 'from the discriminant':
      let v = 'body';
      return v;
    default:
      return 'no';
  }
}
