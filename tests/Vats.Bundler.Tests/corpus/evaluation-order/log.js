export const log = [];
log.push('log');
