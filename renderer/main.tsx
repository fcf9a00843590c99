import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createAppStore, StoreContext } from './store';
import { browserFrames } from './store/frames';
import { createClient } from './transport';
import './styles/base.css';
import './styles/layout.css';
import './styles/column.css';
import './styles/views.css';
import './styles/data.css';
import './styles/code.css';

const connection = createClient();
const store = createAppStore({ client: connection.client, frames: browserFrames });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App transport={connection.kind} problem={connection.problem} />
    </StoreContext.Provider>
  </StrictMode>,
);
