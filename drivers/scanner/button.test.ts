import { describe, expect, it } from 'vitest';
import { pressedButtons } from './button.js';

describe('scanner buttons from SANE sensor options', () => {
  it('finds a pressed scan button in a fujitsu-style option list', () => {
    const help = ['  Sensors:', '    --scan[=(yes|no)] [yes] [hardware]', '    --email[=(yes|no)] [no] [hardware]', '    --page-loaded[=(yes|no)] [yes] [hardware]'].join('\n');
    expect(pressedButtons(help)).toEqual(['scan']);
  });

  it('reads numbered buttons and ignores everything else, including the test backend', () => {
    expect(pressedButtons('    --button-1 0..1 [1] [hardware]\n    --button-2 0..1 [0] [hardware]\n    --resolution 50..600dpi [300]')).toEqual(['button-1']);
    expect(pressedButtons('    --button [inactive]\n    --source Flatbed|Automatic Document Feeder [Flatbed]')).toEqual([]);
  });
});
