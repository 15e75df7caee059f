// The bottom tab bar, within reach of the thumb: Idag and Brukare for a field worker; Team,
// Brukare, Synk and Rapporter for a supervisor (whose day is the team's, not their own
// visits). A tab is current on the screens the route table puts under it.
import common from '../../strings/sv/common.js';
import { href, routeNamed } from '../routes.js';

const TODAY = {
  name: 'today', to: href.today(), label: common.tabs.today,
  icon: 'M5 5h14v15H5zM5 10h14M9 3v4M15 3v4',
};
const CLIENTS = {
  name: 'clients', to: href.clients(), label: common.tabs.clients,
  icon: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20c.8-3.8 3.5-5.5 6.5-5.5s5.7 1.7 6.5 5.5M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14.8c2 .7 3.2 2.4 3.6 5.2',
};
const TEAM = {
  name: 'team', to: href.team(), label: common.tabs.team,
  icon: 'M4 20v-1.5C4 16 6 14.5 8.5 14.5S13 16 13 18.5V20M8.5 11.5a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM15 11.5a2.5 2.5 0 1 0 0-5M16.5 14.7c2 .4 3.5 1.8 3.5 4V20',
};
const SYNC = {
  name: 'sync', to: href.dashboard(), label: common.tabs.sync,
  icon: 'M20 8a8 8 0 0 0-14.5-2.5M4 4v4h4M4 16a8 8 0 0 0 14.5 2.5M20 20v-4h-4',
};
const REPORTS = {
  name: 'reports', to: href.reports(), label: common.tabs.reports,
  icon: 'M6 3h9l4 4v14H6zM14 3v5h5M9 17v-3M12.5 17v-6M16 17v-4',
};

const FIELD_TABS = [TODAY, CLIENTS];
const SUPERVISOR_TABS = [TEAM, CLIENTS, SYNC, REPORTS];

/** The tabs of a role. */
export const tabsFor = (role) => (role === 'supervisor' ? SUPERVISOR_TABS : FIELD_TABS);

export function TabBar({ route, role }) {
  return (
    <nav class="tabbar" aria-label={common.tabs.label}>
      {tabsFor(role).map((tab) => {
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
