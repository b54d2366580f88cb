// Entry of the worker's lockdown bundle: installs a console, SES (lockdown, harden,
// Compartment) and the eventual-send shim (HandledPromise), without locking down;
// the worker calls lockdown() itself.
import './console-shim.js';
import 'ses';
import '@endo/eventual-send/shim.js';
