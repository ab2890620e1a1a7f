// tfjs-core's Node bundle has no gradient functions, and its ESM registration module cannot be loaded by
// Node (extensionless imports); the union package's Node bundle registers them on the same tfjs-core.
import '@tensorflow/tfjs';
