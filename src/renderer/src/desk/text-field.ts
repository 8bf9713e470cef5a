/**
 * Whether keyboard focus is somewhere typing goes (an input that takes text, a textarea, a select, an editable
 * element): the desk's single-key shortcuts (B, S, /) must not fire there, and Space belongs to the field.
 */
export function isTextField(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}
