import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { loadConfig } from '../../src/config/load-config.js';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import { tempFolder } from '../support/temp-folder.js';

async function tempProject(t: ExecutionContext, files: Record<string, string>): Promise<string> {
  const dir = tempFolder(t, 'config');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

test('a project without a config file gets the defaults', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}' });
  const { config, diagnostics } = await loadConfig({ cwd: dir });
  t.deepEqual(diagnostics, []);
  t.is(config?.file, undefined);
  t.true(config?.rules.builtIn);
  t.deepEqual(config?.sinks, [{ type: 'stdout' }]);
  t.is(config?.state.path, path.join(dir, '.lfvaudit/state.json'));
  t.is(config?.state.deliveryLagMinutes, 15);
});

test('.lfvauditrc.yaml is found from a subfolder of the project and its paths resolve against its folder', async (t) => {
  const dir = await tempProject(t, {
    'package.json': '{}',
    '.lfvauditrc.yaml': 'rules:\n  paths: [my-rules]\nsources:\n  - type: file\n    path: logs\nsinks:\n  - type: file\n    path: out/findings.json\n',
    'sub/folder/.keep': '',
  });
  const { config, diagnostics } = await loadConfig({ cwd: path.join(dir, 'sub/folder') });
  t.deepEqual(diagnostics, []);
  t.is(config?.file, path.join(dir, '.lfvauditrc.yaml'));
  t.deepEqual(config?.rules.paths, [path.join(dir, 'my-rules')]);
  t.deepEqual(config?.sources, [{ type: 'file', path: path.join(dir, 'logs') }]);
  t.deepEqual(config?.sinks, [{ type: 'file', path: path.join(dir, 'out/findings.json') }]);
});

test('an unknown key is an error naming the key path and suggesting the nearest valid key', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.yaml': 'sources:\n  - type: file\n    pth: logs\n' });
  const { config, diagnostics } = await loadConfig({ cwd: dir });
  t.is(config, undefined);
  const messages = diagnostics.map(formatDiagnostic);
  t.true(
    messages.some((m) => m.includes('.lfvauditrc.yaml') && m.includes("sources[0].pth: unknown key (did you mean 'path'?)")),
    messages.join('\n'),
  );
});

test('a wrong type is an error naming the key path and the expected type', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.yaml': 'rules:\n  builtIn: "yes"\n' });
  const { diagnostics } = await loadConfig({ cwd: dir });
  t.true(
    diagnostics.some((d) => d.code === 'wrong-type' && d.message.includes('rules.builtIn: expected boolean, got string "yes"')),
    JSON.stringify(diagnostics),
  );
});

test('an unknown source type lists the valid types', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.yaml': 'sources:\n  - type: ftp\n' });
  const { diagnostics } = await loadConfig({ cwd: dir });
  t.true(
    diagnostics.some((d) => d.message.includes('sources[0]') && d.message.includes('file, cloudtrail, s3')),
    JSON.stringify(diagnostics),
  );
});

test('an invalid failOn severity suggests the nearest label', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.yaml': 'failOn: CRITICL\n' });
  const { diagnostics } = await loadConfig({ cwd: dir });
  t.true(
    diagnostics.some((d) => d.message.includes('failOn: "CRITICL" is not one of') && d.message.includes("did you mean 'CRITICAL'?")),
    JSON.stringify(diagnostics),
  );
});

test('a YAML syntax error names the file, line and column', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.yaml': 'rules:\n  paths: [a, b\nsinks: []\n' });
  const { config, diagnostics } = await loadConfig({ cwd: dir });
  t.is(config, undefined);
  t.is(diagnostics[0]?.code, 'yaml-syntax');
  t.is(diagnostics[0]?.file, path.join(dir, '.lfvauditrc.yaml'));
  t.true((diagnostics[0]?.line ?? 0) >= 2);
});

test('custom YAML tags that would run code are rejected', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.yaml': 'params:\n  x: !!js/function "function () { return 1 }"\n' });
  const { config, diagnostics } = await loadConfig({ cwd: dir });
  t.is(config, undefined);
  t.is(diagnostics[0]?.code, 'yaml-tag');
  t.like(diagnostics[0], { line: 2, column: 6 });
});

test('a JavaScript config file is never loaded', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.js': 'throw new Error("config code ran")\n' });
  const { config, diagnostics } = await loadConfig({ cwd: dir });
  t.deepEqual(diagnostics, []);
  t.is(config?.file, undefined);
});

test('--config names a file explicitly, and a missing one is reported', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', 'other.yaml': 'failOn: HIGH\n' });
  t.is((await loadConfig({ cwd: dir, configPath: 'other.yaml' })).config?.failOn, 'HIGH');
  const missing = await loadConfig({ cwd: dir, configPath: 'nope.yaml' });
  t.is(missing.config, undefined);
  t.is(missing.diagnostics[0]?.code, 'config-unreadable');
  t.true(missing.diagnostics[0]?.file.endsWith('nope.yaml'));
});

test('a parameter named __proto__ is rejected and reaches no prototype', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.yaml': 'params:\n  __proto__: { polluted: true }\n' });
  const { config, diagnostics } = await loadConfig({ cwd: dir });
  t.is(config, undefined);
  t.true(
    diagnostics.some((d) => d.message.includes('params')),
    JSON.stringify(diagnostics),
  );
  t.is(({} as Record<string, unknown>)['polluted'], undefined);
});

test('parameters are kept in an object without a prototype', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.yaml': 'params:\n  constructor: [x]\n' });
  const { config } = await loadConfig({ cwd: dir });
  t.is(Object.getPrototypeOf(config?.params), null);
  t.deepEqual(config?.params['constructor'], ['x']);
});

test('the lfvaudit key of package.json is a config', async (t) => {
  const dir = await tempProject(t, { 'package.json': JSON.stringify({ name: 'x', lfvaudit: { failOn: 'LOW' } }) });
  const { config, diagnostics } = await loadConfig({ cwd: dir });
  t.deepEqual(diagnostics, []);
  t.is(config?.failOn, 'LOW');
  t.is(config?.file, path.join(dir, 'package.json'));
});

test('every config mistake carries the line and column of its key, in YAML and JSON files alike', async (t) => {
  const yamlDir = await tempProject(t, {
    'package.json': '{}',
    '.lfvauditrc.yaml': 'rules:\n  builtIn: true\nsources:\n  - type: file\n    pth: logs\nfailOn: HIGHEST\n',
  });
  const fromYaml = (await loadConfig({ cwd: yamlDir })).diagnostics.map(formatDiagnostic);
  t.true(
    fromYaml.some((m) => m.startsWith(`${path.join(yamlDir, '.lfvauditrc.yaml')}:5:5: error unknown-key: sources[0].pth`)),
    fromYaml.join('\n'),
  );
  t.true(
    fromYaml.some((m) => m.startsWith(`${path.join(yamlDir, '.lfvauditrc.yaml')}:6:9: error invalid-value: failOn`)),
    fromYaml.join('\n'),
  );

  const jsonDir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.json': '{\n  "rules": {\n    "builtIn": "yes"\n  }\n}\n' });
  const fromJson = (await loadConfig({ cwd: jsonDir })).diagnostics.map(formatDiagnostic);
  t.deepEqual(fromJson, [`${path.join(jsonDir, '.lfvauditrc.json')}:3:16: error wrong-type: rules.builtIn: expected boolean, got string "yes"`]);
});

test('a mistake under the lfvaudit key of package.json is placed in package.json', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{\n  "name": "x",\n  "lfvaudit": {\n    "failOn": "LOW",\n    "sinkz": []\n  }\n}\n' });
  const messages = (await loadConfig({ cwd: dir })).diagnostics.map(formatDiagnostic);
  t.is(messages.length, 1);
  t.true(
    messages[0]?.startsWith(`${path.join(dir, 'package.json')}:5:5: error unknown-key: lfvaudit.sinkz: unknown key (did you mean 'sinks'?)`),
    messages.join('\n'),
  );
});

test('an empty config file is a config with every default, not an error', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.yaml': '\n# nothing set yet\n' });
  const { config, diagnostics } = await loadConfig({ cwd: dir });
  t.deepEqual(diagnostics, []);
  t.is(config?.file, path.join(dir, '.lfvauditrc.yaml'));
  t.true(config?.rules.builtIn);
});

test('a mistyped or missing sink type is one error, not one per schema branch', async (t) => {
  const dir = await tempProject(t, { 'package.json': '{}', '.lfvauditrc.yaml': 'sinks:\n  - { type: stdot }\n  - { path: x.json }\n' });
  const messages = (await loadConfig({ cwd: dir })).diagnostics.map(formatDiagnostic);
  const file = path.join(dir, '.lfvauditrc.yaml');
  t.deepEqual(messages, [
    `${file}:2:13: error invalid-value: sinks[0].type: "stdot" is not one of file, stdout, securityhub (did you mean 'stdout'?)`,
    `${file}:3:5: error invalid-value: sinks[1]: type must be one of file, stdout, securityhub`,
  ]);
});

test('securityHub.assumeRole is a role ARN with {accountId} in place of the account', async (t) => {
  const good = await tempProject(t, {
    'package.json': '{}',
    '.lfvauditrc.yaml': 'securityHub:\n  assumeRole: arn:aws:iam::{accountId}:role/audit/lfvaudit-import\n',
  });
  const loaded = await loadConfig({ cwd: good });
  t.deepEqual(loaded.diagnostics, []);
  t.is(loaded.config?.securityHub.assumeRole, 'arn:aws:iam::{accountId}:role/audit/lfvaudit-import');
});

test('a securityHub.assumeRole with a fixed account is an error naming the key and showing the expected form', async (t) => {
  const dir = await tempProject(t, {
    'package.json': '{}',
    '.lfvauditrc.yaml': 'securityHub:\n  assumeRole: arn:aws:iam::210987654321:role/lfvaudit-import\n',
  });
  const { config, diagnostics } = await loadConfig({ cwd: dir });
  t.is(config, undefined);
  t.deepEqual(
    diagnostics.map(formatDiagnostic).map((message) => message.slice(message.indexOf('.lfvauditrc.yaml'))),
    [
      '.lfvauditrc.yaml:2:15: error invalid-value: securityHub.assumeRole: string "arn:aws:iam::210987654321:role/lfvaudit-import" does not have the expected form, e.g. arn:aws:iam::{accountId}:role/lfvaudit-import',
    ],
  );
});
