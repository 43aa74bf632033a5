/**
 * `slipway stack`: a stack trace of a deployed Lambda, decoded back to TypeScript (issue 17).
 *
 * The zips carry no source map and Lambda runs without `--enable-source-maps` (the map was ~75 %
 * of a zip and the flag cost init time on every cold start), so a trace from CloudWatch names
 * `handler.js:1:<column>` of the minified bundle. The map sits beside the zip instead:
 * `dist/apps/<lambda>/<lambda>.js.map` in a checkout (the `package` target writes it) and
 * `<env>/<lambda>/<hex sha256 of the zip>.js.map` in the artifact bucket (publish-artifacts
 * uploads it), found from the `CodeSha256` Lambda reports for the deployed function. Positions are
 * looked up with `@jridgewell/trace-mapping`; the enclosing function's name comes from the
 * original source the map carries (`sourcesContent`), parsed with TypeScript, since a minified
 * frame's own name (`at Xe`) says nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  originalPositionFor,
  sourceContentFor,
  TraceMap,
  type EncodedSourceMap,
} from '@jridgewell/trace-mapping';
import { artifactBucketName, sha256Hex, sourceMapKey } from '@slipway/manifest';
import ts from 'typescript';
import {
  FunctionNotDeployedError,
  InvalidSourceMapError,
  NoStackFramesError,
  SourceMapMismatchError,
  SourceMapNotFoundError,
  UsageError,
} from './errors';

/** Options of `slipway stack`. */
export interface StackOptions {
  /** The Lambda's project name (`apps/<lambda>`), e.g. `edge-authorizer`. */
  lambda: string;
  /** A source map file to use as it is. */
  map?: string;
  /** The environment whose deployed function's map is wanted (a key of environments.json). */
  environment?: string;
  /** The artifact bucket; default `<namePrefix>-artifacts-<accountId>` of the environment. */
  bucket?: string;
}

/** Where a map came from, for the line printed on stderr. */
export interface LoadedSourceMap {
  map: TraceMap;
  /** A file path (relative to the checkout) or an `s3://` URL. */
  from: string;
  /**
   * Folder the map's `sources` are relative to, from the checkout's root: `dist/apps/<lambda>`,
   * where `package` writes the map (and the map in the bucket is that very file).
   */
  base: string;
}

/** The clients the bucket path uses (tests pass mocked ones). */
export interface StackClients {
  lambda?: LambdaClient;
  s3?: S3Client;
}

interface Environments {
  namePrefix: string;
  environments: Record<string, { accountId: string; region: string }>;
}

/**
 * Loads the map that decodes `lambda`'s traces: `--map` as given; else, with `--environment`,
 * the deployed function's (its `CodeSha256` from Lambda GetFunction): this checkout's
 * `dist/apps/<lambda>/<lambda>.js.map` when this checkout's zip is that code, otherwise the one
 * published beside the zip in the artifact bucket; else this checkout's map.
 *
 * @throws {SourceMapNotFoundError} naming every place it looked and what to do.
 * @throws {FunctionNotDeployedError} when the environment has no such function.
 * @throws {InvalidSourceMapError} when the file is not a source map.
 */
export async function loadSourceMap(
  options: StackOptions,
  root: string,
  clients: StackClients = {},
): Promise<LoadedSourceMap> {
  const base = posix.join('dist/apps', options.lambda);
  const local = join(root, base, `${options.lambda}.js.map`);
  const shownLocal = relative(root, local);
  if (options.map) {
    if (!existsSync(options.map))
      throw new SourceMapNotFoundError(
        `--map ${options.map} does not exist: give the path of the <lambda>.js.map that package wrote beside the zip, or drop --map to use ${shownLocal}.`,
      );
    return {
      map: parseMap(readFileSync(options.map, 'utf8'), options.map),
      from: options.map,
      base,
    };
  }
  if (!options.environment) {
    if (!existsSync(local))
      throw new SourceMapNotFoundError(
        `no source map for ${options.lambda}: --map not given and ${shownLocal} does not exist. ` +
          `Package it (npx nx run ${options.lambda}:package) at the commit that is deployed, or pass ` +
          '--environment <env> to fetch the deployed function’s map from the artifact bucket.',
      );
    return { map: parseMap(readFileSync(local, 'utf8'), shownLocal), from: shownLocal, base };
  }
  const target = deployedTarget(root, options.environment);
  const functionName = `${target.namePrefix}-${options.environment}-${options.lambda}`;
  const codeSha256 = await deployedCodeSha256(
    clients.lambda ?? new LambdaClient({ region: target.region }),
    functionName,
    `${options.environment} (${target.region})`,
  );
  const localSha = join(root, base, `${options.lambda}.zip.sha256`);
  if (
    existsSync(local) &&
    existsSync(localSha) &&
    readFileSync(localSha, 'utf8').trim() === codeSha256
  )
    return { map: parseMap(readFileSync(local, 'utf8'), shownLocal), from: shownLocal, base };
  const bucket = options.bucket ?? target.bucket;
  const key = sourceMapKey(options.environment, options.lambda, codeSha256);
  const url = `s3://${bucket}/${key}`;
  const text = await getObjectText(
    clients.s3 ?? new S3Client({ region: target.region }),
    bucket,
    key,
  );
  if (text === undefined)
    throw new SourceMapNotFoundError(
      `no source map for ${functionName} (CodeSha256 ${codeSha256}): ${url} does not exist, and ` +
        `${shownLocal} ${existsSync(local) ? 'is from another build (its zip.sha256 differs)' : 'does not exist'}. ` +
        'The code was published before maps were, or not by publish-artifacts: check out the deployed ' +
        `commit, package it (npx nx run ${options.lambda}:package; the zip is reproducible, so its ` +
        `sha256 must equal ${codeSha256}) and pass --map ${shownLocal}.`,
    );
  return { map: parseMap(text, url), from: url, base };
}

/** The environment's name prefix, region and default artifact bucket (terraform/stacks/environments.json). */
function deployedTarget(root: string, environment: string) {
  const file = join(root, 'terraform/stacks/environments.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Environments;
  const env = config.environments[environment];
  if (!env)
    throw new UsageError(
      `--environment ${environment} is not in ${relative(root, file)}: give one of ${Object.keys(config.environments).join(', ')}.`,
    );
  return {
    namePrefix: config.namePrefix,
    region: env.region,
    bucket: artifactBucketName(config.namePrefix, env.accountId),
  };
}

async function deployedCodeSha256(
  lambda: LambdaClient,
  functionName: string,
  where: string,
): Promise<string> {
  try {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    const sha = fn.Configuration?.CodeSha256;
    if (!sha) throw new FunctionNotDeployedError(functionName, where, 'it reports no CodeSha256');
    sha256Hex(sha); // a CodeSha256 is base64 SHA-256 (API_FunctionConfiguration); check before keying by it
    return sha;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException')
      throw new FunctionNotDeployedError(functionName, where, 'Lambda has no such function', {
        cause: error,
      });
    throw error;
  }
}

/** The object's text, or undefined when the key does not exist. */
async function getObjectText(s3: S3Client, bucket: string, key: string) {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await object.Body!.transformToString('utf8');
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

function parseMap(text: string, from: string): TraceMap {
  let raw: EncodedSourceMap;
  try {
    raw = JSON.parse(text) as EncodedSourceMap;
  } catch (error) {
    throw new InvalidSourceMapError(from, `it is not JSON (${(error as Error).message})`);
  }
  if (raw?.version !== 3 || typeof raw.mappings !== 'string' || !Array.isArray(raw.sources))
    throw new InvalidSourceMapError(from, 'it has no version 3, mappings and sources');
  return new TraceMap(raw);
}

/** One `handler.js:<line>:<column>` frame mapped back to its source. */
export interface MappedFrame {
  /** Path from the checkout's root, e.g. `libs/edge/src/authorize.ts`. */
  source: string;
  line: number;
  /** 1-based, as V8 prints columns. */
  column: number;
  /** The enclosing function in the source (`Class.method`, `<anonymous>`, `<top level>`), if known. */
  functionName?: string;
}

/** A path to the bundle's entry followed by `:<line>:<column>`, as V8 prints a frame's position. */
const FRAME_POSITION = /(?:[\w.:/\\-]*[/\\])?handler\.js:(\d+):(\d+)/g;
/** A whole V8 frame line whose position is in the bundle: `at name (…handler.js:L:C)` or `at …handler.js:L:C`. */
const FRAME_LINE =
  /^(\s*at )(?:(?:async )?[^()]*? \()?((?:[\w.:/\\-]*[/\\])?handler\.js:\d+:\d+)\)?\s*$/;

/**
 * Decodes positions in the bundle with one map. Function names come from the map's
 * `sourcesContent`, each source parsed once.
 */
export class StackDecoder {
  private readonly parsed = new Map<string, ts.SourceFile | null>();
  /** How many frames were mapped so far. */
  mapped = 0;

  constructor(
    private readonly loaded: Pick<LoadedSourceMap, 'map' | 'from' | 'base'>,
    private readonly lambda: string,
  ) {}

  /**
   * Maps one position (line 1-based, column 1-based as V8 prints them).
   *
   * @throws {SourceMapMismatchError} when the map has no mapping there: it is not the map of
   *   the code that printed the trace.
   */
  frame(line: number, column: number): MappedFrame {
    const found = originalPositionFor(this.loaded.map, { line, column: column - 1 });
    if (found.source === null)
      throw new SourceMapMismatchError(
        this.lambda,
        `handler.js:${line}:${column}`,
        this.loaded.from,
      );
    this.mapped++;
    const source = posix.normalize(posix.join(this.loaded.base, found.source));
    const functionName =
      this.enclosingFunction(found.source, found.line, found.column) ?? found.name ?? undefined;
    return {
      source,
      line: found.line,
      column: found.column + 1,
      ...(functionName ? { functionName } : {}),
    };
  }

  /** `source:line:column (functionName)` of a position. */
  format(line: number, column: number): string {
    const f = this.frame(line, column);
    return `${f.source}:${f.line}:${f.column}${f.functionName ? ` (${f.functionName})` : ''}`;
  }

  /**
   * Text with every bundle frame decoded. A V8 frame line becomes `    at <source>:L:C (name)`;
   * any other `handler.js:L:C` (a Powertools `location`, a message) is replaced in place. A line
   * holding JSON (a Powertools log, the runtime's `Invoke Error` line) is replaced by the stacks
   * and locations it holds, one frame per line.
   */
  decodeText(text: string): string {
    return text
      .split('\n')
      .map((line) => this.decodeJsonLine(line) ?? this.decodeLine(line))
      .join('\n');
  }

  private decodeLine(line: string): string {
    const frame = FRAME_LINE.exec(line);
    if (frame) {
      const [, at, position] = frame as unknown as [string, string, string];
      return `${at}${position.replace(FRAME_POSITION, (_m, l: string, c: string) => this.format(Number(l), Number(c)))}`;
    }
    return line.replace(FRAME_POSITION, (_m, l: string, c: string) =>
      this.format(Number(l), Number(c)),
    );
  }

  /** The stacks in a line that ends with a JSON object, decoded; undefined when there is none. */
  private decodeJsonLine(line: string): string | undefined {
    const start = line.indexOf('{');
    if (start < 0 || !line.slice(start).includes('handler.js:')) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line.slice(start));
    } catch {
      return undefined;
    }
    const out: string[] = [];
    const prefix = line.slice(0, start).trim();
    if (prefix) out.push(prefix);
    const visit = (node: unknown, path: string) => {
      if (Array.isArray(node)) {
        if (path.endsWith('stack') && node.every((x) => typeof x === 'string')) {
          out.push(...node.map((l: string) => this.decodeLine(l)));
          return;
        }
        node.forEach((child, i) => visit(child, `${path}[${i}]`));
      } else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) visit(v, path ? `${path}.${k}` : k);
      } else if (typeof node === 'string' && node.includes('handler.js:')) {
        if (path.endsWith('stack')) out.push(...node.split('\n').map((l) => this.decodeLine(l)));
        else out.push(`${path}: ${this.decodeLine(node)}`);
      }
    };
    visit(value, '');
    return out.join('\n');
  }

  /** The innermost function around a position of a source, from the map's sourcesContent. */
  private enclosingFunction(source: string, line: number, column: number): string | undefined {
    if (!this.parsed.has(source)) {
      const text = sourceContentFor(this.loaded.map, source);
      this.parsed.set(
        source,
        text === null
          ? null
          : ts.createSourceFile(source, text, ts.ScriptTarget.Latest, true, scriptKind(source)),
      );
    }
    const file = this.parsed.get(source);
    if (!file) return undefined;
    const lines = file.getLineStarts();
    if (line - 1 >= lines.length) return undefined;
    const pos = file.getPositionOfLineAndCharacter(line - 1, column);
    let inner: ts.Node | undefined;
    const visit = (node: ts.Node) => {
      if (pos < node.getStart(file) || pos >= node.getEnd()) return;
      if (ts.isFunctionLike(node) && 'body' in node && node.body) inner = node;
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(file, visit);
    return inner ? functionName(inner) : '<top level>';
  }
}

function scriptKind(source: string): ts.ScriptKind {
  if (/\.tsx$/.test(source)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(source)) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

/** The name V8 would print for a function node: `name`, `Class.method`, `new Class`, `<anonymous>`. */
function functionName(node: ts.Node): string {
  const own = (node as ts.FunctionLikeDeclaration).name;
  const ownName =
    own && (ts.isIdentifier(own) || ts.isPrivateIdentifier(own)) ? own.text : undefined;
  const parent = node.parent;
  const className = (n: ts.Node | undefined) =>
    n && (ts.isClassDeclaration(n) || ts.isClassExpression(n)) ? n.name?.text : undefined;
  if (ts.isConstructorDeclaration(node)) return `new ${className(parent) ?? '<anonymous>'}`;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) {
    const owner = className(parent);
    return owner && ownName ? `${owner}.${ownName}` : (ownName ?? '<anonymous>');
  }
  if (ownName) return ownName;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name))
    return parent.name.text;
  if (parent && (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) {
    const key = ts.isIdentifier(parent.name) ? parent.name.text : undefined;
    const owner = ts.isPropertyDeclaration(parent) ? className(parent.parent) : undefined;
    if (key) return owner ? `${owner}.${key}` : key;
  }
  return '<anonymous>';
}

/**
 * Decodes a trace (or log lines holding one) read from stdin.
 *
 * @throws {NoStackFramesError} when the input names no `handler.js:<line>:<column>` frame.
 * @throws {SourceMapMismatchError} when a frame is outside the map.
 * @example
 * const loaded = await loadSourceMap({ lambda: 'edge-authorizer' }, process.cwd());
 * decodeStack(trace, loaded, 'edge-authorizer');
 * // 'Error: boom\n    at libs/edge/src/authorize.ts:42:11 (authorize)'
 */
export function decodeStack(
  input: string,
  loaded: Pick<LoadedSourceMap, 'map' | 'from' | 'base'>,
  lambda: string,
): string {
  const decoder = new StackDecoder(loaded, lambda);
  const text = decoder.decodeText(input.replace(/\r\n/g, '\n'));
  if (decoder.mapped === 0) throw new NoStackFramesError(lambda);
  return text;
}
