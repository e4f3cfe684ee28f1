import { access, constants } from 'node:fs/promises';
import { hideUrlPassword, SettingsError, type SettingsProblem } from './errors.js';
import { CURRENT_VERSION } from './migrations.js';
import { readSettings, type SettingsFileState } from './settings.js';

export type CheckConfigResult = { ok: true; summary: string } | { ok: false; message: string };

/**
 * `gateway check-config`: reads the settings file as the gateway would, changing nothing, and
 * says either what the gateway would run with or, one line per key, what is wrong.
 */
export async function checkConfig(file: string): Promise<CheckConfigResult> {
  let state: SettingsFileState;
  try {
    state = await readSettings(file);
  } catch (error) {
    if (error instanceof SettingsError) return { ok: false, message: error.message };
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return { ok: false, message: `cannot read ${file}: ${(error as Error).message}` };
    throw error;
  }
  const unreadable = await unreadableTlsFiles(state);
  if (unreadable.length > 0) return { ok: false, message: new SettingsError(`${state.file} names files the gateway cannot read:`, unreadable).message };
  return { ok: true, summary: summarize(state) };
}

async function unreadableTlsFiles({ settings }: SettingsFileState): Promise<SettingsProblem[]> {
  const problems: SettingsProblem[] = [];
  for (const key of ['ca', 'cert', 'key'] as const) {
    const path = settings.district.tls[key];
    if (path === undefined) continue;
    try {
      await access(path, constants.R_OK);
    } catch (error) {
      problems.push({ path: `district.tls.${key}`, message: `cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  return problems;
}

function summarize({ settings: s, file, exists, migratedFrom }: SettingsFileState): string {
  const lines = [
    exists
      ? `Settings file ${file} is valid.`
      : `Settings file ${file} does not exist (or is empty): the gateway will start with the defaults below and write them there.`,
  ];
  if (migratedFrom !== null) {
    lines.push(`It has the version ${migratedFrom} layout: on start the gateway upgrades it to version ${CURRENT_VERSION}, keeping a copy as ${file}.v${migratedFrom}.bak.`);
  }
  lines.push(
    `Identity: school ${s.school.id} (${s.school.name}), classroom ${s.classroom.id} (${s.classroom.name}), gateway ${s.gateway.id}; topic prefix ${s.topicPrefix}`,
    s.district.url === null
      ? 'District: none configured; the uplink loops back to the local bus and nothing leaves the box.'
      : `District: ${hideUrlPassword(s.district.url)} (MQTT ${s.district.protocol}${s.district.username === undefined ? '' : `, user ${s.district.username}`}${s.district.tls.ca === undefined ? '' : `, CA ${s.district.tls.ca}`})`,
    `Local bus: ${s.bus.host}:${s.bus.port}; LAN ${s.bus.lan.enabled ? `${s.bus.lan.host}:${s.bus.lan.port}` : 'off'}; WebSocket ${s.bus.websocket.enabled ? s.bus.websocket.path : 'off'}; ${s.bus.users.length} user(s)`,
    `Web: ${s.web.host}:${s.web.port}; Node-RED ${s.nodeRed.enabled ? s.nodeRed.path : 'off'}`,
    `Devices: ${s.devices.map((d) => `${d.id} (${d.kind}, ${d.transport}${d.enabled ? '' : ', disabled'})`).join(', ') || 'none'}`,
    `Data folder: ${s.dataDir}`,
    `Log level: ${s.log.level}`,
  );
  return lines.join('\n');
}
