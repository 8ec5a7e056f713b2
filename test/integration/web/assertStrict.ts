/**
 * `node:assert/strict` for the web suite bundle: the `assert` package (Node's assert, for
 * browsers), strict mode.
 */
import { strict } from 'assert';

export = strict;
