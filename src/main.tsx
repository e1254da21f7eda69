/** Entry point: choose the starting document, create the offline store, mount the editor (in a shared room when the link names one). */
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './app/styles.css';
import { CollabRoot } from './app/collab/CollabRoot';
import { OfflineStore } from './app/store/offline-store';
import { startAutosave } from './app/store/autosave';
import { replaceDocument } from './app/files/useOpenDocument';
import { startup } from './app/startup';
import { analyze } from '../compiler/index';
import { clearFeatureStore, featureStore, featureStoreUsage } from './data/feature-store';

async function main() {
  const start = await startup();
  const store = new OfflineStore(start.base);
  // Autosave first, so a graph opened from a link or ?template= survives a reload.
  startAutosave(store);
  if (start.open) replaceDocument(store, start.open, 'Open link');
  // A stable handle for scripts, benchmarks and end-to-end tests.
  Object.assign(window, {
    wavegraph: { store, analyze, features: { featureStore, usage: featureStoreUsage, clear: clearFeatureStore } },
  });
  createRoot(document.getElementById('root')!).render(<CollabRoot offline={store} start={start} />);
}

void main();
