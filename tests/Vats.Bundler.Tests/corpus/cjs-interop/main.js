import legacy, { double, name } from './legacy.cjs';
import helper from './helper.cjs';
import { innerName, innerFn } from './passthrough.cjs';
import * as passthrough from './passthrough.cjs';
export const run = () => [double(21), name, legacy.flag, Object.keys(legacy), helper.label, innerName, typeof innerFn, Object.keys(passthrough)];
