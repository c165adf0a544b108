// Runs the built action the way the runner does, against the GitHub API emulator, with a throwaway app key:
// first the JWT alone (then GET /app with it), then an installation token (then a call with it, and the post
// step that revokes it). Prints what a workflow author would see, with secrets as *** as the runner shows them.
import { runAction, type ActionRun } from '../test/action-process.ts';
import { makeTestApp, startGitHubEmulator } from '../test/emulators/github.ts';

const { app, privateKeyPem } = makeTestApp({ id: 123456, slug: 'demo-app', name: 'Demo App' });
const github = await startGitHubEmulator({
  apps: [app],
  installations: [
    {
      id: 7001,
      appId: app.id,
      account: { login: 'octo-org', type: 'Organization' },
      repositorySelection: 'selected',
      repositories: ['octo-repo', 'docs'],
      permissions: { contents: 'read', metadata: 'read' },
    },
  ],
});
const masks = new Set<string>();
const hide = (text: string) =>
  [...masks].sort((a, b) => b.length - a.length).reduce((out, secret) => out.split(secret).join('***'), text);

function show(title: string, run: ActionRun) {
  for (const mask of run.masks) masks.add(mask);
  console.log(`\n$ ${title}`);
  console.log(`  (${run.masks.length} values masked with ::add-mask:: before anything else was written)`);
  for (const line of run.stdout.split('\n').filter((l) => l && !l.startsWith('::add-mask::')))
    console.log(`  ${hide(line)}`);
  console.log(`  exit code ${run.exitCode}`);
  for (const [name, value] of Object.entries(run.outputs)) console.log(`  steps.jwt.outputs.${name} = ${hide(value)}`);
  if (run.exitCode !== 0) process.exitCode = 1;
}

async function call(path: string, authorization: string) {
  const response = await fetch(`${github.url}${path}`, { headers: { authorization } });
  console.log(
    `\n$ curl -H "Authorization: ${hide(authorization)}" "$GITHUB_API_URL${path}"\n  HTTP ${response.status}`,
  );
  return (await response.json()) as Record<string, unknown>;
}

try {
  console.log(
    `GitHub API emulator on ${github.url}: app ${app.id} (${app.slug}), installed on octo-org, fresh 2048-bit key`,
  );
  const inputs = { 'app-id': String(app.id), 'private-key': privateKeyPem, 'github-api-url': github.url };

  const jwtRun = await runAction('main', { inputs });
  show('the main step with app-id and private-key', jwtRun);
  const appBody = await call('/app', `Bearer ${jwtRun.outputs.token}`);
  console.log(`  ${JSON.stringify({ id: appBody.id, slug: appBody.slug, name: appBody.name })}`);

  const tokenRun = await runAction('main', { inputs: { ...inputs, owner: 'octo-org', repositories: 'octo-repo' } });
  show('the main step with owner: octo-org and repositories: octo-repo', tokenRun);
  const repos = await call('/installation/repositories', `Bearer ${tokenRun.outputs.token}`);
  console.log(`  ${JSON.stringify((repos.repositories as { full_name: string }[]).map((r) => r.full_name))}`);

  show('the post step', await runAction('post', { state: tokenRun.state }));
  await call('/installation/repositories', `Bearer ${tokenRun.outputs.token}`);
  console.log(`\nRequests the emulator received: ${github.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
} finally {
  await github.close();
}
