/** The host's pure guards: which Host headers it answers to, and error text with no file-system path. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { allowedHosts, scrubPaths, staticFile } from '../../electron/host/guards';

describe('allowedHosts', () => {
  it('is the loopback names with the port, plus the bound address', () => {
    expect([...allowedHosts('127.0.0.1', 7420, false)].sort()).toEqual(['127.0.0.1:7420', '[::1]:7420', 'localhost:7420']);
    expect(allowedHosts('::1', 7420, false).has('[::1]:7420')).toBe(true);
    expect(allowedHosts('192.168.1.5', 7420, true).has('192.168.1.5:7420')).toBe(true);
    expect(allowedHosts('127.0.0.1', 80, false).has('localhost')).toBe(true);
    expect(allowedHosts('127.0.0.1', 7420, false).has('localhost')).toBe(false);
  });

  it('on a wildcard address with --allow-remote, every address of this machine (never the wildcard itself)', () => {
    const hosts = allowedHosts('0.0.0.0', 7420, true);
    expect(hosts.has('127.0.0.1:7420')).toBe(true);
    expect(hosts.has('0.0.0.0:7420')).toBe(false);
  });
});

describe('staticFile', () => {
  it('maps a UI path inside the folder', () => {
    expect(staticFile('/srv/ui', '/assets/app.js?v=1')).toBe('/srv/ui/assets/app.js');
    expect(staticFile('/srv/ui', '/')).toBe('/srv/ui');
    expect(staticFile('/srv/ui', '/%E2%9C%93.svg')).toBe('/srv/ui/✓.svg');
  });

  it('refuses a path that cannot be decoded', () => {
    expect(staticFile('/srv/ui', '/%E0%A4%A')).toBeNull();
  });
});

describe('scrubPaths', () => {
  it('removes the path from a real file-system error', () => {
    const missing = join(tmpdir(), 'switchyard-no-such-dir', 'catalog.json');
    let message = '';
    try {
      readFileSync(missing);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(missing);
    expect(scrubPaths(message)).toBe("ENOENT: no such file or directory, open '<path>'");
  });

  it('removes POSIX, home, Windows, UNC and file: paths, and leaves URLs and model names alone', () => {
    expect(scrubPaths('cannot read /home/me/.config/Switchyard/switchyard.db (locked)')).toBe('cannot read <path> (locked)');
    expect(scrubPaths('see ~/.config/Switchyard')).toBe('see <path>');
    expect(scrubPaths('EPERM: operation not permitted, open "C:\\Users\\me\\AppData\\Roaming\\Switchyard\\catalog.json"')).toBe('EPERM: operation not permitted, open "<path>"');
    expect(scrubPaths('share \\\\server\\share\\x.json')).toBe('share <path>');
    expect(scrubPaths('loaded file:///opt/switchyard/dist/renderer/index.html')).toBe('loaded <path>');
    const kept = '401 from openai: bad key for https://api.openai.com/v1/models; unknown model "openai/gpt-4o-mini" at http://127.0.0.1:4000/v1';
    expect(scrubPaths(kept)).toBe(kept);
  });
});
