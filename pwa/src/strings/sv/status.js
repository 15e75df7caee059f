// The sync status bar at the top of every screen.
export default {
  label: 'Synkstatus',
  pending: (n) => (n === 0 ? 'Allt är synkat' : n === 1 ? '1 ändring väntar' : `${n} ändringar väntar`),
  nothingPending: 'Inga ändringar väntar',
  lastSync: (when) => `Senast synkad ${when}`,
  neverSynced: 'Inte synkad ännu',
  syncing: 'Synkar…',
  syncNow: 'Synka nu',
  offline: 'Ingen anslutning: allt sparas på telefonen',
  firstSync: (done, total) => `Hämtar dina uppgifter: ${done} av ${total}`,
  firstSyncStarting: 'Hämtar dina uppgifter…',
  attention: (n) => (n === 1 ? '1 sak behöver åtgärd' : `${n} saker behöver åtgärd`),
  error: 'Kunde inte synka just nu. Appen försöker igen av sig själv.',
  // The sync engine's error codes (src/sync/status.js); others get `error`.
  errors: {
    offline: 'Servern går inte att nå just nu. Allt sparas på telefonen och skickas sedan.',
    server: 'Servern har problem just nu. Appen försöker igen av sig själv.',
    invalid_body: 'Servern kunde inte läsa det telefonen skickade. Uppdatera appen.',
    busy: 'Servern är upptagen just nu. Allt sparas på telefonen och skickas om en stund.',
    parked_quota: 'Många av dina ändringar väntar på åtgärd. Be din teamledare gå igenom dem; resten finns kvar på telefonen och skickas sedan.',
    // The server's disk is full or failing (503 storage_full, storage_error): an operator's
    // matter; nothing the phone holds is lost.
    storage_full: 'Servern kan inte spara något just nu. Allt sparas på telefonen och skickas när servern kan ta emot igen.',
    storage_error: 'Servern kan inte spara något just nu. Allt sparas på telefonen och skickas när servern kan ta emot igen.',
    access_log_unavailable: 'Servern kan inte logga vem som läser just nu, så den lämnar inte ut några uppgifter. Appen försöker igen av sig själv.',
  },
  account: 'Konto och utloggning',
};
