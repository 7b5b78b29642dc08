/**
 * The errors a user causes, one class per source, in a module with no
 * imports: the CLI recognises them without loading what throws them.
 */
export class ScenarioError extends Error {
	override name = 'ScenarioError';
}

export class TraceError extends Error {
	override name = 'TraceError';
}

export class CaptureError extends Error {
	override name = 'CaptureError';
}

export class DrillError extends Error {
	override name = 'DrillError';
}
