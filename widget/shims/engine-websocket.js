// The widget's engine.io client: the Engine.IO v4 protocol over one WebSocket, in place of engine.io-client
// (widget/build.mjs swaps it in for socket.io-client's import; the workspace and Node keep the real one).
// Why: the shared RoomClient only ever asks for `transports: ['websocket']`, so engine.io-client's
// long-polling, WebTransport, upgrade probing and packet codec are dead weight in a script every
// customer's site loads (about 5 KB gzipped of the widget's 30 KB budget).
//
// What socket.io-client's Manager and Socket need of an engine, and nothing else: `open`, `data`,
// `ping`, `error` and `close` events; write(); close(); `transport.writable`; _hasPingExpired(). The
// behaviour follows engine.io-client 6 (build/esm/socket.js): the heartbeat timeout is pingInterval +
// pingTimeout from the handshake and any ping restarts it; an error is followed by a close; `offline`
// in the browser closes at once so the Manager's reconnect starts without waiting for the timeout.
import { Emitter } from '@socket.io/component-emitter';

/** What socket.io-client's url() reads of engine.io's parseuri(), from the platform's URL parser. */
export function parse(source) {
  const u = new URL(source);
  const query = u.search.slice(1);
  return {
    source,
    protocol: u.protocol.slice(0, -1),
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port,
    path: u.pathname,
    query,
    queryKey: Object.fromEntries(new URLSearchParams(query)),
  };
}
export const nextTick = (cb) => Promise.resolve().then(cb);
export function installTimerFunctions(obj) {
  obj.setTimeoutFn = setTimeout.bind(globalThis);
  obj.clearTimeoutFn = clearTimeout.bind(globalThis);
}
// socket.io-client re-exports engine.io-client's transports; the widget never uses them.
export const Fetch = undefined;
export const NodeXHR = undefined;
export const XHR = undefined;
export const NodeWebSocket = undefined;
export const WebSocket = undefined;
export const WebTransport = undefined;

export class Socket extends Emitter {
  constructor(uri, opts = {}) {
    super();
    const url = new URL(uri);
    url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
    url.pathname = `${(opts.path ?? '/engine.io').replace(/\/$/, '')}/`;
    const query = new URLSearchParams(opts.query ?? '');
    query.set('EIO', '4');
    query.set('transport', 'websocket');
    url.search = query.toString();
    this.opts = opts;
    this.id = null;
    this.readyState = 'opening';
    this.transport = { name: 'websocket', writable: false };
    this.writeBuffer = [];
    this._pingTimeoutTime = Number.POSITIVE_INFINITY;
    this._offline = () => this._onClose('transport close', { description: 'network connection lost' });
    addEventListener('offline', this._offline);
    const ws = new globalThis.WebSocket(url.href);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      this.transport.writable = true;
    };
    ws.onmessage = (e) => this._onPacket(e.data);
    ws.onerror = (e) => {
      const err = new Error('websocket error');
      err.type = 'TransportError';
      err.context = e;
      this.emitReserved('error', err);
      this._onClose('transport error', err);
    };
    ws.onclose = (e) => this._onClose('transport close', { description: 'websocket connection closed', context: e });
    this.ws = ws;
  }

  _onPacket(data) {
    // Binary frames are whole messages (socket.io's attachments); text frames start with the packet type.
    if (typeof data !== 'string') return this.emitReserved('data', data);
    const type = data[0];
    if (type === '0') {
      const handshake = JSON.parse(data.slice(1));
      this.id = handshake.sid;
      this._pingInterval = handshake.pingInterval;
      this._pingTimeout = handshake.pingTimeout;
      this.readyState = 'open';
      this.emitReserved('open');
      if (this.readyState !== 'open') return; // the open handler closed it
      for (const d of this.writeBuffer.splice(0)) this._send(d);
      this._resetPingTimeout();
    } else if (type === '1') this._onClose('transport close', { description: 'transport closed by the server' });
    else if (type === '2') {
      this.ws.send('3');
      this.emitReserved('ping');
      this._resetPingTimeout();
    } else if (type === '4') this.emitReserved('data', data.slice(1));
  }

  _resetPingTimeout() {
    clearTimeout(this._pingTimer);
    const delay = this._pingInterval + this._pingTimeout;
    this._pingTimeoutTime = Date.now() + delay;
    this._pingTimer = setTimeout(() => this._onClose('ping timeout'), delay);
  }

  /** A timer a sleeping laptop delayed: the heartbeat is overdue although its timeout has not fired yet. */
  _hasPingExpired() {
    if (!this._pingTimeoutTime) return true;
    const expired = Date.now() > this._pingTimeoutTime;
    if (expired) {
      this._pingTimeoutTime = 0;
      nextTick(() => this._onClose('ping timeout'));
    }
    return expired;
  }

  _send(data) {
    this.ws.send(typeof data === 'string' ? `4${data}` : data);
  }

  write(data) {
    if (this.readyState === 'open') this._send(data);
    else if (this.readyState === 'opening') this.writeBuffer.push(data);
    return this;
  }

  close() {
    if (this.readyState === 'opening' || this.readyState === 'open') {
      this.readyState = 'closing';
      this._onClose('forced close');
    }
    return this;
  }

  _onClose(reason, description) {
    if (this.readyState === 'closed') return;
    clearTimeout(this._pingTimer);
    removeEventListener('offline', this._offline);
    const ws = this.ws;
    ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
    ws.close();
    this.transport.writable = false;
    this.readyState = 'closed';
    this.id = null;
    this.emitReserved('close', reason, description);
    this.writeBuffer = [];
  }
}
