import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './repo-root.js';

/**
 * s3rver (the npm fake S3 server, a real S3 wire protocol over HTTP) on 127.0.0.1, a free port, and a
 * temporary folder removed on close.
 *
 * It runs in a child process started with `--openssl-legacy-provider`: s3rver 3.7.1 encrypts its
 * ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3 only offers through the legacy
 * provider, so without it every truncated listing fails with HTTP 500. The child also fixes s3rver's
 * delimiter listing (see CHILD_SCRIPT).
 */
export interface S3TestServer {
  /** `http://127.0.0.1:PORT`, for the client's `endpoint` with `forcePathStyle: true`. */
  readonly endpoint: string;
  /** Keys s3rver accepts (it checks SigV4 signatures against them). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  close(): Promise<void>;
}

/** s3rver's built-in account. */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * Starts s3rver with the buckets and directory given in argv, prints `{"port": N}`, and closes when its
 * stdin ends (so it also stops if the test process dies).
 *
 * The fix: s3rver 3.7.1's filesystem store prunes every folder below the first delimiter after the
 * prefix before it has seen the objects in it, so `ListObjectsV2(Prefix 'AWSLogs/', Delimiter '/')`
 * returns no CommonPrefixes when the objects sit deeper (as trail logs always do). The wrapper lists
 * without the delimiter and folds keys into common prefixes the way S3 does. Common prefixes come back
 * in one page (the S3 source only uses delimiters for the few account and region folders); objects page
 * as before.
 */
const CHILD_SCRIPT = `
const S3rver = require('s3rver');
const [directory, bucketList] = process.argv.slice(1);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: JSON.parse(bucketList).map((name) => ({ name })) });
const store = server.store;
const listObjects = store.listObjects.bind(store);
store.listObjects = async (bucket, options) => {
  const delimiter = options.delimiter || '';
  if (delimiter === '') return listObjects(bucket, options);
  const prefix = options.prefix || '';
  const all = await listObjects(bucket, { ...options, delimiter: '', maxKeys: Infinity });
  const commonPrefixes = new Set();
  const objects = [];
  for (const object of all.objects) {
    const at = object.key.indexOf(delimiter, prefix.length);
    if (at === -1) objects.push(object);
    else commonPrefixes.add(object.key.slice(0, at + delimiter.length));
  }
  const maxKeys = options.maxKeys === undefined ? Infinity : options.maxKeys;
  return { objects: objects.slice(0, maxKeys), commonPrefixes: [...commonPrefixes].sort(), isTruncated: objects.length > maxKeys };
};
server.run().then(({ port }) => process.stdout.write(JSON.stringify({ port }) + '\\n'));
process.stdin.resume();
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
`;

/** Starts s3rver holding the named (empty) buckets. */
export async function startS3Server(buckets: readonly string[]): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'lfvaudit-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD_SCRIPT, directory, JSON.stringify(buckets)], {
    cwd: repoRoot(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout }), 'line'), exited.then(() => [undefined])])) as [string | undefined];
  if (line === undefined) throw new Error(`s3rver exited before listening (exit code ${String(child.exitCode)})`);
  const { port } = JSON.parse(line) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials: S3RVER_CREDENTIALS,
    close: async () => {
      child.stdin.end();
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
