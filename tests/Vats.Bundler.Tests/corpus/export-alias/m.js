let value = 'v1';
function change() { value = 'v2'; }
export { value as a, value as b, value as default, change };
