const base = 20
export default base
  + 1
  * 2
let later = 'later'
later += '!'
export { later }
