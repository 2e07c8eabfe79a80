import { batch, createSignal, type Accessor } from 'solid-js';
import type { Outcome } from '../files/fileActions.ts';

/**
 * What a form sends: one request at a time (`busy` meanwhile), and why the
 * last one was not done, the input being wrong or the server refusing it,
 * for the form to show.
 */
export interface Submission {
  readonly busy: Accessor<boolean>;
  readonly refusal: Accessor<string | undefined>;
  /**
   * Sends the request, unless `wrong` says what is wrong with the input (the
   * refusal then) or another is on its way: undefined, nothing was sent.
   */
  send<T>(request: () => Promise<Outcome<T>>, wrong?: string): Promise<Outcome<T> | undefined>;
  /** Sends a request whose answer is told elsewhere (a notice): busy meanwhile, no refusal. */
  run<T>(request: () => Promise<T>): Promise<T>;
  refuse(message: string | undefined): void;
}

export function createSubmission(): Submission {
  const [busy, setBusy] = createSignal(false);
  const [refusal, setRefusal] = createSignal<string>();
  return {
    busy,
    refusal,
    async send(request, wrong) {
      setRefusal(wrong);
      if (wrong !== undefined || busy()) return undefined;
      setBusy(true);
      const outcome = await request();
      batch(() => {
        setBusy(false);
        if (!outcome.ok) setRefusal(outcome.problem.message);
      });
      return outcome;
    },
    async run(request) {
      setBusy(true);
      try {
        return await request();
      } finally {
        setBusy(false);
      }
    },
    refuse: (message) => setRefusal(message),
  };
}
