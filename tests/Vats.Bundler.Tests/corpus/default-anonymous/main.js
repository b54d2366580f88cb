import fn from './fn.js';
import Cls from './cls.js';
import arrow from './arrow.js';
import obj from './obj.js';
import gen from './gen.js';
import namedAsync from './named.js';
export const run = () => [fn(), fn.name, new Cls().hi(), Cls.name, arrow(2, 3), arrow.name, obj, [...gen()], gen.name, namedAsync.name, typeof namedAsync];
