import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { main } from '../../src/cli/main.js';
import type { RuleListing } from '../../src/cli/rule-listing.js';
import { capturedIo } from '../support/captured-io.js';
import { BURST_DETECT_ANOMALIES_RULE, DISTINCT_ADDRESSES_RULE, rootCreateProjectRule, severalMistakesDiagnostics } from '../support/rule-fixtures.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

const root = repoRoot();

/** A temp project: package.json (so config search stops here), the given config, and the given files. */
async function project(t: ExecutionContext, config: string, files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = tempFolder(t, 'rules');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), config);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

/** A valid custom rule whose second test can be made to expect the wrong verdict. */
function customRule(secondExpect: 'match' | 'no-match' = 'no-match'): string {
  return rootCreateProjectRule(
    'custom-root-create-project',
    `  - name: root creating a project
    expect: match
    event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, userIdentity: { type: Root } }
  - name: a role creating a project
    expect: ${secondExpect}
    event: { eventSource: lookoutvision.amazonaws.com, eventName: CreateProject, userIdentity: { type: AssumedRole } }
  - name: root deleting a project is out of scope
    expect: no-match
    event: { eventSource: lookoutvision.amazonaws.com, eventName: DeleteProject, userIdentity: { type: Root } }
`,
  );
}

const CONFIG = `rules:
  paths: [rules]
  disable: [lfv-outdated-tls]
params:
  mfaRequiredActions: [CreateDataset]
`;

test('rules list shows every rule, built-in and custom, with severity, scope, file and why inactive ones do not run', async (t) => {
  const dir = await project(t, CONFIG, { 'rules/custom-root-create-project.yaml': customRule() });
  const io = capturedIo(dir);
  t.is(await main(['rules', 'list'], io), 0, io.err());
  const lines = io.out().split('\n');
  t.regex(lines[0] ?? '', /^ID +SEVERITY +SCOPE +FILE +ACTIVE$/);
  const row = (id: string): string => lines.find((line) => line.startsWith(`${id} `)) ?? '';
  t.regex(row('custom-root-create-project'), /HIGH +lookoutvision\.amazonaws\.com CreateProject +rules\/custom-root-create-project\.yaml +yes$/);
  t.regex(row('lfv-mfa-required'), /HIGH +lookoutvision\.amazonaws\.com CreateDataset +<built-in>\/lfv-mfa-required\.yaml +yes$/);
  t.regex(row('lfv-outdated-tls'), /no: disabled by rules\.disable in the config$/);
  t.regex(row('lfv-source-ip-allowlist'), /no: parameter allowedSourceCidrs is not set/);
  t.regex(io.out(), /\n12 rules, 8 active, 4 inactive\n$/);
});

test('rules list --format json gives one object per rule with the file relative to the working directory', async (t) => {
  const dir = await project(t, CONFIG, { 'rules/custom-root-create-project.yaml': customRule() });
  const io = capturedIo(dir);
  t.is(await main(['rules', 'list', '--format', 'json'], io), 0, io.err());
  const listings = JSON.parse(io.out()) as RuleListing[];
  t.is(listings.length, 12);
  t.deepEqual(
    listings.find((listing) => listing.id === 'custom-root-create-project'),
    {
      id: 'custom-root-create-project',
      severity: 'HIGH',
      eventSource: ['lookoutvision.amazonaws.com'],
      eventName: ['CreateProject'],
      file: 'rules/custom-root-create-project.yaml',
      builtIn: false,
      active: true,
    },
  );
  const disabled = listings.find((listing) => listing.id === 'lfv-outdated-tls');
  t.is(disabled?.active, false);
  t.is(disabled?.inactiveReason, 'disabled by rules.disable in the config');
  t.is(
    listings.find((listing) => listing.id === 'lfv-unapproved-region')?.inactiveReason,
    'parameter allowedRegions is not set (no default, or an empty list)',
  );
});

/** The burst rule, and a copy counting distinct source addresses per hour: the two kinds of threshold. */
const THRESHOLD_RULES = {
  'rules/burst-detect-anomalies.yaml': BURST_DETECT_ANOMALIES_RULE,
  'rules/distinct-addresses.yaml': DISTINCT_ADDRESSES_RULE,
  'rules/custom-root-create-project.yaml': customRule(),
};

test("rules list shows a threshold rule's threshold in its own column, empty for rules without one", async (t) => {
  const dir = await project(t, 'rules: { builtIn: false, paths: [rules] }\n', THRESHOLD_RULES);
  const io = capturedIo(dir);
  t.is(await main(['rules', 'list'], io), 0, io.err());
  const lines = io.out().split('\n');
  t.regex(lines[0] ?? '', /^ID +SEVERITY +SCOPE +THRESHOLD +FILE +ACTIVE$/);
  const row = (id: string): string => lines.find((line) => line.startsWith(`${id} `)) ?? '';
  t.regex(row('burst-detect-anomalies'), / DetectAnomalies +5 within 10m +rules\/burst-detect-anomalies\.yaml +yes$/);
  t.regex(row('distinct-addresses'), / DetectAnomalies +10 distinct sourceIPAddress within 1h +rules\/distinct-addresses\.yaml +yes$/);
  t.regex(row('custom-root-create-project'), / CreateProject {2,}rules\/custom-root-create-project\.yaml +yes$/);
  t.is(row('custom-root-create-project').indexOf('rules/'), row('distinct-addresses').indexOf('rules/'), 'the empty cell keeps the columns aligned');
});

test('rules list --format json gives a threshold rule its count, span and distinct field, and other rules no threshold', async (t) => {
  const dir = await project(t, 'rules: { builtIn: false, paths: [rules] }\n', THRESHOLD_RULES);
  const io = capturedIo(dir);
  t.is(await main(['rules', 'list', '--format', 'json'], io), 0, io.err());
  const thresholds = new Map((JSON.parse(io.out()) as RuleListing[]).map((listing) => [listing.id, listing.threshold]));
  t.deepEqual(
    [...thresholds],
    [
      ['burst-detect-anomalies', { count: 5, within: '10m' }],
      ['custom-root-create-project', undefined],
      ['distinct-addresses', { count: 10, within: '1h', distinct: 'sourceIPAddress' }],
    ],
  );
});

test('rules validate on a clean set exits 0 with a one-line count, and warns about rules that will not run', async (t) => {
  const dir = await project(t, CONFIG, { 'rules/custom-root-create-project.yaml': customRule() });
  const io = capturedIo(dir);
  t.is(await main(['rules', 'validate'], io), 0, io.out());
  const lines = io.out().trim().split('\n');
  t.is(lines.at(-1), '12 rules loaded, 0 errors, 3 warnings');
  t.true(
    lines.some((line) =>
      /lfv-source-ip-allowlist\.yaml: warning inactive-rule: rule lfv-source-ip-allowlist will not run: parameter allowedSourceCidrs is not set/.test(line),
    ),
    io.out(),
  );
});

test('rules validate reports every mistake of a rule file at once, each at its line and column, and exits 2', async (t) => {
  const dir = await project(t, 'rules: { builtIn: false }\n');
  await cp(path.join(root, 'test/fixtures/rules/bad/several-mistakes.yaml'), path.join(dir, 'rules/several-mistakes.yaml'));
  const io = capturedIo(dir);
  t.is(await main(['rules', 'validate', 'rules/several-mistakes.yaml'], io), 2);
  const file = 'rules/several-mistakes.yaml';
  t.deepEqual(io.out().trim().split('\n'), [...severalMistakesDiagnostics(file), '0 rules loaded, 11 errors, 0 warnings']);
});

test('rules validate reports config parameter values that do not fit the rules, and suppressions naming unknown rules', async (t) => {
  const dir = await project(
    t,
    `rules: { paths: [rules] }
params:
  allowedSourceCidrs: [10.0.0.0/8, 300.1.1.0/24]
  mfaRequiredActionz: [CreateDataset]
suppressions:
  - { rule: custom-root-create-projekt, reason: testing, expires: 2099-01-01 }
`,
    { 'rules/custom-root-create-project.yaml': customRule() },
  );
  const io = capturedIo(dir);
  t.is(await main(['rules', 'validate'], io), 2);
  const out = io.out();
  t.regex(
    out,
    /^\.lfvauditrc\.yaml:3:36: error invalid-cidr: params\.allowedSourceCidrs\[1\] .*300\.1\.1\.0\/24.* \(rule lfv-source-ip-allowlist declares it as cidr\[\]\)$/m,
  );
  t.regex(
    out,
    /^\.lfvauditrc\.yaml:4:3: warning unknown-param: params\.mfaRequiredActionz is not read by any loaded rule \(did you mean 'mfaRequiredActions'\?\)/m,
  );
  t.regex(
    out,
    /^\.lfvauditrc\.yaml:6:13: error unknown-rule: suppressions\[0\]\.rule: no loaded rule has the id 'custom-root-create-projekt' \(did you mean 'custom-root-create-project'\?\)$/m,
  );
  t.regex(out, /\n12 rules loaded, 2 errors, 4 warnings\n$/);
});

test('rules test runs the embedded tests of the given files: a runner-style report and exit 0 when all pass', async (t) => {
  const dir = await project(t, 'rules: { builtIn: false }\n', { 'rules/custom-root-create-project.yaml': customRule() });
  const io = capturedIo(dir);
  t.is(await main(['rules', 'test', 'rules'], io), 0, io.err());
  t.is(
    io.out(),
    [
      'custom-root-create-project (rules/custom-root-create-project.yaml)',
      '  ✔ root creating a project',
      '  ✔ a role creating a project',
      '  ✔ root deleting a project is out of scope',
      '',
      '3 passed, 0 failed',
      '',
    ].join('\n'),
  );
});

test('rules test shows a failed test with its position, expected and got, and exits 1', async (t) => {
  const dir = await project(t, 'rules: { builtIn: false }\n', { 'rules/custom-root-create-project.yaml': customRule('match') });
  const io = capturedIo(dir);
  t.is(await main(['rules', 'test', 'rules/custom-root-create-project.yaml'], io), 1, io.err());
  t.is(
    io.out(),
    [
      'custom-root-create-project (rules/custom-root-create-project.yaml)',
      '  ✔ root creating a project',
      '  ✘ a role creating a project',
      '      rules/custom-root-create-project.yaml:17:5: expected match, got no-match',
      '  ✔ root deleting a project is out of scope',
      '',
      '2 passed, 1 failed',
      '',
    ].join('\n'),
  );
});

test('rules test exits 2 without running anything when a rule file does not load', async (t) => {
  const dir = await project(t, 'rules: { builtIn: false }\n');
  await cp(path.join(root, 'test/fixtures/rules/bad/several-mistakes.yaml'), path.join(dir, 'several-mistakes.yaml'));
  const io = capturedIo(dir);
  t.is(await main(['rules', 'test', 'several-mistakes.yaml'], io), 2);
  t.is(io.out(), '');
  t.regex(io.err(), /^several-mistakes\.yaml:1:5: error id-mismatch: /);
  t.regex(io.err(), /no test was run\n$/);
});

test('rules with an unknown subcommand is a usage error with exit 2', async (t) => {
  const dir = await project(t, '{}\n');
  const io = capturedIo(dir);
  t.is(await main(['rules', 'lint'], io), 2);
  t.is(io.err().split('\n')[0], 'lfvaudit rules: unknown subcommand "lint" (did you mean \'list\'?): expected list, validate or test');
});
