export default (class {
  static id = 'paren-class'
});
