import type { SettingsProblem } from './errors.js';
import type { Settings } from './types.js';

/** Rules that span several keys, which the schema cannot express. Run on schema-valid settings. */
export function crossCheck(s: Settings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const unique = (list: string, values: readonly string[], key: string) => {
    values.forEach((value, i) => {
      const first = values.indexOf(value);
      if (first !== i) problems.push({ path: `${list}[${i}].${key}`, message: `"${value}" is already used by ${list}[${first}]; each ${key} must be unique` });
    });
  };
  unique('devices', s.devices.map((d) => d.id), 'id');
  unique('bus.users', s.bus.users.map((u) => u.username), 'username');

  const { minSeconds, maxSeconds } = s.district.reconnect;
  if (maxSeconds < minSeconds) {
    problems.push({ path: 'district.reconnect.maxSeconds', message: `allowed: at least district.reconnect.minSeconds (${minSeconds}); found ${maxSeconds}` });
  }

  const { cert, key } = s.district.tls;
  if ((cert === undefined) !== (key === undefined)) {
    const [missing, present] = cert === undefined ? ['cert', 'key'] : ['key', 'cert'];
    problems.push({ path: `district.tls.${missing}`, message: `missing, but required because district.tls.${present} is set (a client certificate needs both)` });
  }

  // Two listeners on one port cannot both start (0.0.0.0 overlaps every address).
  const ports: [string, number][] = [['web.port', s.web.port], ['bus.port', s.bus.port]];
  if (s.bus.lan.enabled) ports.push(['bus.lan.port', s.bus.lan.port]);
  ports.forEach(([path, port], i) => {
    const clash = ports.slice(0, i).find(([, other]) => other === port);
    if (clash !== undefined) problems.push({ path, message: `port ${port} is already used by ${clash[0]}; choose another port` });
  });

  if (s.nodeRed.enabled && s.bus.websocket.enabled && s.nodeRed.path === s.bus.websocket.path) {
    problems.push({ path: 'nodeRed.path', message: `"${s.nodeRed.path}" is already used by bus.websocket.path; choose another path` });
  }
  return problems;
}
