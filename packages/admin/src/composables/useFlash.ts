// A short message that survives one navigation ("Added smtp-a." shown on the list after saving).

import { ref } from 'vue';

export interface Flash {
  kind: 'success' | 'error' | 'info';
  text: string;
  /** The route the message belongs to; it disappears once the admin goes elsewhere. */
  routeName: string;
}

const flash = ref<Flash | null>(null);

export function useFlash() {
  return {
    flash,
    show(kind: Flash['kind'], text: string, routeName: string): void {
      flash.value = { kind, text, routeName };
    },
    clear(): void {
      flash.value = null;
    },
  };
}
