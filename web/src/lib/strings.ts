/**
 * Every string the workspace shows, in one module so translations can be added: a new language is a
 * copy of `en` with the same keys (the type checks that none is missing), picked in `t`.
 */
export const en = {
  appName: 'AutoCRM',
  skipToContent: 'Skip to content',
  nav: { inbox: 'Inbox', supervisor: 'Supervisor', signOut: 'Sign out', signedInAs: 'Signed in as' },
  login: {
    title: 'Sign in',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    failed: 'Wrong email or password.',
    rateLimited: 'Too many attempts. Wait a few minutes and try again.',
  },
  queue: {
    title: 'Conversations',
    views: 'Views',
    mine: 'Mine',
    unassigned: 'Unassigned',
    all: 'All',
    team: 'Team',
    state: 'State',
    priority: 'Priority',
    any: 'Any',
    sort: 'Sort',
    sortWaiting: 'Waiting longest',
    sortPriority: 'Priority',
    sortActivity: 'Last activity',
    search: 'Search',
    apply: 'Apply',
    empty: 'No conversations here.',
    unread: (n: number) => `${n} unread`,
    waiting: 'waiting',
    takenBy: (name: string) => `Taken by ${name}`,
    assignedTo: (name: string) => `Assigned to ${name}`,
    unassignedLabel: 'Unassigned',
    select: 'Select',
    selectAll: 'Select all',
    selected: (n: number) => `${n} selected`,
    bulkAssign: 'Assign to',
    bulkStatus: 'Set status',
    bulkPriority: 'Set priority',
    bulkTag: 'Add tag',
    bulkApply: 'Apply to selected',
    bulkDone: (n: number) => `Updated ${n} conversations.`,
    nobody: 'Nobody',
    me: 'Me',
    shortcuts: 'Shortcuts: j / k move, Enter opens, x selects, a assigns to me',
    live: 'Live',
    offline: 'Reconnecting…',
    more: 'More',
    savedViews: 'Saved views',
    saveView: 'Save this view',
    viewName: 'Name',
    shareView: 'Share with everyone',
    shared: 'shared',
    deleteView: 'Delete view',
  },
  room: {
    back: 'Back to the queue',
    history: 'Conversation history',
    loadOlder: 'Load older messages',
    note: 'Internal note',
    system: 'System',
    customer: 'Customer',
    bot: 'Bot',
    composer: 'Reply',
    composerPlaceholder: 'Write a reply… (type / for macros)',
    notePlaceholder: 'Write an internal note — only agents see it',
    send: 'Send',
    sendNote: 'Add note',
    noteToggle: 'Internal note',
    sending: 'Sending…',
    unsent: 'Not sent yet — will retry',
    viewing: 'Also viewing:',
    typing: (names: string) => `${names} typing…`,
    seen: 'Seen',
    collision: (name: string) => `${name} replied while you were writing. Read it, then send anyway?`,
    sendAnyway: 'Send anyway',
    cancel: 'Cancel',
    takeOver: 'Take over',
    assignMe: 'Assign to me',
    statusChanged: (from: string, to: string) => `Status changed from ${from} to ${to}`,
    statusSet: (to: string) => `Status set to ${to}`,
    macros: 'Macros',
  },
  sidebar: {
    contact: 'Contact',
    attributes: 'Attributes',
    previous: 'Previous conversations',
    nonePrevious: 'No other conversations.',
    ticket: 'Ticket',
    status: 'Status',
    priority: 'Priority',
    assignee: 'Assignee',
    team: 'Team',
    tags: 'Tags',
    tagsHelp: 'Comma separated',
    customFields: 'Custom fields',
    save: 'Save',
    saved: 'Saved.',
    none: '—',
  },
  supervisor: {
    title: 'Supervisor live view',
    rooms: 'Active rooms',
    agents: 'Agents',
    waiting: 'Waiting',
    assignee: 'Assignee',
    handler: 'Handled by',
    bot: 'Bot',
    human: 'Human',
    lastMessage: 'Last message',
    watch: 'Watch',
    online: 'online',
    away: 'away',
    offline: 'offline',
    load: (n: number) => `${n} open`,
    empty: 'No active rooms.',
  },
  priorities: { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' },
  categories: { open: 'Open', pending: 'Pending', resolved: 'Resolved', closed: 'Closed' },
  errors: { notFound: 'Not found, or not in your inboxes.', generic: 'Something went wrong.' },
};

export type Strings = typeof en;
const languages: Record<string, Strings> = { en };

/** The strings for a language (English until more are added). */
export function strings(lang = 'en'): Strings {
  return languages[lang] ?? en;
}

export const t = en;

/** "3 min", "2 h", "4 d": how long ago, for waiting times and activity. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}
