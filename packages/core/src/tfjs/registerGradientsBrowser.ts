// Bundlers load tfjs-core's ESM build, whose registration module works there.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
