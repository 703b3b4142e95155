import { spawn, spawnSync } from 'node:child_process';

/**
 * `promtool check metrics` (from the Debian package prometheus) on a scraped text body.
 * It answers in two grades, told apart by exit code:
 *  - 0: the body parses and passes every lint rule;
 *  - 1: the body does not parse as Prometheus text format ("error while linting: ...");
 *  - 3: it parses, and some names break a lint rule (one problem per output line).
 */
export interface PromtoolVerdict {
  /** Why the body does not parse; null when it does. */
  parseError: string | null;
  /** Lint problems, one per line as promtool prints them, e.g. `x metric names should ...`. */
  lintProblems: string[];
}

const INSTALL_HINT =
  'promtool is not on PATH; install the test dependencies with scripts/install-test-deps.sh (Debian package prometheus)';
const TIMEOUT_MS = 60_000;

/** Throws, naming the install script, when promtool cannot run here. */
export function requirePromtool(): void {
  const probe = spawnSync('promtool', ['--version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) throw new Error(INSTALL_HINT);
}

export async function checkMetrics(body: string): Promise<PromtoolVerdict> {
  requirePromtool();
  const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`promtool check metrics did not finish within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.stdin.end(body);
  });

  const lines = output.split('\n').filter((line) => line.trim() !== '');
  if (exitCode === 0) return { parseError: null, lintProblems: [] };
  if (exitCode === 3) return { parseError: null, lintProblems: lines };
  return { parseError: lines.join('\n') || `promtool exited with ${exitCode}`, lintProblems: [] };
}
