// Everything needing attention on this phone: parked changes, with the server's reason and
// a way to fix or discard each.
import { attentionItems } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/attention.js';
import { useLive } from '../../live.js';
import { listName } from '../../parts/clients.js';
import { ParkedItem } from '../../parts/ParkedItem.jsx';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { href } from '../../routes.js';

// attentionItems(): [{parked, record, client: {id, name, protected_identity} | null, state}].
export function Attention() {
  const { data, error } = useLive(attentionItems, []);
  return (
    <Screen title={t.title} back={href.today()}>
      {error && <Problem>{common.loadFailed}</Problem>}
      {!data && !error && <Loading />}
      {data && data.length === 0 && <p class="empty">{t.empty}</p>}
      {data && data.length > 0 && <p class="hint">{t.intro}</p>}
      {data &&
        data.map(({ parked, client, own, author, device, currentWorkers }) => (
          <ParkedItem
            key={parked.id}
            parked={parked}
            clientLabel={client && listName(client)}
            own={own}
            author={author}
            device={device}
            currentWorkers={currentWorkers}
          />
        ))}
    </Screen>
  );
}
