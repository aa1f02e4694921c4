/** The machine a benchmark ran on, for its results file. */
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
  date: string;
  /** 1-minute load average when the run finished: other work on a shared machine inflates tails. */
  loadAverage1m: number;
}

/** CPU model, core count, memory, Node version and the date, as RESULTS.md files show them. */
export function machineInfo(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString().slice(0, 10),
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

/** One markdown line describing the machine. */
export function machineLine(m: MachineInfo): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}, ${m.date}, load average ${m.loadAverage1m}`;
}
