/**
 * The parameters of Requisite → Create or Update and how one item's values are read and checked,
 * before anything is sent.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { crmTargetProperties, readCrmTarget } from '../../helpers/crmTargetParameters';
import {
	ADDRESS_ROLES,
	addressTypeIdOf,
	asNodeInputError,
	addressTypeProperty,
	addressValueProperties,
	countryNameLanguageProperty,
	toAddressValues,
	type AddressRole,
	type AddressValues,
	type CountryNameLanguage,
} from '../../helpers/addressValues';
import { presetChoiceOf } from '../../helpers/requisitePresets';

export const OWNER_TYPES = ['company', 'contact'] as const;

/** Named requisite fields of the German templates (§5), by their parameter name. */
const NAMED_FIELDS: Record<string, string> = {
	companyName: 'RQ_COMPANY_NAME',
	firstName: 'RQ_FIRST_NAME',
	lastName: 'RQ_LAST_NAME',
	taxNumber: 'RQ_INN',
	vatId: 'RQ_VAT_ID',
};

const OTHER_FIELD_NAME = /^(RQ|UF_CRM)_[A-Z0-9_]+$/;

export interface ManagedAddress {
	role: AddressRole;
	typeId: number;
	/** null: the item leaves this address empty. */
	values: AddressValues | null;
}

export interface RequisiteInput {
	itemIndex: number;
	ownerEntityTypeId: number;
	ownerId: number;
	/** Kept in XML_ID; empty when the item has none. */
	externalKey: string;
	presetChoice: string;
	/** NAME as given; empty keeps an existing name and derives one on create. */
	name: string;
	/** RQ_* / UF_CRM_* values the item manages (an empty string clears a field). */
	fields: Record<string, string>;
	addresses: ManagedAddress[];
	removeMissingAddresses: boolean;
}

const textField = (displayName: string, name: string, description: string, placeholder = ''): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
	description,
});

export function upsertProperties(): INodeProperties[] {
	return [
		...crmTargetProperties({
			types: [...OWNER_TYPES],
			defaultType: 'company',
			typeDescription: 'Whether the requisite belongs to a company or a contact',
		}),
		textField(
			'External Key',
			'externalKey',
			"Stored in the requisite's XML_ID and used to find it again, e.g. the LexOffice contact ID. Empty: the record's requisite with the chosen template is used.",
			'e.g. the LexOffice contact ID',
		),
		{
			displayName: 'Template Name or ID',
			name: 'presetId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getRequisitePresets' },
			default: '',
			description:
				'Requisite template (preset). Default: the German default for the record type (company or person), found by XML_ID when the node runs, so the workflow works on any portal. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		textField(
			'Requisite Name',
			'requisiteName',
			'Name of the requisite in the CRM card (NAME). Empty: a new requisite is named after the company or person below; an existing one keeps its name.',
		),
		{
			displayName: 'Requisite Fields',
			name: 'requisiteFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description: 'Fields to keep equal to the item; an added field left empty is cleared in Bitrix24',
			options: [
				textField('Company Name', 'companyName', 'RQ_COMPANY_NAME'),
				textField('First Name', 'firstName', 'RQ_FIRST_NAME'),
				textField('Last Name', 'lastName', 'RQ_LAST_NAME'),
				textField('Tax Number', 'taxNumber', 'Steuernummer (RQ_INN)'),
				textField('VAT ID', 'vatId', 'USt-IdNr., e.g. DE123456789 (RQ_VAT_ID)'),
			],
		},
		{
			displayName: 'Other Fields',
			name: 'otherFields',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Field',
			default: {},
			description: 'More requisite fields by their Bitrix24 name, e.g. RQ_USRLE (Handelsregisternummer) or UF_CRM_…',
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						textField('Field Name', 'name', 'An RQ_… or UF_CRM_… field of the requisite', 'RQ_USRLE'),
						textField('Value', 'value', 'Value to store; empty clears the field'),
					],
				},
			],
		},
		{
			displayName: 'Addresses',
			name: 'addresses',
			type: 'fixedCollection',
			placeholder: 'Add Address',
			default: {},
			description:
				'Addresses kept on the requisite, each stored as the chosen address type. Addresses of other types are left alone.',
			// Written out: n8n's lint rules read fixedCollection options literally.
			options: [
				{
					displayName: 'Billing Address',
					name: 'billing',
					values: [
						addressTypeProperty(
							'Address Type Name or ID',
							`Address type the billing address is stored as. Empty: type ${ADDRESS_ROLES.billing.defaultTypeId}.`,
						),
						...addressValueProperties(),
					],
				},
				{
					displayName: 'Shipping Address',
					name: 'shipping',
					values: [
						addressTypeProperty(
							'Address Type Name or ID',
							`Address type the shipping address is stored as. Empty: type ${ADDRESS_ROLES.shipping.defaultTypeId}, the delivery address.`,
						),
						...addressValueProperties(),
					],
				},
			],
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				countryNameLanguageProperty,
				{
					displayName: 'Remove Missing Addresses',
					name: 'removeMissingAddresses',
					type: 'boolean',
					default: false,
					description:
						'Whether to delete the billing or shipping address in Bitrix24 when the item leaves it empty. Off: an empty address on the item changes nothing.',
				},
			],
		},
	];
}

function inputError(
	this: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), message, { itemIndex, description });
}

function readFields(this: IExecuteFunctions, itemIndex: number): Record<string, string> {
	const fields: Record<string, string> = {};
	const named = this.getNodeParameter('requisiteFields', itemIndex, {}) as IDataObject;
	for (const [parameter, value] of Object.entries(named)) {
		if (NAMED_FIELDS[parameter]) fields[NAMED_FIELDS[parameter]] = String(value ?? '').trim();
	}
	const other = this.getNodeParameter('otherFields.field', itemIndex, []) as IDataObject[];
	for (const entry of other) {
		const name = String(entry.name ?? '')
			.trim()
			.toUpperCase();
		if (!OTHER_FIELD_NAME.test(name)) {
			throw inputError.call(
				this,
				itemIndex,
				`"Other Fields": "${String(entry.name ?? '')}" is not a requisite field name`,
				'Use the Bitrix24 name of a requisite field, starting with RQ_ (e.g. RQ_USRLE) or UF_CRM_ (a custom field).',
			);
		}
		fields[name] = String(entry.value ?? '').trim();
	}
	return fields;
}

function readAddresses(this: IExecuteFunctions, itemIndex: number, language: CountryNameLanguage): ManagedAddress[] {
	const given = this.getNodeParameter('addresses', itemIndex, {}) as Partial<Record<AddressRole, IDataObject>>;
	const addresses: ManagedAddress[] = [];
	for (const role of Object.keys(ADDRESS_ROLES) as AddressRole[]) {
		const raw = given[role];
		if (!raw) continue;
		const { label } = ADDRESS_ROLES[role];
		try {
			const typeId = addressTypeIdOf(raw.typeId || ADDRESS_ROLES[role].defaultTypeId, `${label}: Address Type`);
			addresses.push({ role, typeId, values: toAddressValues(raw, language, label) });
		} catch (error) {
			throw asNodeInputError(this.getNode(), itemIndex, error);
		}
	}
	if (addresses.length === 2 && addresses[0].typeId === addresses[1].typeId) {
		throw inputError.call(
			this,
			itemIndex,
			'Billing Address and Shipping Address have the same address type',
			'A requisite holds one address per type. Choose different address types for the two addresses.',
		);
	}
	return addresses;
}

/** One item's values, checked; throws a NodeOperationError that names the parameter. */
export function readRequisiteInput(this: IExecuteFunctions, itemIndex: number): RequisiteInput {
	const { target, id } = readCrmTarget.call(this, itemIndex, [...OWNER_TYPES]);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const language = options.countryNameLanguage === 'en' ? 'en' : 'de';
	return {
		itemIndex,
		ownerEntityTypeId: target.entityTypeId,
		ownerId: id,
		externalKey: String(this.getNodeParameter('externalKey', itemIndex, '') ?? '').trim(),
		presetChoice: presetChoiceOf(this.getNode(), this.getNodeParameter('presetId', itemIndex), itemIndex),
		name: String(this.getNodeParameter('requisiteName', itemIndex, '') ?? '').trim(),
		fields: readFields.call(this, itemIndex),
		addresses: readAddresses.call(this, itemIndex, language),
		removeMissingAddresses: options.removeMissingAddresses === true,
	};
}

/** NAME for a new requisite: as given, else the company or person it describes. */
export function nameForNewRequisite(input: RequisiteInput): string {
	if (input.name) return input.name;
	const person = [input.fields.RQ_FIRST_NAME, input.fields.RQ_LAST_NAME].filter(Boolean).join(' ');
	return input.fields.RQ_COMPANY_NAME || person;
}
