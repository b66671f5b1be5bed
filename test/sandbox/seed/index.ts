/** Deterministic German seed data shared by the sandboxes: same seed → same data. */
export * from './german';
export * from './lexofficeContacts';
export * from './lexofficeInvoices';
