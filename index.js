// n8n loads the nodes and credentials listed in package.json ("n8n" section); this file only
// lets `require('n8n-nodes-lexoffice-bitrix24')` resolve for tooling.
module.exports = {};
