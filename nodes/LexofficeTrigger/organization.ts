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

/**
 * A signed delivery naming another organization than the one known costs at most one profile call
 * per this time and credential, however many arrive (issue #11 item 5).
 */
export const PROFILE_REFRESH_MS = 5 * 60_000;

interface OrganizationCheck {
	/** The credential's organization as LexOffice last said. */
	organizationId?: string;
	/** When the profile was last asked for (epoch ms). */
	askedAt?: number;
	/** The last profile call; every delivery waiting for it shares it. */
	asking?: Promise<string | undefined>;
}

/** Per credential (host + hashed key), for this n8n process. */
const checks = new Map<string, OrganizationCheck>();

function credentialKey(credentials: LexofficeCredentials): string {
	return `${lexofficeBaseUrl(credentials)} ${bucketKey(credentials.apiKey)}`;
}

function checkOf(credentials: LexofficeCredentials): OrganizationCheck {
	const key = credentialKey(credentials);
	let check = checks.get(key);
	if (!check) checks.set(key, (check = {}));
	return check;
}

/** Static data written at activation, which n8n saves. */
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
	const check = checkOf(credentials);
	check.askedAt = Date.now();
	const { organizationId } = profileSchema.parse(await lexofficeRequest.call(this, { path: '/v1/profile' }));
	check.organizationId = organizationId;
	check.asking = Promise.resolve(organizationId);
	staticData.organizationId = organizationId;
	staticData.organizationCredential = credentialKey(credentials);
	return organizationId;
}

export type OrganizationVerdict = 'own' | 'foreign' | 'unknown';

/**
 * Decides without any request, so the delivery can be answered at once (§6.5: 5 s): `own` when
 * the id equals the one known (from activation or a later profile call), `foreign` when LexOffice
 * said otherwise less than PROFILE_REFRESH_MS ago, else `unknown` (see confirmOrganization).
 */
export function organizationVerdict(
	organizationId: string,
	credentials: LexofficeCredentials,
	staticData: OrganizationStaticData,
	now: number,
): OrganizationVerdict {
	const check = checkOf(credentials);
	const fromActivation =
		staticData.organizationCredential === credentialKey(credentials) ? staticData.organizationId : undefined;
	if ((check.organizationId ?? fromActivation) === organizationId) return 'own';
	const recentlyAsked = check.askedAt !== undefined && now - check.askedAt < PROFILE_REFRESH_MS;
	return recentlyAsked && check.organizationId !== undefined ? 'foreign' : 'unknown';
}

/**
 * For an `unknown` verdict, after the delivery was answered: asks LexOffice once per
 * PROFILE_REFRESH_MS (the credential may have been pointed at another organization since
 * activation); deliveries meanwhile share that answer. False also when LexOffice could not be asked.
 */
export async function confirmOrganization(
	this: LexofficeContext,
	organizationId: string,
	credentials: LexofficeCredentials,
	staticData: OrganizationStaticData,
	now: number,
): Promise<boolean> {
	const check = checkOf(credentials);
	if (!check.asking || check.askedAt === undefined || now - check.askedAt >= PROFILE_REFRESH_MS) {
		// A failed call counts as asked too: a LexOffice outage must not turn every delivery into a call.
		check.asking = fetchOrganizationId.call(this, credentials, staticData).catch(() => undefined);
		check.askedAt = now;
	}
	return (await check.asking) === organizationId;
}
