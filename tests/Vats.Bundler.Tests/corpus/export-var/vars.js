export var v = 1;
var w = 'w0';
export { w };
export function setAll(x) { v = x; w = x + '!'; }
