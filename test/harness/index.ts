// The real-n8n harness: install (cached), pack + install our package, start, talk to the API.
export * from './declaredTypes';
export * from './ensureN8n';
export * from './executionData';
export * from './n8nClient';
export * from './n8nProcess';
export * from './packAndInstall';
export * from './poll';
