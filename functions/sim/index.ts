/**
 * The EKS fleet simulator's public surface: start a simulator for a fleet file, generate fleets, and read or
 * validate fleet files.
 */
export { startSimulator } from './server.ts';
export type { SimCall, SimStats, Simulator, SimulatorOptions } from './server.ts';
export { generateFleet } from './generator.ts';
export type { FleetShape } from './generator.ts';
export { loadFleetFile, parseFleetFile } from './fleet-file.ts';
export type {
  FleetAccount,
  FleetAddon,
  FleetCluster,
  FleetFile,
  FleetInsight,
  FleetNodegroup,
  FleetRegion,
} from './fleet-file.ts';
export { DEFAULT_ADDON_CATALOG } from './defaults.ts';
export { FleetFileError, SimulatorUsageError } from './errors.ts';
