import { posix } from 'node:path';

/** Where the synthesized stacks are written, relative to the workspace root. */
export const SYNTH_DIR = 'terraform/stacks/cdktf.out';
/** A stack's folder relative to the workspace root. */
export const stackDir = (stack: string) => `${SYNTH_DIR}/stacks/${stack}`;

/**
 * Source path of a governed module as seen from a synthesized stack folder. The Nx plugin
 * reads `moduleSource('<name>')` calls to link the stacks project to the modules it uses.
 */
export function moduleSource(name: string, stack: string): string {
  return posix.relative(stackDir(stack), `terraform/modules/${name}`);
}
