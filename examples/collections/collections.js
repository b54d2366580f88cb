// A vat with virtual and durable state: accounts are objects of a durable kind, kept in a durable map in the
// vat's baggage, so they live in the vatstore (the kernel's key-value store for this vat, reached through
// syscalls), not in the JavaScript heap. `open(name)` creates an account, `deposit(name, amount)` and
// `balance(name)` use it, and `names()` lists the map's keys in order. A virtual (non-durable) set remembers
// which names were ever opened in this incarnation.
import { Far } from '@endo/far';

const provide = (baggage, key, make) => {
  if (!baggage.has(key)) baggage.init(key, make());
  return baggage.get(key);
};

export function buildRootObject(_vatPowers, _vatParameters, baggage) {
  const { defineDurableKind, makeKindHandle, makeScalarBigMapStore, makeScalarBigSetStore } = VatData;
  const accounts = provide(baggage, 'accounts', () => makeScalarBigMapStore('accounts', { durable: true }));
  const accountKind = provide(baggage, 'accountKind', () => makeKindHandle('Account'));
  const makeAccount = defineDurableKind(accountKind, (owner) => ({ owner, balance: 0 }), {
    deposit({ state }, amount) {
      if (typeof amount !== 'number' || amount <= 0) throw TypeError('a deposit is a positive number');
      state.balance += amount;
      return state.balance;
    },
    balance({ state }) {
      return state.balance;
    },
  });
  const openedHere = makeScalarBigSetStore('openedHere');

  return Far('bank', {
    open(name) {
      if (accounts.has(name)) throw Error(`account ${name} exists`);
      accounts.init(name, makeAccount(name));
      openedHere.add(name);
      return name;
    },
    deposit(name, amount) {
      return accounts.get(name).deposit(amount);
    },
    balance(name) {
      return accounts.get(name).balance();
    },
    names() {
      return [...accounts.keys()];
    },
    openedInThisIncarnation() {
      return [...openedHere.keys()];
    },
  });
}
