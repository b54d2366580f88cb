// Repairs that SES (the lockdown bundle) needs from this QuickJS build. Runs before any other code.
(function () {
  'use strict';
  const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, hasOwn } = Object;

  // Iterator.prototype's `constructor` and @@toStringTag are accessors (ES2025 "weird setters").
  // SES's tameFauxDataProperty turns them into data properties only if they behave exactly as the
  // spec says; QuickJS's fail its probes (the @@toStringTag getter throws "not an object" for an
  // undefined receiver, both setters throw for a null-prototype object), and lockdown then throws.
  // Redefine both spec-shaped: a getter returning the constant and SetterThatIgnoresPrototypeProperties.
  const IteratorPrototype = getPrototypeOf(getPrototypeOf([][Symbol.iterator]()));
  function setterIgnoringPrototype(home, key) {
    return {
      set [key](value) {
        if ((typeof this !== 'object' || this === null) && typeof this !== 'function') {
          throw new TypeError('Iterator.prototype setter called on a non-object');
        }
        if (this === home) throw new TypeError(`Cannot assign to read only property of Iterator.prototype`);
        if (!hasOwn(this, key)) {
          defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
        } else {
          this[key] = value;
        }
      },
    };
  }
  function repair(key, value) {
    const current = getOwnPropertyDescriptor(IteratorPrototype, key);
    if (current === undefined || !('get' in current)) return;
    const getter = getOwnPropertyDescriptor({ get [key]() { return value; } }, key).get;
    const setter = getOwnPropertyDescriptor(setterIgnoringPrototype(IteratorPrototype, key), key).set;
    defineProperty(IteratorPrototype, key, { get: getter, set: setter, enumerable: false, configurable: true });
  }
  if (typeof globalThis.Iterator === 'function') {
    repair('constructor', globalThis.Iterator);
    repair(Symbol.toStringTag, 'Iterator');
  }
})
