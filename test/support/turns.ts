/**
 * How many turns of the event loop other work had while `work` ran: a ticker re-arms itself
 * with setImmediate, so it ticks once each time the loop comes round. A read that holds the
 * thread for its whole length lets it tick once or twice; one that waits for other work between
 * its steps, about once a step.
 */
export async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work;
  } finally {
    done = true;
  }
  return turns;
}
