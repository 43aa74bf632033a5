import * as z from 'zod';

/** The `probe.json` the ProbeVideo Task writes for a video (from ffprobe). */
export const VideoProbeSchema = z.object({
  container: z.string().min(1),
  durationSeconds: z.number().nonnegative(),
  bitrate: z.number().int().nonnegative().optional(),
  video: z
    .object({
      codec: z.string(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      frameRate: z.number().positive().optional(),
      bitrate: z.number().int().nonnegative().optional(),
      /** Clockwise rotation in degrees (0, 90, 180, 270) from the display matrix or rotate tag. */
      rotation: z.number().int(),
    })
    .optional(),
  audio: z
    .object({
      codec: z.string(),
      channels: z.number().int().positive().optional(),
      sampleRate: z.number().int().positive().optional(),
      bitrate: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
/** Probe result of a video. */
export type VideoProbe = z.infer<typeof VideoProbeSchema>;
