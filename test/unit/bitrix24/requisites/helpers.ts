/** Running the Requisite and Address resources against the sandbox. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { runBitrix24 } from '../crm/helpers';
import { restCalls } from '../helpers';

/** A German company as a LexOffice contact would describe it. */
export interface CompanyRow {
	companyId: number;
	lexofficeId: string;
	name: string;
	vatId: string;
	taxNumber: string;
	billing: { street: string; supplement: string; zip: string; city: string; countryCode: string };
	shipping: { street: string; supplement: string; zip: string; city: string; countryCode: string };
}

/** Companies (or contacts) straight through the API, 50 per batch request, as another client would. */
export async function addOwners(
	sb: Bitrix24Sandbox,
	method: 'crm.company.add' | 'crm.contact.add',
	names: string[],
): Promise<number[]> {
	const ids: number[] = [];
	for (let start = 0; start < names.length; start += 50) {
		const slice = names.slice(start, start + 50);
		const field = method === 'crm.company.add' ? 'TITLE' : 'NAME';
		const cmd = Object.fromEntries(
			slice.map((name, index) => [`c${index}`, `${method}?fields[${field}]=${encodeURIComponent(name)}`]),
		);
		const response = await fetch(`${sb.webhookUrl}batch`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ halt: 1, cmd }),
		});
		const body = (await response.json()) as { result: { result: Record<string, unknown> } };
		ids.push(...slice.map((_, index) => Number(body.result.result[`c${index}`])));
	}
	return ids;
}

export function companyRow(companyId: number, index: number): CompanyRow {
	return {
		companyId,
		lexofficeId: `5dc3a1c0-0000-4000-8000-${String(index).padStart(12, '0')}`,
		name: `Müller & Söhne ${index} GmbH`,
		vatId: `DE${String(100000000 + index)}`,
		taxNumber: `12/345/${String(10000 + index)}`,
		billing: {
			street: `Hauptstraße ${index + 1}`,
			supplement: 'Buchhaltung',
			zip: '10115',
			city: 'Berlin',
			countryCode: 'DE',
		},
		shipping: { street: `Lagerweg ${index + 2}`, supplement: '', zip: '80331', city: 'München', countryCode: 'de' },
	};
}

const addressParameters = (role: 'billing' | 'shipping', typeId: string): IDataObject => ({
	typeId,
	street: `={{ $json.${role}.street }}`,
	supplement: `={{ $json.${role}.supplement }}`,
	zip: `={{ $json.${role}.zip }}`,
	city: `={{ $json.${role}.city }}`,
	countryCode: `={{ $json.${role}.countryCode }}`,
});

/** Requisite → Create or Update for CompanyRow items; billing as type 6, shipping as type 11. */
export function companyUpsertParameters(extra: INodeParameters = {}): INodeParameters {
	return {
		resource: 'requisite',
		operation: 'upsert',
		entityType: 'company',
		entityId: '={{ $json.companyId }}',
		externalKey: '={{ $json.lexofficeId }}',
		requisiteFields: {
			companyName: '={{ $json.name }}',
			vatId: '={{ $json.vatId }}',
			taxNumber: '={{ $json.taxNumber }}',
		},
		addresses: { billing: addressParameters('billing', '6'), shipping: addressParameters('shipping', '11') },
		...extra,
	} as INodeParameters;
}

export const asItems = (rows: object[]): INodeExecutionData[] =>
	rows.map((row) => ({ json: { ...row } as IDataObject }));

export async function runRequisites(
	sb: Bitrix24Sandbox,
	parameters: INodeParameters,
	rows: object[],
	continueOnFail = false,
) {
	sb.requests.clear();
	return await runBitrix24(sb, { parameters, items: asItems(rows), continueOnFail });
}

const WRITE_METHOD = /\.(add|update|delete)$/;

/** The sub-calls of every batch request the sandbox saw, request by request. */
export const batchMethodsPerRequest = (sb: Bitrix24Sandbox) =>
	restCalls(sb).map((call) =>
		call.path.endsWith('/batch') ? (call.batchMethods ?? []) : [call.path.split('/').pop() as string],
	);

/** Every write command the sandbox saw, in order. */
export const writeMethods = (sb: Bitrix24Sandbox) =>
	batchMethodsPerRequest(sb)
		.flat()
		.filter((method) => WRITE_METHOD.test(method));

export const addressesOfRequisite = (sb: Bitrix24Sandbox, requisiteId: unknown) =>
	sb.state.addresses.filter((address) => address.ENTITY_TYPE_ID === 8 && address.ENTITY_ID === Number(requisiteId));

export const presetIdByXmlId = (sb: Bitrix24Sandbox, xmlId: string) =>
	sb.state.presets.find((preset) => preset.XML_ID === xmlId)?.ID;
