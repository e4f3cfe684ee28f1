import { describe, expect, it } from 'vitest';
import { rpicamPlan, v4l2Plan } from './capture-plans.js';

const size = { width: 640, height: 480, fps: 15 };

describe('capture command lines', () => {
  it('passes a camera’s MJPEG through untouched, falling back to encoding raw frames in auto', () => {
    const plan = v4l2Plan('/dev/video0', size, 'auto');
    expect(plan.args.join(' ')).toContain('-f v4l2 -input_format mjpeg -video_size 640x480 -framerate 15 -i /dev/video0 -c:v copy');
    expect(plan.args.slice(-2)).toEqual(['mjpeg', 'pipe:1']);
    const raw = plan.fallback!.plan;
    expect(raw.args.join(' ')).toContain('-f v4l2 -video_size 640x480 -framerate 15 -i /dev/video0 -c:v mjpeg');
    expect(plan.fallback!.when.test("[video4linux2,v4l2 @ 0x1] Cannot find a proper format for codec 'mjpeg' (id 7), pixel format 'none' (id -1)")).toBe(true);
    expect(v4l2Plan('/dev/video0', size, 'mjpeg').fallback).toBeUndefined();
    expect(v4l2Plan('/dev/video0', size, 'raw').args).not.toContain('-input_format');
  });

  it('asks rpicam-vid for MJPEG on stdout, flushed per frame, for ever, without a preview window', () => {
    expect(rpicamPlan(1, size)).toMatchObject({
      command: 'rpicam-vid',
      args: ['-t', '0', '-n', '--camera', '1', '--codec', 'mjpeg', '--width', '640', '--height', '480', '--framerate', '15', '--flush', '-o', '-'],
      debianPackage: 'rpicam-apps',
    });
  });
});
