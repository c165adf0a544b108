import { closeAll, client, errorOf, startServer } from './http-test-servers.js';

afterEach(closeAll);

test('a JSON body is sent as application/json, with the user agent', async () => {
  const server = await startServer({ status: 201 });
  await client().http.request({ method: 'POST', url: server.url, json: { repositories: ['a'] } });
  expect(server.received[0].headers['content-type']).toBe('application/json');
  expect(server.received[0].headers['user-agent']).toBe('app-jwt-action');
  expect(JSON.parse(server.received[0].body)).toEqual({ repositories: ['a'] });
});

test('a form body is sent as application/x-www-form-urlencoded', async () => {
  const server = await startServer({});
  await client({ userAgent: 'test-agent/1' }).http.request({
    method: 'POST',
    url: server.url,
    form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'a.b.c' },
  });
  const { headers, body } = server.received[0];
  expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(headers['user-agent']).toBe('test-agent/1');
  expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: 'a.b.c',
  });
});

test("the caller's headers win over the defaults, whatever their case", async () => {
  const server = await startServer({});
  await client().http.request({
    method: 'POST',
    url: server.url,
    json: {},
    headers: { 'User-Agent': 'mine', 'Content-Type': 'application/vnd.api+json', Authorization: 'Bearer t' },
  });
  expect(server.received[0].headers).toMatchObject({
    'user-agent': 'mine',
    'content-type': 'application/vnd.api+json',
    authorization: 'Bearer t',
  });
});

test('a POST without a body says so with a content length of 0', async () => {
  const server = await startServer({});
  await client().http.request({ method: 'post', url: server.url });
  expect(server.received[0]).toMatchObject({ method: 'POST', body: '' });
  expect(server.received[0].headers['content-length']).toBe('0');
});

test('a header value with a line break is refused before sending, without quoting it', async () => {
  const server = await startServer({});
  const error = await errorOf(
    client().http.request({ method: 'GET', url: server.url, headers: { authorization: 'Bearer ghs_secret123\n' } }),
  );
  expect(error.code).toBe('INVALID_REQUEST');
  expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/ was not sent: the value of header 'authorization'/);
  expect(error.message).toMatch(/trailing newline/);
  expect(error.message).not.toContain('ghs_secret123');
  expect(server.received).toHaveLength(0);
});

test('a request with both a JSON and a form body is refused before sending', async () => {
  const server = await startServer({});
  const error = await errorOf(client().http.request({ method: 'POST', url: server.url, json: {}, form: { a: 'b' } }));
  expect(error).toMatchObject({ code: 'INVALID_REQUEST', attempts: 0 });
  expect(error.message).toBe(`POST ${server.url}/ was not sent: the request has both a JSON and a form body.`);
  expect(server.received).toEqual([]);
});

test('a URL the client cannot use is refused before sending', async () => {
  const { http } = client();
  expect((await errorOf(http.request({ method: 'GET', url: 'ftp://example.com/x' }))).code).toBe('INVALID_REQUEST');
  expect((await errorOf(http.request({ method: 'GET', url: 'not a url' }))).message).toBe(
    'GET not a url was not sent: not a valid URL.',
  );
});

test('a URL with a user name or password is refused before sending, without showing them', async () => {
  const server = await startServer({});
  const { http, retries } = client();
  const error = await errorOf(
    http.request({ method: 'GET', url: server.url.replace('//', '//user:hunter22@') + '/x' }),
  );
  expect(error).toMatchObject({ code: 'INVALID_REQUEST', attempts: 0, url: `${server.url}/x` });
  expect(error.message).toBe(
    `GET ${server.url}/x was not sent: the URL holds a user name or password. Send credentials in a header, never in the URL.`,
  );
  expect(server.received).toEqual([]);
  expect(retries).toEqual([]);
});
