import asyncArrow, { after } from './asyncArrow.js';
import viaReexport, { cls, clsAgain } from './reexportDefault.js';
import expr, { later } from './exprDefault.js';
import * as re from './reexportDefault.js';
export const run = () => [asyncArrow.name, after, viaReexport === asyncArrow, cls.id, cls.name, cls === clsAgain, expr, later, Object.keys(re)];
