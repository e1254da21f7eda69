/**
 * What the editor opens with: a share link in the hash, else ?template=NAME, else the
 * autosaved graph, else an empty canvas and the template gallery. A link or template
 * is opened as an undoable edit on top of the autosaved graph, so nothing is lost.
 */
import { emptyDocument, type GraphDocument } from '../../document/graph';
import { decodeShare, SHARE_PREFIX } from './files/share';
import { findTemplate, templates } from './files/templates';
import { readAutosave } from './store/autosave';
import { describeProblems } from './files/useOpenDocument';
import type { MessageKind } from './messages';

export interface Startup {
  base: GraphDocument;
  open?: GraphDocument;
  messages: { kind: MessageKind; text: string; detail?: string }[];
  showGallery: boolean;
}

export async function startup(loc: Location = location): Promise<Startup> {
  const saved = readAutosave();
  const result: Startup = { base: saved ?? emptyDocument(), messages: [], showGallery: false };
  const params = new URLSearchParams(loc.search);
  const template = params.get('template');
  if (loc.hash.startsWith(SHARE_PREFIX)) {
    const r = await decodeShare(loc.hash);
    if (r.doc) result.open = r.doc;
    else
      result.messages.push({
        kind: 'error',
        text: 'Could not open the shared graph; your canvas is unchanged.',
        detail: describeProblems(r.diagnostics),
      });
  } else if (template !== null) {
    const t = findTemplate(template);
    if (t) result.open = t.doc;
    else
      result.messages.push({
        kind: 'error',
        text: `There is no template called “${template}”.`,
        detail: `Templates: ${templates.map((x) => x.name).join(', ')}.`,
      });
  }
  if (!saved && !result.open) result.showGallery = true;
  // The URL has done its job; a reload must show the edited graph, not reopen the link.
  // A room link's fragment (#room=..&token=..) is left for the collaboration root to read.
  if (loc.hash.startsWith(SHARE_PREFIX) || template !== null) {
    params.delete('template');
    const q = params.toString();
    history.replaceState(null, '', loc.pathname + (q ? `?${q}` : ''));
  }
  return result;
}
