(modules) => {
  'use strict';
  // Runtime for nestedEvaluate bundles: instantiates each module record, links imports
  // to exports through notifier/updater pairs (so bindings stay live), and returns the
  // namespace of the entry module, which is always the last record.
  const { create, freeze, defineProperty, keys } = Object;
  const { toStringTag } = Symbol;
  const ModuleMap = Map;
  const instances = [];

  const sealNamespace = (namespace, getters) => {
    for (const name of keys(getters).sort()) {
      defineProperty(namespace, name, {
        get: getters[name],
        set: undefined,
        enumerable: true,
        configurable: false,
      });
    }
    defineProperty(namespace, toStringTag, { value: 'Module' });
    freeze(namespace);
  };

  const makeBinding = name => {
    let value;
    let initialized = false;
    const updaters = [];
    const get = () => {
      if (!initialized) {
        throw ReferenceError(`Cannot access '${name}' before initialization`);
      }
      return value;
    };
    const update = newValue => {
      value = newValue;
      initialized = true;
      for (const updater of updaters) updater(newValue);
    };
    const notify = updater => {
      updaters.push(updater);
      if (initialized) updater(value);
    };
    return { get, update, notify };
  };

  const makeEsm = record => {
    const deps = new ModuleMap(record.deps);
    const notifiers = create(null);
    const getters = create(null);
    const liveVar = create(null);
    const bindings = create(null);
    for (const [exportName, localName] of record.live) {
      let binding = bindings[localName];
      if (!binding) {
        binding = makeBinding(exportName);
        bindings[localName] = binding;
        liveVar[localName] = binding.update;
      }
      notifiers[exportName] = binding.notify;
      getters[exportName] = binding.get;
    }
    const reexportMap = new ModuleMap(record.reexportMap);
    const namespace = create(null);
    notifiers['*'] = updater => updater(namespace);
    let linked = false;

    const forward = (exportName, notify) => {
      if (notifiers[exportName] || !notify) return;
      notifiers[exportName] = notify;
      const binding = makeBinding(exportName);
      notify(binding.update);
      getters[exportName] = binding.get;
    };

    const dependency = specifier => {
      const index = deps.get(specifier);
      if (index === undefined) throw Error(`Cannot find module '${specifier}'`);
      return instances[index];
    };

    const imports = entries => {
      const candidates = create(null);
      for (const [specifier, importUpdaters] of entries) {
        const dep = dependency(specifier);
        dep.execute();
        for (const [importName, updaters] of importUpdaters) {
          const notify = dep.notifiers[importName];
          if (!notify) {
            throw SyntaxError(
              `The requested module '${specifier}' does not provide an export named '${importName}'`,
            );
          }
          for (const updater of updaters) notify(updater);
        }
        for (const [importName, exportName] of reexportMap.get(specifier) || []) {
          const notify = dep.notifiers[importName];
          if (!notify) {
            throw SyntaxError(
              `The requested module '${specifier}' does not provide an export named '${importName}'`,
            );
          }
          forward(exportName, notify);
        }
        if (record.star.includes(specifier)) {
          for (const name of keys(dep.notifiers)) {
            if (name === '*' || name === 'default') continue;
            const notify = dep.notifiers[name];
            if (candidates[name] === undefined) candidates[name] = notify;
            else if (candidates[name] !== notify) candidates[name] = false;
          }
        }
      }
      for (const name of keys(candidates)) forward(name, candidates[name]);
      sealNamespace(namespace, getters);
      linked = true;
    };

    let state = 'new';
    let failure;
    const execute = () => {
      if (state === 'done') return;
      if (state === 'failed') throw failure;
      if (state === 'running') return;
      state = 'running';
      try {
        record.functor(
          freeze({
            imports: freeze(imports),
            liveVar: freeze(liveVar),
            onceVar: freeze(liveVar),
            import: undefined,
            importMeta: {},
          }),
        );
      } catch (error) {
        state = 'failed';
        failure = error;
        throw error;
      }
      if (!linked) imports([]);
      state = 'done';
    };
    return { notifiers, execute, namespace, value: () => namespace };
  };

  const makeFixed = (values, namespace) => {
    const notifiers = create(null);
    const getters = create(null);
    for (const name of keys(values)) {
      const value = values[name];
      notifiers[name] = updater => updater(value);
      getters[name] = () => value;
    }
    notifiers['*'] = updater => updater(namespace);
    sealNamespace(namespace, getters);
    return notifiers;
  };

  const makeCjs = record => {
    const deps = new ModuleMap(record.deps);
    const namespace = create(null);
    const instance = { notifiers: create(null), namespace };
    const module = { exports: {} };
    let state = 'new';
    const require = specifier => {
      const index = deps.get(specifier);
      if (index === undefined) throw Error(`Cannot find module '${specifier}'`);
      const dep = instances[index];
      dep.execute();
      return dep.value();
    };
    instance.value = () => module.exports;
    instance.execute = () => {
      if (state !== 'new') return;
      state = 'running';
      record.functor.call(module.exports, require, module.exports, module, undefined, undefined);
      state = 'done';
      const exported = module.exports;
      // Named exports are the names found statically, as Node's CommonJS lexer finds them
      // and as the archive format must list them; values are read after execution.
      const values = create(null);
      if (exported !== null && (typeof exported === 'object' || typeof exported === 'function')) {
        for (const name of record.names) values[name] = exported[name];
      }
      values.default = exported;
      instance.notifiers = makeFixed(values, namespace);
    };
    return instance;
  };

  const makeJson = record => {
    const namespace = create(null);
    const notifiers = makeFixed({ default: record.value }, namespace);
    return { notifiers, namespace, execute: () => {}, value: () => record.value };
  };

  for (const record of modules) {
    if (record.kind === 'esm') instances.push(makeEsm(record));
    else if (record.kind === 'cjs') instances.push(makeCjs(record));
    else instances.push(makeJson(record));
  }
  const entry = instances[instances.length - 1];
  entry.execute();
  return entry.namespace;
}
