/** A problem's id from what a person pastes: the id itself, or its page's address as copied (`…/c/<id>?lang=zh#…`). */
export const problemIdOf = (typed: string): string =>
  /([A-Za-z0-9_-]+)\/?(?:[?#].*)?$/.exec(typed.trim())?.[1] ?? "";
