/**
 * The version of every JSON document quiesce prints (`"version"`): bumped
 * when a field changes meaning or disappears; new fields do not bump it.
 * README "JSON output" documents each command's documents.
 */
export const jsonVersion = 1;
