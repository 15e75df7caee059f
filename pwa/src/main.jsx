// Entry point: mount the app and register the service worker (a new version waits for the
// user: see ui/update.js).
import { render } from 'preact';
import { App } from './ui/App.jsx';
import { registerUpdates } from './ui/update.js';
import './styles.css';

const root = document.getElementById('app');
root.textContent = ''; // the boot message of index.html
render(<App />, root);
registerUpdates();
