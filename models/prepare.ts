/** `npm run models:prepare`: converts the pose model shipped in node_modules to ONNX, offline. */
import { prepareMovenet } from './movenet/prepare-movenet.js';

try {
  const result = prepareMovenet();
  const verb = result.converted ? 'wrote' : 'up to date:';
  console.log(`MoveNet Lightning: ${verb} ${result.modelPath} (sha256 ${result.manifest.output.sha256.slice(0, 16)}…, opset ${result.manifest.opset})`);
} catch (error) {
  console.error(`models:prepare failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
