// Entry of a bundle exercising @agoric/swingset-liveslots under SES.
import { makeLiveSlots, makeMarshaller, insistVatSyscallObject } from '@agoric/swingset-liveslots';

export { Far } from '@endo/far';
export { makeLiveSlots, makeMarshaller, insistVatSyscallObject };
