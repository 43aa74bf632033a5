/**
 * `@slipway/samples`: the generators of Slipway's sample and fixture data. Development only: a
 * `type:tool` project, so no Lambda or runtime lib may import it (the eslint module-boundary
 * rule fails the lint). See this project's README.
 */
export * from './etl/day';
export {
  generateImageSamples,
  IMAGE_FIXTURES_DIR,
  IMAGE_SAMPLE_NAMES,
  type ImageSampleName,
} from './media/image-samples';
export {
  generateTestVideo,
  generateVideoSamples,
  setVideoRotation,
  VIDEO_FIXTURES_DIR,
  VIDEO_SAMPLE_NAMES,
  type TestVideoSpec,
} from './media/video-samples';
