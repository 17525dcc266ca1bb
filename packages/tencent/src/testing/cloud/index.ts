export {
  createTencentCloudEmulator,
  type TencentCloudEmulator,
  type TencentCloudEmulatorCall,
  type TencentCloudEmulatorFailure,
  type TencentCloudEmulatorOptions,
} from "./emulator.js";
export type { TencentCloudEmulatorRoom, TencentCloudEmulatorTask } from "./rooms.js";
