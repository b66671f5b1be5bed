/**
 * im.notify.system.add: a system notification to a user (scope `im`). Not in bitrix24-api.md;
 * modelled on the official method page (parameters USER_ID, MESSAGE, TAG; answers the new
 * notification's id). VERIFY on a live portal: the error text for an unknown user.
 */
import { done, param, positiveInt, type MethodTable } from '../context';
import { B24Error } from '../errors';
import { nextId } from '../state';

export const notifyMethods: MethodTable = {
	'im.notify.system.add': {
		scope: 'im',
		handler: (context) => {
			const userId = positiveInt(param(context.params, 'USER_ID'));
			const message = String(param(context.params, 'MESSAGE') ?? '').trim();
			if (!userId || !context.portal.user(userId))
				throw new B24Error(400, 'USER_ID_EMPTY', 'Recipient user is not specified or does not exist');
			if (!message) throw new B24Error(400, 'MESSAGE_EMPTY', "Message can't be empty");
			const tag = param(context.params, 'TAG');
			const id = nextId(context.portal.state, 'notification');
			context.portal.state.notifications.push({
				id,
				userId,
				message,
				tag: typeof tag === 'string' && tag !== '' ? tag : null,
				byUserId: context.auth.user.ID,
				at: context.portal.iso(),
			});
			return done(id);
		},
	},
};
