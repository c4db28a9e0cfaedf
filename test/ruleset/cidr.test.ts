import test from 'ava';
import { cidrRanges, ipAddressOf, parseCidr } from '../../src/ruleset/cidr.js';

test('IPv4 and IPv6 ranges parse', (t) => {
  t.deepEqual(parseCidr('203.0.113.0/24'), { ok: true, address: '203.0.113.0', prefix: 24, family: 4 });
  t.deepEqual(parseCidr('2001:db8::/32'), { ok: true, address: '2001:db8::', prefix: 32, family: 6 });
  t.deepEqual(parseCidr('0.0.0.0/0'), { ok: true, address: '0.0.0.0', prefix: 0, family: 4 });
});

test('a bare address is refused with the range to write instead', (t) => {
  t.deepEqual(parseCidr('203.0.113.5'), { ok: false, message: "'203.0.113.5' is an address, not a range: write 203.0.113.5/32" });
  t.deepEqual(parseCidr('2001:db8::5'), { ok: false, message: "'2001:db8::5' is an address, not a range: write 2001:db8::5/128" });
});

test('a prefix longer than the address is refused', (t) => {
  t.deepEqual(parseCidr('10.0.0.0/33'), { ok: false, message: "'10.0.0.0/33': an IPv4 prefix length is at most 32" });
  t.deepEqual(parseCidr('2001:db8::/129'), { ok: false, message: "'2001:db8::/129': an IPv6 prefix length is at most 128" });
});

test('an address with a leading zero, a host name or a zone is refused', (t) => {
  t.false(parseCidr('010.0.0.0/8').ok);
  t.false(parseCidr('example.com/8').ok);
  t.false(parseCidr('fe80::1%eth0/64').ok);
  t.false(parseCidr('10.0.0.0/08').ok);
  t.false(parseCidr('10.0.0.0/').ok);
});

test('an IPv6 address with a zone is read without it', (t) => {
  t.deepEqual(ipAddressOf('fe80::1%eth0'), { address: 'fe80::1', family: 6 });
  t.true(cidrRanges(['fe80::/10']).has({ address: 'fe80::1', family: 6 }));
});

test('an IPv6 range written in IPv4-mapped form holds the IPv4 addresses', (t) => {
  t.true(cidrRanges(['::ffff:10.0.0.0/104']).has({ address: '10.1.2.3', family: 4 }));
});
