import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { setTimeout as delay } from 'node:timers/promises';
import { lacksEvidence } from '../merge/lacks-evidence.js';
import type { FindingImportPlan } from '../merge/merge-findings.js';
import { PRODUCT_FIELD } from '../findings/product-fields.js';
import type { SecurityHubFindingsApi } from './api.js';
import { importFindings, type ImportFailure } from './import.js';

/**
 * How an import guards the evidence of other importers writing the same findings at the same time
 * (shards of one backfill, two overlapping nightly runs): Security Hub keeps the import with the later
 * UpdatedAt and has no compare-and-swap, so two runs that read a finding before either imported it
 * would each import their own merge and the later would drop the other's events.
 */
export interface ImportGuard {
  /**
   * How long after its import a run reads its findings back to check that they still hold its events:
   * longer than any other importer takes from reading a finding to having imported its merge, which is
   * one BatchImportFindings call after its GetFindings call (with retries, about 30 s at worst), plus
   * the time Security Hub takes to show an import to GetFindings.
   */
  readonly settleMs: number;
  /** Imports of one finding, the first included, before the run gives up as incomplete. */
  readonly rounds: number;
  /** Waits `ms`; default: real time, ended early (rejecting) by the API's signal (SIGINT, SIGTERM). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_IMPORT_GUARD = { settleMs: 60_000, rounds: 5 } as const;

/** What a verified import did. */
export interface VerifiedImportOutcome {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Findings imported again because another importer's write had dropped some of this run's evidence. */
  readonly reimported: number;
  /** Findings whose merged EventCount is a lower bound (docs/findings-lifecycle.md). */
  readonly lowerBound: number;
  readonly failures: readonly ImportFailure[];
  /** Findings attempted in the first round: what failures are out of. */
  readonly attempted: number;
}

/** Another importer kept overwriting this run's evidence: the run is incomplete and records no window. */
export class ImportContentionError extends Error {
  override readonly name = 'ImportContentionError';

  constructor(
    readonly ids: readonly string[],
    rounds: number,
    where: string,
  ) {
    super(
      `${ids.length} finding${ids.length === 1 ? '' : 's'} in ${where} still lacked this run's events after ${rounds} imports: another importer kept writing ` +
        `${ids.length === 1 ? 'it' : 'them'} from an older copy (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}); run again once the other imports have finished`,
    );
  }
}

/** Plans the import of `fresh` against the stored findings with the same Ids: the merge (src/merge/merge-findings.ts). */
export type PlanImport = (fresh: readonly AwsSecurityFinding[], stored: readonly AwsSecurityFinding[]) => FindingImportPlan;

/**
 * Imports a run's findings so that concurrent importers of the same findings all keep their evidence:
 * 1. per batch of 100 Ids (one BatchImportFindings call's worth; 5 GetFindings calls), read what is
 *    stored, merge, and import the merge at once, so that the read an import is based on is seconds old;
 * 2. after `settleMs`, read every finding back: one that lacks the run's evidence (another importer
 *    wrote it from a copy read before this run's import; src/merge/lacks-evidence.ts) is
 *    merged with what is stored now and imported again, and checked again after another settle
 *    period, up to `rounds` imports in all; then the run fails ({@link ImportContentionError}).
 * The union of every importer's evidence is what remains: each one's last check finds its events in
 * Security Hub, and an importer can drop them only by importing a copy read before that check, which
 * it does within the settle period. UpdatedAt stays the real time of each import.
 */
export async function importVerified(
  api: SecurityHubFindingsApi,
  productArn: string,
  fresh: readonly AwsSecurityFinding[],
  plan: PlanImport,
  guard: ImportGuard,
  where: string,
): Promise<VerifiedImportOutcome> {
  const { signal } = api;
  const sleep = guard.sleep ?? ((ms: number) => delay(ms, undefined, signal === undefined ? {} : { signal }));
  const batches = batchesById(fresh);
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  let attempted = 0;
  /** What this run last imported, or found stored already, per Id. */
  const written = new Map<string, AwsSecurityFinding>();
  const failures: ImportFailure[] = [];
  for (const batch of batches) {
    const batchPlan = await planAgainstStored(api, productArn, batch, plan);
    created += batchPlan.diff.create.length;
    updated += batchPlan.diff.update.length;
    unchanged += batchPlan.diff.unchanged.length;
    attempted += batchPlan.toImport.length;
    for (const finding of batchPlan.merged) written.set(finding.Id ?? '', finding);
    failures.push(...(await importFindings(api, batchPlan.toImport)).failures);
  }
  const reimported = new Set<string>();
  const outcome = (): VerifiedImportOutcome => ({
    created,
    updated,
    unchanged,
    reimported: reimported.size,
    lowerBound: [...written.values()].filter((finding) => finding.ProductFields?.[PRODUCT_FIELD.eventCountIsLowerBound] === 'true').length,
    failures,
    attempted,
  });
  if (failures.length > 0 || attempted === 0) return outcome();

  for (let imports = 1; ; imports += 1) {
    await sleep(guard.settleMs);
    const lacking: string[] = [];
    for (const batch of batches) {
      const stored = await api.findingsByIds(productArn, batch.ids);
      const storedById = new Map(stored.map((finding) => [finding.Id ?? '', finding]));
      const lackingHere = batch.ids.filter((id) => lacksEvidence(storedById.get(id), batch.findingsOf(id), written.get(id)));
      lacking.push(...lackingHere);
      if (lackingHere.length === 0 || imports >= guard.rounds) continue;
      const againPlan = plan(findingsOf({ ...batch, ids: lackingHere }), stored);
      for (const finding of againPlan.merged) written.set(finding.Id ?? '', finding);
      for (const id of lackingHere) reimported.add(id);
      failures.push(...(await importFindings(api, againPlan.toImport)).failures);
    }
    if (lacking.length === 0 || failures.length > 0) return outcome();
    if (imports >= guard.rounds) throw new ImportContentionError(lacking, guard.rounds, where);
  }
}

/** The plan for a batch against what Security Hub holds now. */
async function planAgainstStored(api: SecurityHubFindingsApi, productArn: string, batch: Batch, plan: PlanImport): Promise<FindingImportPlan> {
  return plan(findingsOf(batch), await api.findingsByIds(productArn, batch.ids));
}

/** Up to {@link IDS_PER_BATCH} Ids, and the run's findings with each (a run may hold several findings with one Id: they are joined). */
interface Batch {
  readonly ids: readonly string[];
  readonly findingsOf: (id: string) => readonly AwsSecurityFinding[];
}

function findingsOf(batch: Batch): AwsSecurityFinding[] {
  return batch.ids.flatMap((id) => batch.findingsOf(id));
}

/**
 * Ids read back and imported together: as many as one BatchImportFindings call takes, read in 5
 * GetFindings calls of 20 (about 2 s at 3 calls a second), so a read is that old at most when its merge is sent.
 */
const IDS_PER_BATCH = 100;

/** The findings in batches of at most {@link IDS_PER_BATCH} distinct Ids. */
function batchesById(findings: readonly AwsSecurityFinding[]): Batch[] {
  const byId = new Map<string, AwsSecurityFinding[]>();
  for (const finding of findings) {
    const id = finding.Id ?? '';
    const list = byId.get(id);
    if (list === undefined) byId.set(id, [finding]);
    else list.push(finding);
  }
  const ids = [...byId.keys()];
  const batches: Batch[] = [];
  const findingsWith = (id: string): readonly AwsSecurityFinding[] => byId.get(id) ?? [];
  for (let start = 0; start < ids.length; start += IDS_PER_BATCH) batches.push({ ids: ids.slice(start, start + IDS_PER_BATCH), findingsOf: findingsWith });
  return batches;
}
