import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script, createContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../util/project-root.js';
import { flowFaultNodeId, isFlowFault } from './flow-faults.js';

/** An error raised the way function-node code raises it: in its own vm context, under Node-RED's script name. */
function errorFromFunctionNode(scriptName: string): unknown {
  try {
    new Script("(function callback() { throw new Error('from the sandbox'); })()", { filename: scriptName }).runInContext(createContext({}));
  } catch (err) {
    return err;
  }
  throw new Error('the script did not throw');
}

describe('flowFaultNodeId', () => {
  it('finds the function node in the stack, across the vm realm boundary', () => {
    const err = errorFromFunctionNode('Function node:f1e2d3c4b5a69788 [parse scans]');
    expect(err instanceof Error).toBe(false); // why the check cannot use instanceof
    expect(flowFaultNodeId(err)).toBe('f1e2d3c4b5a69788');
    expect(flowFaultNodeId(errorFromFunctionNode('Function node setup:abc123'))).toBe('abc123');
    expect(isFlowFault(errorFromFunctionNode('Function node cleanup:def456'))).toBe(true);
  });

  it('does not claim the gateway’s own errors', () => {
    expect(flowFaultNodeId(new Error('Function node:abc123 mentioned in a message only'))).toBeNull();
    expect(flowFaultNodeId(errorFromFunctionNode('some-other-script.js'))).toBeNull();
    expect(flowFaultNodeId('a thrown string')).toBeNull();
    expect(flowFaultNodeId({ stack: '    at x (Function node:abc123:1:1)' })).toBeNull();
    expect(isFlowFault(undefined)).toBe(false);
  });
});

// A real Node-RED in a child process: process-level faults inside a vitest worker would be
// reported by vitest's own handlers, and Node-RED cannot start twice in one process anyway.
describe('faults escaping function nodes (child process with Node-RED)', () => {
  const child = join(projectRoot(), 'gateway', 'nodered', 'test-support', 'flow-fault-child.ts');
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  async function run(mode: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'gw-flow-faults-'));
    dirs.push(dir);
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', child, dir, mode], { cwd: projectRoot(), timeout: 45_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      });
    });
  }

  it('an unawaited rejection and a throw in a callback are counted, and the process lives on', async () => {
    const { code, stdout, stderr } = await run('flow-faults');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ errors: 2 });
  });

  it('an uncaught exception of the gateway itself still ends the process', async () => {
    const { code, stderr } = await run('gateway-fault');
    expect(code).not.toBe(0);
    expect(stderr).toContain('a gateway bug outside any flow');
  });
});
