import type { ImageMetadata } from '@slipway/events';

/**
 * What the fixtures' EXIF says, written by tools/samples/src/media/image-samples.ts (see the fixtures'
 * README). Spelled out here on purpose, not imported from the script.
 */
export const KNOWN_METADATA: Record<string, ImageMetadata> = {
  'exif-gps.jpg': {
    format: 'jpeg',
    width: 4000,
    height: 3000,
    orientation: 1,
    captureTime: {
      value: '2024-05-01T14:03:22+02:00',
      offset: '+02:00',
      local: false,
      source: 'exif',
    },
    gps: { latitude: 48.8583, longitude: 2.2945, altitude: 35 },
    make: 'Slipway',
    model: 'Test Camera',
    lens: 'Slipway 35mm f/1.8',
  },
  'exif-gps-sw.jpg': {
    format: 'jpeg',
    width: 1600,
    height: 1200,
    orientation: 1,
    captureTime: {
      value: '2023-12-24T09:15:07-03:00',
      offset: '-03:00',
      local: false,
      source: 'exif',
    },
    gps: { latitude: -49.566667, longitude: -68.35, altitude: -105 },
    make: 'Slipway',
    model: 'Test Camera',
    lens: 'Slipway 24mm f/2.8',
  },
  'exif-no-offset.jpg': {
    format: 'jpeg',
    width: 1200,
    height: 900,
    orientation: 1,
    captureTime: { value: '2024-05-01T14:03:22', local: true, source: 'exif' },
    make: 'Slipway',
    model: 'Test Camera',
  },
  'rotated-6.jpg': { format: 'jpeg', width: 400, height: 600, orientation: 6 },
  'small.png': { format: 'png', width: 200, height: 120 },
};
