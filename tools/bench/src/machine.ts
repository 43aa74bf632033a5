import { cpus, loadavg, platform, arch, totalmem } from 'node:os';

/** Where the numbers were measured: ratios travel between machines, absolute times do not. */
export interface MachineInfo {
  node: string;
  platform: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  /** 1-minute load average when the bench started: a busy machine widens the p90. */
  loadAverage: number;
  date: string;
}

/** Describes the machine the bench runs on. */
export function machineInfo(now: Date = new Date()): MachineInfo {
  const cpu = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpuModel: cpu[0]?.model.trim() || 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
    date: now.toISOString(),
  };
}
