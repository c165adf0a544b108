import { InputError } from './errors.js';
import { readPrivateKey, readSeconds, readYamlOrJson, type GetInput } from './input-readers.js';
import type { PrivateKey } from './private-key.js';
import { checkVonageAcl, checkVonageApplicationId, VONAGE_JWT_SECONDS } from './providers/vonage.js';

export interface VonageSettings {
  provider: 'vonage';
  applicationId: string;
  privateKey: PrivateKey;
  jwtExpiresIn: number;
  subject?: string;
  acl?: Record<string, unknown>;
}

export async function readVonageSettings(getInput: GetInput): Promise<VonageSettings> {
  const applicationId = getInput('app-id');
  const idProblem = checkVonageApplicationId(applicationId);
  if (idProblem) throw new InputError('app-id', idProblem);
  const jwtExpiresIn = readSeconds(
    getInput,
    'jwt-expires-in',
    VONAGE_JWT_SECONDS,
    'Vonage accepts JWTs that live at most 24 hours.',
  );
  const parsedAcl = await readYamlOrJson(getInput, 'acl');
  let acl: Record<string, unknown> | undefined;
  if (parsedAcl !== undefined && parsedAcl !== null) {
    const checked = checkVonageAcl(parsedAcl);
    if ('problem' in checked) throw new InputError('acl', checked.problem);
    acl = checked.acl;
  }
  const subject = getInput('subject') || undefined;
  return { provider: 'vonage', applicationId, privateKey: readPrivateKey(getInput), jwtExpiresIn, subject, acl };
}
