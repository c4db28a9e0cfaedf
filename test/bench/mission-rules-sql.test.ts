import { join } from 'node:path';
import test from 'ava';
import { benchDataDir, builtInRulesDir } from '../../bench/bench-paths.js';
import { connectDuckDb, installedDuckDb } from '../../bench/duckdb-peer.js';
import { generateEventData, TRAFFIC_PROFILES } from '../../bench/generate-events.js';
import { cidrTest, expandIpv6, MISSION_PARAMS, MISSION_RULE_IDS, MISSION_SQL_MACROS, missionRulesEventIdsQuery } from '../../bench/mission-rules.js';
import { lfvauditVerdicts } from './rule-verdicts.js';
import { tempFolder } from '../support/temp-folder.js';

test('an IPv6 address is expanded to its 32 hex digits, `::` filled with zero groups', (t) => {
  t.is(expandIpv6('2001:db8:1::2a'), '20010db800010000000000000000002a');
  t.is(expandIpv6('::1'), '00000000000000000000000000000001');
  t.is(expandIpv6('fe80::'), 'fe800000000000000000000000000000');
  t.is(expandIpv6('1:2:3:4:5:6:7:8'), '00010002000300040005000600070008');
});

test('an IPv4 range becomes a numeric interval, an IPv6 range a prefix of hex digits', (t) => {
  t.is(cidrTest('10.0.0.0/8', 'ip', 'V4', 'V6'), '(V4 AND ipv4_number(ip) BETWEEN 167772160 AND 184549375)');
  t.is(cidrTest('2001:db8:1::/48', 'ip', 'V4', 'V6'), "(V6 AND starts_with(ipv6_hex(ip), '20010db80001'))");
  t.regex(cidrTest('2001:db8::/30', 'ip', 'V4', 'V6'), /starts_with\(ipv6_hex\(ip\), '20010db'\) AND .* & 12\) = 8/);
});

// DuckDB comes from the registry only when `npm run bench` installs it; tests never download it.
const peersDir = join(benchDataDir, 'peers');
const duckDb = installedDuckDb(peersDir);
const sqlTest = duckDb === undefined ? test.skip : test;
const skipped = duckDb === undefined ? ` (skipped: DuckDB is not installed in ${peersDir}; npm run bench installs it)` : '';

for (const profile of TRAFFIC_PROFILES) {
  sqlTest(`the SQL translation of the mission rules matches exactly the events lfvaudit matches, on ${profile} data${skipped}`, async (t) => {
    const folder = tempFolder(t, 'sql');
    generateEventData(folder, { profile, seed: 11, records: 6000, files: 6 });
    const expected = await lfvauditVerdicts(
      folder,
      MISSION_RULE_IDS.map((id) => join(builtInRulesDir, `${id}.yaml`)),
      { ...MISSION_PARAMS },
    );
    const connection = await connectDuckDb(duckDb ?? '', 1);
    for (const macro of MISSION_SQL_MACROS) await connection.run(macro);
    const rows = (await connection.runAndReadAll(missionRulesEventIdsQuery(join(folder, '**', '*.json.gz')))).getRowObjectsJson();
    for (const id of MISSION_RULE_IDS) {
      const fromSql = rows.filter((row) => row.rule === id).map((row) => String(row.eventID));
      const fromLfvaudit = [...(expected.eventIdsByRule.get(id) ?? [])].sort();
      t.true(fromLfvaudit.length > 0, `${id} matches something on ${profile} data`);
      t.deepEqual(fromSql, fromLfvaudit, id);
    }
  });
}
