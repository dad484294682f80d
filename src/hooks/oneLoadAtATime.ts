/**
 * One load at a time, for every live screen (issue 12): the desk's queue (useQueueRealtime) and the light
 * screens' tracker and board (useLiveQueue). On a busy morning a change arrives every few hundred ms;
 * starting a load per change cost N loads for a burst of N changes and showed none of them until the burst
 * ended. Here a request made while a load runs only records that one more is due; that one starts when the
 * running load lands (so it sees everything requested meanwhile), and a burst costs at most two loads.
 * A failed load ends the chase (no retry storm); the next request starts it again.
 */
export interface LoadLoop {
  /** A load is due: starts one now, or one more after the running one. */
  request(): void;
  /** Whether a load is running (a screen holds its own changes back until it lands). */
  running(): boolean;
  /** No load starts after this (the screen is gone). */
  stop(): void;
}

/**
 * `load` answers whether it succeeded. `settled`, asked after each load, may say that what was requested
 * meanwhile is already covered (e.g. the load landed at or past every version heard), so no more is due.
 */
export function oneLoadAtATime(load: () => Promise<boolean>, settled?: () => boolean): LoadLoop {
  let busy = false;
  let due = false;
  let stopped = false;
  const run = async () => {
    busy = true;
    try {
      while (due && !stopped) {
        due = false;
        if (!(await load()) || settled?.()) {
          due = false;
          return;
        }
      }
    } finally {
      busy = false;
    }
  };
  return {
    request() {
      if (stopped) return;
      due = true;
      if (!busy) void run();
    },
    running: () => busy,
    stop() {
      stopped = true;
    },
  };
}
