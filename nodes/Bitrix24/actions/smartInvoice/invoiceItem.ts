/** Reading and writing one smart invoice through crm.item.* with entityTypeId 31 (bitrix24-api.md §4.3, §6). */
import { type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { SMART_INVOICE_ENTITY_TYPE_ID } from '../../helpers/crmEntities';
import { positiveIdParameter } from '../../helpers/crmTargetParameters';
import { bitrix24Call } from '../../transport';

export const entityTypeId = SMART_INVOICE_ENTITY_TYPE_ID;

/** Title of an invoice whose number only the title can carry. */
const TITLE_PREFIX = 'Rechnung';

export const invoiceIdProperty: INodeProperties = {
	displayName: 'Invoice ID',
	name: 'invoiceId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '42',
	description: 'Numeric ID of the smart invoice in Bitrix24',
};

export function readInvoiceId(this: IExecuteFunctions, itemIndex: number): number {
	return positiveIdParameter.call(this, 'invoiceId', 'Invoice ID', itemIndex);
}

function itemOf(result: unknown): IDataObject {
	return ((result as IDataObject | undefined)?.item ?? {}) as IDataObject;
}

export async function getInvoice(this: IExecuteFunctions, id: number, itemIndex: number): Promise<IDataObject> {
	const answer = await bitrix24Call.call(this, 'crm.item.get', { entityTypeId, id }, { itemIndex });
	return itemOf(answer.result);
}

export async function addInvoice(
	this: IExecuteFunctions,
	fields: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const answer = await bitrix24Call.call(this, 'crm.item.add', { entityTypeId, fields }, { itemIndex });
	return itemOf(answer.result);
}

export async function updateInvoice(
	this: IExecuteFunctions,
	id: number,
	fields: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const answer = await bitrix24Call.call(this, 'crm.item.update', { entityTypeId, id, fields }, { itemIndex });
	return itemOf(answer.result);
}

/**
 * `accountNumber` is documented as a read field and may be read-only on a portal (§6 VERIFY). It
 * is always sent; when the answer shows the portal ignored it, the title is made to carry the
 * number, so the invoice stays findable by it.
 */
export async function keepAccountNumber(
	this: IExecuteFunctions,
	item: IDataObject,
	sent: IDataObject,
	isNew: boolean,
	itemIndex: number,
): Promise<IDataObject> {
	const number = sent.accountNumber;
	if (typeof number !== 'string' || String(item.accountNumber ?? '') === number) return item;
	const base = typeof sent.title === 'string' ? sent.title : isNew ? undefined : String(item.title ?? '');
	if (base?.includes(number)) return item;
	const title = base ? `${base} (${number})` : `${TITLE_PREFIX} ${number}`;
	return await updateInvoice.call(this, Number(item.id), { title }, itemIndex);
}
