import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { bitrix24Call } from '../../transport';
import type { OperationOption } from '../../../shared/operation';

export const option: OperationOption = {
	name: 'Send Notification',
	value: 'sendNotification',
	description: 'Send a system notification to a user (the bell in Bitrix24)',
	action: 'Send a notification to a user',
};

const displayOptions = { show: { resource: ['user'], operation: ['sendNotification'] } };

export const description: INodeProperties[] = updateDisplayOptions(displayOptions, [
	{
		displayName: 'Recipient Name or ID',
		name: 'userId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUsers' },
		default: '',
		description:
			'User to notify. Empty: the user the credential acts as. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'Text of the notification; BB code such as [b]…[/b] and [URL=…]…[/URL] is shown formatted',
	},
	{
		displayName: 'Tag',
		name: 'tag',
		type: 'string',
		default: '',
		description:
			'A notification with the same tag replaces the previous one, e.g. "lexoffice-import" for one current import report',
	},
]);

/** im.notify.system.add (scope im): the webhook needs the "im" permission. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const message = String(this.getNodeParameter('message', itemIndex, '') ?? '').trim();
	if (!message) {
		throw new NodeOperationError(this.getNode(), 'Message is empty', {
			itemIndex,
			description: 'Enter the text of the notification.',
		});
	}
	const raw = String(this.getNodeParameter('userId', itemIndex, '') ?? '').trim();
	if (raw !== '' && !/^\d+$/.test(raw)) {
		throw new NodeOperationError(this.getNode(), `"Recipient" must be a user ID, got "${raw}"`, {
			itemIndex,
			description: 'Choose the recipient from the list, or map a numeric Bitrix24 user ID.',
		});
	}
	const userId =
		raw !== ''
			? Number(raw)
			: Number(((await bitrix24Call.call(this, 'user.current', {}, { itemIndex })).result as IDataObject).ID);
	const tag = String(this.getNodeParameter('tag', itemIndex, '') ?? '').trim();
	const response = await bitrix24Call.call(
		this,
		'im.notify.system.add',
		{ USER_ID: userId, MESSAGE: message, ...(tag ? { TAG: tag } : {}) },
		{ itemIndex },
	);
	return this.helpers.returnJsonArray({ notificationId: response.result as number, userId });
}
