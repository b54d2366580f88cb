exports.innerName = 'inner';
exports.innerFn = function innerFn() { return this === exports; };
