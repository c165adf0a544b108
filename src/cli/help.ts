/** What --help prints, for the tool and for each command. */
export const HELP = {
  main: `app-jwt: app credentials from your terminal, with the code of the app-jwt-action GitHub Action.

Usage: app-jwt <command> [options]

Commands:
  sign      print a signed JWT (GitHub App or Vonage application)
  token     print a GitHub installation token or a RingCentral access token
  inspect   decode a JWT, check its signature and the platform's rules

Run app-jwt <command> --help for a command's options. Exit codes: 0 ok, 1 failure, 2 usage error.`,
  sign: `Usage: app-jwt sign [options]

Prints the JWT alone on stdout (so it pipes); the issuer and expiry go to stderr.

Options:
  --provider github|vonage   default github
  --app-id ID                GitHub App ID or Client ID; Vonage application ID     (env APP_ID)
  --private-key-file FILE    the app's private key (PEM)       (env PRIVATE_KEY_FILE, or PRIVATE_KEY with the PEM)
  --kms-key URI              instead: a key a signing service holds (awskms:///KEY, gcpkms://…, azurekms://…,
                             hashivault://KEY), with that service's credentials from the environment
  --expires-in SECONDS       GitHub 1..600 (default 540); Vonage 30..86400 (default 900)
  --acl YAML|JSON            Vonage acl claim, e.g. '{"paths": {"/*/users/**": {}}}'
  --subject SUB              Vonage sub claim
With a terminal, missing values are asked for; without one, a missing value is a usage error.`,
  token: `Usage: app-jwt token [options]

Prints the token alone on stdout; its expiry goes to stderr. It is not revoked: it expires by itself.

GitHub (--provider github, the default):
  --app-id ID --private-key-file FILE   as for sign (env APP_ID, PRIVATE_KEY_FILE / PRIVATE_KEY), or
  --kms-key URI                         or a key a signing service holds, as for sign
  --jwt JWT                             an app JWT signed elsewhere
  --owner ACCOUNT[,ACCOUNT]             the user(s) or organization(s) whose installation to use; with
                                        several, one 'account<TAB>token' line each
  --repositories a,b                    limit the token to these repositories of owner (or owner/name)
  --enterprise SLUG                     the app's installation on this enterprise
  --installation-id ID                  use this installation, with no lookup
  --permissions YAML|JSON               e.g. 'contents: read' (default: all of the installation's)
  --api-url URL                         default $GITHUB_API_URL or https://api.github.com
RingCentral (--provider ringcentral):
  --jwt JWT                             the JWT credential from the developer console   (env RC_JWT)
  --client-id ID --client-secret SECRET (env RC_CLIENT_ID, RC_CLIENT_SECRET)
  --server-url URL                      default https://platform.ringcentral.com        (env RC_SERVER_URL)`,
  inspect: `Usage: app-jwt inspect [JWT] [options]

Decodes a JWT (the argument, or stdin) and prints its header and claims, times as dates. Offline.

Options:
  --public-key FILE          check the signature with this public key (PEM or certificate)
  --private-key-file FILE    check it with the public half of this private key
Exit code 1 when the signature does not verify or the JWT has expired; warnings about a platform's rules
(GitHub: exp more than 600 s ahead, iat in the future, iss; Vonage: jti, application_id, 24 h) do not fail.`,
};
