export * from './a.js';
export * from './b.js';
export const shared = 'local-wins';
import * as self from './main.js';
export default 'main-default';
export const run = () => [Object.keys(self), self.a, self.b, self.shared, self.default, 'dup' in self];
