import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EndpointHealthView } from '../../shared/contract';
import { AboutDialog } from '../../renderer/components/AboutDialog';
import { createAppStore, StoreContext } from '../../renderer/store';
import { sortEndpoints } from '../../renderer/store/endpointsSlice';
import { EndpointsView, errorRateText } from '../../renderer/views/EndpointsView';
import { fakeClient, manualFrames } from './helpers';

afterEach(cleanup);

function setup() {
  const fake = fakeClient();
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  return { fake, store };
}

const health = (over: Partial<EndpointHealthView>): EndpointHealthView => ({
  endpointId: 'openai:gpt-4o-mini',
  samples: 10,
  errorRate: 0,
  ttftP50Ms: 120,
  ttftP95Ms: 480,
  tokensPerSecond: 85.2,
  lastErrorAt: null,
  lastErrorKind: null,
  breaker: 'closed',
  misconfigured: null,
  ...over,
});

describe('endpoint health', () => {
  it('puts the busiest endpoints first', () => {
    const sorted = sortEndpoints([health({ endpointId: 'b:x', samples: 2 }), health({ endpointId: 'a:x', samples: 9 }), health({ endpointId: 'a:a', samples: 2 })]);
    expect(sorted.map((h) => h.endpointId)).toEqual(['a:x', 'a:a', 'b:x']);
    expect(errorRateText(0.125, 8)).toBe('13%');
    expect(errorRateText(0.05, 20)).toBe('5.0%');
    expect(errorRateText(0, 0)).toBe('—');
  });

  it('shows samples, errors, TTFT, throughput, breaker state and a misconfigured note; refresh asks again', async () => {
    const { fake, store } = setup();
    fake.calls.routing!.listEndpoints!.mockResolvedValue([
      health({ endpointId: 'groq:llama', samples: 3, errorRate: 2 / 3, breaker: 'open', lastErrorAt: Date.UTC(2026, 0, 2, 3, 4), lastErrorKind: 'server' }),
      health({ endpointId: 'bad:model', samples: 1, errorRate: 1, breaker: 'half-open', misconfigured: 'HTTP 401: invalid api key' }),
      health({}),
    ]);
    render(
      <StoreContext.Provider value={store}>
        <EndpointsView />
      </StoreContext.Provider>,
    );
    const rows = await screen.findAllByTestId('endpoint-row');
    expect(rows.map((r) => r.dataset.endpointId)).toEqual(['openai:gpt-4o-mini', 'groq:llama', 'bad:model']);
    expect(rows[0]!.textContent).toMatch(/10.*0%.*120 ms.*480 ms.*85\.2 tok\/s.*closed/);
    expect(rows[1]!.textContent).toContain('67%');
    expect(rows[1]!.querySelector('[data-testid="endpoint-breaker"]')!.className).toContain('breaker-open');
    expect(rows[1]!.textContent).toContain('last error server at 2026-01-02 03:04');
    expect(rows[2]!.textContent).toContain('half-open');
    expect(rows[2]!.textContent).toContain('misconfigured: HTTP 401: invalid api key');
    fireEvent.click(screen.getByTestId('endpoints-refresh'));
    expect(fake.calls.routing!.listEndpoints).toHaveBeenCalledTimes(2);
  });

  it('says what to do before any endpoint has been used', async () => {
    const { fake, store } = setup();
    fake.calls.routing!.listEndpoints!.mockResolvedValue([]);
    render(
      <StoreContext.Provider value={store}>
        <EndpointsView />
      </StoreContext.Provider>,
    );
    expect((await screen.findByTestId('endpoints-empty')).textContent).toMatch(/No endpoint has served a request yet/);
  });
});

describe('about', () => {
  it('shows the version, the catalog as-of date, the full licence and the policy sources', async () => {
    const { fake, store } = setup();
    const license = 'MIT License\n\nCopyright (c) 2025 models.dev\n\nPermission is hereby granted, free of charge…';
    fake.calls.catalog!.getAbout!.mockResolvedValue({ asOf: '2026-07-02', source: 'catalog.json', license, stats: { providers: 147, models: 2266, endpoints: 5276, overrides: 0 } });
    fake.calls.catalog!.listProviders!.mockResolvedValue([
      {
        id: 'openai', name: 'OpenAI', api: null, env: [], doc: null, npm: null, protocol: 'openai',
        policy: { retainsPrompts: true, retentionDays: 30, trainsOnData: false, zdrAvailable: true, jurisdiction: 'US', regions: [], sourceUrl: 'https://openai.com/policies', asOf: '2026-01-01' },
      },
      {
        id: 'nobody', name: 'Nobody', api: null, env: [], doc: null, npm: null, protocol: null,
        policy: { retainsPrompts: null, retentionDays: null, trainsOnData: null, zdrAvailable: null, jurisdiction: null, regions: [], sourceUrl: null, asOf: null },
      },
    ]);
    store.setState({ settings: { modelSets: [], keyStorage: { backend: 'env-only', secure: true, warning: null }, transport: 'http', version: '0.1.0', catalogAsOf: '2026-07-02' } });
    render(
      <StoreContext.Provider value={store}>
        <AboutDialog />
      </StoreContext.Provider>,
    );
    store.getState().setAboutOpen(true);
    expect((await screen.findByTestId('about-license')).textContent).toBe(license);
    expect(screen.getByTestId('about-version').textContent).toBe('v0.1.0');
    expect(screen.getByTestId('about-as-of').textContent).toBe('2026-07-02');
    const sources = screen.getByTestId('about-sources');
    expect(sources.querySelectorAll('li')).toHaveLength(1);
    const link = sources.querySelector('a')!;
    expect([link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')]).toEqual(['https://openai.com/policies', '_blank', 'noopener noreferrer']);
    fireEvent.click(screen.getByTestId('about-close'));
    expect(store.getState().aboutOpen).toBe(false);
  });
});
