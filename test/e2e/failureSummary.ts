/**
 * A short summary of every failed end-to-end test, printed after the list reporter's long output: CI keeps
 * only the tail of a run's log, and one test's call log (hundreds of retried clicks) once pushed another
 * failure's message out of it (stop 23). One block per failure: the test, then the first lines of its error.
 */
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

const LINES = 14;

export default class FailureSummary implements Reporter {
  private failed: { title: string; error: string }[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status === 'passed' || result.status === 'skipped') return;
    const first = result.errors[0];
    const text = (first?.message ?? first?.value ?? result.status)
      // eslint-disable-next-line no-control-regex -- strip terminal colours from the message
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .slice(0, LINES)
      .join('\n');
    const where = first?.location ? ` (${first.location.file.split('/').pop()}:${first.location.line})` : '';
    this.failed.push({ title: `${test.titlePath().filter(Boolean).join(' › ')}${where}`, error: text });
  }

  onEnd(_result: FullResult): void {
    if (this.failed.length === 0) return;
    console.log(`\n==== ${this.failed.length} failed end-to-end test(s), in short ====`);
    for (const f of this.failed) console.log(`\n✘ ${f.title}\n${f.error.replace(/^/gm, '    ')}`);
  }
}
