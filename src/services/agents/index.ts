export { authenticateAgent, type AgentRequest, type AuthenticatedAgent } from './authenticate.ts';
export { agentDesign, heartbeat } from './heartbeat.ts';
export { leaseCalls, type LeasedCall } from './lease.ts';
export type { AgentReport } from './report.ts';
export { postResult, renewLease, type PostedBuildData, type PostedResult } from './results.ts';
export { createAgent, listAgents, revokeAgent, type AgentView, type CreatedAgent } from './tokens.ts';
export { reportedBootImages, reportedMachines, storeInventory, type ReportedInventory, type SiteMachines } from './inventory.ts';
export { inventoryRuleContext } from './inventory-rules.ts';
