/**
 * Runs `f` once the event loop has served what is waiting: setImmediate (Node) runs after this
 * turn's I/O; setTimeout(0), where there is no setImmediate (Workers), would add a millisecond.
 */
export const nextTurn: (f: () => void) => void = globalThis.setImmediate ?? ((f) => setTimeout(f, 0));

/** A promise of the next turn (`nextTurn`). */
export const afterOtherWork = () => new Promise<void>((resolve) => nextTurn(resolve));
