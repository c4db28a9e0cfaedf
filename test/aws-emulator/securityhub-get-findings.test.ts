import test from 'ava';
import { paginateGetFindings, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { asffFinding, emulatedAws, type EmulatedAws } from './fixtures.js';

async function withFindings(aws: EmulatedAws, findings: AwsSecurityFinding[]): Promise<void> {
  const output = await aws.importFindings(findings);
  if (output.FailedCount !== 0) throw new Error(`fixture findings failed: ${JSON.stringify(output.FailedFindings)}`);
}

function ids(findings: readonly AwsSecurityFinding[] | undefined): string[] {
  return (findings ?? []).map((finding) => finding.Id ?? '?').sort();
}

test('EQUALS on Id returns that finding only', async (t) => {
  const aws = await emulatedAws(t);
  await withFindings(aws, [asffFinding({ Id: 'a' }), asffFinding({ Id: 'b' })]);

  const { Findings } = await aws.getFindings({ Filters: { Id: [{ Value: 'a', Comparison: 'EQUALS' }] } });

  t.deepEqual(ids(Findings), ['a']);
});

test('PREFIX filters on the same field are joined by OR', async (t) => {
  const aws = await emulatedAws(t);
  await withFindings(aws, [asffFinding({ Id: 'lfv/a' }), asffFinding({ Id: 'lfv/b' }), asffFinding({ Id: 'other/c' }), asffFinding({ Id: 'more/d' })]);

  const { Findings } = await aws.getFindings({
    Filters: {
      Id: [
        { Value: 'lfv/', Comparison: 'PREFIX' },
        { Value: 'more/', Comparison: 'PREFIX' },
      ],
    },
  });

  t.deepEqual(ids(Findings), ['lfv/a', 'lfv/b', 'more/d']);
});

test('NOT_EQUALS and PREFIX_NOT_EQUALS are joined by AND, after the PREFIX filters', async (t) => {
  const aws = await emulatedAws(t);
  await withFindings(aws, [asffFinding({ Id: 'lfv/a' }), asffFinding({ Id: 'lfv/b' }), asffFinding({ Id: 'lfv/old/c' }), asffFinding({ Id: 'x' })]);

  const { Findings } = await aws.getFindings({
    Filters: {
      Id: [
        { Value: 'lfv/', Comparison: 'PREFIX' },
        { Value: 'lfv/a', Comparison: 'NOT_EQUALS' },
        { Value: 'lfv/old/', Comparison: 'PREFIX_NOT_EQUALS' },
      ],
    },
  });

  t.deepEqual(ids(Findings), ['lfv/b']);
});

test('EQUALS together with NOT_EQUALS on one field fails with InvalidInputException', async (t) => {
  const aws = await emulatedAws(t);

  const error = await t.throwsAsync(
    aws.getFindings({
      Filters: {
        Id: [
          { Value: 'a', Comparison: 'EQUALS' },
          { Value: 'b', Comparison: 'NOT_EQUALS' },
        ],
      },
    }),
  );

  t.is(error?.name, 'InvalidInputException');
});

test('filters on different fields are joined by AND: RecordState, SeverityLabel, WorkflowStatus, GeneratorId, AwsAccountId, ProductArn', async (t) => {
  const aws = await emulatedAws(t);
  await withFindings(aws, [
    asffFinding({ Id: 'match' }),
    asffFinding({ Id: 'archived', RecordState: 'ARCHIVED' }),
    asffFinding({ Id: 'low', FindingProviderFields: { Severity: { Label: 'LOW' } } }),
    asffFinding({ Id: 'other-rule', GeneratorId: 'lfvaudit/other' }),
  ]);

  const { Findings } = await aws.getFindings({
    Filters: {
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' }],
      WorkflowStatus: [{ Value: 'NEW', Comparison: 'EQUALS' }],
      GeneratorId: [{ Value: 'lfvaudit/lfv-test-rule', Comparison: 'EQUALS' }],
      AwsAccountId: [{ Value: aws.scope.accountId, Comparison: 'EQUALS' }],
      ProductArn: [{ Value: aws.productArn, Comparison: 'EQUALS' }],
    },
  });

  t.deepEqual(ids(Findings), ['match']);
});

test('a ProductFields map filter matches one key and value', async (t) => {
  const aws = await emulatedAws(t);
  await withFindings(aws, [
    asffFinding({ Id: 'a', ProductFields: { 'lfvaudit/rule': 'r1' } }),
    asffFinding({ Id: 'b', ProductFields: { 'lfvaudit/rule': 'r2' } }),
  ]);

  const { Findings } = await aws.getFindings({ Filters: { ProductFields: [{ Key: 'lfvaudit/rule', Value: 'r2', Comparison: 'EQUALS' }] } });

  t.deepEqual(ids(Findings), ['b']);
});

test('an UpdatedAt date filter keeps findings between Start and End, both inclusive', async (t) => {
  const aws = await emulatedAws(t);
  await withFindings(aws, [
    asffFinding({ Id: 'jan-1', UpdatedAt: '2026-01-01T00:00:00Z' }),
    asffFinding({ Id: 'jan-2', UpdatedAt: '2026-01-02T00:00:00Z' }),
    asffFinding({ Id: 'jan-3', UpdatedAt: '2026-01-03T00:00:00Z' }),
    asffFinding({ Id: 'jan-4', UpdatedAt: '2026-01-04T00:00:00Z' }),
  ]);

  const { Findings } = await aws.getFindings({ Filters: { UpdatedAt: [{ Start: '2026-01-02T00:00:00Z', End: '2026-01-03T00:00:00Z' }] } });

  t.deepEqual(ids(Findings), ['jan-2', 'jan-3']);
});

test('a LastObservedAt DateRange counts days back from the server clock', async (t) => {
  const aws = await emulatedAws(t);
  const daysAgo = (days: number) => new Date(aws.clock.now() - days * 86_400_000).toISOString();
  await withFindings(aws, [asffFinding({ Id: 'recent', LastObservedAt: daysAgo(2) }), asffFinding({ Id: 'old', LastObservedAt: daysAgo(10) })]);

  const { Findings } = await aws.getFindings({ Filters: { LastObservedAt: [{ DateRange: { Value: 7, Unit: 'DAYS' } }] } });

  t.deepEqual(ids(Findings), ['recent']);
});

test('a filter field the emulator does not implement fails loudly instead of being ignored', async (t) => {
  const aws = await emulatedAws(t);

  const error = await t.throwsAsync(aws.getFindings({ Filters: { NetworkSourceIpV4: [{ Cidr: '10.0.0.0/8' }] } }));

  t.is(error?.name, 'InvalidInputException');
  t.regex(error?.message ?? '', /not implemented by the AWS emulator/);
});

test('GetFindings pages through 250 findings 100 at a time with NextToken, each finding once', async (t) => {
  const aws = await emulatedAws(t);
  for (let batch = 0; batch < 3; batch += 1) {
    await withFindings(
      aws,
      Array.from({ length: batch === 2 ? 50 : 100 }, (_, i) => asffFinding({ Id: `f-${batch}-${i}` })),
    );
  }
  const pageSizes: number[] = [];
  const seen: string[] = [];

  for await (const page of paginateGetFindings({ client: aws.securityHub }, {})) {
    pageSizes.push(page.Findings?.length ?? 0);
    seen.push(...ids(page.Findings));
    aws.clock.advance(1000); // GetFindings allows 3 calls a second
  }

  t.deepEqual(pageSizes, [100, 100, 50]);
  t.is(new Set(seen).size, 250);
});

test('MaxResults sets the page size and SortCriteria the order', async (t) => {
  const aws = await emulatedAws(t);
  await withFindings(aws, [asffFinding({ Id: 'c' }), asffFinding({ Id: 'a' }), asffFinding({ Id: 'b' })]);

  const first = await aws.getFindings({ MaxResults: 2, SortCriteria: [{ Field: 'Id', SortOrder: 'asc' }] });
  const second = await aws.getFindings({ MaxResults: 2, SortCriteria: [{ Field: 'Id', SortOrder: 'asc' }], NextToken: first.NextToken });

  t.deepEqual(
    first.Findings?.map((finding) => finding.Id),
    ['a', 'b'],
  );
  t.deepEqual(
    second.Findings?.map((finding) => finding.Id),
    ['c'],
  );
  t.is(second.NextToken, undefined);
});

test('MaxResults over 100 fails with InvalidInputException', async (t) => {
  const aws = await emulatedAws(t);

  const error = await t.throwsAsync(aws.getFindings({ MaxResults: 101 }));

  t.is(error?.name, 'InvalidInputException');
});

test('a NextToken sent with other Filters fails with InvalidInputException', async (t) => {
  const aws = await emulatedAws(t);
  await withFindings(aws, [asffFinding({ Id: 'a' }), asffFinding({ Id: 'b' })]);
  const first = await aws.getFindings({ MaxResults: 1 });

  const error = await t.throwsAsync(aws.getFindings({ MaxResults: 1, NextToken: first.NextToken, Filters: { Id: [{ Value: 'a', Comparison: 'EQUALS' }] } }));

  t.is(error?.name, 'InvalidInputException');
});

test('the restJson error names its code in the x-amzn-ErrorType header, with status 400', async (t) => {
  const aws = await emulatedAws(t);

  const error = await t.throwsAsync(aws.getFindings({ MaxResults: 0 }));

  t.like(error, { name: 'InvalidInputException', $metadata: { httpStatusCode: 400 } });
  t.like((error as { $response?: { headers: Record<string, string> } }).$response?.headers, { 'x-amzn-errortype': 'InvalidInputException' });
});
