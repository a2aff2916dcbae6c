/**
 * Reads that may walk a whole table (the Open311 list with a filter that keeps few, the area feed
 * of a province) or read thousands of rows (a cluster list, each page of an export) take turns per
 * client network: a network's second such read waits for its first to end (20 exports and lists
 * at once from two networks had slowed every other resident's answer to seconds). Each walk serves
 * other requests between its windows, so one walk costs everyone else little; this keeps one
 * network from running dozens of them side by side. Per isolate on Workers, per process on Node: a
 * bound on a network's share, not an exact count.
 */
/** Per network, the end of its latest walk (queued or running). */
const tails = new Map<string, Promise<void>>();

/** Waits for the network's earlier walks, then answers the function that ends this one. */
async function walkTurn(network: string): Promise<() => void> {
  const before = tails.get(network) ?? Promise.resolve();
  let end = () => {};
  const mine = before.then(() => new Promise<void>((resolve) => (end = resolve)));
  tails.set(network, mine);
  await before;
  return () => {
    end();
    if (tails.get(network) === mine) tails.delete(network);
  };
}

/** Runs `walk` in the network's turn. */
export async function inWalkTurn<T>(network: string, walk: () => Promise<T>): Promise<T> {
  const done = await walkTurn(network);
  try {
    return await walk();
  } finally {
    done();
  }
}
