/** The LexOffice sandbox's REST behaviour (lexoffice-api.md §1–§5, §7, §8), over real HTTP with fetch. */
import { startLexofficeSandbox, type LexofficeSandbox } from '../../sandbox/lexoffice';

interface Answer {
	status: number;
	body: any;
	headers: Headers;
}

function client(sandbox: () => LexofficeSandbox) {
	return async (
		path: string,
		{ method = 'GET', body, headers = {} }: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
	): Promise<Answer> => {
		const sb = sandbox();
		const response = await fetch(`${sb.url}${path}`, {
			method,
			headers: {
				Authorization: `Bearer ${sb.apiKey}`,
				...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
				...headers,
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON (e.g. a PDF)
		}
		return { status: response.status, body: parsed, headers: response.headers };
	};
}

const newPerson = (lastName: string, extra: Record<string, unknown> = {}) => ({
	version: 0,
	roles: { customer: {} },
	person: { salutation: 'Frau', firstName: 'Jürgen', lastName },
	...extra,
});

const minimalInvoice = (contactId: string) => ({
	voucherDate: '2025-09-01T00:00:00.000+02:00',
	address: { contactId },
	lineItems: [
		{
			type: 'custom',
			name: 'Leistung',
			quantity: 2,
			unitName: 'Stück',
			unitPrice: { currency: 'EUR', netAmount: 100, taxRatePercentage: 19 },
		},
	],
	totalPrice: { currency: 'EUR' },
	taxConditions: { taxType: 'net' },
	shippingConditions: { shippingType: 'none' },
});

let sb: LexofficeSandbox;
const api = client(() => sb);

beforeAll(async () => {
	sb = await startLexofficeSandbox({ seed: { contacts: 30, invoices: 0, seed: 3 } });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

describe('auth and media types (§1.2, §7)', () => {
	it('answers 401 for a missing or wrong key and 403 for a malformed header', async () => {
		expect(await api('/v1/profile', { headers: { Authorization: '' } })).toMatchObject({
			status: 401,
			body: { message: 'Unauthorized' },
		});
		expect(await api('/v1/profile', { headers: { Authorization: 'Bearer wrong' } })).toMatchObject({ status: 401 });
		const malformed = await api('/v1/profile', { headers: { Authorization: sb.apiKey } });
		expect(malformed.status).toBe(403);
		expect(malformed.body.message).toBe(
			`'${sb.apiKey}' not a valid key=value pair (missing equal-sign) in Authorization header: '${sb.apiKey}'.`,
		);
		const profile = await api('/v1/profile');
		expect(profile.body.organizationId).toBe(sb.organizationId);
	});

	it('refuses POST/PUT without application/json (415) and creates nothing', async () => {
		const before = sb.state.contacts.size;
		const answer = await api('/v1/contacts', {
			method: 'POST',
			body: JSON.stringify(newPerson('Groß')),
			headers: { 'Content-Type': 'text/plain' },
		});
		expect(answer.status).toBe(415);
		expect(sb.state.contacts.size).toBe(before);
	});
});

describe('contacts (§3)', () => {
	it('creates with 201, Location and an action result; numbers are assigned', async () => {
		const created = await api('/v1/contacts', { method: 'POST', body: newPerson('Weiß') });
		expect(created.status).toBe(201);
		expect(created.headers.get('location')).toBe(created.body.resourceUri);
		expect(Object.keys(created.body).sort()).toEqual(['createdDate', 'id', 'resourceUri', 'updatedDate', 'version']);
		const contact = (await api(`/v1/contacts/${created.body.id}`)).body;
		expect(contact.roles.customer.number).toEqual(expect.any(Number));
		expect(contact.person.lastName).toBe('Weiß');
		expect(contact.archived).toBe(false);
	});

	it('validates creation in the legacy IssueList format', async () => {
		const wrongVersion = await api('/v1/contacts', { method: 'POST', body: newPerson('X', { version: 1 }) });
		expect(wrongVersion.status).toBe(406);
		expect(wrongVersion.body.IssueList).toEqual([
			expect.objectContaining({ source: 'version', type: 'validation_failure' }),
		]);
		const noRoles = await api('/v1/contacts', { method: 'POST', body: { ...newPerson('X'), roles: {} } });
		expect(noRoles.body.IssueList).toEqual([
			{ i18nKey: 'missing_entity', source: 'roles', type: 'validation_failure', additionalData: null, args: null },
		]);
		const both = await api('/v1/contacts', {
			method: 'POST',
			body: { ...newPerson('X'), company: { name: 'Y GmbH' } },
		});
		expect(both.status).toBe(406);
		const twoEmails = await api('/v1/contacts', {
			method: 'POST',
			body: newPerson('X', { emailAddresses: { business: ['a@b.de', 'c@d.de'] } }),
		});
		expect(twoEmails.body.IssueList.map((issue: any) => issue.source)).toEqual(['emailAddresses.business']);
	});

	it('pages with default 25, max 250, includes archived contacts and sorts by name', async () => {
		const first = await api('/v1/contacts');
		expect(first.body).toMatchObject({
			totalElements: 30,
			size: 25,
			number: 0,
			first: true,
			last: false,
			totalPages: 2,
		});
		const second = await api('/v1/contacts?page=1');
		expect(second.body).toMatchObject({ numberOfElements: 5, last: true });
		const all = await api('/v1/contacts?size=1000');
		expect(all.body.size).toBe(250);
		expect(all.body.content.some((c: any) => c.archived)).toBe(true);
		const ids = [...first.body.content, ...second.body.content].map((c: any) => c.id);
		expect(new Set(ids).size).toBe(30);
	});

	it('name/email filters: ≥3 chars, case-insensitive substring, wildcards, contact persons', async () => {
		const short = await api('/v1/contacts?name=ab');
		expect(short.status).toBe(400);
		expect(short.body.IssueList[0]).toMatchObject({
			i18nKey: 'bad_request_error',
			source: expect.stringMatching(/^size must be between 3 and/),
		});

		const company = await api('/v1/contacts', {
			method: 'POST',
			body: {
				version: 0,
				roles: { vendor: {} },
				company: {
					name: 'Zündholz Werke AG',
					contactPersons: [{ lastName: 'Doe', firstName: 'John', emailAddress: 'john.doe@example.com' }],
				},
			},
		});
		const findEmail = async (pattern: string) =>
			(await api(`/v1/contacts?email=${encodeURIComponent(pattern)}`)).body.content.map((c: any) => c.id);
		expect(await findEmail('JOHN.DOE@')).toEqual([company.body.id]);
		expect(await findEmail('n_d_e@example.com')).toEqual([company.body.id]);
		expect(await findEmail('n\\_d\\_e@example.com')).toEqual([]);
		expect(await findEmail('john%example')).toEqual([company.body.id]);
		expect((await api(`/v1/contacts?name=${encodeURIComponent('zündholz')}`)).body.totalElements).toBe(1);
		expect((await api('/v1/contacts?name=abc&name=def')).status).toBe(400);
	});

	it('matches "&" only when sent HTML-encoded (§3.2)', async () => {
		await api('/v1/contacts', {
			method: 'POST',
			body: { version: 0, roles: { customer: {} }, company: { name: 'Johnson & Partner GmbH & Co. KG' } },
		});
		const search = async (name: string) =>
			(await api(`/v1/contacts?${new URLSearchParams({ name })}`)).body.totalElements as number;
		expect(await search('johnson &amp; partner')).toBe(1);
		expect(await search('johnson & partner')).toBe(0);
		expect(await search('gmbh &amp; co. kg')).toBeGreaterThanOrEqual(1);
	});

	it('filters by role and number', async () => {
		const all = [...sb.state.contacts.values()];
		const vendors = (await api('/v1/contacts?vendor=true&size=250')).body.content;
		expect(vendors.length).toBe(all.filter((c) => c.roles.vendor).length);
		const notCustomers = (await api('/v1/contacts?customer=false&size=250')).body.content;
		expect(notCustomers.every((c: any) => !c.roles.customer)).toBe(true);
		const someone = all.find((c) => c.roles.customer)!;
		const byNumber = (await api(`/v1/contacts?number=${someone.roles.customer!.number}`)).body.content;
		expect(byNumber.map((c: any) => c.id)).toEqual([someone.id]);
	});

	it('PUT: version conflict 409, archived and numbers read-only, multi-entry lists refused', async () => {
		const created = await api('/v1/contacts', { method: 'POST', body: newPerson('Köhler') });
		const current = (await api(`/v1/contacts/${created.body.id}`)).body;
		const number = current.roles.customer.number;

		const updated = await api(`/v1/contacts/${current.id}`, {
			method: 'PUT',
			body: { ...current, archived: true, roles: { customer: { number: 1 } }, note: 'geändert' },
		});
		expect(updated.status).toBe(200);
		expect(updated.body.version).toBe(current.version + 1);
		const after = (await api(`/v1/contacts/${current.id}`)).body;
		expect(after).toMatchObject({ archived: false, note: 'geändert', roles: { customer: { number } } });

		const stale = await api(`/v1/contacts/${current.id}`, { method: 'PUT', body: current });
		expect(stale.status).toBe(409);
		expect(stale.body.IssueList).toBeDefined();

		const multi = sb.simulate.createContact({
			roles: { customer: {} },
			person: { lastName: 'Mehrfach' },
			phoneNumbers: { mobile: ['0170 1', '0170 2'] },
		});
		const roundTrip = await api(`/v1/contacts/${multi.id}`, {
			method: 'PUT',
			body: (await api(`/v1/contacts/${multi.id}`)).body,
		});
		expect(roundTrip.status).toBe(406);
		expect(roundTrip.body.IssueList[0].source).toBe('phoneNumbers.mobile');
		expect(sb.state.contacts.get(multi.id)!.version).toBe(multi.version);
	});

	it('has no DELETE (405)', async () => {
		const id = [...sb.state.contacts.keys()][0];
		expect((await api(`/v1/contacts/${id}`, { method: 'DELETE' })).status).toBe(405);
		expect(sb.state.contacts.has(id)).toBe(true);
	});
});

describe('invoices (§4) and payments (§8.1)', () => {
	const customerId = () => [...sb.state.contacts.values()].find((c) => c.roles.customer && !c.roles.vendor)!.id;

	it('creates drafts with a voucher number; validation uses the regular format', async () => {
		const draft = await api('/v1/invoices', { method: 'POST', body: minimalInvoice(customerId()) });
		expect(draft.status).toBe(201);
		const invoice = (await api(`/v1/invoices/${draft.body.id}`)).body;
		expect(invoice).toMatchObject({
			voucherStatus: 'draft',
			voucherNumber: expect.stringMatching(/^RE\d+$/),
			dueDate: null,
		});
		expect(invoice.totalPrice).toMatchObject({ totalNetAmount: 200, totalTaxAmount: 38, totalGrossAmount: 238 });
		expect(invoice.address.name).toBeTruthy();

		const withoutShipping: Record<string, unknown> = {
			...minimalInvoice(customerId()),
			voucherDate: '2025-09-01T00:00:00+02:00',
		};
		delete withoutShipping.shippingConditions;
		const invalid = await api('/v1/invoices', { method: 'POST', body: withoutShipping });
		expect(invalid.status).toBe(406);
		expect(invalid.body).toMatchObject({ status: 406, error: 'Not Acceptable', path: '/v1/invoices' });
		expect(invalid.body.details.map((d: any) => d.field).sort()).toEqual([
			'shippingConditions.shippingType',
			'voucherDate',
		]);

		const vendorOnly = sb.simulate.createContact({ roles: { vendor: {} }, company: { name: 'Lieferant GmbH' } });
		const forVendor = await api('/v1/invoices', { method: 'POST', body: minimalInvoice(vendorOnly.id) });
		expect(forVendor.body.details).toEqual([expect.objectContaining({ field: 'address.contactId' })]);
	});

	it('serves the PDF of finalized invoices only; Accept handling of /file', async () => {
		const draft = await api('/v1/invoices', { method: 'POST', body: minimalInvoice(customerId()) });
		expect((await api(`/v1/invoices/${draft.body.id}/file`)).status).toBe(409);
		expect((await api(`/v1/payments/${draft.body.id}`)).status).toBe(406);

		const open = await api('/v1/invoices?finalize=true', { method: 'POST', body: minimalInvoice(customerId()) });
		const invoice = sb.state.invoices.get(open.body.id)!;
		expect(invoice.voucherStatus).toBe('open');
		const response = await fetch(`${sb.url}/v1/invoices/${open.body.id}/file`, {
			headers: { Authorization: `Bearer ${sb.apiKey}`, Accept: 'application/pdf' },
		});
		const bytes = Buffer.from(await response.arrayBuffer());
		expect(response.headers.get('content-type')).toBe('application/pdf');
		expect(response.headers.get('content-disposition')).toContain(`${invoice.voucherNumber}.pdf`);
		expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
		expect(bytes.toString('latin1')).toMatch(/startxref\n\d+\n%%EOF\n$/);
		expect((await api(`/v1/invoices/${open.body.id}/file`, { headers: { Accept: 'application/xml' } })).status).toBe(
			404,
		);
		expect((await api(`/v1/invoices/${open.body.id}/file`, { headers: { Accept: 'text/html' } })).status).toBe(406);

		expect((await api('/v1/invoices')).status).toBe(405);
		expect((await api(`/v1/invoices/${open.body.id}`, { method: 'PUT', body: {} })).status).toBe(405);

		sb.simulate.payInvoice(open.body.id, 100);
		expect((await api(`/v1/payments/${open.body.id}`)).body).toMatchObject({
			openAmount: 138,
			paymentStatus: 'openRevenue',
			voucherStatus: 'open',
		});
		sb.simulate.payInvoice(open.body.id);
		expect((await api(`/v1/payments/${open.body.id}`)).body).toMatchObject({
			openAmount: 0,
			paymentStatus: 'balanced',
			voucherStatus: 'paid',
		});
	});
});

describe('voucherlist (§5)', () => {
	const list = async (query: string) => await api(`/v1/voucherlist?${query}`);

	it('requires voucherType and voucherStatus and strict yyyy-MM-dd dates', async () => {
		expect((await list('voucherType=invoice')).status).toBe(400);
		expect((await list('voucherType=dunning&voucherStatus=any')).status).toBe(400);
		const iso = await list(
			`voucherType=invoice&voucherStatus=any&voucherDateFrom=${encodeURIComponent('2025-01-01T00:00:00+00:00')}`,
		);
		expect(iso.status).toBe(400);
		expect(iso.body.message).toBe(
			"Invalid value '2025-01-01T00:00:00+00:00' received for request parameter 'voucherDateFrom'.",
		);
		expect((await list('voucherType=invoice&voucherStatus=overdue,open')).status).toBe(400);
	});

	it('compares whole days in Europe/Berlin and derives overdue', async () => {
		const customer = [...sb.state.contacts.values()].find((c) => c.roles.customer)!.id;
		// 23:30 UTC on 1 March is 00:30 on 2 March in Berlin.
		const late = sb.simulate.createInvoice(
			{ ...minimalInvoice(customer), voucherDate: '2025-03-01T23:30:00.000Z' },
			{ finalize: true },
		);
		const ids = async (query: string) =>
			(await list(`voucherType=invoice&voucherStatus=any&${query}`)).body.content.map((v: any) => v.id);
		expect(await ids('voucherDateFrom=2025-03-02&voucherDateTo=2025-03-02')).toEqual([late.id]);
		expect(await ids('voucherDateTo=2025-03-01')).toEqual([]);

		const overdue = (await list('voucherType=invoice&voucherStatus=overdue')).body.content;
		expect(overdue.map((v: any) => [v.id, v.voucherStatus])).toEqual([[late.id, 'overdue']]);
		expect((await list('voucherType=invoice&voucherStatus=open')).body.content[0].voucherStatus).toBe('overdue');
		expect((await list('voucherType=invoice&voucherStatus=draft')).body.totalElements).toBe(0);
	});

	it('enforces the search window and caps totalElements', async () => {
		const windowed = await startLexofficeSandbox({ searchWindow: 100, seed: { contacts: 10, invoices: 120 } });
		try {
			const get = async (query: string) =>
				await fetch(`${windowed.url}/v1/voucherlist?voucherType=invoice&voucherStatus=any&${query}`, {
					headers: { Authorization: `Bearer ${windowed.apiKey}` },
				});
			const lastInWindow = await (await get('page=3&size=25')).json();
			expect(lastInWindow).toMatchObject({ totalElements: 100, totalPages: 4, numberOfElements: 25, last: true });
			const beyond = await get('page=4&size=25');
			expect(beyond.status).toBe(400);
			expect(((await beyond.json()) as any).message).toBe('Maximum search window size exceeded');
			const sortedPage = (await (await get('size=100&sort=voucherNumber,ASC')).json()) as any;
			const sorted: number[] = sortedPage.content.map((v: any) => Number(v.voucherNumber.slice(2)));
			expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
		} finally {
			await windowed.close();
		}
	});
});

describe('rate limit (§2) and faults', () => {
	it('answers a burst beyond the bucket with 429 and performs none of the rejected calls', async () => {
		sb.setLimits({ capacity: 3, refillPerSecond: 0.01 });
		const before = sb.state.contacts.size;
		const answers = await Promise.all(
			Array.from({ length: 7 }, (_, i) => api('/v1/contacts', { method: 'POST', body: newPerson(`Burst${i}`) })),
		);
		const statuses = answers.map((a) => a.status).sort();
		expect(statuses).toEqual([201, 201, 201, 429, 429, 429, 429]);
		expect(sb.state.contacts.size).toBe(before + 3);
		expect(sb.requests.count({ status: 429 })).toBe(4);
	});

	it('can answer rate-limited calls with the ambiguous 500', async () => {
		const mixed = await startLexofficeSandbox({
			limits: { capacity: 1, refillPerSecond: 0.01 },
			rateLimitAs500Rate: 1,
		});
		try {
			const call = async () =>
				await fetch(`${mixed.url}/v1/profile`, { headers: { Authorization: `Bearer ${mixed.apiKey}` } });
			expect((await call()).status).toBe(200);
			const limited = await call();
			expect(limited.status).toBe(500);
			expect(await limited.json()).toEqual({ message: 'Internal server error or rate limit exceeded' });
		} finally {
			await mixed.close();
		}
	});

	it('afterProcessing: a 504 after the contact was created; a dropped connection before', async () => {
		const before = sb.state.contacts.size;
		sb.setFaults({ failNext: [{ method: 'POST', pathIncludes: '/v1/contacts', status: 504, afterProcessing: true }] });
		const timedOut = await api('/v1/contacts', { method: 'POST', body: newPerson('Timeout') });
		expect(timedOut).toMatchObject({ status: 504, body: { message: 'Endpoint request timed out' } });
		expect(sb.state.contacts.size).toBe(before + 1);
		expect((await api(`/v1/contacts?name=timeout`)).body.totalElements).toBe(1);

		sb.faults.failNext({ method: 'POST', dropConnection: true });
		await expect(api('/v1/contacts', { method: 'POST', body: newPerson('Dropped') })).rejects.toThrow();
		expect(sb.state.contacts.size).toBe(before + 1);
		expect(sb.requests.filter({ method: 'POST' }).map((e) => [e.status, e.fault, e.processed])).toEqual([
			[504, 'injected', true],
			[0, 'dropped', undefined],
		]);
	});
});
