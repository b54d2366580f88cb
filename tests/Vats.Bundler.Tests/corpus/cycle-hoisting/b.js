import * as a from './a.js';
export const probe = () => {
  try {
    return [a.w, a.v, typeof a.f, a.f()];
  } catch (e) {
    return e.constructor.name;
  }
};
