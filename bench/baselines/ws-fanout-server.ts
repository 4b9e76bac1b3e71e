/**
 * Baseline for the message path: a bare `ws` server doing the same room fan-out with no storage,
 * no validation and no ordering. Visitors send {id, body}; every agent in the room gets it; the
 * sender gets {ack: id}.
 */
import { WebSocket, WebSocketServer } from 'ws';

const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
wss.on('connection', (socket, req) => {
  const params = new URL(req.url ?? '/', 'http://x').searchParams;
  const room = params.get('room') ?? '';
  if (params.get('role') === 'agent') {
    const set = rooms.get(room) ?? new Set();
    set.add(socket);
    rooms.set(room, set);
    socket.on('close', () => set.delete(socket));
    return;
  }
  socket.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id: string; body: string };
    const out = JSON.stringify({ id: msg.id, body: msg.body });
    for (const agent of rooms.get(room) ?? []) if (agent.readyState === WebSocket.OPEN) agent.send(out);
    socket.send(JSON.stringify({ ack: msg.id }));
  });
});
wss.on('listening', () => {
  const address = wss.address();
  console.log(`ws baseline listening on ${address && typeof address === 'object' ? address.port : address}`);
});
