// Runs the built action the way the runner does, against the GitHub API emulator, with a throwaway app key,
// then calls GET /app with the JWT it produced. Prints what a workflow author would see, secrets as ***.
import { runAction } from '../test/action-process.ts';
import { makeTestApp, startGitHubEmulator } from '../test/emulators/github.ts';

const { app, privateKeyPem } = makeTestApp({ id: 123456, slug: 'demo-app', name: 'Demo App' });
const github = await startGitHubEmulator({ apps: [app] });
try {
  console.log(`GitHub API emulator on ${github.url}, app ${app.id} (${app.slug}) with a fresh 2048-bit key\n`);
  console.log('$ node dist/main/index.js   # with INPUT_APP-ID=123456, INPUT_PRIVATE-KEY=<the key>\n');
  const run = await runAction('main', { inputs: { 'app-id': String(app.id), 'private-key': privateKeyPem } });

  // The runner replaces every masked value with *** in the log; do the same here.
  const masks = [...run.masks].sort((a, b) => b.length - a.length);
  const hide = (text: string) => masks.reduce((out, secret) => out.split(secret).join('***'), text);
  const log = run.stdout
    .split('\n')
    .filter((line) => line && !line.startsWith('::add-mask::'))
    .map(hide);
  console.log(`  (${run.masks.length} values masked with ::add-mask:: before anything else was written)`);
  for (const line of log) console.log(`  ${line}`);
  console.log(`  exit code ${run.exitCode}\n`);
  console.log('Step outputs:');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`  steps.jwt.outputs.${name} = ${hide(value)}`);
  if (run.exitCode !== 0) process.exit(1);

  console.log('\n$ curl -H "Authorization: Bearer ${{ steps.jwt.outputs.token }}" "$GITHUB_API_URL/app"');
  const response = await fetch(`${github.url}/app`, { headers: { authorization: `Bearer ${run.outputs.token}` } });
  const body = (await response.json()) as Record<string, unknown>;
  console.log(`  HTTP ${response.status}`);
  console.log(
    hide(JSON.stringify({ id: body.id, slug: body.slug, name: body.name, owner: body.owner }, null, 2)).replace(
      /^/gm,
      '  ',
    ),
  );
  if (response.status !== 200) process.exit(1);
} finally {
  await github.close();
}
