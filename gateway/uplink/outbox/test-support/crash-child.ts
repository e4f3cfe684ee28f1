/**
 * Child process of outbox-crash.test.ts, run until it is SIGKILLed: producers enqueue as fast as
 * they can and report "E <lsn> <seq> <stream> <id>" once an enqueue resolved; a consumer acks every
 * record whose LSN is not a multiple of 3 and reports "A <lsn>" once it called ack(). Reports go to
 * a file with writeSync, not to stdout: stdout queues pipe writes in memory, and a report lost in
 * the kill after its ack was saved would look like a lost record.
 */
import { openSync, writeSync } from 'node:fs';
import { silentLogger } from '../../../log/logger.js';
import { Outbox } from '../outbox.js';

const [dir, reportPath] = process.argv.slice(2);
if (!dir || !reportPath) throw new Error('usage: crash-child.ts <outbox dir> <report file>');
const outbox = await Outbox.open({ dir, logger: silentLogger(), segmentBytes: 64 * 1024, maxBytes: 64 * 1024 * 1024, ackFlushCount: 100, ackFlushMs: 20 });
// Lines end in ';' so one cut short by a kill is recognisable; the leading newline ends such a line.
const report = openSync(reportPath, 'a');
const say = (line: string): number => writeSync(report, `${line};\n`);
writeSync(report, '\n');

let next = 0;
async function produce(): Promise<never> {
  for (;;) {
    const i = next++;
    const stream = `s${i % 5}`;
    const r = await outbox.enqueue({ stream, schema: 'crash/1', data: { i, pad: 'p'.repeat(200) }, priority: 'event' });
    say(`E ${r.lsn} ${r.seq} ${stream} ${r.id}`);
  }
}

async function consume(): Promise<never> {
  for (let from = 0; ; ) {
    const records = await outbox.read(from, 50);
    if (records.length === 0) await outbox.waitForRecords(undefined, from);
    for (const r of records) {
      from = r.lsn + 1;
      if (r.lsn % 3 !== 0 && outbox.ack(r.lsn)) say(`A ${r.lsn}`);
    }
  }
}

await Promise.all([...Array.from({ length: 32 }, produce), consume()]);
