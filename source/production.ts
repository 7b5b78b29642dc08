/**
 * Imported first by cli.ts, before anything can load React: the production
 * build of React (no development warnings, no component stacks), unless the
 * caller chose otherwise.
 */
import process from 'node:process';

process.env['NODE_ENV'] ??= 'production';
