import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Create and Update: output the contact as LexOffice now has it, or only LexOffice's answer. */
export const returnFullContactOption: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Return Full Contact',
			name: 'returnFullContact',
			type: 'boolean',
			default: true,
			description:
				"Whether to read the contact back after writing it (one more request), so the output includes the customer and vendor numbers LexOffice assigned. Otherwise the output is LexOffice's answer: ID, version and dates.",
		},
	],
};

export function wantsFullContact(this: IExecuteFunctions, itemIndex: number): boolean {
	const options = this.getNodeParameter('options', itemIndex, {}) as { returnFullContact?: boolean };
	return options.returnFullContact ?? true;
}

/** Get and Get Many with Simplify: these fields, flattened; city is the first billing address's (lexoffice-api.md §3). */
export const SIMPLE_CONTACT_FIELDS = [
	'id',
	'version',
	'name',
	'customerNumber',
	'vendorNumber',
	'email',
	'phone',
	'city',
	'archived',
] as const;

/** The first entry of a LexOffice `{kind: [values]}` list (emailAddresses, phoneNumbers), in the order LexOffice documents the kinds. */
function firstOf(lists: unknown): unknown {
	if (typeof lists !== 'object' || lists === null) return null;
	for (const values of Object.values(lists as Record<string, unknown>)) {
		if (Array.isArray(values) && values.length > 0) return values[0];
	}
	return null;
}

export function simplifyContact(contact: IDataObject): IDataObject {
	const company = contact.company as IDataObject | undefined;
	const person = contact.person as IDataObject | undefined;
	const roles = (contact.roles ?? {}) as { customer?: { number?: number }; vendor?: { number?: number } };
	const billing = (contact.addresses as { billing?: Array<{ city?: string }> } | undefined)?.billing;
	const name = company?.name ?? ([person?.firstName, person?.lastName].filter(Boolean).join(' ') || null);
	return {
		id: contact.id,
		version: contact.version,
		name,
		customerNumber: roles.customer?.number ?? null,
		vendorNumber: roles.vendor?.number ?? null,
		email: firstOf(contact.emailAddresses),
		phone: firstOf(contact.phoneNumbers),
		city: billing?.[0]?.city ?? null,
		archived: contact.archived ?? false,
	} as IDataObject;
}
