export default async function namedAsync() { return 'async'; }
