import {
  IntrospectAndCompose,
  type SupergraphManager,
  type SupergraphSdlHook,
} from '@apollo/gateway';
import type { CompositionState } from '@filegraph/shared/composition';

/** A supergraph manager that also says where each subgraph is and how composition went. */
export interface SupergraphSource extends SupergraphManager {
  readonly state: CompositionState;
  /** The GraphQL URL requests for this subgraph go to now. */
  urlOf(name: string): string | undefined;
  /** The subgraphs the supergraph should have now: configured, or registered in Consul with instances. */
  expected(): readonly string[];
}

/** The embedded default: a fixed list of subgraphs, composed once at start. */
export class StaticSupergraph implements SupergraphSource {
  readonly #subgraphs: ReadonlyArray<{ name: string; url: string }>;
  readonly #compose: IntrospectAndCompose;
  #state: CompositionState = {
    status: 'waiting',
    composedAt: null,
    subgraphs: [],
    error: null,
    consul: null,
  };

  constructor(subgraphs: ReadonlyArray<{ name: string; url: string }>) {
    this.#subgraphs = subgraphs;
    this.#compose = new IntrospectAndCompose({ subgraphs: [...subgraphs] });
  }

  get state(): CompositionState {
    return this.#state;
  }

  urlOf(name: string): string | undefined {
    return this.#subgraphs.find((subgraph) => subgraph.name === name)?.url;
  }

  expected(): readonly string[] {
    return this.#subgraphs.map(({ name }) => name);
  }

  async initialize(options: Parameters<SupergraphSdlHook>[0]) {
    try {
      const result = await this.#compose.initialize(options);
      this.#state = {
        status: 'composed',
        composedAt: new Date().toISOString(),
        subgraphs: this.#subgraphs.map(({ name, url }) => ({
          name,
          url,
          instances: 1,
          passing: 1,
        })),
        error: null,
        consul: null,
      };
      return result;
    } catch (error) {
      this.#state = {
        ...this.#state,
        error: error instanceof Error ? error.message : String(error),
      };
      throw error;
    }
  }
}
