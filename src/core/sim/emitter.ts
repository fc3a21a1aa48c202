// Typed event fan-out for the faces (tree, panel, debugger) that subscribe to the simulation.

export type Listener<T> = (event: T) => void;

export class Emitter<T> {
  private listeners: Listener<T>[] = [];

  /** Subscribes; returns the function that unsubscribes. */
  on(listener: Listener<T>): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(event: T): void {
    for (const l of this.listeners) l(event);
  }
}
