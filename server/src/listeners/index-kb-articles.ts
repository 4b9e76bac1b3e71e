import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/** New or changed article text is embedded for hybrid search now, not at the indexer's next round. */
export function indexKbArticles(ctx: ListenerContext): EventListener {
  return {
    name: 'index-kb-articles',
    events: ['kb.article_changed'],
    afterCommit: () => ctx.kbIndexer?.poke(),
  };
}
