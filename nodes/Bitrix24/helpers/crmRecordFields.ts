import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { positiveId } from './crmEntities';
import type { CrmFieldDescriptions } from './crmFieldSchema';
import { FieldValueError, toBitrix24Fields, type ConvertedFields } from './crmFieldValues';
import { currentMultifields, diffMultifield } from './multifieldDiff';
import { bitrix24Call, type Bitrix24Context, type BatchCommandResult } from '../transport';
import type { CrmEntity } from './crmRecordEntity';
import { portalSetupRead } from './portalReads';

/** The resourceMapper parameter of Create, Update and Upsert. */
export const FIELDS_PARAMETER = 'recordFields';

export type MultifieldMode = 'replace' | 'append';

/** The `*.fields` answer is an object keyed by field name; anything else is unusable. */
export function asFieldDescriptions(result: unknown): CrmFieldDescriptions {
	if (typeof result !== 'object' || result === null || Array.isArray(result)) return {};
	return result as CrmFieldDescriptions;
}

/**
 * The live field list (custom fields included), fetched once per execution and credential: every
 * item of a run, and every run of a node in a loop, converts its values with the same field types.
 */
export const fieldDescriptions = portalSetupRead(
	(entity: CrmEntity) => `${entity.methodPrefix}.fields`,
	async function (this: Bitrix24Context, entity: CrmEntity): Promise<CrmFieldDescriptions> {
		return asFieldDescriptions((await bitrix24Call.call(this, `${entity.methodPrefix}.fields`)).result);
	},
);

/**
 * The item's values in Bitrix24's format. "Map Automatically" takes the input item's keys that
 * are Bitrix24 field names; "Map Each Field Below" takes the mapping, where an unknown field is
 * an error (the portal's fields changed since the mapping was made).
 */
export function convertMappedValues(
	this: IExecuteFunctions,
	itemIndex: number,
	descriptions: CrmFieldDescriptions,
): ConvertedFields {
	const mode = this.getNodeParameter(`${FIELDS_PARAMETER}.mappingMode`, itemIndex, 'defineBelow') as string;
	let values: IDataObject;
	if (mode === 'autoMapInputData') {
		const json = this.getInputData()[itemIndex]?.json ?? {};
		values = Object.fromEntries(
			Object.entries(json).filter(([key]) => Object.prototype.hasOwnProperty.call(descriptions, key)),
		);
	} else {
		values = (this.getNodeParameter(`${FIELDS_PARAMETER}.value`, itemIndex, {}) ?? {}) as IDataObject;
	}
	try {
		return toBitrix24Fields(descriptions, values);
	} catch (error) {
		if (!(error instanceof FieldValueError))
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		throw new NodeOperationError(this.getNode(), error.message, {
			itemIndex,
			description: `Change the value mapped to "${error.field}" in Fields to Map, or refresh the field list if the portal's fields changed.`,
		});
	}
}

/**
 * The `fields` to send: the scalar values plus, per multifield, the entries that make Bitrix24
 * hold exactly the desired list (or add to it), diffed against the record's current entries.
 */
export function withMultifieldWrites(
	converted: ConvertedFields,
	current: Record<string, unknown> | undefined,
	mode: MultifieldMode,
): IDataObject {
	const fields: IDataObject = { ...converted.fields };
	for (const [type, desired] of Object.entries(converted.multifields)) {
		const writes = diffMultifield(type, currentMultifields(current, type), desired, mode);
		if (writes.length > 0) fields[type] = writes as unknown as IDataObject[];
	}
	return fields;
}

/** The record id parameter, checked before anything is sent. */
export function recordIdOf(this: IExecuteFunctions, itemIndex: number, entity: CrmEntity): number {
	const raw = this.getNodeParameter('recordId', itemIndex, '', { extractValue: true }) as unknown;
	const id = positiveId(raw);
	if (id !== null) return id;
	throw new NodeOperationError(
		this.getNode(),
		`The ${entity.displayName} ID "${String(raw)}" is not a Bitrix24 record id`,
		{
			itemIndex,
			description: `Enter the numeric ID of the ${entity.resource} or the address of its card (https://<portal>/crm/${entity.resource}/details/42/).`,
		},
	);
}

/** A failed batch sub-call as the error a user sees: Bitrix24's own text first (§2, §3.3). */
export function commandError(
	this: Bitrix24Context,
	method: string,
	result: Extract<BatchCommandResult, { ok: false }>,
	itemIndex?: number,
): NodeApiError {
	const response: JsonObject = { error: result.error, error_description: result.description, method };
	return new NodeApiError(this.getNode(), response, {
		message: result.description || result.error || `Bitrix24 method ${method} failed`,
		description: `Bitrix24 method ${method} (inside a batch request) failed with error code ${result.error || '(none)'}.`,
		itemIndex,
	});
}
