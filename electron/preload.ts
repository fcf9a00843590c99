/**
 * Runs sandboxed, before the page, in an isolated world. It may only require
 * 'electron'; everything else (the channel map) is bundled in by esbuild.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { channels } from './shell/channels';
import { buildPreloadApi } from './shell/preload-api';

contextBridge.exposeInMainWorld('switchyard', buildPreloadApi(ipcRenderer, channels));
