/**
 * The little of Node's `process` that the `assert` package reads (env, stderr), injected into the
 * web suite bundle only: the web extension host has no `process`, and the product needs none.
 */
export const process = { env: {} as Record<string, string | undefined>, stderr: undefined };
