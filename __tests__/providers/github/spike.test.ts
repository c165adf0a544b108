import { createClock } from '../../../src/clock.js';
import { createTransport } from '../../../src/http/transport.js';
import { createGitHubApi } from '../../../src/providers/github/api.js';
import { appJwtSource, githubAppClaims } from '../../../src/providers/github/app-jwt.js';
import { privateKeySigner } from '../../../src/keys/jwt/sign.js';
import { normalizePrivateKey } from '../../../src/keys/private-key.js';
import { makeTestApp, startGitHubEmulator } from '../../../test/emulators/github.ts';

test('spike', async () => {
  const { app, privateKeyPem } = makeTestApp();
  const emu = await startGitHubEmulator({ apps: [app], installations: [{ id: 42, appId: app.id, account: { login: 'octo-org', type: 'Organization' }, repositorySelection: 'all', repositories: [], permissions: { contents: 'read' } }] });
  const clock = createClock();
  const key = normalizePrivateKey(privateKeyPem).key;
  const jwt = appJwtSource({ kind: 'signer', signer: privateKeySigner(key), secrets: [] }, () => githubAppClaims(app.id, 540, clock), () => {});
  const log: string[] = [];
  const api = createGitHubApi({ transport: createTransport({ retry: { sleep: async () => {}, random: () => 0 } }), apiUrl: emu.url, clock, log: { info: (m) => log.push(m), debug: (m) => log.push('D ' + m), warning: (m) => log.push(m) }, auth: { app: jwt } });
  const r = await api.request('GET /repos/{owner}/{repo}/installation', { owner: 'octo org', repo: 'a/b' });
  console.log(r.status, r.body);
  const r2 = await api.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: 42, data: {} });
  console.log(r2.status, r2.body);
  emu.fail('GET /app', 'reset', 'reset', 'reset', 'reset');
  try { await api.request('GET /app'); } catch (e) { console.log(String(e), (e as Error).constructor.name); }
  emu.fail('GET /app', { status: 500, body: 'oops' }, { status: 500, body: 'oops' }, { status: 500, body: 'oops' }, { status: 500, body: 'oops' });
  const r3 = await api.request('GET /app'); console.log(r3.status, r3.body);
  console.log(JSON.stringify(emu.requests.map((q) => [q.method, q.path, q.headers, q.body]), null, 1));
  console.log(log);
  await emu.close();
});
