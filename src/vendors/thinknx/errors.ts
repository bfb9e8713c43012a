/**
 * A Thinknx error reply -> the contract's error, with what to check. The API documents 403 (wrong
 * authentication), 400 ("params errors", "impossible to execute"), 404 ("device not found"), 429, 500.
 */
import { GatewayError } from '../../core/errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../../core/http';
import { parseRetryAfter } from '../../core/retry';
import type { Command } from './command';
import type { Endpoint } from './endpoint';

function serverText(http: HttpClient, body: Record<string, unknown> | undefined): string {
  const e = body?.error;
  if (typeof e !== 'string' || e.trim() === '') return '';
  const text = e.trim().replace(/\s+/g, ' ');
  return http.redact(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}

function subject(cmd: Command): string {
  if (cmd.guid) return `${cmd.capability.name} of device ${cmd.guid}`;
  if (cmd.knx) return `the DPT ${cmd.knx.dpt.dpt} telegram to ${cmd.knx.group}`;
  return cmd.controller;
}

export function mapStatus(
  http: HttpClient,
  res: HttpResponse,
  req: HttpRequest,
  cmd: Command,
  body: Record<string, unknown> | undefined,
  ep: Endpoint,
): GatewayError {
  const status = res.statusCode;
  const said = serverText(http, body);
  const quoted = said ? ` ("${said}")` : '';
  const who = http.label;
  const details = { statusCode: status, vendorCode: said || undefined };
  if (status === 401 || status === 403) {
    const hint =
      ep.mode === 'cloud'
        ? 'check the Integration Kit key and that the Integration Kit is enabled under Server → Thinknx Cloud.'
        : ep.auth === 'digest' && status === 401 && !pickable(res)
          ? 'the server does not offer Digest authentication: choose basic in the server node.'
          : 'check the user name and password in the server node (a user allowed to use the Integration Kit).';
    return new GatewayError('AUTH_FAILED', `${who} refused the ${ep.mode === 'cloud' ? 'key' : 'credentials'} (HTTP ${status})${quoted}: ${hint}`, {
      ...details,
      statusText: ep.mode === 'cloud' ? 'key refused' : ep.auth === 'digest' && status === 401 && !pickable(res) ? 'no Digest: choose basic' : 'user/password refused',
    });
  }
  if (status === 404 || /not found/i.test(said)) {
    const message = cmd.guid
      ? `${who} has no device with GUID "${cmd.guid}" for ${cmd.capability.name} (HTTP ${status})${quoted}: copy the GUID from Server → Integration Kit; the project must be deployed on the server.`
      : `${who} could not find ${subject(cmd)} (HTTP ${status})${quoted}: check the server address (port 5051) or the cloud URL.`;
    return new GatewayError('NOT_FOUND', message, { ...details, statusText: cmd.guid ? 'unknown device GUID' : 'not found' });
  }
  if (status === 429) {
    return new GatewayError('RATE_LIMITED', `${who} refused ${subject(cmd)}: too many requests (HTTP 429); wait before sending more.`, {
      ...details,
      retryAfterMs: parseRetryAfter(res.headers['retry-after']),
      statusText: 'too many requests',
    });
  }
  if (status >= 300 && status < 400) {
    return new GatewayError('REJECTED', `${who} redirected ${subject(cmd)} (HTTP ${status}): it wants ${ep.mode === 'cloud' ? 'https:// in the cloud URL' : 'TLS on (or another port)'}.`, {
      ...details,
      statusText: ep.mode === 'cloud' ? 'redirected: use https://' : 'redirected: turn TLS on',
    });
  }
  if (status === 400 || (status >= 200 && status < 300)) {
    const hint = /param/i.test(said)
      ? 'the server refused the parameters: check that the capability matches the device type.'
      : /impossible/i.test(said)
        ? 'the server could not execute it: check that the device supports this capability and is reachable on the bus.'
        : 'the server refused the command.';
    const words = /param/i.test(said) ? 'parameters refused' : /impossible/i.test(said) ? 'could not execute' : 'command refused';
    return new GatewayError('REJECTED', `${who} rejected ${subject(cmd)}${status === 400 ? ' (HTTP 400)' : ''}${quoted}: ${hint}`, { ...details, statusText: words });
  }
  const err = http.statusError(res, req, said || undefined);
  if (said) err.vendorCode = said;
  return err;
}

function pickable(res: HttpResponse): boolean {
  const h = res.headers['www-authenticate'];
  const text = Array.isArray(h) ? h.join(',') : (h ?? '');
  return /digest/i.test(text);
}
