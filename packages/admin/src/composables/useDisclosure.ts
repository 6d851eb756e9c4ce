// A button that shows and hides a panel (the narrow screen's menu, the account menu): Escape closes it and
// gives focus back to the button; a click or focus outside both closes it quietly.

import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export function useDisclosure(button: Ref<HTMLElement | null>, panel: Ref<HTMLElement | null>) {
  const open = ref(false);

  function close(returnFocus = false): void {
    if (!open.value) return;
    open.value = false;
    if (returnFocus) button.value?.focus();
  }

  function toggle(): void {
    open.value = !open.value;
  }

  function onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && open.value) {
      event.stopPropagation();
      close(true);
    }
  }

  function isInside(target: EventTarget | null): boolean {
    return target instanceof Node && (!!button.value?.contains(target) || !!panel.value?.contains(target));
  }

  function onOutside(event: Event): void {
    if (open.value && !isInside(event.target)) close();
  }

  onMounted(() => {
    document.addEventListener('pointerdown', onOutside);
    document.addEventListener('focusin', onOutside);
  });
  onBeforeUnmount(() => {
    document.removeEventListener('pointerdown', onOutside);
    document.removeEventListener('focusin', onOutside);
  });

  return { open, toggle, close, onKeydown };
}
