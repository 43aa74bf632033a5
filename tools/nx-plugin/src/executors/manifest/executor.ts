import { resolve } from 'node:path';
import { logger, type ExecutorContext } from '@nx/devkit';
import { EDGE_SCHEMAS } from '@slipway/events';
import { loadManifest, loadManifests, SUPPORTED_INTENTS } from '@slipway/manifest';

/**
 * Validates a Lambda manifest so that `build` fails on a bad one with a message naming the
 * file, the field, the value and the allowed range, then checks the HTTP routes of every
 * manifest together (a route another Lambda already declares, a schema name that does not
 * exist, a jwt route without an authorizer). Permission intents are checked for form here and
 * compiled against each environment's resources when the stacks synthesize.
 */
export default async function manifestExecutor(
  options: { manifest: string },
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    const manifest = loadManifest(resolve(context.root, options.manifest), context.root);
    loadManifests(context.root, EDGE_SCHEMAS);
    logger.info(
      `${options.manifest}: ${manifest.name} (${manifest.memory} MB, ${manifest.timeout} s) is valid`,
    );
    return { success: true };
  } catch (error) {
    logger.error((error as Error).message);
    logger.error(`Permission intents this version understands: ${SUPPORTED_INTENTS.join(', ')}`);
    return { success: false };
  }
}
