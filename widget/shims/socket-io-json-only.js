// socket.io-parser's binary support, reduced to what the widget needs: nothing. The widget emits JSON
// only (files go over HTTP, widget/src/uploads.ts) and the server sends it JSON only, so the search of
// every outgoing payload for binaries and the attachment (de)construction are dead weight (~0.5 KB gz).
// widget/build.mjs puts this module in place of socket.io-parser's binary.js and is-binary.js; a binary
// packet that ever arrived would fail loudly (a parse error: the socket reconnects), not silently.
export const isBinary = (obj) => obj instanceof ArrayBuffer || ArrayBuffer.isView(obj);
export const hasBinary = () => false;
export function deconstructPacket() {
  throw new Error('the widget sends no binary payloads');
}
export function reconstructPacket() {
  throw new Error('the widget expects no binary payloads');
}
