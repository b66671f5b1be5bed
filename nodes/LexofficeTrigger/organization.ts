import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import {
	bucketKey,
	lexofficeBaseUrl,
	lexofficeRequest,
	type LexofficeContext,
	type LexofficeCredentials,
} from '../Lexoffice/transport/request';

const profileSchema = z.object({ organizationId: z.string() }).passthrough();

/** Organization ids by credential (host + hashed key), for this n8n process. */
const knownOrganizations = new Map<string, string>();

function credentialKey(credentials: LexofficeCredentials): string {
	return `${lexofficeBaseUrl(credentials)} ${bucketKey(credentials.apiKey)}`;
}

/** Static data written at activation, which n8n saves (a webhook's own writes it does not). */
export interface OrganizationStaticData extends IDataObject {
	organizationId?: string;
	organizationCredential?: string;
}

/** The credential's organization (GET /v1/profile, lexoffice-api.md §8.3), remembered for later deliveries. */
export async function fetchOrganizationId(
	this: LexofficeContext,
	credentials: LexofficeCredentials,
	staticData: OrganizationStaticData,
): Promise<string> {
	const { organizationId } = profileSchema.parse(await lexofficeRequest.call(this, { path: '/v1/profile' }));
	const key = credentialKey(credentials);
	knownOrganizations.set(key, organizationId);
	staticData.organizationId = organizationId;
	staticData.organizationCredential = key;
	return organizationId;
}

/**
 * Whether a delivery belongs to the credential's organization (§6.4). Known ids come from this
 * process or from activation; LexOffice is asked again when they disagree with the delivery,
 * because the credential may have been pointed at another organization since.
 */
export async function isOwnOrganization(
	this: LexofficeContext,
	organizationId: string,
	credentials: LexofficeCredentials,
	staticData: OrganizationStaticData,
): Promise<boolean> {
	const key = credentialKey(credentials);
	const known =
		knownOrganizations.get(key) ?? (staticData.organizationCredential === key ? staticData.organizationId : undefined);
	if (known === organizationId) return true;
	return (await fetchOrganizationId.call(this, credentials, staticData)) === organizationId;
}
