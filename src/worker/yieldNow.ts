/**
 * Gives the event loop one turn (so a Stop, a message or a redraw gets in) and resumes. Node has
 * setImmediate; the browser's web extension host and Web Workers do not, and their setTimeout is
 * clamped to 4 ms once nested, so there a MessageChannel round trip is the next turn.
 */
function channelYield(): () => Promise<void> {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
}

const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;

export const yieldNow: () => Promise<void> = immediate
  ? () => new Promise<void>((resolve) => immediate(resolve))
  : channelYield();
