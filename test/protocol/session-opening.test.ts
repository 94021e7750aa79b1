/**
 * SmtpSession.open starts connecting at once so the caller can prepare the message meanwhile
 * (src/core/send.ts). Node issues the connect(2) on the next tick; `connecting` must resolve only
 * after that, or the caller's synchronous preparation (loading the MIME-type table, the YAML
 * library) runs before the SYN is sent and the greeting wait no longer overlaps it.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import type { SmtpProfile } from '../../src/core/profiles';
import { SmtpSession } from '../../src/core/send';

describe('SmtpSession: opening overlaps the caller’s preparation', () => {
  it('resolves "connecting" only after the tick queue, where Node issues the connect, has run', async () => {
    const server = net.createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    const profile: SmtpProfile = { name: 't', host: '127.0.0.1', port: address.port, security: 'none', auth: 'none', tls: { allowSelfSigned: false }, allowPlaintextAuth: false };
    try {
      let tickQueueRan = false;
      setImmediate(() => {
        tickQueueRan = true;
      });
      const session = SmtpSession.open({ profile, trace: 'off' });
      await session.connecting;
      assert.equal(tickQueueRan, true, '"connecting" resolved before Node could issue the connect');
      await session.abandon();
    } finally {
      server.close();
    }
  });
});
