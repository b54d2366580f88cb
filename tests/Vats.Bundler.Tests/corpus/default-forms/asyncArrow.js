export default async () => 'async-arrow'
export const after = 'after'
