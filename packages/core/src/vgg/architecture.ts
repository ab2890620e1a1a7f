export type VggModelName = 'vgg16' | 'vgg19';
export type Pooling = 'max' | 'avg';

/** One step of the network, in order: a 3×3 conv (ReLU after it) or a 2×2 pool. */
export type VggStep = { kind: 'conv'; name: string; inChannels: number; outChannels: number } | { kind: 'pool'; name: string };

const BLOCKS: Record<VggModelName, Array<[channels: number, convs: number]>> = {
  vgg16: [[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]],
  vgg19: [[64, 2], [128, 2], [256, 4], [512, 4], [512, 4]],
};

/** The feature part of VGG (no classifier), layers named as Keras names them. */
export function vggArchitecture(model: VggModelName): VggStep[] {
  const steps: VggStep[] = [];
  let inChannels = 3;
  BLOCKS[model].forEach(([channels, convs], b) => {
    for (let c = 1; c <= convs; c++) {
      steps.push({ kind: 'conv', name: `block${b + 1}_conv${c}`, inChannels, outChannels: channels });
      inChannels = channels;
    }
    steps.push({ kind: 'pool', name: `block${b + 1}_pool` });
  });
  return steps;
}

export function vggConvLayerNames(model: VggModelName): string[] {
  return vggArchitecture(model).filter((s) => s.kind === 'conv').map((s) => s.name);
}
