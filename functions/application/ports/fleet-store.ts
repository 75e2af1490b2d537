/**
 * Port: the fleet store as the use cases see it (DESIGN §6: one DynamoDB table; dynalite or the local state
 * directory in local runs). Its shape and record types are still declared by the DynamoDB adapter
 * (functions/adapters/store/): this module is the one place the application takes them from.
 */
export type {
  FleetStore,
  RunStatus,
  StoredCluster,
  StoredUpgradePhase,
  UpgradeRecord,
} from '../../adapters/store/fleet-store.ts';
export { StoreItemNotFoundError } from '../../adapters/store/store-errors.ts';
