/** Said wherever an operation needs application context (bitrix24-api.md §0.1, §8, §9). */
export const APP_CONTEXT_NOTE =
	'Needs Authentication "OAuth2 (Local Application)" and a Bitrix24 administrator; an incoming webhook cannot call it.';
