import { v, C, shadowed, discriminant } from './m.js';
export const run = () => {
  const log = [v, shadowed(), v, C.rename(), typeof C];
  log.push(discriminant(), v);
  return log;
};
