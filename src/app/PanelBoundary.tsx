/**
 * One failing panel must not take the editor down with it. Each panel and the canvas
 * sit inside one of these: when one throws while rendering, it is replaced by a note
 * that says which panel failed and why, with a Retry, while the other panels keep
 * working. The document lives in the store, outside every boundary, so nothing of it
 * is lost; Retry mounts the panel afresh on the same store.
 */
import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What the person calls it: "inspector", "canvas"... */
  name: string;
  /** The class of the element the panel would be, so the note takes its place in the layout. */
  className?: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  /** Bumped by Retry, so the panel mounts afresh instead of reusing the state that failed. */
  attempt: number;
}

const MAX_MESSAGE = 300;

export class PanelBoundary extends Component<Props, State> {
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The console keeps the stack for whoever reports the bug; the page shows the message.
    console.error(`The ${this.props.name} failed:`, error, info.componentStack);
  }

  private retry = () => this.setState((s) => ({ error: null, attempt: s.attempt + 1 }));

  override render() {
    const { error, attempt } = this.state;
    const { name, className, children } = this.props;
    if (!error) return <Fragment key={attempt}>{children}</Fragment>;
    const message = error.message || error.name || 'an unknown error';
    const testId = `panel-failed-${name.replace(/\s+/g, '-')}`;
    return (
      <section className={`${className ?? ''} panel-failed`} role="alert" data-testid={testId}>
        <h3>The {name} stopped working</h3>
        <p className="panel-failed-message">
          {message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message}
        </p>
        <p className="muted">Your graph is safe: only this panel was closed, and the rest of the editor still works.</p>
        <button onClick={this.retry} data-testid={`${testId}-retry`}>
          Retry
        </button>
      </section>
    );
  }
}
