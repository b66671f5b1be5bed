/**
 * "Which CRM record?" as node parameters: a record type and its numeric id, read and checked
 * before anything is sent. Shared by the Timeline, Document and Automation resources.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { CRM_TARGETS, crmTargetOf, positiveId, type CrmTarget, type CrmTargetType } from './crmEntities';

/** A positive integer parameter, or an error naming the field and what to enter instead. */
export function positiveIdParameter(this: IExecuteFunctions, name: string, label: string, itemIndex: number): number {
	const raw = this.getNodeParameter(name, itemIndex) as unknown;
	const id = positiveId(raw);
	if (id !== null) return id;
	throw new NodeOperationError(
		this.getNode(),
		`"${label}" must be a positive whole number, got "${String(raw ?? '')}"`,
		{
			itemIndex,
			description: `Enter the numeric ID from Bitrix24 (the number in the record's address, e.g. 42), or map it from an earlier node.`,
		},
	);
}

/** A required text parameter, trimmed; empty is refused with the field's name. */
export function requiredTextParameter(this: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const raw = this.getNodeParameter(name, itemIndex, '') as unknown;
	const text = raw === undefined || raw === null ? '' : String(raw).trim();
	if (text !== '') return text;
	throw new NodeOperationError(this.getNode(), `"${label}" is empty`, {
		itemIndex,
		description: `Bitrix24 requires "${label}". Enter a value or map one from an earlier node.`,
	});
}

export interface CrmTargetPropertyOptions {
	types: CrmTargetType[];
	/** Help text of the record type parameter. */
	typeDescription: string;
	defaultType?: CrmTargetType;
}

/** The "Record Type" dropdown and "Record ID" field; show them with updateDisplayOptions. */
export function crmTargetProperties(options: CrmTargetPropertyOptions): INodeProperties[] {
	const defaultType = options.defaultType ?? options.types[0];
	const choices = options.types
		.map((type) => ({ name: CRM_TARGETS[type].displayName, value: type }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return [
		{
			displayName: 'Record Type',
			name: 'entityType',
			type: 'options',
			options: choices,
			default: defaultType,
			description: options.typeDescription,
		},
		{
			displayName: 'Record ID',
			name: 'entityId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '42',
			description: 'Numeric ID of the record in Bitrix24',
		},
	];
}

/** The record the item points at, checked against the types the operation offers. */
export function readCrmTarget(
	this: IExecuteFunctions,
	itemIndex: number,
	allowed: CrmTargetType[],
): { target: CrmTarget; id: number } {
	const type = this.getNodeParameter('entityType', itemIndex) as unknown;
	const target = crmTargetOf(type);
	if (!target || !allowed.includes(target.type)) {
		throw new NodeOperationError(this.getNode(), `"Record Type" cannot be "${String(type)}" here`, {
			itemIndex,
			description: `Choose one of: ${allowed.map((allowedType) => CRM_TARGETS[allowedType].displayName).join(', ')}.`,
		});
	}
	return { target, id: positiveIdParameter.call(this, 'entityId', 'Record ID', itemIndex) };
}
