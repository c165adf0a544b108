import { installAppUrl, installationSettingsUrl, webUrl } from '../../../src/providers/github/urls.js';

const ORG = { login: 'octo-org', type: 'Organization' };
const USER = { login: 'mona', type: 'User' };

describe('webUrl', () => {
  test('api.github.com is browsed at github.com', () => {
    expect(webUrl('https://api.github.com')).toEqual({ base: 'https://github.com', server: false });
  });

  test('GitHub Enterprise Server (https://HOST/api/v3) is browsed on the same host, port kept', () => {
    expect(webUrl('https://ghe.example.com/api/v3')).toEqual({ base: 'https://ghe.example.com', server: true });
    expect(webUrl('https://ghe.example.com/api/v3/')).toEqual({ base: 'https://ghe.example.com', server: true });
    expect(webUrl('https://ghe.example.com:8443/api/v3')).toEqual({
      base: 'https://ghe.example.com:8443',
      server: true,
    });
  });

  test('GHE.com (api.SUBDOMAIN.ghe.com) is browsed at SUBDOMAIN.ghe.com', () => {
    expect(webUrl('https://api.octocorp.ghe.com')).toEqual({ base: 'https://octocorp.ghe.com', server: false });
  });

  test('any other API URL (a local emulator, say) falls back to github.com', () => {
    expect(webUrl('http://127.0.0.1:8080')).toEqual({ base: 'https://github.com', server: false });
  });
});

describe('installAppUrl', () => {
  test.each([
    ['api.github.com', 'https://api.github.com', 'https://github.com/apps/octo-app/installations/new'],
    ['GHES', 'https://ghe.example.com/api/v3', 'https://ghe.example.com/github-apps/octo-app/installations/new'],
    ['GHE.com', 'https://api.octocorp.ghe.com', 'https://octocorp.ghe.com/apps/octo-app/installations/new'],
  ])('%s: the page where an owner installs the app', (_name, apiUrl, expected) => {
    expect(installAppUrl(apiUrl, 'octo-app')).toBe(expected);
  });
});

describe('installationSettingsUrl', () => {
  test.each([
    ['api.github.com', 'https://api.github.com', 'https://github.com'],
    ['GHES', 'https://ghe.example.com/api/v3', 'https://ghe.example.com'],
    ['GHE.com', 'https://api.octocorp.ghe.com', 'https://octocorp.ghe.com'],
  ])("%s: an organization's installation is under its settings, a user's under the user's", (_name, apiUrl, base) => {
    expect(installationSettingsUrl(apiUrl, ORG, 42)).toBe(`${base}/organizations/octo-org/settings/installations/42`);
    expect(installationSettingsUrl(apiUrl, USER, 42)).toBe(`${base}/settings/installations/42`);
  });

  test('an account of unknown type gets the personal settings page', () => {
    expect(installationSettingsUrl('https://api.github.com', { login: 'mona' }, 7)).toBe(
      'https://github.com/settings/installations/7',
    );
  });
});
