import assert from 'node:assert/strict';
import { addressLiteral, defaultClientName, isFqdn } from '../../../src/core/smtp/client-name';
import { isLoopbackHost } from '../../../src/core/smtp/loopback';

describe('EHLO name (RFC 5321 4.1.4)', () => {
  it('uses the host name when it is a fully-qualified domain', () => {
    assert.equal(defaultClientName('laptop.example.org', '192.0.2.7'), 'laptop.example.org');
    assert.equal(defaultClientName('laptop.example.org.', '192.0.2.7'), 'laptop.example.org');
  });

  it('falls back to an address literal for a bare or invalid host name', () => {
    assert.equal(defaultClientName('laptop', '127.0.0.1'), '[127.0.0.1]');
    assert.equal(defaultClientName('my_host.local', '10.0.0.2'), '[10.0.0.2]');
    assert.equal(defaultClientName('laptop', '::1'), '[IPv6:::1]');
    assert.equal(defaultClientName('laptop', '::ffff:127.0.0.1'), '[127.0.0.1]');
    assert.equal(defaultClientName('laptop', 'fe80::1%eth0'), '[IPv6:fe80::1]');
    assert.equal(defaultClientName('laptop', undefined), '[127.0.0.1]');
  });

  it('recognises domains', () => {
    assert.ok(isFqdn('a.b'));
    assert.ok(!isFqdn('localhost'));
    assert.ok(!isFqdn('-bad.example'));
    assert.ok(!isFqdn('1.2.3.4'));
    assert.equal(addressLiteral('not an ip'), undefined);
  });
});

describe('loopback hosts (AUTH over plaintext allowed)', () => {
  it('knows 127.0.0.0/8, ::1 and localhost', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '0:0:0:0:0:0:0:1']) assert.ok(isLoopbackHost(host), host);
  });
  it('refuses everything else', () => {
    for (const host of ['128.0.0.1', '10.0.0.1', 'smtp.example.com', 'localhost.example.com', '::2', '127.example.com']) assert.ok(!isLoopbackHost(host), host);
  });
});
