/**
 * The one place the editor talks to the user in words: refused connections, bad
 * files, damaged links. Messages stay until replaced or dismissed, so nobody has to
 * read fast.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type MessageKind = 'error' | 'info' | 'success';
export interface Message {
  id: number;
  kind: MessageKind;
  text: string;
  detail?: string;
}

type Notify = (kind: MessageKind, text: string, detail?: string) => void;
const Ctx = createContext<{ messages: Message[]; notify: Notify; dismiss: (id: number) => void } | null>(null);

let nextId = 1;

export function MessagesProvider({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const notify = useCallback<Notify>((kind, text, detail) => {
    const m = { id: nextId++, kind, text, detail };
    setMessages((list) => [...list.filter((x) => x.text !== text).slice(-2), m]);
    if (kind !== 'error') setTimeout(() => setMessages((list) => list.filter((x) => x.id !== m.id)), 6000);
  }, []);
  const dismiss = useCallback((id: number) => setMessages((list) => list.filter((x) => x.id !== id)), []);
  const value = useMemo(() => ({ messages, notify, dismiss }), [messages, notify, dismiss]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useNotify(): Notify {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useNotify outside MessagesProvider');
  return ctx.notify;
}

export function MessageArea() {
  const ctx = useContext(Ctx)!;
  return (
    <div className="messages" data-testid="message" role="status" aria-live="polite">
      {ctx.messages.map((m) => (
        <div key={m.id} className={`message message-${m.kind}`}>
          <div className="message-text">
            <strong>{m.text}</strong>
            {m.detail && <div className="message-detail">{m.detail}</div>}
          </div>
          <button className="message-close" aria-label="Dismiss" onClick={() => ctx.dismiss(m.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
