/**
 * Facts a state read back from a store has not loaded yet. Maps keep every file in its place with
 * `NOT_LOADED` as the value, so order, `has` and `keys` work as usual; reading any property of it throws
 * `MissingFacts`, which sends the indexer down its exact path (load every file's facts, link in full)
 * instead of ever linking over facts it does not have.
 */

export class MissingFacts extends Error {
  constructor() {
    super('facts not loaded');
    this.name = 'MissingFacts';
  }
}

const missing = (): never => {
  throw new MissingFacts();
};

/** One shared stand-in for any facts object (FileFacts, ModuleFacts, TestFileFacts). */
export const NOT_LOADED: never = new Proxy(Object.freeze({}), {
  get: missing,
  has: missing,
  ownKeys: missing,
  getOwnPropertyDescriptor: missing,
}) as never;

export const isLoaded = (facts: unknown): boolean => facts !== NOT_LOADED;
