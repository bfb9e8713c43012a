import type * as Undici from 'undici';
import type { HttpResponse } from './http';
import type { JsonGauge } from './json';
import { NOTHING, onAbort } from './signals';

type Controller = Undici.Dispatcher.DispatchController;
type Headers = HttpResponse['headers'];

/**
 * One HTTP request on the wire, as the handler of undici's `dispatcher.dispatch()`: it collects the reply
 * into a string (size-limited, a UTF-8 BOM skipped as undici's `body.text()` does; a JSON reply's nesting
 * measured chunk by chunk, its nesting and its count of arrays and objects limited too) and is the request's
 * abort handle. undici's `request()` would wrap each reply in a stream, an async resource and a URL
 * parse; a gateway reply is read whole anyway, so those cost without serving anyone (bench/heating-command.ts,
 * bench/ems-history-memory.ts).
 *
 * `done` settles exactly once: with the reply, with undici's error, or at once with the reason given to
 * `stop()` (a request still waiting for a socket is aborted by undici as soon as it gets one).
 */
export class Exchange implements Undici.Dispatcher.DispatchHandler {
  /** Why the exchange was stopped (deadline, close, the caller's signal, a reply too large), if it was. */
  reason: Error | undefined;
  readonly done: Promise<HttpResponse>;
  private settle!: (err: Error | undefined, reply?: HttpResponse) => void;
  private settled = false;
  private controller: Controller | undefined;
  private statusCode = 0;
  private headers: Headers = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly maxBytes: number,
    /** The error of a reply larger than maxBytes. */
    private readonly tooBig: () => Error,
    /** A JSON reply: measured as it arrives, and refused with `refused()` once it passes the gauge's limits. */
    private readonly json?: { gauge: JsonGauge; refused: () => Error },
  ) {
    this.done = new Promise<HttpResponse>((resolve, reject) => {
      this.settle = (err, reply) => {
        if (this.settled) return;
        this.settled = true;
        // What was read of a reply that failed is not kept while undici winds the request down.
        this.chunks.length = 0;
        if (err) reject(err);
        else resolve(reply!);
      };
    });
  }

  /** Aborts once, with the first reason; `done` rejects with it at once. */
  stop(reason: Error): void {
    if (this.settled) return;
    this.reason = reason;
    this.controller?.abort(reason);
    this.settle(reason);
  }

  /** Stops when `signal` aborts, with the reason `reasonOf(signal)` gives; returns how to stop following. */
  follow(signal: AbortSignal | undefined, reasonOf: (signal: AbortSignal) => Error): () => void {
    if (signal === undefined) return NOTHING;
    if (signal.aborted) {
      this.stop(reasonOf(signal));
      return NOTHING;
    }
    return onAbort(signal, () => this.stop(reasonOf(signal)));
  }

  // ---- undici's DispatchHandler ----

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(_controller: Controller, statusCode: number, headers: Headers): void {
    // 1xx informational replies come before the real one.
    if (statusCode < 200) return;
    this.statusCode = statusCode;
    this.headers = headers;
    const declared = headers['content-length'];
    if (typeof declared === 'string' && Number(declared) > this.maxBytes) this.stop(this.tooBig());
  }

  onResponseData(_controller: Controller, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.maxBytes) this.stop(this.tooBig());
    else if (this.json && !this.json.gauge.feed(chunk)) this.stop(this.json.refused());
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const { chunks, size } = this;
    const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    const bom = size > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    const reply: HttpResponse = { statusCode: this.statusCode, headers: this.headers, body: size ? buffer.toString('utf8', bom) : '' };
    if (this.json) reply.nesting = this.json.gauge.deepest;
    this.settle(undefined, reply);
  }

  onResponseError(_controller: Controller, err: Error): void {
    this.settle(err);
  }
}
