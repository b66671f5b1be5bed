/**
 * The real-n8n harness: n8n 2.41.1 on Node 24 from a per-user cache, our package packed and
 * installed the way users get it, and a small API client.
 *
 *   const n8n = await startN8n();            // pack + install this repo, start, wait for readiness
 *   await n8n.setupOwner();                  // session cookie for /rest
 *   await n8n.createApiKey();                // API key for /api/v1
 *   const { id } = await n8n.createCredential('LexOffice', 'lexofficeApi', { apiKey, host });
 *   await n8n.testCredential(id);            // { status: 'OK' | 'Error', message }
 *   const wf = await n8n.importWorkflow(json);
 *   const executionId = await n8n.runManually(wf.id, 'Manual Trigger');
 *   const execution = await n8n.waitForExecution(wf.id, (e) => e.id === executionId);
 *   nodeOutputJson(execution, 'LexOffice');
 *   await n8n.publish(wf.id); await n8n.waitPublished(wf.id);   // then POST n8n.webhookUrl(path)
 *   await n8n.stop();                        // in afterAll; kills the process group, removes temp dirs
 *
 * N8N_E2E_KEEP=1 keeps the user folder and n8n.log after stop() for debugging.
 *
 *   const stack = await startQueueStack();   // PostgreSQL + Redis + main + 2 workers + webhook processor
 *   stack.main is an N8nInstance as above; stack.workerOf(executionId); await stack.stop();
 */
export * from './declaredTypes';
export * from './editorIssues';
export * from './ensureN8n';
export * from './executionData';
export * from './n8nClient';
export * from './n8nProcess';
export * from './managedProcess';
export * from './packAndInstall';
export * from './poll';
export * from './queueStack';
export * from './bundledWorkflows';
export * from './sandboxCredentials';
