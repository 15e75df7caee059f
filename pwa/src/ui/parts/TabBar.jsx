// The bottom tab bar, within reach of the thumb: Idag and Brukare. A tab is current on the
// screens the route table puts under it.
import common from '../../strings/sv/common.js';
import { href, routeNamed } from '../routes.js';

const TABS = [
  {
    name: 'today', to: href.today(), label: common.tabs.today,
    icon: 'M5 5h14v15H5zM5 10h14M9 3v4M15 3v4',
  },
  {
    name: 'clients', to: href.clients(), label: common.tabs.clients,
    icon: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20c.8-3.8 3.5-5.5 6.5-5.5s5.7 1.7 6.5 5.5M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14.8c2 .7 3.2 2.4 3.6 5.2',
  },
];

export function TabBar({ route }) {
  return (
    <nav class="tabbar" aria-label={common.tabs.label}>
      {TABS.map((tab) => {
        const current = routeNamed(route.name)?.tab === tab.name;
        return (
          <a href={tab.to} class={current ? 'tab is-current' : 'tab'} aria-current={current ? 'page' : undefined}>
            <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false">
              <path d={tab.icon} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
            </svg>
            <span>{tab.label}</span>
          </a>
        );
      })}
    </nav>
  );
}
