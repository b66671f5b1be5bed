/** Placement → Build Answer Page: the page a Respond to Webhook node answers a button click with. */
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { restCalls } from '../helpers';
import { runBitrix24 } from '../crm/helpers';

describe('Placement → Build Answer Page', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => (sb = await startBitrix24Sandbox({ limits: 'off' })));
	afterAll(async () => await sb.close());
	const render = async (parameters: Record<string, string>) =>
		await runBitrix24(sb, { parameters: { resource: 'placement', operation: 'renderPage', ...parameters } });

	it('escapes the texts, links the target and sends no request', async () => {
		sb.requests.clear();
		const { json } = await render({
			title: 'Rechnung <erstellt>',
			message: 'Für Müller & Söhne',
			url: 'https://app.lexware.de/permalink/invoices/edit/7',
			linkText: 'Öffnen',
		});
		const html = String(json[0].html);
		expect(html).toContain('<h1>Rechnung &lt;erstellt&gt;</h1>');
		expect(html).toContain('<p>Für Müller &amp; Söhne</p>');
		expect(html).toContain('href="https://app.lexware.de/permalink/invoices/edit/7" target="_blank"');
		expect(restCalls(sb)).toHaveLength(0);
	});

	it('shows only text without a link, and refuses a link that is not http(s)', async () => {
		expect(String((await render({ title: 'Fehler', message: 'Kaputt' })).json[0].html)).not.toContain('<a ');
		await expect(render({ title: 'x', url: 'javascript:alert(1)' })).rejects.toThrow(
			/Link URL: The redirect URL must start with https/,
		);
		await expect(render({ title: ' ' })).rejects.toThrow('Title is empty');
	});
});
