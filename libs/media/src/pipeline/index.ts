export { finalizeMedia } from './finalize';
export { quarantineUpload, reasonOf, type QuarantineReason } from './quarantine';
export { putDerived, readOriginal } from './derived';
export { validateUpload } from './validate';
