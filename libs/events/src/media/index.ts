/**
 * Contracts of the media domain: one file per state of `libs/flows/media.asl.json` (its input
 * and output), per stored JSON document and per announced event.
 */
export * from './common';
export * from './validate';
export * from './task';
export * from './metadata';
export * from './probe';
export * from './finalize';
export * from './quarantine';
export * from './media-processed';
export * from './media-rejected';
