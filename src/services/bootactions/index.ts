export { nodeAssetTarball, type AssetType } from './assets.ts';
export {
  authenticateAction,
  authenticateNode,
  KEY_HEADER,
  type AuthenticatedAction,
  type AuthenticatedNode,
  type KeyRequest,
} from './authenticate.ts';
export { createBootActionContexts, type ContextsContext, type NewContexts, type NodeBootActions } from '../../bootaction/contexts.ts';
export { OPEN_STATUSES, type BootActionView, type FinalStatus } from '../../bootaction/records.ts';
export { parseSignalBody, type SignalBody, type SignalDetail } from './signal-body.ts';
export { signalBootAction } from './signal.ts';
