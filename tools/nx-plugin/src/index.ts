export {
  createNodesV2,
  createDependencies,
  lambdaTargets,
  terraformTargets,
  terraformProjectName,
} from './plugin';
export { writeDeterministicZip, type ZipEntry, type ZipResult } from './lib/zip';
export {
  BUNDLE_SOURCE_MAP,
  packageLambda,
  packageFiles,
  type PackageListing,
} from './lib/package-lambda';
export { installRuntimeDependencies } from './lib/runtime-deps';
export {
  DEV_CODE_RULES,
  devInputsOf,
  duplicatePackagesOf,
  type DuplicatePackage,
  type BundleMetafile,
  type DevInput,
} from './lib/bundle-inputs';
