import data from './data.json' with { type: 'json' };
export const run = () => [data, Object.keys(data)];
