export { finalizeMedia, MANIFEST_NAME, roleOf } from './finalize';
export { QUARANTINE_PREFIX, quarantineUpload, reasonOf, type QuarantineReason } from './quarantine';
export { putDerived, readOriginal } from './derived';
