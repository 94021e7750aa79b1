import { SMTPServer } from 'smtp-server';
import fs from 'node:fs';
import { checkDraft, composeDraft, deliver } from '/work/main/src/core/send';
import { normaliseProfile } from '/work/main/src/core/profiles';
const cert = fs.readFileSync('/work/main/test/fixtures/tls/localhost.pem', 'utf8');
const key = fs.readFileSync('/work/main/test/fixtures/tls/localhost-key.pem', 'utf8');
async function main() {
  const server = new SMTPServer({ secure: false, key, cert, authMethods: ['PLAIN'], logger: false, onAuth: (a, s, cb) => cb(null, { user: 'x' }), onData: (st, s, cb) => { st.resume(); st.on('end', () => cb()); } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  const { profile } = normaliseProfile('p', { host: 'localhost', port, security: 'starttls', username: 'ann@x.org', tls: { ca: '/work/main/test/fixtures/tls/ca.pem' } });
  for (let i = 0; i < 3; i++) {
    let t = Date.now();
    const r = await checkDraft({ text: '---\nto: d@example.com\nsubject: S\n---\n**Bold** hi\n', format: 'markdown', baseDir: '/tmp' });
    const t1 = Date.now() - t; t = Date.now();
    const m = await composeDraft(r.checked!, { profile: profile! });
    const t2 = Date.now() - t; t = Date.now();
    await deliver(m, { profile: profile!, secret: 'pw', onStage: (s) => console.log(s, Date.now() - t) });
    console.log('check', t1, 'compose', t2, 'deliver', Date.now() - t);
  }
  server.close();
}
void main();
