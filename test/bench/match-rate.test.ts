import { join } from 'node:path';
import test from 'ava';
import { builtInRulesDir } from '../../bench/bench-paths.js';
import { generateEventData, type EventDataParameters } from '../../bench/generate-events.js';
import { DEFAULT_RULE_COUNT, DEFAULT_RULE_SEED, generateRulePack } from '../../bench/generate-rules.js';
import { BENCH_PARAMS } from '../../bench/lfv-vocabulary.js';
import { lfvauditVerdicts } from './rule-verdicts.js';
import { tempFolder } from '../support/temp-folder.js';

// Enough records for a share of a few percent to be measured to about ±0.5 %.
const PARAMETERS: EventDataParameters = { profile: 'typical', seed: 20251031, records: 8000, files: 8 };

test('with the 100-rule pack, a few percent of typical records match any rule, and most alert-storm records do', async (t) => {
  const folder = tempFolder(t, 'rate');
  const pack = generateRulePack({ outDir: join(folder, 'rules'), builtInDir: builtInRulesDir, seed: DEFAULT_RULE_SEED, total: DEFAULT_RULE_COUNT });
  t.is(pack.ids.length, DEFAULT_RULE_COUNT);
  generateEventData(join(folder, 'typical'), PARAMETERS);
  generateEventData(join(folder, 'storm'), { ...PARAMETERS, profile: 'alert-storm' });
  const typical = await lfvauditVerdicts(join(folder, 'typical'), [join(folder, 'rules')], BENCH_PARAMS);
  const storm = await lfvauditVerdicts(join(folder, 'storm'), [join(folder, 'rules')], BENCH_PARAMS);
  const typicalShare = typical.eventsMatched / typical.events;
  const stormShare = storm.eventsMatched / storm.events;
  t.log(`records matching any rule: typical ${(typicalShare * 100).toFixed(1)} %, alert storm ${(stormShare * 100).toFixed(1)} %`);
  t.true(typicalShare >= 0.01 && typicalShare <= 0.06, `typical: ${typicalShare}`);
  t.true(stormShare > 0.5, `alert storm: ${stormShare}`);
});
