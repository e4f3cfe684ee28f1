import type { Gateway } from './controller.js';
import { printAssignment } from './homework/print/print-assignment.js';
import type { Action, Download } from './web/api.js';

/** What a logged-in admin can do from the web page: restart, and any device's actions (the scan button). */
export function webActions(g: Gateway): Record<string, Action> {
  return {
    restart: async () => {
      setImmediate(() => g.requestRestart('restart requested from the web page'));
      return { restarting: true };
    },
    device: async (args) => {
      const a = (args ?? {}) as { deviceId?: unknown; device?: unknown; action?: unknown; args?: unknown };
      const id = typeof a.deviceId === 'string' ? a.deviceId : a.device;
      if (typeof id !== 'string' || typeof a.action !== 'string') throw new Error('expected { deviceId, action }');
      return g.devices.runAction(id, a.action, a.args ?? {});
    },
  };
}

/** Files for the teacher on the web page: the class's printouts and each student's wrong-question book. */
export function webDownloads(g: Gateway): Record<string, Download> {
  return {
    print: async ({ assignment }) => {
      const found = g.library?.assignments.find((a) => a.id === assignment);
      if (!found) throw new Error(`unknown assignment "${assignment}"`);
      const roster = found.class ? g.library?.rosters.get(found.class) : undefined;
      const body = await printAssignment(found, roster ? { copies: 'personalised', roster } : { copies: 'generic', count: 30 });
      return { filename: `${found.id}.pdf`, contentType: 'application/pdf', body };
    },
    book: async ({ assignment, student }) => {
      if (!assignment || !student || !g.scanning) throw new Error('needs ?assignment=…&student=…');
      return { filename: `${assignment}-${student}-wrong-questions.pdf`, contentType: 'application/pdf', body: await g.scanning.book(assignment, student) };
    },
  };
}
