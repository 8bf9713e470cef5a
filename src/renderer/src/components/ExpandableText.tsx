import { useState } from 'react';

/** Texts longer than this are shortened to a few lines until the trader asks for all of it. */
const LONG_TEXT_CHARS = 160;

/**
 * A paragraph that shows its first lines and a "More" button when it is long (explanations naming six slots run
 * to a dozen lines). The whole text is always in the page, for search and assistive technology.
 */
export function ExpandableText({ text, className, testId }: { text: string; className?: string; testId?: string }) {
  const [open, setOpen] = useState(false);
  const long = text.length > LONG_TEXT_CHARS;
  return (
    <div className={`expandable ${className ?? ''}`}>
      <p className={long && !open ? 'clamped' : undefined} data-testid={testId}>
        {text}
      </p>
      {long ? (
        <button type="button" className="link-button more-button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Less' : 'More'}
        </button>
      ) : null}
    </div>
  );
}
