import midDefault, { renamedX, y, setX, srcDefault } from './mid.js';
import * as mid from './mid.js';
export const run = () => { const log = [midDefault, renamedX, y, srcDefault, Object.keys(mid)]; setX('x2'); log.push(midDefault, renamedX, mid.renamedX, mid.default); return log; };
