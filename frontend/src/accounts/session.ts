import { batch, createSignal, type Accessor } from 'solid-js';
import type { Client } from '@urql/core';
import type { Outcome } from '../files/fileActions.ts';
import {
  ChangePasswordDocument,
  SessionDocument,
  SetupDocument,
  SignInDocument,
  SignOutDocument,
} from '../graphql/generated.ts';
import { problemOf, type Problem } from '../graphql/problems.ts';
import { request } from '../graphql/request.ts';
import type { User } from '../graphql/types.ts';
import { createSubmission } from '../ui/submission.ts';

/**
 * loading: asking who is signed in; error: that could not be learnt (the server is down);
 * setup: nobody can sign in yet, the first admin is to be made with the setup code.
 */
export type SessionState = 'loading' | 'error' | 'setup' | 'signedOut' | 'signedIn';

/** Where in the UI the person is (the URL's hash), to come back to after signing in again. */
export interface Place {
  get(): string;
  set(place: string): void;
}

export interface SetupInput {
  readonly code: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

/**
 * Who is using the UI, and the way in and out: signing in, the first-run setup,
 * signing out. The session cookie itself is the gateway's (HttpOnly): this only
 * follows what the API says about it.
 */
export interface Session {
  readonly state: Accessor<SessionState>;
  /** The person signed in, while `state` is signedIn. */
  readonly user: Accessor<User | undefined>;
  /** Why `state` is error. */
  readonly problem: Accessor<Problem | undefined>;
  /** A sign-in or setup is on its way. */
  readonly busy: Accessor<boolean>;
  /** Why the last sign-in or setup was refused, in the API's words. */
  readonly refusal: Accessor<string | undefined>;
  /** The sign-in page shows because a session ended (expired, signed out elsewhere), not at first. */
  readonly ended: Accessor<boolean>;
  /** Asks again who is signed in (at start, and to retry after an error). */
  check(): Promise<void>;
  signIn(email: string, password: string): Promise<boolean>;
  setup(input: SetupInput): Promise<boolean>;
  signOut(): Promise<Outcome<boolean>>;
  /** An answer said nobody is signed in: back to the sign-in page, remembering where the person was. */
  expired(): void;
  changePassword(current: string, next: string): Promise<Outcome<boolean>>;
}

const hashPlace: Place = {
  get: () => location.hash,
  set(place) {
    location.hash = place;
  },
};

export function createSession(client: Client, options: { place?: Place } = {}): Session {
  const place = options.place ?? hashPlace;
  const [state, setState] = createSignal<SessionState>('loading');
  const [user, setUser] = createSignal<User>();
  const [problem, setProblem] = createSignal<Problem>();
  const form = createSubmission();
  const [ended, setEnded] = createSignal(false);
  /** Where the person was when their session ended. */
  let returnTo: string | undefined;

  function signedIn(who: User): void {
    batch(() => {
      setUser(who);
      form.refuse(undefined);
      setEnded(false);
      setState('signedIn');
    });
    if (returnTo !== undefined && place.get() !== returnTo) place.set(returnTo);
    returnTo = undefined;
  }

  function signedOut(): void {
    batch(() => {
      setUser(undefined);
      setState('signedOut');
    });
  }

  async function enter(attempt: () => Promise<Outcome<User>>): Promise<boolean> {
    const outcome = await form.send(attempt);
    if (!outcome?.ok) return false;
    signedIn(outcome.value);
    return true;
  }

  return {
    state,
    user,
    problem,
    busy: form.busy,
    refusal: form.refusal,
    ended,
    async check() {
      batch(() => {
        setProblem(undefined);
        setState('loading');
      });
      const result = await client.query(SessionDocument, {}).toPromise();
      if (result.error || !result.data) {
        batch(() => {
          setProblem(
            result.error
              ? problemOf(result.error)
              : { code: 'UNKNOWN', message: 'The server did not answer.' },
          );
          setState('error');
        });
        return;
      }
      const { me, setupNeeded } = result.data;
      if (me) signedIn(me);
      else setState(setupNeeded ? 'setup' : 'signedOut');
    },
    signIn: (email, password) =>
      enter(() => request(client, 'mutation', SignInDocument, { email, password }, 'signIn')),
    setup: (input) =>
      enter(() =>
        request(
          client,
          'mutation',
          SetupDocument,
          { ...input, name: input.name.trim() || null },
          'setup',
        ),
      ),
    async signOut() {
      const outcome = await request(client, 'mutation', SignOutDocument, {}, 'signOut');
      // Already signed out (elsewhere, or expired): that is what was wanted.
      if (outcome.ok || outcome.problem.code === 'UNAUTHENTICATED') {
        setEnded(false);
        signedOut();
        return { ok: true, value: outcome.ok && outcome.value };
      }
      return outcome;
    },
    expired() {
      if (state() !== 'signedIn') return;
      returnTo = place.get();
      setEnded(true);
      signedOut();
    },
    changePassword: (current, next) =>
      request(client, 'mutation', ChangePasswordDocument, { current, new: next }, 'changePassword'),
  };
}
