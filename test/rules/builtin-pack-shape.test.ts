/**
 * The rule pack's meta-rules, checked on the YAML files themselves so that they hold without the
 * loader: ids, required keys, ASFF severities and types, scope, parameters, embedded tests and the
 * records they point at, and the documentation. The loader's tests execute the embedded tests.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import test from 'ava';
import { load } from 'js-yaml';
import { SEVERITY_LABELS } from '../../src/ruleset/rule.js';
import { repoRoot } from '../support/repo-root.js';

type Mapping = Readonly<Record<string, unknown>>;

/** The 22 API operations, plus the permission-only trial-detection actions that also appear in CloudTrail. */
const LOOKOUT_FOR_VISION_OPERATIONS: ReadonlySet<string> = new Set([
  'CreateDataset',
  'DeleteDataset',
  'DescribeDataset',
  'ListDatasetEntries',
  'UpdateDatasetEntries',
  'CreateModel',
  'DeleteModel',
  'DescribeModel',
  'ListModels',
  'StartModel',
  'StopModel',
  'CreateProject',
  'DeleteProject',
  'DescribeProject',
  'ListProjects',
  'StartModelPackagingJob',
  'DescribeModelPackagingJob',
  'ListModelPackagingJobs',
  'DetectAnomalies',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'StartTrialDetection',
  'ListTrialDetections',
  'DescribeTrialDetection',
]);
const LOOKOUT_FOR_VISION_SOURCE = 'lookoutvision.amazonaws.com';
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-type-taxonomy.html
const ASFF_NAMESPACES: ReadonlySet<string> = new Set([
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
]);
const PARAM_TYPES: ReadonlySet<string> = new Set(['string', 'string[]', 'number', 'boolean', 'cidr[]']);
const REQUIRED_KEYS = ['id', 'title', 'description', 'severity', 'types', 'remediation', 'scope', 'conditions', 'tests'];
/** Fields CloudTrail always writes as strings, which a YAML author easily turns into numbers (`"123456789012"`, `"1"`). */
const STRING_FIELDS = ['recipientAccountId', 'userIdentity.accountId', 'userIdentity.principalId', 'requestParameters.modelVersion'];

interface RuleFile {
  readonly file: string;
  /** The file name without `.yaml`. */
  readonly name: string;
  readonly text: string;
  /** The parsed document, or {} when it is not a mapping (the parse test reports why). */
  readonly rule: Mapping;
  readonly parseError?: string;
}

interface RuleTestCase {
  readonly rule: RuleFile;
  readonly index: number;
  readonly test: Mapping;
  readonly label: string;
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, key: string): unknown {
  return isMapping(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function at(value: unknown, dottedPath: string): unknown {
  return dottedPath.split('.').reduce<unknown>((current, key) => field(current, key), value);
}

function stringsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function readRuleFiles(folder: string): RuleFile[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((fileName) => {
      const file = join(folder, fileName);
      const text = readFileSync(file, 'utf8');
      const name = fileName.slice(0, -'.yaml'.length);
      try {
        const parsed = load(text, { filename: file, maxAliases: 0 });
        return isMapping(parsed) ? { file, name, text, rule: parsed } : { file, name, text, rule: {}, parseError: 'the document is not a mapping' };
      } catch (error) {
        return { file, name, text, rule: {}, parseError: String(error) };
      }
    });
}

function testCasesOf(rule: RuleFile): RuleTestCase[] {
  const tests = field(rule.rule, 'tests');
  if (!Array.isArray(tests)) return [];
  return tests.map((item: unknown, index) => {
    const testCase = isMapping(item) ? item : {};
    const name = field(testCase, 'name');
    return { rule, index, test: testCase, label: `${rule.name}: test ${index + 1} (${typeof name === 'string' ? name : 'unnamed'})` };
  });
}

/** The record a test feeds the rule: its inline `event`, or the JSON file `eventFile` names (relative to the rule). */
function eventOf(testCase: RuleTestCase): { readonly event?: unknown; readonly problem?: string } {
  const inline = field(testCase.test, 'event');
  if (inline !== undefined) return { event: inline };
  const eventFile = field(testCase.test, 'eventFile');
  if (typeof eventFile !== 'string') return { problem: 'has neither event nor eventFile' };
  const path = resolve(dirname(testCase.rule.file), eventFile);
  if (!existsSync(path)) return { problem: `eventFile ${eventFile} does not exist` };
  try {
    return { event: JSON.parse(readFileSync(path, 'utf8')) as unknown };
  } catch (error) {
    return { problem: `eventFile ${eventFile} is not JSON: ${String(error)}` };
  }
}

/** Comparisons in a condition tree (all / any / not nest; anything else is a leaf). */
function leavesOf(condition: unknown): Mapping[] {
  if (!isMapping(condition)) return [];
  for (const key of ['all', 'any']) {
    const children = field(condition, key);
    if (Array.isArray(children)) return children.flatMap((child: unknown) => leavesOf(child));
  }
  const negated = field(condition, 'not');
  if (negated !== undefined) return leavesOf(negated);
  return [condition];
}

function paramReference(value: unknown): string | undefined {
  const param = field(value, 'param');
  return typeof param === 'string' ? param : undefined;
}

function paramsReadBy(rule: Mapping): Set<string> {
  const read = new Set<string>();
  const fromScope = paramReference(at(rule, 'scope.eventName'));
  if (fromScope !== undefined) read.add(fromScope);
  for (const leaf of leavesOf(field(rule, 'conditions'))) {
    const param = paramReference(field(leaf, 'value'));
    if (param !== undefined) read.add(param);
  }
  return read;
}

function declaredParams(rule: Mapping): Map<string, Mapping> {
  const params = field(rule, 'params');
  const declared = new Map<string, Mapping>();
  if (isMapping(params)) for (const [name, declaration] of Object.entries(params)) declared.set(name, isMapping(declaration) ? declaration : {});
  return declared;
}

/** Every event name a rule compares against: scope lists, literal eventName values, and the lists of the params that stand for them. */
function eventNamesNamedBy(rule: RuleFile): string[] {
  const names: string[] = [];
  const eventNameParams = new Set<string>();
  const scopeNames = at(rule.rule, 'scope.eventName');
  names.push(...stringsIn(scopeNames));
  const scopeParam = paramReference(scopeNames);
  if (scopeParam !== undefined) eventNameParams.add(scopeParam);
  for (const leaf of leavesOf(field(rule.rule, 'conditions'))) {
    if (field(leaf, 'fact') !== 'eventName') continue;
    const value = field(leaf, 'value');
    const param = paramReference(value);
    if (param !== undefined) eventNameParams.add(param);
    else if (typeof value === 'string') names.push(value);
    else names.push(...stringsIn(value));
  }
  const declared = declaredParams(rule.rule);
  for (const param of eventNameParams) {
    names.push(...stringsIn(field(declared.get(param), 'default')));
    for (const testCase of testCasesOf(rule)) names.push(...stringsIn(field(field(testCase.test, 'params'), param)));
  }
  return names;
}

/** `## <id>` sections of a Markdown file, by id. */
function sectionsOf(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const chunk of markdown.split(/^## /m).slice(1)) {
    const newline = chunk.indexOf('\n');
    sections.set(chunk.slice(0, newline === -1 ? undefined : newline).trim(), chunk);
  }
  return sections;
}

const builtInPack = {
  label: 'built-in pack',
  schemaComment: '# yaml-language-server: $schema=../schema/rule.schema.json',
  rules: readRuleFiles(join(repoRoot(), 'rules')),
};
const examplePack = {
  label: 'example rules',
  schemaComment: '# yaml-language-server: $schema=../../schema/rule.schema.json',
  rules: readRuleFiles(join(repoRoot(), 'examples', 'rules')),
};

test('the built-in pack holds rules', (t) => {
  t.true(builtInPack.rules.length >= 10);
});

test('the examples hold a custom rule for Lookout for Vision and one for another service', (t) => {
  const sources = examplePack.rules.flatMap((rule) => stringsIn(at(rule.rule, 'scope.eventSource')));
  t.true(sources.includes(LOOKOUT_FOR_VISION_SOURCE));
  t.true(sources.some((source) => source !== LOOKOUT_FOR_VISION_SOURCE));
});

for (const pack of [builtInPack, examplePack]) {
  test(`${pack.label}: every rule file parses as a YAML mapping`, (t) => {
    t.deepEqual(
      pack.rules.filter((rule) => rule.parseError !== undefined).map((rule) => `${rule.name}: ${rule.parseError}`),
      [],
    );
  });

  test(`${pack.label}: every rule file starts with the schema comment for editors`, (t) => {
    t.deepEqual(
      pack.rules.filter((rule) => rule.text.split('\n', 1)[0] !== pack.schemaComment).map((rule) => rule.name),
      [],
    );
  });

  test(`${pack.label}: every rule's id equals its file name and is lowercase words joined by dashes`, (t) => {
    const problems = pack.rules
      .filter((rule) => field(rule.rule, 'id') !== rule.name || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.name))
      .map((rule) => `${rule.name}: id ${JSON.stringify(field(rule.rule, 'id'))}`);
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: every rule has the required keys`, (t) => {
    const problems = pack.rules.flatMap((rule) => [
      ...REQUIRED_KEYS.filter((key) => field(rule.rule, key) === undefined).map((key) => `${rule.name}: no ${key}`),
      ...(typeof at(rule.rule, 'remediation.text') === 'string' ? [] : [`${rule.name}: no remediation.text`]),
      ...(typeof field(rule.rule, 'description') === 'string' ? [] : [`${rule.name}: description is not text`]),
    ]);
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: every title is text of at most 200 characters`, (t) => {
    const problems = pack.rules
      .filter((rule) => {
        const title = field(rule.rule, 'title');
        return typeof title !== 'string' || title.trim() === '' || title.length > 200;
      })
      .map((rule) => rule.name);
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: every severity is an ASFF severity label`, (t) => {
    const labels: readonly unknown[] = SEVERITY_LABELS;
    t.deepEqual(
      pack.rules.filter((rule) => !labels.includes(field(rule.rule, 'severity'))).map((rule) => rule.name),
      [],
    );
  });

  test(`${pack.label}: every type is namespace/category/classifier with an ASFF namespace`, (t) => {
    const problems = pack.rules.flatMap((rule) => {
      const types = field(rule.rule, 'types');
      if (!Array.isArray(types) || types.length < 1 || types.length > 50) return [`${rule.name}: types must be a list of 1 to 50`];
      return types
        .filter((type: unknown) => {
          if (typeof type !== 'string') return true;
          const parts = type.split('/');
          return parts.length !== 3 || parts.some((part) => part.trim() === '') || !ASFF_NAMESPACES.has(parts[0] ?? '');
        })
        .map((type: unknown) => `${rule.name}: ${JSON.stringify(type)}`);
    });
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: every remediation url is an https link to AWS`, (t) => {
    const problems = pack.rules
      .filter((rule) => {
        const url = at(rule.rule, 'remediation.url');
        if (typeof url !== 'string' || !URL.canParse(url)) return true;
        const { protocol, hostname } = new URL(url);
        return protocol !== 'https:' || !['docs.aws.amazon.com', 'aws.amazon.com'].includes(hostname);
      })
      .map((rule) => `${rule.name}: ${JSON.stringify(at(rule.rule, 'remediation.url'))}`);
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: every parameter a rule reads is declared, and every declared one is read`, (t) => {
    const problems = pack.rules.flatMap((rule) => {
      const read = paramsReadBy(rule.rule);
      const declared = declaredParams(rule.rule);
      return [
        ...[...read].filter((param) => !declared.has(param)).map((param) => `${rule.name}: reads undeclared ${param}`),
        ...[...declared.keys()].filter((param) => !read.has(param)).map((param) => `${rule.name}: declares unused ${param}`),
      ];
    });
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: every parameter declaration has a known type, a description, and a list default for list types`, (t) => {
    const problems = pack.rules.flatMap((rule) =>
      [...declaredParams(rule.rule)].flatMap(([param, declaration]) => {
        const type = field(declaration, 'type');
        const issues: string[] = [];
        if (typeof type !== 'string' || !PARAM_TYPES.has(type)) issues.push(`type ${JSON.stringify(type)}`);
        if (typeof field(declaration, 'description') !== 'string') issues.push('no description');
        const defaultValue = field(declaration, 'default');
        if (
          typeof type === 'string' &&
          type.endsWith('[]') &&
          defaultValue !== undefined &&
          (!Array.isArray(defaultValue) || stringsIn(defaultValue).length !== defaultValue.length)
        ) {
          issues.push('default is not a list of strings');
        }
        return issues.map((issue) => `${rule.name}: ${param}: ${issue}`);
      }),
    );
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: every test has a name, an expectation, and exactly one of event or eventFile`, (t) => {
    const problems = pack.rules.flatMap(testCasesOf).flatMap((testCase) => {
      const issues: string[] = [];
      const name = field(testCase.test, 'name');
      if (typeof name !== 'string' || name.trim() === '') issues.push('no name');
      if (!['match', 'no-match'].includes(String(field(testCase.test, 'expect')))) issues.push('expect is not match or no-match');
      if ((field(testCase.test, 'event') === undefined) === (field(testCase.test, 'eventFile') === undefined))
        issues.push('needs exactly one of event and eventFile');
      return issues.map((issue) => `${testCase.label}: ${issue}`);
    });
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: every rule has at least one match and one no-match test`, (t) => {
    const problems = pack.rules.filter((rule) => {
      const expectations = testCasesOf(rule).map((testCase) => field(testCase.test, 'expect'));
      return !expectations.includes('match') || !expectations.includes('no-match');
    });
    t.deepEqual(
      problems.map((rule) => rule.name),
      [],
    );
  });

  test(`${pack.label}: every test's event is a record: an inline mapping or an existing JSON file holding one`, (t) => {
    const problems = pack.rules.flatMap(testCasesOf).flatMap((testCase) => {
      const { event, problem } = eventOf(testCase);
      if (problem !== undefined) return [`${testCase.label}: ${problem}`];
      return isMapping(event) ? [] : [`${testCase.label}: the event is not an object`];
    });
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: test events write account ids, principal ids and model versions as strings, as CloudTrail does`, (t) => {
    const problems = pack.rules.flatMap(testCasesOf).flatMap((testCase) => {
      const { event } = eventOf(testCase);
      return STRING_FIELDS.filter((path) => {
        const value = at(event, path);
        return value !== undefined && value !== null && typeof value !== 'string';
      }).map((path) => `${testCase.label}: ${path} is ${JSON.stringify(at(event, path))}, not a string`);
    });
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: tests set only declared parameters, and every parameter without a default`, (t) => {
    const problems = pack.rules.flatMap((rule) => {
      const declared = declaredParams(rule.rule);
      const required = [...declared].filter(([, declaration]) => field(declaration, 'default') === undefined).map(([param]) => param);
      return testCasesOf(rule).flatMap((testCase) => {
        const params = field(testCase.test, 'params');
        const set = isMapping(params) ? Object.keys(params) : [];
        return [
          ...set.filter((param) => !declared.has(param)).map((param) => `${testCase.label}: sets undeclared ${param}`),
          // Without it the rule is inactive and the test would pass or fail for the wrong reason.
          ...required.filter((param) => !set.includes(param)).map((param) => `${testCase.label}: leaves ${param} unset`),
        ];
      });
    });
    t.deepEqual(problems, []);
  });

  test(`${pack.label}: test events from Lookout for Vision name real Lookout for Vision operations`, (t) => {
    const problems = pack.rules.flatMap(testCasesOf).flatMap((testCase) => {
      const { event } = eventOf(testCase);
      const eventName = field(event, 'eventName');
      if (field(event, 'eventSource') !== LOOKOUT_FOR_VISION_SOURCE || (typeof eventName === 'string' && LOOKOUT_FOR_VISION_OPERATIONS.has(eventName)))
        return [];
      return [`${testCase.label}: ${JSON.stringify(eventName)}`];
    });
    t.deepEqual(problems, []);
  });
}

test('built-in pack: every rule is scoped to exactly the Lookout for Vision event source', (t) => {
  const problems = builtInPack.rules.filter((rule) => {
    const sources = at(rule.rule, 'scope.eventSource');
    return !Array.isArray(sources) || sources.length !== 1 || sources[0] !== LOOKOUT_FOR_VISION_SOURCE;
  });
  t.deepEqual(
    problems.map((rule) => rule.name),
    [],
  );
});

test('built-in pack: every event name a rule compares against is a real Lookout for Vision operation', (t) => {
  const problems = builtInPack.rules.flatMap((rule) =>
    eventNamesNamedBy(rule)
      .filter((name) => !LOOKOUT_FOR_VISION_OPERATIONS.has(name))
      .map((name) => `${rule.name}: ${name}`),
  );
  t.deepEqual(problems, []);
});

test('built-in pack: every rule has at least two match and two no-match tests', (t) => {
  const problems = builtInPack.rules.filter((rule) => {
    const expectations = testCasesOf(rule).map((testCase) => field(testCase.test, 'expect'));
    return expectations.filter((expect) => expect === 'match').length < 2 || expectations.filter((expect) => expect === 'no-match').length < 2;
  });
  t.deepEqual(
    problems.map((rule) => rule.name),
    [],
  );
});

test("built-in pack: every rule has a match test that checks the finding's severity and resources", (t) => {
  const problems = builtInPack.rules.filter(
    (rule) =>
      !testCasesOf(rule).some((testCase) => {
        const finding = field(testCase.test, 'finding');
        return (
          field(testCase.test, 'expect') === 'match' &&
          field(finding, 'severity') === field(rule.rule, 'severity') &&
          stringsIn(field(finding, 'resources')).length > 0
        );
      }),
  );
  t.deepEqual(
    problems.map((rule) => rule.name),
    [],
  );
});

test('built-in pack: every expected finding severity is the severity of its rule', (t) => {
  const problems = builtInPack.rules.flatMap(testCasesOf).filter((testCase) => {
    const severity = field(field(testCase.test, 'finding'), 'severity');
    return severity !== undefined && severity !== field(testCase.rule.rule, 'severity');
  });
  t.deepEqual(
    problems.map((testCase) => testCase.label),
    [],
  );
});

test('built-in pack: the root rule shows that an event from another service is out of scope', (t) => {
  const root = builtInPack.rules.find((rule) => rule.name === 'lfv-root-credentials');
  const otherServiceNoMatch =
    root !== undefined &&
    testCasesOf(root).some((testCase) => {
      const { event } = eventOf(testCase);
      return (
        field(testCase.test, 'expect') === 'no-match' &&
        typeof field(event, 'eventSource') === 'string' &&
        field(event, 'eventSource') !== LOOKOUT_FOR_VISION_SOURCE
      );
    });
  t.true(otherServiceNoMatch);
});

test('docs/builtin-rules.md documents every built-in rule, with its severity and parameters, and no other', (t) => {
  const sections = sectionsOf(readFileSync(join(repoRoot(), 'docs', 'builtin-rules.md'), 'utf8'));
  const problems = builtInPack.rules.flatMap((rule) => {
    const section = sections.get(rule.name);
    if (section === undefined) return [`${rule.name}: no "## ${rule.name}" section`];
    const severity = String(field(rule.rule, 'severity'));
    return [
      ...(section.includes(`**Severity:** ${severity}`) ? [] : [`${rule.name}: severity ${severity} not stated`]),
      ...[...declaredParams(rule.rule).keys()]
        .filter((param) => !section.includes(`\`${param}\``))
        .map((param) => `${rule.name}: parameter ${param} not documented`),
    ];
  });
  const ruleNames = new Set(builtInPack.rules.map((rule) => rule.name));
  const strays = [...sections.keys()]
    .filter((heading) => heading.startsWith('lfv-') && !ruleNames.has(heading))
    .map((heading) => `${heading}: documented but no such rule`);
  t.deepEqual([...problems, ...strays], []);
});
