module.exports = { twice: n => n * 2, label: 'helper' };
