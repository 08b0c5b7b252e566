/**
 * A Y4M video (YUV 4:2:0, the format Chromium's fake camera plays with
 * --use-file-for-fake-video-capture) of a photo on a grey 640x480 frame: the webcam tests'
 * camera. Written at test time from the committed photo.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { PNG } from "pngjs";

export interface Placed {
  readonly file: string;
  /** Where the photo's top-left corner is in the frame. */
  readonly x: number;
  readonly y: number;
}

export function photoVideo(photo: string, file: string, width = 640, height = 480): Placed {
  const p = PNG.sync.read(readFileSync(photo));
  const ox = Math.floor((width - p.width) / 2), oy = Math.floor((height - p.height) / 2);
  const rgb = (x: number, y: number): [number, number, number] => {
    const ix = x - ox, iy = y - oy;
    if (ix < 0 || iy < 0 || ix >= p.width || iy >= p.height) return [90, 90, 90];
    const o = 4 * (iy * p.width + ix);
    return [p.data[o]!, p.data[o + 1]!, p.data[o + 2]!];
  };
  // Full-range BT.601, as the C420jpeg tag says.
  const yPlane = Buffer.alloc(width * height), u = Buffer.alloc((width * height) / 4), v = Buffer.alloc((width * height) / 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      yPlane[y * width + x] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  for (let y = 0; y < height / 2; y++) {
    for (let x = 0; x < width / 2; x++) {
      let su = 0, sv = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const [r, g, b] = rgb(2 * x + dx, 2 * y + dy);
        su += -0.168736 * r - 0.331264 * g + 0.5 * b + 128;
        sv += 0.5 * r - 0.418688 * g - 0.081312 * b + 128;
      }
      u[y * (width / 2) + x] = Math.round(su / 4);
      v[y * (width / 2) + x] = Math.round(sv / 4);
    }
  }
  const frame = Buffer.concat([Buffer.from("FRAME\n"), yPlane, u, v]);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
  return { file, x: ox, y: oy };
}
