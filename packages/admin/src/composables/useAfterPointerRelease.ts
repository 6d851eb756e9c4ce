import { onBeforeUnmount, onMounted } from 'vue';

/**
 * Runs work at once, or, while a pointer is pressed, just after the click that its release makes.
 *
 * Pressing a button moves focus there first: a field that shows its error on blur would grow, and move the
 * button from under the pointer before the release, so the click would miss. Held back until the click
 * has landed, the same error moves nothing the pointer is aiming at.
 */
export function useAfterPointerRelease(): (work: () => void) => void {
  let pressed = false;
  const pending: (() => void)[] = [];

  function runPending(): void {
    for (const work of pending.splice(0)) work();
  }
  function onDown(): void {
    pressed = true;
  }
  function onRelease(): void {
    pressed = false;
    // The click follows the release in the same task; this runs after it.
    setTimeout(runPending, 0);
  }

  onMounted(() => {
    document.addEventListener('pointerdown', onDown, true);
    document.addEventListener('pointerup', onRelease, true);
    document.addEventListener('pointercancel', onRelease, true);
  });
  onBeforeUnmount(() => {
    document.removeEventListener('pointerdown', onDown, true);
    document.removeEventListener('pointerup', onRelease, true);
    document.removeEventListener('pointercancel', onRelease, true);
  });

  return (work) => {
    if (pressed) pending.push(work);
    else work();
  };
}
