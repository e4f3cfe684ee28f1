export { ExerciseCounter, type CounterEvent, type CounterOptions } from './counter.js';
export { KEYPOINT_NAMES, MOVENET_SCORE_THRESHOLD, type Keypoint, type KeypointName, type Pose, type Side } from './keypoints.js';
export { BUILT_IN_DIR, loadExercises, type LoadedExercises, type LoadOptions } from './load-exercises.js';
export { ExerciseError, parseExercise } from './parse-exercise.js';
export { summarise, type RepResult, type SessionSummary } from './summary.js';
export type { Exercise, FormRule, Measure, StateDef } from './types.js';
